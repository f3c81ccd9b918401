package lamednum_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/passerelle-sante/passerelle/mediation/lamednum"
)

// A v0.1 record: its services, publics and conditions are mapped onto v1.
func ExampleDecode() {
	const v01 = `[{"id": "7", "nom": "Espace numérique", "pivot": "00000000000000",
	  "commune": "Aurillac", "code_postal": "15000", "adresse": "1 place du Square",
	  "date_maj": "2022-03-01",
	  "services": "Accompagner les démarches de santé;Prendre en main un ordinateur",
	  "publics_accueillis": "Seniors (+ 65 ans);Surdité",
	  "conditions_acces": "Gratuit : Je peux accéder gratuitement au lieu et à ses services"}]`
	places, report, err := lamednum.Decode(context.Background(), strings.NewReader(v01), lamednum.Options{File: "lieux.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := places[0]
	fmt.Println(report)
	fmt.Println(p.Services)
	fmt.Println(p.Publics, p.SpecificSupport, p.Fees)
	_ = lamednum.EncodeCSV(context.Background(), os.Stdout, places[:0])
	// Output:
	// lieux.json (lamednum-v0.1-json): 0 accepted, 1 repaired, 0 rejected
	// [Aide aux démarches administratives Maîtrise des outils numériques du quotidien]
	// [Seniors] [Surdité] [Gratuit]
	// id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv
}
