package evalsource_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// BenchmarkReferrals reads the same 20,000 referrals (histories of one to
// five steps) from each store, streamed and paged, and from a slice in
// memory (baseline-slice, the floor: no store at all). ns/record is per
// referral read; the ratio to the baseline is the cost of the store.
// SQLite streams with one reader per CPU, and with one reader
// (sqlite-stream-1reader). PostgreSQL runs when PASSERELLE_TEST_POSTGRES
// is set.
func BenchmarkReferrals(b *testing.B) {
	ctx := context.Background()
	mem, recs := seed(b, ctx, 20_000)
	defer mem.Close()
	p := evaluation.Period{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	run := func(b *testing.B, src evaluation.Source) {
		for b.Loop() {
			n := 0
			if err := src.Referrals(ctx, p, func(r *referral.Referral) error { n += len(r.History); return nil }); err != nil || n == 0 {
				b.Fatal(err, n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs.Referrals)), "ns/record")
	}
	b.Run("baseline-slice", func(b *testing.B) { run(b, recs.Source()) })
	b.Run("memory-stream", func(b *testing.B) { run(b, evalsource.New(mem, 0)) })
	b.Run("memory-paged", func(b *testing.B) { run(b, evalsource.Paged(mem, 0)) })
	path := filepath.Join(b.TempDir(), "bench.db")
	sq, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sq.Close()
	if err := sq.SaveReferrals(ctx, recs.Referrals); err != nil {
		b.Fatal(err)
	}
	b.Run("sqlite-stream", func(b *testing.B) { run(b, evalsource.New(sq, 0)) })
	one, err := sqlite.Open(ctx, path, &sqlite.Options{StreamWorkers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer one.Close()
	b.Run("sqlite-stream-1reader", func(b *testing.B) { run(b, evalsource.New(one, 0)) })
	b.Run("sqlite-paged", func(b *testing.B) { run(b, evalsource.Paged(sq, 0)) })
	if os.Getenv("PASSERELLE_TEST_POSTGRES") != "" {
		pg := openPostgres(b)
		if err := pg.SaveReferrals(ctx, recs.Referrals); err != nil {
			b.Fatal(err)
		}
		b.Run("postgres-stream", func(b *testing.B) { run(b, evalsource.New(pg, 0)) })
		b.Run("postgres-paged", func(b *testing.B) { run(b, evalsource.Paged(pg, 0)) })
	}
}
