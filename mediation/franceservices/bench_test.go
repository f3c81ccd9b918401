package franceservices

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"testing"
)

func BenchmarkDecodeList(b *testing.B) {
	data, err := os.ReadFile(listFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(context.Background(), bytes.NewReader(data), Options{File: listFile}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCSVBaseline only splits the CSV: Decode's floor.
func BenchmarkReadCSVBaseline(b *testing.B) {
	data, err := os.ReadFile(listFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil {
			b.Fatal(err)
		}
	}
}
