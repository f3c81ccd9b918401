package mediation_test

import (
	"fmt"

	"github.com/passerelle-sante/passerelle/mediation"
)

func ExamplePlace_Validate() {
	p := mediation.Place{
		ID: "structure-1", Pivot: "43493312300029", Name: "Médiathèque", Commune: "Reims",
		PostalCode: "5110", Address: "12 rue de Leclercq", UpdatedAt: "2024-04-02",
		Services: []mediation.Service{mediation.ServiceAdministrativeProcedures},
		Labels:   []mediation.Label{mediation.LabelFormeMonEspaceSante},
	}
	for _, e := range p.Validate() {
		fmt.Println(e)
	}
	fmt.Println(p.HasLabel(mediation.LabelFormeMonEspaceSante))
	// Output:
	// code_postal: "5110" is not 5 digits
	// true
}

// The same France Services site, once from a LaMednum feed and once from the
// national list, becomes one place that keeps both provenances.
func ExampleMerge() {
	feed := []mediation.Place{{ID: "lmn-42", Source: "lamednum", Name: "France Service Jarnac",
		Address: "16 Rue de Dogliani", Commune: "Jarnac", PostalCode: "16200", INSEECode: "16167",
		Latitude: 45.6800, Longitude: -0.1750, UpdatedAt: "2023-01-26",
		Services: []mediation.Service{mediation.ServiceEverydayTools}}}
	list := []mediation.Place{{ID: "france-services-1122", Source: "france-services", Name: "France services Jarnac",
		Address: "16 Rue Dogliani", Commune: "Jarnac", PostalCode: "16200", INSEECode: "16167",
		Latitude: 45.6801, Longitude: -0.1751, UpdatedAt: "2024-08-01",
		Services: []mediation.Service{mediation.ServiceAdministrativeProcedures}}}
	places, report := mediation.Merge(feed, list)
	p := places[0]
	fmt.Println(len(places), report.Groups[0].Members, report.Groups[0].Rules)
	fmt.Println(p.ID, p.Services)
	fmt.Println(len(p.Provenance), p.HasFlag(mediation.FlagMerged))
	// Output:
	// 1 [lamednum:lmn-42 france-services:france-services-1122] [near_name]
	// france-services-1122 [Aide aux démarches administratives Maîtrise des outils numériques du quotidien]
	// 2 true
}
