package store_test

import (
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/store"
)

// A retention age in calendar units: "24m" is 24 months, not minutes.
func ExampleParseAge() {
	age, err := store.ParseAge("24m")
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	fmt.Println(age, age.Before(now).Format("2006-01-02"))
	_, err = store.ParseAge("24h")
	fmt.Println(err)
	// Output:
	// 24m 2024-11-22
	// store: invalid argument: age "24h": unknown unit 'h' (y years, m months, d days)
}
