package referral

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

// TestReferRealCommunes refers a beginner from every commune of Charente,
// the Rhône, Lozère and Guyane with the national rules and the real demo directory, and
// checks what must hold for each: places within the radius used, widening
// only when nothing was within the rule's radius, fallback only after
// widening to the limit, and reasons for everything.
func TestReferRealCommunes(t *testing.T) {
	rules, err := NationalRules()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := demo.Directory(nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Infallible(rules), dir, testRef(t), &EngineOptions{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	var communes, within, widened, remote int
	for c := range testRef(t).All() {
		if c.Departement != "16" && c.Departement != "69" && c.Departement != "48" && c.Departement != "973" {
			continue
		}
		communes++
		req := Request{Assessment: assessment.Result{Level: assessment.LevelBeginner}, Person: Person{Commune: c.Code}}
		p, err := e.Refer(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", c.Code, err)
		}
		// The batch's path (no texts, top K only) ranks the same.
		light, err := e.refer(context.Background(), req, false, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.Code, err)
		}
		for i := range p.Pathways {
			if a, b := ids(p.Pathways[i].Places), ids(light.Pathways[i].Places); a != b {
				t.Errorf("%s %s: explained ranking %s, batch ranking %s", c.Code, p.Pathways[i].Pathway, a, b)
			}
		}
		for _, pp := range p.Pathways {
			if pp.Pathway != PathwayMediationPlace {
				continue
			}
			limit := e.Options().DefaultMaxKm
			switch {
			case pp.Remote:
				remote++
				if pp.Widened == nil || pp.Widened.ToKm != e.Options().MaxKm {
					t.Errorf("%s: remote fallback without widening to the limit: %+v", c.Code, pp.Widened)
				}
				limit = 1e9
			case pp.Widened != nil:
				widened++
				limit = pp.Widened.ToKm
				if pp.Places[0].DistanceKm <= pp.Widened.FromKm {
					t.Errorf("%s: widened although a place is at %.1f km", c.Code, pp.Places[0].DistanceKm)
				}
			default:
				within++
			}
			if len(pp.Places) == 0 || len(pp.Places) > e.Options().K {
				t.Errorf("%s: %d places", c.Code, len(pp.Places))
			}
			for _, r := range pp.Places {
				if r.DistanceKm > limit+0.05 {
					t.Errorf("%s: place %s at %.1f km beyond %.0f km", c.Code, r.ID, r.DistanceKm, limit)
				}
				if len(r.Why) == 0 || r.Place.ID != r.ID {
					t.Errorf("%s: place %s without reasons or record", c.Code, r.ID)
				}
			}
			if len(pp.Why) < 2 {
				t.Errorf("%s: pathway why = %v", c.Code, pp.Why)
			}
		}
	}
	t.Logf("%d communes: mediation place within 15 km for %d, widened for %d, remote fallback for %d", communes, within, widened, remote)
	if communes < 500 || within == 0 || widened == 0 || remote == 0 {
		t.Errorf("communes %d, within %d", communes, within)
	}
}

// TestReferLoadFromStore: referrals saved in the store this week make a
// place rank lower for the next person.
func TestReferLoadFromStore(t *testing.T) {
	ctx := context.Background()
	store := NewMemoryStore(nil)
	places := []mediation.Place{placeAt(t, "a", 1, nil), placeAt(t, "b", 2, nil)}
	e := newTestEngine(t, mediationOutcome(), places, &EngineOptions{K: 1, Capacity: 3, Load: store})
	req := Request{Assessment: assessment.Result{Level: assessment.LevelBeginner}, Person: Person{Commune: testCommune}}
	var got []string
	for i := range 8 {
		req.Person.ID = uuid.NewString()
		p, err := e.Refer(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		place := p.Pathways[0].Places[0].ID
		got = append(got, place)
		r, err := NewReferral(p, req, PathwayMediationPlace, place, ActorDesk, testNow.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if r.Commune != testCommune {
			t.Fatalf("referral commune %q, want the person's %q", r.Commune, testCommune)
		}
		if err := store.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Each open referral costs a 5 points (15 × 1/3) against the 2.6 points
	// it leads b by on distance: the two equivalent places take turns; once
	// both are full (3 each), the nearer one comes first again.
	if s := strings.Join(got, ""); s != "abababaa" {
		t.Errorf("places chosen in turn = %s", s)
	}
}
