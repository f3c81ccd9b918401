package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

func networkTests() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"NetworkCoordinators", testCoordinators},
		{"NetworkAmbassadors", testAmbassadors},
		{"NetworkTrainings", testTrainings},
		{"NetworkActions", testActions},
		{"NetworkActionsAllOrNothing", testActionsAllOrNothing},
		{"NetworkAccompaniments", testAccompaniments},
		{"NetworkQuestions", testQuestions},
		{"NetworkPurge", testNetworkPurge},
	}
}

// netDay is a past day at midnight UTC: records dated in the future are
// refused by the stores' clock.
func netDay(i int) time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i) }

// pageAll follows cursors to the end, checking page sizes.
func pageAll[T any](t *testing.T, limit int, list func(cursor string) ([]T, string, error)) []T {
	t.Helper()
	var out []T
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("cursor loops")
		}
		page, next, err := list(cursor)
		if err != nil {
			t.Fatalf("list (cursor %q): %v", cursor, err)
		}
		if limit > 0 && len(page) > limit {
			t.Errorf("page of %d, limit %d", len(page), limit)
		}
		out = append(out, page...)
		if next == "" {
			return out
		}
		cursor = next
	}
}

// expect returns the records of all that pass match, in id order.
func expect[T any](all []T, id func(*T) uuid.UUID, match func(*T) bool) []string {
	var out []string
	for i := range all {
		if match(&all[i]) {
			out = append(out, id(&all[i]).String())
		}
	}
	slices.Sort(out)
	return out
}

func idsOf[T any](rs []T, id func(*T) uuid.UUID) []string {
	out := make([]string, len(rs))
	for i := range rs {
		out[i] = id(&rs[i]).String()
	}
	return out
}

func kindsOf(evs []store.Event) map[string]int {
	m := map[string]int{}
	for _, e := range evs {
		m[e.Kind]++
	}
	return m
}

// noText checks that an event payload holds none of the given strings.
func noText(t *testing.T, e store.Event, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if x != "" && strings.Contains(string(e.Payload), x) {
			t.Errorf("event %s payload %s holds %q", e.Kind, e.Payload, x)
		}
	}
}

func testCoordinators(t *testing.T, s store.Store) {
	var cs []mediation.Coordinator
	for i, reg := range []string{"76", "76", "53", "11"} {
		cs = append(cs, mediation.Coordinator{ID: uuid.New(), Region: reg, HostKind: mediation.HostGRADeS, HostName: fmt.Sprintf("GRADeS %d", i), Handle: fmt.Sprintf("coord-%d", i), CreatedAt: netDay(i)})
	}
	for _, c := range cs {
		if err := s.SaveCoordinator(ctx(t), c); err != nil {
			t.Fatalf("SaveCoordinator: %v", err)
		}
	}
	if err := s.SaveCoordinator(ctx(t), cs[0]); err != nil {
		t.Errorf("SaveCoordinator again: %v", err)
	}
	got, err := s.GetCoordinator(ctx(t), cs[1].ID)
	if err != nil || jsonOf(t, got) != jsonOf(t, cs[1]) {
		t.Errorf("GetCoordinator: %+v %v", got, err)
	}
	if _, err := s.GetCoordinator(ctx(t), uuid.New()); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("GetCoordinator unknown: %v", err)
	}
	bad := cs[0]
	bad.ID, bad.Region = uuid.New(), "Occitanie"
	if err := s.SaveCoordinator(ctx(t), bad); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("SaveCoordinator invalid: %v", err)
	}
	for _, reg := range []string{"", "76", "84"} {
		list, err := s.ListCoordinators(ctx(t), reg)
		if err != nil {
			t.Fatal(err)
		}
		want := expect(cs, func(c *mediation.Coordinator) uuid.UUID { return c.ID }, func(c *mediation.Coordinator) bool { return reg == "" || c.Region == reg })
		if g := idsOf(list, func(c *mediation.Coordinator) uuid.UUID { return c.ID }); !slices.Equal(g, want) {
			t.Errorf("ListCoordinators(%q) = %v, want %v", reg, g, want)
		}
	}
	if n := kindsOf(allPending(t, s))[store.KindCoordinatorCreated]; n != len(cs) {
		t.Errorf("%d coordinator events, want %d", n, len(cs))
	}
}

