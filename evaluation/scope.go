package evaluation

import (
	"fmt"
	"slices"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// scope is the period and territory an accumulator keeps, with the
// reference that places a commune.
type scope struct {
	period    Period
	territory Territory
	threshold int
	ref       *territory.Reference
	// cache remembers placed communes: a map lookup is several times
	// cheaper than the reference's search. Each accumulator has its own.
	cache map[string]cachedCommune
}

type cachedCommune struct {
	info communeInfo
	ok   bool
}

type communeInfo struct {
	departement, region, density string
}

func newScope(o *Options) (scope, error) {
	p := o.Period
	if p.From.IsZero() || p.To.IsZero() {
		return scope{}, fmt.Errorf("%w: from and to are both required", ErrEmptyPeriod)
	}
	if !p.To.After(p.From) {
		return scope{}, fmt.Errorf("%w: to (%s) is not after from (%s)", ErrEmptyPeriod,
			p.To.Format(time.DateOnly), p.From.Format(time.DateOnly))
	}
	th := o.MaskThreshold
	if th == 0 {
		th = DefaultMaskThreshold
	}
	if th < 1 {
		return scope{}, fmt.Errorf("%w: mask threshold %d is below 1", ErrInvalidOptions, th)
	}
	ref := o.Communes
	if ref == nil {
		var err error
		if ref, err = territory.Default(); err != nil {
			return scope{}, err
		}
	}
	sc := scope{period: p, threshold: th, ref: ref}
	set := 0
	for _, c := range []string{o.Region, o.Departement, o.Commune} {
		if c != "" {
			set++
		}
	}
	if set > 1 {
		return scope{}, fmt.Errorf("%w: give one of region, departement and commune, not %d", ErrInvalidOptions, set)
	}
	switch {
	case o.Region != "":
		r, ok := ref.Region(o.Region)
		if !ok {
			return scope{}, fmt.Errorf("%w: région %q is not in the reference", ErrUnknownTerritory, o.Region)
		}
		sc.territory = Territory{Level: LevelRegion, Code: o.Region, Name: r.Name}
	case o.Departement != "":
		d, ok := ref.Departement(o.Departement)
		if !ok {
			return scope{}, fmt.Errorf("%w: département %q is not in the reference", ErrUnknownTerritory, o.Departement)
		}
		sc.territory = Territory{Level: LevelDepartement, Code: o.Departement, Name: d.Name}
	case o.Commune != "":
		c, ok := ref.Commune(o.Commune)
		if !ok {
			return scope{}, fmt.Errorf("%w: commune %q is not in the reference", ErrUnknownTerritory, o.Commune)
		}
		sc.territory = Territory{Level: LevelCommune, Code: o.Commune, Name: c.Name}
	default:
		sc.territory = Territory{Level: LevelFrance, Name: "France"}
	}
	return sc, nil
}

func (s *scope) same(t *scope) bool {
	return s.period.From.Equal(t.period.From) && s.period.To.Equal(t.period.To) &&
		s.territory == t.territory && s.threshold == t.threshold
}

func (s *scope) inPeriod(t time.Time) bool {
	return !t.Before(s.period.From) && t.Before(s.period.To)
}

// info places a commune; unknown or empty codes give an empty info.
func (s *scope) info(code string) (communeInfo, bool) {
	if code == "" {
		return communeInfo{}, false
	}
	if e, ok := s.cache[code]; ok {
		return e.info, e.ok
	}
	var e cachedCommune
	if c, ok := s.ref.Commune(code); ok {
		e = cachedCommune{communeInfo{departement: c.Departement, region: c.Region, density: densityKey(c.Density)}, true}
	}
	if s.cache != nil {
		s.cache[code] = e
	}
	return e.info, e.ok
}

// commune places a record by its commune, or by the département and région
// it carries when the commune is unknown, and says whether it lies in the
// territory. At the France level every record does, placed or not.
func (s *scope) commune(code, dept, region string) (communeInfo, bool) {
	ci, ok := s.info(code)
	if !ok {
		ci = communeInfo{departement: dept, region: region}
		if dept != "" && region == "" {
			if d, ok := s.ref.Departement(dept); ok {
				ci.region = d.Region
			}
		}
	}
	switch s.territory.Level {
	case LevelRegion:
		return ci, ci.region == s.territory.Code
	case LevelDepartement:
		return ci, ci.departement == s.territory.Code
	case LevelCommune:
		return ci, code == s.territory.Code
	}
	return ci, true
}

func (s *scope) hasRegion(region string) bool {
	switch s.territory.Level {
	case LevelFrance:
		return true
	case LevelRegion:
		return region == s.territory.Code
	case LevelDepartement:
		d, ok := s.ref.Departement(s.territory.Code)
		return ok && d.Region == region
	}
	c, ok := s.ref.Commune(s.territory.Code)
	return ok && c.Region == region
}

// servedBy says whether an ambassador acts in the territory: its région, a
// département it serves (directly or through a commune), or a commune it
// serves.
func (s *scope) servedBy(a *mediation.Ambassador) bool {
	switch s.territory.Level {
	case LevelFrance:
		return true
	case LevelRegion:
		return a.Region == s.territory.Code
	case LevelDepartement:
		if slices.Contains(a.Departements, s.territory.Code) {
			return true
		}
		for _, c := range a.Communes {
			if ci, ok := s.info(c); ok && ci.departement == s.territory.Code {
				return true
			}
		}
		return false
	}
	return slices.Contains(a.Communes, s.territory.Code)
}
