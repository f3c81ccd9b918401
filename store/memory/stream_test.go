package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// A stream crosses many chunks, gives each record once, and lets fn write
// to the store (the lock is not held while fn runs).
func TestStreamChunksAndWrites(t *testing.T) {
	ctx := context.Background()
	s := memory.New(nil)
	defer s.Close()
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	const n = 2600
	rs := make([]referral.Referral, n)
	as := make([]mediation.Action, n)
	for i := range n {
		rs[i] = storetest.NewReferral(base.Add(time.Duration(i%500)*time.Hour), "place-1")
		as[i] = mediation.Action{ID: uuid.New(), Type: mediation.ActionActivationWorkshop, Date: base.Add(time.Duration(i) * time.Hour),
			DurationMinutes: 60, Commune: "12208", PeopleSensitised: 3}
	}
	if err := s.SaveReferrals(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveActions(ctx, as); err != nil {
		t.Fatal(err)
	}
	seen := map[uuid.UUID]int{}
	err := s.StreamReferrals(ctx, time.Time{}, time.Time{}, func(r *referral.Referral) error {
		seen[r.ID]++
		if len(seen) == 1500 { // a write in the middle of the stream, after the records seen so far
			return s.Save(ctx, storetest.NewReferral(base.Add(600*time.Hour), "place-2"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n+1 {
		t.Errorf("%d referrals streamed, want %d", len(seen), n+1)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("referral %s streamed %d times", id, k)
		}
	}
	from, to := base.Add(100*time.Hour), base.Add(2100*time.Hour)
	got := 0
	err = s.StreamActions(ctx, from, to, func(a *mediation.Action) error {
		if a.Date.Before(from) || !a.Date.Before(to) {
			t.Errorf("action dated %v streamed for [%v, %v)", a.Date, from, to)
		}
		got++
		return nil
	})
	if err != nil || got != 2000 {
		t.Errorf("StreamActions: %d actions, %v; want 2000", got, err)
	}
	s.Close()
	if err := s.StreamAccompaniments(ctx, time.Time{}, time.Time{}, func(*mediation.Accompaniment) error { return nil }); err == nil {
		t.Error("StreamAccompaniments on a closed store: no error")
	}
}
