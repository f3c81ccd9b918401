package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/store"
)

type sliceOutbox struct {
	mu     sync.Mutex
	events []store.Event
}

func (o *sliceOutbox) Pending(_ context.Context, limit int) ([]store.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]store.Event(nil), o.events[:min(limit, len(o.events))]...), nil
}

func (o *sliceOutbox) Ack(_ context.Context, ids ...uuid.UUID) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	done := map[uuid.UUID]bool{}
	for _, id := range ids {
		done[id] = true
	}
	kept := o.events[:0]
	for _, e := range o.events {
		if !done[e.ID] {
			kept = append(kept, e)
		}
	}
	o.events = kept
	return nil
}

func TestPluginHosts(t *testing.T) {
	bins := buildExamplePlugins(t)
	dir := t.TempDir()
	ctx := context.Background()
	for _, b := range []string{"directory-lamednum", "sink-jsonl"} {
		if _, err := plugins.Install(ctx, filepath.Join(bins, b), dir); err != nil {
			t.Fatal(err)
		}
	}
	feed, _ := filepath.Abs("../../plugins/testdata/lmn-v1-charente-2023-07-11.json")
	events := filepath.Join(t.TempDir(), "events.jsonl")
	// The CLI's plugins read their settings from the environment it passes on.
	t.Setenv("LAMEDNUM_FILE", feed)
	t.Setenv("SINK_JSONL_FILE", events)
	var stderr bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &stderr}

	places, err := pluginPlaces(ctx, e, dir)
	if err != nil || len(places) != 188 {
		t.Fatalf("pluginPlaces = %d places, %v; want the 188 of the Charente file\n%s", len(places), err, stderr.String())
	}

	ob := &sliceOutbox{}
	for range 25 {
		ob.events = append(ob.events, store.Event{ID: uuid.New(), Kind: "referral.created", Subject: uuid.NewString(), At: time.Now().UTC()})
	}
	n, err := relayToPlugins(ctx, e, dir, ob)
	if err != nil || n != 25 || len(ob.events) != 0 {
		t.Fatalf("relayToPlugins = %d, %v; %d pending", n, err, len(ob.events))
	}
	f, err := os.Open(events)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines++
	}
	if lines != 25 {
		t.Errorf("the sink wrote %d lines, want 25", lines)
	}

	if _, err := pluginPlaces(ctx, e, filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing plugin directory is no error")
	}
}
