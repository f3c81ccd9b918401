package openinghours

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenRealData pins, for every real value, its canonical form, its
// French and English descriptions and its warnings, so that any change of
// reading shows in a diff. Run with -update to accept a change.
func TestGoldenRealData(t *testing.T) {
	var b strings.Builder
	for _, v := range realHours(t) {
		h := ParseLenient(v)
		b.WriteString("in:  " + v + "\n")
		if !h.Known() {
			b.WriteString("err: " + h.Err.Error() + "\n\n")
			continue
		}
		s := h.Schedule
		b.WriteString("out: " + s.String() + "\n")
		b.WriteString("fr:  " + s.Describe(French) + "\n")
		b.WriteString("en:  " + s.Describe(English) + "\n")
		for _, w := range s.Warnings() {
			b.WriteString("warn: " + w.Message(English) + "\n")
		}
		b.WriteString("\n")
	}
	const path = "testdata/horaires_real.golden"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run GoldenRealData -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s line %d:\n got: %s\nwant: %s\n(run with -update if the change is intended)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", path, len(gl), len(wl))
	}
}
