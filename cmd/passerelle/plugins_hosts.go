package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins"
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
