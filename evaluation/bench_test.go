package evaluation

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// benchSizes are the record counts benchmarked; EVAL_BENCH_RECORDS adds one
// (e.g. 10000000 for the national target).
func benchSizes() []int {
	sizes := []int{100_000, 1_000_000}
	if n, err := strconv.Atoi(os.Getenv("EVAL_BENCH_RECORDS")); err == nil && n > 0 {
		sizes = append(sizes, n)
	}
	return sizes
}

// peakHeap samples the heap in use until stop is closed.
func peakHeap(stop <-chan struct{}) *atomic.Uint64 {
	var peak atomic.Uint64
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return &peak
}

// BenchmarkCompute is the national report (with the previous year) over n
// generated records streamed like a store's pages: 60 % referrals with their
// histories, 25 % accompaniments, 15 % actions.
func BenchmarkCompute(b *testing.B) {
	ref := testRef(b)
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			g := newGenerator(ref, n)
			o := Options{Period: year2025, Communes: ref}
			runtime.GC()
			stop := make(chan struct{})
			peak := peakHeap(stop)
			b.ResetTimer()
			for b.Loop() {
				rep, err := Compute(context.Background(), g, o)
				if err != nil || rep.Records.Referrals != g.referrals {
					b.Fatal(err, rep.Records)
				}
			}
			close(stop)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		})
	}
}

// BenchmarkComputeBaseline streams the same generated records, three streams
// at once as Compute does, without computing anything: the cost of the
// source alone. Compute's own cost is the difference.
func BenchmarkComputeBaseline(b *testing.B) {
	ref := testRef(b)
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			g := newGenerator(ref, n)
			ctx := context.Background()
			var sink atomic.Int64
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				wg.Go(func() {
					_ = g.Referrals(ctx, year2025, func(r *referral.Referral) error { sink.Add(int64(len(r.History))); return nil })
				})
				wg.Go(func() {
					_ = g.Actions(ctx, year2025, func(a *mediation.Action) error { sink.Add(int64(a.PeopleSensitised)); return nil })
				})
				wg.Go(func() {
					_ = g.Accompaniments(ctx, year2025, func(a *mediation.Accompaniment) error { sink.Add(int64(a.DurationMinutes)); return nil })
				})
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}

// BenchmarkAccumulatorAddReferral is the cost of one referral in one
// accumulator, records held in memory (no source cost).
func BenchmarkAccumulatorAddReferral(b *testing.B) {
	ref := testRef(b)
	recs := newGenerator(ref, 100_000).Records()
	acc, err := NewAccumulator(Options{Period: year2025, Communes: ref})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		acc.AddReferral(&recs.Referrals[i%len(recs.Referrals)])
		i++
	}
}
