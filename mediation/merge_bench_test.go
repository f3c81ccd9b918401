package mediation

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// syntheticFeeds builds two feeds of n places each over 200 communes, where
// a quarter of the second feed copies places of the first (moved a few
// metres, renamed slightly).
func syntheticFeeds(n int) ([]Place, []Place) {
	r := rand.New(rand.NewPCG(1, 2))
	a := make([]Place, n)
	for i := range a {
		c := i % 200
		a[i] = Place{
			ID: fmt.Sprintf("a%d", i), Source: "a", Name: fmt.Sprintf("Espace numérique %d", i),
			Address: fmt.Sprintf("%d rue de la Gare", i), INSEECode: fmt.Sprintf("%05d", 1000+c),
			Latitude: 43 + float64(c)/40 + r.Float64()/50, Longitude: 1 + float64(c%20)/5 + r.Float64()/50,
			UpdatedAt: "2024-01-01", Pivot: PivotPlaceholder,
		}
	}
	b := make([]Place, n)
	for i := range b {
		if i%4 == 0 {
			b[i] = a[i]
			b[i].ID, b[i].Source, b[i].Latitude = fmt.Sprintf("b%d", i), "b", a[i].Latitude+0.0002
			b[i].Name = "France services " + a[i].Name
			continue
		}
		c := (i * 7) % 200
		b[i] = Place{
			ID: fmt.Sprintf("b%d", i), Source: "b", Name: fmt.Sprintf("Médiathèque %d", i),
			Address: fmt.Sprintf("%d avenue Jean Jaurès", i), INSEECode: fmt.Sprintf("%05d", 1000+c),
			Latitude: 43 + float64(c)/40 + r.Float64()/50, Longitude: 1 + float64(c%20)/5 + r.Float64()/50,
			UpdatedAt: "2024-06-01", Pivot: PivotPlaceholder,
		}
	}
	return a, b
}

func TestMergeSynthetic(t *testing.T) {
	a, b := syntheticFeeds(2000)
	_, rep := Merge(a, b)
	if len(rep.Groups) != 500 || rep.Output != 3500 {
		t.Fatalf("%d groups, %d places; want 500, 3500", len(rep.Groups), rep.Output)
	}
	if n := naivePairs(a, b); n != 500 {
		t.Fatalf("naive comparison finds %d pairs, Merge %d groups", n, len(rep.Groups))
	}
}

// naivePairs is the baseline: every record of a against every record of b
// (names and addresses tokenised once, as Merge does).
func naivePairs(a, b []Place) int {
	nb, ab := make([][]string, len(b)), make([]address, len(b))
	for j := range b {
		nb[j], ab[j] = nameTokens(b[j].Name), parseAddress(b[j].Address)
	}
	n := 0
	for i := range a {
		na, aa := nameTokens(a[i].Name), parseAddress(a[i].Address)
		for j := range b {
			if samePlace(a[i], b[j], na, nb[j], aa, ab[j]) != "" {
				n++
			}
		}
	}
	return n
}

func BenchmarkMerge(b *testing.B) {
	x, y := syntheticFeeds(2000)
	b.ReportAllocs()
	for b.Loop() {
		Merge(x, y)
	}
}

// BenchmarkMergeNaiveBaseline compares all pairs (what Merge's buckets avoid).
func BenchmarkMergeNaiveBaseline(b *testing.B) {
	x, y := syntheticFeeds(2000)
	b.ReportAllocs()
	for b.Loop() {
		naivePairs(x, y)
	}
}
