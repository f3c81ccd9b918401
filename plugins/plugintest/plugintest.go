// Package plugintest is the conformance kit a regional team runs in its own
// go test: it serves the team's sdk.Plugin in process (InProcess) or runs
// the built binary as the host would (Binary), and checks the contract:
// places valid per the standard with unique ids, a cursor that resumes
// with changes rather than a new snapshot (and, with CheckChanges, changes
// that bring the host to the directory's new state),
// acknowledgements that cover only events sent and survive a second
// delivery of the same events, errors mapped to clear codes, cancellation
// honoured, indicators that pass the contract.
package plugintest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
	"github.com/passerelle-sante/passerelle/plugins/sdk"
	"github.com/passerelle-sante/passerelle/store"
)

// Check is one contract check and its outcome (Err nil: passed).
type Check struct {
	Name string
	Err  error
}

// Report is the outcome of every check run.
type Report struct {
	Plugin string
	Checks []Check
}

// Err joins the failed checks, or returns nil.
func (r Report) Err() error {
	var errs []error
	for _, c := range r.Checks {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", r.Plugin, c.Name, c.Err))
		}
	}
	return errors.Join(errs...)
}

func (r *Report) add(name string, err error) {
	r.Checks = append(r.Checks, Check{Name: name, Err: err})
}

// PlaceStream is a directory as the host reads it (*plugins.DirectorySource).
type PlaceStream interface {
	Places(ctx context.Context, cursor string, each func(plugins.Batch) error) error
}

// Deliverer is a sink as the host calls it (*plugins.EventSink).
type Deliverer interface {
	Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error)
}

