package plugins

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

// Batch is one piece of a directory plugin's stream: places added or
// replaced, ids removed, and on the last batch the cursor to resume from.
// Full says the stream is a whole snapshot, not changes. The array of
// Places is reused for the next batch of the stream, so streams allocate
// little: append the places elsewhere to keep them (append(kept,
// b.Places...)); the places themselves, copied, stay valid.
type Batch struct {
	Places  []mediation.Place
	Removed []string
	Cursor  string
	Full    bool
}

// DirectorySource reads a directory plugin.
type DirectorySource struct {
	p *Plugin
	// BatchSize asks the plugin for batches of this many places (0: the
	// plugin's default).
	BatchSize int
	// placeMessages asks for the encoding of hosts before the packed one
	// (benchmark baseline).
	placeMessages bool
}

// Directory returns the plugin as a source of places, or an error
// wrapping ErrUnsupported when its manifest does not declare the kind.
func (p *Plugin) Directory() (*DirectorySource, error) {
	if !p.manifest.Provides(KindDirectory) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, KindDirectory)
	}
	return &DirectorySource{p: p}, nil
}

// Places streams the places changed since cursor ("" for all of them) and
// calls each for every batch, in order, under the stream timeout.
func (d *DirectorySource) Places(ctx context.Context, cursor string, each func(Batch) error) error {
	v, err := d.p.dispense(wire.KindDirectory)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, d.p.opts.StreamTimeout)
	defer cancel()
	dc := *v.(*wire.DirectoryClient)
	dc.PlaceMessages = d.placeMessages
	err = dc.Places(ctx, cursor, d.BatchSize, func(b wire.Batch) error {
		return each(Batch(b))
	})
	if err != nil {
		return d.p.failed(fmt.Errorf("plugin %q: places: %w", d.p.manifest.Name, err))
	}
	d.p.succeeded()
	return nil
}

// Mirror keeps a local mediation.Index of a directory plugin's places, so
// queries never wait on the plugin. Refresh pulls the changes since the
// last cursor; when the plugin fails, the last good index keeps serving.
// A Mirror is a mediation.Directory and is safe for concurrent use.
type Mirror struct {
	src  *DirectorySource
	opts *mediation.IndexOptions

	mu       sync.Mutex // serialises Refresh
	places   map[string]mediation.Place
	cursor   string
	rejected int

	index atomic.Pointer[mediation.Index]
}

// NewMirror returns an empty mirror of src; call Refresh to fill it.
// opts are passed to mediation.NewIndex.
func NewMirror(src *DirectorySource, opts *mediation.IndexOptions) *Mirror {
	return &Mirror{src: src, opts: opts, places: map[string]mediation.Place{}}
}

// RefreshReport says what one Refresh did.
type RefreshReport struct {
	Received int // places received
	Removed  int // ids removed
	// Rejected places break the standard (Place.Validate) and were left out.
	Rejected int
	Full     bool
	Total    int // places in the index afterwards
	Cursor   string
}

// Refresh pulls the changes since the last cursor (everything the first
// time) and swaps in a new index. On error nothing changes: the previous
// index keeps answering.
func (m *Mirror) Refresh(ctx context.Context) (RefreshReport, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var (
		rep     RefreshReport
		changed []mediation.Place
		removed []string
	)
	err := m.src.Places(ctx, m.cursor, func(b Batch) error {
		if b.Full {
			rep.Full = true
		}
		changed = append(changed, b.Places...)
		removed = append(removed, b.Removed...)
		if b.Cursor != "" {
			rep.Cursor = b.Cursor
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	next := make(map[string]mediation.Place, len(m.places)+len(changed))
	if !rep.Full {
		for k, v := range m.places {
			next[k] = v
		}
	}
	for _, id := range removed {
		delete(next, id)
	}
	for _, p := range changed {
		if len(p.Validate()) > 0 {
			rep.Rejected++
			continue
		}
		next[p.ID] = p
	}
	all := make([]mediation.Place, 0, len(next))
	for _, p := range next {
		all = append(all, p)
	}
	// A stable order keeps the index's tie-breaking reproducible.
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	ix, err := mediation.NewIndex(all, m.opts)
	if err != nil {
		return rep, fmt.Errorf("plugin %q: index: %w", m.src.p.manifest.Name, err)
	}
	if rep.Rejected > 0 {
		m.src.p.log.Warn("places rejected: they break the standard", "rejected", rep.Rejected)
	}
	m.places, m.cursor = next, rep.Cursor
	m.rejected += rep.Rejected
	m.index.Store(ix)
	rep.Received, rep.Removed, rep.Total = len(changed), len(removed), len(all)
	return rep, nil
}

// Places returns the places of the last good Refresh, sorted by id.
func (m *Mirror) Places() []mediation.Place {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]mediation.Place, 0, len(m.places))
	for _, p := range m.places {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Index returns the current index, nil before the first good Refresh.
func (m *Mirror) Index() *mediation.Index { return m.index.Load() }

// Nearby answers from the last good index.
func (m *Mirror) Nearby(ctx context.Context, q mediation.Query) ([]mediation.Result, error) {
	ix := m.index.Load()
	if ix == nil {
		return nil, fmt.Errorf("%w: plugin %q: no places loaded yet", ErrUnavailable, m.src.p.manifest.Name)
	}
	return ix.Nearby(ctx, q)
}
