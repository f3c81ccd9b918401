package assessment

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"sigs.k8s.io/yaml"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
)

// instrumentSchema is schemas/instrument.schema.json, generated from
// Definition; a test keeps this copy, the one in schemas/ and the Go types
// in step.
//
//go:embed instrument.schema.json
var instrumentSchema []byte

// SchemaURL is the $id of the instrument JSON Schema.
const SchemaURL = "https://github.com/passerelle-sante/passerelle/schemas/instrument.schema.json"

// Schema returns the JSON Schema that instrument files must follow.
func Schema() []byte { return bytes.Clone(instrumentSchema) }

// compiledSchema is compiled once, on first use; it is never modified.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return jsonschemas.Compile(instrumentSchema, SchemaURL)
})

// Load reads an instrument file (JSON, or YAML) from r, validates it
// against the instrument JSON Schema, checks its meaning and compiles it.
// Every problem is reported with its JSON path in an *InstrumentError.
func Load(r io.Reader) (*Instrument, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading instrument: %w", err)
	}
	return LoadBytes(data, "<input>")
}

// LoadFile reads the instrument file at path (.json, .yaml or .yml).
func LoadFile(path string) (*Instrument, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading instrument: %w", err)
	}
	return LoadBytes(data, filepath.Base(path))
}

// LoadBytes is Load on data already read; source names the input in
// errors. Data whose first non-blank byte is '{' is JSON, anything else is
// read as YAML.
func LoadBytes(data []byte, source string) (*Instrument, error) {
	fail := func(p ...Problem) error { return &InstrumentError{Source: source, Problems: p} }
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fail(Problem{Message: "empty instrument file"})
	}
	if trimmed[0] != '{' {
		j, err := yaml.YAMLToJSON(data)
		if err != nil {
			return nil, fail(Problem{Message: "not YAML: " + err.Error()})
		}
		data = j
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fail(Problem{Message: "not JSON: " + err.Error()})
	}
	sch, err := compiledSchema()
	if err != nil {
		return nil, fmt.Errorf("instrument schema: %w", err)
	}
	var problems []Problem
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fail(Problem{Message: err.Error()})
		}
		problems = schemaProblems(ve, doc)
	}
	var def Definition
	if err := json.Unmarshal(data, &def); err != nil {
		// The schema has said what is wrong with the shape of the file.
		if len(problems) == 0 {
			problems = append(problems, Problem{Message: err.Error()})
		}
		return nil, fail(problems...)
	}
	in, err := compile(def, source)
	if err == nil && len(problems) == 0 {
		return in, nil
	}
	// Report the meaning checks too, except where the schema already
	// reported a problem at the same place.
	var ie *InstrumentError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			if !slices.ContainsFunc(problems, func(q Problem) bool { return q.Path == p.Path }) {
				problems = append(problems, p)
			}
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Path < problems[j].Path })
	return nil, fail(problems...)
}

// schemaProblems flattens a validation error to one problem per failed
// keyword, sorted by path.
func schemaProblems(ve *jsonschema.ValidationError, doc any) []Problem {
	p := message.NewPrinter(language.English)
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, Problem{
				Item:    itemAt(doc, e.InstanceLocation),
				Path:    pointer(anySlice(e.InstanceLocation)...),
				Message: e.ErrorKind.LocalizedString(p),
			})
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// itemAt names the item a path under /items/N points into, if it has an id.
func itemAt(doc any, loc []string) string {
	if len(loc) < 2 || loc[0] != "items" {
		return ""
	}
	root, _ := doc.(map[string]any)
	items, _ := root["items"].([]any)
	i, err := strconv.Atoi(loc[1])
	if err != nil || i < 0 || i >= len(items) {
		return ""
	}
	it, _ := items[i].(map[string]any)
	id, _ := it["id"].(string)
	return strings.TrimSpace(id)
}
