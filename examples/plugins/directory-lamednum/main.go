// Command directory-lamednum is an example regional directory plugin: it
// serves the places of a LaMednum standard-mediation-num file (v1 CSV or
// JSON, or the legacy v0.1 files lamednum reads) and watches the file, so
// the host sees the new places at its next refresh.
//
// The file comes from the environment variable LAMEDNUM_FILE, because the
// host starts plugins without arguments.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/plugins/sdk"
)

// feed is the file and the places last read from it. Its cursor names the
// version of the file (modification time and size), so it survives a
// restart of the plugin; a new version sends a whole snapshot, which is
// simple and right for files of a few thousand places.
type feed struct {
	path string
	log  *slog.Logger

	mu         sync.Mutex
	places     []mediation.Place
	generation int
	modTime    time.Time
	size       int64
}

func (f *feed) reload(ctx context.Context) error {
	st, err := os.Stat(f.path)
	if err != nil {
		return fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	f.mu.Lock()
	same := st.ModTime().Equal(f.modTime) && st.Size() == f.size && f.generation > 0
	f.mu.Unlock()
	if same {
		return nil
	}
	r, err := os.Open(f.path)
	if err != nil {
		return fmt.Errorf("%w: %v", sdk.ErrUnavailable, err)
	}
	defer r.Close()
	places, rep, err := lamednum.Decode(ctx, r, lamednum.Options{File: f.path})
	if err != nil {
		return fmt.Errorf("%w: %s: %v", sdk.ErrUnavailable, f.path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.places, f.modTime, f.size = places, st.ModTime(), st.Size()
	f.generation++
	f.log.Info("feed read", "file", f.path, "places", len(places), "rows", len(rep.Rows), "generation", f.generation)
	return nil
}

func (f *feed) Snapshot(ctx context.Context) ([]mediation.Place, string, error) {
	if err := f.reload(ctx); err != nil {
		return nil, "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.places, f.cursorLocked(), nil
}

func (f *feed) cursorLocked() string {
	return strconv.FormatInt(f.modTime.UnixNano(), 36) + "-" + strconv.FormatInt(f.size, 36)
}

func (f *feed) Changes(ctx context.Context, cursor string) ([]mediation.Place, []string, string, error) {
	if err := f.reload(ctx); err != nil {
		return nil, nil, "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if cursor == f.cursorLocked() {
		return nil, nil, cursor, nil
	}
	return nil, nil, "", sdk.ErrCursorExpired
}

func main() {
	f := &feed{path: os.Getenv("LAMEDNUM_FILE"), log: sdk.Logger()}
	p := sdk.Plugin{Name: "directory-lamednum", Version: "0.1.0", Directory: f}
	if len(os.Args) < 2 && f.path == "" && os.Getenv("PASSERELLE_PLUGIN") != "" {
		fmt.Fprintln(os.Stderr, "directory-lamednum: LAMEDNUM_FILE is not set")
		os.Exit(1)
	}
	if err := sdk.Serve(p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
