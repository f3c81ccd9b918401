package evaluation

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// DefaultMaskThreshold is the smallest count of people shown by default.
const DefaultMaskThreshold = 5

// Source streams the records an evaluation reads. Each method calls fn once
// per record, in any order, and stops with fn's first error; the record
// passed to fn is only valid during the call. The period methods may give
// records outside the period (they are ignored) but must give every record
// inside it. Every method must be safe to call concurrently with the others.
type Source interface {
	// Referrals streams the referrals created in the period.
	Referrals(ctx context.Context, p Period, fn func(*referral.Referral) error) error
	// Actions streams the actions dated in the period.
	Actions(ctx context.Context, p Period, fn func(*mediation.Action) error) error
	// Accompaniments streams the accompaniments dated in the period.
	Accompaniments(ctx context.Context, p Period, fn func(*mediation.Accompaniment) error) error
	// Ambassadors, Coordinators and Trainings stream every record.
	Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error
	Coordinators(ctx context.Context, fn func(*mediation.Coordinator) error) error
	Trainings(ctx context.Context, fn func(*mediation.Training) error) error
}

// Options say what to evaluate.
type Options struct {
	// Period is required and must not be empty.
	Period Period
	// At most one of Region, Departement and Commune (INSEE codes); none
	// means France.
	Region, Departement, Commune string
	// Communes places communes in départements, régions and density
	// classes; nil means territory.Default().
	Communes *territory.Reference
	// MaskThreshold is the smallest count of people shown (0 means
	// DefaultMaskThreshold; 1 shows everything).
	MaskThreshold int
	// Targets to report progress against.
	Targets []Target
	// NoPrevious leaves out the previous period (year over year).
	NoPrevious bool
	// Places, when given, put the places and trained places on the map.
	Places []mediation.Place
	// Coverage, when given, is summarised in the report.
	Coverage *coverage.Report
	// Synthetic labels the report as computed from generated data.
	Synthetic bool
	// Now is the clock for GeneratedAt; nil means time.Now.
	Now func() time.Time
}