func ambassadorFixture() []mediation.Ambassador {
	kinds := []mediation.AmbassadorKind{mediation.KindPharmacist, mediation.KindDigitalAdviser, mediation.KindCPAMAgent}
	var as []mediation.Ambassador
	for i := range 14 {
		a := mediation.Ambassador{
			ID: uuid.New(), Handle: fmt.Sprintf("amb-%02d", i), Region: "76", Kind: kinds[i%3],
			Communes: []string{"12202"}, Departements: []string{"12"}, Status: mediation.AmbassadorActive,
			JoinedAt: netDay(i), StatusSince: netDay(i),
		}
		if i%2 == 1 {
			a.Region, a.Communes, a.Departements = "84", []string{"69123"}, nil
			a.PlaceIDs = []string{"place-lyon"}
		}
		as = append(as, a)
	}
	return as
}

func testAmbassadors(t *testing.T, s store.Store) {
	as := ambassadorFixture()
	for i := range as {
		if err := s.SaveAmbassador(ctx(t), as[i]); err != nil {
			t.Fatalf("SaveAmbassador %d: %v", i, err)
		}
		as[i].Version = 1
	}
	if err := s.SaveAmbassador(ctx(t), as[0]); err != nil {
		t.Errorf("SaveAmbassador again: %v", err)
	}
	got, err := s.GetAmbassador(ctx(t), as[3].ID)
	if err != nil || jsonOf(t, got) != jsonOf(t, as[3]) {
		t.Errorf("GetAmbassador:\n got %s %v\nwant %s", jsonOf(t, got), err, jsonOf(t, as[3]))
	}
	if _, err := s.GetAmbassador(ctx(t), uuid.New()); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("GetAmbassador unknown: %v", err)
	}

	// A status change: version, event and journal.
	a := as[2]
	stale := a
	if err := a.SetStatus(mediation.AmbassadorPaused, netDay(40)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateAmbassador(ctx(t), &a); err != nil || a.Version != 2 {
		t.Fatalf("UpdateAmbassador: %v, version %d", err, a.Version)
	}
	as[2] = a
	stale.Languages = []string{"en"}
	if err := s.UpdateAmbassador(ctx(t), &stale); !errors.Is(err, mediation.ErrConflict) || stale.Version != 1 {
		t.Errorf("stale UpdateAmbassador: %v (version %d), want ErrConflict", err, stale.Version)
	}
	ghost := as[0]
	ghost.ID = uuid.New()
	if err := s.UpdateAmbassador(ctx(t), &ghost); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("UpdateAmbassador unknown: %v", err)
	}
	bad := as[4]
	bad.Kind = "astronaute"
	if err := s.UpdateAmbassador(ctx(t), &bad); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("UpdateAmbassador invalid: %v", err)
	}
	k := kindsOf(allPending(t, s))
	if k[store.KindAmbassadorCreated] != len(as) || k[store.KindAmbassadorStatusChanged] != 1 {
		t.Errorf("events %v", k)
	}
	for _, e := range allPending(t, s) {
		noText(t, e, "amb-")
	}
	es := allEntries(t, s)
	if len(es) != 1 || es[0].Action != store.JournalStatusChange || es[0].Subject != a.ID.String() {
		t.Errorf("journal %+v, want the status change", es)
	}

	id := func(a *mediation.Ambassador) uuid.UUID { return a.ID }
	for _, f := range []mediation.AmbassadorFilter{
		{}, {Limit: 3}, {Region: "84", Limit: 2}, {Departement: "12"}, {Departement: "69", Limit: 1},
		{PlaceID: "place-lyon"}, {Status: []mediation.AmbassadorStatus{mediation.AmbassadorPaused}},
		{Kind: []mediation.AmbassadorKind{mediation.KindPharmacist, mediation.KindCPAMAgent}, Limit: 4},
	} {
		got := pageAll(t, f.Limit, func(c string) ([]mediation.Ambassador, string, error) {
			f.Cursor = c
			return s.ListAmbassadors(ctx(t), f)
		})
		if g, w := idsOf(got, id), expect(as, id, f.Matches); !slices.Equal(g, w) {
			t.Errorf("ListAmbassadors(%+v):\n got %v\nwant %v", f, g, w)
		}
		for i := range got {
			j := slices.IndexFunc(as, func(a mediation.Ambassador) bool { return a.ID == got[i].ID })
			if jsonOf(t, got[i]) != jsonOf(t, as[j]) {
				t.Errorf("listed %s, stored %s", jsonOf(t, got[i]), jsonOf(t, as[j]))
			}
		}
	}
}

