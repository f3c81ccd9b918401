// Package storetest is the conformance suite that every store.Store passes:
// the memory, SQLite and PostgreSQL stores run the same tests, so what one
// store guarantees, all do.
//
// A store under test calls Run with a function that opens a fresh, empty
// store with the default follow-up policy (referral.DefaultFollowUpPolicy).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// Opener opens a fresh, empty store for one test; the suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite, one subtest per guarantee.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ReferralCRUD", testReferralCRUD},
		{"ReferralIdempotentSave", testReferralIdempotentSave},
		{"ReferralList", testReferralList},
		{"ReferralListCursor", testReferralListCursor},
		{"ReferralFollowUp", testReferralFollowUp},
		{"ReferralOpenCounts", testReferralOpenCounts},
		{"ReferralConflict", testReferralConflict},
		{"ReferralConcurrentTransition", testReferralConcurrentTransition},
		{"ReferralConcurrentNoLostUpdate", testReferralConcurrentNoLostUpdate},
		{"BatchAllOrNothing", testBatchAllOrNothing},
		{"OutboxEvents", testOutboxEvents},
		{"OutboxAck", testOutboxAck},
		{"JournalAppendOnly", testJournalAppendOnly},
		{"Purge", testPurge},
		{"CancelledContext", testCancelledContext},
		{"SchemaVersion", testSchemaVersion},
	}
	tests = append(tests, networkTests()...)
	tests = append(tests, accountTests()...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// base is a fixed instant at whole seconds, in UTC, so the records' times
// survive any storage exactly.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// NewReferral returns a valid proposed referral created at the given time,
// with a fresh id and person, for tests and benchmarks of stores.
func NewReferral(at time.Time, placeID string) referral.Referral {
	return referral.Referral{
		ID:           uuid.New(),
		PersonID:     uuid.NewString(),
		CreatedAt:    at,
		By:           referral.ActorDesk,
		Pathway:      referral.PathwayMediationPlace,
		PlaceID:      placeID,
		Assessment:   referral.AssessmentRef{Instrument: "triage", Version: "1", Level: assessment.LevelBeginner, Flags: []assessment.Flag{"mes_not_activated"}},
		RulesVersion: "test-1",
		Rule:         "beginner_to_place",
		Status:       referral.StatusProposed,
		UpdatedAt:    at,
		History:      []referral.StatusChange{{To: referral.StatusProposed, At: at, By: referral.ActorDesk}},
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameReferral compares through JSON: times compare by instant and slices by
// content, whatever the store's internal representation.
func sameReferral(t *testing.T, what string, got, want referral.Referral) {
	t.Helper()
	if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func mustSave(t *testing.T, s store.Store, rs ...referral.Referral) {
	t.Helper()
	for i := range rs {
		if err := s.Save(ctx(t), rs[i]); err != nil {
			t.Fatalf("Save %d: %v", i, err)
		}
	}
}

func allPending(t *testing.T, s store.Store) []store.Event {
	t.Helper()
	evs, err := s.Pending(ctx(t), 10000)
	if err != nil {
		t.Fatalf("Pending: %v", err)
	}
	return evs
}

func allEntries(t *testing.T, s store.Store) []store.JournalEntry {
	t.Helper()
	es, err := s.Entries(ctx(t), 0, 10000)
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	return es
}

func testReferralCRUD(t *testing.T, s store.Store) {
	r := NewReferral(base, "place-1")
	r.Version = 7 // ignored: a saved referral starts at version 1
	mustSave(t, s, r)
	got, err := s.Get(ctx(t), r.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := r
	want.Version = 1
	sameReferral(t, "after Save", got, want)

	appt := base.Add(72 * time.Hour)
	if err := got.Transition(referral.StatusAccepted, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := got.Transition(referral.StatusScheduled, base.Add(2*time.Hour), referral.ActorMediator, &referral.TransitionOptions{Appointment: appt}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx(t), &got); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got.Version != 2 {
		t.Errorf("Update: version %d, want 2", got.Version)
	}
	again, err := s.Get(ctx(t), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameReferral(t, "after Update", again, got)

	missing := NewReferral(base, "")
	if _, err := s.Get(ctx(t), missing.ID); !errors.Is(err, referral.ErrNotFound) {
		t.Errorf("Get unknown: %v, want ErrNotFound", err)
	}
	missing.Version = 1
	if err := s.Update(ctx(t), &missing); !errors.Is(err, referral.ErrNotFound) {
		t.Errorf("Update unknown: %v, want ErrNotFound", err)
	}
	bad := NewReferral(base, "")
	bad.Pathway = ""
	if err := s.Save(ctx(t), bad); !errors.Is(err, referral.ErrInvalidReferral) {
		t.Errorf("Save invalid: %v, want ErrInvalidReferral", err)
	}
	if _, err := s.Get(ctx(t), bad.ID); !errors.Is(err, referral.ErrNotFound) {
		t.Errorf("an invalid referral was stored: %v", err)
	}
	again.Status = "lost"
	if err := s.Update(ctx(t), &again); !errors.Is(err, referral.ErrInvalidReferral) {
		t.Errorf("Update invalid: %v, want ErrInvalidReferral", err)
	}
	moved := got
	moved.CreatedAt = base.Add(time.Minute)
	if err := s.Update(ctx(t), &moved); err == nil {
		t.Error("Update changing created_at: no error")
	}
}

func testReferralIdempotentSave(t *testing.T, s store.Store) {
	r := NewReferral(base, "place-1")
	mustSave(t, s, r)
	got, _ := s.Get(ctx(t), r.ID)
	if err := got.Transition(referral.StatusAccepted, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx(t), &got); err != nil {
		t.Fatal(err)
	}
	// A retried Save of the original record changes nothing.
	mustSave(t, s, r)
	if err := s.SaveReferrals(ctx(t), []referral.Referral{r, r}); err != nil {
		t.Fatalf("SaveReferrals of a known id: %v", err)
	}
	after, _ := s.Get(ctx(t), r.ID)
	sameReferral(t, "after retried Save", after, got)
	evs := allPending(t, s)
	if len(evs) != 2 {
		t.Errorf("%d events, want 2 (created, status_changed): %+v", len(evs), evs)
	}
	page, _, err := s.List(ctx(t), referral.Filter{})
	if err != nil || len(page) != 1 {
		t.Errorf("List: %d referrals (%v), want 1", len(page), err)
	}
}

// listFixture saves 30 referrals over 30 hours, three places, some accepted.
// listPersons are the people of listFixture, each referred several times.
var listPersons = []string{"0e0c2b4a-6b4f-4c39-9a51-7d0f1b2c3a41", "5a9d7c1e-2f3b-4d6a-8e0c-1b2a3c4d5e62", "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a73", "c3b2a190-8f7e-4d6c-9b5a-4a3b2c1d0e84"}

func listFixture(t *testing.T, s store.Store) []referral.Referral {
	t.Helper()
	var rs []referral.Referral
	for i := range 30 {
		r := NewReferral(base.Add(time.Duration(i)*time.Hour), fmt.Sprintf("place-%d", i%3))
		r.PersonID = listPersons[i%len(listPersons)] // a person referred several times
		if i%4 == 0 {
			// Same created_at as the previous one: the id breaks the tie.
			r.CreatedAt = base.Add(time.Duration(i-1) * time.Hour)
			r.UpdatedAt, r.History[0].At = r.CreatedAt, r.CreatedAt
		}
		rs = append(rs, r)
	}
	// Saved in a shuffled order: the store sorts.
	for _, i := range []int{5, 0, 29, 17, 3} {
		rs[i], rs[29-i] = rs[29-i], rs[i]
	}
	if err := s.SaveReferrals(ctx(t), rs[:10]); err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, rs[10:]...)
	for i := range rs {
		rs[i].Version = 1
		if i%5 == 0 {
			if err := rs[i].Transition(referral.StatusAccepted, rs[i].CreatedAt.Add(time.Minute), referral.ActorPerson, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx(t), &rs[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	slices.SortFunc(rs, func(a, b referral.Referral) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID.String(), b.ID.String())
	})
	return rs
}

func ids(rs []referral.Referral) []uuid.UUID {
	out := make([]uuid.UUID, len(rs))
	for i := range rs {
		out[i] = rs[i].ID
	}
	return out
}

func testReferralList(t *testing.T, s store.Store) {
	all := listFixture(t, s)
	tests := []struct {
		name string
		f    referral.Filter
	}{
		{"all", referral.Filter{}},
		{"status accepted", referral.Filter{Status: []referral.Status{referral.StatusAccepted}}},
		{"status any of two", referral.Filter{Status: []referral.Status{referral.StatusAccepted, referral.StatusProposed}}},
		{"status none matching", referral.Filter{Status: []referral.Status{referral.StatusCompleted}}},
		{"place", referral.Filter{PlaceID: "place-2"}},
		{"person", referral.Filter{PersonID: listPersons[1]}},
		{"person and status", referral.Filter{PersonID: listPersons[0], Status: []referral.Status{referral.StatusAccepted}}},
		{"person never referred", referral.Filter{PersonID: "7d6c5b4a-3928-4171-8a0b-9c8d7e6f5a49"}},
		{"person, one per page", referral.Filter{PersonID: listPersons[2], Limit: 1}},
		{"from", referral.Filter{From: base.Add(10 * time.Hour)}},
		{"to", referral.Filter{To: base.Add(10 * time.Hour)}},
		{"from to place status", referral.Filter{From: base.Add(3 * time.Hour), To: base.Add(25 * time.Hour), PlaceID: "place-1", Status: []referral.Status{referral.StatusProposed}}},
		{"limit", referral.Filter{Limit: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []referral.Referral
			for i := range all {
				if tc.f.Matches(&all[i]) {
					want = append(want, all[i])
				}
			}
			limit := tc.f.Limit
			if limit == 0 {
				limit = 100
			}
			next := ""
			if len(want) > limit {
				want = want[:limit]
				next = "more"
			}
			got, cursor, err := s.List(ctx(t), tc.f)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Errorf("List ids:\n got %v\nwant %v", ids(got), ids(want))
			}
			if (cursor != "") != (next != "") {
				t.Errorf("cursor %q, want one: %v", cursor, next != "")
			}
			for i := range got {
				if i < len(want) {
					sameReferral(t, fmt.Sprintf("List[%d]", i), got[i], want[i])
				}
			}
		})
	}
}

func testReferralListCursor(t *testing.T, s store.Store) {
	all := listFixture(t, s)
	for _, f := range []referral.Filter{{Limit: 7}, {Limit: 1, PlaceID: "place-0"}, {Limit: 30}, {Limit: 29}} {
		var want []uuid.UUID
		for i := range all {
			if f.Matches(&all[i]) {
				want = append(want, all[i].ID)
			}
		}
		var got []uuid.UUID
		for pages := 0; ; pages++ {
			if pages > 40 {
				t.Fatalf("%+v: cursor loops", f)
			}
			page, next, err := s.List(ctx(t), f)
			if err != nil {
				t.Fatalf("List %+v: %v", f, err)
			}
			if len(page) > f.Limit {
				t.Errorf("page of %d, limit %d", len(page), f.Limit)
			}
			got = append(got, ids(page)...)
			if next == "" {
				break
			}
			f.Cursor = next
		}
		if !slices.Equal(got, want) {
			t.Errorf("limit %d place %q: pages gave\n %v\nwant\n %v", f.Limit, f.PlaceID, got, want)
		}
	}
	for _, bad := range []string{"nonsense", "2026-01-01T00:00:00Z~not-a-uuid", "~"} {
		if _, _, err := s.List(ctx(t), referral.Filter{Cursor: bad}); err == nil {
			t.Errorf("List with cursor %q: no error", bad)
		}
	}
}

func testReferralFollowUp(t *testing.T, s store.Store) {
	day := base.Add(10 * 24 * time.Hour)
	mk := func(created time.Time, to ...referral.Status) referral.Referral {
		r := NewReferral(created, "place-1")
		mustSave(t, s, r)
		r.Version = 1
		at := created
		for _, st := range to {
			at = at.Add(time.Hour)
			var o *referral.TransitionOptions
			if st == referral.StatusScheduled {
				appt := created.Add(48 * time.Hour)
				o = &referral.TransitionOptions{Appointment: appt}
			}
			if st == referral.StatusCompleted {
				o = &referral.TransitionOptions{Autonomy: referral.AutonomyPartial}
			}
			if err := r.Transition(st, at, referral.ActorMediator, o); err != nil {
				t.Fatal(err)
			}
		}
		if len(to) > 0 {
			if err := s.Update(ctx(t), &r); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	rs := []referral.Referral{
		mk(day.Add(-5 * 24 * time.Hour)),                                                // proposed long ago: due
		mk(day.Add(-time.Hour)),                                                         // proposed yesterday: not due
		mk(day.Add(-9*24*time.Hour), referral.StatusAccepted),                           // due
		mk(day.Add(-5*24*time.Hour), referral.StatusAccepted, referral.StatusScheduled), // appointment passed: due
		mk(day.Add(-9*24*time.Hour), referral.StatusAccepted, referral.StatusScheduled, referral.StatusAttended, referral.StatusCompleted), // closed
		mk(day.Add(-3*24*time.Hour), referral.StatusAccepted, referral.StatusScheduled, referral.StatusNoShow),                             // rebook
	}
	pol := referral.DefaultFollowUpPolicy()
	var want []string
	for i := range rs {
		if why, ok := pol.Due(&rs[i], day); ok {
			want = append(want, rs[i].ID.String()+" "+string(why))
		}
	}
	if len(want) < 3 {
		t.Fatalf("fixture: only %d due", len(want))
	}
	fus, err := s.DueForFollowUp(ctx(t), day)
	if err != nil {
		t.Fatalf("DueForFollowUp: %v", err)
	}
	var got []string
	for _, f := range fus {
		got = append(got, f.Referral.ID.String()+" "+string(f.Reason))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("DueForFollowUp:\n got %v\nwant %v", got, want)
	}
}

func testReferralOpenCounts(t *testing.T, s store.Store) {
	rs := listFixture(t, s)
	since := base.Add(6 * time.Hour)
	// Close one: closed referrals do not count.
	for i := range rs {
		if rs[i].Status == referral.StatusAccepted && !rs[i].CreatedAt.Before(since) {
			if err := rs[i].Transition(referral.StatusCancelled, rs[i].CreatedAt.Add(2*time.Minute), referral.ActorPerson, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx(t), &rs[i]); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	noPlace := NewReferral(base.Add(20*time.Hour), "")
	mustSave(t, s, noPlace)
	want := map[string]int{}
	for _, r := range rs {
		if !r.CreatedAt.Before(since) && r.Status.Open() {
			want[r.PlaceID]++
		}
	}
	got, err := s.OpenCountsSince(ctx(t), since)
	if err != nil {
		t.Fatalf("OpenCountsSince: %v", err)
	}
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Errorf("OpenCountsSince: got %v, want %v", got, want)
	}
}

func testReferralConflict(t *testing.T, s store.Store) {
	r := NewReferral(base, "place-1")
	mustSave(t, s, r)
	a, _ := s.Get(ctx(t), r.ID)
	b, _ := s.Get(ctx(t), r.ID)
	if err := a.Transition(referral.StatusAccepted, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Transition(referral.StatusDeclined, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx(t), &a); err != nil {
		t.Fatalf("first Update: %v", err)
	}
	if err := s.Update(ctx(t), &b); !errors.Is(err, referral.ErrConflict) {
		t.Fatalf("stale Update: %v, want ErrConflict", err)
	}
	if b.Version != 1 {
		t.Errorf("a failed Update moved the caller's version to %d", b.Version)
	}
	got, _ := s.Get(ctx(t), r.ID)
	if got.Status != referral.StatusAccepted || got.Version != 2 {
		t.Errorf("stored %s v%d, want accepted v2", got.Status, got.Version)
	}
	// The conflicting write left no event and no journal entry.
	var kinds []string
	for _, e := range allPending(t, s) {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []string{store.KindReferralCreated, store.KindReferralStatusChanged}) {
		t.Errorf("events %v", kinds)
	}
	if n := len(allEntries(t, s)); n != 1 {
		t.Errorf("%d journal entries, want 1", n)
	}
}

// testReferralConcurrentTransition: 8 writers read version 1 and each tries
// its own transition; exactly one wins and the 7 others get ErrConflict.
func testReferralConcurrentTransition(t *testing.T, s store.Store) {
	const writers = 8
	for round := range 5 {
		r := NewReferral(base.Add(time.Duration(round)*time.Minute), "place-1")
		mustSave(t, s, r)
		var wg sync.WaitGroup
		errs := make([]error, writers)
		start := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := r
				c.Version = 1
				c.History = slices.Clone(r.History)
				to := referral.StatusAccepted
				if w%2 == 1 {
					to = referral.StatusDeclined
				}
				if err := c.Transition(to, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
					errs[w] = err
					return
				}
				<-start
				errs[w] = s.Update(context.Background(), &c)
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for w, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, referral.ErrConflict):
				t.Errorf("writer %d: %v, want nil or ErrConflict", w, err)
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d writers won, want exactly 1", round, won)
		}
		got, _ := s.Get(ctx(t), r.ID)
		if got.Version != 2 || len(got.History) != 2 {
			t.Errorf("round %d: version %d, %d history entries; want 2, 2", round, got.Version, len(got.History))
		}
	}
}

// testReferralConcurrentNoLostUpdate: 8 writers each make 5 updates to the
// same referrals, retrying on conflict; every update must be there.
func testReferralConcurrentNoLostUpdate(t *testing.T, s store.Store) {
	const writers, updates, records = 8, 5, 2
	rs := make([]referral.Referral, records)
	for i := range rs {
		rs[i] = NewReferral(base.Add(time.Duration(i)*time.Second), "place-1")
	}
	mustSave(t, s, rs...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	conflicts := 0
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range updates {
				id := rs[(w+u)%records].ID
				for attempt := 0; ; attempt++ {
					if attempt > 1000 {
						t.Errorf("writer %d: no progress", w)
						return
					}
					cur, err := s.Get(context.Background(), id)
					if err != nil {
						t.Errorf("writer %d: Get: %v", w, err)
						return
					}
					// The rule field gathers one token per update: a lost
					// update loses its token.
					cur.Rule += fmt.Sprintf("w%du%d;", w, u)
					runtime.Gosched() // let other writers in between the read and the write
					err = s.Update(context.Background(), &cur)
					if err == nil {
						break
					}
					if !errors.Is(err, referral.ErrConflict) {
						t.Errorf("writer %d: Update: %v", w, err)
						return
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range rs {
		got, err := s.Get(ctx(t), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := len(got.Rule) - len(r.Rule)
		tokens := 0
		for _, c := range got.Rule[len(r.Rule):] {
			if c == ';' {
				tokens++
			}
		}
		if got.Version != 1+tokens || n <= 0 {
			t.Errorf("%s: version %d with %d tokens", r.ID, got.Version, tokens)
		}
		total += tokens
	}
	if total != writers*updates {
		t.Errorf("%d updates kept, want %d", total, writers*updates)
	}
	t.Logf("%d conflicts reported and retried", conflicts)
	updated := 0
	for _, e := range allPending(t, s) {
		if e.Kind == store.KindReferralUpdated {
			updated++
		}
	}
	if updated != writers*updates {
		t.Errorf("%d update events, want %d", updated, writers*updates)
	}
}

func testBatchAllOrNothing(t *testing.T, s store.Store) {
	good := []referral.Referral{NewReferral(base, "p"), NewReferral(base.Add(time.Second), "p")}
	bad := NewReferral(base, "p")
	bad.PersonID = "Jeanne Dupont" // not a pseudonymous id: rejected
	batch := append(slices.Clone(good), bad)
	if err := s.SaveReferrals(ctx(t), batch); !errors.Is(err, referral.ErrInvalidReferral) {
		t.Fatalf("SaveReferrals with an invalid record: %v, want ErrInvalidReferral", err)
	}
	for _, r := range good {
		if _, err := s.Get(ctx(t), r.ID); !errors.Is(err, referral.ErrNotFound) {
			t.Errorf("a failed batch stored %s (%v)", r.ID, err)
		}
	}
	if evs := allPending(t, s); len(evs) != 0 {
		t.Errorf("a failed batch left %d events", len(evs))
	}
	if err := s.SaveReferrals(ctx(t), good); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveReferrals(ctx(t), good); err != nil {
		t.Fatalf("retried batch: %v", err)
	}
	if evs := allPending(t, s); len(evs) != len(good) {
		t.Errorf("%d events after a batch and its retry, want %d", len(evs), len(good))
	}
	if err := s.SaveReferrals(ctx(t), nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func testOutboxEvents(t *testing.T, s store.Store) {
	r := NewReferral(base, "place-9")
	mustSave(t, s, r)
	r.Version = 1
	if err := r.Transition(referral.StatusAccepted, base.Add(time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx(t), &r); err != nil {
		t.Fatal(err)
	}
	r.Rule = "other"
	if err := s.Update(ctx(t), &r); err != nil {
		t.Fatal(err)
	}
	evs := allPending(t, s)
	want := []struct {
		kind, payload string
	}{
		{store.KindReferralCreated, `{"pathway":"mediation_place","place_id":"place-9","status":"proposed","version":1}`},
		{store.KindReferralStatusChanged, `{"pathway":"mediation_place","place_id":"place-9","from":"proposed","status":"accepted","version":2}`},
		{store.KindReferralUpdated, `{"pathway":"mediation_place","place_id":"place-9","status":"accepted","version":3}`},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	seen := map[uuid.UUID]bool{}
	for i, w := range want {
		e := evs[i]
		if e.Kind != w.kind || e.Subject != r.ID.String() || e.ID == uuid.Nil || seen[e.ID] {
			t.Errorf("event %d: %+v, want kind %s subject %s and a fresh id", i, e, w.kind, r.ID)
		}
		seen[e.ID] = true
		var g, x any
		if err := json.Unmarshal(e.Payload, &g); err != nil {
			t.Errorf("event %d payload: %v", i, err)
		}
		_ = json.Unmarshal([]byte(w.payload), &x)
		if jsonOf(t, g) != jsonOf(t, x) {
			t.Errorf("event %d payload %s, want %s", i, e.Payload, w.payload)
		}
		if e.At.IsZero() {
			t.Errorf("event %d: no time", i)
		}
		noText(t, e, r.PersonID)
	}
	if !evs[1].At.Equal(base.Add(time.Hour)) {
		t.Errorf("status event at %v, want the change's time", evs[1].At)
	}
	// The status change is journaled; the other update is not.
	es := allEntries(t, s)
	if len(es) != 1 || es[0].Action != store.JournalStatusChange || es[0].Subject != r.ID.String() || es[0].Actor != string(referral.ActorPerson) {
		t.Errorf("journal %+v, want one status_change by person", es)
	}
}

func testOutboxAck(t *testing.T, s store.Store) {
	var rs []referral.Referral
	for i := range 12 {
		rs = append(rs, NewReferral(base.Add(time.Duration(i)*time.Minute), "p"))
	}
	mustSave(t, s, rs...)
	first, err := s.Pending(ctx(t), 5)
	if err != nil || len(first) != 5 {
		t.Fatalf("Pending(5): %d events, %v", len(first), err)
	}
	for i, e := range first {
		if e.Subject != rs[i].ID.String() {
			t.Errorf("event %d is for %s, want %s (write order)", i, e.Subject, rs[i].ID)
		}
	}
	def, err := s.Pending(ctx(t), 0)
	if err != nil || len(def) != 12 {
		t.Errorf("Pending(0): %d, %v; want the 12 (default limit 100)", len(def), err)
	}
	var acked []uuid.UUID
	for _, e := range first {
		acked = append(acked, e.ID)
	}
	if err := s.Ack(ctx(t), acked...); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	if err := s.Ack(ctx(t), append(acked, uuid.New())...); err != nil {
		t.Errorf("retried Ack with an unknown id: %v", err)
	}
	if err := s.Ack(ctx(t)); err != nil {
		t.Errorf("Ack of nothing: %v", err)
	}
	rest := allPending(t, s)
	if len(rest) != 7 || rest[0].Subject != rs[5].ID.String() {
		t.Errorf("after Ack: %d pending, first %+v; want 7 starting at referral 5", len(rest), rest)
	}
}

func testJournalAppendOnly(t *testing.T, s store.Store) {
	if _, err := s.Append(ctx(t), store.JournalEntry{Actor: "desk"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Append with no action: %v, want ErrInvalid", err)
	}
	if _, err := s.Append(ctx(t), store.JournalEntry{Action: "export", Detail: json.RawMessage(`{bad`)}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Append with bad detail: %v, want ErrInvalid", err)
	}
	var last int64
	for i := range 5 {
		e, err := s.Append(ctx(t), store.JournalEntry{Seq: 99, At: base.Add(time.Duration(i) * time.Second), Actor: "coordinator-7", Action: store.JournalExport, Subject: "report-2026", Detail: json.RawMessage(`{"rows":12}`)})
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		if e.Seq <= last {
			t.Errorf("seq %d after %d", e.Seq, last)
		}
		last = e.Seq
	}
	now, err := s.Append(ctx(t), store.JournalEntry{Action: "export"})
	if err != nil || now.At.IsZero() {
		t.Errorf("Append with no time: %+v %v, want now", now, err)
	}
	all := allEntries(t, s)
	if len(all) != 6 {
		t.Fatalf("%d entries, want 6", len(all))
	}
	if all[0].Actor != "coordinator-7" || !all[0].At.Equal(base) || string(all[0].Detail) != `{"rows":12}` && jsonOf(t, all[0].Detail) != `{"rows":12}` {
		t.Errorf("entry 0: %+v", all[0])
	}
	after, err := s.Entries(ctx(t), all[2].Seq, 2)
	if err != nil || len(after) != 2 || after[0].Seq != all[3].Seq {
		t.Errorf("Entries(after %d, 2): %+v %v", all[2].Seq, after, err)
	}
	// A purge deletes no journal entry and adds one.
	if _, err := s.Purge(ctx(t), store.PurgeRequest{Before: base.Add(100 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if n := len(allEntries(t, s)); n != 7 {
		t.Errorf("after a purge: %d entries, want 7", n)
	}
}

func testPurge(t *testing.T, s store.Store) {
	old := NewReferral(base, "p")
	oldButActive := NewReferral(base, "p")
	recent := NewReferral(base.Add(40*24*time.Hour), "p")
	mustSave(t, s, old, oldButActive, recent)
	oldButActive.Version = 1
	if err := oldButActive.Transition(referral.StatusAccepted, base.Add(35*24*time.Hour), referral.ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx(t), &oldButActive); err != nil {
		t.Fatal(err)
	}
	// Ack the first event only (old's creation).
	evs := allPending(t, s)
	if err := s.Ack(ctx(t), evs[0].ID); err != nil {
		t.Fatal(err)
	}
	cut := base.Add(30 * 24 * time.Hour)
	rep, err := s.Purge(ctx(t), store.PurgeRequest{Before: cut, Actor: "coordinator-1", At: base.Add(50 * 24 * time.Hour)})
	if err != nil {
		t.Fatalf("Purge: %v", err)
	}
	if rep.Referrals != 1 || rep.Events != 1 || !rep.Before.Equal(cut) || rep.Seq == 0 {
		t.Errorf("report %+v, want 1 referral, 1 event, a journal seq", rep)
	}
	if _, err := s.Get(ctx(t), old.ID); !errors.Is(err, referral.ErrNotFound) {
		t.Errorf("old referral still there: %v", err)
	}
	for _, r := range []referral.Referral{oldButActive, recent} {
		if _, err := s.Get(ctx(t), r.ID); err != nil {
			t.Errorf("kept referral %s: %v", r.ID, err)
		}
	}
	if n := len(allPending(t, s)); n != len(evs)-1 {
		t.Errorf("%d pending events after purge, want %d (pending ones are kept)", n, len(evs)-1)
	}
	es := allEntries(t, s)
	lastE := es[len(es)-1]
	if lastE.Action != store.JournalPurge || lastE.Seq != rep.Seq || lastE.Actor != "coordinator-1" {
		t.Errorf("journal last entry %+v, want the purge", lastE)
	}
	var d map[string]any
	if err := json.Unmarshal(lastE.Detail, &d); err != nil || d["referrals"] != 1.0 {
		t.Errorf("purge detail %s (%v)", lastE.Detail, err)
	}
	again, err := s.Purge(ctx(t), store.PurgeRequest{Before: cut})
	if err != nil || again.Referrals != 0 || again.Events != 0 {
		t.Errorf("second purge: %+v %v, want nothing deleted", again, err)
	}
}

func testCancelledContext(t *testing.T, s store.Store) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewReferral(base, "p")
	if err := s.Save(c, r); err == nil {
		t.Error("Save with a cancelled context: no error")
	}
	if _, err := s.Get(ctx(t), r.ID); !errors.Is(err, referral.ErrNotFound) {
		t.Errorf("Save with a cancelled context stored the referral (%v)", err)
	}
	if _, _, err := s.List(c, referral.Filter{}); err == nil {
		t.Error("List with a cancelled context: no error")
	}
}

func testSchemaVersion(t *testing.T, s store.Store) {
	v, err := s.SchemaVersion(ctx(t))
	if err != nil || v < 1 {
		t.Errorf("SchemaVersion: %d %v", v, err)
	}
}
