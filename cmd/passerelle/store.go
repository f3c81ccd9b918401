package main

import (
	"context"
	"errors"
)

// storeCommand is a placeholder replaced by the ambassador-scheme work.
func storeCommand() command {
	return command{name: "store", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("store: not built yet")
	}}
}
