// Package spatial is the geometric core behind mediation.Index: an
// immutable tree of points on the Earth answering "the k nearest points
// that pass this filter, within this distance", exactly in great-circle
// distance.
//
// Points are stored as unit vectors in 3D. The Euclidean (chord) distance
// between two unit vectors grows with the great-circle distance between
// them, so the k nearest by chord are the k nearest on the sphere; chord
// bounds need no special case at the poles or at the antimeridian (Wallis
// and Futuna, French Polynesia). Each tree node carries the OR of its
// points' filter masks, so a rare filter prunes whole subtrees instead of
// walking every near point that fails it.
//
// The final order is by the haversine distance (the same function a
// brute-force scan uses), ties broken by point id, so the answer is the one
// Scan gives, bit for bit.
package spatial

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// EarthRadiusKm is the mean Earth radius used for every distance.
const EarthRadiusKm = 6371.0088

const degToRad = math.Pi / 180

// MaskWords is the number of 64-bit words in a Mask.
const MaskWords = 4

// MaskBits is the number of distinct filter values a Mask can hold.
const MaskBits = MaskWords * 64

// Mask is a set of filter values (bit numbers below MaskBits) attached to a
// point: one bit per (field, value) pair, assigned by the caller.
type Mask [MaskWords]uint64

// Set adds bit b to the mask; bits outside [0, MaskBits) are ignored.
func (m *Mask) Set(b int) {
	if b < 0 || b >= MaskBits {
		return
	}
	m[b/64] |= 1 << (uint(b) % 64)
}

// Has reports whether bit b is in the mask.
func (m Mask) Has(b int) bool {
	if b < 0 || b >= MaskBits {
		return false
	}
	return m[b/64]&(1<<(uint(b)%64)) != 0
}

// IsZero reports whether no bit is set.
func (m Mask) IsZero() bool { return m == Mask{} }

// Count returns the number of bits set.
func (m Mask) Count() int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

func (m *Mask) or(o *Mask) {
	for i := range m {
		m[i] |= o[i]
	}
}

// containsAll reports whether every bit of want is in m.
func (m *Mask) containsAll(want *Mask) bool {
	return m[0]&want[0] == want[0] && m[1]&want[1] == want[1] &&
		m[2]&want[2] == want[2] && m[3]&want[3] == want[3]
}

// intersects reports whether m and o share a bit.
func (m *Mask) intersects(o *Mask) bool {
	return m[0]&o[0] != 0 || m[1]&o[1] != 0 || m[2]&o[2] != 0 || m[3]&o[3] != 0
}

// Point is one located item to index. Its id is its position in the slice
// given to Build.
type Point struct {
	Lat, Lon float64 // degrees, WGS84
	Mask     Mask
}

// Filter selects points. The zero Filter (or a nil *Filter) accepts every
// point.
type Filter struct {
	// All holds bits a point must all have.
	All Mask
	// Any holds groups of bits; a point must have at least one bit of
	// every group. An empty group matches nothing.
	Any []Mask
	// Accept, if set, is the last, exact check on a point (by id), for
	// what bits cannot say (such as "open within 3 days"). It is called
	// only for points that pass the masks and are near enough to matter.
	Accept func(id int) bool
}

// matchMask reports whether a point (or, as a necessary condition, a
// subtree whose OR-ed mask is m) can pass the mask part of f.
func (f *Filter) matchMask(m *Mask) bool {
	if !m.containsAll(&f.All) {
		return false
	}
	for i := range f.Any {
		if !m.intersects(&f.Any[i]) {
			return false
		}
	}
	return true
}

// Neighbor is one answer to a nearest query.
type Neighbor struct {
	ID int     // position of the point in the slice given to Build
	Km float64 // great-circle distance from the query point
}

// Haversine returns the great-circle distance in kilometres between two
// points given in degrees. It is periodic in longitude, so points on both
// sides of the antimeridian are near.
func Haversine(lat1, lon1, lat2, lon2 float64) float64 {
	sLat := math.Sin((lat2 - lat1) * degToRad / 2)
	sLon := math.Sin((lon2 - lon1) * degToRad / 2)
	a := sLat*sLat + math.Cos(lat1*degToRad)*math.Cos(lat2*degToRad)*sLon*sLon
	if a > 1 {
		a = 1
	}
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(a))
}

