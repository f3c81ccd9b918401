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