func testTrainings(t *testing.T, s store.Store) {
	amb := uuid.New()
	ts := []mediation.Training{
		{ID: uuid.New(), AmbassadorID: amb, Module: mediation.ModuleMonEspaceSante, Date: netDay(3), Provider: "CPAM", Pix: &mediation.PixResult{Score: 140, Date: netDay(2)}},
		{ID: uuid.New(), PlaceID: "place-1", Module: mediation.ModuleMonEspaceSante, Date: netDay(5)},
		{ID: uuid.New(), AmbassadorID: amb, Module: "Aidants Connect", Date: netDay(9)},
	}
	for _, tr := range append(ts, ts[0]) {
		if err := s.SaveTraining(ctx(t), tr); err != nil {
			t.Fatalf("SaveTraining: %v", err)
		}
	}
	bad := mediation.Training{ID: uuid.New(), Module: "x", Date: netDay(1)}
	if err := s.SaveTraining(ctx(t), bad); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("SaveTraining with nobody trained: %v", err)
	}
	id := func(t *mediation.Training) uuid.UUID { return t.ID }
	for _, f := range []mediation.TrainingFilter{{}, {AmbassadorID: amb, Limit: 1}, {PlaceID: "place-1"}, {Module: mediation.ModuleMonEspaceSante}} {
		got := pageAll(t, f.Limit, func(c string) ([]mediation.Training, string, error) {
			f.Cursor = c
			return s.ListTrainings(ctx(t), f)
		})
		if g, w := idsOf(got, id), expect(ts, id, f.Matches); !slices.Equal(g, w) {
			t.Errorf("ListTrainings(%+v) = %v, want %v", f, g, w)
		}
	}
	got, _, _ := s.ListTrainings(ctx(t), mediation.TrainingFilter{PlaceID: "place-1"})
	if len(got) != 1 || jsonOf(t, got[0]) != jsonOf(t, ts[1]) {
		t.Errorf("stored training %+v", got)
	}
	if n := kindsOf(allPending(t, s))[store.KindTrainingRecorded]; n != len(ts) {
		t.Errorf("%d training events, want %d", n, len(ts))
	}
}

func actionFixture(n int) []mediation.Action {
	types := []mediation.ActionType{mediation.ActionActivationWorkshop, mediation.ActionAccountStand, mediation.ActionWebinar}
	amb := uuid.MustParse("8d1c7e52-6a0b-4c1e-9b6e-0a1f2e3d4c5b")
	var as []mediation.Action
	for i := range n {
		ext := fmt.Sprintf("cra-%d", i)
		a := mediation.Action{
			ID: mediation.ExternalUUID(mediation.SourceCoop, ext), Source: mediation.SourceCoop, ExternalID: ext,
			Type: types[i%3], Date: netDay(i * 7), DurationMinutes: 90,
			Commune: "12202", Departement: "12", Region: "76", Organiser: "Centre social Rodez Nord",
			PeopleSensitised: 10 + i, AccountsActivated: i % 5, ReferralsMade: 1,
			Themes: []mediation.Theme{mediation.ThemeHealth},
		}
		if i%3 == 2 {
			a.Type, a.Commune, a.Departement, a.Remote = mediation.ActionWebinar, "", "", true
			a.ID, a.Source, a.ExternalID = uuid.New(), "", ""
		}
		if i%2 == 0 {
			a.AmbassadorIDs = []uuid.UUID{amb}
		}
		as = append(as, a)
	}
	return as
}

