// Package sqlite is the embedded store.Store: one SQLite file, opened with
// the pure-Go driver modernc.org/sqlite, so a path is all it needs and no C
// toolchain is involved.
//
// The database runs in WAL mode (readers never wait for the writer) with
// synchronous=FULL (a committed transaction survives a crash of the process
// and of the machine) and a busy timeout, so several processes may share
// the file: writes are serialised, never lost. Within one process, writes
// also queue on a mutex rather than spin on SQLITE_BUSY.
//
// The schema is versioned: the migrations/*.sql files are embedded and
// applied at Open, in one transaction, in order. A database whose version
// is newer than the code's is refused (store.ErrSchemaTooNew) rather than
// misread.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one embedded schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, n := range names {
		base := path.Base(n)
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%w: migration file %s: want NNNN_name.sql", store.ErrMigration, base)
		}
		if len(out) > 0 && out[len(out)-1].Version != v-1 || len(out) == 0 && v != 1 {
			return nil, fmt.Errorf("%w: migration file %s: versions must run 1, 2, 3 and on", store.ErrMigration, base)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(b)})
	}
	return out, nil
}

// Options configure a Store; nil means the defaults.
type Options struct {
	// FollowUp is the policy of DueForFollowUp; nil means
	// referral.DefaultFollowUpPolicy().
	FollowUp *referral.FollowUpPolicy
	// Now is the store's clock (validation of records against the present,
	// journal entries without a time); nil means time.Now.
	Now func() time.Time
	// BusyTimeout is how long a write waits for another process's
	// transaction; 0 means 10 s.
	BusyTimeout time.Duration
	// StreamWorkers is how many readers each store.Streamer method runs,
	// each on its own connection over its own range of rows; 0 means one
	// per CPU (runtime.GOMAXPROCS).
	StreamWorkers int
}

// Store is a store.Store in one SQLite file.
type Store struct {
	db     *sql.DB
	path   string
	policy referral.FollowUpPolicy
	now    func() time.Time
	// writeMu queues this process's write transactions.
	writeMu       sync.Mutex
	streamWorkers int
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it if needed) the database at path and migrates it
// to the code's schema version.
func Open(ctx context.Context, path string, o *Options) (*Store, error) {
	if path == "" {
		return nil, store.ErrInvalidf("sqlite: empty path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, store.ErrInvalidf("sqlite: path %q: '?' and '#' are not allowed in a database path", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, store.ErrInvalidf("sqlite: %s: directory %s does not exist", path, dir)
		}
	}
	// A new file is readable by its owner only: it holds health-adjacent
	// records. SQLite gives its -wal and -shm files the same permissions.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	s := &Store{path: path, policy: referral.DefaultFollowUpPolicy(), now: time.Now}
	busy := 10 * time.Second
	if o != nil {
		if o.FollowUp != nil {
			s.policy = *o.FollowUp
		}
		if o.Now != nil {
			s.now = o.Now
		}
		if o.BusyTimeout > 0 {
			busy = o.BusyTimeout
		}
		s.streamWorkers = o.StreamWorkers
	}
	dsn := fmt.Sprintf("%s?_txlock=immediate&_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)",
		path, busy.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies the missing migrations in one transaction.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	latest := ms[len(ms)-1].Version
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version       INTEGER PRIMARY KEY,
			name          TEXT    NOT NULL,
			applied_at_ns INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
			return fmt.Errorf("sqlite: %s: reading the schema version: %w", s.path, err)
		}
		if cur > latest {
			return fmt.Errorf("%w: %s is at schema version %d, this program knows versions up to %d: use a newer passerelle", store.ErrSchemaTooNew, s.path, cur, latest)
		}
		for _, m := range ms[cur:] {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("%w: %s: migration %04d_%s: %v", store.ErrMigration, s.path, m.Version, m.Name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, ?, ?)`, m.Version, m.Name, s.now().UnixNano()); err != nil {
				return fmt.Errorf("%w: %s: recording migration %d: %v", store.ErrMigration, s.path, m.Version, err)
			}
		}
		return nil
	})
}

// SchemaVersion implements store.Store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, s.wrap(err)
}

// Close implements store.Store.
func (s *Store) Close() error { return s.db.Close() }

// write runs fn in a write transaction (BEGIN IMMEDIATE) and commits it,
// or rolls it back when fn fails.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return s.wrap(tx.Commit())
}

func (s *Store) wrap(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if strings.Contains(err.Error(), "database is closed") {
		return fmt.Errorf("%w: %s", store.ErrClosed, s.path)
	}
	return fmt.Errorf("sqlite: %s: %w", s.path, err)
}

func ns(t time.Time) int64 { return t.UnixNano() }

func fromNS(n int64) time.Time { return time.Unix(0, n).UTC() }
