package openstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/openstore"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

func TestParse(t *testing.T) {
	tests := []struct {
		url    string
		kind   openstore.Kind
		target string
		bad    bool
	}{
		{url: "memory:", kind: openstore.Memory},
		{url: "sqlite:data/p.db", kind: openstore.SQLite, target: "data/p.db"},
		{url: "sqlite:///var/lib/p.db", kind: openstore.SQLite, target: "/var/lib/p.db"},
		{url: "./passerelle.db", kind: openstore.SQLite, target: "./passerelle.db"},
		{url: "/tmp/x.db", kind: openstore.SQLite, target: "/tmp/x.db"},
		{url: "postgres://u:pw@h:5432/db?sslmode=disable", kind: openstore.Postgres, target: "postgres://u:pw@h:5432/db?sslmode=disable"},
		{url: "postgresql://h/db", kind: openstore.Postgres, target: "postgresql://h/db"},
		{url: "", bad: true},
		{url: "sqlite:", bad: true},
		{url: "mysql://h/db", bad: true},
		{url: "memory:extra", bad: true},
	}
	for _, tc := range tests {
		kind, target, err := openstore.Parse(tc.url)
		if tc.bad {
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Parse(%q) = %s %q %v, want ErrInvalid", tc.url, kind, target, err)
			}
			continue
		}
		if err != nil || kind != tc.kind || target != tc.target {
			t.Errorf("Parse(%q) = %s %q %v, want %s %q", tc.url, kind, target, err, tc.kind, tc.target)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		url  string
		want any
	}{
		{"memory:", &memory.Store{}},
		{"sqlite:" + filepath.Join(dir, "a.db"), &sqlite.Store{}},
		{filepath.Join(dir, "b.db"), &sqlite.Store{}},
	} {
		s, err := openstore.Open(t.Context(), tc.url)
		if err != nil {
			t.Fatalf("Open(%q): %v", tc.url, err)
		}
		if v, err := s.SchemaVersion(t.Context()); err != nil || v < 1 {
			t.Errorf("Open(%q): schema %d %v", tc.url, v, err)
		}
		switch tc.want.(type) {
		case *memory.Store:
			if _, ok := s.(*memory.Store); !ok {
				t.Errorf("Open(%q) gave %T", tc.url, s)
			}
		case *sqlite.Store:
			if _, ok := s.(*sqlite.Store); !ok {
				t.Errorf("Open(%q) gave %T", tc.url, s)
			}
		}
		s.Close()
	}
	if _, err := os.Stat(filepath.Join(dir, "b.db")); err != nil {
		t.Errorf("a bare path did not create the file: %v", err)
	}
	if _, err := openstore.Open(t.Context(), "ftp://x"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown scheme: %v", err)
	}
}

func TestOpenPostgres(t *testing.T) {
	url := os.Getenv("PASSERELLE_TEST_POSTGRES")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PASSERELLE_TEST_POSTGRES is not set in CI")
		}
		t.Skip("set PASSERELLE_TEST_POSTGRES to open a PostgreSQL store")
	}
	// A schema of its own, so the test leaves the database as it found it.
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	schema := fmt.Sprintf("openstore_test_%d", time.Now().UnixNano())
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	s, err := openstore.Open(t.Context(), url+sep+"search_path="+schema)
	if err != nil {
		t.Fatalf("Open(%s): %v", openstore.Describe(url), err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(t.Context()); err != nil || v < 1 {
		t.Errorf("schema %d %v", v, err)
	}
}

func TestDescribe(t *testing.T) {
	if got := openstore.Describe("postgres://u:secret@h:5432/db"); got != "postgres://u@h:5432/db" {
		t.Errorf("Describe = %q", got)
	}
	if got := openstore.Describe("sqlite:a.db"); got != "sqlite:a.db" {
		t.Errorf("Describe = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"memory:", "sqlite:a.db", "./passerelle.db", "postgres://u:p@h/db", "x://y", "sqlite:", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		kind, target, err := openstore.Parse(url)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("%q: error %v does not wrap ErrInvalid", url, err)
			}
			return
		}
		switch kind {
		case openstore.Memory:
			if target != "" {
				t.Fatalf("%q: memory with target %q", url, target)
			}
		case openstore.SQLite, openstore.Postgres:
			if target == "" {
				t.Fatalf("%q: %s with no target", url, kind)
			}
		default:
			t.Fatalf("%q: kind %q", url, kind)
		}
		if kind == openstore.Postgres && strings.Contains(openstore.Describe(url), ":"+"secret@") {
			t.Fatalf("%q: password shown", url)
		}
	})
}
