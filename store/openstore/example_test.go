package openstore_test

import (
	"fmt"

	"github.com/passerelle-sante/passerelle/store/openstore"
)

func ExampleParse() {
	for _, url := range []string{"memory:", "sqlite:/var/lib/passerelle.db", "./passerelle.db", "postgres://desk@db:5432/passerelle"} {
		kind, target, _ := openstore.Parse(url)
		fmt.Printf("%s %q\n", kind, target)
	}
	// Output:
	// memory ""
	// sqlite "/var/lib/passerelle.db"
	// sqlite "./passerelle.db"
	// postgres "postgres://desk@db:5432/passerelle"
}
