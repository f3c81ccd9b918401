package referral

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
)

const testPerson = "5f0c7f52-3a8e-4b0e-9a43-2c7d0e8b1f11"

func newTestReferral(t testing.TB, at time.Time, place string) Referral {
	t.Helper()
	r := Referral{
		ID: uuid.New(), PersonID: testPerson, CreatedAt: at, By: ActorDesk,
		Pathway: PathwayMediationPlace, PlaceID: place,
		Assessment:   AssessmentRef{Instrument: "triage", Level: assessment.LevelBeginner},
		RulesVersion: "fake-1", Status: StatusProposed, UpdatedAt: at,
		History: []StatusChange{{To: StatusProposed, At: at, By: ActorDesk}},
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTransitions(t *testing.T) {
	t0 := testNow
	step := func(to Status, o *TransitionOptions) struct {
		to   Status
		opts *TransitionOptions
	} {
		return struct {
			to   Status
			opts *TransitionOptions
		}{to, o}
	}
	type st = struct {
		to   Status
		opts *TransitionOptions
	}
	tests := []struct {
		name    string
		steps   []st
		wantErr error
		errHas  string
		final   Status
	}{
		{"full path", []st{step(StatusAccepted, nil), step(StatusScheduled, &TransitionOptions{Appointment: t0.Add(48 * time.Hour)}), step(StatusAttended, nil), step(StatusCompleted, &TransitionOptions{Autonomy: AutonomyPartial})}, nil, "", StatusCompleted},
		{"declined", []st{step(StatusDeclined, &TransitionOptions{Reason: "too_far"})}, nil, "", StatusDeclined},
		{"no show then rebooked", []st{step(StatusAccepted, nil), step(StatusScheduled, &TransitionOptions{Appointment: t0}), step(StatusNoShow, nil), step(StatusScheduled, &TransitionOptions{Appointment: t0.Add(time.Hour)})}, nil, "", StatusScheduled},
		{"cannot attend before scheduling", []st{step(StatusAttended, nil)}, ErrInvalidTransition, "allowed next statuses are [accepted declined cancelled expired]", StatusProposed},
		{"final stays final", []st{step(StatusDeclined, nil), step(StatusAccepted, nil)}, ErrInvalidTransition, "declined is final", StatusDeclined},
		{"schedule needs a time", []st{step(StatusAccepted, nil), step(StatusScheduled, nil)}, ErrInvalidReferral, "appointment", StatusAccepted},
		{"complete needs autonomy", []st{step(StatusAccepted, nil), step(StatusScheduled, &TransitionOptions{Appointment: t0}), step(StatusAttended, nil), step(StatusCompleted, nil)}, ErrInvalidReferral, "entierement_accompagne", StatusAttended},
		{"reason is a code", []st{step(StatusDeclined, &TransitionOptions{Reason: "I moved to Lyon"})}, ErrInvalidReferral, "short code", StatusProposed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestReferral(t, t0, "p1")
			var err error
			for i, s := range tt.steps {
				if err = r.Transition(s.to, t0.Add(time.Duration(i+1)*time.Minute), ActorMediator, s.opts); err != nil {
					break
				}
			}
			if !errors.Is(err, tt.wantErr) || (tt.errHas != "" && !strings.Contains(fmt.Sprint(err), tt.errHas)) {
				t.Errorf("err = %v, want %v containing %q", err, tt.wantErr, tt.errHas)
			}
			if r.Status != tt.final {
				t.Errorf("status = %s, want %s", r.Status, tt.final)
			}
			if h := r.History[len(r.History)-1]; h.To != r.Status {
				t.Errorf("last history entry %+v does not end at %s", h, r.Status)
			}
			for i := 1; i < len(r.History); i++ {
				if r.History[i].From != r.History[i-1].To {
					t.Errorf("history breaks at %d: %+v", i, r.History)
				}
			}
		})
	}
}

func TestCompletionRecordsProgression(t *testing.T) {
	r := newTestReferral(t, testNow, "p1")
	before := assessment.Result{Instrument: "triage", Version: "1", Level: assessment.LevelBeginner}
	after := assessment.Result{Instrument: "triage", Version: "1", Level: assessment.LevelIntermediate}
	for i, s := range []Status{StatusAccepted, StatusScheduled, StatusAttended} {
		if err := r.Transition(s, testNow.Add(time.Duration(i)*time.Hour), ActorMediator, &TransitionOptions{Appointment: testNow.Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Progression(before); !errors.Is(err, ErrInvalidReferral) {
		t.Errorf("progression without follow-up: %v", err)
	}
	if err := r.Transition(StatusCompleted, testNow.Add(72*time.Hour), ActorMediator, &TransitionOptions{Autonomy: AutonomyAutonomous, FollowUp: &after}); err != nil {
		t.Fatal(err)
	}
	pr, err := r.Progression(before)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Direction != assessment.DirectionUp {
		t.Errorf("progression = %+v, want up", pr)
	}
	if r.Autonomy != AutonomyAutonomous {
		t.Errorf("autonomy = %q", r.Autonomy)
	}
}

func TestExpire(t *testing.T) {
	tests := []struct {
		status Status
		idle   time.Duration
		want   bool
	}{
		{StatusProposed, 31 * 24 * time.Hour, true},
		{StatusProposed, 29 * 24 * time.Hour, false},
		{StatusScheduled, 31 * 24 * time.Hour, true},
		{StatusCompleted, 365 * 24 * time.Hour, false},
	}
	for _, tt := range tests {
		r := newTestReferral(t, testNow, "p1")
		r.Status = tt.status
		got := r.Expire(testNow.Add(tt.idle), 30*24*time.Hour)
		if got != tt.want || (got && (r.Status != StatusExpired || r.History[len(r.History)-1].Reason != "no_news")) {
			t.Errorf("%s idle %v: expired = %v (status %s), want %v", tt.status, tt.idle, got, r.Status, tt.want)
		}
	}
}

func TestFollowUpPolicy(t *testing.T) {
	pol := DefaultFollowUpPolicy()
	day := testNow // Monday 23 March 2026
	appt := func(d time.Duration) *time.Time { a := day.Add(d); return &a }
	tests := []struct {
		name   string
		status Status
		since  time.Duration // UpdatedAt before day
		appt   *time.Time
		want   FollowUpReason
		due    bool
	}{
		{"proposed 3 days ago", StatusProposed, 72 * time.Hour, nil, FollowUpNoAnswer, true},
		{"proposed yesterday", StatusProposed, 24 * time.Hour, nil, FollowUpNoAnswer, false},
		{"accepted 8 days ago", StatusAccepted, 8 * 24 * time.Hour, nil, FollowUpNotScheduled, true},
		{"accepted 2 days ago", StatusAccepted, 48 * time.Hour, nil, FollowUpNotScheduled, false},
		{"appointment yesterday", StatusScheduled, 72 * time.Hour, appt(-24 * time.Hour), FollowUpAfterAppointment, true},
		{"appointment today", StatusScheduled, 72 * time.Hour, appt(time.Hour), FollowUpAfterAppointment, false},
		{"no show", StatusNoShow, 24 * time.Hour, nil, FollowUpRebook, true},
		{"completed", StatusCompleted, 30 * 24 * time.Hour, nil, "", false},
	}
	for _, tt := range tests {
		r := newTestReferral(t, day.Add(-tt.since), "p1")
		r.Status, r.Appointment = tt.status, tt.appt
		why, due := pol.Due(&r, day)
		if due != tt.due || (due && why != tt.want) {
			t.Errorf("%s: due = %v (%s), want %v (%s)", tt.name, due, why, tt.due, tt.want)
		}
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(nil)
	var all []Referral
	for i := range 7 {
		place := "p1"
		if i%2 == 1 {
			place = "p2"
		}
		r := newTestReferral(t, testNow.Add(time.Duration(i)*time.Hour), place)
		if err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	if err := s.Save(ctx, all[0]); err != nil {
		t.Errorf("saving again is not idempotent: %v", err)
	}
	got, err := s.Get(ctx, all[3].ID)
	if err != nil || got.Version != 1 || got.PlaceID != "p2" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, ErrNotFound) {
		t.Errorf("get missing: %v", err)
	}
	// A change on a copy does not leak into the store.
	got.History[0].By = ActorSystem
	again, _ := s.Get(ctx, all[3].ID)
	if again.History[0].By != ActorDesk {
		t.Error("the store shares its history slice with callers")
	}

	if err := got.Transition(StatusDeclined, testNow.Add(10*time.Hour), ActorPerson, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, &got); err != nil || got.Version != 2 {
		t.Fatalf("update = %v, version %d", err, got.Version)
	}
	stale := again
	stale.Status = StatusAccepted
	if err := s.Update(ctx, &stale); !errors.Is(err, ErrConflict) {
		t.Errorf("stale update: %v", err)
	}

	counts, _ := s.OpenCountsSince(ctx, testNow.Add(time.Hour))
	if counts["p1"] != 3 || counts["p2"] != 2 {
		t.Errorf("open counts since +1h = %v, want p1:3 p2:2 (one declined, one earlier)", counts)
	}

	// Paging: three pages of up to 3 over the 7 records.
	var seen []uuid.UUID
	cursor := ""
	for page := 0; ; page++ {
		rs, next, err := s.List(ctx, Filter{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			seen = append(seen, r.ID)
		}
		if next == "" {
			break
		}
		if page > 5 {
			t.Fatal("paging does not end")
		}
		cursor = next
	}
	if len(seen) != 7 || seen[0] != all[0].ID || seen[6] != all[6].ID {
		t.Errorf("paged %d referrals, want the 7 in creation order", len(seen))
	}
	filters := []struct {
		f    Filter
		want int
	}{
		{Filter{PlaceID: "p2"}, 3},
		{Filter{Status: []Status{StatusDeclined}}, 1},
		{Filter{Status: []Status{StatusProposed}, PlaceID: "p2"}, 2},
		{Filter{From: testNow.Add(2 * time.Hour), To: testNow.Add(4 * time.Hour)}, 2},
	}
	for _, ft := range filters {
		rs, _, err := s.List(ctx, ft.f)
		if err != nil || len(rs) != ft.want {
			t.Errorf("list %+v = %d, %v; want %d", ft.f, len(rs), err, ft.want)
		}
	}
	if _, _, err := s.List(ctx, Filter{Cursor: "garbage"}); !errors.Is(err, ErrInvalidReferral) {
		t.Errorf("bad cursor: %v", err)
	}
	due, err := s.DueForFollowUp(ctx, testNow.Add(4*24*time.Hour))
	if err != nil || len(due) != 6 || due[0].Reason != FollowUpNoAnswer {
		t.Errorf("due = %d %v, want the 6 still proposed", len(due), err)
	}
}

// Eight goroutines update the same referral from what they read: every
// failure is a conflict, and no successful update is lost.
func TestMemoryStoreConcurrentUpdates(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(nil)
	r := newTestReferral(t, testNow, "p1")
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	var ok, conflicts atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				cur, err := s.Get(ctx, r.ID)
				if err != nil {
					t.Error(err)
					return
				}
				cur.History = append(cur.History, StatusChange{From: cur.Status, To: cur.Status, At: testNow, By: ActorSystem, Reason: fmt.Sprintf("g%d_%d", g, i)})
				switch err := s.Update(ctx, &cur); {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrConflict):
					conflicts.Add(1)
				default:
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	final, _ := s.Get(ctx, r.ID)
	if int64(final.Version) != 1+ok.Load() || int64(len(final.History)) != 1+ok.Load() {
		t.Errorf("version %d, history %d, successful updates %d: an update was lost", final.Version, len(final.History), ok.Load())
	}
	if ok.Load()+conflicts.Load() != 1600 {
		t.Errorf("ok %d + conflicts %d != 1600", ok.Load(), conflicts.Load())
	}
}

func TestMemoryStoreExpireStale(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(nil)
	old := newTestReferral(t, testNow.Add(-40*24*time.Hour), "p1")
	recent := newTestReferral(t, testNow.Add(-2*24*time.Hour), "p1")
	done := newTestReferral(t, testNow.Add(-50*24*time.Hour), "p1")
	done.Status = StatusDeclined
	for _, r := range []Referral{old, recent, done} {
		if err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ExpireStale(ctx, testNow, 30*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("expired %d, %v; want 1", n, err)
	}
	got, _ := s.Get(ctx, old.ID)
	if got.Status != StatusExpired || got.Version != 2 || got.History[len(got.History)-1].By != ActorSystem {
		t.Errorf("expired referral = %+v", got)
	}
	if got, _ := s.Get(ctx, recent.ID); got.Status != StatusProposed {
		t.Errorf("recent referral expired: %s", got.Status)
	}
}

// The evaluation's equity figures need the person's commune and age band on
// the record, and nothing finer.
func TestReferralKeepsCommuneAndAgeBand(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	r := newTestReferral(t, at, "p1")
	r.Commune, r.AgeBand = "2A004", Age70Plus
	if err := r.Validate(); err != nil {
		t.Fatalf("valid commune and age band refused: %v", err)
	}
	for _, tt := range []struct {
		commune string
		band    AgeBand
		want    string
	}{
		{"1220", "", "commune"},
		{"Saint-Affrique", "", "commune"},
		{"12208", "80_plus", "age_band"},
	} {
		r.Commune, r.AgeBand = tt.commune, tt.band
		err := r.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("commune %q, age band %q: error %v, want one about %s", tt.commune, tt.band, err, tt.want)
		}
	}
}
