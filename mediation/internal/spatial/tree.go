package spatial

import (
	"math/bits"
	"sync"
)

// defaultLeafSize is the most points a leaf holds (BenchmarkLeafSize
// compares sizes).
const defaultLeafSize = 8

// node is a subtree: the box around its unit vectors, the OR of its
// points' masks and the range of its points. The left child is the next
// node; right is 0 for a leaf.
type node struct {
	lo, hi     [3]float64
	mask       Mask
	start, end int32
	right      int32
}

// Tree is an immutable index of points, safe for concurrent queries.
type Tree struct {
	nodes    []node
	leafSize int
	// rare holds, for each rare bit, the tree of the points with that bit
	// (nil when no bit is rare).
	rare *[MaskBits]*Tree
	// Points in tree order (each subtree's points are contiguous).
	xyz  [][3]float64
	mask []Mask
	id   []int32
	lat  []float64
	lon  []float64
	// scratch buffers reused across queries; per tree, not global.
	pool sync.Pool
}

// item is a point during the build.
type item struct {
	v  [3]float64
	id int32
}

// Build indexes points. Points with coordinates outside
// [-90, 90] × [-180, 180] (or NaN) are left out and never returned; the
// caller is expected to have checked them. Ids are positions in points.
func Build(points []Point) *Tree { return build(points, defaultLeafSize, rareShare) }

// rareShare: a bit held by at most 1/rareShare of the points gets its own
// tree of just those points. A query requiring it searches that small tree
// instead of skipping most of the big one (BenchmarkCompare, engines "tree"
// and "tree_masks_only").
const rareShare = 20

// build indexes points with leaves of leafSize points and a tree of its own
// for every bit held by at most 1/share of them (share 0: none).
func build(points []Point, leafSize, share int) *Tree {
	items := make([]item, 0, len(points))
	var count [MaskBits]int
	for i, p := range points {
		if !ValidCoordinates(p.Lat, p.Lon) {
			continue
		}
		items = append(items, item{v: unitVector(p.Lat, p.Lon), id: int32(i)})
		for w, word := range p.Mask {
			for word != 0 {
				count[w*64+bits.TrailingZeros64(word)]++
				word &= word - 1
			}
		}
	}
	// Gather the items of every rare bit in one pass, before newTree
	// reorders items.
	var rare Mask
	var subs [MaskBits][]item
	for b, c := range count {
		if c > 0 && share > 0 && c*share <= len(items) {
			rare.Set(b)
			subs[b] = make([]item, 0, c)
		}
	}
	if !rare.IsZero() {
		for _, it := range items {
			m := points[it.id].Mask
			for w := range m {
				word := m[w] & rare[w]
				for word != 0 {
					b := w*64 + bits.TrailingZeros64(word)
					subs[b] = append(subs[b], it)
					word &= word - 1
				}
			}
		}
	}
	t := newTree(items, points, leafSize)
	for b, sub := range subs {
		if len(sub) == 0 {
			continue
		}
		if t.rare == nil {
			t.rare = new([MaskBits]*Tree)
		}
		t.rare[b] = newTree(sub, points, leafSize)
	}
	return t
}

// newTree builds a tree of items (ids are positions in points); it reorders
// items.
func newTree(items []item, points []Point, leafSize int) *Tree {
	t := &Tree{leafSize: leafSize}
	t.pool.New = func() any { return new(scratch) }
	if len(items) == 0 {
		return t
	}
	t.nodes = make([]node, 0, 4*len(items)/leafSize+1)
	t.build(items, points, 0)
	t.xyz = make([][3]float64, len(items))
	t.mask = make([]Mask, len(items))
	t.id = make([]int32, len(items))
	t.lat = make([]float64, len(items))
	t.lon = make([]float64, len(items))
	for i, it := range items {
		p := &points[it.id]
		t.xyz[i] = it.v
		t.mask[i] = p.Mask
		t.id[i] = it.id
		t.lat[i] = p.Lat
		t.lon[i] = p.Lon
	}
	return t
}

