package assessment

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
)

var update = flag.Bool("update", false, "rewrite the generated instrument schema files")

// TestInstrumentSchemaFresh fails when a committed copy of the schema is
// stale; go test ./assessment -run TestInstrumentSchemaFresh -update
// rewrites both copies.
func TestInstrumentSchemaFresh(t *testing.T) {
	want, err := jsonschemas.Generate(&Definition{}, SchemaURL, "passerelle assessment instrument",
		"An assessment instrument as data: items, skip logic and scoring rules. Generated from the Go type assessment.Definition; do not edit.")
	if err != nil {
		t.Fatal(err)
	}
	jsonschemas.CheckFresh(t, want, *update,
		"go test ./assessment -run TestInstrumentSchemaFresh -update",
		"instrument.schema.json", filepath.Join("..", "schemas", "instrument.schema.json"))
}
