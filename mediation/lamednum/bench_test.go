package lamednum

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
)

func BenchmarkDecodeHinaura(b *testing.B) {
	data, err := os.ReadFile("testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(context.Background(), bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalHinauraBaseline is plain encoding/json into maps: the
// floor under which Decode (mapping, validation, report) cannot go.
func BenchmarkUnmarshalHinauraBaseline(b *testing.B) {
	data, err := os.ReadFile("testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v []map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
