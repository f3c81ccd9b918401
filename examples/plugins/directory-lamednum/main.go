// Command directory-lamednum is an example regional directory plugin: it
// serves the places of a LaMednum standard-mediation-num file (v1 CSV or
// JSON, or the legacy v0.1 files lamednum reads) and watches the file, so
// the host sees the changes at its next refresh.
//
// The file comes from the environment variable LAMEDNUM_FILE, because the
// host starts plugins without arguments.
//
// # Cursors and changes
//
// Each version of the file read is a generation, named by the SHA-256 of
// its bytes: the cursor is "lmn1:" and the first 16 bytes of it in hex.
// Asked for the changes since a cursor, the plugin answers with the places
// added or changed and the ids removed between that generation and the
// current one, for the last few generations it keeps in memory. A cursor
// it no longer knows (the plugin restarted, or the host is far behind)
// gets a whole snapshot. Because the cursor names the content, a host
// resuming after a restart of the plugin from the current file's cursor is
// told that nothing changed.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

// keptGenerations is how many versions of the file the plugin can diff
// against.
const keptGenerations = 8

// cursorPrefix starts every cursor of this plugin; the number is the
// cursor format's version.
const cursorPrefix = "lmn1:"

// generation is one version of the file.
type generation struct {
	cursor string
	places []mediation.Place // sorted by id
	byID   map[string]*mediation.Place
}

// feed is the file, its last stat, and the generations read from it,
// oldest first.
type feed struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	modTime time.Time
	size    int64
	gens    []*generation
}

// formatCursor names a generation by the digest of the file's bytes.
func formatCursor(sum [sha256.Size]byte) string {
	return cursorPrefix + hex.EncodeToString(sum[:16])
}

// parseCursor checks that c is a cursor of this plugin and returns the
// digest it names, or an error saying what is wrong with it.
func parseCursor(c string) (string, error) {
	rest, ok := strings.CutPrefix(c, cursorPrefix)
	if !ok {
		return "", fmt.Errorf("cursor %q: does not start with %q (not a cursor of this plugin, or of an older version)", c, cursorPrefix)
	}
	if len(rest) != 32 {
		return "", fmt.Errorf("cursor %q: %d hex digits after %q, want 32", c, len(rest), cursorPrefix)
	}
	if _, err := hex.DecodeString(rest); err != nil || strings.ToLower(rest) != rest {
		return "", fmt.Errorf("cursor %q: %q is not lower-case hex", c, rest)
	}
	return rest, nil
}

// current rereads the file when its size or modification time changed and
// returns the newest generation.
func (f *feed) current(ctx context.Context) (*generation, error) {
	st, err := os.Stat(f.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.gens) > 0 && st.ModTime().Equal(f.modTime) && st.Size() == f.size {
		return f.gens[len(f.gens)-1], nil
	}
	raw, err := os.ReadFile(f.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	cursor := formatCursor(sha256.Sum256(raw))
	f.modTime, f.size = st.ModTime(), st.Size()
	if n := len(f.gens); n > 0 && f.gens[n-1].cursor == cursor {
		return f.gens[n-1], nil // touched, not changed
	}
	places, rep, err := lamednum.Decode(ctx, bytes.NewReader(raw), lamednum.Options{File: f.path})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", sdk.ErrUnavailable, f.path, err)
	}
	g := &generation{cursor: cursor, places: places, byID: make(map[string]*mediation.Place, len(places))}
	sort.SliceStable(g.places, func(i, j int) bool { return g.places[i].ID < g.places[j].ID })
	for i := range g.places {
		g.byID[g.places[i].ID] = &g.places[i]
	}
	f.gens = append(f.gens, g)
	if len(f.gens) > keptGenerations {
		f.gens = append(f.gens[:0], f.gens[len(f.gens)-keptGenerations:]...)
	}
	f.log.Info("feed read", "file", f.path, "places", len(places), "rows", len(rep.Rows), "cursor", cursor)
	return g, nil
}

// find returns the kept generation named by cursor, or nil.
func (f *feed) find(cursor string) *generation {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.gens {
		if g.cursor == cursor {
			return g
		}
	}
	return nil
}

func (f *feed) Snapshot(ctx context.Context) ([]mediation.Place, string, error) {
	g, err := f.current(ctx)
	if err != nil {
		return nil, "", err
	}
	return g.places, g.cursor, nil
}

func (f *feed) Changes(ctx context.Context, cursor string) ([]mediation.Place, []string, string, error) {
	if _, err := parseCursor(cursor); err != nil {
		f.log.Warn("unknown cursor format: sending a snapshot", "error", err.Error())
		return nil, nil, "", sdk.ErrCursorExpired
	}
	cur, err := f.current(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	old := f.find(cursor)
	if old == nil {
		return nil, nil, "", sdk.ErrCursorExpired
	}
	changed, removed := diff(old, cur)
	return changed, removed, cur.cursor, nil
}

// diff returns the places of cur that old does not have or has otherwise,
// and the ids of old that cur no longer has, both sorted by id.
func diff(old, cur *generation) (changed []mediation.Place, removed []string) {
	if old == cur {
		return nil, nil
	}
	for i := range cur.places {
		p := &cur.places[i]
		if o, ok := old.byID[p.ID]; !ok || !sameContent(o, p) {
			changed = append(changed, *p)
		}
	}
	for _, p := range old.places {
		if _, ok := cur.byID[p.ID]; !ok {
			removed = append(removed, p.ID)
		}
	}
	return changed, removed
}

// sameContent reports whether two versions of a place say the same thing.
// The row numbers of their provenance are left out: a row removed above a
// place moves it in the file without changing it.
func sameContent(a, b *mediation.Place) bool {
	if len(a.Provenance) != len(b.Provenance) {
		return false
	}
	for i := range a.Provenance {
		pa, pb := a.Provenance[i], b.Provenance[i]
		pa.Row, pb.Row = 0, 0
		if pa != pb {
			return false
		}
	}
	x, y := *a, *b
	x.Provenance, y.Provenance = nil, nil
	return reflect.DeepEqual(x, y)
}

func main() {
	f := &feed{path: os.Getenv("LAMEDNUM_FILE"), log: sdk.Logger()}
	p := sdk.Plugin{Name: "directory-lamednum", Version: "0.2.0", Directory: f}
	if len(os.Args) < 2 && f.path == "" && os.Getenv("PASSERELLE_PLUGIN") != "" {
		fmt.Fprintln(os.Stderr, "directory-lamednum: LAMEDNUM_FILE is not set")
		os.Exit(1)
	}
	if err := sdk.Serve(p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
