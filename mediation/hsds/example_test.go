package hsds_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/hsds"
)

func ExampleEncode() {
	place := mediation.Place{
		ID: "lieu-1", Pivot: "43493312300029", Name: "Médiathèque", Commune: "Reims",
		PostalCode: "51100", INSEECode: "51454", Address: "12 rue de Leclercq",
		Latitude: 49.25, Longitude: 4.03, UpdatedAt: "2024-04-02",
		Hours:    "Tu-Fr 10:00-12:00,14:00-18:00",
		Services: []mediation.Service{mediation.ServiceAdministrativeProcedures},
		Labels:   []mediation.Label{mediation.LabelFormeMonEspaceSante},
	}
	var buf bytes.Buffer
	if err := hsds.Encode(context.Background(), &buf, []mediation.Place{place}); err != nil {
		fmt.Println(err)
		return
	}
	s := hsds.FromPlace(place)
	loc := s.ServiceAtLocations[0].Location
	fmt.Println(s.Name, s.Status, loc.Addresses[0].City, loc.Addresses[0].StateProvince)
	fmt.Println(loc.Schedules[0].Byday, loc.Schedules[0].OpensAt, loc.Schedules[0].ClosesAt)
	back, _, _ := hsds.Decode(context.Background(), &buf, hsds.Options{})
	fmt.Println(back[0].ID, back[0].Hours, back[0].HasLabel(mediation.LabelFormeMonEspaceSante))
	// Output:
	// Médiathèque active Reims 51
	// TU,WE,TH,FR 10:00 12:00
	// lieu-1 Tu-Fr 10:00-12:00,14:00-18:00 true
}
