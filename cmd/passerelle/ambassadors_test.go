package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// fakeNetwork keeps the network in memory for the CLI tests, following the
// NetworkStore contract (validation, idempotent saves, id order).
type fakeNetwork struct {
	*referral.MemoryStore
	mu       sync.Mutex
	ambs     map[uuid.UUID]mediation.Ambassador
	trains   map[uuid.UUID]mediation.Training
	actions  map[uuid.UUID]mediation.Action
	accs     map[uuid.UUID]mediation.Accompaniment
	opens    int
	pageSize int
}

func newFakeNetwork() *fakeNetwork {
	return &fakeNetwork{MemoryStore: referral.NewMemoryStore(nil), ambs: map[uuid.UUID]mediation.Ambassador{},
		trains: map[uuid.UUID]mediation.Training{}, actions: map[uuid.UUID]mediation.Action{}, accs: map[uuid.UUID]mediation.Accompaniment{}, pageSize: 2}
}

func (f *fakeNetwork) open(context.Context, *env, string) (networkBackend, error) {
	f.mu.Lock()
	f.opens++
	f.mu.Unlock()
	return f, nil
}

func (f *fakeNetwork) Close() error { return nil }

// page returns the records of m passing keep, in id order, a small page at
// a time so the commands' paging is exercised.
func page[T any](m map[uuid.UUID]T, cursor string, size int, keep func(*T) bool) ([]T, string) {
	ids := make([]uuid.UUID, 0, len(m))
	for id := range m {
		if mediation.AfterCursor(id, cursor) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	var out []T
	for _, id := range ids {
		v := m[id]
		if !keep(&v) {
			continue
		}
		if len(out) == size {
			return out, ids[slices.Index(ids, id)-1].String()
		}
		out = append(out, v)
	}
	return out, ""
}

func (f *fakeNetwork) SaveCoordinator(context.Context, mediation.Coordinator) error { return nil }
func (f *fakeNetwork) GetCoordinator(context.Context, uuid.UUID) (mediation.Coordinator, error) {
	return mediation.Coordinator{}, mediation.ErrNotFound
}
func (f *fakeNetwork) ListCoordinators(context.Context, string) ([]mediation.Coordinator, error) {
	return nil, nil
}

func (f *fakeNetwork) SaveAmbassador(_ context.Context, a mediation.Ambassador) error {
	if err := a.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.ambs[a.ID]; !ok {
		a.Version = 1
		f.ambs[a.ID] = a
	}
	return nil
}
func (f *fakeNetwork) UpdateAmbassador(_ context.Context, a *mediation.Ambassador) error {
	if err := a.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	old, ok := f.ambs[a.ID]
	switch {
	case !ok:
		return mediation.ErrNotFound
	case old.Version != a.Version:
		return mediation.ErrConflict
	}
	a.Version++
	f.ambs[a.ID] = *a
	return nil
}
func (f *fakeNetwork) GetAmbassador(_ context.Context, id uuid.UUID) (mediation.Ambassador, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.ambs[id]
	if !ok {
		return a, mediation.ErrNotFound
	}
	return a, nil
}
func (f *fakeNetwork) ListAmbassadors(_ context.Context, fl mediation.AmbassadorFilter) ([]mediation.Ambassador, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out, next := page(f.ambs, fl.Cursor, f.pageSize, fl.Matches)
	return out, next, nil
}
func (f *fakeNetwork) SaveTraining(_ context.Context, t mediation.Training) error {
	if err := t.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.trains[t.ID]; !ok {
		f.trains[t.ID] = t
	}
	return nil
}
func (f *fakeNetwork) ListTrainings(_ context.Context, fl mediation.TrainingFilter) ([]mediation.Training, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out, next := page(f.trains, fl.Cursor, f.pageSize, fl.Matches)
	return out, next, nil
}
func (f *fakeNetwork) SaveActions(_ context.Context, as []mediation.Action) (int, error) {
	if err := mediation.ValidateBatch("actions", as, time.Now()); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, a := range as {
		if _, ok := f.actions[a.ID]; !ok {
			f.actions[a.ID] = a
			n++
		}
	}
	return n, nil
}
func (f *fakeNetwork) ListActions(_ context.Context, fl mediation.ActionFilter) ([]mediation.Action, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out, next := page(f.actions, fl.Cursor, f.pageSize, fl.Matches)
	return out, next, nil
}
func (f *fakeNetwork) SaveAccompaniments(_ context.Context, as []mediation.Accompaniment) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, a := range as {
		if _, ok := f.accs[a.ID]; !ok {
			f.accs[a.ID] = a
			n++
		}
	}
	return n, nil
}
func (f *fakeNetwork) ListAccompaniments(context.Context, mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error) {
	return nil, "", nil
}
func (f *fakeNetwork) SaveQuestion(context.Context, mediation.Question) error    { return nil }
func (f *fakeNetwork) UpdateQuestion(context.Context, *mediation.Question) error { return nil }
func (f *fakeNetwork) GetQuestion(context.Context, uuid.UUID) (mediation.Question, error) {
	return mediation.Question{}, mediation.ErrNotFound
}
func (f *fakeNetwork) ListQuestions(context.Context, mediation.QuestionFilter) ([]mediation.Question, string, error) {
	return nil, "", nil
}
func (f *fakeNetwork) SearchFAQ(context.Context, string, int) ([]mediation.Question, error) {
	return nil, nil
}

