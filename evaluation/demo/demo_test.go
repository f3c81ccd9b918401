package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/memory"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func generate(t *testing.T, o demo.Options) *demo.Year {
	t.Helper()
	y, err := demo.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func TestGenerateIsDeterministic(t *testing.T) {
	o := demo.Options{Year: 2025, People: 300, Seed: 7, Now: now}
	a, b := generate(t, o), generate(t, o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options gave two different years")
	}
	o.Seed = 8
	c := generate(t, o)
	if reflect.DeepEqual(a.Referrals, c.Referrals) {
		t.Fatal("another seed gave the same referrals")
	}
	// Two years seeded alike share no id, so both can live in one store.
	o.Seed, o.Year = 7, 2024
	ids := map[string]bool{}
	for _, r := range a.Referrals {
		ids[r.ID.String()] = true
	}
	for _, r := range generate(t, o).Referrals {
		if ids[r.ID.String()] {
			t.Fatalf("referral id %s in 2024 and 2025", r.ID)
		}
	}
}

func TestGenerateRecordsAreValidAndSynthetic(t *testing.T) {
	y := generate(t, demo.Options{Year: 2025, People: 500, Seed: 1, Now: now})
	if len(y.Referrals) != 500 {
		t.Fatalf("referrals = %d, want 500", len(y.Referrals))
	}
	for _, c := range y.Coordinators {
		if err := c.ValidateAt(now); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.HostName, demo.Label) {
			t.Errorf("coordinator %q is not labelled synthetic", c.HostName)
		}
	}
	for _, a := range y.Ambassadors {
		if err := a.ValidateAt(now); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range y.Actions {
		if err := a.ValidateAt(now); err != nil {
			t.Fatal(err)
		}
		if a.Source != demo.SourceSynthetic {
			t.Fatalf("action source %q", a.Source)
		}
	}
	standalone := 0
	for _, a := range y.Accompaniments {
		if err := a.ValidateAt(now); err != nil {
			t.Fatal(err)
		}
		if a.ActionID == uuid.Nil {
			standalone++
		}
	}
	// One-to-one help outside actions carries its own hours.
	if standalone == 0 || standalone == len(y.Accompaniments) {
		t.Errorf("%d of %d accompaniments stand alone, want some but not all", standalone, len(y.Accompaniments))
	}
	for _, r := range y.Referrals {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		if r.RulesVersion != demo.RulesVersionSynthetic {
			t.Fatalf("referral rules version %q", r.RulesVersion)
		}
		if r.CreatedAt.Year() != 2025 {
			t.Fatalf("referral created %s, outside the year", r.CreatedAt)
		}
		if last := r.History[len(r.History)-1]; last.To != r.Status || !last.At.Equal(r.UpdatedAt) {
			t.Fatalf("history ends with %v, status %s at %s", last, r.Status, r.UpdatedAt)
		}
	}
}

// TestGenerateFunnelAndSeasonality checks the rates the generator promises,
// within the noise of 4,000 draws.
func TestGenerateFunnelAndSeasonality(t *testing.T) {
	y := generate(t, demo.Options{Year: 2025, People: 4000, Seed: 3, Now: now})
	reached := map[referral.Status]int{}
	byMonth := map[time.Month]int{}
	old := 0
	for _, r := range y.Referrals {
		byMonth[r.CreatedAt.Month()]++
		for _, h := range r.History {
			reached[h.To]++
		}
		if r.AgeBand == referral.Age60To69 || r.AgeBand == referral.Age70Plus {
			old++
		}
	}
	rate := func(a, b referral.Status) float64 { return float64(reached[a]) / float64(reached[b]) }
	cases := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"accepted/proposed", rate(referral.StatusAccepted, referral.StatusProposed), 0.74, 0.82},
		{"scheduled/accepted", rate(referral.StatusScheduled, referral.StatusAccepted), 0.80, 0.90},
		{"attended/scheduled", rate(referral.StatusAttended, referral.StatusScheduled), 0.75, 0.85},
		{"completed/attended", rate(referral.StatusCompleted, referral.StatusAttended), 0.80, 0.90},
		{"aged 60 and over", float64(old) / float64(len(y.Referrals)), 0.58, 0.68},
		{"October over August", float64(byMonth[time.October]) / float64(byMonth[time.August]), 2.5, 5.5},
	}
	for _, c := range cases {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.3f, want within [%.2f, %.2f]", c.name, c.got, c.lo, c.hi)
		}
	}
}

func TestGenerateStopsAtNow(t *testing.T) {
	cut := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	y := generate(t, demo.Options{Year: 2025, People: 400, Seed: 2, Now: cut})
	for _, r := range y.Referrals {
		if !r.UpdatedAt.Before(cut) {
			t.Fatalf("referral updated %s, after now %s", r.UpdatedAt, cut)
		}
	}
	for _, a := range y.Actions {
		if !a.Date.Before(cut) {
			t.Fatalf("action dated %s, after now", a.Date)
		}
	}
}

func TestGenerateRefusesBadOptions(t *testing.T) {
	for _, o := range []demo.Options{
		{Year: 2025, People: 0, Now: now},
		{Year: 2025, People: demo.MaxPeople + 1, Now: now},
		{Year: 1999, People: 10, Now: now},
		{Year: 2027, People: 10, Now: now},
	} {
		if _, err := demo.Generate(o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestSeedWritesIntoAStore(t *testing.T) {
	ctx := context.Background()
	st := memory.New(nil)
	defer st.Close()
	s, err := demo.Seed(ctx, st, demo.Options{Year: 2025, People: 200, Seed: 5, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Synthetic || s.Referrals != 200 || s.Ambassadors == 0 || s.Actions == 0 {
		t.Fatalf("summary %+v", s)
	}
	rs, _, err := st.List(ctx, referral.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 200 {
		t.Fatalf("store holds %d referrals, want 200", len(rs))
	}
	as, _, err := st.ListActions(ctx, mediation.ActionFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != s.Actions {
		t.Fatalf("store holds %d actions, summary says %d", len(as), s.Actions)
	}
}
