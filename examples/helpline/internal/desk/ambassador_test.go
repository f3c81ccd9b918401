package desk

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

func TestActionsInUnderAMinute(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleAmbassador)
	page := c.get("/actions")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<form id="action"`, `<label for="action-type">`, `value="2025-03-11"`,
		`<option value="stand_ouverture_compte" selected>stand d&#39;ouverture de compte</option>`)

	res := c.post("/actions", url.Values{"type": {"stand_ouverture_compte"}, "date": {"2025-03-11"}, "commune": {"Angoulem"},
		"duration_minutes": {"180"}, "people_sensitised": {"25"}, "accounts_activated": {"9"}, "referrals_made": {"2"}})
	wantStatus(t, res, http.StatusSeeOther)
	list := c.follow(res)
	wantContains(t, list.Body, "Action enregistrée.", "<td>Angoulême</td>", "<td>25</td>")
	as, _, err := d.Store.ListActions(context.Background(), mediation.ActionFilter{})
	if err != nil || len(as) != 1 || as[0].Commune != "16015" || as[0].AccountsActivated != 9 || as[0].Region != "75" {
		t.Fatalf("stored actions = %+v, %v", as, err)
	}

	// Bad input keeps what was typed and says which field.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"type": {"barbecue"}, "date": {"2025-03-11"}, "commune": {"Cognac"}}, "type : « barbecue » n&#39;est pas un type d&#39;action."},
		{url.Values{"type": {"webinaire"}, "date": {"11/03/2025"}, "commune": {"Cognac"}}, "date : « 11/03/2025 » n&#39;est pas une date"},
		{url.Values{"type": {"webinaire"}, "date": {"2025-04-01"}, "commune": {"Cognac"}}, "est dans le futur"},
		{url.Values{"type": {"webinaire"}, "date": {"2025-03-11"}, "commune": {"Cognac"}, "people_sensitised": {"beaucoup"}}, "Personnes sensibilisées : « beaucoup »"},
		{url.Values{"type": {"webinaire"}, "date": {"2025-03-11"}}, "indiquez la commune, ou cochez « à distance »"},
		{url.Values{"type": {"webinaire"}, "date": {"2025-03-11"}, "commune": {"Xqzwvk"}}, "Commune inconnue"},
		{url.Values{"type": {"webinaire"}, "date": {"2025-03-11"}, "remote": {"1"}, "people_sensitised": {"3"}, "accounts_activated": {"5"}}, "accounts_activated"},
	} {
		res := c.post("/actions", tc.form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.Body, tc.want, `<form id="action"`)
	}
	// Remote actions need no commune.
	wantStatus(t, c.post("/actions", url.Values{"type": {"webinaire"}, "date": {"2025-03-10"}, "remote": {"1"}, "people_sensitised": {"40"}}), http.StatusSeeOther)
}

func TestQuestionsEscapedAndAnswered(t *testing.T) {
	_, d := newTestServer(t)
	ctx := context.Background()
	evil := `<script>alert("x")</script> Que faire si le code SMS n'arrive pas ?`
	q := mediation.Question{ID: uuid.New(), Region: "75", AskedAt: testStart.Add(-time.Hour), Text: evil, Status: mediation.QuestionOpen}
	if err := d.Store.SaveQuestion(ctx, q); err != nil {
		t.Fatal(err)
	}
	c := d.As(store.RoleAmbassador)
	page := c.get("/questions")
	wantStatus(t, page, http.StatusOK)
	if regexp.MustCompile(`<script>alert`).MatchString(page.Body) {
		t.Fatal("a question's text reached the page unescaped")
	}
	wantContains(t, page.Body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, `data-question-id="`+q.ID.String()+`"`)

	path := "/questions/" + q.ID.String() + "/answer"
	empty := c.post(path, url.Values{"answer": {"  "}, "version": {"1"}})
	wantStatus(t, empty, http.StatusUnprocessableEntity)
	wantContains(t, empty.Body, "réponse : écrivez une réponse.")
	res := c.post(path, url.Values{"answer": {"Vérifier le numéro dans le compte ameli, puis <b>renvoyer</b> le code."}, "version": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	after := c.follow(res)
	wantContains(t, after.Body, "Réponse enregistrée.", "&lt;b&gt;renvoyer&lt;/b&gt;")
	stale := c.post(path, url.Values{"answer": {"Autre"}, "version": {"1"}})
	wantStatus(t, stale, http.StatusConflict)
	wantContains(t, stale.Body, "Quelqu&#39;un d&#39;autre vient de modifier")
	wantStatus(t, c.post("/questions/"+uuid.NewString()+"/answer", url.Values{"answer": {"x"}, "version": {"1"}}), http.StatusNotFound)

	// Asking: a phone number is refused, a plain question is kept.
	bad := c.post("/questions", url.Values{"question": {"Rappelez Mme X au 06 12 34 56 78"}, "region": {"75"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, "question : contient un courriel ou un numéro de téléphone")
	wantStatus(t, c.post("/questions", url.Values{"question": {"Un mineur peut-il activer seul ?"}, "region": {"99x"}}), http.StatusUnprocessableEntity)
	ok := c.post("/questions", url.Values{"question": {"Un mineur peut-il activer seul ?"}, "region": {"75"}})
	wantStatus(t, ok, http.StatusSeeOther)
	wantContains(t, c.follow(ok).Body, "Un mineur peut-il activer seul ?")
	// A coordinator may read and answer; a teleadvisor may not.
	wantStatus(t, d.As(store.RoleCoordinator).get("/questions"), http.StatusOK)
	wantStatus(t, d.As(store.RoleTeleadvisor).get("/questions"), http.StatusForbidden)
}
