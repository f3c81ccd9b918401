package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

var day = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func ambassador(i int, region, dep string, status mediation.AmbassadorStatus) mediation.Ambassador {
	return mediation.Ambassador{
		ID: uuid.New(), Handle: fmt.Sprintf("amb-%d", i), Region: region, Kind: mediation.KindDigitalAdviser,
		Departements: []string{dep}, PlaceIDs: []string{fmt.Sprintf("place-%d", i%3)},
		Status: status, JoinedAt: day, StatusSince: day,
	}
}

func action(i int, dep, region string, typ mediation.ActionType) mediation.Action {
	return mediation.Action{
		ID: mediation.ExternalUUID(mediation.SourceCoop, fmt.Sprint(i)), Source: mediation.SourceCoop, ExternalID: fmt.Sprint(i),
		Type: typ, Date: day.Add(time.Duration(i) * time.Hour), DurationMinutes: 60,
		Commune: dep + "555", Departement: dep, Region: region, PeopleSensitised: 10, AccountsActivated: 3,
	}
}

func TestNetworkAmbassadors(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	var saved []mediation.Ambassador
	for i := range 25 {
		a := ambassador(i, "76", "31", mediation.AmbassadorActive)
		if i%5 == 0 {
			a.Region, a.Departements, a.Status = "11", []string{"75"}, mediation.AmbassadorPaused
		}
		if err := s.SaveAmbassador(ctx, a); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, a)
	}
	// A retried save of a changed copy changes nothing.
	again := saved[1]
	again.Handle = "renamed"
	if err := s.SaveAmbassador(ctx, again); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetAmbassador(ctx, saved[1].ID)
	if err != nil || got.Handle != "amb-1" || got.Version != 1 {
		t.Errorf("after a retried save: %+v %v, want the first copy at version 1", got, err)
	}
	for _, tc := range []struct {
		name string
		f    mediation.AmbassadorFilter
		want int
	}{
		{"all", mediation.AmbassadorFilter{}, 25},
		{"région", mediation.AmbassadorFilter{Region: "76"}, 20},
		{"département", mediation.AmbassadorFilter{Departement: "75"}, 5},
		{"status", mediation.AmbassadorFilter{Status: []mediation.AmbassadorStatus{mediation.AmbassadorPaused}}, 5},
		{"place (in Go)", mediation.AmbassadorFilter{PlaceID: "place-0"}, 9},
		{"nothing", mediation.AmbassadorFilter{Region: "76", Status: []mediation.AmbassadorStatus{mediation.AmbassadorLeft}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Pages of 4: the cursor walks them all, in id order.
			f := tc.f
			f.Limit = 4
			var all []mediation.Ambassador
			for pages := 0; ; pages++ {
				page, next, err := s.ListAmbassadors(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page...)
				if next == "" {
					break
				}
				if pages > 20 {
					t.Fatal("no end of pages")
				}
				f.Cursor = next
			}
			if len(all) != tc.want {
				t.Errorf("%d ambassadors, want %d", len(all), tc.want)
			}
			for i := range all {
				if !tc.f.Matches(&all[i]) || i > 0 && all[i-1].ID.String() >= all[i].ID.String() {
					t.Errorf("ambassador %d %s out of filter or order", i, all[i].ID)
				}
			}
		})
	}
	// Optimistic update: the second writer on version 1 is refused.
	a, b := got, got
	if err := a.SetStatus(mediation.AmbassadorLeft, day.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateAmbassador(ctx, &a); err != nil || a.Version != 2 {
		t.Fatalf("UpdateAmbassador: %v, version %d", err, a.Version)
	}
	b.Handle = "late"
	if err := s.UpdateAmbassador(ctx, &b); !errors.Is(err, mediation.ErrConflict) {
		t.Errorf("stale update: %v, want ErrConflict", err)
	}
	missing := ambassador(99, "76", "31", mediation.AmbassadorActive)
	missing.Version = 1
	if err := s.UpdateAmbassador(ctx, &missing); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("update of an unknown ambassador: %v, want ErrNotFound", err)
	}
	if _, err := s.GetAmbassador(ctx, missing.ID); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("get of an unknown ambassador: %v, want ErrNotFound", err)
	}
	stored, _ := s.GetAmbassador(ctx, a.ID)
	if stored.Status != mediation.AmbassadorLeft || stored.Version != 2 {
		t.Errorf("stored %+v, want left at version 2", stored)
	}
	bad := ambassador(100, "76", "31", mediation.AmbassadorActive)
	bad.JoinedAt = time.Now().Add(48 * time.Hour)
	if err := s.SaveAmbassador(ctx, bad); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("ambassador joining in the future: %v, want ErrInvalidRecord", err)
	}
}

