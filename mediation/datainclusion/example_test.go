package datainclusion_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/passerelle-sante/passerelle/mediation/datainclusion"
)

func ExampleDecode() {
	const bundle = `{"structures": [{"id": "s1", "source": "demo", "nom": "Centre social des Tilleuls",
	  "siret": "12345678900011", "commune": "Aurillac", "code_postal": "15000", "adresse": "3 rue des Tilleuls",
	  "description": "Centre social de quartier.", "date_maj": "2025-01-15"}],
	 "services": [{"id": "v1", "source": "demo", "structure_id": "s1", "nom": "Atelier tablette",
	  "type": "atelier", "frais": "gratuit",
	  "thematiques": ["numerique--prendre-en-main-un-smartphone-ou-une-tablette"]}]}`
	places, report, err := datainclusion.Decode(context.Background(), strings.NewReader(bundle), datainclusion.Options{File: "di.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report)
	fmt.Println(places[0].Name, places[0].Services, places[0].SupportModes, places[0].Fees)
	// Output:
	// di.json (datainclusion-json): 1 accepted, 0 repaired, 0 rejected
	// Centre social des Tilleuls [Maîtrise des outils numériques du quotidien] [Dans un atelier collectif] [Gratuit]
}
