// Command helpline is passerelle's phone desk (« guichet téléphonique »):
// a web app where teleadvisors triage callers, refer them to the right help
// and follow the referrals up, ambassadors record their actions, and
// coordinators read the coverage and the yearly report.
//
//	go run ./examples/helpline                      # http://127.0.0.1:8080
//	go run ./examples/helpline --store postgres://... --plugins ./plugins
//	go run ./examples/helpline adduser --login marie --role teleadvisor < password.txt
//
// On the first start with no account, it creates "admin" with a random
// password printed once on stderr. Flags may also be set by environment
// variables: PASSERELLE_ADDR, PASSERELLE_STORE, PASSERELLE_PLUGINS,
// PASSERELLE_RULES, PASSERELLE_LANG.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/passerelle-sante/passerelle/examples/helpline/internal/desk"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := desk.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, nil)
	stop()
	os.Exit(code)
}
