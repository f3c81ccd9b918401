package main

import (
	"context"
	"errors"
)

// demoCommand is a placeholder replaced by the work that fills it.
func demoCommand() command {
	return command{name: "demo", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("demo: not built yet")
	}}
}
