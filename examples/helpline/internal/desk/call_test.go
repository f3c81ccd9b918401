package desk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

var (
	itemField   = regexp.MustCompile(`name="item" value="([a-z_]+)"`)
	callPath    = regexp.MustCompile(`^/call/([A-Za-z0-9_-]+)$`)
	personID    = regexp.MustCompile(`<code id="person-id">([0-9a-f-]{36})</code>`)
	placeIDAttr = regexp.MustCompile(`<li class="place" data-place-id="([^"]+)"`)
	choiceRadio = regexp.MustCompile(`name="choice" value="([^"]*)"`)
	referralURL = regexp.MustCompile(`^/referrals/([0-9a-f-]{36})$`)
)

// beginnerAnswers are the triage answers of a person with a smartphone who
// never goes online and has no e-mail address: a beginner.
var beginnerAnswers = map[string][]string{
	"device": {"smartphone_only"}, "internet_use": {"never"}, "procedures": {"never"}, "email": {"none"},
	"helper": {"nobody"}, "health_accounts": {"neither"}, "barriers": {"none"}, "forms_confidence": {"a_little"},
}

// startCall opens /call and returns the call's path and the person id.
func startCall(t *testing.T, c *testClient) (string, string) {
	t.Helper()
	res := c.get("/call")
	wantStatus(t, res, http.StatusSeeOther)
	if !callPath.MatchString(res.Location()) {
		t.Fatalf("/call redirects to %q", res.Location())
	}
	page := c.get(res.Location())
	wantStatus(t, page, http.StatusOK)
	m := personID.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no #person-id:\n%s", page.Body)
	}
	return res.Location(), m[1]
}

// triageThrough answers every question asked with answers, and returns
// the page showing the result.
func triageThrough(t *testing.T, c *testClient, path string, answers map[string][]string) *testResponse {
	t.Helper()
	page := c.get(path)
	for n := 0; ; n++ {
		m := itemField.FindStringSubmatch(page.Body)
		if m == nil {
			break
		}
		if n > 10 {
			t.Fatal("the triage asks more than 10 questions")
		}
		wantContains(t, page.Body, `<form id="question"`, `<h2 id="question-text">`)
		vals, ok := answers[m[1]]
		if !ok {
			t.Fatalf("no answer prepared for %q", m[1])
		}
		res := c.post(path+"/answer", url.Values{"item": {m[1]}, "answer": vals})
		wantStatus(t, res, http.StatusSeeOther)
		page = c.follow(res)
	}
	wantStatus(t, page, http.StatusOK)
	return page
}

