package main

import (
	"context"
	"errors"
)

// referCommand is a placeholder replaced by the referral work.
func referCommand() command {
	return command{name: "refer", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("refer: not built yet")
	}}
}
