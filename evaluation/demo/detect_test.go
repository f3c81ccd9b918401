package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/memory"
)

func TestDetectorNoticesSyntheticRecords(t *testing.T) {
	ctx := context.Background()
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := evaluation.Options{Period: evaluation.Period{From: from, To: from.AddDate(1, 0, 0)}, NoPrevious: true}
	for _, people := range []int{0, 60} {
		st := memory.New(nil)
		if people > 0 {
			if _, err := demo.Seed(ctx, st, demo.Options{Year: 2025, People: people, Seed: 9, Now: now}); err != nil {
				t.Fatal(err)
			}
		}
		d := demo.Detect(evalsource.New(st, 0))
		rep, err := evaluation.Compute(ctx, d, opts)
		if err != nil {
			t.Fatal(err)
		}
		if d.Found() != (people > 0) {
			t.Errorf("%d people seeded: Found() = %v", people, d.Found())
		}
		if rep.Empty != (people == 0) {
			t.Errorf("%d people seeded: Empty = %v", people, rep.Empty)
		}
		st.Close()
	}
}
