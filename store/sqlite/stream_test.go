package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// Whatever the number of readers, each referral of the period comes once,
// and fn's error stops every reader.
func TestStreamWorkers(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	rs := make([]referral.Referral, 1000)
	for i := range rs {
		rs[i] = storetest.NewReferral(base.Add(time.Duration(i)*time.Hour), "place-1")
	}
	from, to := base.Add(100*time.Hour), base.Add(900*time.Hour)
	for _, workers := range []int{1, 3, 7, 5000} {
		s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"), &sqlite.Options{StreamWorkers: workers})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n := 0
		if err := s.StreamReferrals(ctx, from, to, func(*referral.Referral) error { n++; return nil }); err != nil || n != 0 {
			t.Errorf("workers=%d: empty store: %d referrals, %v", workers, n, err)
		}
		if err := s.SaveReferrals(ctx, rs); err != nil {
			t.Fatal(err)
		}
		seen := map[uuid.UUID]int{}
		err = s.StreamReferrals(ctx, from, to, func(r *referral.Referral) error {
			if r.CreatedAt.Before(from) || !r.CreatedAt.Before(to) || r.Version != 1 {
				t.Errorf("workers=%d: referral created %v, version %d", workers, r.CreatedAt, r.Version)
			}
			seen[r.ID]++
			return nil
		})
		if err != nil || len(seen) != 800 {
			t.Errorf("workers=%d: %d referrals, %v; want 800", workers, len(seen), err)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("workers=%d: referral %s given %d times", workers, id, k)
			}
		}
		stop := errors.New("stop")
		calls := 0
		err = s.StreamReferrals(ctx, time.Time{}, time.Time{}, func(*referral.Referral) error {
			calls++
			if calls == 300 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 300 {
			t.Errorf("workers=%d: stopped with %v after %d calls, want stop after 300", workers, err, calls)
		}
	}
}
