package coverage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// ErrInvalidInput is wrapped by every error about an Input that cannot be
// computed (no reference, a bad radius, an unknown région, a negative
// capacity); the message names the field.
var ErrInvalidInput = errors.New("coverage: invalid input")

// Defaults of Input.
var defaultRadiiKm = []float64{10, 20, 30}

const defaultFarthest = 20

// Input is what a coverage report is computed from.
type Input struct {
	// Reference gives the communes, their centroid, population and density
	// class, and the share of people 60+ per département. Required.
	Reference *territory.Reference
	// Places is the directory of mediation places.
	Places []mediation.Place
	// Trainings and Ambassadors are the network's records.
	Trainings   []mediation.Training
	Ambassadors []mediation.Ambassador
	// Module is the training that counts (ModuleMonEspaceSante when empty).
	Module string
	// Region restricts the report to one région (INSEE code); "" is the
	// whole country. Trained places across the border still cover.
	Region string
	// RadiiKm are the coverage distances (10, 20, 30 when empty).
	RadiiKm []float64
	// Farthest is how many peu dense and très peu dense communes to list
	// (20 when 0; -1 for none).
	Farthest int
	// Referrals counts the referrals asked of each place (Place.ID →
	// count) over Weeks weeks; Weeks 0 means one week.
	Referrals map[string]int
	Weeks     float64
	// WeeklyCapacity is each place's declared weekly capacity (Place.ID →
	// people per week); places missing from it have DefaultWeeklyCapacity.
	WeeklyCapacity        map[string]int
	DefaultWeeklyCapacity int
}

// Band is the population living within RadiusKm of a trained place.
type Band struct {
	RadiusKm         float64 `json:"radius_km"`
	Population       int     `json:"population"`
	Share            float64 `json:"share"`
	Population60Plus int     `json:"population_60_plus"`
	Share60Plus      float64 `json:"share_60_plus"`
}

// Area is the picture of one région, département or commune.
type Area struct {
	Code               string  `json:"code"`
	Name               string  `json:"nom"`
	TrainedPlaces      int     `json:"trained_places"`
	TrainedAmbassadors int     `json:"trained_ambassadors"`
	Population         int     `json:"population"`
	Population60Plus   int     `json:"population_60_plus"`
	PlacesPer10000     float64 `json:"trained_places_per_10000"`
	Coverage           []Band  `json:"coverage,omitempty"`
}

// FarCommune is a sparsely populated commune and its distance to the
// nearest trained place.
type FarCommune struct {
	Code        string                 `json:"code"`
	Name        string                 `json:"nom"`
	Departement string                 `json:"departement"`
	Density     territory.DensityGroup `json:"densite"`
	Population  int                    `json:"population"`
	DistanceKm  float64                `json:"distance_km"`
	NearestID   string                 `json:"nearest_place_id"`
}

// Balance is supply against demand in one département.
type Balance struct {
	Departement string `json:"departement"`
	Name        string `json:"nom"`
	Places      int    `json:"places"`
	// Capacity is the declared weekly capacity of its places.
	Capacity int `json:"weekly_capacity"`
	// Referrals asked of its places, and the same per week.
	Referrals    int     `json:"referrals"`
	WeeklyDemand float64 `json:"weekly_demand"`
	// Ratio is WeeklyDemand / Capacity; 0 when there is no declared
	// capacity (see CapacityUnknown).
	Ratio float64 `json:"ratio"`
	// Short is true when the demand exceeds the declared capacity (Ratio
	// above 1). A département without declared capacity is not short: its
	// balance is unknown, and CapacityUnknown says so.
	Short bool `json:"short"`
	// CapacityUnknown is true when the département's places receive
	// referrals but none declares a weekly capacity: supply against demand
	// cannot be measured there, which is not the same as a shortage.
	CapacityUnknown bool `json:"capacity_unknown,omitempty"`
}

// Report is the coverage of the scheme over the country or one région.
type Report struct {
	Region string `json:"region,omitempty"`
	Module string `json:"module"`
	// National (or régional) totals.
	Area
	Regions      []Area `json:"regions"`
	Departements []Area `json:"departements"`
	// Communes lists only the communes with a trained place or ambassador.
	Communes []Area       `json:"communes"`
	Farthest []FarCommune `json:"farthest"`
	Balances []Balance    `json:"supply_demand"`
	// Unlocated counts trained places without usable coordinates, not
	// mapped; UnknownReferralPlaces counts referrals to place ids missing
	// from Places, left out of the balances.
	Unlocated             int `json:"unlocated_trained_places"`
	UnknownReferralPlaces int `json:"unknown_referral_places"`
}

