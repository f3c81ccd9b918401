package postgres

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

const benchReferrals = 10_000

// BenchmarkInsert10k saves 10,000 referrals (and their 10,000 events) per
// op: batched by SaveReferrals (one transaction, statements of 1,000 rows
// sent in one round trip) against the baseline of one Save, one round
// trip, per referral.
func BenchmarkInsert10k(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	b.Run("batched", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			rs := referrals(benchReferrals, t0.Add(time.Duration(i)*time.Hour))
			if err := s.SaveReferrals(ctx, rs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchReferrals), "µs/referral")
	})
	b.Run("one_by_one_baseline", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			rs := referrals(benchReferrals, t0.Add(time.Duration(i)*time.Hour+30*time.Minute))
			for _, r := range rs {
				if err := s.Save(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchReferrals), "µs/referral")
	})
}

// BenchmarkStatusUpdate moves one referral per op from proposed to
// accepted, with its event and journal entry: Update's single statement
// against the baseline transaction that reads the row FOR UPDATE, then
// writes row, event and journal entry (five round trips with BEGIN and
// COMMIT).
func BenchmarkStatusUpdate(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	prepare := func(b *testing.B, from time.Time) []referral.Referral {
		b.Helper()
		rs := referrals(b.N, from)
		for start := 0; start < len(rs); start += benchReferrals {
			if err := s.SaveReferrals(ctx, rs[start:min(start+benchReferrals, len(rs))]); err != nil {
				b.Fatal(err)
			}
		}
		for i := range rs {
			rs[i].Version = 1
			if err := rs[i].Transition(referral.StatusAccepted, rs[i].CreatedAt.Add(time.Hour), referral.ActorPerson, nil); err != nil {
				b.Fatal(err)
			}
		}
		return rs
	}
	b.Run("single_statement", func(b *testing.B) {
		rs := prepare(b, t0)
		b.ResetTimer()
		for i := range b.N {
			if err := s.Update(ctx, &rs[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read_modify_write_baseline", func(b *testing.B) {
		rs := prepare(b, t0.Add(24*time.Hour*365))
		b.ResetTimer()
		for i := range b.N {
			if err := readModifyWrite(ctx, s, &rs[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// readModifyWrite is the textbook update: lock the row, compare versions
// in Go, then write the row, its event and journal entry.
func readModifyWrite(ctx context.Context, s *Store, r *referral.Referral) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var rec []byte
		var version int
		if err := tx.QueryRow(ctx, "SELECT doc, version FROM referrals WHERE id = $1 FOR UPDATE", r.ID.String()).Scan(&rec, &version); err != nil {
			return err
		}
		if version != r.Version {
			return referral.ErrConflict
		}
		var prev referral.Referral
		if err := json.Unmarshal(rec, &prev); err != nil {
			return err
		}
		next := *r
		next.Version++
		body, _ := json.Marshal(next)
		if _, err := tx.Exec(ctx, "UPDATE referrals SET status = $2, changed_at_ns = $3, version = $4, doc = $5 WHERE id = $1",
			r.ID.String(), string(next.Status), store.LastChange(&next).UnixNano(), next.Version, string(body)); err != nil {
			return err
		}
		ev, je := store.ReferralWrite(&prev, &next)
		if _, err := tx.Exec(ctx, "INSERT INTO outbox (id, kind, subject, at_ns, payload) VALUES ($1, $2, $3, $4, $5)",
			ev.ID.String(), ev.Kind, ev.Subject, ev.At.UnixNano(), string(ev.Payload)); err != nil {
			return err
		}
		if je != nil {
			if _, err := appendEntry(ctx, tx, *je); err != nil {
				return err
			}
		}
		r.Version = next.Version
		return nil
	})
}
