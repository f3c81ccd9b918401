package main

import (
	"context"
	"errors"
)

// instrumentsCommand is a placeholder replaced by the package that fills it.
func instrumentsCommand() command {
	return command{name: "instruments", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("instruments: not built yet")
	}}
}