func testActions(t *testing.T, s store.Store) {
	as := actionFixture(20)
	n, err := s.SaveActions(ctx(t), as[:12])
	if err != nil || n != 12 {
		t.Fatalf("SaveActions: %d, %v; want 12 new", n, err)
	}
	// Importing again, with more: only the new ones count.
	n, err = s.SaveActions(ctx(t), as)
	if err != nil || n != 8 {
		t.Fatalf("SaveActions again: %d, %v; want 8 new", n, err)
	}
	if n, err = s.SaveActions(ctx(t), as); err != nil || n != 0 {
		t.Errorf("a third import: %d new, %v", n, err)
	}
	id := func(a *mediation.Action) uuid.UUID { return a.ID }
	amb := as[0].AmbassadorIDs[0]
	for _, f := range []mediation.ActionFilter{
		{}, {Limit: 6}, {Region: "76", Limit: 7}, {Departements: []string{"12", "46"}},
		{Types: []mediation.ActionType{mediation.ActionWebinar}}, {AmbassadorID: amb, Limit: 3},
		{Source: mediation.SourceCoop}, {From: netDay(30), To: netDay(90)}, {To: netDay(8)},
	} {
		got := pageAll(t, f.Limit, func(c string) ([]mediation.Action, string, error) {
			f.Cursor = c
			return s.ListActions(ctx(t), f)
		})
		if g, w := idsOf(got, id), expect(as, id, f.Matches); !slices.Equal(g, w) {
			t.Errorf("ListActions(%+v):\n got %v\nwant %v", f, g, w)
		}
	}
	got, _, err := s.ListActions(ctx(t), mediation.ActionFilter{Limit: 1000})
	if err != nil || len(got) != len(as) {
		t.Fatalf("ListActions: %d, %v", len(got), err)
	}
	for i := range got {
		j := slices.IndexFunc(as, func(a mediation.Action) bool { return a.ID == got[i].ID })
		if jsonOf(t, got[i]) != jsonOf(t, as[j]) {
			t.Errorf("listed %s\nstored %s", jsonOf(t, got[i]), jsonOf(t, as[j]))
		}
	}
	evs := allPending(t, s)
	if k := kindsOf(evs); k[store.KindActionRecorded] != len(as) {
		t.Errorf("events %v, want %d action.recorded", k, len(as))
	}
	for _, e := range evs {
		noText(t, e, "Centre social")
	}
}

func testActionsAllOrNothing(t *testing.T, s store.Store) {
	as := actionFixture(6)
	as[4].PeopleSensitised = -3
	_, err := s.SaveActions(ctx(t), as)
	if !errors.Is(err, mediation.ErrInvalidRecord) || !strings.Contains(err.Error(), "actions[4]") {
		t.Fatalf("SaveActions with a bad record: %v, want ErrInvalidRecord naming actions[4]", err)
	}
	got, _, err := s.ListActions(ctx(t), mediation.ActionFilter{})
	if err != nil || len(got) != 0 {
		t.Errorf("a refused batch stored %d actions (%v)", len(got), err)
	}
	if evs := allPending(t, s); len(evs) != 0 {
		t.Errorf("a refused batch left %d events", len(evs))
	}
	future := actionFixture(1)
	future[0].Date = time.Now().AddDate(0, 1, 0)
	if _, err := s.SaveActions(ctx(t), future); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("an action dated next month: %v, want refused", err)
	}
}