// PreviousPeriod returns the period of the same length just before p: the
// same calendar span a year (or N months) earlier when p runs from the first
// of a month to the first of a month, else the same duration earlier.
func PreviousPeriod(p Period) Period {
	f, t := p.From, p.To
	if f.Day() == 1 && t.Day() == 1 && isMidnight(f) && isMidnight(t) {
		months := (t.Year()-f.Year())*12 + int(t.Month()-f.Month())
		if months > 0 {
			return Period{From: f.AddDate(0, -months, 0), To: f}
		}
	}
	return Period{From: f.Add(-t.Sub(f)), To: f}
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// Compute reads the source once (the period and the previous one) and builds
// the report. The three streams of dated records are read concurrently, each
// into its own accumulator, then merged.
func Compute(ctx context.Context, src Source, opts Options) (*Report, error) {
	sc, err := newScope(&opts)
	if err != nil {
		return nil, err
	}
	if err := checkTargets(opts.Targets); err != nil {
		return nil, err
	}
	prevScope := sc
	prevScope.period = PreviousPeriod(sc.period)
	span := sc.period
	if !opts.NoPrevious {
		span.From = prevScope.period.From
	}
	const parts = 4 // referrals, actions, accompaniments, network
	cur := make([]*Accumulator, parts)
	prev := make([]*Accumulator, parts)
	for i := range parts {
		cur[i], prev[i] = newAccumulator(sc), newAccumulator(prevScope)
	}
	g := newGroup(ctx)
	gctx := g.ctx
	g.Go(func() error {
		return src.Referrals(gctx, span, func(r *referral.Referral) error {
			cur[0].AddReferral(r)
			prev[0].AddReferral(r)
			return nil
		})
	})
	g.Go(func() error {
		return src.Actions(gctx, span, func(x *mediation.Action) error {
			cur[1].AddAction(x)
			prev[1].AddAction(x)
			return nil
		})
	})
	g.Go(func() error {
		return src.Accompaniments(gctx, span, func(x *mediation.Accompaniment) error {
			cur[2].AddAccompaniment(x)
			prev[2].AddAccompaniment(x)
			return nil
		})
	})
	g.Go(func() error {
		if err := src.Ambassadors(gctx, func(x *mediation.Ambassador) error {
			cur[3].AddAmbassador(x)
			prev[3].AddAmbassador(x)
			return nil
		}); err != nil {
			return err
		}
		if err := src.Coordinators(gctx, func(x *mediation.Coordinator) error {
			cur[3].AddCoordinator(x)
			prev[3].AddCoordinator(x)
			return nil
		}); err != nil {
			return err
		}
		return src.Trainings(gctx, func(x *mediation.Training) error {
			cur[3].AddTraining(x)
			prev[3].AddTraining(x)
			return nil
		})
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("evaluation: reading the source: %w", err)
	}
	for i := 1; i < parts; i++ {
		// Same scopes by construction: Merge cannot fail.
		_ = cur[0].Merge(cur[i])
		_ = prev[0].Merge(prev[i])
	}
	rep := cur[0].build(&opts)
	if !opts.NoPrevious {
		rep.Previous = prev[0].build(&opts)
		rep.Previous.Map = nil
		rep.Previous.Coverage = nil
	}
	return rep, nil
}

// Report builds the report of what was accumulated, with opts' targets,
// places, coverage and labels (the period and territory are the
// accumulator's). It has no Previous.
func (a *Accumulator) Report(opts Options) (*Report, error) {
	if err := checkTargets(opts.Targets); err != nil {
		return nil, err
	}
	return a.build(&opts), nil
}

func (a *Accumulator) build(o *Options) *Report {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	th := a.scope.threshold
	cnt := func(n int64) Count { return mask(n, th) }
	rep := &Report{
		Synthetic:     o.Synthetic,
		GeneratedAt:   now().UTC().Truncate(time.Second),
		Period:        a.scope.period,
		Territory:     a.scope.territory,
		MaskThreshold: th,
		Records:       a.records,
		Definitions:   Definitions(),
	}
	// Network records may be seen in several partitions: count them once.
	rep.Records.Ambassadors = len(a.seenAmb)
	rep.Records.Coordinators = len(a.coordinators)
	rep.Records.Trainings = len(a.trainings)
	rep.Empty = a.records.Referrals == 0 && a.records.Actions == 0 && a.records.Accompaniments == 0

	// Network.
	nActive := int64(len(a.active))
	var trained int64
	byKind := map[string]int64{}
	byRegion := map[string]int64{}
	for id, f := range a.active {
		if _, ok := a.trainedMES[id]; ok {
			trained++
		}
		byKind[string(f.kind)]++
		byRegion[f.region]++
	}
	coordByRegion := map[string]int64{}
	for _, r := range a.coordinators {
		coordByRegion[r]++
	}
	rep.Network = Network{
		ActiveAmbassadors:     cnt(nActive),
		Coordinators:          cnt(int64(len(a.coordinators))),
		TrainedMonEspaceSante: cnt(trained),
		New:                   cnt(int64(len(a.newAmb))),
		Departed:              cnt(int64(len(a.departed))),
		ByKind:                keyCounts(byKind, th),
		ByRegion:              keyCounts(byRegion, th),
		CoordinatorsByRegion:  keyCounts(coordByRegion, th),
	}

	// Actions: counts of actions are events, not people, and are shown
	// whatever their size; counts of people are masked.
	act := a.actions
	hours := float64(act.minutes) / 60
	rep.Actions = Actions{
		Count:             Count{N: int(act.count)},
		PeopleSensitised:  cnt(act.people),
		AccountsActivated: cnt(act.accounts),
		Hours:             Measure{Value: hours},
		ByType:            []ActionTypeRow{},
		ByMonth:           []MonthRow{},
		PerAmbassador: PerAmbassador{
			Actions:          ratio(float64(act.count), nActive, false, th),
			PeopleSensitised: ratio(float64(act.people), nActive, act.people > 0 && act.people < int64(th), th),
			Hours:            ratio(hours, nActive, false, th),
		},
	}
	// Actions per active ambassador, as a histogram for the median.
	var with int64
	perAmb := []int64{}
	for id := range a.active {
		k := a.actionsByAmb[id]
		if k > 0 {
			with++
		}
		for int64(len(perAmb)) <= k {
			perAmb = append(perAmb, 0)
		}
		perAmb[k]++
	}
	rep.Actions.PerAmbassador.WithAction = cnt(with)
	switch med, n := median(perAmb); {
	case n == 0:
		rep.Actions.PerAmbassador.MedianActions = Measure{Undefined: true}
	case n < int64(th):
		rep.Actions.PerAmbassador.MedianActions = Measure{Masked: true}
	default:
		rep.Actions.PerAmbassador.MedianActions = Measure{Value: med}
	}
	for _, t := range sortedKeys(a.actionsByType) {
		c := a.actionsByType[t]
		rep.Actions.ByType = append(rep.Actions.ByType, ActionTypeRow{
			Type:              string(t),
			Count:             Count{N: int(c.count)},
			PeopleSensitised:  cnt(c.people),
			AccountsActivated: cnt(c.accounts),
			Hours:             Measure{Value: float64(c.minutes) / 60},
		})
	}
	months := make([]int, 0, len(a.months))
	for k := range a.months {
		months = append(months, k)
	}
	slices.Sort(months)
	for _, k := range months {
		m := a.months[k]
		rep.Actions.ByMonth = append(rep.Actions.ByMonth, MonthRow{
			Month:            fmt.Sprintf("%04d-%02d", k/12, k%12+1),
			Actions:          Count{N: int(m.actions)},
			PeopleSensitised: cnt(m.people),
			Referrals:        cnt(m.referrals),
			Accompaniments:   cnt(m.accompaniments),
		})
	}
	accAut := map[string]int64{}
	for k, v := range a.accByAutonomy {
		accAut[string(k)] = v
	}
	rep.Actions.Accompaniments = Accompaniments{
		Count:      cnt(a.accompaniments),
		Hours:      Measure{Value: float64(a.accompanimentMinutes) / 60},
		ByAutonomy: orderedKeyCounts(accAut, autonomyOrder(), th),
	}

	// Referrals.
	f := a.funnel
	rep.Referrals = Referrals{
		Funnel: funnel(&f, th),
		Conversion: Conversion{
			Accepted:  share(f[1], f[0], th),
			Scheduled: share(f[2], f[1], th),
			Attended:  share(f[3], f[2], th),
			Completed: share(f[4], f[3], th),
		},
		Declined:  cnt(a.declined),
		NoShows:   cnt(a.noShows),
		Expired:   cnt(a.expired),
		Cancelled: cnt(a.cancel),
		ByPathway: []FunnelRow{},
		ByPlace:   []FunnelRow{},
	}
	med, n := median(a.daysToAttended)
	switch {
	case n == 0:
		rep.Referrals.MedianDaysToAttended = Measure{Undefined: true}
	case n < int64(th):
		rep.Referrals.MedianDaysToAttended = Measure{Masked: true}
	default:
		rep.Referrals.MedianDaysToAttended = Measure{Value: med}
	}
	for _, k := range sortedKeys(a.byPathway) {
		rep.Referrals.ByPathway = append(rep.Referrals.ByPathway, FunnelRow{Key: k, Funnel: funnel(a.byPathway[k], th)})
	}
	for _, k := range sortedKeys(a.byPlace) {
		rep.Referrals.ByPlace = append(rep.Referrals.ByPlace, FunnelRow{Key: k, Funnel: funnel(a.byPlace[k], th)})
	}
	protectFunnels(rep.Referrals.ByPathway, func(k string) *funnelCounts { return a.byPathway[k] }, th)
	protectFunnels(rep.Referrals.ByPlace, func(k string) *funnelCounts { return a.byPlace[k] }, th)

	// Progression.
	aut := map[string]int64{}
	for k, v := range a.autonomy {
		aut[string(k)] = v
	}
	rep.Progression = Progression{
		Assessed:             cnt(a.assessed),
		Rose:                 cnt(a.rose),
		ShareRose:            share(a.rose, a.assessed, th),
		AutonomyAtCompletion: orderedKeyCounts(aut, autonomyOrder(), th),
	}

	// Equity.
	ages := []string{}
	for _, b := range referral.AgeBands() {
		ages = append(ages, string(b))
	}
	rep.Equity = Equity{
		ByAgeBand:     equityRows(a.byAge, append(ages, ""), th),
		ByDensity:     equityRows(a.byDensity, []string{"1", "2", "3", "4", "5", "6", "7", ""}, th),
		ByDepartement: equityRows(a.byDept, nil, th),
	}

	if o.Coverage != nil {
		rep.Coverage = summariseCoverage(o.Coverage)
	}
	rep.Map = a.mapPoints(o.Places)
	rep.Targets = progress(rep, o.Targets)
	return rep
}

func mask(n int64, th int) Count {
	if n > 0 && n < int64(th) {
		return Count{Masked: true}
	}
	return Count{N: int(n)}
}

// share is num/den, masked when either count is, undefined when den is 0.
func share(num, den int64, th int) Measure {
	switch {
	case (num > 0 && num < int64(th)) || (den > 0 && den < int64(th)):
		return Measure{Masked: true}
	case den == 0:
		return Measure{Undefined: true}
	}
	return Measure{Value: float64(num) / float64(den)}
}

// ratio is v per den people; masked when den is a masked count or the
// numerator says so.
func ratio(v float64, den int64, masked bool, th int) Measure {
	switch {
	case masked || (den > 0 && den < int64(th)):
		return Measure{Masked: true}
	case den == 0:
		return Measure{Undefined: true}
	}
	return Measure{Value: v / float64(den)}
}

func funnel(f *funnelCounts, th int) Funnel {
	return Funnel{
		Proposed:  mask(f[0], th),
		Accepted:  mask(f[1], th),
		Scheduled: mask(f[2], th),
		Attended:  mask(f[3], th),
		Completed: mask(f[4], th),
	}
}

func keyCounts(m map[string]int64, th int) []KeyCount {
	out := []KeyCount{}
	for _, k := range sortedKeys(m) {
		out = append(out, KeyCount{Key: k, Count: mask(m[k], th)})
	}
	protectKeyCounts(out, m, th)
	return out
}

// orderedKeyCounts lists every key of order (zero included), then any other
// key of m in key order.
func orderedKeyCounts(m map[string]int64, order []string, th int) []KeyCount {
	out := []KeyCount{}
	for _, k := range order {
		out = append(out, KeyCount{Key: k, Count: mask(m[k], th)})
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(order, k) {
			out = append(out, KeyCount{Key: k, Count: mask(m[k], th)})
		}
	}
	protectKeyCounts(out, m, th)
	return out
}

func autonomyOrder() []string {
	out := []string{}
	for _, a := range referral.Autonomies() {
		out = append(out, string(a))
	}
	return append(out, "")
}

// equityRows lists the keys of order (zero rows included, unknown "" only
// when present), or every key of m in order when order is nil.
func equityRows(m map[string]*equityCounts, order []string, th int) []EquityRow {
	keys := order
	if keys == nil {
		keys = sortedKeys(m)
	}
	out := []EquityRow{}
	raw := []*equityCounts{}
	for _, k := range keys {
		e := m[k]
		if e == nil {
			if k == "" {
				continue
			}
			e = &equityCounts{}
		}
		raw = append(raw, e)
		out = append(out, EquityRow{
			Key:            k,
			Referred:       mask(e.referred, th),
			Attended:       mask(e.attended, th),
			Completed:      mask(e.completed, th),
			AttendanceRate: share(e.attended, e.referred, th),
			Accompaniments: mask(e.accompaniments, th),
			Participants:   mask(e.participants, th),
		})
	}
	protectEquity(out, raw, th)
	return out
}

func summariseCoverage(c *coverage.Report) *Coverage {
	out := &Coverage{
		TrainedPlaces:      c.TrainedPlaces,
		TrainedAmbassadors: c.TrainedAmbassadors,
		PlacesPer10k:       c.PlacesPer10000,
		Bands:              []CoverBand{},
		SupplyDemand:       []SupplyRow{},
		Farthest:           []FarCommune{},
	}
	for _, b := range c.Coverage {
		out.Bands = append(out.Bands, CoverBand{RadiusKm: b.RadiusKm, Share: b.Share, Share60Plus: b.Share60Plus})
	}
	for _, b := range c.Balances {
		out.SupplyDemand = append(out.SupplyDemand, SupplyRow{
			Departement: b.Departement, Name: b.Name, Places: b.Places, Capacity: b.Capacity,
			WeeklyDemand: b.WeeklyDemand, Ratio: b.Ratio, Short: b.Short, CapacityUnknown: b.CapacityUnknown,
		})
	}
	for _, f := range c.Farthest {
		out.Farthest = append(out.Farthest, FarCommune{Code: f.Code, Name: f.Name, DistanceKm: f.DistanceKm})
	}
	return out
}

// mapPoints puts the places of the territory and the referrals on their
// communes' centroids, communes in code order. A trained place holds the
// label « Formé à « Mon Espace Santé » » or has a training of that module
// recorded for its id, as in mediation/coverage.
func (a *Accumulator) mapPoints(places []mediation.Place) []MapPoint {
	type pt struct{ places, trained int }
	pts := map[string]*pt{}
	for i := range places {
		p := &places[i]
		if p.INSEECode == "" {
			continue
		}
		if _, ok := a.scope.commune(p.INSEECode, "", ""); !ok {
			continue
		}
		q := row(pts, p.INSEECode)
		q.places++
		_, trained := a.trainedPlaces[p.ID]
		if trained || slices.Contains(p.Labels, mediation.LabelFormeMonEspaceSante) {
			q.trained++
		}
	}
	for c := range a.referralsByCommune {
		row(pts, c)
	}
	out := []MapPoint{}
	for _, code := range sortedKeys(pts) {
		c, ok := a.scope.ref.Commune(code)
		if !ok {
			continue
		}
		q := pts[code]
		out = append(out, MapPoint{
			Commune: code, Lat: c.Lat, Lon: c.Lon,
			Places: q.places, TrainedPlaces: q.trained,
			Referrals: mask(a.referralsByCommune[code], a.scope.threshold),
		})
	}
	return out
}

// group runs functions concurrently and keeps the first error, cancelling
// the others' context.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

func newGroup(ctx context.Context) *group {
	ctx, cancel := context.WithCancel(ctx)
	return &group{ctx: ctx, cancel: cancel}
}

func (g *group) Go(fn func() error) {
	g.wg.Go(func() {
		if err := fn(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	})
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}
