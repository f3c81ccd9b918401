package postgres

import (
	"slices"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/storetest"
)

// The database narrows DueForFollowUp with bounds; around each bound, to
// the nanosecond, the answer must be the policy's over every referral.
func TestDueForFollowUpAtTheBounds(t *testing.T) {
	s := openTest(t)
	paris := time.FixedZone("CET", 3600)
	day := time.Date(2026, 3, 20, 15, 0, 0, 0, paris)
	start := time.Date(2026, 3, 20, 0, 0, 0, 0, paris)
	end := start.Add(24 * time.Hour)
	pol := referral.DefaultFollowUpPolicy()
	offsets := []time.Duration{-time.Hour, -time.Microsecond, -time.Nanosecond, 0, time.Nanosecond, 500 * time.Nanosecond, time.Microsecond, 3 * time.Microsecond, time.Hour}
	// chain reaches a status with its last change at the given time.
	chain := func(to referral.Status, at time.Time, appt time.Time) referral.Referral {
		r := storetest.NewReferral(at.Add(-72*time.Hour), "place-1")
		steps := map[referral.Status][]referral.Status{
			referral.StatusProposed:  nil,
			referral.StatusAccepted:  {referral.StatusAccepted},
			referral.StatusScheduled: {referral.StatusAccepted, referral.StatusScheduled},
			referral.StatusAttended:  {referral.StatusAccepted, referral.StatusScheduled, referral.StatusAttended},
			referral.StatusNoShow:    {referral.StatusAccepted, referral.StatusScheduled, referral.StatusNoShow},
		}[to]
		if to == referral.StatusProposed {
			r = storetest.NewReferral(at, "place-1")
		}
		for i, st := range steps {
			when := at.Add(time.Duration(i-len(steps)+1) * time.Minute)
			var o *referral.TransitionOptions
			if st == referral.StatusScheduled {
				o = &referral.TransitionOptions{Appointment: appt}
			}
			if err := r.Transition(st, when, referral.ActorMediator, o); err != nil {
				t.Fatalf("%s: %v", to, err)
			}
		}
		return r
	}
	var all []referral.Referral
	for _, off := range offsets {
		all = append(all,
			chain(referral.StatusProposed, end.Add(-pol.ProposedAfter+off), time.Time{}),
			chain(referral.StatusAccepted, end.Add(-pol.AcceptedAfter+off), time.Time{}),
			chain(referral.StatusAttended, end.Add(-pol.AttendedAfter+off), start.Add(-48*time.Hour)),
			chain(referral.StatusScheduled, start.Add(-72*time.Hour), start.Add(off)),
			chain(referral.StatusNoShow, start.Add(off), start.Add(-time.Hour)),
		)
	}
	if err := s.SaveReferrals(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range all {
		if why, ok := pol.Due(&all[i], day); ok {
			want = append(want, all[i].ID.String()+" "+string(why))
		}
	}
	got, err := s.DueForFollowUp(t.Context(), day)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, f := range got {
		gotIDs = append(gotIDs, f.Referral.ID.String()+" "+string(f.Reason))
	}
	slices.Sort(want)
	slices.Sort(gotIDs)
	if !slices.Equal(gotIDs, want) {
		t.Errorf("due:\n got %v\nwant %v", gotIDs, want)
	}
	if len(want) == 0 || len(want) == len(all) {
		t.Errorf("%d of %d due: the bounds were not straddled", len(want), len(all))
	}
}
