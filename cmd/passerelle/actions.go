package main

import (
	"context"
	"errors"
)

// actionsCommand is a placeholder replaced by the ambassador-scheme work.
func actionsCommand() command {
	return command{name: "actions", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("actions: not built yet")
	}}
}
