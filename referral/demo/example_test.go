package demo_test

import (
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

func ExampleDirectory() {
	ix, err := demo.Directory(nil)
	if err != nil {
		panic(err)
	}
	// France Services within 20 km of Cognac's centre.
	rs, _ := ix.Nearby(context.Background(), mediation.Query{
		Lat: 45.6962, Lon: -0.3353, K: 50, MaxKm: 20,
		Programs: []mediation.Program{mediation.ProgramFranceServices},
	})
	fmt.Println(len(rs) > 0, rs[0].Place.HasProgram(mediation.ProgramFranceServices))
	// Output: true true
}
