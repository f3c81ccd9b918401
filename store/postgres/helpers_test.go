package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// envURL names the variable holding the test database's connection string.
const envURL = "PASSERELLE_TEST_POSTGRES"

// testURL returns the test database, or skips (fails in CI, where the
// database must be there).
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envURL)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set while CI is: the PostgreSQL store must be tested in CI", envURL)
		}
		t.Skipf("%s is not set: PostgreSQL store tests skipped (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", envURL, envURL)
	}
	return u
}

// freshSchema creates an empty schema passerelle_test_<random> and drops
// it when the test ends, so runs never see each other's rows.
func freshSchema(t testing.TB) (url, schema string) {
	t.Helper()
	url = testURL(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = "passerelle_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", envURL, err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return url, schema
}

// openIn opens a store in the given schema, closed when the test ends.
func openIn(t testing.TB, url, schema string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, &Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// openTest opens a store in a fresh schema.
func openTest(t testing.TB) *Store {
	t.Helper()
	url, schema := freshSchema(t)
	return openIn(t, url, schema)
}

// connectIn connects to the schema outside any store.
func connectIn(t testing.TB, url, schema string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	c, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// execSQL runs statements in the schema, outside the store.
func execSQL(t testing.TB, url, schema, sql string) {
	t.Helper()
	c := connectIn(t, url, schema)
	defer c.Close(context.Background())
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// queryInt runs a query in the schema, outside the store, and returns its
// one int64.
func queryInt(t testing.TB, url, schema, sql string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	c := connectIn(t, url, schema)
	defer c.Close(ctx)
	var n int64
	if err := c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}