// nearestFinder returns, for each query point, the index of the nearest
// trained place and the squared chord.
type nearestFinder func(points []vec) func(q vec) (int, float64)

func treeFinder(points []vec) func(q vec) (int, float64) {
	t := newKDTree(points)
	return t.nearest
}

func bruteFinder(points []vec) func(q vec) (int, float64) {
	return func(q vec) (int, float64) { return bruteNearest(points, q) }
}

// Compute builds the report.
func Compute(ctx context.Context, in Input) (*Report, error) {
	return compute(ctx, in, treeFinder)
}

type areaAcc struct {
	Area
	covered, covered60 []float64
	pop60              float64
}

func newAcc(code, name string, radii int) *areaAcc {
	return &areaAcc{Area: Area{Code: code, Name: name}, covered: make([]float64, radii), covered60: make([]float64, radii)}
}

func compute(ctx context.Context, in Input, finder nearestFinder) (*Report, error) {
	ref := in.Reference
	if ref == nil {
		return nil, fmt.Errorf("%w: reference: required", ErrInvalidInput)
	}
	radii := in.RadiiKm
	if len(radii) == 0 {
		radii = defaultRadiiKm
	}
	for i, r := range radii {
		if !(r > 0) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("%w: radii_km[%d]: %v is not a positive distance", ErrInvalidInput, i, r)
		}
	}
	if in.Region != "" {
		if _, ok := ref.Region(in.Region); !ok {
			return nil, fmt.Errorf("%w: region: %q is not a région code", ErrInvalidInput, in.Region)
		}
	}
	weeks := in.Weeks
	if weeks == 0 {
		weeks = 1
	}
	if !(weeks > 0) || math.IsInf(weeks, 0) {
		return nil, fmt.Errorf("%w: weeks: %v is not a positive number", ErrInvalidInput, in.Weeks)
	}
	if in.DefaultWeeklyCapacity < 0 {
		return nil, fmt.Errorf("%w: default_weekly_capacity: %d is negative", ErrInvalidInput, in.DefaultWeeklyCapacity)
	}
	for _, id := range sortedKeys(in.WeeklyCapacity) {
		if in.WeeklyCapacity[id] < 0 {
			return nil, fmt.Errorf("%w: weekly_capacity[%q]: %d is negative", ErrInvalidInput, id, in.WeeklyCapacity[id])
		}
	}
	for _, id := range sortedKeys(in.Referrals) {
		if in.Referrals[id] < 0 {
			return nil, fmt.Errorf("%w: referrals[%q]: %d is negative", ErrInvalidInput, id, in.Referrals[id])
		}
	}
	module := in.Module
	if module == "" {
		module = mediation.ModuleMonEspaceSante
	}
	farN := in.Farthest
	if farN == 0 {
		farN = defaultFarthest
	}

	// Trained places and ambassadors.
	trainedPlace := make(map[string]bool)
	trainedAmb := make(map[uuid.UUID]bool)
	for i := range in.Trainings {
		t := &in.Trainings[i]
		if t.Module != module {
			continue
		}
		if t.PlaceID != "" {
			trainedPlace[t.PlaceID] = true
		}
		if t.AmbassadorID != uuid.Nil {
			trainedAmb[t.AmbassadorID] = true
		}
	}
	placeCommune := make(map[string]territory.Commune, len(in.Places))
	var trainedPts []vec
	var trainedIDs []string
	rep := &Report{Region: in.Region, Module: module}
	inScope := func(region string) bool { return in.Region == "" || region == in.Region }

	regions := map[string]*areaAcc{}
	deps := map[string]*areaAcc{}
	communes := map[string]*areaAcc{}
	regionAcc := func(code string) *areaAcc {
		a := regions[code]
		if a == nil {
			r, _ := ref.Region(code)
			a = newAcc(code, r.Name, len(radii))
			regions[code] = a
		}
		return a
	}
	depAcc := func(code string) *areaAcc {
		a := deps[code]
		if a == nil {
			d, _ := ref.Departement(code)
			a = newAcc(code, d.Name, len(radii))
			deps[code] = a
		}
		return a
	}
	communeAcc := func(c territory.Commune) *areaAcc {
		a := communes[c.Code]
		if a == nil {
			a = newAcc(c.Code, c.Name, len(radii))
			communes[c.Code] = a
		}
		return a
	}

	for i := range in.Places {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := &in.Places[i]
		c, ok := communeOf(ref, p)
		if ok {
			placeCommune[p.ID] = c
		}
		if !p.HasLabel(mediation.LabelFormeMonEspaceSante) && !trainedPlace[p.ID] {
			continue
		}
		pt, located := p.Location()
		if !located {
			if !ok || inScope(c.Region) {
				rep.Unlocated++
			}
			continue
		}
		trainedPts = append(trainedPts, unit(pt.Lat, pt.Lon))
		trainedIDs = append(trainedIDs, p.ID)
		if ok && inScope(c.Region) {
			regionAcc(c.Region).TrainedPlaces++
			depAcc(c.Departement).TrainedPlaces++
			communeAcc(c).TrainedPlaces++
			rep.TrainedPlaces++
		}
	}

	// Ambassadors: each counts once per area.
	for i := range in.Ambassadors {
		a := &in.Ambassadors[i]
		if !trainedAmb[a.ID] || a.Status == mediation.AmbassadorLeft {
			continue
		}
		seenC, seenD := map[string]bool{}, map[string]bool{}
		addCommune := func(c territory.Commune) {
			if !seenC[c.Code] && inScope(c.Region) {
				seenC[c.Code] = true
				communeAcc(c).TrainedAmbassadors++
			}
			seenD[c.Departement] = true
		}
		for _, id := range a.PlaceIDs {
			if c, ok := placeCommune[id]; ok {
				addCommune(c)
			}
		}
		for _, code := range a.Communes {
			if c, ok := ref.Commune(code); ok {
				addCommune(c)
			}
		}
		for _, d := range a.Departements {
			seenD[d] = true
		}
		for d := range seenD {
			if dd, ok := ref.Departement(d); ok && inScope(dd.Region) {
				depAcc(d).TrainedAmbassadors++
			}
		}
		if inScope(a.Region) {
			if _, ok := ref.Region(a.Region); ok {
				regionAcc(a.Region).TrainedAmbassadors++
			}
			rep.TrainedAmbassadors++
		}
	}

	// Coverage, commune by commune.
	nearest := finder(trainedPts)
	national := newAcc("", "", len(radii))
	var far []FarCommune
	n := 0
	for c := range ref.All() {
		if !inScope(c.Region) {
			continue
		}
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		share60 := 0.0
		if d, ok := ref.Departement(c.Departement); ok {
			share60 = d.Share60Plus
		}
		pop60 := float64(c.Population) * share60
		targets := []*areaAcc{national, regionAcc(c.Region), depAcc(c.Departement)}
		if ca := communes[c.Code]; ca != nil {
			targets = append(targets, ca)
		}
		for _, t := range targets {
			t.Population += c.Population
			t.pop60 += pop60
		}
		if len(trainedPts) == 0 || (c.Lat == 0 && c.Lon == 0) {
			continue
		}
		idx, ch := nearest(unit(c.Lat, c.Lon))
		// Great-circle distance from the chord, on the same sphere as
		// mediation.DistanceKm.
		km := 2 * territory.EarthRadiusKm * math.Asin(min(1, math.Sqrt(ch)/2))
		for r, radius := range radii {
			if km <= radius {
				for _, t := range targets {
					t.covered[r] += float64(c.Population)
					t.covered60[r] += pop60
				}
			}
		}
		if g := c.Density.Group(); farN > 0 && (g == territory.LowDensity || g == territory.VeryLowDensity) {
			far = keepFarthest(far, farN, FarCommune{Code: c.Code, Name: c.Name, Departement: c.Departement, Density: g,
				Population: c.Population, DistanceKm: round(km, 1), NearestID: trainedIDs[idx]})
		}
	}

	national.TrainedPlaces, national.TrainedAmbassadors = rep.TrainedPlaces, rep.TrainedAmbassadors
	rep.Area = national.finish(radii)
	rep.Regions = finishAll(regions, radii)
	rep.Departements = finishAll(deps, radii)
	rep.Communes = finishAll(communes, radii)
	for i := range rep.Communes {
		rep.Communes[i].Coverage = nil
	}
	rep.Farthest = far
	if rep.Farthest == nil {
		rep.Farthest = []FarCommune{}
	}
	rep.Balances, rep.UnknownReferralPlaces = balances(ref, in, placeCommune, inScope, weeks)
	return rep, nil
}

