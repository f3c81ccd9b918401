package main

import (
	"context"
	"errors"
)

// reportCommand is a placeholder replaced by the work that fills it.
func reportCommand() command {
	return command{name: "report", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("report: not built yet")
	}}
}
