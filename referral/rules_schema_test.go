package referral

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/invopop/jsonschema"
)

var updateRulesSchema = flag.Bool("update-rules", false, "rewrite the generated rules schema files")

func generateRulesSchema(t *testing.T) []byte {
	t.Helper()
	r := jsonschema.Reflector{ExpandedStruct: true}
	s := r.Reflect(&RulesDocument{})
	s.ID = RulesSchemaURL
	s.Title = "passerelle referral rules"
	s.Description = "Regional referral rules: ordered rules (condition → pathways with priorities and place criteria) and their test cases. Generated from the Go type referral.RulesDocument; do not edit."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestRulesSchemaFresh fails when a committed copy of the schema is stale;
// go test ./referral -run TestRulesSchemaFresh -update-rules rewrites both.
func TestRulesSchemaFresh(t *testing.T) {
	want := generateRulesSchema(t)
	for _, path := range []string{"rules.schema.json", filepath.Join("..", "schemas", "rules.schema.json")} {
		if *updateRulesSchema {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update-rules to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go test ./referral -run TestRulesSchemaFresh -update-rules", path)
		}
	}
}
