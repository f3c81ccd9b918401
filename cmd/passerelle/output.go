package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// writeJSON prints v as indented JSON. HTML characters are not escaped:
// the output is read by programs and people, not embedded in pages.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// openInput opens path for reading; "-" is standard input. The returned
// name is what error messages should call the input.
func openInput(e *env, path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(e.stdin), "<stdin>", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return f, path, nil
}
