package desk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"golang.org/x/crypto/bcrypt"
)

// BenchmarkDesk measures the desk's handlers in process (no network), each
// beside the same run's baseline: GET /health, the cheapest route through
// the same middleware. Run: go test -run X -bench Desk ./examples/helpline/internal/desk/
func BenchmarkDesk(b *testing.B) {
	clock := &testClock{t: testStart}
	st := memory.New(&memory.Options{Now: clock.Now})
	defer st.Close()
	srv, err := New(Config{Store: st, Directory: demoDirectory(b), Now: clock.Now, BcryptCost: bcrypt.MinCost})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	ctx := context.Background()
	acc, err := AddUser(ctx, st, "bench", testPassword, []store.Role{store.RoleTeleadvisor}, "", bcrypt.MinCost, clock.Now())
	if err != nil {
		b.Fatal(err)
	}
	ss := srv.sessions.create(acc)
	cookie := &http.Cookie{Name: sessionCookie, Value: ss.ID}
	do := func(method, path string, form url.Values) *httptest.ResponseRecorder {
		var r *http.Request
		if form != nil {
			form.Set(csrfField, ss.CSRF)
			r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			r = httptest.NewRequest(method, path, nil)
		}
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	// 1,000 referrals of the last weeks for the follow-up page.
	in, _ := triage()
	res, err := in.Score(mustAnswers(b, in))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		p := &referral.Proposal{At: clock.Now(), RulesVersion: "bench", Pathways: []referral.ProposedPathway{{Pathway: referral.PathwayImmediateAnswer}}}
		ref, err := referral.NewReferral(p, referral.Request{Assessment: res, Person: referral.Person{ID: uuid.NewString(), Commune: "16015"}},
			referral.PathwayImmediateAnswer, "", referral.ActorDesk, clock.Now().Add(-time.Duration(i)*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Save(ctx, ref); err != nil {
			b.Fatal(err)
		}
	}
	c, err := srv.startCall(acc.ID, uuid.New())
	if err != nil {
		b.Fatal(err)
	}
	qPath := "/call/" + c.ID
	done, err := srv.startCall(acc.ID, uuid.New())
	if err != nil {
		b.Fatal(err)
	}
	for id, v := range beginnerAnswers {
		it, _ := in.Item(id)
		val, _ := parseAnswer(it, v)
		_ = done.session.Answer(id, val)
	}
	dPath := "/call/" + done.ID
	if w := do(http.MethodGet, dPath, nil); w.Code != http.StatusOK {
		b.Fatalf("call page: %d", w.Code)
	}
	if w := do(http.MethodPost, dPath+"/where", url.Values{"commune": {"Angoulême"}}); w.Code != http.StatusSeeOther {
		b.Fatalf("where: %d %s", w.Code, w.Body)
	}

	for _, bc := range []struct {
		name, method, path string
		form               func() url.Values
		want               int
	}{
		{"baseline_health", http.MethodGet, "/health", nil, http.StatusOK},
		{"question_page", http.MethodGet, qPath, nil, http.StatusOK},
		{"refer_commune", http.MethodPost, dPath + "/where", func() url.Values { return url.Values{"commune": {"Angoulême"}} }, http.StatusSeeOther},
		{"proposals_page", http.MethodGet, dPath, nil, http.StatusOK},
		{"communes_suggest", http.MethodGet, "/api/communes?q=angoulem", nil, http.StatusOK},
		{"followup_1000_open", http.MethodGet, "/followup", nil, http.StatusOK},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var form url.Values
				if bc.form != nil {
					form = bc.form()
				}
				if w := do(bc.method, bc.path, form); w.Code != bc.want {
					b.Fatalf("%s: %d", bc.path, w.Code)
				}
			}
		})
	}
}

func mustAnswers(b *testing.B, in *assessment.Instrument) *assessment.AnswerSet {
	a := in.NewAnswers()
	for id, v := range beginnerAnswers {
		it, _ := in.Item(id)
		val, err := parseAnswer(it, v)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Set(id, val); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkSignIn is the cost of one password check at the production
// bcrypt cost (12) beside bcrypt.MinCost in the same run: what the rate
// limit protects.
func BenchmarkSignIn(b *testing.B) {
	for _, cost := range []int{bcrypt.MinCost, 12} {
		h, err := bcrypt.GenerateFromPassword([]byte(testPassword), cost)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("cost_"+map[int]string{bcrypt.MinCost: "min", 12: "12"}[cost], func(b *testing.B) {
			for b.Loop() {
				if bcrypt.CompareHashAndPassword(h, []byte(testPassword)) != nil {
					b.Fatal("mismatch")
				}
			}
		})
	}
}
