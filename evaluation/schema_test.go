package evaluation

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
)

var updateReportSchema = flag.Bool("update-report", false, "rewrite the generated report schema files")

// TestReportSchemaFresh fails when a committed copy of the schema is stale;
// go test ./evaluation -run TestReportSchemaFresh -update-report rewrites both.
func TestReportSchemaFresh(t *testing.T) {
	want, err := jsonschemas.Generate(&Report{}, ReportSchemaURL, "passerelle evaluation report",
		"The yearly evaluation of the Mon espace santé inclusion scheme over one period and territory. Generated from the Go type evaluation.Report; do not edit.")
	if err != nil {
		t.Fatal(err)
	}
	jsonschemas.CheckFresh(t, want, *updateReportSchema,
		"go test ./evaluation -run TestReportSchemaFresh -update-report",
		"report.schema.json", filepath.Join("..", "schemas", "report.schema.json"))
}
