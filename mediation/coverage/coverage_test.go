package coverage

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

var (
	refOnce sync.Once
	refVal  *territory.Reference
	refErr  error
)

// reference is the embedded 2025 reference: real communes are the fixture.
func reference(t testing.TB) *territory.Reference {
	t.Helper()
	refOnce.Do(func() { refVal, refErr = territory.Default() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	return refVal
}

// placeAt is a place at a commune's centroid.
func placeAt(t testing.TB, id, code string, labels ...mediation.Label) mediation.Place {
	t.Helper()
	c, ok := reference(t).Commune(code)
	if !ok {
		t.Fatalf("no commune %s", code)
	}
	return mediation.Place{ID: id, Name: id, Commune: c.Name, INSEECode: c.Code, Latitude: c.Lat, Longitude: c.Lon, Labels: labels}
}

// oracle recomputes coverage the slow, obvious way: every commune against
// every trained place with mediation.DistanceKm.
func oracle(ref *territory.Reference, trained []mediation.Place, region string, radius float64) (covered, total int) {
	for c := range ref.All() {
		if region != "" && c.Region != region {
			continue
		}
		total += c.Population
		if c.Lat == 0 && c.Lon == 0 {
			continue
		}
		for _, p := range trained {
			if mediation.DistanceKm(c.Lat, c.Lon, p.Latitude, p.Longitude) <= radius {
				covered += c.Population
				break
			}
		}
	}
	return covered, total
}

func TestComputeAgainstOracle(t *testing.T) {
	ref := reference(t)
	mes := mediation.LabelFormeMonEspaceSante
	places := []mediation.Place{
		placeAt(t, "rodez", "12202", mes),                          // Rodez, labelled
		placeAt(t, "millau", "12145"),                              // Millau, trained through a Training record
		placeAt(t, "albi", "81004"),                                // Albi, not trained
		placeAt(t, "lyon", "69123", mes),                           // Lyon, outside Occitanie
		{ID: "nowhere", Name: "x", Labels: []mediation.Label{mes}}, // trained, no location
	}
	trainings := []mediation.Training{{ID: uuid.New(), PlaceID: "millau", Module: mediation.ModuleMonEspaceSante}}
	trained := []mediation.Place{places[0], places[1], places[3]}
	for _, tt := range []struct {
		name, region  string
		trainedPlaces int
	}{
		{"country", "", 3},
		{"occitanie", "76", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compute(context.Background(), Input{Reference: ref, Places: places, Trainings: trainings, Region: tt.region})
			if err != nil {
				t.Fatal(err)
			}
			if rep.TrainedPlaces != tt.trainedPlaces {
				t.Errorf("trained places = %d, want %d", rep.TrainedPlaces, tt.trainedPlaces)
			}
			for i, r := range []float64{10, 20, 30} {
				covered, total := oracle(ref, trained, tt.region, r)
				b := rep.Coverage[i]
				if b.RadiusKm != r || b.Population != covered || rep.Population != total {
					t.Errorf("%v km: covered %d of %d, oracle %d of %d", r, b.Population, rep.Population, covered, total)
				}
				if covered == 0 {
					t.Errorf("%v km: the oracle covers nobody, the test proves nothing", r)
				}
				if b.Population60Plus <= 0 || b.Population60Plus >= b.Population {
					t.Errorf("%v km: 60+ covered = %d of %d covered", r, b.Population60Plus, b.Population)
				}
			}
			wantPer10k := round(float64(tt.trainedPlaces)*10000/float64(rep.Population), 3)
			if rep.PlacesPer10000 != wantPer10k {
				t.Errorf("per 10,000 = %v, want %v", rep.PlacesPer10000, wantPer10k)
			}
			// Farthest: sparse communes, farthest first, distance checked by hand.
			if len(rep.Farthest) != defaultFarthest {
				t.Fatalf("farthest lists %d communes", len(rep.Farthest))
			}
			for i, f := range rep.Farthest {
				c, _ := ref.Commune(f.Code)
				g := c.Density.Group()
				if g != territory.LowDensity && g != territory.VeryLowDensity {
					t.Errorf("%s is %s, not sparse", f.Code, g)
				}
				if tt.region != "" && c.Region != tt.region {
					t.Errorf("%s is outside région %s", f.Code, tt.region)
				}
				best := math.Inf(1)
				for _, p := range trained {
					best = min(best, mediation.DistanceKm(c.Lat, c.Lon, p.Latitude, p.Longitude))
				}
				if math.Abs(best-f.DistanceKm) > 0.06 {
					t.Errorf("%s at %v km, oracle %v", f.Code, f.DistanceKm, best)
				}
				if i > 0 && f.DistanceKm > rep.Farthest[i-1].DistanceKm {
					t.Errorf("farthest not sorted at %d", i)
				}
			}
			// No sparse commune left out is farther than the last listed.
			last := rep.Farthest[len(rep.Farthest)-1].DistanceKm
			listed := map[string]bool{}
			for _, f := range rep.Farthest {
				listed[f.Code] = true
			}
			for c := range ref.All() {
				g := c.Density.Group()
				if listed[c.Code] || (tt.region != "" && c.Region != tt.region) || (g != territory.LowDensity && g != territory.VeryLowDensity) {
					continue
				}
				best := math.Inf(1)
				for _, p := range trained {
					best = min(best, mediation.DistanceKm(c.Lat, c.Lon, p.Latitude, p.Longitude))
				}
				if best > last+0.06 {
					t.Errorf("%s %s at %.1f km is farther than the last listed (%v km) yet not listed", c.Code, c.Name, best, last)
				}
			}
		})
	}
}

func TestComputeAmbassadors(t *testing.T) {
	ref := reference(t)
	places := []mediation.Place{placeAt(t, "rodez", "12202"), placeAt(t, "cahors", "46042")}
	a1, a2, a3, a4 := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	ambs := []mediation.Ambassador{
		// Acts in Rodez and serves Rodez: counted once there; serves the Lot too.
		{ID: a1, Region: "76", PlaceIDs: []string{"rodez"}, Communes: []string{"12202"}, Departements: []string{"46"}, Status: mediation.AmbassadorActive},
		{ID: a2, Region: "76", Communes: []string{"46042"}, Status: mediation.AmbassadorPaused},
		{ID: a3, Region: "76", Communes: []string{"46042"}, Status: mediation.AmbassadorLeft},   // left: not counted
		{ID: a4, Region: "76", Communes: []string{"46042"}, Status: mediation.AmbassadorActive}, // trained in another module
	}
	trainings := []mediation.Training{
		{ID: uuid.New(), AmbassadorID: a1, Module: mediation.ModuleMonEspaceSante},
		{ID: uuid.New(), AmbassadorID: a1, Module: mediation.ModuleMonEspaceSante},
		{ID: uuid.New(), AmbassadorID: a2, Module: mediation.ModuleMonEspaceSante},
		{ID: uuid.New(), AmbassadorID: a3, Module: mediation.ModuleMonEspaceSante},
		{ID: uuid.New(), AmbassadorID: a4, Module: "Aidants Connect"},
	}
	rep, err := Compute(context.Background(), Input{Reference: ref, Places: places, Ambassadors: ambs, Trainings: trainings, Region: "76"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TrainedAmbassadors != 2 {
		t.Errorf("trained ambassadors = %d, want 2", rep.TrainedAmbassadors)
	}
	got := map[string]int{}
	for _, a := range rep.Departements {
		got["d"+a.Code] = a.TrainedAmbassadors
	}
	for _, a := range rep.Communes {
		got["c"+a.Code] = a.TrainedAmbassadors
	}
	want := map[string]int{"d12": 1, "d46": 2, "c12202": 1, "c46042": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d trained ambassadors, want %d", k, got[k], v)
		}
	}
	if rep.TrainedPlaces != 0 || rep.Coverage[0].Population != 0 || len(rep.Farthest) != 0 {
		t.Errorf("no trained place, yet %d places, %d covered, %d farthest", rep.TrainedPlaces, rep.Coverage[0].Population, len(rep.Farthest))
	}
}

func TestComputeBalances(t *testing.T) {
	ref := reference(t)
	places := []mediation.Place{placeAt(t, "rodez", "12202"), placeAt(t, "millau", "12145"), placeAt(t, "cahors", "46042"), placeAt(t, "albi", "81004")}
	rep, err := Compute(context.Background(), Input{
		Reference: ref, Places: places, Region: "76",
		Referrals:      map[string]int{"rodez": 30, "millau": 10, "cahors": 8, "gone": 5, "albi": 3},
		Weeks:          4,
		WeeklyCapacity: map[string]int{"rodez": 5, "albi": 0}, DefaultWeeklyCapacity: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Balance{
		{Departement: "12", Name: "Aveyron", Places: 2, Capacity: 8, Referrals: 40, WeeklyDemand: 10, Ratio: 1.25, Short: true},
		{Departement: "46", Name: "Lot", Places: 1, Capacity: 3, Referrals: 8, WeeklyDemand: 2, Ratio: 0.667},
		{Departement: "81", Name: "Tarn", Places: 1, Capacity: 0, Referrals: 3, WeeklyDemand: 0.75, CapacityUnknown: true},
	}
	if len(rep.Balances) != len(want) {
		t.Fatalf("balances = %+v", rep.Balances)
	}
	for i := range want {
		if rep.Balances[i] != want[i] {
			t.Errorf("balance %d = %+v, want %+v", i, rep.Balances[i], want[i])
		}
	}
	if rep.UnknownReferralPlaces != 5 {
		t.Errorf("unknown referral places = %d, want 5", rep.UnknownReferralPlaces)
	}
}

func TestComputeBadInput(t *testing.T) {
	ref := reference(t)
	for _, tt := range []struct {
		name string
		in   Input
		want string
	}{
		{"no reference", Input{}, "reference"},
		{"zero radius", Input{Reference: ref, RadiiKm: []float64{10, 0}}, "radii_km[1]"},
		{"NaN radius", Input{Reference: ref, RadiiKm: []float64{math.NaN()}}, "radii_km[0]"},
		{"unknown région", Input{Reference: ref, Region: "99"}, "region"},
		{"negative weeks", Input{Reference: ref, Weeks: -2}, "weeks"},
		{"negative capacity", Input{Reference: ref, WeeklyCapacity: map[string]int{"p1": -4}}, `weekly_capacity["p1"]`},
		{"negative referrals", Input{Reference: ref, Referrals: map[string]int{"p1": -1}}, `referrals["p1"]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(context.Background(), tt.in)
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
			if !containsString(err.Error(), tt.want) {
				t.Errorf("err %q does not name %s", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, Input{Reference: ref}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func containsString(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestKDTreeMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 17, 500} {
		pts := make([]vec, n)
		for i := range pts {
			if i > 0 && rng.IntN(5) == 0 {
				pts[i] = pts[rng.IntN(i)] // duplicates test the tie-break
				continue
			}
			pts[i] = unit(41+rng.Float64()*10, -5+rng.Float64()*13)
		}
		tree := newKDTree(pts)
		for range 2000 {
			q := unit(40+rng.Float64()*12, -6+rng.Float64()*15)
			gi, gd := tree.nearest(q)
			wi, wd := bruteNearest(pts, q)
			if gi != wi || gd != wd {
				t.Fatalf("n=%d: tree %d (%v), brute %d (%v)", n, gi, gd, wi, wd)
			}
		}
		// A query on a point itself finds it (or its lowest duplicate).
		for i, p := range pts {
			gi, gd := tree.nearest(p)
			if gd != 0 || gi > i {
				t.Fatalf("n=%d: point %d found as %d at %v", n, i, gi, gd)
			}
		}
	}
	if i, _ := newKDTree(nil).nearest(unit(45, 2)); i != -1 {
		t.Errorf("empty tree answered %d", i)
	}
}

func TestComputeFarthestNone(t *testing.T) {
	ref := reference(t)
	rep, err := Compute(context.Background(), Input{Reference: ref, Places: []mediation.Place{placeAt(t, "rodez", "12202", mediation.LabelFormeMonEspaceSante)}, Farthest: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Farthest) != 0 {
		t.Errorf("Farthest -1 listed %d communes", len(rep.Farthest))
	}
}