func testAccompaniments(t *testing.T, s store.Store) {
	amb := uuid.New()
	var as []mediation.Accompaniment
	for i := range 9 {
		ext := fmt.Sprintf("cra-%d", i/3)
		a := mediation.Accompaniment{
			ID: mediation.ExternalUUID(mediation.SourceCoop, ext, fmt.Sprint(i%3)), ActionID: mediation.ExternalUUID(mediation.SourceCoop, ext),
			Source: mediation.SourceCoop, ExternalID: ext, PersonID: fmt.Sprintf("pers-%c%c", 'a'+i, 'k'+i), Date: netDay(i * 10), DurationMinutes: 45,
			Channel: mediation.ChannelPlace, Commune: "46042", Departement: "46", Region: "76",
			Themes: []mediation.Theme{mediation.ThemeHealth}, Autonomy: mediation.AutonomyPartial, Redirected: true,
			RedirectedTo: "France services de Cahors", AgeBand: mediation.Age70Plus, Gender: mediation.GenderFemale, ResidenceCommune: "46102",
		}
		if i%2 == 0 {
			a.AmbassadorID = amb
		}
		as = append(as, a)
	}
	if n, err := s.SaveAccompaniments(ctx(t), as); err != nil || n != len(as) {
		t.Fatalf("SaveAccompaniments: %d %v", n, err)
	}
	if n, err := s.SaveAccompaniments(ctx(t), as[:4]); err != nil || n != 0 {
		t.Errorf("SaveAccompaniments again: %d %v", n, err)
	}
	bad := slices.Clone(as)
	bad = append(bad, as[0])
	bad[len(bad)-1].ID = uuid.New()
	bad[len(bad)-1].DurationMinutes = -5
	if _, err := s.SaveAccompaniments(ctx(t), bad); !errors.Is(err, mediation.ErrInvalidRecord) {
		t.Errorf("SaveAccompaniments with a bad one: %v", err)
	}
	id := func(a *mediation.Accompaniment) uuid.UUID { return a.ID }
	for _, f := range []mediation.AccompanimentFilter{
		{}, {Limit: 2}, {ActionID: as[3].ActionID}, {AmbassadorID: amb, Limit: 2}, {Region: "76"},
		{Departements: []string{"12"}}, {From: netDay(20), To: netDay(60), Limit: 1},
	} {
		got := pageAll(t, f.Limit, func(c string) ([]mediation.Accompaniment, string, error) {
			f.Cursor = c
			return s.ListAccompaniments(ctx(t), f)
		})
		if g, w := idsOf(got, id), expect(as, id, f.Matches); !slices.Equal(g, w) {
			t.Errorf("ListAccompaniments(%+v):\n got %v\nwant %v", f, g, w)
		}
	}
	evs := allPending(t, s)
	if k := kindsOf(evs); k[store.KindAccompanimentRecorded] != len(as) {
		t.Errorf("events %v", k)
	}
	for _, e := range evs {
		noText(t, e, "France services", as[0].PersonID)
	}
}

