// Package openstore opens a store.Store from a URL, so a command line or a
// configuration file names its store with one string:
//
//	memory:                  records in memory, lost at exit
//	sqlite:PATH              a SQLite file (created if missing)
//	PATH                     the same: a bare path is a SQLite file
//	postgres://… postgresql://…   a PostgreSQL database
//
// It is the one package that imports every implementation; the library
// itself depends on none of them.
package openstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/postgres"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// Kind names the implementation a URL selects.
type Kind string

// Kinds of store.
const (
	Memory   Kind = "memory"
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
)

// Parse says which implementation url selects and what it is given: the
// file path for SQLite, the connection string for PostgreSQL.
func Parse(url string) (Kind, string, error) {
	u := strings.TrimSpace(url)
	switch {
	case u == "":
		return "", "", store.ErrInvalidf("store URL is empty: want sqlite:PATH, a file path, memory: or postgres://...")
	case u == "memory:" || u == "memory://":
		return Memory, "", nil
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return Postgres, u, nil
	case strings.HasPrefix(u, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		if p == "" {
			return "", "", store.ErrInvalidf("store URL %q: no file path after sqlite:", url)
		}
		return SQLite, p, nil
	}
	if scheme, _, ok := strings.Cut(u, "://"); ok && !strings.ContainsAny(scheme, `/\.`) {
		return "", "", store.ErrInvalidf("store URL %q: unknown scheme %q (want sqlite:, memory: or postgres://)", url, scheme)
	}
	if strings.HasPrefix(u, "memory:") {
		return "", "", store.ErrInvalidf("store URL %q: memory: takes nothing after it", url)
	}
	return SQLite, u, nil
}

// Open opens the store url names, migrating it to the code's schema (see
// each implementation's Open).
func Open(ctx context.Context, url string) (store.Store, error) {
	kind, target, err := Parse(url)
	if err != nil {
		return nil, err
	}
	switch kind {
	case Memory:
		return memory.New(nil), nil
	case Postgres:
		s, err := postgres.Open(ctx, target, nil)
		if err != nil {
			return nil, err
		}
		return s, nil
	default:
		s, err := sqlite.Open(ctx, target, nil)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// Describe returns url without a password, for messages and logs.
func Describe(url string) string {
	kind, target, err := Parse(url)
	if err != nil || kind != Postgres {
		return strings.TrimSpace(url)
	}
	scheme, rest, _ := strings.Cut(target, "://")
	creds, host, ok := strings.Cut(rest, "@")
	if !ok {
		return target
	}
	user, _, _ := strings.Cut(creds, ":")
	return fmt.Sprintf("%s://%s@%s", scheme, user, host)
}
