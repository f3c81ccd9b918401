package territory

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"sync"
)

// Reference is a loaded set of communes, départements and régions with
// their lookup indexes. It is immutable once loaded and safe for
// concurrent use. Communes returned by its methods share their PostalCodes
// and Indicators with the reference: do not modify them.
type Reference struct {
	communes     []Commune          // sorted by code
	byPostal     map[string][]int32 // most populous first
	departements map[string]Departement
	regions      map[string]Region
	depByName    map[string]string // folded name -> code, for "Saint-Denis Réunion"
	// The name and point indexes are built on first use: a caller that
	// only looks codes up (an importer, "communes show") never pays for
	// them. Once built they are never modified.
	names  func() *nameIndex
	points func() *latIndex
}

// defaultRef holds the embedded reference once decoded: it is written once
// under sync.Once and never modified, so sharing it is safe.
var defaultRef = sync.OnceValues(func() (*Reference, error) {
	return Load(context.Background(), Embedded())
})

// Default returns the embedded reference, decoded on first use and shared
// afterwards.
func Default() (*Reference, error) { return defaultRef() }

// Load builds a Reference from src, checking it: every error wraps
// ErrInvalidReference and names the record and field at fault. Load keeps
// the slices src returns (it copies the communes only when they are not
// sorted by code): a Source must not modify them afterwards.
func Load(ctx context.Context, src Source) (*Reference, error) {
	regions, err := src.Regions(ctx)
	if err != nil {
		return nil, fmt.Errorf("territory: regions: %w", err)
	}
	deps, err := src.Departements(ctx)
	if err != nil {
		return nil, fmt.Errorf("territory: departements: %w", err)
	}
	communes, err := src.Communes(ctx)
	if err != nil {
		return nil, fmt.Errorf("territory: communes: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &Reference{
		regions:      make(map[string]Region, len(regions)),
		departements: make(map[string]Departement, len(deps)),
		depByName:    make(map[string]string, len(deps)),
		byPostal:     make(map[string][]int32, len(communes)),
	}
	for i, g := range regions {
		if g.Code == "" {
			return nil, fmt.Errorf("%w: region %d: empty code", ErrInvalidReference, i)
		}
		if _, dup := r.regions[g.Code]; dup {
			return nil, fmt.Errorf("%w: region %q: duplicate code", ErrInvalidReference, g.Code)
		}
		r.regions[g.Code] = g
	}
	for i, d := range deps {
		switch {
		case d.Code == "":
			return nil, fmt.Errorf("%w: departement %d: empty code", ErrInvalidReference, i)
		case d.Region != "" && !r.hasRegion(d.Region):
			return nil, fmt.Errorf("%w: departement %q: field region: unknown region %q", ErrInvalidReference, d.Code, d.Region)
		case d.Population < 0 || d.Population60Plus < 0 || d.Population60Plus > d.Population:
			return nil, fmt.Errorf("%w: departement %q: field population_60_plus: %d of %d people", ErrInvalidReference, d.Code, d.Population60Plus, d.Population)
		}
		if _, dup := r.departements[d.Code]; dup {
			return nil, fmt.Errorf("%w: departement %q: duplicate code", ErrInvalidReference, d.Code)
		}
		if d.Share60Plus == 0 && d.Population > 0 {
			d.Share60Plus = float64(d.Population60Plus) / float64(d.Population)
		}
		r.departements[d.Code] = d
		if f := Fold(d.Name); f != "" {
			r.depByName[f] = d.Code
			if a := stripArticle(f); a != f {
				r.depByName[a] = d.Code // "Reunion" for La Réunion
			}
		}
	}
	if len(communes) > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d communes is too many", ErrInvalidReference, len(communes))
	}
	r.communes = communes
	if !slices.IsSortedFunc(r.communes, byCode) {
		r.communes = slices.Clone(communes)
		slices.SortFunc(r.communes, byCode)
	}
	for i, c := range r.communes {
		where := func(field string) string { return fmt.Sprintf("commune %q: field %s", c.Code, field) }
		switch {
		case c.Code == "":
			return nil, fmt.Errorf("%w: commune %q: empty code", ErrInvalidReference, c.Name)
		case c.Name == "":
			return nil, fmt.Errorf("%w: %s: empty", ErrInvalidReference, where("nom"))
		case i > 0 && r.communes[i-1].Code == c.Code:
			return nil, fmt.Errorf("%w: commune %q: duplicate code", ErrInvalidReference, c.Code)
		case !(c.Lat >= -90 && c.Lat <= 90):
			return nil, fmt.Errorf("%w: %s: %v out of [-90, 90]", ErrInvalidReference, where("lat"), c.Lat)
		case !(c.Lon >= -180 && c.Lon <= 180):
			return nil, fmt.Errorf("%w: %s: %v out of [-180, 180]", ErrInvalidReference, where("lon"), c.Lon)
		case c.Population < 0:
			return nil, fmt.Errorf("%w: %s: negative", ErrInvalidReference, where("population"))
		case c.Density != DensityUnknown && !c.Density.Valid():
			return nil, fmt.Errorf("%w: %s: %d is not 0..7", ErrInvalidReference, where("densite"), c.Density)
		case !r.hasDepartement(c.Departement):
			return nil, fmt.Errorf("%w: %s: unknown departement %q", ErrInvalidReference, where("departement"), c.Departement)
		case c.Region != "" && !r.hasRegion(c.Region):
			return nil, fmt.Errorf("%w: %s: unknown region %q", ErrInvalidReference, where("region"), c.Region)
		}
		for _, cp := range c.PostalCodes {
			r.byPostal[cp] = append(r.byPostal[cp], int32(i))
		}
	}
	for _, list := range r.byPostal {
		slices.SortStableFunc(list, r.morePopulous)
	}
	r.names = sync.OnceValue(func() *nameIndex { return buildNameIndex(r.communes) })
	r.points = sync.OnceValue(func() *latIndex { return buildLatIndex(r.communes) })
	return r, nil
}

