package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/mediation"
)

// memorySink keeps what import-coop saves, idempotent on ID like a store.
type memorySink struct {
	actions        map[uuid.UUID]mediation.Action
	accompaniments map[uuid.UUID]mediation.Accompaniment
	opened, closed int
}

func (m *memorySink) SaveActions(_ context.Context, as []mediation.Action) (int, error) {
	n := 0
	for _, a := range as {
		if _, ok := m.actions[a.ID]; !ok {
			m.actions[a.ID] = a
			n++
		}
	}
	return n, nil
}

func (m *memorySink) SaveAccompaniments(_ context.Context, as []mediation.Accompaniment) (int, error) {
	n := 0
	for _, a := range as {
		if _, ok := m.accompaniments[a.ID]; !ok {
			m.accompaniments[a.ID] = a
			n++
		}
	}
	return n, nil
}

func (m *memorySink) ListActions(_ context.Context, f mediation.ActionFilter) ([]mediation.Action, string, error) {
	var out []mediation.Action
	for _, a := range m.actions {
		if f.Matches(&a) {
			out = append(out, a)
		}
	}
	return out, "", nil
}

func (m *memorySink) ListAccompaniments(_ context.Context, f mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error) {
	var out []mediation.Accompaniment
	for _, a := range m.accompaniments {
		if f.Matches(&a) {
			out = append(out, a)
		}
	}
	return out, "", nil
}

func (m *memorySink) Close() error { m.closed++; return nil }

func coopFixture(name string) string {
	return filepath.Join("..", "..", "mediation", "coop", "testdata", name)
}

// runCoop runs import-coop with args against sink (nil: the real store).
func runCoop(t *testing.T, sink *memorySink, args ...string) (int, coopSummary, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	cmd := actionsImportCoopCommand()
	if sink != nil {
		cmd.run = func(ctx context.Context, e *env, args []string) error {
			return runImportCoop(ctx, e, args, func(context.Context, *env, string) (coopSink, io.Closer, error) {
				sink.opened++
				return sink, sink, nil
			})
		}
	}
	code := report(e, dispatch(context.Background(), e, cmd, args))
	var sum coopSummary
	if bytes.HasPrefix(out.Bytes(), []byte("{")) {
		if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
			t.Fatalf("output is not the JSON summary: %v\n%s", err, out.String())
		}
	}
	return code, sum, out.String() + errb.String()
}

func TestActionsImportCoop(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		args                       []string
		code                       int
		activities, accs, rejected int
		outputHas                  []string
	}{
		{"dry run, good CSV", []string{coopFixture("coordinator-export-comma.csv"), "--dry-run"}, 0, 4, 2, 0,
			[]string{`"rejected": []`}},
		{"dry run, good XLSX", []string{"--dry-run", coopFixture("mediator-export.xlsx")}, 0, 4, 2, 0, nil},
		{"dry run, bad rows", []string{coopFixture("coordinator-export.xlsx"), "--dry-run"}, 1, 4, 2, 8,
			[]string{`"row": 22`, `"field": "Date"`, "is in the future", "-30 is negative", "is not the INSEE code of a current commune", "8 row problem(s)"}},
		{"missing columns", []string{coopFixture("missing-columns.csv"), "--dry-run"}, 1, 0, 0, 0,
			[]string{"required columns missing: Durée (min), ID CRA", "missing-columns.csv"}},
		{"no file", []string{"--dry-run"}, 2, 0, 0, 0, []string{"needs one FILE"}},
		{"unknown file", []string{"nowhere.xlsx"}, 1, 0, 0, 0, []string{"cannot read nowhere.xlsx"}},
		{"help", []string{"--help"}, 0, 0, 0, 0, []string{"import-coop FILE", "--dry-run"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, sum, out := runCoop(t, nil, tc.args...)
			if code != tc.code || sum.Activities != tc.activities || sum.Accompaniments != tc.accs || len(sum.Rejected) != tc.rejected {
				t.Errorf("exit %d, %d activities, %d accompaniments, %d rejected; want %d, %d, %d, %d\n%s",
					code, sum.Activities, sum.Accompaniments, len(sum.Rejected), tc.code, tc.activities, tc.accs, tc.rejected, out)
			}
			for _, s := range tc.outputHas {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, name := range []string{"Fictif-Testeur", "Zébulon", "Imaginaire", "Factice", "06 00 00 00 00"} {
				if strings.Contains(out, name) {
					t.Errorf("output holds the name %q", name)
				}
			}
		})
	}
}

