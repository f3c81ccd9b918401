package plugintest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

type directory struct {
	places []mediation.Place
	cursor string
}

func (d directory) Snapshot(context.Context) ([]mediation.Place, string, error) {
	return d.places, d.cursor, nil
}

func (d directory) Changes(context.Context, string) ([]mediation.Place, []string, string, error) {
	return nil, nil, d.cursor, nil
}

func place(id string) mediation.Place {
	return mediation.Place{ID: id, Pivot: "00000000000000", Name: "Médiathèque", Commune: "Angoulême", PostalCode: "16000", Address: "1 rue de la Paix", UpdatedAt: "2026-01-01", Latitude: 45.65, Longitude: 0.16, Services: []mediation.Service{mediation.Service("Aide aux démarches administratives")}}
}

// sink acknowledges events; once=true refuses an event seen before, as a
// sink that is not idempotent would; invent adds an id never sent.
type sink struct {
	seen   map[uuid.UUID]bool
	once   bool
	invent bool
}

func (s *sink) Deliver(ctx context.Context, evs []sdk.Event) ([]uuid.UUID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, e := range evs {
		if s.once && s.seen[e.ID] {
			return nil, fmt.Errorf("event %s already delivered", e.ID)
		}
		s.seen[e.ID] = true
		ids = append(ids, e.ID)
	}
	if s.invent {
		ids = append(ids, uuid.New())
	}
	return ids, nil
}

type rules sdk.RulesDocument

func (r rules) Document(ctx context.Context) (sdk.RulesDocument, error) {
	return sdk.RulesDocument(r), ctx.Err()
}

type registry sdk.Network

func (n registry) Network(ctx context.Context) (sdk.Network, error) { return sdk.Network(n), ctx.Err() }

type territory []sdk.Indicator

func (t territory) Indicators(ctx context.Context) ([]sdk.Indicator, error) { return t, ctx.Err() }

func failed(r Report) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Err != nil {
			out = append(out, c.Name)
		}
	}
	return out
}

func TestCheckInProcess(t *testing.T) {
	invalid := place("b")
	invalid.Name = ""
	for _, tc := range []struct {
		name   string
		p      sdk.Plugin
		failed string
	}{
		{"good directory", sdk.Plugin{Name: "d", Version: "1", Directory: directory{places: []mediation.Place{place("a"), place("b")}, cursor: "1"}}, ""},
		{"invalid place", sdk.Plugin{Name: "d", Version: "1", Directory: directory{places: []mediation.Place{place("a"), invalid}, cursor: "1"}}, "snapshot"},
		{"duplicate ids", sdk.Plugin{Name: "d", Version: "1", Directory: directory{places: []mediation.Place{place("a"), place("a")}, cursor: "1"}}, "snapshot"},
		{"no cursor", sdk.Plugin{Name: "d", Version: "1", Directory: directory{places: []mediation.Place{place("a")}}}, "snapshot"},
		{"good sink", sdk.Plugin{Name: "s", Version: "1", EventSink: &sink{seen: map[uuid.UUID]bool{}}}, ""},
		{"sink not idempotent", sdk.Plugin{Name: "s", Version: "1", EventSink: &sink{seen: map[uuid.UUID]bool{}, once: true}}, "deliver again (idempotent)"},
		{"sink invents ids", sdk.Plugin{Name: "s", Version: "1", EventSink: &sink{seen: map[uuid.UUID]bool{}, invent: true}}, "deliver,deliver again (idempotent)"},
		{"no kind", sdk.Plugin{Name: "s", Version: "1"}, "describe"},
		{"good territory", sdk.Plugin{Name: "t", Version: "1", Territory: territory{{INSEECode: "16015", Name: "x", Value: 1}}}, ""},
		{"good rules", sdk.Plugin{Name: "r", Version: "1", Rules: rules{Content: []byte("{}"), MediaType: "application/json", Version: "v1"}}, ""},
		{"rules without version", sdk.Plugin{Name: "r", Version: "1", Rules: rules{Content: []byte("{}"), MediaType: "application/json"}}, "rules document"},
		{"empty registry", sdk.Plugin{Name: "g", Version: "1", Registry: registry{}}, ""},
		{"bad indicator", sdk.Plugin{Name: "t", Version: "1", Territory: territory{{INSEECode: "160", Name: "x"}}}, "indicators"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := CheckInProcess(context.Background(), t, tc.p)
			if got := strings.Join(failed(r), ","); got != tc.failed {
				t.Errorf("failed checks %q, want %q; %v", got, tc.failed, r.Err())
			}
			if (r.Err() == nil) != (tc.failed == "") {
				t.Errorf("Err() = %v", r.Err())
			}
		})
	}
}

