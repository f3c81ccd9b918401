package mediation

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/passerelle-sante/passerelle/mediation/internal/spatial"
)

// IndexOptions tunes NewIndex. A nil *IndexOptions means the defaults.
type IndexOptions struct {
	// Now is the clock used when a Query asks for OpenWithin without At;
	// nil means time.Now. Tests set it to get stable answers.
	Now func() time.Time
}

// Index is an in-memory Directory: an immutable spatial index of places,
// safe for concurrent use. Answers are exact: the same places, in the same
// order, as checking every place (see Query.Matches) and sorting by
// great-circle distance, ties by position in the slice given to NewIndex.
//
// Each place carries one bit per enumeration value it holds, and every
// node of the tree the OR of its places' bits, so a rare filter (a label
// held by one place in a thousand) skips whole regions instead of walking
// every nearer place that lacks it.
type Index struct {
	places    []Place
	tree      *spatial.Tree
	bits      bitLayout
	schedules []opener // by place; nil when the place has no usable hours
	skipped   int
	now       func() time.Time
}

// opener is what the index needs from parsed opening hours.
type opener interface {
	OpenWithin(t time.Time, d time.Duration) bool
}

// NewIndex indexes places. Places without a usable location (see
// Place.HasLocation) cannot be found by distance: they are counted in
// Skipped and left out. The index keeps places (it does not copy them):
// the caller must not modify them afterwards, and Results share their
// slices.
func NewIndex(places []Place, opts *IndexOptions) (*Index, error) {
	if len(places) > math.MaxInt32 {
		return nil, fmt.Errorf("mediation: NewIndex: %d places is more than an index holds (%d)", len(places), math.MaxInt32)
	}
	ix := &Index{places: places, bits: newBitLayout(), now: time.Now}
	if opts != nil && opts.Now != nil {
		ix.now = opts.Now
	}
	points := make([]spatial.Point, len(places))
	for i := range places {
		p := &places[i]
		if !p.HasLocation() {
			// NaN keeps the point out of the tree.
			points[i] = spatial.Point{Lat: math.NaN(), Lon: math.NaN()}
			ix.skipped++
			continue
		}
		points[i] = spatial.Point{Lat: p.Latitude, Lon: p.Longitude, Mask: ix.bits.mask(p)}
	}
	ix.tree = spatial.Build(points)
	return ix, nil
}

// Len returns the number of places that can be found (those with a
// location).
func (ix *Index) Len() int { return ix.tree.Len() }

// Skipped returns the number of places left out for lack of a usable
// location.
func (ix *Index) Skipped() int { return ix.skipped }

// Nearby implements Directory.
func (ix *Index) Nearby(ctx context.Context, q Query) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	f := ix.filter(q)
	var buf [16]spatial.Neighbor
	found := ix.tree.Nearest(buf[:0], q.Lat, q.Lon, q.K, q.MaxKm, f)
	if len(found) == 0 {
		return nil, nil
	}
	out := make([]Result, len(found))
	for i, n := range found {
		out[i] = Result{Place: ix.places[n.ID], DistanceKm: n.Km}
	}
	return out, nil
}

// filter turns the enumeration filters of q into masks.
func (ix *Index) filter(q Query) *spatial.Filter {
	b := &ix.bits
	f := &spatial.Filter{}
	setAll(&f.All, b.services, q.Services)
	setAll(&f.All, b.support, q.SpecificSupport)
	setAll(&f.All, b.labels, q.Labels)
	f.Any = appendAny(f.Any, b.publics, q.Publics)
	f.Any = appendAny(f.Any, b.fees, q.Fees)
	f.Any = appendAny(f.Any, b.programs, q.Programs)
	f.Any = appendAny(f.Any, b.access, q.AccessModes)
	f.Any = appendAny(f.Any, b.modes, q.SupportModes)
	if q.BookableOnline {
		f.All.Set(b.bookable)
	}
	if q.OpenWithin > 0 {
		f.All.Set(b.hours)
		at := q.At
		if at.IsZero() {
			at = ix.now()
		}
		within := q.OpenWithin
		f.Accept = func(id int) bool {
			s := ix.schedules[id]
			return s != nil && s.OpenWithin(at, within)
		}
	}
	return f
}

func setAll[T comparable](m *spatial.Mask, bits map[T]int, vs []T) {
	for _, v := range vs {
		m.Set(bits[v])
	}
}

func appendAny[T comparable](groups []spatial.Mask, bits map[T]int, vs []T) []spatial.Mask {
	if len(vs) == 0 {
		return groups
	}
	var g spatial.Mask
	for _, v := range vs {
		g.Set(bits[v])
	}
	return append(groups, g)
}

// bitLayout gives every enumeration value of the standard its bit in a
// place's mask, plus bits for "bookable online" and "has usable hours".
type bitLayout struct {
	services map[Service]int
	publics  map[Public]int
	support  map[SpecificSupport]int
	fees     map[Fee]int
	programs map[Program]int
	labels   map[Label]int
	access   map[AccessMode]int
	modes    map[SupportMode]int
	bookable int
	hours    int
	size     int // bits used
}

func newBitLayout() bitLayout {
	next := 0
	var b bitLayout
	b.services = assignBits(&next, AllServices())
	b.publics = assignBits(&next, AllPublics())
	b.support = assignBits(&next, AllSpecificSupports())
	b.fees = assignBits(&next, AllFees())
	b.programs = assignBits(&next, AllPrograms())
	b.labels = assignBits(&next, AllLabels())
	b.access = assignBits(&next, AllAccessModes())
	b.modes = assignBits(&next, AllSupportModes())
	b.bookable = next
	b.hours = next + 1
	b.size = next + 2
	return b
}

func assignBits[T comparable](next *int, all []T) map[T]int {
	m := make(map[T]int, len(all))
	for _, v := range all {
		m[v] = *next
		*next++
	}
	return m
}

// mask returns the bits of the values p holds. Values outside the
// standard have no bit; a query cannot ask for them (Query.Validate).
func (b *bitLayout) mask(p *Place) spatial.Mask {
	var m spatial.Mask
	markBits(&m, b.services, p.Services)
	markBits(&m, b.publics, p.Publics)
	markBits(&m, b.support, p.SpecificSupport)
	markBits(&m, b.fees, p.Fees)
	markBits(&m, b.programs, p.Programs)
	markBits(&m, b.labels, p.Labels)
	markBits(&m, b.access, p.AccessModes)
	markBits(&m, b.modes, p.SupportModes)
	if p.BookableOnline() {
		m.Set(b.bookable)
	}
	return m
}

func markBits[T comparable](m *spatial.Mask, bits map[T]int, vs []T) {
	for _, v := range vs {
		if bit, ok := bits[v]; ok {
			m.Set(bit)
		}
	}
}
