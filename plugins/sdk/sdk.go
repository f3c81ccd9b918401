// Package sdk is the plugin author's side: a regional team (a GRADeS, a
// CPAM) implements Directory, EventSink, Territory, Rules or Registry (or several) with plain Go types and
// calls Serve from main. The team never sees gRPC or protobuf; the host in
// package plugins starts the binary, verifies it, and talks to it.
//
// A plugin binary run as "myplugin describe" prints its manifest as JSON,
// which "passerelle plugins install" records with the binary's SHA-256.
// A plugin never outlives its host: Serve exits when the parent process
// dies, which go-plugin alone does not do.
package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

// Directory is a regional directory of mediation places.
type Directory interface {
	// Snapshot returns every place and a cursor from which Changes resumes.
	Snapshot(ctx context.Context) (places []mediation.Place, cursor string, err error)
	// Changes returns the places added or changed and the ids removed since
	// cursor, and the next cursor. Return ErrCursorExpired when the cursor
	// is too old: the host then receives a full snapshot.
	Changes(ctx context.Context, cursor string) (changed []mediation.Place, removed []string, next string, err error)
}

// EventSink receives the host's outbox events. Delivery is at least once:
// the same event (same ID, the idempotency key) may come again after a
// crash or a timeout, and the sink must take it only once.
type EventSink interface {
	// Deliver stores events durably and returns the ids it took; the host
	// acknowledges only those in its outbox and sends the others again.
	Deliver(ctx context.Context, events []Event) (acknowledged []uuid.UUID, err error)
}

// Event is one outbox event: the fields and JSON keys of the host's
// store.Event (a plugin does not link the store package). ID is the
// idempotency key.
type Event = wire.Event

// Territory serves indicators per commune (a digital-fragility index,
// fibre coverage, ...).
type Territory interface {
	// Indicators returns every indicator the plugin holds; the SDK streams
	// them in batches.
	Indicators(ctx context.Context) ([]Indicator, error)
}

// Indicator is one value of one indicator for one commune (INSEE code).
type Indicator = wire.Indicator

// Rules serves a regional rules document, in the format the referral
// package loads.
type Rules interface {
	Document(ctx context.Context) (RulesDocument, error)
}

// Registry serves the ambassador network of a region: coordinators,
// ambassadors and trainings, pseudonymous records that pass the mediation
// package's Validate.
type Registry interface {
	Network(ctx context.Context) (Network, error)
}

// Network is the ambassador network of a region.
type Network = wire.Network

// RulesDocument is a rules document with its media type
// ("application/yaml" or "application/json") and a version name.
type RulesDocument = wire.RulesDocument

// Errors an author returns (wrapped or not) to give the host a clear code.
var (
	// ErrCursorExpired: Changes cannot resume from this cursor.
	ErrCursorExpired = wire.ErrCursorExpired
	// ErrInvalid: the request is wrong.
	ErrInvalid = wire.ErrInvalid
	// ErrUnavailable: the plugin's own backend is down; the host retries.
	ErrUnavailable = wire.ErrUnavailable
)

// Plugin is what Serve serves: a name, a version and at least one provider.
type Plugin struct {
	Name    string
	Version string
	// Directory, EventSink, Territory, Rules, Registry: nil when the
	// plugin does not provide the kind.
	Directory Directory
	EventSink EventSink
	Territory Territory
	Rules     Rules
	Registry  Registry
}

func (p Plugin) impls() wire.Impls {
	return wire.Impls{Directory: p.Directory, EventSink: p.EventSink, Territory: p.Territory, Rules: p.Rules, Registry: p.Registry}
}

// Manifest returns the plugin's manifest, as "describe" prints it.
func (p Plugin) Manifest() wire.Manifest {
	m := wire.Manifest{Name: p.Name, Version: p.Version, Protocol: wire.ProtocolVersion, Protocols: []int{wire.ProtocolVersion}, Kinds: []string{}}
	if p.Directory != nil {
		m.Kinds = append(m.Kinds, wire.KindDirectory)
	}
	if p.EventSink != nil {
		m.Kinds = append(m.Kinds, wire.KindEventSink)
	}
	if p.Territory != nil {
		m.Kinds = append(m.Kinds, wire.KindTerritory)
	}
	if p.Rules != nil {
		m.Kinds = append(m.Kinds, wire.KindRules)
	}
	if p.Registry != nil {
		m.Kinds = append(m.Kinds, wire.KindRegistry)
	}
	return m
}

func (p Plugin) check() error {
	switch {
	case p.Name == "":
		return errors.New("sdk: Plugin.Name is empty")
	case p.Version == "":
		return errors.New("sdk: Plugin.Version is empty")
	case p.Directory == nil && p.EventSink == nil && p.Territory == nil && p.Rules == nil && p.Registry == nil:
		return errors.New("sdk: the plugin provides no kind (set Directory, EventSink, Territory, Rules or Registry)")
	}
	return nil
}

// Serve runs the plugin until the host stops it or dies. With the single
// argument "describe" it prints the manifest as JSON and returns. It
// returns an error only for a plugin badly declared or started wrongly.
func Serve(p Plugin) error {
	if err := p.check(); err != nil {
		return err
	}
	if len(os.Args) == 2 && os.Args[1] == "describe" {
		return Describe(os.Stdout, p)
	}
	if os.Getenv(wire.Handshake().MagicCookieKey) == "" {
		return fmt.Errorf("%s is a passerelle plugin: the host starts it; run %q to see its manifest", p.Name, os.Args[0]+" describe")
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	// The host names itself, because it may die before this line runs and
	// the first parent seen would then already be the reaper.
	parent := os.Getppid()
	if pid, err := strconv.Atoi(os.Getenv(wire.HostPIDEnv)); err == nil && pid > 0 {
		parent = pid
	}
	go WatchParent(ctx, parent, os.Getppid, 200*time.Millisecond, func() { os.Exit(3) })
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: wire.Handshake(),
		VersionedPlugins: map[int]goplugin.PluginSet{
			wire.ProtocolVersion: wire.Plugins(p.Manifest(), p.impls()),
		},
		GRPCServer: wire.NewServer,
	})
	return nil
}

// Describe writes the plugin's manifest as indented JSON.
func Describe(w io.Writer, p Plugin) error {
	if err := p.check(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(p.Manifest(), "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// WatchParent calls orphaned once the parent process id is no longer
// parent (the parent died and the process was re-parented), checking every
// interval until ctx ends.
func WatchParent(ctx context.Context, parent int, getppid func() int, interval time.Duration, orphaned func()) {
	if getppid() != parent {
		orphaned()
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if getppid() != parent {
				orphaned()
				return
			}
		}
	}
}

// Logger returns a logger for plugin code. Its records cross to the host,
// which logs them in its own log/slog with the plugin's name.
func Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		// go-plugin's host reads hclog's JSON keys from a plugin's stderr.
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				a.Key = "@timestamp"
			case slog.MessageKey:
				a.Key = "@message"
			case slog.LevelKey:
				a.Key = "@level"
				a.Value = slog.StringValue(hclogLevel(a.Value.Any()))
			}
			return a
		},
	}))
}

func hclogLevel(v any) string {
	l, _ := v.(slog.Level)
	switch {
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	}
	return "error"
}