func TestCallWholeFlow(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	path, pid := startCall(t, c)

	first := c.get(path)
	wantContains(t, first.Body, `<button type="submit" name="answer" value="computer_connected"`, `<kbd>1</kbd>`)
	page := triageThrough(t, c, path, beginnerAnswers)
	wantContains(t, page.Body, `<section id="result"`, `id="level" data-level="beginner"`, `<ul id="why"><li>`,
		`<form id="where"`, `<input id="commune" name="commune"`, `name="need" value="activate_mes"`,
		`name="constraint" value="no_travel"`, `<button id="find"`)

	res := c.post(path+"/where", url.Values{"commune": {"Angoulême"}, "need": {"activate_mes"}, "age_band": {"70_plus"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = c.get(path)
	wantContains(t, page.Body, `<section id="proposals"`, `<article class="pathway"`, `<ol class="places">`,
		`<svg id="map"`, `<form id="record-form"`, `<button id="record"`, `Angoulême`, ` km</span>`)
	places := placeIDAttr.FindAllStringSubmatch(page.Body, -1)
	if len(places) == 0 {
		t.Fatalf("no li.place[data-place-id] proposed near Angoulême:\n%s", page.Body)
	}
	choices := choiceRadio.FindAllStringSubmatch(page.Body, -1)
	if len(choices) == 0 {
		t.Fatal("no choice to record")
	}

	res = c.post(path+"/record", url.Values{"choice": {choices[0][1]}})
	wantStatus(t, res, http.StatusSeeOther)
	m := referralURL.FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("record redirects to %q", res.Location())
	}
	refPage := c.follow(res)
	wantStatus(t, refPage, http.StatusOK)
	wantContains(t, refPage.Body, `<code id="referral-id">`+m[1]+`</code>`, `<div id="sheet"`, `<a id="print" href="/referrals/`+m[1]+`/sheet"`,
		"Orientation enregistrée.", "carte Vitale")

	// The stored referral is pseudonymous and carries the triage's level.
	ref, err := d.Store.Get(context.Background(), uuid.MustParse(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if ref.PersonID != pid || ref.Assessment.Level != "beginner" || ref.Commune != "16015" || ref.AgeBand != referral.Age70Plus {
		t.Fatalf("stored referral = %+v", ref)
	}

	// The print view is the library's sheet, with a CSP that allows its style only.
	sheet := c.get("/referrals/" + m[1] + "/sheet")
	wantStatus(t, sheet, http.StatusOK)
	wantContains(t, sheet.Body, "<!DOCTYPE html>", "carte Vitale", m[1])
	if csp := sheet.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
		t.Fatalf("sheet CSP = %q", csp)
	}

	// Printed with a name: on the sheet, nowhere in the store.
	named := c.post("/referrals/"+m[1]+"/sheet", url.Values{"name": {"Mme <Dupont>"}})
	wantStatus(t, named, http.StatusOK)
	wantContains(t, named.Body, "Mme &lt;Dupont&gt;")
	stored, _ := d.Store.Get(context.Background(), uuid.MustParse(m[1]))
	if b, _ := json.Marshal(stored); strings.Contains(string(b), "Dupont") {
		t.Fatal("the printed name reached the store")
	}
	wantStatus(t, c.postRaw("/referrals/"+m[1]+"/sheet", url.Values{"name": {"x"}}), http.StatusForbidden)

	// The follow-up lists it among the open referrals, with a status form.
	fu := c.get("/followup")
	wantStatus(t, fu, http.StatusOK)
	wantContains(t, fu.Body, `<table id="due"`, `<table id="open"`, `<tr data-referral-id="`+m[1]+`"`, `<form class="status`)

	// The person's history shows the level.
	hist := c.get("/persons/" + pid)
	wantStatus(t, hist, http.StatusOK)
	wantContains(t, hist.Body, `data-level="beginner"`, `<svg id="levels-chart"`, `<tr data-referral-id="`+m[1]+`"`)
}

func TestCallEnglish(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	path, _ := startCall(t, c)
	en := c.get(path + "?lang=en")
	wantContains(t, en.Body, `<html lang="en">`, `Question 1`)
	page := triageThrough(t, c, path, beginnerAnswers)
	wantContains(t, page.Body, `Triage result`, `beginner`)
	c.get("/call?lang=fr")
}

func TestCallUnknownAndAmbiguousCommune(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	path, _ := startCall(t, c)
	triageThrough(t, c, path, beginnerAnswers)

	res := c.post(path+"/where", url.Values{"commune": {"Zzyzxqwvbn"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Commune inconnue : « Zzyzxqwvbn »", `value="Zzyzxqwvbn"`)

	res = c.post(path+"/where", url.Values{"commune": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "saisissez le nom ou le code postal")

	res = c.post(path+"/where", url.Values{"commune": {"Angoulême"}, "need": {"fly_to_the_moon"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "need: &#34;fly_to_the_moon&#34; is not one of")

	// Several communes bear the name: the teleadvisor picks one.
	res = c.post(path+"/where", url.Values{"commune": {"Saint-Denis"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Commune ambiguë", `<fieldset id="suggestions">`)
	pick := regexp.MustCompile(`<button type="submit" name="commune" value="([^"]+)">Saint-Denis \(93`).FindStringSubmatch(res.Body)
	if pick == nil {
		t.Fatalf("Saint-Denis (93) is not offered:\n%s", res.Body)
	}
	wantStatus(t, c.post(path+"/where", url.Values{"commune": {pick[1]}}), http.StatusSeeOther)
	wantContains(t, c.get(path).Body, "Aides proposées près de Saint-Denis")

	// A typo is forgiven.
	res = c.post(path+"/where", url.Values{"commune": {"Angoulem"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, c.get(path).Body, "Aides proposées près de Angoulême")
}

func TestCallBadAnswersAndOwnership(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	path, _ := startCall(t, c)
	res := c.post(path+"/answer", url.Values{"item": {"device"}, "answer": {"a_typewriter"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Réponse refusée", `<form id="question"`)
	res = c.post(path+"/answer", url.Values{"item": {"no_such_item"}, "answer": {"x"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Question inconnue : « no_such_item »")
	// Recording before any proposal.
	res = c.post(path+"/record", url.Values{"choice": {"mediation_place|x"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "Rien à enregistrer")
	// Another account cannot open this call.
	wantStatus(t, d.As(store.RoleAdmin).get(path), http.StatusNotFound)
	// A forged or missing CSRF token is refused.
	wantStatus(t, c.postRaw(path+"/answer", url.Values{"item": {"device"}, "answer": {"no_device"}, "csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, c.postRaw(path+"/answer", url.Values{"item": {"device"}, "answer": {"no_device"}}), http.StatusForbidden)
	// A bad person id.
	bad := c.get("/call?person=not-a-uuid")
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad.Body, "« not-a-uuid » n&#39;est pas un UUID")
}

func TestCommunesSuggestions(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	res := c.get("/api/communes?q=" + url.QueryEscape("angoulem"))
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Communes []communeOption `json:"communes"`
	}
	res.JSON(t, &out)
	if len(out.Communes) == 0 || out.Communes[0].Code != "16015" || out.Communes[0].Label != "Angoulême 16000" {
		t.Fatalf("suggestions = %+v", out.Communes)
	}
	empty := c.get("/api/communes?q=")
	wantStatus(t, empty, http.StatusOK)
	wantContains(t, empty.Body, `"communes": []`)
	long := c.get("/api/communes?q=" + strings.Repeat("a", 300))
	wantStatus(t, long, http.StatusBadRequest)
	wantContains(t, long.Body, "q: at most 256 bytes")
	wantStatus(t, d.Anon.get("/api/communes?q=paris"), http.StatusUnauthorized)
}

func TestRolesOnDeskScreens(t *testing.T) {
	_, d := newTestServer(t)
	amb := d.As(store.RoleAmbassador)
	res := amb.get("/call")
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, res.Body, "Cette page est réservée au rôle : téléconseiller·ère.")
	wantStatus(t, amb.get("/followup"), http.StatusForbidden)
	wantStatus(t, d.As(store.RoleTeleadvisor).get("/actions"), http.StatusForbidden)
	wantStatus(t, d.As(store.RoleCoordinator).get("/call"), http.StatusForbidden)
	wantStatus(t, d.As(store.RoleAdmin).get("/actions"), http.StatusOK)
	res = d.Anon.get("/followup")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/login?next=%2Ffollowup" {
		t.Fatalf("signed out /followup → %q", res.Location())
	}
}

func TestCallChangeAnAnswer(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	path, _ := startCall(t, c)
	page := triageThrough(t, c, path, beginnerAnswers)
	wantContains(t, page.Body, `data-level="beginner"`, `<details id="answers"`, `href="`+path+`?edit=internet_use"`)
	wantStatus(t, c.post(path+"/where", url.Values{"commune": {"Cognac"}}), http.StatusSeeOther)
	// "Actually, I go online every day": the question comes back...
	edit := c.get(path + "?edit=internet_use")
	wantStatus(t, edit, http.StatusOK)
	wantContains(t, edit.Body, `<form id="question"`, `name="item" value="internet_use"`, "Modifier une réponse")
	if strings.Contains(edit.Body, `<section id="proposals"`) {
		t.Fatal("proposals shown while an answer is being changed")
	}
	// ...the questions it opens are asked, and the result is computed again.
	wantStatus(t, c.post(path+"/answer", url.Values{"item": {"internet_use"}, "answer": {"daily"}}), http.StatusSeeOther)
	after := c.get(path)
	if strings.Contains(after.Body, `<section id="proposals"`) {
		t.Fatal("the old proposals survive a changed answer")
	}
	wantContains(t, after.Body, `<form id="question"`)
	answers := map[string][]string{"procedures": {"alone"}, "email": {"uses"}}
	for k, v := range beginnerAnswers {
		if _, ok := answers[k]; !ok {
			answers[k] = v
		}
	}
	final := triageThrough(t, c, path, answers)
	if strings.Contains(final.Body, `data-level="beginner"`) {
		t.Fatal("the level did not change with the answers")
	}
	// An item never answered cannot be "changed".
	wantContains(t, c.get(path+"?edit=nonsense").Body, `<section id="result"`)
}
