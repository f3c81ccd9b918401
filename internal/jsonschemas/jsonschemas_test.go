package jsonschemas

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type doc struct {
	Name  string `json:"name" jsonschema:"minLength=1"`
	Count int    `json:"count,omitempty" jsonschema:"minimum=0"`
}

func TestGenerateAndCompile(t *testing.T) {
	const id = "https://example.org/doc.schema.json"
	b, err := Generate(&doc{}, id, "a doc", "for the test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "}\n") || !strings.Contains(string(b), `"$id": "`+id+`"`) {
		t.Fatalf("generated schema lacks its $id or final newline:\n%s", b)
	}
	s, err := Compile(b, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{`{"name":"a","count":2}`, true},
		{`{"name":""}`, false},
		{`{"count":-1,"name":"a"}`, false},
		{`{"name":"a","extra":1}`, false},
	} {
		var v any
		if err := json.Unmarshal([]byte(tt.in), &v); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); (err == nil) != tt.ok {
			t.Errorf("%s: valid %v, want %v (%v)", tt.in, err == nil, tt.ok, err)
		}
	}
}

func TestCheckFresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	want := []byte("{}\n")
	CheckFresh(t, want, true, "update", path)
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(want) {
		t.Fatalf("update wrote %q, %v", got, err)
	}
	stale := &recorder{}
	CheckFresh(stale, []byte("{\"a\":1}\n"), false, "update", path)
	if len(stale.errors) != 1 || !strings.Contains(stale.errors[0], "is stale: run update") {
		t.Errorf("a stale copy reported %q, want one error naming the update command", stale.errors)
	}
}

// recorder is a Reporter that keeps what it is told.
type recorder struct{ errors []string }

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
