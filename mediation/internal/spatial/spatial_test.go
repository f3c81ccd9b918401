package spatial

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// regions where French places are: mainland, Corsica, the DROM and the
// Pacific COM on both sides of the antimeridian.
var regions = []struct {
	name           string
	lat, lon, span float64
}{
	{"métropole", 46.5, 2.5, 5},
	{"Corse", 42.1, 9.1, 0.6},
	{"Guadeloupe", 16.2, -61.5, 0.3},
	{"Martinique", 14.6, -61.0, 0.2},
	{"Guyane", 4.5, -53.0, 1.5},
	{"La Réunion", -21.1, 55.5, 0.3},
	{"Mayotte", -12.8, 45.15, 0.15},
	{"Saint-Pierre-et-Miquelon", 46.9, -56.3, 0.1},
	{"Nouvelle-Calédonie", -21.5, 165.5, 1.5},
	{"Wallis-et-Futuna", -13.8, -177.5, 2.8}, // straddles ±180°
	{"Polynésie", -17.6, -149.5, 3},
	{"Kerguelen", -49.3, 69.5, 0.5},
}

func wrapLon(lon float64) float64 {
	for lon > 180 {
		lon -= 360
	}
	for lon < -180 {
		lon += 360
	}
	return lon
}

// randomPoints spreads n points over the regions, a third of them on a
// shared spot (places geocoded to a town centre) so ties are exercised.
func randomPoints(r *rand.Rand, n, bitsUsed int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		if i > 0 && r.IntN(3) == 0 {
			pts[i] = pts[r.IntN(i)]
		} else {
			g := regions[r.IntN(len(regions))]
			pts[i].Lat = max(-90, min(90, g.lat+(r.Float64()*2-1)*g.span))
			pts[i].Lon = wrapLon(g.lon + (r.Float64()*2-1)*g.span)
		}
		pts[i].Mask = Mask{}
		for b := 0; b < bitsUsed; b++ {
			// bit b is set with probability 1/2^(b%8): bits 7, 15, ... are rare.
			if r.IntN(1<<(b%8)) == 0 {
				pts[i].Mask.Set(b)
			}
		}
	}
	return pts
}

func randomFilter(r *rand.Rand, bitsUsed int) *Filter {
	f := &Filter{}
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		f.All.Set(r.IntN(bitsUsed))
	case 2:
		f.All.Set(r.IntN(bitsUsed))
		f.All.Set(r.IntN(bitsUsed))
		var g Mask
		g.Set(r.IntN(bitsUsed))
		g.Set(r.IntN(bitsUsed))
		f.Any = []Mask{g}
	case 3:
		f.All.Set(7) // rare
		mod := 2 + r.IntN(5)
		f.Accept = func(id int) bool { return id%mod != 0 }
	}
	return f
}

func randomQueryPoint(r *rand.Rand) (float64, float64) {
	if r.IntN(5) == 0 {
		return r.Float64()*180 - 90, r.Float64()*360 - 180
	}
	g := regions[r.IntN(len(regions))]
	return max(-90, min(90, g.lat+(r.Float64()*2-1)*g.span*1.5)), wrapLon(g.lon + (r.Float64()*2-1)*g.span*1.5)
}

func sameNeighbors(t *testing.T, label string, got, want []Neighbor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d neighbors, want %d\n got  %v\n want %v", label, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].ID != want[i].ID || math.Abs(got[i].Km-want[i].Km) > 1e-9 {
			t.Fatalf("%s: rank %d: got %+v, want %+v\n got  %v\n want %v", label, i, got[i], want[i], got, want)
		}
	}
}

func TestNearestMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 9, 100, 3000} {
		pts := randomPoints(r, n, 24)
		tree := Build(pts)
		if tree.Len() != n {
			t.Fatalf("Len = %d, want %d", tree.Len(), n)
		}
		queries := 2000
		if n <= 9 {
			queries = 200
		}
		for qi := 0; qi < queries; qi++ {
			lat, lon := randomQueryPoint(r)
			k := 1 + r.IntN(12)
			if r.IntN(10) == 0 {
				k = 1 + r.IntN(500)
			}
			maxKm := 0.0
			if r.IntN(2) == 0 {
				maxKm = r.ExpFloat64() * 50
			}
			f := randomFilter(r, 24)
			want := Scan(pts, lat, lon, k, maxKm, f)
			got := tree.Nearest(nil, lat, lon, k, maxKm, f)
			sameNeighbors(t, fmt.Sprintf("n=%d query %d (%.4f,%.4f) k=%d max=%.3f", n, qi, lat, lon, k, maxKm), got, want)
		}
	}
}

