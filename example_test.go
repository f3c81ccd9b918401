package passerelle_test

import (
	"context"
	"fmt"
	"log"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// The flow of the library on one caller: assess with the phone triage,
// place the caller's commune, and find the nearest mediation places trained
// in Mon espace santé.
func Example() {
	triage, err := assessment.Builtin("triage")
	if err != nil {
		log.Fatal(err)
	}
	answers, err := triage.DecodeAnswers([]byte(`{"device": "smartphone_only",
		"internet_use": "rarely", "procedures": "with_help", "email": "none",
		"helper": "nobody", "health_accounts": "neither", "barriers": ["none"],
		"forms_confidence": "somewhat"}`))
	if err != nil {
		log.Fatal(err) // *assessment.AnswersError lists every problem by item id
	}
	result, err := triage.Score(answers)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("level:", result.Level, result.Flags)

	communes, err := territory.Default()
	if err != nil {
		log.Fatal(err)
	}
	home := communes.Find("St Affrique 12400", 1)[0].Commune
	fmt.Println("commune:", home.Code, home.Name)

	// In production the places come from mediation/lamednum,
	// mediation/franceservices, ... or a directory plugin.
	places := []mediation.Place{
		{ID: "millau", Name: "Médiathèque de Millau", Latitude: 44.0986, Longitude: 3.0783,
			Labels: []mediation.Label{mediation.LabelFormeMonEspaceSante}},
		{ID: "st-affrique", Name: "Espace numérique de Saint-Affrique", Latitude: 43.9585, Longitude: 2.8867},
		{ID: "rodez", Name: "France Services de Rodez", Latitude: 44.3506, Longitude: 2.5750,
			Labels: []mediation.Label{mediation.LabelFormeMonEspaceSante}},
	}
	index, err := mediation.NewIndex(places, nil)
	if err != nil {
		log.Fatal(err)
	}
	near, err := index.Nearby(context.Background(), mediation.Query{
		Lat: home.Lat, Lon: home.Lon, K: 2,
		Labels: []mediation.Label{mediation.LabelFormeMonEspaceSante},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range near {
		fmt.Printf("%s, %.0f km\n", r.Place.Name, r.DistanceKm)
	}
	// Output:
	// level: beginner [needs_proxy no_helper low_health_literacy mes_not_activated]
	// commune: 12208 Saint-Affrique
	// Médiathèque de Millau, 24 km
	// France Services de Rodez, 49 km
}
