package referral

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

// benchPeople is a synthetic campaign over every 7th commune of France:
// the real spread of communes, so the memo of directory answers sees as
// many distinct communes as a national batch would.
func benchPeople(b *testing.B, n int) (string, []Input) {
	ref := testRef(b)
	var codes []string
	for i, c := range ref.Communes() {
		if i%7 == 0 {
			codes = append(codes, c.Code)
		}
	}
	csv := syntheticPeople(n, codes)
	ins := make([]Input, n)
	levels := assessment.Levels()
	for i := range ins {
		c, _ := ref.Commune(codes[i%len(codes)])
		ins[i] = Input{Assessment: assessment.Result{Level: levels[i%len(levels)]}, Person: Person{Commune: c.Code}, Density: c.Density, Departement: c.Departement, Region: c.Region}
	}
	return csv, ins
}

// BenchmarkBatch compares the whole batch (CSV in, rules, directory,
// ranking, CSV out) with its baseline, the national rules alone on the same
// people. Both report people/s; the batch is measured with a cold memo.
func BenchmarkBatch(b *testing.B) {
	const n = 20_000
	rules, err := NationalRules()
	if err != nil {
		b.Fatal(err)
	}
	dir, err := demo.Directory(nil)
	if err != nil {
		b.Fatal(err)
	}
	csv, ins := benchPeople(b, n)
	now := func() time.Time { return testNow }

	b.Run("baseline_rules_only", func(b *testing.B) {
		var d Decision
		cpu0 := processCPU()
		for b.Loop() {
			for i := range ins {
				rules.Evaluate(&ins[i], &d)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "people/s")
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(n*b.N), "cpu-µs/person")
	})
	b.Run("batch", func(b *testing.B) {
		cpu0 := processCPU()
		for b.Loop() {
			e, err := NewEngine(Infallible(rules), dir, testRef(b), &EngineOptions{K: 1, Now: now})
			if err != nil {
				b.Fatal(err)
			}
			sum, err := e.Batch(context.Background(), strings.NewReader(csv), io.Discard, nil)
			if err != nil || sum.Read != n {
				b.Fatal(err, sum.Read)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "people/s")
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(n*b.N), "cpu-µs/person")
	})
}