// searchTree returns the smallest tree holding every point that can pass
// f: the tree of the rarest bit f requires, or t itself.
func (t *Tree) searchTree(f *Filter) *Tree {
	if t.rare == nil {
		return t
	}
	best := t
	try := func(b int) {
		if sub := t.rare[b]; sub != nil && sub.Len() < best.Len() {
			best = sub
		}
	}
	for w, word := range f.All {
		for word != 0 {
			try(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
		}
	}
	for i := range f.Any {
		if f.Any[i].Count() == 1 {
			for w, word := range f.Any[i] {
				if word != 0 {
					try(w*64 + bits.TrailingZeros64(word))
				}
			}
		}
	}
	return best
}

// Len returns the number of indexed points.
func (t *Tree) Len() int { return len(t.id) }

// build appends the subtree of items (whose first point has tree position
// start) and returns its node index.
func (t *Tree) build(items []item, points []Point, start int) int32 {
	idx := int32(len(t.nodes))
	t.nodes = append(t.nodes, node{})
	n := node{start: int32(start), end: int32(start + len(items))}
	n.lo = items[0].v
	n.hi = items[0].v
	for i := range items {
		v := &items[i].v
		for a := 0; a < 3; a++ {
			n.lo[a] = min(n.lo[a], v[a])
			n.hi[a] = max(n.hi[a], v[a])
		}
	}
	if len(items) <= t.leafSize {
		for i := range items {
			n.mask.or(&points[items[i].id].Mask)
		}
		t.nodes[idx] = n
		return idx
	}
	axis := 0
	for a := 1; a < 3; a++ {
		if n.hi[a]-n.lo[a] > n.hi[axis]-n.lo[axis] {
			axis = a
		}
	}
	mid := len(items) / 2
	selectNth(items, mid, axis)
	t.build(items[:mid], points, start)
	n.right = t.build(items[mid:], points, start+mid)
	// Masks go bottom-up: reading every point's mask at every level would
	// jump around memory.
	n.mask = t.nodes[idx+1].mask
	n.mask.or(&t.nodes[n.right].mask)
	t.nodes[idx] = n
	return idx
}

// selectNth reorders a so that a[k] holds the value it would have if a
// were sorted on axis, with smaller-or-equal values before it and
// greater-or-equal after. Hoare partitioning keeps runs of equal values
// (many places geocoded to one town centre) linear.
func selectNth(a []item, k, axis int) {
	lo, hi := 0, len(a)-1
	for hi > lo {
		x, y, z := a[lo].v[axis], a[lo+(hi-lo)/2].v[axis], a[hi].v[axis]
		pv := max(min(x, y), min(max(x, y), z))
		i, j := lo, hi
		for i <= j {
			for a[i].v[axis] < pv {
				i++
			}
			for a[j].v[axis] > pv {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// queued is a node waiting in the best-first queue, or (node < 0) the
// point at tree position -1-node waiting for Filter.Accept.
type queued struct {
	d2   float64
	node int32
}

// cand is a point found near enough: squared chord and tree position.
type cand struct {
	d2  float64
	pos int32
}

type scratch struct {
	queue []queued // min-heap on d2
	best  []cand   // max-heap on d2, at most k
	spill []cand   // points near the k-th: evicted or within slack of it
	out   []Neighbor
}

// Nearest appends to dst the k points nearest to (lat, lon) that pass f
// and lie within maxKm (0: no limit), by increasing great-circle distance,
// ties by id: exactly what Scan returns. Invalid coordinates or k <= 0 give
// no answer.
func (t *Tree) Nearest(dst []Neighbor, lat, lon float64, k int, maxKm float64, f *Filter) []Neighbor {
	if k <= 0 || len(t.nodes) == 0 || !ValidCoordinates(lat, lon) {
		return dst
	}
	if f == nil {
		f = &Filter{}
	}
	if !f.matchMask(&t.nodes[0].mask) {
		return dst
	}
	return t.searchTree(f).nearest(dst, lat, lon, k, maxKm, f)
}

func (t *Tree) nearest(dst []Neighbor, lat, lon float64, k int, maxKm float64, f *Filter) []Neighbor {
	s := t.pool.Get().(*scratch)
	defer t.pool.Put(s)
	s.queue, s.best, s.spill, s.out = s.queue[:0], s.best[:0], s.spill[:0], s.out[:0]

	q := unitVector(lat, lon)
	limit := maxChord2(maxKm)
	threshold := limit // widened bound on what can still matter
	if d := boxDist2(&q, &t.nodes[0]); d <= threshold {
		s.queue = append(s.queue, queued{d2: d, node: 0})
	}
	for len(s.queue) > 0 {
		top := s.popQueue()
		if top.d2 > threshold {
			break
		}
		if top.node < 0 {
			// A point waiting for the exact check: points leave the queue
			// nearest first, so Accept (which may be costly, such as
			// evaluating opening hours) runs on as few points as possible.
			pos := -1 - top.node
			if f.Accept(int(t.id[pos])) {
				threshold = s.keep(cand{d2: top.d2, pos: pos}, k, limit, threshold)
			}
			continue
		}
		n := &t.nodes[top.node]
		if n.right == 0 {
			for pos := n.start; pos < n.end; pos++ {
				if !f.matchMask(&t.mask[pos]) {
					continue
				}
				d2 := dist2(&q, &t.xyz[pos])
				if d2 > threshold {
					continue
				}
				if f.Accept != nil {
					s.pushQueue(queued{d2: d2, node: -1 - pos})
					continue
				}
				threshold = s.keep(cand{d2: d2, pos: pos}, k, limit, threshold)
			}
			continue
		}
		for _, c := range [2]int32{top.node + 1, n.right} {
			child := &t.nodes[c]
			if !f.matchMask(&child.mask) {
				continue
			}
			if d := boxDist2(&q, child); d <= threshold {
				s.pushQueue(queued{d2: d, node: c})
			}
		}
	}

	// Rank the survivors by haversine, as Scan does.
	for _, c := range s.best {
		s.out = t.appendWithin(s.out, c, lat, lon, maxKm)
	}
	for _, c := range s.spill {
		if c.d2 <= threshold {
			s.out = t.appendWithin(s.out, c, lat, lon, maxKm)
		}
	}
	sortNeighbors(s.out)
	if len(s.out) > k {
		s.out = s.out[:k]
	}
	return append(dst, s.out...)
}

// keep records a point that passed the filter: among the k best, or
// spilled when it may tie with the k-th. It returns the new threshold.
func (s *scratch) keep(c cand, k int, limit, threshold float64) float64 {
	switch {
	case len(s.best) < k:
		s.pushBest(c)
	case c.d2 < s.best[0].d2:
		s.spill = append(s.spill, s.best[0])
		s.replaceBest(c)
	default:
		s.spill = append(s.spill, c)
	}
	if len(s.best) == k {
		return min(limit, widen(s.best[0].d2))
	}
	return threshold
}

func (t *Tree) appendWithin(out []Neighbor, c cand, lat, lon, maxKm float64) []Neighbor {
	km := Haversine(lat, lon, t.lat[c.pos], t.lon[c.pos])
	if maxKm > 0 && km > maxKm {
		return out
	}
	return append(out, Neighbor{ID: int(t.id[c.pos]), Km: km})
}

func dist2(a, b *[3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// boxDist2 is the squared distance from q to the node's box: a lower
// bound of the squared chord to any of its points.
func boxDist2(q *[3]float64, n *node) float64 {
	var d float64
	for a := 0; a < 3; a++ {
		if q[a] < n.lo[a] {
			e := n.lo[a] - q[a]
			d += e * e
		} else if q[a] > n.hi[a] {
			e := q[a] - n.hi[a]
			d += e * e
		}
	}
	return d
}

func (s *scratch) pushQueue(x queued) {
	h := append(s.queue, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].d2 <= h[i].d2 {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	s.queue = h
}

func (s *scratch) popQueue() queued {
	h := s.queue
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].d2 < h[l].d2 {
			m = r
		}
		if h[i].d2 <= h[m].d2 {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	s.queue = h
	return top
}

func (s *scratch) pushBest(c cand) {
	h := append(s.best, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].d2 >= h[i].d2 {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	s.best = h
}

// replaceBest puts c in place of the farthest best candidate.
func (s *scratch) replaceBest(c cand) {
	h := s.best
	h[0] = c
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].d2 > h[l].d2 {
			m = r
		}
		if h[i].d2 >= h[m].d2 {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
