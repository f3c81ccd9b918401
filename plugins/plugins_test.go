package plugins

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/store"
)

// binaries holds the example plugins built once for the whole test run.
var binaries struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binaries.dir != "" {
		os.RemoveAll(binaries.dir)
	}
	os.Exit(code)
}

// built returns the path of a test plugin binary, building them all once.
func built(t testing.TB, name string) string {
	t.Helper()
	binaries.once.Do(func() {
		binaries.dir, binaries.err = os.MkdirTemp("", "passerelle-plugins-")
		if binaries.err != nil {
			return
		}
		// Built as the examples' README advises for production: without
		// the symbol table and debug information, a third smaller, so a
		// third faster to verify.
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binaries.dir+string(filepath.Separator),
			"../examples/plugins/directory-lamednum", "../examples/plugins/sink-jsonl", "./testdata/proto99", "./testdata/territory-fixed")
		if out, err := cmd.CombinedOutput(); err != nil {
			binaries.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaries.err != nil {
		t.Fatal(binaries.err)
	}
	return filepath.Join(binaries.dir, name)
}

func install(t testing.TB, name string) (dir string, m Manifest) {
	t.Helper()
	dir = t.TempDir()
	m, err := Install(context.Background(), built(t, name), dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// logBuffer collects slog records as text.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestInstallDiscoverVerify(t *testing.T) {
	dir, m := install(t, "sink-jsonl")
	if m.Name != "sink-jsonl" || m.Version != "0.1.0" || !m.Provides(KindEventSink) || m.Provides(KindDirectory) || len(m.SHA256) != 64 {
		t.Fatalf("manifest = %+v", m)
	}
	ms, err := Discover(dir)
	if err != nil || len(ms) != 1 || ms[0].SHA256 != m.SHA256 {
		t.Fatalf("Discover = %+v, %v", ms, err)
	}
	if _, err := Verify(dir, m); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	t.Run("tampered binary", func(t *testing.T) {
		dir, m := install(t, "sink-jsonl")
		f, err := os.OpenFile(filepath.Join(dir, m.Binary), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("x"))
		f.Close()
		if _, err := Verify(dir, m); !errors.Is(err, ErrChecksum) {
			t.Fatalf("Verify = %v, want ErrChecksum", err)
		}
		if _, err := Open(dir, m.Name, nil); !errors.Is(err, ErrChecksum) {
			t.Fatalf("Open = %v, want ErrChecksum", err)
		}
	})
	t.Run("symlink out of the directory", func(t *testing.T) {
		dir, m := install(t, "sink-jsonl")
		outside := filepath.Join(t.TempDir(), "elsewhere")
		bin := filepath.Join(dir, m.Binary)
		if err := os.Rename(bin, outside); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, bin); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(dir, m.Name, nil); !errors.Is(err, ErrOutsideDir) {
			t.Fatalf("Open = %v, want ErrOutsideDir", err)
		}
	})
	t.Run("bad manifests", func(t *testing.T) {
		for _, tc := range []struct{ body, want string }{
			{`{`, "unexpected EOF"},
			{`{"name":"x","version":"1","kinds":["directory"],"protocol":1,"sha256":"zz","binary":"x"}`, "sha256"},
			{`{"name":"x","version":"1","kinds":["weather"],"protocol":1,"sha256":"` + strings.Repeat("a", 64) + `","binary":"x"}`, "kinds[0]"},
			{`{"name":"x","version":"1","kinds":["directory"],"protocol":1,"sha256":"` + strings.Repeat("a", 64) + `","binary":"../x"}`, "binary"},
			{`{"name":"y","version":"1","kinds":["directory"],"protocol":1,"sha256":"` + strings.Repeat("a", 64) + `","binary":"x"}`, "does not match the file name"},
			{`{"name":"x","extra":1}`, "unknown field"},
		} {
			dir := t.TempDir()
			file := filepath.Join(dir, "x"+ManifestSuffix)
			os.WriteFile(file, []byte(tc.body), 0o644)
			_, err := Discover(dir)
			if !errors.Is(err, ErrBadManifest) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file) {
				t.Errorf("%s: Discover = %v, want ErrBadManifest naming the file and %q", tc.body, err, tc.want)
			}
		}
	})
}

func TestIncompatibleProtocolRefused(t *testing.T) {
	dir, m := install(t, "proto99")
	p, err := Open(dir, m.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = p.Start(context.Background())
	if !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "99") {
		t.Fatalf("Start = %v, want ErrIncompatible naming protocol 99", err)
	}
	if _, err := (&EventSink{p: p}).Deliver(context.Background(), nil); !errors.Is(err, ErrCircuitOpen) && !errors.Is(err, ErrIncompatible) {
		t.Fatalf("Deliver after refusal = %v", err)
	}
}

func charentePlaces(t testing.TB) []mediation.Place {
	t.Helper()
	f, err := os.Open("testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	places, _, err := lamednum.Decode(context.Background(), f, lamednum.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return places
}

func TestDirectoryMirrorEndToEnd(t *testing.T) {
	feed := filepath.Join(t.TempDir(), "feed.json")
	raw, err := os.ReadFile("testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(feed, raw, 0o644)
	want := charentePlaces(t)
	valid := 0
	for _, p := range want {
		if len(p.Validate()) == 0 {
			valid++
		}
	}

	dir, m := install(t, "directory-lamednum")
	var logs logBuffer
	p, err := Open(dir, m.Name, &Options{Env: []string{"LAMEDNUM_FILE=" + feed}, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	src, err := p.Directory()
	if err != nil {
		t.Fatal(err)
	}
	src.BatchSize = 50 // several batches for 188 places
	mirror := NewMirror(src, nil)
	if _, err := mirror.Nearby(context.Background(), mediation.Query{Lat: 45.65, Lon: 0.16, K: 3}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Nearby before refresh = %v, want ErrUnavailable", err)
	}
	rep, err := mirror.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	first := rep.Cursor
	if !rep.Full || rep.Received != len(want) || rep.Total != valid || rep.Rejected != len(want)-valid || first == "" {
		t.Fatalf("first refresh = %+v, want full, %d received, %d kept", rep, len(want), valid)
	}
	res, err := mirror.Nearby(context.Background(), mediation.Query{Lat: 45.65, Lon: 0.16, K: 3})
	if err != nil || len(res) != 3 {
		t.Fatalf("Nearby = %d results, %v", len(res), err)
	}

	rep, err = mirror.Refresh(context.Background())
	if err != nil || rep.Full || rep.Received != 0 || rep.Total != valid || rep.Cursor != first {
		t.Fatalf("second refresh = %+v, %v; want no change", rep, err)
	}

	// A new file: only the changes come (the 10 first places are kept
	// as they were, the others removed).
	var arr []json.RawMessage
	json.Unmarshal(raw, &arr)
	small, _ := json.Marshal(arr[:10])
	os.WriteFile(feed, small, 0o644)
	future := time.Now().Add(time.Minute)
	os.Chtimes(feed, future, future)
	rep, err = mirror.Refresh(context.Background())
	if err != nil || rep.Full || rep.Received != 0 || rep.Removed != len(want)-10 || rep.Total != 10 || rep.Cursor == first {
		t.Fatalf("refresh after the file changed = %+v, %v; want %d removals and no snapshot", rep, err, len(want)-10)
	}
	second := rep.Cursor

	// A restarted plugin still knows the cursor of the same file.
	p.Kill()
	rep, err = mirror.Refresh(context.Background())
	if err != nil || rep.Full || rep.Received != 0 || rep.Total != 10 || rep.Cursor != second {
		t.Fatalf("refresh after a restart = %+v, %v; want no change", rep, err)
	}
	// But not older ones: a host that missed a version gets a snapshot.
	os.WriteFile(feed, raw, 0o644)
	os.Chtimes(feed, future.Add(time.Minute), future.Add(time.Minute))
	mirror2 := NewMirror(src, nil)
	if _, err := mirror2.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.Kill()
	os.WriteFile(feed, small, 0o644)
	os.Chtimes(feed, future.Add(2*time.Minute), future.Add(2*time.Minute))
	rep, err = mirror2.Refresh(context.Background())
	if err != nil || !rep.Full || rep.Received != 10 || rep.Total != 10 {
		t.Fatalf("refresh from a cursor the restarted plugin never saw = %+v, %v; want a snapshot of 10", rep, err)
	}

	// The plugin's own log lines reach the host's slog with its name.
	if l := logs.String(); !strings.Contains(l, "plugin=directory-lamednum") || !strings.Contains(l, "feed read") {
		t.Errorf("host log lacks the plugin's records:\n%s", l)
	}

	// The file disappears: the plugin fails, the last good index serves.
	os.Remove(feed)
	if _, err := mirror.Refresh(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("refresh with the file gone = %v, want ErrUnavailable", err)
	}
	if res, err := mirror.Nearby(context.Background(), mediation.Query{Lat: 45.65, Lon: 0.16, K: 3}); err != nil || len(res) == 0 {
		t.Fatalf("Nearby after a failed refresh = %d, %v; want the last good data", len(res), err)
	}
}

// outbox is an in-memory store.Outbox for the relay tests.
type outbox struct {
	mu      sync.Mutex
	pending []store.Event
}

func newOutbox(n int) *outbox {
	o := &outbox{}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		o.pending = append(o.pending, store.Event{ID: uuid.New(), Kind: "referral.created", Subject: uuid.NewString(), At: at.Add(time.Duration(i) * time.Second), Payload: json.RawMessage(`{"pathway":"p","status":"proposed","version":1}`)})
	}
	return o
}

func (o *outbox) Pending(_ context.Context, limit int) ([]store.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]store.Event(nil), o.pending[:min(limit, len(o.pending))]...), nil
}

func (o *outbox) Ack(_ context.Context, ids ...uuid.UUID) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	done := map[uuid.UUID]bool{}
	for _, id := range ids {
		done[id] = true
	}
	kept := o.pending[:0]
	for _, e := range o.pending {
		if !done[e.ID] {
			kept = append(kept, e)
		}
	}
	o.pending = kept
	return nil
}

func (o *outbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.pending)
}