// runNetwork runs one command line against the fake store.
func runNetwork(t *testing.T, f *fakeNetwork, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	root := command{name: "passerelle", subs: []command{ambassadorsCommandWith(f.open), actionsCommandWith(f.open), coverageCommandWith(f.open)}}
	code := report(e, dispatch(context.Background(), e, root, args))
	return code, out.String(), errOut.String()
}

func TestAmbassadorsAddAndList(t *testing.T) {
	f := newFakeNetwork()
	id := "3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01"
	code, out, errOut := runNetwork(t, f, "", "ambassadors", "add", "--id", id, "--region", "76", "--kind", "pharmacien",
		"--handle", "amb-rodez-1", "--commune", "12202", "--departement", "12", "--joined", "2024-03-01", "--trained", "2024-03-15", "--format", "json")
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	var added struct {
		Ambassador mediation.Ambassador
		Training   *mediation.Training
	}
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatal(err)
	}
	if added.Ambassador.ID.String() != id || added.Training == nil || !added.Training.MonEspaceSante() {
		t.Fatalf("added %+v", added)
	}
	if len(f.ambs) != 1 || len(f.trains) != 1 {
		t.Fatalf("store holds %d ambassadors, %d trainings", len(f.ambs), len(f.trains))
	}
	// The same id again changes nothing.
	if code, _, errOut := runNetwork(t, f, "", "ambassadors", "add", "--id", id, "--region", "76", "--kind", "pharmacien", "--trained", "2024-03-15"); code != 0 {
		t.Fatalf("second add: exit %d: %s", code, errOut)
	}
	if len(f.ambs) != 1 || len(f.trains) != 1 {
		t.Fatalf("second add: store holds %d ambassadors, %d trainings", len(f.ambs), len(f.trains))
	}
	for _, args := range [][]string{
		{"--region", "76", "--kind", "agent_cpam", "--status", "en_pause"},
		{"--region", "84", "--kind", "conseiller_numerique", "--commune", "69123"},
	} {
		if code, _, errOut := runNetwork(t, f, "", append([]string{"ambassadors", "add"}, args...)...); code != 0 {
			t.Fatalf("add %v: exit %d: %s", args, code, errOut)
		}
	}
	tests := []struct {
		args []string
		want int
	}{
		{nil, 3},
		{[]string{"--region", "76"}, 2},
		{[]string{"--region", "76", "--status", "actif"}, 1},
		{[]string{"--departement", "69"}, 1},
		{[]string{"--kind", "pharmacien", "--kind", "agent_cpam"}, 2},
	}
	for _, tt := range tests {
		code, out, errOut := runNetwork(t, f, "", append([]string{"ambassadors", "list", "--format", "json"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("list %v: exit %d: %s", tt.args, code, errOut)
		}
		var got struct{ Ambassadors []mediation.Ambassador }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Ambassadors) != tt.want {
			t.Errorf("list %v: %d ambassadors, want %d", tt.args, len(got.Ambassadors), tt.want)
		}
	}
	code, out, _ = runNetwork(t, f, "", "ambassadors", "list", "--region", "76")
	if code != 0 || !strings.Contains(out, "amb-rodez-1") || !strings.Contains(out, "2 ambassador(s)") {
		t.Errorf("text list: exit %d:\n%s", code, out)
	}
}

func TestAmbassadorsAddRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown commune", []string{"--region", "76", "--kind", "pharmacien", "--commune", "12999"}, 1, []string{"communes[0]", "12999"}},
		{"name-like handle", []string{"--region", "76", "--kind", "pharmacien", "--handle", "marie.dupont@example.org"}, 1, []string{"handle"}},
		{"unknown kind and région", []string{"--region", "99", "--kind", "medecin"}, 1, []string{"region", "kind"}},
		{"joined in the future", []string{"--region", "76", "--kind", "autre", "--joined", "2999-01-01"}, 1, []string{"joined_at", "future"}},
		{"bad date", []string{"--region", "76", "--kind", "autre", "--trained", "15/03/2024"}, 2, []string{"--trained"}},
		{"bad id", []string{"--region", "76", "--kind", "autre", "--id", "42"}, 2, []string{"--id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNetwork()
			code, _, errOut := runNetwork(t, f, "", append([]string{"ambassadors", "add"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error %q does not name %q", errOut, w)
				}
			}
			if len(f.ambs) != 0 || f.opens != 0 {
				t.Errorf("a rejected ambassador opened the store (%d) or stored %d", f.opens, len(f.ambs))
			}
		})
	}
}

