package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

func writeFeed(t *testing.T, path string, places []mediation.Place) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := lamednum.EncodeJSON(context.Background(), f, places); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func charente(t *testing.T) []mediation.Place {
	t.Helper()
	f, err := os.Open("../../../plugins/testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, _, err := lamednum.Decode(context.Background(), f, lamednum.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestChangesSinceACursor(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feed.json")
	base := charente(t)
	writeFeed(t, path, base)
	f := &feed{path: path, log: slog.New(slog.DiscardHandler)}
	all, c0, err := f.Snapshot(ctx)
	if err != nil || len(all) != len(base) {
		t.Fatalf("Snapshot = %d places, %v", len(all), err)
	}
	// Nothing changed: no places, the same cursor.
	if ch, rm, next, err := f.Changes(ctx, c0); err != nil || len(ch) != 0 || len(rm) != 0 || next != c0 {
		t.Fatalf("Changes with nothing changed = %d, %d, %q, %v", len(ch), len(rm), next, err)
	}
	// One place removed, one changed, one added.
	edited := append([]mediation.Place(nil), base[1:]...)
	edited[0].Name += " (nouveau nom)"
	added := base[5]
	added.ID = "mediation-numerique-added-1"
	edited = append(edited, added)
	time.Sleep(10 * time.Millisecond) // a new modification time
	writeFeed(t, path, edited)
	ch, rm, c1, err := f.Changes(ctx, c0)
	if err != nil || c1 == c0 {
		t.Fatalf("Changes = %v, cursor %q after %q", err, c1, c0)
	}
	ids := []string{}
	for _, p := range ch {
		ids = append(ids, p.ID)
	}
	wantIDs := []string{edited[0].ID, added.ID}
	if !reflect.DeepEqual(sortedCopy(ids), sortedCopy(wantIDs)) || !reflect.DeepEqual(rm, []string{base[0].ID}) {
		t.Fatalf("changes = %v removed %v; want %v removed [%s]", ids, rm, wantIDs, base[0].ID)
	}
	// Resuming from the newest cursor: nothing; from the first: the same diff.
	if ch, rm, next, err := f.Changes(ctx, c1); err != nil || len(ch)+len(rm) != 0 || next != c1 {
		t.Errorf("Changes from the newest cursor = %d, %d, %q, %v", len(ch), len(rm), next, err)
	}
	// A restarted plugin knows only the current file: its cursor resumes,
	// an older one expires, a foreign one expires too.
	g := &feed{path: path, log: slog.New(slog.DiscardHandler)}
	if ch, rm, next, err := g.Changes(ctx, c1); err != nil || len(ch)+len(rm) != 0 || next != c1 {
		t.Errorf("restarted, Changes from the current cursor = %d, %d, %q, %v", len(ch), len(rm), next, err)
	}
	for _, c := range []string{c0, "1a2b-3c", cursorPrefix + strings.Repeat("0", 32)} {
		if _, _, _, err := g.Changes(ctx, c); !errors.Is(err, sdk.ErrCursorExpired) {
			t.Errorf("Changes(%q) = %v, want ErrCursorExpired", c, err)
		}
	}
	// Only the last generations are kept.
	for i := range keptGenerations + 2 {
		edited[0].Name = "version " + string(rune('a'+i))
		time.Sleep(5 * time.Millisecond)
		writeFeed(t, path, edited)
		if _, _, err := f.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.gens) != keptGenerations {
		t.Errorf("%d generations kept, want %d", len(f.gens), keptGenerations)
	}
	if _, _, _, err := f.Changes(ctx, c0); !errors.Is(err, sdk.ErrCursorExpired) {
		t.Errorf("a cursor older than the kept generations = %v, want ErrCursorExpired", err)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestParseCursor(t *testing.T) {
	good := formatCursor(sha256.Sum256([]byte("x")))
	if d, err := parseCursor(good); err != nil || len(d) != 32 {
		t.Errorf("parseCursor(%q) = %q, %v", good, d, err)
	}
	for _, c := range []string{"", "lmn1:", "lmn2:" + strings.Repeat("a", 32), cursorPrefix + strings.Repeat("A", 32), cursorPrefix + strings.Repeat("g", 32), cursorPrefix + strings.Repeat("a", 31)} {
		if _, err := parseCursor(c); err == nil || !strings.Contains(err.Error(), "cursor") {
			t.Errorf("parseCursor(%q) = %v, want an error naming the cursor", c, err)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add(formatCursor(sha256.Sum256([]byte("x"))))
	f.Add("lmn1:zz")
	f.Add("")
	f.Fuzz(func(t *testing.T, c string) {
		d, err := parseCursor(c)
		if err != nil {
			return
		}
		// What parses is exactly a cursor this plugin could have written.
		if c != cursorPrefix+d || len(d) != 32 {
			t.Fatalf("parseCursor(%q) accepted %q", c, d)
		}
	})
}
