package storetest_test

import (
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/store/storetest"
)

// NewReferral gives stores' tests and benchmarks a valid record.
func ExampleNewReferral() {
	r := storetest.NewReferral(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "place-1")
	fmt.Println(r.Status, r.Pathway, r.PlaceID, r.Validate() == nil)
	// Output:
	// proposed mediation_place place-1 true
}