func testQuestions(t *testing.T, s store.Store) {
	coord := uuid.New()
	texts := []string{
		"Le code d'activation n'arrive pas par SMS : que faire ?",
		"Comment ajouter un enfant à Mon espace santé ?",
		"Où trouver le code provisoire d'activation ?",
		"Peut-on fermer un profil ?",
	}
	var qs []mediation.Question
	for i, text := range texts {
		q := mediation.Question{ID: uuid.New(), CoordinatorID: coord, Region: "76", AskedAt: netDay(i), Text: text, Tags: []string{"Activation"}, Status: mediation.QuestionOpen}
		if i == 3 {
			q.Region, q.Tags = "53", []string{"profil"}
		}
		if err := s.SaveQuestion(ctx(t), q); err != nil {
			t.Fatalf("SaveQuestion: %v", err)
		}
		q.Version = 1
		qs = append(qs, q)
	}
	if err := s.SaveQuestion(ctx(t), qs[0]); err != nil {
		t.Errorf("SaveQuestion again: %v", err)
	}
	for _, i := range []int{0, 2} {
		qs[i].Reply("Vérifier le numéro de portable déclaré à la CPAM, puis demander un nouveau code d'activation.", netDay(20+i))
		if err := s.UpdateQuestion(ctx(t), &qs[i]); err != nil || qs[i].Version != 2 {
			t.Fatalf("UpdateQuestion: %v (version %d)", err, qs[i].Version)
		}
	}
	stale := qs[0]
	stale.Version = 1
	if err := s.UpdateQuestion(ctx(t), &stale); !errors.Is(err, mediation.ErrConflict) {
		t.Errorf("stale UpdateQuestion: %v", err)
	}
	got, err := s.GetQuestion(ctx(t), qs[2].ID)
	if err != nil || jsonOf(t, got) != jsonOf(t, qs[2]) {
		t.Errorf("GetQuestion:\n got %s %v\nwant %s", jsonOf(t, got), err, jsonOf(t, qs[2]))
	}
	if _, err := s.GetQuestion(ctx(t), uuid.New()); !errors.Is(err, mediation.ErrNotFound) {
		t.Errorf("GetQuestion unknown: %v", err)
	}
	id := func(q *mediation.Question) uuid.UUID { return q.ID }
	for _, f := range []mediation.QuestionFilter{{}, {Status: mediation.QuestionAnswered}, {Region: "53"}, {Tag: "activation", Limit: 1}, {CoordinatorID: coord, Limit: 3}} {
		got := pageAll(t, f.Limit, func(c string) ([]mediation.Question, string, error) {
			f.Cursor = c
			return s.ListQuestions(ctx(t), f)
		})
		if g, w := idsOf(got, id), expect(qs, id, f.Matches); !slices.Equal(g, w) {
			t.Errorf("ListQuestions(%+v):\n got %v\nwant %v", f, g, w)
		}
	}
	for _, query := range []string{"code activation", "CODE d'ACTIVATION", "enfant", "", "portable"} {
		hits, err := s.SearchFAQ(ctx(t), query, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := mediation.RankFAQ(qs, query, 0)
		if g, w := idsOf(hits, id), idsOf(want, id); !slices.Equal(g, w) {
			t.Errorf("SearchFAQ(%q) = %v, want %v", query, g, w)
		}
	}
	evs := allPending(t, s)
	if k := kindsOf(evs); k[store.KindQuestionAsked] != 4 || k[store.KindQuestionAnswered] != 2 {
		t.Errorf("events %v", k)
	}
	for _, e := range evs {
		noText(t, e, "activation", "SMS", "portable")
		var p map[string]any
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Errorf("payload %s: %v", e.Payload, err)
		}
	}
}

func testNetworkPurge(t *testing.T, s store.Store) {
	as := actionFixture(10) // dated every 7 days from 2024-01-01
	if _, err := s.SaveActions(ctx(t), as); err != nil {
		t.Fatal(err)
	}
	acc := mediation.Accompaniment{ID: uuid.New(), Date: netDay(1), DurationMinutes: 30, Channel: mediation.ChannelRemote, Region: "76"}
	acc2 := acc
	acc2.ID, acc2.Date = uuid.New(), netDay(200)
	if _, err := s.SaveAccompaniments(ctx(t), []mediation.Accompaniment{acc, acc2}); err != nil {
		t.Fatal(err)
	}
	q := mediation.Question{ID: uuid.New(), Region: "76", AskedAt: netDay(0), Text: "Une question ancienne ?", Status: mediation.QuestionOpen}
	if err := s.SaveQuestion(ctx(t), q); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Purge(ctx(t), store.PurgeRequest{Before: netDay(21)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Actions != 3 || rep.Accompaniments != 1 {
		t.Errorf("purge report %+v, want 3 actions and 1 accompaniment", rep)
	}
	left, _, _ := s.ListActions(ctx(t), mediation.ActionFilter{})
	for _, a := range left {
		if a.Date.Before(netDay(21)) {
			t.Errorf("action of %v kept", a.Date)
		}
	}
	if len(left) != 7 {
		t.Errorf("%d actions left, want 7", len(left))
	}
	if _, err := s.GetQuestion(ctx(t), q.ID); err != nil {
		t.Errorf("the questions log is not purged: %v", err)
	}
	es := allEntries(t, s)
	var d map[string]any
	if err := json.Unmarshal(es[len(es)-1].Detail, &d); err != nil || d["actions"] != 3.0 || d["accompaniments"] != 1.0 {
		t.Errorf("purge journal detail %s", es[len(es)-1].Detail)
	}
}
