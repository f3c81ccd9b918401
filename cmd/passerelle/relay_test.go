package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/store"
)

// readSinkFile returns the events the sink-jsonl example wrote, in order.
func readSinkFile(t *testing.T, path string) []store.Event {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []store.Event
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var ev store.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("%s: line %d: %v", path, len(out)+1, err)
		}
		out = append(out, ev)
	}
	return out
}

// TestRelayEndToEnd writes events with real commands into a SQLite store
// and checks that they reach the sink-jsonl example plugin's file exactly
// once per idempotency key: through --plugins after the write, through
// "plugins relay" after a failed delivery, and through "plugins relay
// --follow" until it is cancelled.
func TestRelayEndToEnd(t *testing.T) {
	bins := buildExamplePlugins(t)
	dir := t.TempDir()
	if _, err := plugins.Install(context.Background(), filepath.Join(bins, "sink-jsonl"), dir); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(t.TempDir(), "events.jsonl")
	t.Setenv("SINK_JSONL_FILE", events)
	t.Setenv("SINK_JSONL_FAIL", "")
	storeURL := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	run1 := func(ctx context.Context, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(ctx, args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
		return code, out.String(), errOut.String()
	}
	action := func(id string, extra ...string) []string {
		return append([]string{"actions", "add", "--id", id, "--type", "stand_ouverture_compte", "--date", "2024-11-05",
			"--commune", "12145", "--people", "30", "--accounts", "12", "--store", storeURL}, extra...)
	}
	ctx := context.Background()
	const a1, a2, a3, a4 = "0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a01", "0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a02",
		"0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a03", "0b7a3c52-6c1e-4b55-8d7a-0d1f0b9b1a04"

	// 1. --plugins relays right after the write.
	if code, _, errOut := run1(ctx, action(a1, "--plugins", dir)...); code != 0 || !strings.Contains(errOut, "1 event(s) delivered") {
		t.Fatalf("actions add --plugins: exit %d, stderr %q", code, errOut)
	}
	if got := readSinkFile(t, events); len(got) != 1 || got[0].Subject != a1 || got[0].Kind != store.KindActionRecorded {
		t.Fatalf("after one write the sink has %+v", got)
	}
	// The same action again writes no event; nothing new is delivered.
	if code, _, errOut := run1(ctx, action(a1, "--plugins", dir)...); code != 0 || strings.Contains(errOut, "delivered") {
		t.Fatalf("repeated actions add: exit %d, stderr %q", code, errOut)
	}
	// An ambassador with a training: two events.
	if code, _, errOut := run1(ctx, "ambassadors", "add", "--id", "3f0c6a52-6c1e-4b55-8d7a-0d1f0b9b1a01", "--region", "76",
		"--kind", "pharmacien", "--handle", "amb-rodez-1", "--commune", "12202", "--joined", "2024-03-01", "--trained", "2024-03-15",
		"--store", storeURL, "--plugins", dir); code != 0 || !strings.Contains(errOut, "2 event(s) delivered") {
		t.Fatalf("ambassadors add --plugins: exit %d, stderr %q", code, errOut)
	}

	// 2. A sink that fails: the write succeeds, the event stays pending,
	// and "plugins relay" delivers it later.
	t.Setenv("SINK_JSONL_FAIL", "always")
	code, _, errOut := run1(ctx, action(a2, "--plugins", dir)...)
	if code != 0 || !strings.Contains(errOut, "stay in the outbox") || !strings.Contains(errOut, "failing on purpose") {
		t.Fatalf("actions add with a failing sink: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run1(ctx, "plugins", "relay", "--dir", dir, "--store", storeURL); code != 1 || !strings.Contains(errOut, "stay pending") {
		t.Fatalf("relay to a failing sink: exit %d, stderr %q", code, errOut)
	}
	if got := readSinkFile(t, events); len(got) != 3 {
		t.Fatalf("a failing sink wrote: %d events, want the 3 of before", len(got))
	}
	t.Setenv("SINK_JSONL_FAIL", "")
	code, out, errOut := run1(ctx, "plugins", "relay", "--dir", dir, "--store", storeURL, "--format", "json")
	var rep relayOutput
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Delivered != 1 || len(rep.Sinks) != 1 || rep.Sinks[0] != "sink-jsonl" {
		t.Fatalf("plugins relay: exit %d, %q, stderr %q", code, out, errOut)
	}
	if code, out, _ := run1(ctx, "plugins", "relay", "--dir", dir, "--store", storeURL); code != 0 || !strings.Contains(out, " 0 event(s) delivered to sink-jsonl") {
		t.Fatalf("relay of an empty outbox: exit %d, %q", code, out)
	}

	// 3. --follow delivers what commands without --plugins write, until
	// it is cancelled, and then exits cleanly.
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		c, o, e := run1(fctx, "plugins", "relay", "--dir", dir, "--store", storeURL, "--follow", "--interval", "20ms", "--format", "json")
		done <- result{c, o, e}
	}()
	for _, id := range []string{a3, a4} {
		if code, _, errOut := run1(ctx, action(id)...); code != 0 {
			t.Fatalf("actions add: exit %d, %s", code, errOut)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(readSinkFile(t, events)) < 6 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-done:
		if r.code != 0 || json.Unmarshal([]byte(r.out), &rep) != nil || rep.Delivered != 2 {
			t.Fatalf("relay --follow: exit %d, %q, stderr %q", r.code, r.out, r.err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("relay --follow did not stop when cancelled")
	}

	// Every event arrived once per idempotency key, each action once.
	got := readSinkFile(t, events)
	seen := map[string]int{}
	subjects := map[string]int{}
	for _, ev := range got {
		seen[ev.ID.String()]++
		if ev.Kind == store.KindActionRecorded {
			subjects[ev.Subject]++
		}
	}
	if len(got) != 6 || len(seen) != 6 {
		t.Errorf("the sink holds %d lines for %d event ids, want 6 and 6", len(got), len(seen))
	}
	for _, id := range []string{a1, a2, a3, a4} {
		if subjects[id] != 1 {
			t.Errorf("action %s arrived %d times, want once", id, subjects[id])
		}
	}
}

func TestRelayUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plugins", "relay"}, 2, "needs --dir"},
		{[]string{"plugins", "relay", "--dir", "x", "--interval", "0s"}, 2, "--interval"},
		{[]string{"plugins", "relay", "--dir", "x", "--batch", "0"}, 2, "--batch"},
		{[]string{"plugins", "relay", "--dir", t.TempDir(), "--store", "memory:"}, 1, "no event-sink plugin"},
		{[]string{"plugins", "relay", "--dir", filepath.Join(t.TempDir(), "nope")}, 1, "plugin directory"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
	}
}
