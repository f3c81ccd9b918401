package sqlite_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrations(t *testing.T) {
	ms, err := sqlite.Migrations()
	if err != nil || len(ms) == 0 {
		t.Fatalf("Migrations: %v %v", ms, err)
	}
	for i, m := range ms {
		if m.Version != i+1 || m.Name == "" || !strings.Contains(m.SQL, "CREATE") {
			t.Errorf("migration %d: %+v", i, m.Version)
		}
	}
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := storetest.NewReferral(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), "place-1")
	if err := s.Save(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(t.Context())
	if err != nil || v != len(ms) {
		t.Errorf("SchemaVersion %d %v, want %d", v, err, len(ms))
	}
	s.Close()

	// Reopening applies nothing twice and keeps the data.
	s, err = sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := s.Get(t.Context(), r.ID); err != nil {
		t.Errorf("after reopen: %v", err)
	}
	s.Close()
	var applied int
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != len(ms) {
		t.Errorf("%d migrations recorded (%v), want %d", applied, err, len(ms))
	}

	// A database migrated by a newer program is refused, untouched.
	if _, err := rawDB(t, path).Exec(`INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, 'from_the_future', 0)`, len(ms)+1); err != nil {
		t.Fatal(err)
	}
	_, err = sqlite.Open(t.Context(), path, nil)
	if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), path) {
		t.Errorf("opening a newer database: %v, want ErrSchemaTooNew naming the file", err)
	}
}

func TestMigrationFailureLeavesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	// A table in the way makes the first migration fail midway.
	if _, err := rawDB(t, path).Exec(`CREATE TABLE journal (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(t.Context(), path, nil)
	if !errors.Is(err, store.ErrMigration) {
		t.Fatalf("Open: %v, want ErrMigration", err)
	}
	var n int
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name IN ('referrals', 'schema_migrations')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a failed migration left %d tables (%v)", n, err)
	}
}

func TestJournalAppendOnlyInTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(t.Context(), store.JournalEntry{Action: store.JournalExport, Actor: "desk"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	for _, q := range []string{`UPDATE journal SET actor = 'someone else'`, `DELETE FROM journal`} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", q, err)
		}
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, p := range []string{"", "a?b.db", filepath.Join(t.TempDir(), "missing-dir", "x.db")} {
		if s, err := sqlite.Open(t.Context(), p, nil); err == nil {
			s.Close()
			t.Errorf("Open(%q): no error", p)
		}
	}
}

func TestNewFileIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", filepath.Base(p), perm)
		}
	}
}

// A person's referrals are read from the index on the person, not by a
// scan of the table: the query of List with Filter.PersonID must name it.
func TestPersonFilterUsesIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawDB(t, path)
	rows, err := db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN SELECT version, doc FROM referrals
		WHERE json_extract(doc, '$.person_id') = ? ORDER BY created_at_ns, id LIMIT ?`, "0e0c2b4a-6b4f-4c39-9a51-7d0f1b2c3a41", 100)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "referrals_by_person") {
		t.Fatalf("the person query does not use referrals_by_person:\n%s", strings.Join(plan, "\n"))
	}
}
