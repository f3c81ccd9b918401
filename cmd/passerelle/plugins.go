package main

import (
	"context"
	"errors"
)

// pluginsCommand is a placeholder replaced by the work that fills it.
func pluginsCommand() command {
	return command{name: "plugins", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("plugins: not built yet")
	}}
}
