package evaluation

import (
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// maxDays bounds the histogram of days from proposal to attendance; longer
// delays count as maxDays (ten years: none is expected).
const maxDays = 3660

// funnelCounts counts the referrals that reached each step.
type funnelCounts [5]int64

func (f *funnelCounts) add(g *funnelCounts) {
	for i := range f {
		f[i] += g[i]
	}
}

// equityCounts is one row of an equity table.
type equityCounts struct {
	referred, attended, completed, accompaniments, participants int64
}

func (e *equityCounts) add(g *equityCounts) {
	e.referred += g.referred
	e.attended += g.attended
	e.completed += g.completed
	e.accompaniments += g.accompaniments
	e.participants += g.participants
}

type actionCounts struct {
	count, people, accounts int64
	minutes                 int64 // ambassador-minutes
}

func (a *actionCounts) add(b *actionCounts) {
	a.count += b.count
	a.people += b.people
	a.accounts += b.accounts
	a.minutes += b.minutes
}

type monthCounts struct {
	actions, people, referrals, accompaniments int64
}

type ambassadorFacts struct {
	kind   mediation.AmbassadorKind
	region string
}

// Accumulator gathers the figures of one period and territory from records
// given in any order. Two accumulators of the same options merge into the
// accumulator of the union of their records, so a report can be computed in
// one pass, by région then merged, or in parallel with the same result.
// Records outside the period or the territory are ignored. An Accumulator is
// not safe for concurrent use: give each goroutine its own and Merge them.
type Accumulator struct {
	scope scope

	records RecordCounts

	// Network: ambassadors and coordinators are few, and kept by id so
	// that a record seen twice (in two partitions) counts once.
	active     map[uuid.UUID]ambassadorFacts
	newAmb     map[uuid.UUID]struct{}
	departed   map[uuid.UUID]struct{}
	trainedMES map[uuid.UUID]struct{}
	seenAmb    map[uuid.UUID]struct{}
	trainings  map[uuid.UUID]struct{}
	// trainedPlaces are place ids whose team followed the module.
	trainedPlaces map[string]struct{}
	coordinators  map[uuid.UUID]string // id → région

	actions       actionCounts
	actionsByAmb  map[uuid.UUID]int64
	actionsByType map[mediation.ActionType]*actionCounts
	months        map[int]*monthCounts // year*12 + month-1

	accompaniments       int64
	accompanimentMinutes int64
	accByAutonomy        map[mediation.Autonomy]int64

	funnel            funnelCounts
	declined, noShows int64
	expired, cancel   int64
	daysToAttended    []int64 // histogram, index = whole days
	byPathway         map[string]*funnelCounts
	byPlace           map[string]*funnelCounts

	assessed, rose int64
	autonomy       map[referral.Autonomy]int64

	byAge     map[string]*equityCounts
	byDensity map[string]*equityCounts
	byDept    map[string]*equityCounts

	referralsByCommune map[string]int64
}

// NewAccumulator returns an empty accumulator for opts' period and
// territory. It fails like Compute on a bad period or territory.
func NewAccumulator(opts Options) (*Accumulator, error) {
	sc, err := newScope(&opts)
	if err != nil {
		return nil, err
	}
	return newAccumulator(sc), nil
}

func newAccumulator(sc scope) *Accumulator {
	sc.cache = map[string]cachedCommune{}
	return &Accumulator{
		scope:              sc,
		active:             map[uuid.UUID]ambassadorFacts{},
		newAmb:             map[uuid.UUID]struct{}{},
		departed:           map[uuid.UUID]struct{}{},
		trainedMES:         map[uuid.UUID]struct{}{},
		seenAmb:            map[uuid.UUID]struct{}{},
		trainings:          map[uuid.UUID]struct{}{},
		trainedPlaces:      map[string]struct{}{},
		coordinators:       map[uuid.UUID]string{},
		actionsByType:      map[mediation.ActionType]*actionCounts{},
		actionsByAmb:       map[uuid.UUID]int64{},
		months:             map[int]*monthCounts{},
		accByAutonomy:      map[mediation.Autonomy]int64{},
		daysToAttended:     make([]int64, maxDays+1),
		byPathway:          map[string]*funnelCounts{},
		byPlace:            map[string]*funnelCounts{},
		autonomy:           map[referral.Autonomy]int64{},
		byAge:              map[string]*equityCounts{},
		byDensity:          map[string]*equityCounts{},
		byDept:             map[string]*equityCounts{},
		referralsByCommune: map[string]int64{},
	}
}

func (a *Accumulator) month(t time.Time) *monthCounts {
	y, mo, _ := t.UTC().Date()
	k := y*12 + int(mo) - 1
	m := a.months[k]
	if m == nil {
		m = &monthCounts{}
		a.months[k] = m
	}
	return m
}

func row[K comparable, V any](m map[K]*V, k K) *V {
	v := m[k]
	if v == nil {
		v = new(V)
		m[k] = v
	}
	return v
}

// Step ranks of the funnel; -1 is not a step.
func stepRank(s referral.Status) int {
	switch s {
	case referral.StatusProposed:
		return 0
	case referral.StatusAccepted:
		return 1
	case referral.StatusScheduled, referral.StatusNoShow:
		return 2
	case referral.StatusAttended:
		return 3
	case referral.StatusCompleted:
		return 4
	}
	return -1
}

// AddReferral counts a referral created in the period whose person lives in
// the territory.
func (a *Accumulator) AddReferral(r *referral.Referral) {
	if !a.scope.inPeriod(r.CreatedAt) {
		return
	}
	place, ok := a.scope.commune(r.Commune, "", "")
	if !ok {
		return
	}
	a.records.Referrals++
	reached := 0
	var declined, noShow bool
	var attendedAt time.Time
	for i := range r.History {
		h := &r.History[i]
		if k := stepRank(h.To); k > reached {
			reached = k
		}
		switch h.To {
		case referral.StatusDeclined:
			declined = true
		case referral.StatusNoShow:
			noShow = true
		case referral.StatusAttended:
			if attendedAt.IsZero() {
				attendedAt = h.At
			}
		}
	}
	if k := stepRank(r.Status); k > reached {
		reached = k
	}
	var f funnelCounts
	for i := 0; i <= reached; i++ {
		f[i] = 1
	}
	a.funnel.add(&f)
	row(a.byPathway, string(r.Pathway)).add(&f)
	if r.PlaceID != "" {
		row(a.byPlace, r.PlaceID).add(&f)
	}
	if declined || r.Status == referral.StatusDeclined {
		a.declined++
	}
	if noShow {
		a.noShows++
	}
	switch r.Status {
	case referral.StatusExpired:
		a.expired++
	case referral.StatusCancelled:
		a.cancel++
	}
	if reached >= 3 && !attendedAt.IsZero() {
		d := int(attendedAt.Sub(r.CreatedAt) / (24 * time.Hour))
		a.daysToAttended[min(max(d, 0), maxDays)]++
	}
	if reached == 4 {
		a.autonomy[r.Autonomy]++
		if r.FollowUp != nil {
			a.assessed++
			if r.FollowUp.Level.Rank() > r.Assessment.Level.Rank() {
				a.rose++
			}
		}
	}
	e := equityCounts{referred: 1, attended: f[3], completed: f[4]}
	row(a.byAge, string(r.AgeBand)).add(&e)
	row(a.byDensity, place.density).add(&e)
	row(a.byDept, place.departement).add(&e)
	if r.Commune != "" {
		a.referralsByCommune[r.Commune]++
	}
	a.month(r.CreatedAt).referrals++
}

// AddAction counts an action dated in the period and held in the territory.
func (a *Accumulator) AddAction(x *mediation.Action) {
	if !a.scope.inPeriod(x.Date) {
		return
	}
	where, ok := a.scope.commune(x.Commune, x.Departement, x.Region)
	if !ok {
		return
	}
	a.records.Actions++
	if n := x.Participants.AgeTotal(); n > 0 {
		for band, k := range x.Participants.ByAge {
			row(a.byAge, accompanimentAge(band)).participants += int64(k)
		}
		row(a.byDensity, where.density).participants += int64(n)
		row(a.byDept, where.departement).participants += int64(n)
	}
	c := actionCounts{
		count:    1,
		people:   int64(x.PeopleSensitised),
		accounts: int64(x.AccountsActivated),
		minutes:  int64(x.DurationMinutes) * int64(max(len(x.AmbassadorIDs), 1)),
	}
	a.actions.add(&c)
	row(a.actionsByType, x.Type).add(&c)
	for _, id := range x.AmbassadorIDs {
		a.actionsByAmb[id]++
	}
	m := a.month(x.Date)
	m.actions++
	m.people += c.people
}

// accompanimentAge maps La Coop's age bands onto the referral's.
func accompanimentAge(b mediation.AgeBand) string {
	switch b {
	case mediation.AgeUnder12, mediation.Age12To17:
		return string(referral.AgeUnder18)
	case mediation.Age70Plus:
		return string(referral.Age70Plus)
	case mediation.AgeUndefined:
		return ""
	}
	return string(b)
}

// AddAccompaniment counts an accompaniment dated in the period and given in
// the territory.
func (a *Accumulator) AddAccompaniment(x *mediation.Accompaniment) {
	if !a.scope.inPeriod(x.Date) {
		return
	}
	if _, ok := a.scope.commune(x.Commune, x.Departement, x.Region); !ok {
		return
	}
	a.records.Accompaniments++
	a.accompaniments++
	if x.ActionID == uuid.Nil {
		a.accompanimentMinutes += int64(x.DurationMinutes)
	}
	a.accByAutonomy[x.Autonomy]++
	// Equity looks at where the person lives when it is recorded.
	home, _ := a.scope.info(x.ResidenceCommune)
	if x.ResidenceCommune == "" {
		home, _ = a.scope.info(x.Commune)
	}
	if home.departement == "" {
		home.departement = x.Departement
	}
	e := equityCounts{accompaniments: 1}
	row(a.byAge, accompanimentAge(x.AgeBand)).add(&e)
	row(a.byDensity, home.density).add(&e)
	row(a.byDept, home.departement).add(&e)
	a.month(x.Date).accompaniments++
}

// AddAmbassador counts an ambassador of the territory.
func (a *Accumulator) AddAmbassador(x *mediation.Ambassador) {
	if !a.scope.servedBy(x) {
		return
	}
	a.seenAmb[x.ID] = struct{}{}
	p := a.scope.period
	if !x.JoinedAt.IsZero() && !x.JoinedAt.Before(p.To) {
		return // not yet in the scheme
	}
	if x.ActiveDuring(p.From, p.To) {
		a.active[x.ID] = ambassadorFacts{kind: x.Kind, region: x.Region}
	}
	if !x.JoinedAt.Before(p.From) {
		a.newAmb[x.ID] = struct{}{}
	}
	if x.LeftDuring(p.From, p.To) {
		a.departed[x.ID] = struct{}{}
	}
}

// AddTraining counts a Mon espace santé training of an ambassador or of a
// place's team followed before the end of the period (other modules are
// ignored).
func (a *Accumulator) AddTraining(t *mediation.Training) {
	if !t.MonEspaceSante() || !t.Date.Before(a.scope.period.To) {
		return
	}
	a.trainings[t.ID] = struct{}{}
	if t.AmbassadorID != uuid.Nil {
		a.trainedMES[t.AmbassadorID] = struct{}{}
	}
	if t.PlaceID != "" {
		a.trainedPlaces[t.PlaceID] = struct{}{}
	}
}

// AddCoordinator counts a coordinator of the territory's région created
// before the end of the period.
func (a *Accumulator) AddCoordinator(c *mediation.Coordinator) {
	if !a.scope.hasRegion(c.Region) || !c.CreatedAt.Before(a.scope.period.To) {
		return
	}
	a.coordinators[c.ID] = c.Region
}

// Merge adds b's records to a. Both must have the same period, territory and
// threshold (they come from the same Options).
func (a *Accumulator) Merge(b *Accumulator) error {
	if !a.scope.same(&b.scope) {
		return ErrMismatch
	}
	a.records.Referrals += b.records.Referrals
	a.records.Actions += b.records.Actions
	a.records.Accompaniments += b.records.Accompaniments
	for k := range b.seenAmb {
		a.seenAmb[k] = struct{}{}
	}
	for k := range b.trainings {
		a.trainings[k] = struct{}{}
	}
	for k := range b.trainedPlaces {
		a.trainedPlaces[k] = struct{}{}
	}
	for k, v := range b.active {
		a.active[k] = v
	}
	for k := range b.newAmb {
		a.newAmb[k] = struct{}{}
	}
	for k := range b.departed {
		a.departed[k] = struct{}{}
	}
	for k := range b.trainedMES {
		a.trainedMES[k] = struct{}{}
	}
	for k, v := range b.coordinators {
		a.coordinators[k] = v
	}
	a.actions.add(&b.actions)
	for k, v := range b.actionsByAmb {
		a.actionsByAmb[k] += v
	}
	for k, v := range b.actionsByType {
		row(a.actionsByType, k).add(v)
	}
	for k, v := range b.months {
		m := row(a.months, k)
		m.actions += v.actions
		m.people += v.people
		m.referrals += v.referrals
		m.accompaniments += v.accompaniments
	}
	a.accompaniments += b.accompaniments
	a.accompanimentMinutes += b.accompanimentMinutes
	for k, v := range b.accByAutonomy {
		a.accByAutonomy[k] += v
	}
	a.funnel.add(&b.funnel)
	a.declined += b.declined
	a.noShows += b.noShows
	a.expired += b.expired
	a.cancel += b.cancel
	for i, v := range b.daysToAttended {
		a.daysToAttended[i] += v
	}
	for k, v := range b.byPathway {
		row(a.byPathway, k).add(v)
	}
	for k, v := range b.byPlace {
		row(a.byPlace, k).add(v)
	}
	a.assessed += b.assessed
	a.rose += b.rose
	for k, v := range b.autonomy {
		a.autonomy[k] += v
	}
	for _, p := range [][2]map[string]*equityCounts{{a.byAge, b.byAge}, {a.byDensity, b.byDensity}, {a.byDept, b.byDept}} {
		for k, v := range p[1] {
			row(p[0], k).add(v)
		}
	}
	for k, v := range b.referralsByCommune {
		a.referralsByCommune[k] += v
	}
	return nil
}

// median returns the median of a histogram of whole days.
func median(h []int64) (float64, int64) {
	var n int64
	for _, v := range h {
		n += v
	}
	if n == 0 {
		return 0, 0
	}
	// The lower and upper middle ranks (1-based); equal when n is odd.
	lo, hi := (n+1)/2, n/2+1
	var seen int64
	loV, hiV := -1, -1
	for d, v := range h {
		seen += v
		if loV < 0 && seen >= lo {
			loV = d
		}
		if seen >= hi {
			hiV = d
			break
		}
	}
	return float64(loV+hiV) / 2, n
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// densityKey is the key of a density class in the equity table: "1" to "7",
// "" unknown.
func densityKey(d territory.DensityClass) string {
	if d <= territory.DensityUnknown || int(d) >= len(densityKeys) {
		return ""
	}
	return densityKeys[d]
}

var densityKeys = [...]string{"", "1", "2", "3", "4", "5", "6", "7"}