// ValidCoordinates reports whether lat, lon are finite degrees in
// [-90, 90] × [-180, 180].
func ValidCoordinates(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// unitVector returns the point on the unit sphere for lat, lon degrees.
func unitVector(lat, lon float64) [3]float64 {
	sLat, cLat := math.Sincos(lat * degToRad)
	sLon, cLon := math.Sincos(lon * degToRad)
	return [3]float64{cLat * cLon, cLat * sLon, sLat}
}

// chordSlack widens chord bounds so that rounding differences between the
// chord computed from unit vectors and the haversine formula can never
// exclude a point the haversine order would include. 1e-12 of the Earth
// radius is 6 µm; the rounding error of either formula is far below it.
const chordSlack = 1e-12

// widen returns the squared chord bound d2 with the slack added.
func widen(d2 float64) float64 {
	if math.IsInf(d2, 1) {
		return d2
	}
	c := math.Sqrt(d2) + chordSlack
	return c * c
}

// maxChord2 returns the squared chord of a great-circle distance in km,
// with slack; +Inf when km is 0 (no limit) or reaches half the globe.
func maxChord2(km float64) float64 {
	if km <= 0 || km >= math.Pi*EarthRadiusKm {
		return math.Inf(1)
	}
	c := 2 * math.Sin(km/(2*EarthRadiusKm))
	return widen(c * c)
}

// Scan is the brute-force answer: every point is checked (those with
// invalid coordinates are left out, as Build does), distances are
// haversine, the k nearest passing f within maxKm (0: no limit) are
// returned by increasing distance, ties by id. It is the reference the tree
// is tested against and the baseline it is measured against.
func Scan(points []Point, lat, lon float64, k int, maxKm float64, f *Filter) []Neighbor {
	if k <= 0 {
		return nil
	}
	if f == nil {
		f = &Filter{}
	}
	h := make(neighborHeap, 0, k)
	for i := range points {
		p := &points[i]
		if !f.matchMask(&p.Mask) || !ValidCoordinates(p.Lat, p.Lon) {
			continue
		}
		km := Haversine(lat, lon, p.Lat, p.Lon)
		if maxKm > 0 && km > maxKm {
			continue
		}
		n := Neighbor{ID: i, Km: km}
		if len(h) == k && !n.before(h[0]) {
			continue
		}
		if f.Accept != nil && !f.Accept(i) {
			continue
		}
		h.pushBounded(n, k)
	}
	return h.sorted()
}

// before orders neighbors by distance, then id.
func (n Neighbor) before(o Neighbor) bool {
	if n.Km != o.Km {
		return n.Km < o.Km
	}
	return n.ID < o.ID
}

// neighborHeap is a max-heap (the worst neighbor on top) of at most k.
type neighborHeap []Neighbor

func (h *neighborHeap) pushBounded(n Neighbor, k int) {
	s := *h
	if len(s) < k {
		s = append(s, n)
		// sift up
		i := len(s) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !s[p].before(s[i]) {
				break
			}
			s[p], s[i] = s[i], s[p]
			i = p
		}
		*h = s
		return
	}
	if !n.before(s[0]) {
		return
	}
	s[0] = n
	i := 0
	for {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		w := l
		if r := l + 1; r < len(s) && s[l].before(s[r]) {
			w = r
		}
		if !s[i].before(s[w]) {
			break
		}
		s[i], s[w] = s[w], s[i]
		i = w
	}
}

// sorted returns the heap's neighbors in increasing order.
func (h neighborHeap) sorted() []Neighbor {
	out := make([]Neighbor, len(h))
	copy(out, h)
	sortNeighbors(out)
	return out
}

func sortNeighbors(s []Neighbor) {
	slices.SortFunc(s, func(a, b Neighbor) int {
		if c := cmp.Compare(a.Km, b.Km); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