func TestNetworkActionsAllOrNothingAndIdempotent(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	var batch []mediation.Action
	for i := range 30 {
		dep, region := "31", "76"
		if i%3 == 0 {
			dep, region = "34", "76"
		}
		batch = append(batch, action(i, dep, region, mediation.ActionActivationWorkshop))
	}
	bad := append([]mediation.Action(nil), batch...)
	bad[17].PeopleSensitised = -2
	if n, err := s.SaveActions(ctx, bad); !errors.Is(err, mediation.ErrInvalidRecord) || n != 0 {
		t.Fatalf("batch with a negative count: %d, %v; want nothing and ErrInvalidRecord", n, err)
	}
	if page, _, _ := s.ListActions(ctx, mediation.ActionFilter{}); len(page) != 0 {
		t.Fatalf("%d actions stored from a refused batch", len(page))
	}
	if n, err := s.SaveActions(ctx, batch[:20]); err != nil || n != 20 {
		t.Fatalf("SaveActions: %d, %v", n, err)
	}
	// The same file imported again, with ten more rows: ten are new.
	if n, err := s.SaveActions(ctx, batch); err != nil || n != 10 {
		t.Errorf("second import: %d new, %v; want 10", n, err)
	}
	for _, tc := range []struct {
		name string
		f    mediation.ActionFilter
		want int
	}{
		{"all", mediation.ActionFilter{}, 30},
		{"département", mediation.ActionFilter{Departements: []string{"34"}}, 10},
		{"period", mediation.ActionFilter{From: day.Add(5 * time.Hour), To: day.Add(10 * time.Hour)}, 5},
		{"source", mediation.ActionFilter{Source: mediation.SourceCoop, Region: "76"}, 30},
		{"type", mediation.ActionFilter{Types: []mediation.ActionType{mediation.ActionWebinar}}, 0},
	} {
		page, next, err := s.ListActions(ctx, tc.f)
		if err != nil || len(page) != tc.want || next != "" {
			t.Errorf("%s: %d actions (next %q, %v), want %d", tc.name, len(page), next, err, tc.want)
		}
	}
	// A fixed pseudonymous id: mediation flags a quarter of random UUIDs as
	// phone numbers (reported).
	acc := mediation.Accompaniment{ID: uuid.New(), ActionID: batch[0].ID, PersonID: "pers-a1f3", Date: day,
		DurationMinutes: 30, Channel: mediation.ChannelRemote, Region: "76"}
	if n, err := s.SaveAccompaniments(ctx, []mediation.Accompaniment{acc, acc}); err != nil || n != 1 {
		t.Errorf("SaveAccompaniments of one record twice: %d, %v", n, err)
	}
	if page, _, err := s.ListAccompaniments(ctx, mediation.AccompanimentFilter{ActionID: batch[0].ID}); err != nil || len(page) != 1 || page[0].PersonID != acc.PersonID {
		t.Errorf("ListAccompaniments: %+v %v", page, err)
	}
}

