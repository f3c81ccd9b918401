package territory

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkDefaultLoad decodes the embedded table and checks it, as the
// first Default call does; the name and point indexes are built on first
// use and measured by BenchmarkDefaultLoadWithIndexes. Baseline: gunzip
// alone, the floor any compressed embedding pays.
func BenchmarkDefaultLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), Embedded()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(embedded)), "embedded-bytes")
}

// BenchmarkDefaultLoadWithIndexes is Load plus the lazy name and point
// indexes: the whole cost before a first Find and Nearest. It also reports
// the heap one fully indexed reference retains.
func BenchmarkDefaultLoadWithIndexes(b *testing.B) {
	b.ReportAllocs()
	load := func() *Reference {
		r, err := Load(context.Background(), Embedded())
		if err != nil {
			b.Fatal(err)
		}
		r.names()
		r.points()
		return r
	}
	for b.Loop() {
		load()
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ref := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ref)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "retained-MB")
}

func BenchmarkDefaultLoadBaselineGunzip(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(embedded))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

var typoQueries = []string{"Saint Afrique", "sanit etienne", "l isle sur la sorge", "chateaubernar", "Courcouronnes"}

func BenchmarkFindTypo(b *testing.B) {
	r := mustDefault(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if len(r.Find(typoQueries[i%len(typoQueries)], 10)) == 0 {
			b.Fatal("no match")
		}
		i++
	}
}

// Baseline: bounded edit distance against every folded name.
func BenchmarkFindTypoBaselineScan(b *testing.B) {
	r := mustDefault(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := Fold(typoQueries[i%len(typoQueries)])
		n := 0
		for _, f := range r.names().folded {
			if editDistance(q, f, maxEdits(len(q))) <= maxEdits(len(q)) || strings.HasPrefix(f, q) {
				n++
			}
		}
		i++
	}
}

var postalQueries = []string{"12400", "75015", "16100", "97410", "69003"}

func BenchmarkByPostalCode(b *testing.B) {
	r := mustDefault(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if len(r.ByPostalCode(postalQueries[i%len(postalQueries)])) == 0 {
			b.Fatal("none")
		}
		i++
	}
}

func BenchmarkByPostalCodeBaselineScan(b *testing.B) {
	r := mustDefault(b)
	i := 0
	for b.Loop() {
		cp := postalQueries[i%len(postalQueries)]
		var out []Commune
		for _, c := range r.communes {
			for _, p := range c.PostalCodes {
				if p == cp {
					out = append(out, c)
				}
			}
		}
		if len(out) == 0 {
			b.Fatal("none")
		}
		i++
	}
}

var nearPoints = [][2]float64{{43.95, 2.88}, {48.85, 2.35}, {45.2, 5.7}, {-21.1, 55.5}, {47.9, -4.1}}

func BenchmarkNearest(b *testing.B) {
	r := mustDefault(b)
	i := 0
	for b.Loop() {
		p := nearPoints[i%len(nearPoints)]
		r.Nearest(p[0], p[1])
		i++
	}
}

func BenchmarkNearestBaselineBruteForce(b *testing.B) {
	r := mustDefault(b)
	i := 0
	for b.Loop() {
		p := nearPoints[i%len(nearPoints)]
		bruteNearest(r, p[0], p[1])
		i++
	}
}
