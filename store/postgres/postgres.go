package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

var errClosed = store.ErrClosed

// Options tune Open. The zero value (or nil) is DefaultOptions.
type Options struct {
	// Schema is the PostgreSQL schema holding the tables: it becomes the
	// connections' search_path, and Open creates it when missing. Empty
	// takes the connection string's search_path parameter when it names one
	// schema (postgres://…/db?search_path=passerelle), or else keeps the
	// server's search_path (usually "public").
	Schema string
	// MaxConns caps the open connections (0: 8).
	MaxConns int
	// FollowUp is the policy of DueForFollowUp (nil: the default policy).
	FollowUp *referral.FollowUpPolicy
	// Now is the clock network records are validated against (nil:
	// time.Now), so a record dated in the future is refused.
	Now func() time.Time
}

// DefaultOptions are used when Open gets nil.
func DefaultOptions() Options { return Options{MaxConns: 8} }

// Store is a store.Store in PostgreSQL. It is safe for concurrent use, and
// several processes may use the same database at once.
type Store struct {
	pool   *pool
	policy referral.FollowUpPolicy
	clock  func() time.Time
	closed atomic.Bool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by connString (a postgres:// URL or
// a "key=value" string), applies the migrations it lacks and returns the
// store. It fails with store.ErrSchemaTooNew when the database was
// migrated by a newer program, and with store.ErrMigration when a
// migration fails (the database is then left as it was).
func Open(ctx context.Context, connString string, opts *Options) (*Store, error) {
	o := DefaultOptions()
	if opts != nil {
		o = *opts
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultOptions().MaxConns
	}
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("%w: postgres connection string: %v", store.ErrInvalid, err)
	}
	if sp := cfg.RuntimeParams["search_path"]; o.Schema == "" && sp != "" && validSchemaName(sp) {
		o.Schema = sp
	}
	if o.Schema != "" {
		if !validSchemaName(o.Schema) {
			return nil, fmt.Errorf("%w: postgres schema %q: use letters, digits and _ only", store.ErrInvalid, o.Schema)
		}
		cfg.RuntimeParams["search_path"] = o.Schema
	}
	s := &Store{pool: newPool(cfg, o.MaxConns), policy: referral.DefaultFollowUpPolicy(), clock: o.Now}
	if s.clock == nil {
		s.clock = time.Now
	}
	if o.FollowUp != nil {
		s.policy = *o.FollowUp
	}
	if err := s.migrate(ctx, o.Schema); err != nil {
		s.pool.close()
		return nil, err
	}
	return s, nil
}

func validSchemaName(s string) bool {
	if s == "" || len(s) > 63 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Close implements store.Store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.pool.close()
	return nil
}

// conn runs fn on a connection of its own.
func (s *Store) conn(ctx context.Context, fn func(c *pgx.Conn) error) error {
	if s.closed.Load() {
		return errClosed
	}
	c, err := s.pool.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.pool.release(c)
	return fn(c)
}

// tx runs fn in a transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.conn(ctx, func(c *pgx.Conn) error {
		return pgx.BeginFunc(ctx, c, fn)
	})
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order; file names start
// with their version ("0001_init.sql").
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("%w: migration %s: want version %d first in its name", store.ErrMigration, base, i+1)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// LatestSchemaVersion is the schema version this code writes.
func LatestSchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate applies the missing migrations in one transaction, under an
// advisory lock so that processes opening the database at once take turns:
// the first migrates, the others then find nothing to do.
func (s *Store) migrate(ctx context.Context, schema string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return s.conn(ctx, func(c *pgx.Conn) error {
		err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('passerelle.migrate'), hashtext($1))", schema); err != nil {
				return err
			}
			if schema != "" {
				if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version integer PRIMARY KEY,
				name text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var current int
			if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
				return err
			}
			if current > len(ms) {
				return fmt.Errorf("%w: the database is at version %d, this program knows up to %d", store.ErrSchemaTooNew, current, len(ms))
			}
			for _, m := range ms[current:] {
				if _, err := tx.Exec(ctx, m.sql); err != nil {
					return fmt.Errorf("%w: %s: %v", store.ErrMigration, m.name, err)
				}
				if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
					return fmt.Errorf("%w: %s: %v", store.ErrMigration, m.name, err)
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrSchemaTooNew) && !errors.Is(err, store.ErrMigration) {
			return fmt.Errorf("%w: %v", store.ErrMigration, err)
		}
		return err
	})
}

// SchemaVersion implements store.Store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.conn(ctx, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v)
	})
	return v, err
}