func TestAmbassadorsImport(t *testing.T) {
	good := "handle;region;kind;communes;departements;languages;status;joined_at;trained_at;training_provider\n" +
		"amb-aveyron-1;76;pharmacien;12202|12145;12;oc;actif;2024-01-10;2024-02-01;CPAM de l'Aveyron\n" +
		"amb-lot-1;76;benevole_associatif;46042;;;en_pause;2023-09-01;;\n" +
		"amb-lyon-1;84;conseiller_numerique;69123;;ar|en;actif;2024-05-01;2024-05-20;GRADeS Sara\n"
	f := newFakeNetwork()
	for i, want := range []struct{ Ambassadors, Trainings, AlreadyKnown int }{{3, 2, 0}, {0, 0, 3}} {
		// twice: the second import stores nothing new
		code, out, errOut := runNetwork(t, f, good, "ambassadors", "import", "-")
		if code != 0 {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		var sum struct {
			Ambassadors, Trainings int
			AlreadyKnown           int `json:"already_known"`
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		if sum.Ambassadors != want.Ambassadors || sum.Trainings != want.Trainings || sum.AlreadyKnown != want.AlreadyKnown {
			t.Errorf("import %d: summary %+v, want %+v", i+1, sum, want)
		}
		if len(f.ambs) != 3 || len(f.trains) != 2 {
			t.Fatalf("store holds %d ambassadors, %d trainings", len(f.ambs), len(f.trains))
		}
	}

	bad := "handle,region,kind,communes,joined_at\n" +
		"amb-1,76,pharmacien,12202,2024-01-10\n" +
		"amb-2,76,medecin,12202,2024-01-10\n" +
		"amb-3,76,pharmacien,99999,2024-01-10\n" +
		"amb-1,76,pharmacien,12202,2024-01-10\n" +
		",76,pharmacien,12202,2024-01-10\n" +
		"amb-5,76,pharmacien,12202,10/01/2024\n"
	f = newFakeNetwork()
	code, out, errOut := runNetwork(t, f, bad, "ambassadors", "import", "-")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sum struct {
		Ambassadors int
		Rejected    []rowRejection
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	want := []rowRejection{
		{Row: 3, Field: "kind"}, {Row: 4, Field: "communes[0]"}, {Row: 5, Field: "id"}, {Row: 6, Field: "id"}, {Row: 7, Field: "joined_at"},
	}
	if len(sum.Rejected) != len(want) {
		t.Fatalf("rejected %+v", sum.Rejected)
	}
	for i, w := range want {
		if sum.Rejected[i].Row != w.Row || sum.Rejected[i].Field != w.Field || sum.Rejected[i].Reason == "" {
			t.Errorf("rejection %d = %+v, want row %d field %s", i, sum.Rejected[i], w.Row, w.Field)
		}
	}
	if sum.Ambassadors != 0 || len(f.ambs) != 0 {
		t.Errorf("a file with bad rows stored %d ambassadors", len(f.ambs))
	}

	path := filepath.Join(t.TempDir(), "ambassadeurs.csv")
	if err := os.WriteFile(path, []byte("handle;kind\namb;pharmacien\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runNetwork(t, f, "", "ambassadors", "import", path); code != 1 || !strings.Contains(errOut, "missing required column(s): region") {
		t.Errorf("missing column: exit %d: %s", code, errOut)
	}
}

// FuzzReadAmbassadorsCSV: any file either fails as a whole with an error,
// or accounts for every non-empty data row, accepted or rejected with its
// line and field, and what it accepts validates and carries a unique id.
func FuzzReadAmbassadorsCSV(f *testing.F) {
	f.Add("handle;region;kind;communes;departements;languages;status;joined_at;trained_at;training_provider\n" +
		"amb-aveyron-1;76;pharmacien;12202|12145;12;oc;actif;2024-01-10;2024-02-01;CPAM de l'Aveyron\n")
	f.Add("handle,region,kind\namb-1,76,medecin\n,84,autre\n")
	f.Add("id,region,kind,status\n3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01,11,agent_ars,parti\nnot-a-uuid,11,agent_ars,actif\n")
	f.Add("\ufeffhandle;region;kind;joined_at\n\"a;b\";93;autre;2999-01-01\n")
	d, err := newNetworkDeps()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		rows, rejected, err := readAmbassadorsCSV(strings.NewReader(data), "fuzz.csv", d)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") && !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		ids := map[uuid.UUID]bool{}
		for _, r := range rows {
			if err := r.amb.ValidateAt(d.now); err != nil {
				t.Fatalf("accepted an invalid ambassador: %v", err)
			}
			if ids[r.amb.ID] {
				t.Fatalf("two accepted rows share id %s", r.amb.ID)
			}
			ids[r.amb.ID] = true
		}
		for _, r := range rejected {
			if r.Row < 2 || r.Field == "" || r.Reason == "" {
				t.Fatalf("rejection without line, field or reason: %+v", r)
			}
		}
	})
}

func TestAmbassadorsTrain(t *testing.T) {
	f := newFakeNetwork()
	id := "3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01"
	if code, _, errOut := runNetwork(t, f, "", "ambassadors", "add", "--id", id, "--region", "76", "--kind", "pharmacien"); code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stored int
		want   string
	}{
		{[]string{"--place", "rodez-1", "--date", "2024-03-01", "--provider", "CPAM de l'Aveyron"}, 0, 1, "recorded"},
		{[]string{"--place", "rodez-1", "--date", "2024-03-01"}, 0, 1, "recorded"}, // same training: nothing new
		{[]string{"--ambassador", id, "--date", "2024-03-02", "--pix", "300"}, 0, 2, "recorded"},
		{[]string{"--ambassador", "0b9c1a3e-3c55-4f43-9d1f-2a8a7b1c0d01", "--date", "2024-03-02"}, 1, 2, "not found"},
		{[]string{"--ambassador", id, "--date", "2024-03-02", "--pix", "2000"}, 1, 2, "pix.score"},
		{[]string{"--place", "rodez-1", "--date", "2999-03-01"}, 1, 2, "future"},
		{[]string{"--place", "rodez-1", "--ambassador", id, "--date", "2024-03-01"}, 2, 2, "exactly one"},
		{[]string{"--place", "rodez-1"}, 2, 2, "--date"},
	} {
		code, out, errOut := runNetwork(t, f, "", append([]string{"ambassadors", "train"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("train %v: exit %d (want %d): %s%s", tt.args, code, tt.code, out, errOut)
		}
		if len(f.trains) != tt.stored {
			t.Errorf("train %v: %d trainings stored, want %d", tt.args, len(f.trains), tt.stored)
		}
	}
}

func TestAmbassadorsStatus(t *testing.T) {
	f := newFakeNetwork()
	id := "3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01"
	if code, _, errOut := runNetwork(t, f, "", "ambassadors", "add", "--id", id, "--region", "76", "--kind", "pharmacien", "--joined", "2024-01-10"); code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	for _, tt := range []struct {
		args    []string
		code    int
		status  mediation.AmbassadorStatus
		since   string
		version int
		want    string
	}{
		{[]string{id, "en_pause", "--since", "2024-06-01"}, 0, mediation.AmbassadorPaused, "2024-06-01", 2, "en_pause since 2024-06-01"},
		{[]string{id, "en_pause", "--since", "2024-07-01"}, 0, mediation.AmbassadorPaused, "2024-06-01", 2, "already"},
		{[]string{id, "parti", "--since", "2023-01-01"}, 1, mediation.AmbassadorPaused, "2024-06-01", 2, "status_since"},
		{[]string{id, "retired"}, 2, mediation.AmbassadorPaused, "2024-06-01", 2, "STATUS"},
		{[]string{"0b9c1a3e-3c55-4f43-9d1f-2a8a7b1c0d01", "actif"}, 1, mediation.AmbassadorPaused, "2024-06-01", 2, "not found"},
		{[]string{id, "parti", "--since", "2024-09-30"}, 0, mediation.AmbassadorLeft, "2024-09-30", 3, "parti since 2024-09-30"},
	} {
		code, out, errOut := runNetwork(t, f, "", append([]string{"ambassadors", "status"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("status %v: exit %d (want %d): %s%s", tt.args, code, tt.code, out, errOut)
		}
		a := f.ambs[uuid.MustParse(id)]
		if a.Status != tt.status || a.StatusSince.Format(time.DateOnly) != tt.since || a.Version != tt.version {
			t.Errorf("status %v: stored %s since %s v%d, want %s since %s v%d", tt.args, a.Status, a.StatusSince.Format(time.DateOnly), a.Version, tt.status, tt.since, tt.version)
		}
	}
}
