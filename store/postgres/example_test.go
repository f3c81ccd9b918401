package postgres_test

import (
	"context"
	"fmt"
	"os"

	"github.com/passerelle-sante/passerelle/referral"
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
