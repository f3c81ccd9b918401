package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

	// --plugins on the commands that read places: only the plugin's places
	// (Charente) are searched, not the embedded demo directory.
	for _, args := range [][]string{
		{"places", "near", "--plugins", dir, "--commune", "16102", "--k", "2", "--format", "json"},
		{"refer", "--plugins", dir, "--answers", "-", "--commune", "16102", "--format", "json"},
	} {
		var out, errOut bytes.Buffer
		code := run(ctx, args, &env{
			stdin:  strings.NewReader(`{"device":"smartphone_only","internet_use":"never","helper":"nobody","health_accounts":"neither","barriers":["none"],"forms_confidence":"somewhat"}`),
			stdout: &out, stderr: &errOut,
		})
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut.String())
		}
		var got struct {
			Places   []struct{ ID string } `json:"places"`
			Pathways []struct {
				Places []struct{ ID string } `json:"places"`
			} `json:"pathways"`
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, pw := range got.Pathways {
			got.Places = append(got.Places, pw.Places...)
		}
		if len(got.Places) == 0 {
			t.Fatalf("%v: no place found\n%s", args, out.String())
		}
		for _, pl := range got.Places {
			if !strings.HasPrefix(pl.ID, "mediation-numerique-") {
				t.Errorf("%v: place %q is not from the Charente plugin", args, pl.ID)
			}
		}
	}

	if _, err := pluginPlaces(ctx, e, filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing plugin directory is no error")
	}
}