// fartherFirst orders far communes: farthest first, then by code.
func fartherFirst(a, b FarCommune) int {
	if c := cmp.Compare(b.DistanceKm, a.DistanceKm); c != 0 {
		return c
	}
	return cmp.Compare(a.Code, b.Code)
}

// keepFarthest inserts f into far (sorted by fartherFirst, at most n long):
// only the n farthest are kept, so 25,000 sparse communes are never sorted.
func keepFarthest(far []FarCommune, n int, f FarCommune) []FarCommune {
	if len(far) == n && fartherFirst(f, far[n-1]) >= 0 {
		return far
	}
	i, _ := slices.BinarySearchFunc(far, f, fartherFirst)
	if len(far) == n {
		far = far[:n-1]
	}
	return slices.Insert(far, i, f)
}

func communeOf(ref *territory.Reference, p *mediation.Place) (territory.Commune, bool) {
	if p.INSEECode != "" {
		if c, ok := ref.Commune(p.INSEECode); ok {
			return c, true
		}
	}
	if pt, ok := p.Location(); ok {
		c, km := ref.Nearest(pt.Lat, pt.Lon)
		if c.Code != "" && km < mediation.SuspiciousDistanceKm {
			return c, true
		}
	}
	return territory.Commune{}, false
}

func (a *areaAcc) finish(radii []float64) Area {
	out := a.Area
	out.Population60Plus = int(math.Round(a.pop60))
	if out.Population > 0 {
		out.PlacesPer10000 = round(float64(out.TrainedPlaces)*10000/float64(out.Population), 3)
	}
	out.Coverage = make([]Band, len(radii))
	for i, r := range radii {
		b := Band{RadiusKm: r, Population: int(a.covered[i]), Population60Plus: int(math.Round(a.covered60[i]))}
		if out.Population > 0 {
			b.Share = round(a.covered[i]/float64(out.Population), 4)
		}
		if a.pop60 > 0 {
			b.Share60Plus = round(a.covered60[i]/a.pop60, 4)
		}
		out.Coverage[i] = b
	}
	return out
}

