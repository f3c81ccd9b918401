package franceservices_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/passerelle-sante/passerelle/mediation/franceservices"
)

func ExampleDecode() {
	const list = `"id_fs","lib_fs","adresse","insee_com","code_postal","lib_com","latitude","longitude","telephone","h_lundi","h_mardi","h_mercredi","h_jeudi","h_vendredi","h_samedi","format_fs"
"12","France services de Mauriac","2 rue du Collège","15120","15200","Mauriac",45.218,2.333,"04 71 00 00 00","09:00 - 12:00 / 13:30 - 17:00","09:00 - 12:00 / 13:30 - 17:00","09:00 - 12:00","09:00 - 12:00 / 13:30 - 17:00","09:00 - 12:00 / 13:30 - 17:00",,"Fixe"`
	places, report, err := franceservices.Decode(context.Background(), strings.NewReader(list),
		franceservices.Options{File: "liste-fs-20240801.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := places[0]
	fmt.Println(report)
	fmt.Println(p.ID, p.Phone, p.UpdatedAt)
	fmt.Println(p.Hours)
	// Output:
	// liste-fs-20240801.csv (france-services-csv): 1 accepted, 0 repaired, 0 rejected
	// france-services-12 +33471000000 2024-08-01
	// Mo,Tu 09:00-12:00,13:30-17:00; We 09:00-12:00; Th,Fr 09:00-12:00,13:30-17:00
}
