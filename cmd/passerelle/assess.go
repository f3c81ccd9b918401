package main

import (
	"context"
	"errors"
)

// assessCommand is a placeholder replaced by the package that fills it.
func assessCommand() command {
	return command{name: "assess", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("assess: not built yet")
	}}
}