// CheckDirectory runs the directory checks.
func CheckDirectory(ctx context.Context, d PlaceStream, r *Report) {
	var (
		cursor string
		total  int
		full   = true
		ids    = map[string]bool{}
		bad    []string
	)
	err := d.Places(ctx, "", func(b plugins.Batch) error {
		full = full && b.Full
		if b.Cursor != "" {
			cursor = b.Cursor
		}
		for _, p := range b.Places {
			total++
			if ids[p.ID] {
				bad = append(bad, fmt.Sprintf("place %q: id seen twice", p.ID))
			}
			ids[p.ID] = true
			for _, fe := range p.Validate() {
				bad = append(bad, fmt.Sprintf("place %q: %s", p.ID, fe.Error()))
			}
		}
		return nil
	})
	switch {
	case err != nil:
		r.add("snapshot", err)
	case !full:
		r.add("snapshot", errors.New("a stream from the empty cursor must be a full snapshot"))
	case cursor == "":
		r.add("snapshot", errors.New("the snapshot ends without a cursor to resume from"))
	case len(bad) > 0:
		r.add("snapshot", fmt.Errorf("%d of %d places break the contract, first: %s", len(bad), total, strings.Join(bad[:min(5, len(bad))], "; ")))
	default:
		r.add(fmt.Sprintf("snapshot (%d places)", total), nil)
	}
	if cursor != "" {
		_, err := resume(ctx, d, cursor)
		r.add("resume from cursor", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = d.Places(cctx, "", func(plugins.Batch) error { return nil })
	if !errors.Is(err, context.Canceled) {
		r.add("cancellation", fmt.Errorf("a cancelled stream returned %v, want context.Canceled", err))
	} else {
		r.add("cancellation", nil)
	}
}

// stream is what one Places call gave.
type stream struct {
	places  []mediation.Place
	removed []string
	cursor  string
	full    bool
}

func read(ctx context.Context, d PlaceStream, cursor string) (stream, error) {
	var s stream
	err := d.Places(ctx, cursor, func(b plugins.Batch) error {
		s.full = s.full || b.Full
		s.places = append(s.places, b.Places...)
		s.removed = append(s.removed, b.Removed...)
		if b.Cursor != "" {
			s.cursor = b.Cursor
		}
		return nil
	})
	return s, err
}

// resume reads the changes since cursor and checks that they are changes,
// not a new snapshot, and end with a cursor.
func resume(ctx context.Context, d PlaceStream, cursor string) (stream, error) {
	s, err := read(ctx, d, cursor)
	switch {
	case err != nil:
		return s, err
	case s.full:
		return s, fmt.Errorf("from the cursor %q it had just given, the plugin sent a whole snapshot again: Changes must resume from its own cursors (ErrCursorExpired is for cursors it no longer knows)", cursor)
	case s.cursor == "":
		return s, fmt.Errorf("changes since %q end without a cursor", cursor)
	}
	return s, nil
}

// CheckChanges checks that a directory serves changes since a cursor: it
// reads a snapshot, calls change (which alters the plugin's source, e.g.
// rewrites its file), reads the changes since the snapshot's cursor and
// checks that they are changes (not a new snapshot), that the snapshot with
// them applied holds exactly what a new snapshot holds, and that the newest
// cursor resumes with nothing changed. Places are compared without the row
// numbers of their provenance, which move when rows above them do.
func CheckChanges(ctx context.Context, d PlaceStream, change func() error, r *Report) {
	const name = "changes since a cursor"
	before, err := read(ctx, d, "")
	if err == nil && before.cursor == "" {
		err = errors.New("the snapshot ends without a cursor")
	}
	if err != nil {
		r.add(name, err)
		return
	}
	if err := change(); err != nil {
		r.add(name, fmt.Errorf("changing the source: %w", err))
		return
	}
	diff, err := resume(ctx, d, before.cursor)
	if err != nil {
		r.add(name, err)
		return
	}
	state := map[string]mediation.Place{}
	for _, p := range before.places {
		state[p.ID] = p
	}
	for _, id := range diff.removed {
		delete(state, id)
	}
	for _, p := range diff.places {
		state[p.ID] = p
	}
	after, err := read(ctx, d, "")
	if err != nil {
		r.add(name, fmt.Errorf("new snapshot: %w", err))
		return
	}
	var bad []string
	for _, p := range after.places {
		q, ok := state[p.ID]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("place %q is in the new snapshot, not in the changes", p.ID))
		case !samePlace(p, q):
			bad = append(bad, fmt.Sprintf("place %q differs from the new snapshot once the changes are applied", p.ID))
		}
		delete(state, p.ID)
	}
	for id := range state {
		bad = append(bad, fmt.Sprintf("place %q was not removed by the changes but is gone from the new snapshot", id))
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		r.add(name, fmt.Errorf("%d differences, first: %s", len(bad), strings.Join(bad[:min(5, len(bad))], "; ")))
		return
	}
	if diff.cursor != after.cursor {
		r.add(name, fmt.Errorf("the changes end at cursor %q, the new snapshot at %q", diff.cursor, after.cursor))
		return
	}
	r.add(fmt.Sprintf("%s (%d added or changed, %d removed)", name, len(diff.places), len(diff.removed)), nil)
	again, err := resume(ctx, d, diff.cursor)
	if err == nil && len(again.places)+len(again.removed) > 0 {
		err = fmt.Errorf("nothing changed, yet the changes since %q hold %d places and %d removals", diff.cursor, len(again.places), len(again.removed))
	}
	r.add("resume from the newest cursor", err)
}

// samePlace compares two places without the row numbers of their
// provenance.
func samePlace(a, b mediation.Place) bool {
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
	a.Provenance, b.Provenance = nil, nil
	return reflect.DeepEqual(a, b)
}