func TestNearestCases(t *testing.T) {
	// Futuna (-14.28, -178.12) and a point just west of the antimeridian
	// in Fiji's waters: 1 km apart across ±180° would be far on a flat map.
	pts := []Point{
		{Lat: -14.2800, Lon: -178.1200}, // 0 Futuna
		{Lat: -13.2800, Lon: -176.1700}, // 1 Wallis
		{Lat: -14.0, Lon: 179.99},       // 2 across the antimeridian
		{Lat: -14.0, Lon: -179.99},      // 3
		{Lat: 48.8566, Lon: 2.3522},     // 4 Paris
		{Lat: 48.8566, Lon: 2.3522},     // 5 same spot as 4
		{Lat: -21.1151, Lon: 55.5364},   // 6 Saint-Denis, La Réunion
		{Lat: 90, Lon: 0},               // 7 North Pole
		{Lat: 91, Lon: 0},               // 8 invalid: never returned
		{Lat: math.NaN(), Lon: 0},       // 9 invalid
	}
	pts[5].Mask.Set(3)
	pts[2].Mask.Set(3)
	tree := Build(pts)
	if tree.Len() != 8 {
		t.Fatalf("Len = %d, want 8 (two invalid points left out)", tree.Len())
	}
	only3 := &Filter{}
	only3.All.Set(3)
	tests := []struct {
		name     string
		lat, lon float64
		k        int
		maxKm    float64
		f        *Filter
		wantIDs  []int
	}{
		{"across the antimeridian, east side", -14.0, 179.999, 2, 0, nil, []int{2, 3}},
		{"across the antimeridian, west side", -14.0, -179.999, 2, 0, nil, []int{3, 2}},
		{"ties broken by id", 48.8566, 2.3522, 2, 0, nil, []int{4, 5}},
		{"filter skips the nearer tie", 48.8566, 2.3522, 1, 0, only3, []int{5}},
		{"max distance cuts", -21.0, 55.5, 5, 20, nil, []int{6}},
		{"nothing within max distance", 0, 0, 5, 10, nil, nil},
		{"near the pole", 89.9, 120, 1, 0, nil, []int{7}},
		{"k larger than the tree", 0, 0, 50, 0, only3, []int{5, 2}},
		{"invalid query point", 95, 0, 3, 0, nil, nil},
		{"k zero", 0, 0, 0, 0, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tree.Nearest(nil, tc.lat, tc.lon, tc.k, tc.maxKm, tc.f)
			var ids []int
			for _, n := range got {
				ids = append(ids, n.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.wantIDs) {
				t.Fatalf("ids = %v, want %v (%v)", ids, tc.wantIDs, got)
			}
			if ValidCoordinates(tc.lat, tc.lon) {
				sameNeighbors(t, tc.name, got, Scan(pts[:8], tc.lat, tc.lon, tc.k, tc.maxKm, tc.f))
			}
		})
	}
}

func TestHaversine(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		wantKm, tolKm          float64
	}{
		{"same point", 45, 3, 45, 3, 0, 0},
		{"Paris–Lyon", 48.8566, 2.3522, 45.7640, 4.8357, 392.2, 1},
		{"one degree of latitude", 0, 0, 1, 0, 111.195, 0.01},
		{"across the antimeridian", 0, 179.5, 0, -179.5, 111.195, 0.01},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm, 1e-6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Haversine(tc.lat1, tc.lon1, tc.lat2, tc.lon2)
			if math.Abs(got-tc.wantKm) > tc.tolKm {
				t.Fatalf("Haversine = %.6f km, want %.6f ± %g", got, tc.wantKm, tc.tolKm)
			}
			if back := Haversine(tc.lat2, tc.lon2, tc.lat1, tc.lon1); math.Abs(back-got) > 1e-9 {
				t.Fatalf("not symmetric: %v vs %v", got, back)
			}
		})
	}
}

func TestMask(t *testing.T) {
	var m Mask
	for _, b := range []int{0, 63, 64, 200, 255} {
		m.Set(b)
	}
	m.Set(-1)
	m.Set(256)
	if m.Count() != 5 {
		t.Fatalf("Count = %d, want 5", m.Count())
	}
	for _, b := range []int{0, 63, 64, 200, 255} {
		if !m.Has(b) {
			t.Errorf("bit %d missing", b)
		}
	}
	if m.Has(1) || m.Has(-1) || m.Has(256) {
		t.Error("unexpected bit")
	}
	var empty Mask
	if !empty.IsZero() || m.IsZero() {
		t.Error("IsZero wrong")
	}
	f := &Filter{Any: []Mask{{}}}
	if f.matchMask(&m) {
		t.Error("an empty Any group must match nothing")
	}
}

// FuzzNearest builds a small tree from fuzz bytes and checks the tree
// against the brute-force scan for one query.
func FuzzNearest(f *testing.F) {
	f.Add([]byte("seed-0123456789abcdef-mediation"), -14.0, 179.99, uint8(3), 0.0, uint8(1))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 255, 255}, 48.85, 2.35, uint8(5), 10.0, uint8(0))
	f.Add([]byte("réunion guadeloupe polynésie"), -21.1, 55.5, uint8(40), 500.0, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, lat, lon float64, k uint8, maxKm float64, bit uint8) {
		if len(data) > 4096 {
			return
		}
		r := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(append(data, make([]byte, 8)...)), uint64(len(data))))
		pts := randomPoints(r, len(data), 8)
		// Fuzz bytes also place some points directly, to reach odd spots.
		for i, b := range data {
			if b%5 == 0 {
				pts[i].Lat = float64(int(b)-128) * 90 / 128
				pts[i].Lon = float64(int(b)*7%360) - 180
			}
		}
		var flt *Filter
		if bit%3 != 0 {
			flt = &Filter{}
			flt.All.Set(int(bit % 8))
		}
		if math.IsNaN(maxKm) || maxKm < 0 {
			maxKm = 0
		}
		tree := Build(pts)
		got := tree.Nearest(nil, lat, lon, int(k), maxKm, flt)
		if !ValidCoordinates(lat, lon) {
			if len(got) != 0 {
				t.Fatalf("answer for invalid point (%v,%v)", lat, lon)
			}
			return
		}
		want := Scan(pts, lat, lon, int(k), maxKm, flt)
		sameNeighbors(t, "fuzz", got, want)
		for i := 1; i < len(got); i++ {
			if got[i].Km < got[i-1].Km {
				t.Fatalf("not sorted: %v", got)
			}
		}
	})
}

func TestRareTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	pts := randomPoints(r, 3000, 24)
	tree := Build(pts)
	if tree.rare == nil {
		t.Fatal("no rare tree built")
	}
	count := func(b int) int {
		n := 0
		for _, p := range pts {
			if p.Mask.Has(b) {
				n++
			}
		}
		return n
	}
	for b := 0; b < 24; b++ {
		c := count(b)
		sub := tree.rare[b]
		switch {
		case c*rareShare <= len(pts) && c > 0 && (sub == nil || sub.Len() != c):
			t.Errorf("bit %d held by %d points: rare tree %v", b, c, sub)
		case c*rareShare > len(pts) && sub != nil:
			t.Errorf("bit %d held by %d points has a rare tree", b, c)
		}
	}
	var f Filter
	f.All.Set(0)
	f.All.Set(7)
	f.Any = []Mask{{}}
	f.Any[0].Set(15)
	want := tree.rare[7]
	if tree.rare[15].Len() < want.Len() {
		want = tree.rare[15]
	}
	if got := tree.searchTree(&f); got.Len() != want.Len() || got == tree {
		t.Errorf("searchTree picked a tree of %d points, want the rarest required bit's (%d)", got.Len(), want.Len())
	}
	if got := tree.searchTree(&Filter{}); got != tree {
		t.Error("an empty filter must search the whole tree")
	}
}

// TestNearestNearTies puts points a few millimetres to a few nanometres
// apart, where the chord order and the haversine order can disagree in the
// last bits: the tree must still return exactly what Scan returns.
func TestNearestNearTies(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for _, spread := range []float64{1e-7, 1e-10, 1e-13} {
		pts := make([]Point, 400)
		for i := range pts {
			c := regions[i%len(regions)]
			pts[i].Lat = c.lat + (r.Float64()-0.5)*spread
			pts[i].Lon = wrapLon(c.lon + (r.Float64()-0.5)*spread)
			if i%3 == 0 {
				pts[i].Mask.Set(1)
			}
		}
		tree := Build(pts)
		for qi := 0; qi < 500; qi++ {
			c := regions[r.IntN(len(regions))]
			lat := max(-90, min(90, c.lat+r.NormFloat64()*[]float64{1e-6, 0.01, 3}[qi%3]))
			lon := wrapLon(c.lon + r.NormFloat64()*[]float64{1e-6, 0.01, 3}[qi%3])
			var f *Filter
			if qi%2 == 0 {
				f = &Filter{}
				f.All.Set(1)
			}
			k := 1 + r.IntN(40)
			label := fmt.Sprintf("spread %g query %d", spread, qi)
			sameNeighbors(t, label, tree.Nearest(nil, lat, lon, k, 0, f), Scan(pts, lat, lon, k, 0, f))
		}
	}
}

// TestAcceptCalledNearestFirst: the exact check may be costly (opening
// hours), so the tree calls it on points in distance order and stops once
// k points passed.
func TestAcceptCalledNearestFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	pts := make([]Point, 5000)
	for i := range pts {
		pts[i] = Point{Lat: 43 + r.Float64()*8, Lon: -4 + r.Float64()*12}
	}
	tree := Build(pts)
	for qi := 0; qi < 100; qi++ {
		lat, lon := 43+r.Float64()*8, -4+r.Float64()*12
		var seen []int
		f := &Filter{Accept: func(id int) bool { seen = append(seen, id); return id%2 == 0 }}
		got := tree.Nearest(nil, lat, lon, 5, 0, f)
		sameNeighbors(t, "accept", got, Scan(pts, lat, lon, 5, 0, &Filter{Accept: func(id int) bool { return id%2 == 0 }}))
		for i := 1; i < len(seen); i++ {
			if Haversine(lat, lon, pts[seen[i]].Lat, pts[seen[i]].Lon) < Haversine(lat, lon, pts[seen[i-1]].Lat, pts[seen[i-1]].Lon)-1e-9 {
				t.Fatalf("query %d: Accept called out of distance order: %v", qi, seen)
			}
		}
		if seen[len(seen)-1] != got[4].ID {
			t.Fatalf("query %d: Accept called after the 5th match was found (%d calls)", qi, len(seen))
		}
	}
}
