package sqlite_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// TestFailureInsideTheTransaction makes the database itself fail in the
// middle of a write (a trigger added for the test), after the record or
// before its event, and checks that neither the record nor the event is
// left: the outbox is written in the record's transaction.
func TestFailureInsideTheTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	kept := storetest.NewReferral(at, "place-1")
	if err := s.Save(t.Context(), kept); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	for _, q := range []string{
		// The second referral of a batch fails after the first was inserted.
		`CREATE TRIGGER test_fail_insert BEFORE INSERT ON referrals WHEN NEW.place_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
		// The event of a status change fails after the record was updated.
		`CREATE TRIGGER test_fail_event BEFORE INSERT ON outbox WHEN NEW.kind = 'referral.status_changed' BEGIN SELECT RAISE(ABORT, 'no event'); END`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	first, boom := storetest.NewReferral(at, "place-2"), storetest.NewReferral(at, "boom")
	if err := s.SaveReferrals(t.Context(), []referral.Referral{first, boom}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("SaveReferrals: %v, want the trigger's error", err)
	}
	if _, err := s.Get(t.Context(), first.ID); err == nil {
		t.Error("the first referral of a failed batch was kept")
	}

	r, _ := s.Get(t.Context(), kept.ID)
	if err := r.Transition(referral.StatusAccepted, at.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(t.Context(), &r); err == nil || !strings.Contains(err.Error(), "no event") {
		t.Fatalf("Update: %v, want the trigger's error", err)
	}
	if r.Version != 1 {
		t.Errorf("a failed Update moved the caller's version to %d", r.Version)
	}
	got, _ := s.Get(t.Context(), kept.ID)
	if got.Status != referral.StatusProposed || got.Version != 1 {
		t.Errorf("the update without its event was kept: %s v%d", got.Status, got.Version)
	}
	evs, _ := s.Pending(t.Context(), 100)
	es, _ := s.Entries(t.Context(), 0, 100)
	if len(evs) != 1 || len(es) != 0 {
		t.Errorf("%d events (want 1: the first save), %d journal entries (want 0)", len(evs), len(es))
	}
}

func TestTimesOutOfRange(t *testing.T) {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, at := range []time.Time{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)} {
		r := storetest.NewReferral(at, "p")
		if err := s.Save(t.Context(), r); !errors.Is(err, referral.ErrInvalidReferral) || !strings.Contains(err.Error(), "created_at") {
			t.Errorf("Save at %v: %v, want ErrInvalidReferral naming created_at", at, err)
		}
	}
	r := storetest.NewReferral(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "p")
	if err := s.Save(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	r.Version = 1
	r.UpdatedAt = time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Update(t.Context(), &r); !errors.Is(err, referral.ErrInvalidReferral) {
		t.Errorf("Update with updated_at in 2400: %v", err)
	}
}
