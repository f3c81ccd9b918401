// Package jsonschemas holds what the library's JSON Schemas share: they are
// generated from Go types (invopop/jsonschema), embedded by the package that
// validates documents against them (santhosh-tekuri/jsonschema), and kept
// fresh by a test in that package.
package jsonschemas

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// Generate reflects the JSON Schema of the document type of v (a pointer
// to a zero value) with the given $id, title and description, indented and
// ending with a newline, as committed.
func Generate(v any, id, title, description string) ([]byte, error) {
	r := jsonschema.Reflector{ExpandedStruct: true}
	s := r.Reflect(v)
	s.ID = jsonschema.ID(id)
	s.Title = title
	s.Description = description
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Compile compiles the schema document doc whose $id is id.
func Compile(doc []byte, id string) (*validator.Schema, error) {
	v, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	c := validator.NewCompiler()
	if err := c.AddResource(id, v); err != nil {
		return nil, err
	}
	return c.Compile(id)
}

// Reporter is the part of testing.TB that CheckFresh uses.
type Reporter interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// CheckFresh fails t when a committed copy of a schema (one per path)
// differs from want; with update it rewrites them instead. how tells the
// reader the command that rewrites them.
func CheckFresh(t Reporter, want []byte, update bool, how string, paths ...string) {
	t.Helper()
	for _, path := range paths {
		if update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run %s to create it)", err, how)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run %s", path, how)
		}
	}
}
