package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// A file path is all the store needs; the schema is created at Open.
func Example() {
	dir, _ := os.MkdirTemp("", "passerelle")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "passerelle.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	r := storetest.NewReferral(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "place-1")
	if err := s.Save(ctx, r); err != nil {
		fmt.Println(err)
		return
	}
	got, _ := s.Get(ctx, r.ID)
	v, _ := s.SchemaVersion(ctx)
	evs, _ := s.Pending(ctx, 10)
	fmt.Println(got.Status, got.Version, "schema", v, "events", len(evs), evs[0].Kind)
	// Output:
	// proposed 1 schema 4 events 1 referral.created
}