func TestActionsImportCoopStoresOnceAndNothingPartial(t *testing.T) {
	sink := &memorySink{actions: map[uuid.UUID]mediation.Action{}, accompaniments: map[uuid.UUID]mediation.Accompaniment{}}

	// A file with rejected rows stores nothing.
	code, _, out := runCoop(t, sink, coopFixture("mediator-export-semicolon-bom.csv"))
	if code != 1 || sink.opened != 0 || len(sink.actions)+len(sink.accompaniments) != 0 {
		t.Fatalf("rejected rows: exit %d, store opened %d times, %d records stored; want 1, 0, 0\n%s",
			code, sink.opened, len(sink.actions)+len(sink.accompaniments), out)
	}

	steps := []struct {
		args                    []string
		activities, accs, known int
	}{
		{[]string{coopFixture("coordinator-export-comma.csv"), "--store", "memory:"}, 4, 2, 0},
		// The same activities from the mediator's own XLSX: all known.
		{[]string{coopFixture("mediator-export.xlsx"), "--store", "memory:"}, 0, 0, 4},
		// The bad file, keeping its valid activities: already stored too.
		{[]string{coopFixture("coordinator-export.xlsx"), "--skip-rejected"}, 0, 0, 4},
		// A dry run against the store counts what it already holds.
		{[]string{coopFixture("coordinator-export-comma.csv"), "--dry-run", "--store", "memory:"}, 0, 0, 4},
		// Without --store, a dry run opens no store.
		{[]string{coopFixture("coordinator-export-comma.csv"), "--dry-run"}, 4, 2, 0},
	}
	for i, s := range steps {
		code, sum, out := runCoop(t, sink, s.args...)
		if code != 0 || sum.Activities != s.activities || sum.Accompaniments != s.accs || sum.AlreadyKnown != s.known {
			t.Errorf("import %d: exit %d, %+v; want 0, %d activities, %d accompaniments, %d known\n%s",
				i+1, code, sum, s.activities, s.accs, s.known, out)
		}
	}
	if len(sink.actions) != 2 || len(sink.accompaniments) != 2 || sink.closed != sink.opened {
		t.Errorf("stored %d actions, %d accompaniments, closed %d of %d; want 2, 2, all",
			len(sink.actions), len(sink.accompaniments), sink.closed, sink.opened)
	}
}

// TestActionsImportCoopSQLite runs the command as a user would, through
// the actions group, into a SQLite file: the second import of the same
// activities stores nothing and counts them as already known.
func TestActionsImportCoopSQLite(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	steps := []struct {
		file                    string
		activities, accs, known int
	}{
		{"coordinator-export-comma.csv", 4, 2, 0},
		{"mediator-export.xlsx", 0, 0, 4},
	}
	for i, s := range steps {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
		code := run(context.Background(), []string{"actions", "import-coop", coopFixture(s.file), "--store", db}, e)
		var sum coopSummary
		if err := json.Unmarshal(out.Bytes(), &sum); err != nil || code != 0 {
			t.Fatalf("import %d: exit %d, %v\n%s%s", i+1, code, err, out.String(), errb.String())
		}
		if sum.Activities != s.activities || sum.Accompaniments != s.accs || sum.AlreadyKnown != s.known {
			t.Errorf("import %d: %+v; want %d activities, %d accompaniments, %d known", i+1, sum, s.activities, s.accs, s.known)
		}
	}
	s, err := openStore(context.Background(), &env{stderr: io.Discard}, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	actions, _, err := s.ListActions(context.Background(), mediation.ActionFilter{Source: mediation.SourceCoop})
	if err != nil {
		t.Fatal(err)
	}
	accs, _, err := s.ListAccompaniments(context.Background(), mediation.AccompanimentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) != 2 || len(accs) != 2 {
		t.Errorf("stored %d actions, %d accompaniments; want 2, 2", len(actions), len(accs))
	}
	for _, a := range accs {
		if _, err := uuid.Parse(a.PersonID); err != nil || a.Source != mediation.SourceCoop || a.ExternalID == "" {
			t.Errorf("accompaniment %+v: want a pseudonymous person id and the ID CRA", a)
		}
	}
}
