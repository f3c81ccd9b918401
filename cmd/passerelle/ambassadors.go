package main

import (
	"context"
	"errors"
)

// ambassadorsCommand is a placeholder replaced by the ambassador-scheme work.
func ambassadorsCommand() command {
	return command{name: "ambassadors", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("ambassadors: not built yet")
	}}
}
