package evaluation

import _ "embed"

//go:embed report.schema.json
var reportSchema []byte

// ReportSchema returns the JSON Schema that JSON reports follow (a copy is
// schemas/report.schema.json). It is generated from the Report type.
func ReportSchema() []byte { return append([]byte(nil), reportSchema...) }
