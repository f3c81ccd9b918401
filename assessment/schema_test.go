package assessment

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/invopop/jsonschema"
)

var update = flag.Bool("update", false, "rewrite the generated instrument schema files")

// generateSchema reflects the instrument JSON Schema from Definition.
func generateSchema(t *testing.T) []byte {
	t.Helper()
	r := jsonschema.Reflector{ExpandedStruct: true}
	s := r.Reflect(&Definition{})
	s.ID = SchemaURL
	s.Title = "passerelle assessment instrument"
	s.Description = "An assessment instrument as data: items, skip logic and scoring rules. Generated from the Go type assessment.Definition; do not edit."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestInstrumentSchemaFresh fails when a committed copy of the schema is
// stale; go test ./assessment -run TestInstrumentSchemaFresh -update
// rewrites both copies.
func TestInstrumentSchemaFresh(t *testing.T) {
	want := generateSchema(t)
	for _, path := range []string{"instrument.schema.json", filepath.Join("..", "schemas", "instrument.schema.json")} {
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go test ./assessment -run TestInstrumentSchemaFresh -update", path)
		}
	}
}