// readSink returns the ids written by sink-jsonl, and how many lines.
func readSink(t *testing.T, file string) (map[uuid.UUID]bool, int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids, lines := map[uuid.UUID]bool{}, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e store.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		ids[e.ID] = true
		lines++
	}
	return ids, lines
}

func openSink(t *testing.T, env ...string) (*Plugin, *EventSink) {
	t.Helper()
	dir, m := install(t, "sink-jsonl")
	p, err := Open(dir, m.Name, &Options{Env: env, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	s, err := p.EventSink()
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}

func TestRelayDeliversEveryEvent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "events.jsonl")
	_, sink := openSink(t, "SINK_JSONL_FILE="+file)
	ob := newOutbox(1000)
	all := append([]store.Event(nil), ob.pending...)
	n, err := Relay{Outbox: ob, Sink: sink, Batch: 64}.Drain(context.Background())
	if err != nil || n != 1000 || ob.len() != 0 {
		t.Fatalf("Drain = %d, %v; pending %d", n, err, ob.len())
	}
	ids, lines := readSink(t, file)
	if lines != 1000 {
		t.Errorf("sink wrote %d lines, want 1000", lines)
	}
	for _, e := range all {
		if !ids[e.ID] {
			t.Fatalf("event %s not in the sink", e.ID)
		}
	}
	// A retried delivery is acknowledged without a second line.
	acked, err := sink.Deliver(context.Background(), all[:5])
	if err != nil || len(acked) != 5 {
		t.Fatalf("redelivery = %v, %v", acked, err)
	}
	if _, lines := readSink(t, file); lines != 1000 {
		t.Errorf("redelivery wrote %d lines, want still 1000", lines)
	}
}