func finishAll(m map[string]*areaAcc, radii []float64) []Area {
	out := make([]Area, 0, len(m))
	for _, code := range sortedKeys(m) {
		out = append(out, m[code].finish(radii))
	}
	return out
}

func balances(ref *territory.Reference, in Input, placeCommune map[string]territory.Commune, inScope func(string) bool, weeks float64) ([]Balance, int) {
	by := map[string]*Balance{}
	get := func(c territory.Commune) *Balance {
		b := by[c.Departement]
		if b == nil {
			d, _ := ref.Departement(c.Departement)
			b = &Balance{Departement: c.Departement, Name: d.Name}
			by[c.Departement] = b
		}
		return b
	}
	for i := range in.Places {
		p := &in.Places[i]
		c, ok := placeCommune[p.ID]
		if !ok || !inScope(c.Region) {
			continue
		}
		b := get(c)
		b.Places++
		if capacity, ok := in.WeeklyCapacity[p.ID]; ok {
			b.Capacity += capacity
		} else {
			b.Capacity += in.DefaultWeeklyCapacity
		}
	}
	unknown := 0
	for _, id := range sortedKeys(in.Referrals) {
		c, ok := placeCommune[id]
		if !ok {
			unknown += in.Referrals[id]
			continue
		}
		if inScope(c.Region) {
			get(c).Referrals += in.Referrals[id]
		}
	}
	out := make([]Balance, 0, len(by))
	for _, d := range sortedKeys(by) {
		b := *by[d]
		b.WeeklyDemand = round(float64(b.Referrals)/weeks, 2)
		switch {
		case b.Capacity > 0:
			b.Ratio = round(float64(b.Referrals)/weeks/float64(b.Capacity), 3)
		case b.Referrals > 0:
			b.CapacityUnknown = true
		}
		b.Short = b.Ratio > 1
		out = append(out, b)
	}
	return out, unknown
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