func TestCheckBinary(t *testing.T) {
	bins := t.TempDir()
	cmd := exec.Command("go", "build", "-o", bins+string(filepath.Separator), "../../examples/plugins/directory-lamednum", "../../examples/plugins/sink-jsonl")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	feed, _ := filepath.Abs("../testdata/lmn-v1-charente-2023-07-11.json")
	ctx := context.Background()
	r, err := CheckBinary(ctx, filepath.Join(bins, "directory-lamednum"), "LAMEDNUM_FILE="+feed)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, r)
	if !strings.Contains(fmt.Sprint(r.Checks), "snapshot (188 places)") {
		t.Errorf("checks %v lack the 188 places of the Charente file", r.Checks)
	}
	// The same places as a v1 CSV feed.
	csvFeed := filepath.Join(t.TempDir(), "feed.csv")
	in, err := os.Open(feed)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := lamednum.Decode(ctx, in, lamednum.Options{})
	in.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(csvFeed)
	if err != nil {
		t.Fatal(err)
	}
	if err := lamednum.EncodeCSV(ctx, out, ps); err != nil {
		t.Fatal(err)
	}
	out.Close()
	r, err = CheckBinary(ctx, filepath.Join(bins, "directory-lamednum"), "LAMEDNUM_FILE="+csvFeed)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, r)
	if !strings.Contains(fmt.Sprint(r.Checks), "snapshot (188 places)") {
		t.Errorf("CSV feed: checks %v lack the 188 places", r.Checks)
	}

	r, err = CheckBinary(ctx, filepath.Join(bins, "sink-jsonl"), "SINK_JSONL_FILE="+filepath.Join(t.TempDir(), "e.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	Run(t, r)
	r, err = CheckBinary(ctx, filepath.Join(bins, "sink-jsonl"), "SINK_JSONL_FAIL=always")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(failed(r), ","); got != "deliver,deliver again (idempotent)" || !errors.Is(r.Err(), sdk.ErrUnavailable) {
		t.Errorf("a failing sink: failed %q, err %v", got, r.Err())
	}
}

// snapshotsOnly never resumes: every cursor has expired.
type snapshotsOnly struct{ directory }

func (snapshotsOnly) Changes(context.Context, string) ([]mediation.Place, []string, string, error) {
	return nil, nil, "", sdk.ErrCursorExpired
}

func TestResumeMustNotBeASnapshot(t *testing.T) {
	r := CheckInProcess(context.Background(), t, sdk.Plugin{Name: "d", Version: "1", Directory: snapshotsOnly{directory{places: []mediation.Place{place("a")}, cursor: "1"}}})
	if got := strings.Join(failed(r), ","); got != "resume from cursor" || !strings.Contains(r.Err().Error(), "whole snapshot again") {
		t.Errorf("a directory that never resumes: failed %q, %v", got, r.Err())
	}
}

// TestCheckChangesOfTheExample runs the example directory plugin as the
// host does, rewrites its file (one place removed, one changed, one
// added) and checks that the changes it serves bring a mirror to the new
// snapshot.
func TestCheckChangesOfTheExample(t *testing.T) {
	bins := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", bins+string(filepath.Separator), "../../examples/plugins/directory-lamednum").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx := context.Background()
	in, err := os.Open("../testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	base, _, err := lamednum.Decode(ctx, in, lamednum.Options{})
	in.Close()
	if err != nil {
		t.Fatal(err)
	}
	feed := filepath.Join(t.TempDir(), "feed.json")
	write := func(ps []mediation.Place) error {
		f, err := os.Create(feed)
		if err != nil {
			return err
		}
		if err := lamednum.EncodeJSON(ctx, f, ps); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := write(base); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := plugins.Install(ctx, filepath.Join(bins, "directory-lamednum"), dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plugins.Open(dir, m.Name, &plugins.Options{Env: []string{"LAMEDNUM_FILE=" + feed}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	src, err := p.Directory()
	if err != nil {
		t.Fatal(err)
	}
	r := Report{Plugin: m.Name}
	CheckChanges(ctx, src, func() error {
		edited := append([]mediation.Place(nil), base[1:]...)
		edited[3].Name += " (nouveau nom)"
		added := base[7]
		added.ID = "mediation-numerique-ajout-1"
		time.Sleep(10 * time.Millisecond) // a new modification time
		return write(append(edited, added))
	}, &r)
	Run(t, r)
	if !strings.Contains(fmt.Sprint(r.Checks), "changes since a cursor (2 added or changed, 1 removed)") {
		t.Errorf("checks %v: want 2 places and 1 removal in the changes", r.Checks)
	}

	// A directory that sends snapshots as changes fails the check.
	snap := directory{places: []mediation.Place{place("a")}, cursor: "1"}
	fake := fakeStream{d: &snap}
	r = Report{Plugin: "fake"}
	CheckChanges(ctx, fake, func() error { snap.places = append(snap.places, place("b")); snap.cursor = "2"; return nil }, &r)
	if r.Err() == nil || !strings.Contains(r.Err().Error(), "not in the changes") {
		t.Errorf("changes that miss a place: %v", r.Err())
	}
}

// fakeStream serves a directory whose changes are always empty, whatever
// happened.
type fakeStream struct{ d *directory }

func (f fakeStream) Places(_ context.Context, cursor string, each func(plugins.Batch) error) error {
	if cursor == "" {
		return each(plugins.Batch{Places: f.d.places, Cursor: f.d.cursor, Full: true})
	}
	return each(plugins.Batch{Cursor: f.d.cursor})
}
