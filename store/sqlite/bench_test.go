package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// The benchmarks insert 10,000 referrals per operation; run them with
// -benchtime=1x or 3x. BenchmarkInsert10kOnePerTx (one transaction, hence
// one fsync, per referral) is the baseline of BenchmarkInsert10kBatched.

const benchReferrals = 10_000

func benchReferralSet(n int) []referral.Referral {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rs := make([]referral.Referral, n)
	for i := range rs {
		rs[i] = storetest.NewReferral(at.Add(time.Duration(i)*time.Second), "place-"+string(rune('a'+i%26)))
	}
	return rs
}

func benchStore(b *testing.B) *sqlite.Store {
	b.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkInsert10kBatched(b *testing.B) {
	for _, size := range []int{100, 1000} {
		b.Run("batch="+itoa(size), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				s := benchStore(b)
				rs := benchReferralSet(benchReferrals)
				b.StartTimer()
				for i := 0; i < len(rs); i += size {
					if err := s.SaveReferrals(ctx, rs[i:min(i+size, len(rs))]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchReferrals), "ns/referral")
		})
	}
}

func BenchmarkInsert10kOnePerTx(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := benchStore(b)
		rs := benchReferralSet(benchReferrals)
		b.StartTimer()
		for i := range rs {
			if err := s.Save(ctx, rs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchReferrals), "ns/referral")
}

// BenchmarkStatusUpdate is one optimistic status change per operation (read
// the version, write the record, its event and its journal entry in one
// transaction); BenchmarkStatusUpdateMemory is the same on the memory store.
func BenchmarkStatusUpdate(b *testing.B) {
	s := benchStore(b)
	benchStatusUpdates(b, s)
}

func BenchmarkStatusUpdateMemory(b *testing.B) {
	benchStatusUpdates(b, memory.New(nil))
}

func benchStatusUpdates(b *testing.B, s interface {
	SaveReferrals(context.Context, []referral.Referral) error
	Update(context.Context, *referral.Referral) error
}) {
	ctx := context.Background()
	rs := benchReferralSet(benchReferrals)
	if err := s.SaveReferrals(ctx, rs); err != nil {
		b.Fatal(err)
	}
	for i := range rs {
		rs[i].Version = 1
	}
	i := 0
	for b.Loop() {
		r := &rs[i%len(rs)]
		to := referral.StatusAccepted
		switch r.Status {
		case referral.StatusProposed:
		case referral.StatusAccepted: // every referral has moved once: a second round
			to = referral.StatusCancelled
		default:
			b.Skip("more than two rounds of 10,000: use a smaller -benchtime")
		}
		if err := r.Transition(to, r.CreatedAt.Add(time.Hour), referral.ActorPerson, nil); err != nil {
			b.Fatal(err)
		}
		if err := s.Update(ctx, r); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}

// BenchmarkSaveActions10k stores 10,000 actions (a large Coop import) in
// batches of 1,000; BenchmarkSaveActions10kOnePerCall is its baseline, one
// call (one transaction) per action.
func BenchmarkSaveActions10k(b *testing.B) {
	benchSaveActions(b, 1000)
}

func BenchmarkSaveActions10kOnePerCall(b *testing.B) {
	benchSaveActions(b, 1)
}

func benchSaveActions(b *testing.B, size int) {
	ctx := context.Background()
	as := make([]mediation.Action, benchReferrals)
	for i := range as {
		as[i] = mediation.Action{ID: uuid.New(), Type: mediation.ActionActivationWorkshop, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			DurationMinutes: 60, Commune: "12202", Departement: "12", Region: "76", PeopleSensitised: 8, AccountsActivated: 3}
	}
	for b.Loop() {
		b.StopTimer()
		s := benchStore(b)
		b.StartTimer()
		for i := 0; i < len(as); i += size {
			if _, err := s.SaveActions(ctx, as[i:min(i+size, len(as))]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(as)), "ns/action")
}

// BenchmarkInsert10kRatio runs the batched way (batches of 1,000) and its
// baseline (one transaction per referral) in turn within each operation,
// so that the ratio holds on a machine whose load changes during the run.
func BenchmarkInsert10kRatio(b *testing.B) {
	ctx := context.Background()
	var batched, single time.Duration
	for b.Loop() {
		b.StopTimer()
		s1, s2 := benchStore(b), benchStore(b)
		rs := benchReferralSet(benchReferrals)
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(rs); i += 1000 {
			if err := s1.SaveReferrals(ctx, rs[i:min(i+1000, len(rs))]); err != nil {
				b.Fatal(err)
			}
		}
		batched += time.Since(start)
		start = time.Now()
		for i := range rs {
			if err := s2.Save(ctx, rs[i]); err != nil {
				b.Fatal(err)
			}
		}
		single += time.Since(start)
	}
	n := float64(b.N * benchReferrals)
	b.ReportMetric(float64(batched.Nanoseconds())/n, "batched-ns/referral")
	b.ReportMetric(float64(single.Nanoseconds())/n, "one-per-tx-ns/referral")
	b.ReportMetric(float64(single)/float64(batched), "speedup")
}

// BenchmarkStatusUpdateRatio runs, in turn within each operation, one
// status change through the store (read and check the version, write the
// record, its event and its journal entry in one transaction) and its
// baseline, one bare UPDATE of the status column in its own transaction
// on a second file: the ratio is what the guarantees cost.
func BenchmarkStatusUpdateRatio(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	rs := benchReferralSet(benchReferrals)
	if err := s.SaveReferrals(ctx, rs); err != nil {
		b.Fatal(err)
	}
	barePath := filepath.Join(b.TempDir(), "bare.db")
	bare, err := sqlite.Open(ctx, barePath, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := bare.SaveReferrals(ctx, rs); err != nil {
		b.Fatal(err)
	}
	bare.Close()
	// The same settings as the store's: WAL, synchronous=FULL.
	raw, err := sql.Open("sqlite", barePath+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for i := range rs {
		rs[i].Version = 1
	}
	var guarded, plain time.Duration
	i := 0
	for b.Loop() {
		if i == len(rs) {
			b.Skip("one round of 10,000 only: use -benchtime=10000x or less")
		}
		r := &rs[i]
		if err := r.Transition(referral.StatusAccepted, r.CreatedAt.Add(time.Hour), referral.ActorPerson, nil); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := s.Update(ctx, r); err != nil {
			b.Fatal(err)
		}
		guarded += time.Since(start)
		start = time.Now()
		if _, err := raw.ExecContext(ctx, `UPDATE referrals SET status = 'accepted' WHERE id = ?`, r.ID.String()); err != nil {
			b.Fatal(err)
		}
		plain += time.Since(start)
		i++
	}
	b.ReportMetric(float64(guarded.Nanoseconds())/float64(b.N), "store-ns/update")
	b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "bare-ns/update")
	b.ReportMetric(float64(guarded)/float64(plain), "cost-ratio")
}