func byCode(a, b Commune) int { return cmp.Compare(a.Code, b.Code) }

func (r *Reference) hasRegion(code string) bool { _, ok := r.regions[code]; return ok }

func (r *Reference) hasDepartement(code string) bool {
	_, ok := r.departements[code]
	return ok
}

// morePopulous orders commune indexes most populous first, then by code.
func (r *Reference) morePopulous(a, b int32) int {
	if c := cmp.Compare(r.communes[b].Population, r.communes[a].Population); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// index finds code by binary search: the communes are sorted by code, so
// no map is needed.
func (r *Reference) index(code string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(r.communes, code, func(c Commune, code string) int { return cmp.Compare(c.Code, code) })
	return int32(i), ok
}

// Len is the number of communes.
func (r *Reference) Len() int { return len(r.communes) }

// Commune returns the commune with INSEE code code.
func (r *Reference) Commune(code string) (Commune, bool) {
	if i, ok := r.index(code); ok {
		return r.communes[i], true
	}
	return Commune{}, false
}

// ByPostalCode returns every commune that shares postal code cp, most
// populous first. Arrondissement codes (75001, 69003, 13008) give Paris,
// Lyon and Marseille. CEDEX codes are not postal codes of communes and
// give nothing.
func (r *Reference) ByPostalCode(cp string) []Commune {
	list := r.byPostal[cp]
	out := make([]Commune, len(list))
	for k, i := range list {
		out[k] = r.communes[i]
	}
	return out
}

// Departement returns the département with code code ("12", "2A", "971").
func (r *Reference) Departement(code string) (Departement, bool) {
	d, ok := r.departements[code]
	return d, ok
}

// Region returns the région with code code ("76").
func (r *Reference) Region(code string) (Region, bool) {
	g, ok := r.regions[code]
	return g, ok
}

// Departements returns every département sorted by code.
func (r *Reference) Departements() []Departement {
	out := make([]Departement, 0, len(r.departements))
	for _, d := range r.departements {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Departement) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// Communes returns a copy of the list of communes, sorted by code.
func (r *Reference) Communes() []Commune { return slices.Clone(r.communes) }

// All iterates over the communes in code order without copying the list.
func (r *Reference) All() iter.Seq[Commune] {
	return func(yield func(Commune) bool) {
		for _, c := range r.communes {
			if !yield(c) {
				return
			}
		}
	}
}
