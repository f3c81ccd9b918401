package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/postgres"
)

// Open a store in its own schema; the migrations run on the way. The
// example has no output to check because it needs a database.
func ExampleOpen() {
	ctx := context.Background()
	s, err := postgres.Open(ctx, os.Getenv("PASSERELLE_TEST_POSTGRES"), &postgres.Options{Schema: "passerelle"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	page, next, err := s.List(ctx, referral.Filter{Status: []referral.Status{referral.StatusProposed}, Limit: 20})
	fmt.Println(len(page), next, err)
}

// The schema version this code migrates a database to; Open refuses a
// database at a higher one.
func ExampleLatestSchemaVersion() {
	fmt.Println(postgres.LatestSchemaVersion())
	// Output: 4
}

// A schema name is checked before any connection is made: it goes into
// the connections' search_path.
func ExampleOpen_badSchema() {
	_, err := postgres.Open(context.Background(), "postgres://localhost/passerelle", &postgres.Options{Schema: "desk; DROP"})
	fmt.Println(errors.Is(err, store.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// store: invalid argument: postgres schema "desk; DROP": use letters, digits and _ only
}
