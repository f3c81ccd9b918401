package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/passerelle-sante/passerelle/evaluation"
)

// JSON writes the report as its own marshalling (schemas/report.schema.json),
// indented by two spaces and ending with a newline. The Report's field order
// fixes the key order, so the same report always gives the same bytes.
func JSON(w io.Writer, r *evaluation.Report) error {
	if r == nil {
		return fmt.Errorf("render: no report")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
