package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/store"
)

// pluginOptions are the options of plugins started by a CLI command:
// their warnings go to stderr with the plugin's name.
func pluginOptions(e *env) *plugins.Options {
	return &plugins.Options{Logger: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
}

// pluginPlaces is what --plugins DIR adds to a command that reads places:
// the places of every directory plugin installed in dir, each verified,
// started, read once and stopped. Places that break the standard are left
// out (the plugin's log says how many).
func pluginPlaces(ctx context.Context, e *env, dir string) ([]mediation.Place, error) {
	ps, err := plugins.OpenAll(dir, pluginOptions(e))
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, p := range ps {
			p.Close()
		}
	}()
	var all []mediation.Place
	for _, p := range ps {
		src, err := p.Directory()
		if err != nil {
			continue // not a directory plugin
		}
		m := plugins.NewMirror(src, nil)
		if _, err := m.Refresh(ctx); err != nil {
			return nil, fmt.Errorf("--plugins %s: %w", dir, err)
		}
		all = append(all, m.Places()...)
	}
	return all, nil
}

// relayToPlugins is what --plugins DIR adds to a command that writes
// events: the outbox is delivered to every event-sink plugin in dir, and an
// event is acknowledged once all of them took it. It returns how many
// events were acknowledged; with no sink plugin it delivers nothing.
func relayToPlugins(ctx context.Context, e *env, dir string, ob store.Outbox) (int, error) {
	ps, err := plugins.OpenAll(dir, pluginOptions(e))
	if err != nil {
		return 0, err
	}
	defer func() {
		for _, p := range ps {
			p.Close()
		}
	}()
	var sinks []plugins.Deliverer
	for _, p := range ps {
		if s, err := p.EventSink(); err == nil {
			sinks = append(sinks, s)
		}
	}
	if len(sinks) == 0 {
		return 0, nil
	}
	return plugins.Relay{Outbox: ob, Sink: plugins.AllOf(sinks...)}.Drain(ctx)
}