func TestRelayKeepsEventsWhenSinkFails(t *testing.T) {
	file := filepath.Join(t.TempDir(), "events.jsonl")
	p, sink := openSink(t, "SINK_JSONL_FILE="+file, "SINK_JSONL_FAIL=always")
	ob := newOutbox(10)
	for i := range 5 {
		_, err := Relay{Outbox: ob, Sink: sink}.Step(context.Background())
		if !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("step %d = %v, want ErrUnavailable or ErrCircuitOpen", i, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	if ob.len() != 10 {
		t.Fatalf("pending = %d, want 10: nothing acknowledged by a failing sink", ob.len())
	}
	if p.Starts() != 1 {
		t.Errorf("a sink that answers errors was restarted %d times", p.Starts())
	}
}

func TestRelaySurvivesSinkKills(t *testing.T) {
	file := filepath.Join(t.TempDir(), "events.jsonl")
	p, sink := openSink(t, "SINK_JSONL_FILE="+file)
	const events, kills = 10000, 50
	ob := newOutbox(events)
	all := append([]store.Event(nil), ob.pending...)
	before := runtime.NumGoroutine()
	r := Relay{Outbox: ob, Sink: sink, Batch: 50}
	ctx := context.Background()
	// The killer strikes at random moments, in the middle of deliveries too.
	killed := make(chan int)
	go func() {
		n := 0
		for n < kills && ob.len() > 0 {
			time.Sleep(time.Duration(rand.IntN(15)+1) * time.Millisecond)
			if p.Kill() {
				n++
			}
		}
		killed <- n
	}()
	for k := 0; ob.len() > 0; k++ {
		if _, err := r.Step(ctx); err != nil && !errors.Is(err, ErrCircuitOpen) && !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrPluginFailed) && !errors.Is(err, context.Canceled) {
			t.Fatalf("step %d: %v", k, err)
		}
		if k > 100*events {
			t.Fatal("the relay does not progress")
		}
	}
	n := <-killed
	t.Logf("%d events delivered through %d kills, %d starts", events, n, p.Starts())
	ids, _ := readSink(t, file)
	for _, e := range all {
		if !ids[e.ID] {
			t.Fatalf("event %s lost", e.ID)
		}
	}
	if p.Starts() < n+1 || n < kills/2 {
		t.Errorf("%d kills, %d starts: the test did not exercise restarts", n, p.Starts())
	}
	p.Close()
	if kids := children(t); len(kids) > 0 {
		t.Errorf("plugin processes left after Close: %v", kids)
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before+2 {
		t.Errorf("goroutines: %d before, %d after close", before, g)
	}
}

func TestUnsupportedKind(t *testing.T) {
	dir, m := install(t, "sink-jsonl")
	p, err := Open(dir, m.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Directory(); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Directory() = %v, want ErrUnsupported", err)
	}
	if _, err := Open(dir, "nope", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open(nope) = %v, want ErrNotFound", err)
	}
}

func TestCircuitOpensAfterFailures(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	dir, m := install(t, "sink-jsonl")
	p, err := Open(dir, m.Name, &Options{Env: []string{"SINK_JSONL_FAIL=always"}, BreakAfter: 3, MinBackoff: time.Second, Now: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, _ := p.EventSink()
	evs := newOutbox(1).pending
	for i := range 3 {
		if _, err := s.Deliver(context.Background(), evs); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d = %v, want ErrUnavailable from the plugin", i, err)
		}
	}
	if _, err := s.Deliver(context.Background(), evs); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("call after 3 failures = %v, want ErrCircuitOpen", err)
	}
	mu.Lock()
	now = now.Add(5 * time.Second)
	mu.Unlock()
	if _, err := s.Deliver(context.Background(), evs); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("call after the backoff = %v, want the plugin tried again", err)
	}
}

func TestSinkCrashMidDeliveryLosesNothing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "events.jsonl")
	p, sink := openSink(t, "SINK_JSONL_FILE="+file, "SINK_JSONL_FAIL=crash")
	ob := newOutbox(10)
	for i := range 3 {
		n, err := Relay{Outbox: ob, Sink: sink}.Step(context.Background())
		if err == nil || n != 0 {
			t.Fatalf("step %d with a crashing sink = %d, %v; want an error", i, n, err)
		}
		time.Sleep(30 * time.Millisecond) // past the backoff
	}
	if ob.len() != 10 {
		t.Fatalf("pending = %d, want 10: a crash acknowledges nothing", ob.len())
	}
	if p.Starts() < 2 {
		t.Errorf("starts = %d: the crashed plugin was not restarted", p.Starts())
	}
}
