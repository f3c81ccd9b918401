package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

func TestStoreMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"store", "migrate", "--store", path, "--format", "json"},
		{"store", "migrate", "--store", "sqlite:" + path, "--format", "json"}, // again: nothing to do
	} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
		var out migrateOutput
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("output %q: %v", stdout, err)
		}
		ms, _ := sqlite.Migrations()
		if out.SchemaVersion != len(ms) {
			t.Errorf("schema_version %d, want %d", out.SchemaVersion, len(ms))
		}
	}
	code, stdout, _ := runCLI(t, "", "store", "migrate", "--store", "memory:")
	if code != exitOK || !strings.Contains(stdout, "schema version") {
		t.Errorf("memory: exit %d, %q", code, stdout)
	}
}

func TestStoreMigrateRefusesNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	if code, _, stderr := runCLI(t, "", "store", "migrate", "--store", path); code != exitOK {
		t.Fatal(stderr)
	}
	s, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw := rawSQLite(t, path)
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (99, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "store", "migrate", "--store", path)
	if code != exitRejected || !strings.Contains(stderr, "schema version 99") || !strings.Contains(stderr, "newer") {
		t.Errorf("exit %d, stderr %q; want 1 and a clear message", code, stderr)
	}
}

func TestStorePurge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := storetest.NewReferral(time.Now().AddDate(-3, 0, 0), "place-1")
	recent := storetest.NewReferral(time.Now().AddDate(0, -1, 0), "place-1")
	if err := s.SaveReferrals(ctx, []referral.Referral{old, recent}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, stdout, stderr := runCLI(t, "", "store", "purge", "--older-than", "24m", "--store", path, "--actor", "coordinator-3", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out purgeOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%q: %v", stdout, err)
	}
	if out.Referrals != 1 || out.OlderThan != "24m" || out.Seq == 0 {
		t.Errorf("purge output %+v", out)
	}
	wantBefore := time.Now().AddDate(0, -24, 0)
	if d := out.Before.Sub(wantBefore); d > time.Minute || d < -time.Minute {
		t.Errorf("before %v, want about %v", out.Before, wantBefore)
	}

	s, err = sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Get(ctx, recent.ID); err != nil {
		t.Errorf("recent referral purged: %v", err)
	}
	es, _ := s.Entries(ctx, 0, 10)
	if len(es) != 1 || es[0].Action != store.JournalPurge || es[0].Actor != "coordinator-3" {
		t.Errorf("journal %+v", es)
	}

	code, stdout, _ = runCLI(t, "", "store", "purge", "--older-than", "90d", "--store", path)
	if code != exitOK || !strings.Contains(stdout, "0 referrals") || !strings.Contains(stdout, "journal entry 2") {
		t.Errorf("text output: exit %d, %q", code, stdout)
	}
}

func TestStorePurgeBadAge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"store", "purge", "--store", path}, "needs --older-than"},
		{[]string{"store", "purge", "--older-than", "24h", "--store", path}, `unknown unit 'h'`},
		{[]string{"store", "purge", "--older-than", "0d", "--store", path}, "zero"},
		{[]string{"store", "purge", "--older-than", "2y", "extra", "--store", path}, "no argument"},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	code, _, stderr := runCLI(t, "", "store", "purge", "--older-than", "2y", "--store", "mysql://h/db")
	if code != exitRejected || !strings.Contains(stderr, "unknown scheme") {
		t.Errorf("bad store URL: exit %d, %q", code, stderr)
	}
}

func rawSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
