package territory

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/passerelle-sante/passerelle/territory/internal/build"
)

// TestEmbeddedIsFresh rebuilds the table from the raw data, when the shared
// data folder is at hand, and compares it with the committed file.
func TestEmbeddedIsFresh(t *testing.T) {
	if raceEnabled {
		t.Skip("a data check with no concurrency: runs without -race")
	}
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, build.CommunesFile)); err != nil {
		t.Skipf("raw data not available (%v): cannot check territory.tsv.gz is up to date", err)
	}
	want, rep, err := build.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(embedded))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("territory.tsv.gz is stale (%d bytes decoded, %d rebuilt): run go generate ./territory", len(got), len(want))
	}
	if rep.Communes != 34969 || len(rep.DensityByRenamedCode) != 4 || len(rep.DensityBySplit) != 4 || len(rep.DensityUnknown) != 94 {
		t.Errorf("join report changed: %+v", rep)
	}
}

func TestDecodeRejectsCorruptData(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		io.WriteString(w, s)
		w.Close()
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("plain"), "corrupt"},
		{"truncated", embedded[:len(embedded)/2], "corrupt"},
		{"bad header", gz("something else\n"), "line 1: header"},
		{"bad latitude", gz(tableHeader + "\nD\t12\tAveyron\t76\tmetro\t0\t0\nC\t12208\tX\t12400\tnorth\t28533\t1\t3\t\n"), `line 3: lat "north"`},
		{"commune before its département", gz(tableHeader + "\nC\t12208\tX\t12400\t439571\t28533\t1\t3\t\n"), `line 2: code "12208": no département record`},
		{"short code", gz(tableHeader + "\nC\t1\tX\t12400\t439571\t28533\t1\t3\t\n"), `line 2: code "1"`},
		{"short record", gz(tableHeader + "\nR\t76\n"), "line 2: unexpected record"},
		{"long record", gz(tableHeader + "\nC\t1\t2\t3\t4\t5\t6\t7\t8\t9\n"), "line 2: unexpected record"},
	}
	for _, tt := range tests {
		_, err := decodeTable(tt.data)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
