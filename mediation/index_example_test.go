package mediation_test

import (
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/mediation"
)

// Three places near Angoulême; the query wants help with administrative
// procedures (Mon espace santé included) and a place trained to « Mon
// Espace Santé ».
func ExampleIndex_Nearby() {
	places := []mediation.Place{
		{ID: "gare", Name: "Médiathèque de la gare", Commune: "Angoulême", Latitude: 45.6530, Longitude: 0.1650,
			Services: []mediation.Service{mediation.ServiceAdministrativeProcedures}},
		{ID: "soyaux", Name: "France Services de Soyaux", Commune: "Soyaux", Latitude: 45.6410, Longitude: 0.2010,
			Services: []mediation.Service{mediation.ServiceAdministrativeProcedures},
			Labels:   []mediation.Label{mediation.LabelFormeMonEspaceSante}},
		{ID: "centre", Name: "Espace numérique du centre", Commune: "Angoulême", Latitude: 45.6480, Longitude: 0.1560,
			Services: []mediation.Service{mediation.ServiceEverydayTools}},
		{ID: "sans-position", Name: "Lieu sans coordonnées", Commune: "Angoulême"},
	}
	ix, err := mediation.NewIndex(places, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d places indexed, %d without a location\n", ix.Len(), ix.Skipped())

	// Angoulême town hall.
	q := mediation.Query{Lat: 45.6484, Lon: 0.1562, K: 2,
		Services: []mediation.Service{mediation.ServiceAdministrativeProcedures}}
	results, _ := ix.Nearby(context.Background(), q)
	for _, r := range results {
		fmt.Printf("%-28s %5.2f km\n", r.Place.Name, r.DistanceKm)
	}

	q.Labels = []mediation.Label{mediation.LabelFormeMonEspaceSante}
	results, _ = ix.Nearby(context.Background(), q)
	fmt.Println("trained to Mon Espace Santé:", results[0].Place.Name)

	_, err = ix.Nearby(context.Background(), mediation.Query{Lat: 95, Lon: 0, K: 1})
	fmt.Println(err)
	// Output:
	// 3 places indexed, 1 without a location
	// Médiathèque de la gare        0.85 km
	// France Services de Soyaux     3.58 km
	// trained to Mon Espace Santé: France Services de Soyaux
	// mediation: invalid directory query: lat: 95 is outside -90..90
}
