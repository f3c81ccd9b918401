package coop_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/mediation/coop"
)

func ExampleDecode() {
	// A mediator's export saved as CSV: metadata above the header, a name
	// and a note that are never kept, a two-person workshop and a row
	// whose duration is negative.
	const export = `Export des accompagnements
Date d’export;15/10/2025

Date;Type;Participants;Bénéficiaire;Canaux d’accompagnement;Code Insee;Durée (min);Thématique(s) d’accompagnement;Niveau d’autonomie (ou de l’atelier);Genre du bénéficiaire;Tranche d’âge du bénéficiaire;Statut du bénéficiaire;Notes supplémentaires;ID CRA
23/09/2025;Atelier collectif;1/2;Jean Fictif;Lieu d’activité;12202;120;"Santé
Navigation sur internet";1/3;Féminin;60 - 69 ans;Retraité(e);Rappeler sa fille;cra-1
23/09/2025;Atelier collectif;2/2;Paul Fictif;Lieu d’activité;12202;120;"Santé
Navigation sur internet";1/3;Masculin;70 ans ou plus;Retraité(e);;cra-1
24/09/2025;Accompagnement individuel;1;Anne Fictive;À distance;;-30;Santé;3/3;Féminin;40 - 59 ans;En emploi;;cra-2
`
	now := func() time.Time { return time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC) }
	res, err := coop.Decode(context.Background(), strings.NewReader(export), "export.csv", &coop.Options{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Actions {
		fmt.Println(a.Type, a.Date.Format("2006-01-02"), a.DurationMinutes, "min", a.Commune, a.Themes,
			a.PeopleSensitised, "people", a.Participants.ByAge)
	}
	for _, r := range res.Rejected {
		fmt.Println(r)
	}
	// Output:
	// atelier_collectif 2025-09-23 120 min 12202 [sante navigation_sur_internet] 2 people map[60_69:1 70_et_plus:1]
	// row 9, column "Durée (min)": -30 is negative
}
