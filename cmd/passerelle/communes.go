package main

import (
	"context"
	"errors"
)

// communesCommand is a placeholder replaced by the package that fills it.
func communesCommand() command {
	return command{name: "communes", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("communes: not built yet")
	}}
}
