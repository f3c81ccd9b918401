package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

const benchReferrals = 10_000

// The machine is shared, so its load drifts between two sub-benchmarks run
// one after the other; each benchmark below runs the measured way and its
// baseline in turn within every op, and reports both, so their ratio is
// read under the same load.

// BenchmarkInsert10k saves 10,000 referrals (and their 10,000 events)
// twice per op: batched by SaveReferrals (one transaction, statements of
// 1,000 rows sent in one round trip), and, as the baseline, by one Save
// (one statement, one round trip, one commit) per referral.
func BenchmarkInsert10k(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	var batched, single time.Duration
	for i := 0; b.Loop(); i++ {
		rs := referrals(benchReferrals, t0.Add(time.Duration(i)*time.Hour))
		start := time.Now()
		if err := s.SaveReferrals(ctx, rs); err != nil {
			b.Fatal(err)
		}
		batched += time.Since(start)
		rs = referrals(benchReferrals, t0.Add(time.Duration(i)*time.Hour+30*time.Minute))
		start = time.Now()
		for _, r := range rs {
			if err := s.Save(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
		single += time.Since(start)
	}
	perReferral := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N*benchReferrals) }
	b.ReportMetric(perReferral(batched), "µs/referral-batched")
	b.ReportMetric(perReferral(single), "µs/referral-baseline")
	b.ReportMetric(float64(single)/float64(batched), "speedup")
}

// BenchmarkStatusUpdate moves two referrals per op from proposed to
// accepted, each with its event and journal entry: one by Update's single
// statement, one by the baseline transaction that reads the row FOR
// UPDATE, then writes row, event and journal entry (five round trips with
// BEGIN and COMMIT).
func BenchmarkStatusUpdate(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	rs := referrals(2*b.N, t0)
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
	var single, baseline time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := s.Update(ctx, &rs[2*i]); err != nil {
			b.Fatal(err)
		}
		single += time.Since(start)
		start = time.Now()
		if err := readModifyWrite(ctx, s, &rs[2*i+1]); err != nil {
			b.Fatal(err)
		}
		baseline += time.Since(start)
	}
	b.ReportMetric(float64(single.Microseconds())/float64(b.N), "µs/update")
	b.ReportMetric(float64(baseline.Microseconds())/float64(b.N), "µs/update-baseline")
	b.ReportMetric(float64(baseline)/float64(single), "speedup")
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

// BenchmarkSaveActions10k stores 10,000 actions (a large Coop import) twice
// per op: in one SaveActions call (one transaction, one round trip), and,
// as the baseline, one call per action.
func BenchmarkSaveActions10k(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	var batched, single time.Duration
	for i := 0; b.Loop(); i++ {
		as := make([]mediation.Action, benchReferrals)
		for j := range as {
			as[j] = action(j, "31", "76", mediation.ActionActivationWorkshop)
			as[j].Date = day.Add(time.Duration(j) * time.Minute)
			as[j].ExternalID = fmt.Sprintf("b%d-%d", i, j)
			as[j].ID = mediation.ExternalUUID(as[j].Source, as[j].ExternalID)
		}
		start := time.Now()
		if n, err := s.SaveActions(ctx, as); err != nil || n != len(as) {
			b.Fatal(n, err)
		}
		batched += time.Since(start)
		for j := range as {
			as[j].ExternalID = fmt.Sprintf("s%d-%d", i, j)
			as[j].ID = mediation.ExternalUUID(as[j].Source, as[j].ExternalID)
		}
		start = time.Now()
		for j := range as {
			if _, err := s.SaveActions(ctx, as[j:j+1]); err != nil {
				b.Fatal(err)
			}
		}
		single += time.Since(start)
	}
	perAction := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N*benchReferrals) }
	b.ReportMetric(perAction(batched), "µs/action-batched")
	b.ReportMetric(perAction(single), "µs/action-baseline")
	b.ReportMetric(float64(single)/float64(batched), "speedup")
}
