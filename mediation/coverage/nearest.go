package coverage

import (
	"math"
	"slices"
)

// vec is a point of the unit sphere.
type vec [3]float64

func unit(lat, lon float64) vec {
	la, lo := lat*math.Pi/180, lon*math.Pi/180
	return vec{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

func chord2(a, b vec) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// kdTree finds the nearest of a fixed set of points on the sphere. Nodes
// are stored in an implicit balanced layout: the median of each range is
// its node, so no pointers are needed.
type kdTree struct {
	pts  []vec
	idx  []int // original index of pts[i]
	axis []uint8
}

func newKDTree(points []vec) *kdTree {
	t := &kdTree{pts: slices.Clone(points), idx: make([]int, len(points)), axis: make([]uint8, len(points))}
	for i := range t.idx {
		t.idx[i] = i
	}
	t.build(0, len(points))
	return t
}

func (t *kdTree) build(lo, hi int) {
	if hi-lo <= 1 {
		return
	}
	// Split on the axis of widest spread.
	var mn, mx vec
	for a := range 3 {
		mn[a], mx[a] = math.Inf(1), math.Inf(-1)
	}
	for _, p := range t.pts[lo:hi] {
		for a := range 3 {
			mn[a], mx[a] = min(mn[a], p[a]), max(mx[a], p[a])
		}
	}
	ax := 0
	for a := 1; a < 3; a++ {
		if mx[a]-mn[a] > mx[ax]-mn[ax] {
			ax = a
		}
	}
	mid := (lo + hi) / 2
	t.selectNth(lo, hi, mid, ax)
	t.axis[mid] = uint8(ax)
	t.build(lo, mid)
	t.build(mid+1, hi)
}

// selectNth partially sorts pts[lo:hi] on axis ax so that position k holds
// the element it would hold in sorted order (quickselect, with idx moved
// alongside).
func (t *kdTree) selectNth(lo, hi, k, ax int) {
	for hi-lo > 1 {
		pivot := t.pts[(lo+hi)/2][ax]
		i, j := lo, hi-1
		for i <= j {
			for t.pts[i][ax] < pivot {
				i++
			}
			for t.pts[j][ax] > pivot {
				j--
			}
			if i <= j {
				t.pts[i], t.pts[j] = t.pts[j], t.pts[i]
				t.idx[i], t.idx[j] = t.idx[j], t.idx[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j + 1
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// nearest returns the original index of the point nearest q and the
// squared chord distance; ties go to the lowest original index, as a scan
// in order would give. It returns -1 on an empty tree.
func (t *kdTree) nearest(q vec) (int, float64) {
	best, bestD := -1, math.Inf(1)
	t.search(0, len(t.pts), q, &best, &bestD)
	return best, bestD
}

func (t *kdTree) search(lo, hi int, q vec, best *int, bestD *float64) {
	if lo >= hi {
		return
	}
	mid := (lo + hi) / 2
	p := t.pts[mid]
	if d := chord2(p, q); d < *bestD || (d == *bestD && t.idx[mid] < *best) {
		*best, *bestD = t.idx[mid], d
	}
	if hi-lo == 1 {
		return
	}
	ax := t.axis[mid]
	diff := q[ax] - p[ax]
	nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
	if diff > 0 {
		nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
	}
	t.search(nearLo, nearHi, q, best, bestD)
	// <= keeps exact ties reachable on the far side.
	if diff*diff <= *bestD {
		t.search(farLo, farHi, q, best, bestD)
	}
}

// bruteNearest is the baseline: every point checked, in order.
func bruteNearest(points []vec, q vec) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i, p := range points {
		if d := chord2(p, q); d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}
