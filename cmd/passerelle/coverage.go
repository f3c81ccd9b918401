package main

import (
	"context"
	"errors"
)

// coverageCommand is a placeholder replaced by the ambassador-scheme work.
func coverageCommand() command {
	return command{name: "coverage", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("coverage: not built yet")
	}}
}
