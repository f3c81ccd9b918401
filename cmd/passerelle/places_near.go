package main

import (
	"context"
	"errors"
)

// placesNearCommand is a placeholder replaced by the directory index work.
func placesNearCommand() command {
	return command{name: "near", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("places near: not built yet")
	}}
}
