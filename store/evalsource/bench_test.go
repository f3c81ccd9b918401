package evalsource_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// BenchmarkReferralsMemory streams the referrals of a memory store through
// the adapter, then a SQLite store's; the baseline ranges over the same records in a slice. The
// ratio is the cost of paging through the store.
func BenchmarkReferralsMemory(b *testing.B) {
	ctx := context.Background()
	st, recs := seed(b, ctx, 20_000)
	defer st.Close()
	p := evaluation.Period{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.Run("adapter", func(b *testing.B) {
		src := evalsource.New(st, 0)
		for b.Loop() {
			n := 0
			if err := src.Referrals(ctx, p, func(*referral.Referral) error { n++; return nil }); err != nil || n != len(recs.Referrals) {
				b.Fatal(err, n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs.Referrals)), "ns/record")
	})
	b.Run("sqlite", func(b *testing.B) {
		sq, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer sq.Close()
		if err := sq.SaveReferrals(ctx, recs.Referrals); err != nil {
			b.Fatal(err)
		}
		src := evalsource.New(sq, 0)
		b.ResetTimer()
		for b.Loop() {
			n := 0
			if err := src.Referrals(ctx, p, func(*referral.Referral) error { n++; return nil }); err != nil || n != len(recs.Referrals) {
				b.Fatal(err, n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs.Referrals)), "ns/record")
	})
	b.Run("baseline-slice", func(b *testing.B) {
		src := recs.Source()
		for b.Loop() {
			n := 0
			if err := src.Referrals(ctx, p, func(*referral.Referral) error { n++; return nil }); err != nil || n != len(recs.Referrals) {
				b.Fatal(err, n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs.Referrals)), "ns/record")
	})
}
