package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/openstore"
)

// pluginsRelayHelp documents --plugins on the commands that write events.
const pluginsRelayHelp = "a plugin directory: after the write, the store's pending events are delivered to its event-sink plugins (they stay in the outbox when a sink fails)"

const pluginsRelayUsage = `Usage:
  passerelle plugins relay --dir DIR [--store URL] [--follow] [--interval 2s]
        [--batch N] [--format text|json]

Delivers the store's pending events (its outbox) to every event-sink plugin
installed in DIR. An event is acknowledged in the outbox once every sink
took it, so a sink that is down or crashes loses nothing: the event is
delivered again at the next relay, and sinks deduplicate on the event id.

Without --follow the outbox is drained once; exit 1 when a sink fails (the
events it did not take stay pending). With --follow the relay keeps going,
every --interval, until SIGINT or SIGTERM, which let the delivery under way
finish and be acknowledged; a failing sink is retried with backoff.

Livre les événements en attente du stockage aux plugins récepteurs
(event_sink) de DIR. Un événement reste en attente tant qu'un récepteur ne
l'a pas accepté. Avec --follow, le relais continue jusqu'à SIGINT ou SIGTERM.`

func pluginsRelayCommand() command {
	return command{name: "relay", summary: "deliver the store's pending events to the event-sink plugins", usage: pluginsRelayUsage,
		run: runPluginsRelay}
}

type relayOutput struct {
	Store     string   `json:"store"`
	Sinks     []string `json:"sinks"`
	Delivered int      `json:"delivered"`
}

func runPluginsRelay(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "plugins relay", pluginsRelayUsage)
	dir := fs.String("dir", "", "plugin directory (required)")
	url := fs.String("store", defaultStoreURL, storeURLHelp)
	follow := fs.Bool("follow", false, "keep relaying until SIGINT or SIGTERM")
	interval := fs.Duration("interval", 2*time.Second, "with --follow, the wait between two looks at an empty outbox")
	batch := fs.Int("batch", 100, "events per delivery")
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *dir == "":
		return usagef("plugins relay --help", "plugins relay needs --dir")
	case len(pos) != 0:
		return usagef("plugins relay --help", "plugins relay takes no argument, got %q", pos[0])
	case *interval <= 0:
		return usagef("plugins relay --help", "--interval: %s is not a positive duration", *interval)
	case *batch <= 0 || *batch > 10000:
		return usagef("plugins relay --help", "--batch: %d is not between 1 and 10000", *batch)
	}
	sinks, err := openSinks(e, *dir)
	if err != nil {
		return err
	}
	defer sinks.Close()
	if len(sinks.names) == 0 {
		return fmt.Errorf("--dir %s: no event-sink plugin installed (plugins list --dir %s)", *dir, *dir)
	}
	s, err := openStore(ctx, e, *url)
	if err != nil {
		return err
	}
	defer s.Close()
	r := plugins.Relay{Outbox: s, Sink: sinks.sink, Batch: *batch}
	out := relayOutput{Store: openstore.Describe(*url), Sinks: sinks.names}
	if *follow {
		out.Delivered = followRelay(ctx, e, r, *interval)
	} else {
		out.Delivered, err = r.Drain(ctx)
		if err != nil {
			return fmt.Errorf("relay to %s: %d event(s) delivered before: %w (the others stay pending)", strings.Join(sinks.names, ", "), out.Delivered, err)
		}
	}
	if format.value == "json" {
		return writeJSON(e.stdout, out)
	}
	_, err = fmt.Fprintf(e.stdout, "%s: %d event(s) delivered to %s\n", out.Store, out.Delivered, strings.Join(out.Sinks, ", "))
	return err
}

// followRelay drains the outbox every interval until ctx ends. A delivery
// under way when ctx ends finishes (under the plugins' own timeouts) and is
// acknowledged: only the wait between two is cut short. Sink errors are
// logged and retried; the plugins' circuit breaker spaces the retries.
func followRelay(ctx context.Context, e *env, r plugins.Relay, interval time.Duration) int {
	work := context.WithoutCancel(ctx)
	total := 0
	for ctx.Err() == nil {
		for ctx.Err() == nil {
			n, err := r.Step(work)
			total += n
			if err != nil {
				fmt.Fprintf(e.stderr, "passerelle: plugins relay: %v (the events stay pending; next try in %s)\n", err, interval)
				break
			}
			if n == 0 {
				break
			}
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
	return total
}

// sinkSet is the event-sink plugins of a directory, open, as one
// Deliverer that acknowledges what all of them took.
type sinkSet struct {
	all   []*plugins.Plugin
	names []string
	sink  plugins.Deliverer
}

func (s *sinkSet) Close() error {
	for _, p := range s.all {
		p.Close()
	}
	return nil
}

// openSinks opens (verifies, without starting) every plugin in dir and
// keeps the event sinks. The caller closes the set.
func openSinks(e *env, dir string) (*sinkSet, error) {
	ps, err := plugins.OpenAll(dir, pluginOptions(e))
	if err != nil {
		return nil, err
	}
	set := &sinkSet{}
	var sinks []plugins.Deliverer
	for _, p := range ps {
		s, err := p.EventSink()
		if err != nil {
			p.Close()
			continue // not a sink
		}
		set.all = append(set.all, p)
		set.names = append(set.names, p.Manifest().Name)
		sinks = append(sinks, s)
	}
	set.sink = plugins.AllOf(sinks...)
	return set, nil
}

// relayToPlugins is what --plugins DIR adds to a command that writes
// events: the outbox is delivered to every event-sink plugin in dir, and an
// event is acknowledged once all of them took it. It returns how many
// events were acknowledged; with no sink plugin it delivers nothing.
func relayToPlugins(ctx context.Context, e *env, dir string, ob store.Outbox) (int, error) {
	sinks, err := openSinks(e, dir)
	if err != nil {
		return 0, err
	}
	defer sinks.Close()
	if len(sinks.names) == 0 {
		return 0, nil
	}
	return plugins.Relay{Outbox: ob, Sink: sinks.sink}.Drain(ctx)
}

// relayAfterWrite runs after a command wrote to the store at url, when
// --plugins DIR was given (dir ""; nothing happens): it delivers the
// pending events to the sink plugins of dir. handle is the command's open
// store; when it is a store.Outbox it is used (so memory: works), else url
// is opened again. The write is already committed, so a failed delivery
// is a warning on stderr, not an error: the events stay in the outbox for
// the next relay ("passerelle plugins relay").
func relayAfterWrite(ctx context.Context, e *env, dir string, handle any, url string) {
	if dir == "" {
		return
	}
	ob, ok := handle.(store.Outbox)
	if !ok {
		s, err := openStore(ctx, e, url)
		if err != nil {
			fmt.Fprintf(e.stderr, "passerelle: --plugins %s: events not delivered, they stay in the outbox: %v\n", dir, err)
			return
		}
		defer s.Close()
		ob = s
	}
	n, err := relayToPlugins(ctx, e, dir, ob)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(e.stderr, "passerelle: --plugins %s: %d event(s) delivered, the others stay in the outbox (passerelle plugins relay --dir %s): %v\n", dir, n, dir, err)
		return
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "passerelle: --plugins %s: %d event(s) delivered\n", dir, n)
	}
}
