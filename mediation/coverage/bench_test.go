package coverage

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

// nationalInput is the whole country: every commune of the 2025 reference,
// and every place of the demo directory (Charente, Auvergne-Rhône-Alpes and
// the 2,845 France Services sites) trained, the heaviest realistic case.
func nationalInput(b *testing.B) Input {
	b.Helper()
	places, err := demo.Places()
	if err != nil {
		b.Fatal(err)
	}
	trainings := make([]mediation.Training, len(places))
	referrals := make(map[string]int, len(places))
	for i, p := range places {
		trainings[i] = mediation.Training{ID: uuid.New(), PlaceID: p.ID, Module: mediation.ModuleMonEspaceSante}
		referrals[p.ID] = i % 7
	}
	return Input{Reference: reference(b), Places: places, Trainings: trainings, Referrals: referrals, Weeks: 4, DefaultWeeklyCapacity: 5}
}

func benchCompute(b *testing.B, finder nearestFinder) {
	in := nationalInput(b)
	ctx := context.Background()
	b.ResetTimer()
	var rep *Report
	for b.Loop() {
		var err error
		if rep, err = compute(ctx, in, finder); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rep.TrainedPlaces), "trained_places")
	b.ReportMetric(rep.Coverage[0].Share*100, "%covered_10km")
}

// BenchmarkComputeNational is the whole country with the k-d tree.
func BenchmarkComputeNational(b *testing.B) { benchCompute(b, treeFinder) }

// BenchmarkComputeNationalBruteForce is the baseline: every commune checked
// against every trained place.
func BenchmarkComputeNationalBruteForce(b *testing.B) { benchCompute(b, bruteFinder) }