func TestNetworkCoordinatorsTrainingsQuestions(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	c := mediation.Coordinator{ID: uuid.New(), Region: "76", HostKind: mediation.HostGRADeS, HostName: "GRADeS Occitanie", CreatedAt: day}
	if err := s.SaveCoordinator(ctx, c); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.ListCoordinators(ctx, "76"); err != nil || len(cs) != 1 || cs[0].HostName != c.HostName {
		t.Errorf("ListCoordinators: %+v %v", cs, err)
	}
	if cs, _ := s.ListCoordinators(ctx, "11"); len(cs) != 0 {
		t.Errorf("coordinators of another région: %+v", cs)
	}
	amb := uuid.New()
	for i, m := range []string{mediation.ModuleMonEspaceSante, "Pix", mediation.ModuleMonEspaceSante} {
		tr := mediation.Training{ID: uuid.New(), AmbassadorID: amb, Module: m, Date: day.Add(time.Duration(i) * time.Hour)}
		if err := s.SaveTraining(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	if ts, _, err := s.ListTrainings(ctx, mediation.TrainingFilter{AmbassadorID: amb, Module: mediation.ModuleMonEspaceSante}); err != nil || len(ts) != 2 {
		t.Errorf("trainings: %d %v, want 2", len(ts), err)
	}
	texts := []struct{ q, a string }{
		{"Comment activer le compte d'un mineur ?", "Le représentant légal active le profil depuis son propre compte."},
		{"Le code SMS n'arrive pas", "Vérifier le numéro enregistré à la CPAM, puis renvoyer le code."},
		{"Activer sans carte Vitale ?", ""},
	}
	var qs []mediation.Question
	for i, x := range texts {
		q := mediation.Question{ID: uuid.New(), CoordinatorID: c.ID, Region: "76", AskedAt: day.Add(time.Duration(i) * time.Hour),
			Text: x.q, Status: mediation.QuestionOpen, Tags: []string{"activation"}}
		if err := s.SaveQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		q.Version = 1
		qs = append(qs, q)
	}
	for i := range 2 {
		qs[i].Reply(texts[i].a, day.Add(48*time.Hour))
		if err := s.UpdateQuestion(ctx, &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	faq, err := s.SearchFAQ(ctx, "activer mineur", 0)
	if err != nil || len(faq) != 1 || faq[0].ID != qs[0].ID {
		t.Errorf("SearchFAQ: %+v %v, want the minor's question", faq, err)
	}
	if all, _ := s.SearchFAQ(ctx, "", 0); len(all) != 2 {
		t.Errorf("SearchFAQ of nothing: %d, want the 2 answered", len(all))
	}
	open, _, err := s.ListQuestions(ctx, mediation.QuestionFilter{Status: mediation.QuestionOpen, Tag: "Activation"})
	if err != nil || len(open) != 1 || open[0].ID != qs[2].ID {
		t.Errorf("open questions tagged activation: %+v %v", open, err)
	}
	if _, _, err := s.ListQuestions(ctx, mediation.QuestionFilter{Cursor: "not-an-id"}); err == nil {
		t.Error("a bad cursor: no error")
	}
}

// Eight writers, each with its own pool, add places to one ambassador:
// none is lost, the late writers get ErrConflict and retry.
func TestNetworkEightPoolsNoLostUpdate(t *testing.T) {
	url, schema := freshSchema(t)
	first := openIn(t, url, schema)
	a := ambassador(0, "76", "31", mediation.AmbassadorActive)
	if err := first.SaveAmbassador(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	const writers, updates = 8, 5
	var wg sync.WaitGroup
	var conflicts atomic.Int64
	for w := range writers {
		s := openIn(t, url, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range updates {
				for {
					cur, err := s.GetAmbassador(context.Background(), a.ID)
					if err != nil {
						t.Errorf("writer %d: %v", w, err)
						return
					}
					cur.PlaceIDs = append(cur.PlaceIDs, fmt.Sprintf("w%du%d", w, u))
					err = s.UpdateAmbassador(context.Background(), &cur)
					if err == nil {
						break
					}
					if !errors.Is(err, mediation.ErrConflict) {
						t.Errorf("writer %d: %v", w, err)
						return
					}
					conflicts.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	got, err := first.GetAmbassador(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.PlaceIDs) != 1+writers*updates || got.Version != 1+writers*updates {
		t.Errorf("%d places at version %d, want %d at version %d", len(got.PlaceIDs), got.Version, 1+writers*updates, 1+writers*updates)
	}
	if n := queryInt(t, url, schema, "SELECT count(*) FROM outbox WHERE kind = $1", store.KindAmbassadorUpdated); n != writers*updates {
		t.Errorf("%d update events, want %d", n, writers*updates)
	}
	t.Logf("%d conflicts reported and retried", conflicts.Load())
}
