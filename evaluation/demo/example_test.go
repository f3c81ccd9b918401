package demo_test

import (
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation/demo"
)

func ExampleGenerate() {
	y, err := demo.Generate(demo.Options{Year: 2025, People: 100, Seed: 42, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(y.Referrals), "referrals, rules version", y.Referrals[0].RulesVersion)
	// Output: 100 referrals, rules version demo-synthetique
}
