package mediation

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/mediation/internal/spatial"
	"github.com/passerelle-sante/passerelle/mediation/openinghours"
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
// every nearer place that lacks it; a value held by at most one place in
// 20 also gets a small tree of its own, searched when a query requires it.
//
// Opening hours (horaires) are parsed once, at build, in the time zone and
// with the public holidays of the place's territory (from code_insee, else
// code_postal: La Réunion, Nouvelle-Calédonie, Alsace-Moselle, ...).
// Places whose hours are empty or do not parse never match
// Query.OpenWithin; UnusableHours counts the latter.
type Index struct {
	places    []Place
	tree      *spatial.Tree
	bits      bitLayout
	schedules []*openinghours.Schedule // by place; nil: no usable hours
	skipped   int
	// unusableHours counts located places whose horaires do not parse.
	unusableHours int
	now           func() time.Time
}

// hoursCache parses each distinct (horaires, territory) pair once: many
// places share the same hours, and a million parses would dominate the
// build.
type hoursCache struct {
	schedules map[hoursKey]*openinghours.Schedule
	options   map[string]openinghours.Options // by département
}

type hoursKey struct{ hours, departement string }

func newHoursCache() *hoursCache {
	return &hoursCache{schedules: map[hoursKey]*openinghours.Schedule{}, options: map[string]openinghours.Options{}}
}

// schedule returns the parsed hours of p, evaluated in the time zone and
// with the public holidays of its territory, or nil when they do not parse.
func (c *hoursCache) schedule(p *Place) *openinghours.Schedule {
	dep := calendarDepartement(placeDepartement(p))
	key := hoursKey{p.Hours, dep}
	if s, ok := c.schedules[key]; ok {
		return s
	}
	opts, ok := c.options[dep]
	if !ok {
		opts = openinghours.ForDepartement(dep)
		c.options[dep] = opts
	}
	s, err := openinghours.ParseWith(p.Hours, opts)
	if err != nil {
		s = nil
	}
	c.schedules[key] = s
	return s
}

// calendarDepartement maps a département to one that has the same time
// zone and public holidays, so that the hours of mainland places are
// parsed once, not once per département: Alsace-Moselle and the overseas
// territories keep their own calendars.
func calendarDepartement(dep string) string {
	switch {
	case dep == "57" || dep == "67" || dep == "68":
		return "67"
	case strings.HasPrefix(dep, "97") || strings.HasPrefix(dep, "98"):
		return dep
	}
	return "75"
}

// placeDepartement returns the département (or overseas collectivity)
// code of p from code_insee, else code_postal: "974", "16", "2A"...
func placeDepartement(p *Place) string {
	code := p.INSEECode
	if len(code) != 5 {
		code = p.PostalCode
	}
	if len(code) != 5 {
		return ""
	}
	if code[:2] == "97" || code[:2] == "98" {
		return code[:3]
	}
	return code[:2]
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
	ix.schedules = make([]*openinghours.Schedule, len(places))
	hours := newHoursCache()
	for i := range places {
		p := &places[i]
		if !p.HasLocation() || p.Hours == "" {
			continue
		}
		if s := hours.schedule(p); s != nil {
			ix.schedules[i] = s
			points[i].Mask.Set(ix.bits.hours)
		} else {
			ix.unusableHours++
		}
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

// UnusableHours returns the number of located places whose opening hours
// (horaires) are set but cannot be parsed; they never match
// Query.OpenWithin.
func (ix *Index) UnusableHours() int { return ix.unusableHours }

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
