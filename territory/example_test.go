package territory_test

import (
	"context"
	"fmt"

	"github.com/passerelle-sante/passerelle/territory"
)

func ExampleReference_Find() {
	ref, err := territory.Default()
	if err != nil {
		panic(err)
	}
	// A teleadvisor types fast: abbreviation, missing hyphen, one typo.
	for _, m := range ref.Find("St Afrique", 1) {
		fmt.Println(m.Commune.Code, m.Commune.Name, m.Commune.PostalCodes, m.Commune.Density.Group())
	}
	for _, m := range ref.Find("Saint-Affrique 12400", 1) {
		fmt.Println(m.Commune.Code, m.Score)
	}
	// Output:
	// 12208 Saint-Affrique [12400] intermediaire
	// 12208 1
}

func ExampleReference_ByPostalCode() {
	ref, err := territory.Default()
	if err != nil {
		panic(err)
	}
	for _, c := range ref.ByPostalCode("12400")[:3] {
		fmt.Println(c.Code, c.Name, c.Population)
	}
	paris := ref.ByPostalCode("75015")
	fmt.Println(len(paris), paris[0].Code, paris[0].Name)
	// Output:
	// 12208 Saint-Affrique 7941
	// 12286 Vabres-l'Abbaye 1205
	// 12154 Montlaur 663
	// 1 75056 Paris
}

func ExampleReference_Resolve() {
	ref, err := territory.Default()
	if err != nil {
		panic(err)
	}
	c, ok := ref.Resolve("16100", "CHÂTEAUBERNARD")
	fmt.Println(c.Code, ok)
	_, ok = ref.Resolve("12400", "") // nine communes share 12400
	fmt.Println(ok)
	// Output:
	// 16089 true
	// false
}

func ExampleReference_Nearest() {
	ref, err := territory.Default()
	if err != nil {
		panic(err)
	}
	c, km := ref.Nearest(43.95, 2.88)
	fmt.Printf("%s %s %.1f km\n", c.Code, c.Name, km)
	// Output:
	// 12208 Saint-Affrique 2.3 km
}

func ExampleDistance() {
	// Rodez to Saint-Affrique, centroid to centroid.
	fmt.Printf("%.1f km\n", territory.Distance(44.3506, 2.5750, 43.9571, 2.8533))
	// Output:
	// 49.1 km
}

func ExampleFold() {
	fmt.Println(territory.Fold("ST-AFFRIQUE"))
	fmt.Println(territory.Fold("L'Isle-sur-la-Sorgue"))
	// Output:
	// saint affrique
	// l isle sur la sorgue
}

func ExampleWithIndicators() {
	// A regional team adds its own figure per commune to the national
	// reference.
	ref, err := territory.Load(context.Background(), territory.WithIndicators(territory.Embedded(),
		map[string]map[string]float64{"12208": {"fragilite_numerique": 0.62}}))
	if err != nil {
		panic(err)
	}
	c, _ := ref.Commune("12208")
	fmt.Println(c.Name, c.Indicators["fragilite_numerique"])
	// Output:
	// Saint-Affrique 0.62
}
