package main

import (
	"context"
	"errors"
)

// rulesCommand is a placeholder replaced by the referral work.
func rulesCommand() command {
	return command{name: "rules", summary: "(not built yet)", run: func(context.Context, *env, []string) error {
		return errors.New("rules: not built yet")
	}}
}
