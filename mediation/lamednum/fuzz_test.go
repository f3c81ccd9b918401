package lamednum

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// fuzzDecode checks the properties every input must keep: no panic, an
// error only with ErrUnreadable-or-format, a report that accounts for each
// row, imported places that meet the standard, and an export that reads back
// with the same number of places.
func fuzzDecode(t *testing.T, data []byte, format Format) {
	places, rep, err := Decode(context.Background(), bytes.NewReader(data), Options{File: "fuzz", Format: format})
	if err != nil {
		return
	}
	if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
		t.Fatalf("bookkeeping: %s, %d rows, %d places", rep, len(rep.Rows), len(places))
	}
	for _, p := range places {
		if errs := p.Validate(); len(errs) > 0 {
			t.Fatalf("imported place breaks the standard: %v", errs)
		}
	}
	var buf bytes.Buffer
	if err := EncodeCSV(context.Background(), &buf, places); err != nil {
		t.Fatal(err)
	}
	again, rep2, err := Decode(context.Background(), &buf, Options{Format: FormatCSV})
	if err != nil || len(again) != len(places) {
		t.Fatalf("export of %d places reads back as %d (%v, %v)", len(places), len(again), err, rep2)
	}
}

func seed(f *testing.F, path string, limit int) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if len(data) > limit {
		data = data[:limit]
	}
	f.Add(data)
}

func FuzzDecodeJSON(f *testing.F) {
	seed(f, "testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json", 3000)
	seed(f, "testdata/lmn-v1-charente-2023-07-11.json", 3000)
	seed(f, "testdata/bad-truncated.json", 1<<20)
	f.Add([]byte(`[{"id":1,"nom":["a"],"latitude":"x"},null,[]]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, FormatJSON) })
}

func FuzzDecodeCSV(f *testing.F) {
	seed(f, "testdata/bad-rows.csv", 1<<20)
	seed(f, "testdata/missing-columns.csv", 1<<20)
	f.Add([]byte("id;nom;commune;code_postal;adresse;date_maj;pivot\nx;\"a;b\";Reims;51100;1 rue;2024-01-01;123456789\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, FormatCSV) })
}
