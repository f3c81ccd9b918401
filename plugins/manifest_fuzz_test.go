package plugins

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseManifest: a manifest either parses into one that checks and
// survives a write and a second read unchanged, or fails with
// ErrBadManifest naming the file; never a panic.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"name":"sink-jsonl","version":"0.1.0","kinds":["event_sink"],"protocol":1,"sha256":"` + strings.Repeat("ab", 32) + `","binary":"sink-jsonl"}`))
	f.Add([]byte(`{"name":"directory-lamednum","version":"0.1.0","kinds":["directory","event_sink"],"protocol":1,"sha256":"` + strings.Repeat("0", 64) + `","binary":"directory-lamednum"}`))
	f.Add([]byte(`{"name":"x","kinds":[]}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest("m.json", b)
		if err != nil {
			if !errors.Is(err, ErrBadManifest) || !strings.Contains(err.Error(), "m.json") {
				t.Fatalf("error %v lacks ErrBadManifest or the file name", err)
			}
			return
		}
		if err := m.Check("again"); err != nil {
			t.Fatalf("parsed manifest fails Check: %v", err)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseManifest("m.json", out)
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("round trip: %+v, %v; want %+v", back, err, m)
		}
	})
}
