package referral

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
)

var updateRulesSchema = flag.Bool("update-rules", false, "rewrite the generated rules schema files")

// TestRulesSchemaFresh fails when a committed copy of the schema is stale;
// go test ./referral -run TestRulesSchemaFresh -update-rules rewrites both.
func TestRulesSchemaFresh(t *testing.T) {
	want, err := jsonschemas.Generate(&RulesDocument{}, RulesSchemaURL, "passerelle referral rules",
		"Regional referral rules: ordered rules (condition → pathways with priorities and place criteria) and their test cases. Generated from the Go type referral.RulesDocument; do not edit.")
	if err != nil {
		t.Fatal(err)
	}
	jsonschemas.CheckFresh(t, want, *updateRulesSchema,
		"go test ./referral -run TestRulesSchemaFresh -update-rules",
		"rules.schema.json", filepath.Join("..", "schemas", "rules.schema.json"))
}
