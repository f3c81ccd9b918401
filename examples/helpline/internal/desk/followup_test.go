package desk

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/store"
)

// recordReferral goes through a call and records the first choice; it
// returns the referral id and the person id.
func recordReferral(t *testing.T, c *testClient, commune string) (string, string) {
	t.Helper()
	path, pid := startCall(t, c)
	triageThrough(t, c, path, beginnerAnswers)
	wantStatus(t, c.post(path+"/where", url.Values{"commune": {commune}}), http.StatusSeeOther)
	page := c.get(path)
	ch := choiceRadio.FindStringSubmatch(page.Body)
	if ch == nil {
		t.Fatalf("nothing to choose:\n%s", page.Body)
	}
	res := c.post(path+"/record", url.Values{"choice": {ch[1]}})
	wantStatus(t, res, http.StatusSeeOther)
	m := referralURL.FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("record → %q", res.Location())
	}
	return m[1], pid
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestFollowupStatusInTwoClicks(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	id, _ := recordReferral(t, c, "Cognac")

	// Three days later the proposed referral is due for a call.
	d.Clock.Advance(3 * 24 * time.Hour)
	c = d.SignInAgain(store.RoleTeleadvisor)
	fu := c.get("/followup")
	wantStatus(t, fu, http.StatusOK)
	row := regexp.MustCompile(`(?s)<table id="due".*?<tr data-referral-id="` + id + `".*?proposée, sans réponse`)
	if !row.MatchString(fu.Body) {
		t.Fatalf("the referral is not due in table#due:\n%s", fu.Body)
	}
	// The form offers only the lifecycle's next statuses.
	wantContains(t, fu.Body, `<option value="accepted">acceptée</option>`, `<option value="declined">refusée</option>`)

	// Click 1: choose "accepted"; click 2: the button. Back to the list.
	res := c.post("/referrals/"+id+"/status", url.Values{"status": {"accepted"}, "version": {"1"}, "back": {"/followup"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/followup" {
		t.Fatalf("back to %q", res.Location())
	}
	wantContains(t, c.follow(res).Body, "Statut mis à jour.")
	ref, err := d.Store.Get(context.Background(), uuid.MustParse(id))
	if err != nil || ref.Status != "accepted" || ref.Version != 2 {
		t.Fatalf("stored = %+v, %v", ref, err)
	}

	// A second teleadvisor's page still shows version 1: conflict, said clearly.
	stale := c.post("/referrals/"+id+"/status", url.Values{"status": {"declined"}, "version": {"1"}})
	wantStatus(t, stale, http.StatusConflict)
	wantContains(t, stale.Body, "Quelqu&#39;un d&#39;autre vient de modifier", `data-status="accepted"`)
	if m := versionField.FindStringSubmatch(stale.Body); m == nil || m[1] != strconv.Itoa(2) {
		t.Fatalf("the reloaded form does not carry the new version: %v", m)
	}

	// Not a transition of the lifecycle.
	bad := c.post("/referrals/"+id+"/status", url.Values{"status": {"completed"}, "version": {"2"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, "on ne peut pas passer de « acceptée » à « terminée »")
	// Scheduling needs a date.
	bad = c.post("/referrals/"+id+"/status", url.Values{"status": {"scheduled"}, "version": {"2"}, "appointment": {"next tuesday"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, "rendez-vous : « next tuesday » n&#39;est pas une date")
	ok := c.post("/referrals/"+id+"/status", url.Values{"status": {"scheduled"}, "version": {"2"}, "appointment": {"2025-03-20"}})
	wantStatus(t, ok, http.StatusSeeOther)
	// Completion needs the autonomy reached.
	wantStatus(t, c.post("/referrals/"+id+"/status", url.Values{"status": {"attended"}, "version": {"3"}}), http.StatusSeeOther)
	bad = c.post("/referrals/"+id+"/status", url.Values{"status": {"completed"}, "version": {"4"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, "autonomie : choisissez")
	wantStatus(t, c.post("/referrals/"+id+"/status", url.Values{"status": {"completed"}, "version": {"4"}, "autonomy": {"autonome"}}), http.StatusSeeOther)
	// A completed referral leaves the open list.
	if regexp.MustCompile(`<tr data-referral-id="` + id + `"`).MatchString(c.get("/followup").Body) {
		t.Fatal("a completed referral is still listed")
	}
	// Unknown and malformed ids.
	wantStatus(t, c.get("/referrals/"+uuid.NewString()), http.StatusNotFound)
	res = c.get("/referrals/nope")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res.Body, "« nope » n&#39;est pas un UUID")
	// A forged token changes nothing.
	wantStatus(t, c.postRaw("/referrals/"+id+"/status", url.Values{"status": {"cancelled"}, "version": {"5"}, "csrf": {"x"}}), http.StatusForbidden)
}

func TestPersonHistoryLevelsOverTime(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	_, pid := recordReferral(t, c, "Angoulême")
	// A month later the same person calls back, now with e-mail and some practice.
	d.Clock.Advance(30 * 24 * time.Hour)
	c = d.SignInAgain(store.RoleTeleadvisor)
	res := c.get("/call?person=" + pid)
	wantStatus(t, res, http.StatusSeeOther)
	page := triageThrough(t, c, res.Location(), map[string][]string{
		"device": {"smartphone_only"}, "internet_use": {"weekly"}, "procedures": {"with_help"}, "email": {"uses"},
		"helper": {"relative"}, "health_accounts": {"ameli_only"}, "barriers": {"none"}, "forms_confidence": {"somewhat"},
	})
	wantContains(t, page.Body, `data-level="intermediate"`)
	wantStatus(t, c.post(res.Location()+"/where", url.Values{"commune": {"Angoulême"}}), http.StatusSeeOther)
	ch := choiceRadio.FindStringSubmatch(c.get(res.Location()).Body)
	wantStatus(t, c.post(res.Location()+"/record", url.Values{"choice": {ch[1]}}), http.StatusSeeOther)

	hist := c.get("/persons/" + pid)
	wantStatus(t, hist, http.StatusOK)
	levels := regexp.MustCompile(`<td data-level="([a-z_]+)">`).FindAllStringSubmatch(hist.Body, -1)
	if len(levels) != 2 || levels[0][1] != "beginner" || levels[1][1] != "intermediate" {
		t.Fatalf("levels over time = %v", levels)
	}
	wantContains(t, hist.Body, `<svg id="levels-chart"`, `<path d="M`)
	none := c.get("/persons/" + uuid.NewString())
	wantStatus(t, none, http.StatusNotFound)
	wantContains(t, none.Body, "Aucune orientation enregistrée")
	wantStatus(t, c.get("/persons/12"), http.StatusBadRequest)
}
