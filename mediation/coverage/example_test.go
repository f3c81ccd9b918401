package coverage_test

import (
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/territory"
)

// One place labelled « Formé à « Mon Espace Santé » » in Rodez: how much of
// the Aveyron lives near it, and is the offer enough for the referrals?
func ExampleCompute() {
	ref, err := territory.Default()
	if err != nil {
		panic(err)
	}
	rodez, _ := ref.Commune("12202")
	places := []mediation.Place{{
		ID: "espace-numerique-rodez", Name: "Espace numérique", INSEECode: rodez.Code,
		Latitude: rodez.Lat, Longitude: rodez.Lon,
		Labels: []mediation.Label{mediation.LabelFormeMonEspaceSante},
	}}
	rep, err := coverage.Compute(context.Background(), coverage.Input{
		Reference: ref, Places: places, Region: "76", Farthest: -1,
		Referrals: map[string]int{"espace-numerique-rodez": 24}, Weeks: 4,
		WeeklyCapacity: map[string]int{"espace-numerique-rodez": 4},
	})
	if err != nil {
		panic(err)
	}
	for _, d := range rep.Departements {
		if d.Code == "12" {
			fmt.Printf("%s: %d trained place, %.1f%% of people within 30 km\n", d.Name, d.TrainedPlaces, d.Coverage[2].Share*100)
		}
	}
	b := rep.Balances[0]
	fmt.Printf("%s: %.0f referrals a week for %d places a week, short: %v\n", b.Name, b.WeeklyDemand, b.Capacity, b.Short)
	// Output:
	// Aveyron: 1 trained place, 48.1% of people within 30 km
	// Aveyron: 6 referrals a week for 4 places a week, short: true
}