// CheckEventSink runs the sink checks. It delivers 3 events of kind
// "plugintest.check", twice.
func CheckEventSink(ctx context.Context, s Deliverer, r *Report) {
	evs := make([]store.Event, 3)
	sent := map[uuid.UUID]bool{}
	for i := range evs {
		evs[i] = store.Event{ID: uuid.New(), Kind: "plugintest.check", Subject: uuid.NewString(), At: time.Now().UTC().Truncate(time.Microsecond), Payload: []byte(`{"check":true}`)}
		sent[evs[i].ID] = true
	}
	for round, name := range []string{"deliver", "deliver again (idempotent)"} {
		acked, err := s.Deliver(ctx, evs)
		if err == nil {
			got := map[uuid.UUID]bool{}
			for _, id := range acked {
				if !sent[id] {
					err = fmt.Errorf("acknowledged %s, which was never sent", id)
					break
				}
				got[id] = true
			}
			if err == nil && len(got) != len(evs) {
				err = fmt.Errorf("delivery %d: %d of %d events acknowledged", round+1, len(got), len(evs))
			}
		}
		r.add(name, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Deliver(cctx, evs); !errors.Is(err, context.Canceled) {
		r.add("cancellation", fmt.Errorf("a cancelled delivery returned %v, want context.Canceled", err))
	} else {
		r.add("cancellation", nil)
	}
}

// IndicatorSource is a territory plugin as the host reads it
// (*plugins.TerritorySource).
type IndicatorSource interface {
	Indicators(ctx context.Context) ([]plugins.Indicator, error)
}

// CheckTerritory runs the territory checks: every indicator passes the
// contract (the host refuses the whole set otherwise) and cancellation is
// honoured.
func CheckTerritory(ctx context.Context, s IndicatorSource, r *Report) {
	ins, err := s.Indicators(ctx)
	if err != nil {
		r.add("indicators", err)
	} else {
		r.add(fmt.Sprintf("indicators (%d)", len(ins)), nil)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Indicators(cctx); !errors.Is(err, context.Canceled) {
		r.add("cancellation", fmt.Errorf("a cancelled call returned %v, want context.Canceled", err))
	} else {
		r.add("cancellation", nil)
	}
}

// RulesServer is a rules plugin as the host reads it (*plugins.RulesSource).
type RulesServer interface {
	Document(ctx context.Context) (plugins.RulesDocument, error)
}

// CheckRules runs the rules checks: a document that passes the contract,
// and cancellation honoured.
func CheckRules(ctx context.Context, s RulesServer, r *Report) {
	d, err := s.Document(ctx)
	if err != nil {
		r.add("rules document", err)
	} else {
		r.add(fmt.Sprintf("rules document (%s, %d bytes)", d.Version, len(d.Content)), nil)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Document(cctx); !errors.Is(err, context.Canceled) {
		r.add("cancellation", fmt.Errorf("a cancelled call returned %v, want context.Canceled", err))
	} else {
		r.add("cancellation", nil)
	}
}

// NetworkSource is a registry plugin as the host reads it
// (*plugins.RegistrySource).
type NetworkSource interface {
	Network(ctx context.Context) (plugins.Network, error)
}

// CheckRegistry runs the registry checks: every record passes its
// Validate (the host refuses the whole network otherwise), and
// cancellation is honoured.
func CheckRegistry(ctx context.Context, s NetworkSource, r *Report) {
	n, err := s.Network(ctx)
	if err != nil {
		r.add("registry", err)
	} else {
		r.add(fmt.Sprintf("registry (%d coordinators, %d ambassadors, %d trainings)", len(n.Coordinators), len(n.Ambassadors), len(n.Trainings)), nil)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Network(cctx); !errors.Is(err, context.Canceled) {
		r.add("cancellation", fmt.Errorf("a cancelled call returned %v, want context.Canceled", err))
	} else {
		r.add("cancellation", nil)
	}
}

// inProcessSink adapts the wire client to Deliverer.
type inProcessSink struct{ c *wire.EventSinkClient }

func (s inProcessSink) Deliver(ctx context.Context, events []store.Event) ([]uuid.UUID, error) {
	evs := make([]wire.Event, len(events))
	for i, e := range events {
		evs[i] = wire.Event(e)
	}
	return s.c.Deliver(ctx, evs)
}

// inProcessDirectory adapts the wire client to PlaceStream.
type inProcessDirectory struct{ c *wire.DirectoryClient }

func (d inProcessDirectory) Places(ctx context.Context, cursor string, each func(plugins.Batch) error) error {
	return d.c.Places(ctx, cursor, 0, func(b wire.Batch) error { return each(plugins.Batch(b)) })
}

// CheckInProcess serves p over an in-process gRPC connection (the same
// adapters as a real plugin, without the process) and checks it.
func CheckInProcess(ctx context.Context, t testing.TB, p sdk.Plugin) Report {
	var buf strings.Builder
	if err := sdk.Describe(&buf, p); err != nil {
		return Report{Plugin: p.Name, Checks: []Check{{Name: "describe", Err: err}}}
	}
	r := Report{Plugin: p.Name}
	c, _ := goplugin.TestPluginGRPCConn(t, false, wire.Plugins(p.Manifest(), wire.Impls{Directory: p.Directory, EventSink: p.EventSink, Territory: p.Territory, Rules: p.Rules, Registry: p.Registry}))
	defer c.Close()
	if p.Directory != nil {
		v, err := c.Dispense(wire.KindDirectory)
		if err != nil {
			r.add("dispense directory", err)
		} else {
			CheckDirectory(ctx, inProcessDirectory{v.(*wire.DirectoryClient)}, &r)
		}
	}
	if p.Territory != nil {
		v, err := c.Dispense(wire.KindTerritory)
		if err != nil {
			r.add("dispense territory", err)
		} else {
			CheckTerritory(ctx, v.(*wire.TerritoryClient), &r)
		}
	}
	if p.Registry != nil {
		v, err := c.Dispense(wire.KindRegistry)
		if err != nil {
			r.add("dispense registry", err)
		} else {
			CheckRegistry(ctx, v.(*wire.RegistryClient), &r)
		}
	}
	if p.Rules != nil {
		v, err := c.Dispense(wire.KindRules)
		if err != nil {
			r.add("dispense rules", err)
		} else {
			CheckRules(ctx, v.(*wire.RulesClient), &r)
		}
	}
	if p.EventSink != nil {
		v, err := c.Dispense(wire.KindEventSink)
		if err != nil {
			r.add("dispense event sink", err)
		} else {
			CheckEventSink(ctx, inProcessSink{v.(*wire.EventSinkClient)}, &r)
		}
	}
	return r
}

// CheckBinary installs the plugin binary into a temporary directory, runs
// it as the host does (checksum, protocol, AutoMTLS) with env added to its
// environment, and checks every kind it declares.
func CheckBinary(ctx context.Context, binary string, env ...string) (Report, error) {
	dir, err := os.MkdirTemp("", "plugintest-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)
	m, err := plugins.Install(ctx, binary, dir)
	if err != nil {
		return Report{}, err
	}
	p, err := plugins.Open(dir, m.Name, &plugins.Options{Env: env, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return Report{}, err
	}
	defer p.Close()
	r := Report{Plugin: m.Name}
	if err := p.Start(ctx); err != nil {
		r.add("start", err)
		return r, nil
	}
	r.add("start", nil)
	if d, err := p.Directory(); err == nil {
		CheckDirectory(ctx, d, &r)
	}
	if s, err := p.EventSink(); err == nil {
		CheckEventSink(ctx, s, &r)
	}
	if t, err := p.Territory(); err == nil {
		CheckTerritory(ctx, t, &r)
	}
	if rs, err := p.Rules(); err == nil {
		CheckRules(ctx, rs, &r)
	}
	if rg, err := p.Registry(); err == nil {
		CheckRegistry(ctx, rg, &r)
	}
	return r, nil
}

// Run fails t with every failed check of r and logs the passed ones.
func Run(t testing.TB, r Report) {
	t.Helper()
	for _, c := range r.Checks {
		if c.Err != nil {
			t.Errorf("%s: %s: %v", r.Plugin, c.Name, c.Err)
		} else {
			t.Logf("%s: %s: ok", r.Plugin, c.Name)
		}
	}
}
