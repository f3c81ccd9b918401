// Package demo generates a synthetic year of the inclusion scheme, so that
// anyone can see a full evaluation report in a minute: real communes (the
// embedded territory reference) and real mediation places (referral/demo),
// with made-up ambassadors, actions, accompaniments and referrals whose funnel
// rates and seasonality are plausible. Nothing in it describes real people.
//
// Every record it writes is labelled synthetic: coordinators' host names,
// ambassadors' handles, the source of actions and accompaniments
// (SourceSynthetic), the rules version of referrals (RulesVersionSynthetic)
// and the training provider. The same Options (seed included) always give the
// same records, ids included. A Detector wrapped around an evaluation.Source
// notices synthetic records, so that a report computed from a store holding
// a demo year is labelled synthetic even when nobody said so.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	refdemo "github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/territory"
)

// Labels that mark synthetic records.
const (
	// SourceSynthetic is the Source of every synthetic action and
	// accompaniment (their ids are mediation.ExternalUUID of it).
	SourceSynthetic = "synthetique"
	// RulesVersionSynthetic is the RulesVersion of every synthetic referral.
	RulesVersionSynthetic = "demo-synthetique"
	// Label is shown wherever a synthetic record carries a name.
	Label = "démo synthétique"
)

// ErrInvalidOptions is returned when Options cannot give a year.
var ErrInvalidOptions = errors.New("demo: invalid options")

// Options say which year to generate.
type Options struct {
	// Year is the calendar year generated (e.g. 2025).
	Year int
	// People is the number of people referred during the year (one referral
	// each). Ambassadors, actions and accompaniments scale with it.
	People int
	// Seed makes the year reproducible: the same seed, the same records.
	Seed uint64
	// Now bounds the records: nothing is dated after it (the stores refuse
	// future dates), so a current year stops today. Zero means time.Now().
	Now time.Time
}

// Year is a generated synthetic year, ready to be saved.
type Year struct {
	Coordinators   []mediation.Coordinator
	Ambassadors    []mediation.Ambassador
	Trainings      []mediation.Training
	Actions        []mediation.Action
	Accompaniments []mediation.Accompaniment
	Referrals      []referral.Referral
}

// Summary counts what Seed wrote.
type Summary struct {
	Year           int    `json:"year"`
	Seed           uint64 `json:"seed"`
	Synthetic      bool   `json:"synthetic"`
	Coordinators   int    `json:"coordinators"`
	Ambassadors    int    `json:"ambassadors"`
	Trainings      int    `json:"trainings"`
	Actions        int    `json:"actions"`
	Accompaniments int    `json:"accompaniments"`
	Referrals      int    `json:"referrals"`
}

// Writer is what Seed needs from a store; every store.Store is one.
type Writer interface {
	SaveCoordinator(ctx context.Context, c mediation.Coordinator) error
	SaveAmbassador(ctx context.Context, a mediation.Ambassador) error
	SaveTraining(ctx context.Context, t mediation.Training) error
	SaveActions(ctx context.Context, as []mediation.Action) (int, error)
	SaveAccompaniments(ctx context.Context, as []mediation.Accompaniment) (int, error)
	SaveReferrals(ctx context.Context, rs []referral.Referral) error
}

// MaxPeople bounds Options.People, to keep a demo a demo.
const MaxPeople = 1_000_000

// monthWeights is the seasonality of referrals and actions: quiet in August
// and at Christmas, busy in autumn (the « Mois de Mon espace santé » and
// the return from holidays) and in spring.
var monthWeights = [12]float64{0.9, 1.0, 1.15, 1.05, 0.95, 0.85, 0.55, 0.35, 1.1, 1.35, 1.3, 0.75}

// Generate builds the synthetic year described by opts, in memory.
func Generate(opts Options) (*Year, error) {
	if opts.Year < 2000 || opts.Year > 2100 {
		return nil, fmt.Errorf("%w: year %d is not between 2000 and 2100", ErrInvalidOptions, opts.Year)
	}
	if opts.People < 1 || opts.People > MaxPeople {
		return nil, fmt.Errorf("%w: people %d is not between 1 and %d", ErrInvalidOptions, opts.People, MaxPeople)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	start := time.Date(opts.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	if !now.After(start) {
		return nil, fmt.Errorf("%w: year %d has not begun (now is %s)", ErrInvalidOptions, opts.Year, now.Format(time.DateOnly))
	}
	ref, err := territory.Default()
	if err != nil {
		return nil, fmt.Errorf("demo: communes: %w", err)
	}
	places, err := refdemo.Places()
	if err != nil {
		return nil, fmt.Errorf("demo: places: %w", err)
	}
	g := &generator{
		// The year enters the stream so that two years seeded alike do
		// not share ids (a store skips an id it holds).
		rng:   rand.New(rand.NewPCG(opts.Seed, uint64(opts.Year)^0x9e3779b97f4a7c15)),
		ref:   ref,
		year:  opts.Year,
		start: start,
		end:   start.AddDate(1, 0, 0),
		now:   now,
	}
	g.index(places)
	if len(g.places) == 0 {
		return nil, fmt.Errorf("demo: no place with a known commune")
	}
	y := &Year{}
	g.network(y, opts.People)
	g.activity(y)
	if err := g.referrals(y, opts.People); err != nil {
		return nil, err
	}
	return y, nil
}

// Seed generates the year and writes it through w, in batches.
func Seed(ctx context.Context, w Writer, opts Options) (Summary, error) {
	y, err := Generate(opts)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Year: opts.Year, Seed: opts.Seed, Synthetic: true}
	for _, c := range y.Coordinators {
		if err := w.SaveCoordinator(ctx, c); err != nil {
			return s, fmt.Errorf("demo: coordinator %s: %w", c.ID, err)
		}
		s.Coordinators++
	}
	for _, a := range y.Ambassadors {
		if err := w.SaveAmbassador(ctx, a); err != nil {
			return s, fmt.Errorf("demo: ambassador %s: %w", a.ID, err)
		}
		s.Ambassadors++
	}
	for _, t := range y.Trainings {
		if err := w.SaveTraining(ctx, t); err != nil {
			return s, fmt.Errorf("demo: training %s: %w", t.ID, err)
		}
		s.Trainings++
	}
	const batch = 1000
	for b := range slices.Chunk(y.Actions, batch) {
		if _, err := w.SaveActions(ctx, b); err != nil {
			return s, fmt.Errorf("demo: actions: %w", err)
		}
		s.Actions += len(b)
	}
	for b := range slices.Chunk(y.Accompaniments, batch) {
		if _, err := w.SaveAccompaniments(ctx, b); err != nil {
			return s, fmt.Errorf("demo: accompaniments: %w", err)
		}
		s.Accompaniments += len(b)
	}
	for b := range slices.Chunk(y.Referrals, batch) {
		if err := w.SaveReferrals(ctx, b); err != nil {
			return s, fmt.Errorf("demo: referrals: %w", err)
		}
		s.Referrals += len(b)
	}
	return s, nil
}

type place struct {
	mediation.Place
	commune        territory.Commune
	franceServices bool
	trained        bool
}

type generator struct {
	rng        *rand.Rand
	ref        *territory.Reference
	year       int
	start, end time.Time
	now        time.Time
	places     []place
	// communesByDep lists the communes of each département with their
	// cumulated populations, to draw where people live.
	communesByDep map[string][]territory.Commune
	cumPop        map[string][]int
	ambassadors   []mediation.Ambassador
	ambPlace      []int
}

func (g *generator) index(ps []mediation.Place) {
	for _, p := range ps {
		c, ok := g.ref.Commune(p.INSEECode)
		// Overseas collectivities (COM) have no région: the network
		// records need one.
		if !ok || !mediation.ValidRegionCode(c.Region) {
			continue
		}
		q := place{Place: p, commune: c}
		q.franceServices = p.HasProgram(mediation.ProgramFranceServices)
		q.trained = slices.Contains(p.Labels, mediation.LabelFormeMonEspaceSante)
		g.places = append(g.places, q)
	}
	// Order by id so the year does not depend on the snapshot's order.
	slices.SortFunc(g.places, func(a, b place) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	g.communesByDep = map[string][]territory.Commune{}
	g.cumPop = map[string][]int{}
	for _, c := range g.ref.Communes() {
		g.communesByDep[c.Departement] = append(g.communesByDep[c.Departement], c)
	}
	for d, cs := range g.communesByDep {
		slices.SortFunc(cs, func(a, b territory.Commune) int {
			if a.Code < b.Code {
				return -1
			}
			return 1
		})
		cum := make([]int, len(cs))
		t := 0
		for i, c := range cs {
			t += max(c.Population, 1)
			cum[i] = t
		}
		g.cumPop[d] = cum
	}
}

// id draws a UUID from the generator's stream, so ids are reproducible.
func (g *generator) id() uuid.UUID {
	var u uuid.UUID
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			u[i+j] = byte(v >> (8 * j))
		}
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// day draws a time within the year with the seasonality of monthWeights.
func (g *generator) day() time.Time {
	var total float64
	for _, w := range monthWeights {
		total += w
	}
	x := g.rng.Float64() * total
	m := 0
	for ; m < 11; m++ {
		if x < monthWeights[m] {
			break
		}
		x -= monthWeights[m]
	}
	first := time.Date(g.year, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
	days := first.AddDate(0, 1, 0).Sub(first).Hours() / 24
	d := first.AddDate(0, 0, g.rng.IntN(int(days)))
	// Office hours, 9:00 to 17:00.
	return d.Add(time.Duration(9*60+g.rng.IntN(8*60)) * time.Minute)
}

func pick[T any](g *generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// weighted returns an index drawn with the given weights.
func (g *generator) weighted(ws []float64) int {
	var t float64
	for _, w := range ws {
		t += w
	}
	x := g.rng.Float64() * t
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// residence draws the commune where a person referred to p lives: its own
// commune half the time, otherwise a commune of the same département drawn
// by population.
func (g *generator) residence(p *place) territory.Commune {
	if g.rng.IntN(2) == 0 {
		return p.commune
	}
	cs, cum := g.communesByDep[p.commune.Departement], g.cumPop[p.commune.Departement]
	if len(cs) == 0 {
		return p.commune
	}
	x := g.rng.IntN(cum[len(cum)-1])
	i, _ := slices.BinarySearch(cum, x+1)
	return cs[min(i, len(cs)-1)]
}

var regionHosts = []mediation.HostKind{mediation.HostGRADeS, mediation.HostARS, mediation.HostCPAM}

func (g *generator) network(y *Year, people int) {
	n := min(max(people/25, 5), 2000)
	coordinators := map[string]uuid.UUID{}
	trainedPlace := map[int]bool{}
	for i := range n {
		pi := g.rng.IntN(len(g.places))
		p := &g.places[pi]
		region := p.commune.Region
		cid, ok := coordinators[region]
		if !ok {
			// One coordinator per région whatever the year, so that
			// years seeded into one store share them.
			cid = mediation.ExternalUUID(SourceSynthetic, "coordinator", region)
			coordinators[region] = cid
			name := "Coordination régionale " + region
			if r, ok := g.ref.Region(region); ok {
				name = "Coordination " + r.Name
			}
			y.Coordinators = append(y.Coordinators, mediation.Coordinator{
				ID: cid, Region: region, HostKind: pick(g, regionHosts),
				HostName:  name + " (" + Label + ")",
				Handle:    fmt.Sprintf("demo-coord-%s", region),
				CreatedAt: g.start.AddDate(-2, 0, 0),
			})
		}
		joined := g.start.AddDate(-1-g.rng.IntN(2), g.rng.IntN(12), 0)
		if g.rng.Float64() < 0.3 {
			joined = g.clip(g.day())
		}
		a := mediation.Ambassador{
			ID: g.id(), Handle: fmt.Sprintf("demo-amb-%04d", i+1), CoordinatorID: cid,
			Region: region, Kind: pick(g, mediation.AmbassadorKinds()),
			HostStructure: p.Name, PlaceIDs: []string{p.ID},
			Communes: []string{p.commune.Code}, Departements: []string{p.commune.Departement},
			Status: mediation.AmbassadorActive, JoinedAt: joined, StatusSince: joined,
		}
		switch r := g.rng.Float64(); {
		case r < 0.08:
			if left := g.clip(g.day()); left.After(joined) {
				_ = a.SetStatus(mediation.AmbassadorLeft, left)
			}
		case r < 0.13:
			if paused := g.clip(g.day()); paused.After(joined) {
				_ = a.SetStatus(mediation.AmbassadorPaused, paused)
			}
		}
		y.Ambassadors = append(y.Ambassadors, a)
		g.ambassadors = append(g.ambassadors, a)
		g.ambPlace = append(g.ambPlace, pi)
		if g.rng.Float64() < 0.7 {
			when := joined.AddDate(0, 0, 7+g.rng.IntN(60))
			if when.Before(g.now) {
				y.Trainings = append(y.Trainings, mediation.Training{
					ID: g.id(), AmbassadorID: a.ID, Module: mediation.ModuleMonEspaceSante,
					Date: when, Provider: "Formation " + Label,
				})
				// Most trainings also train the place, which then counts
				// as a trained place on the map.
				if !trainedPlace[pi] && g.rng.Float64() < 0.6 {
					trainedPlace[pi] = true
					y.Trainings = append(y.Trainings, mediation.Training{
						ID: g.id(), PlaceID: p.ID, Module: mediation.ModuleMonEspaceSante,
						Date: when, Provider: "Formation " + Label,
					})
				}
			}
		}
	}
}

// clip brings t back to the present when it is later.
func (g *generator) clip(t time.Time) time.Time {
	if t.After(g.now) {
		return g.now.Add(-time.Hour)
	}
	return t
}

var actionTypes = []mediation.ActionType{
	mediation.ActionAccountStand, mediation.ActionActivationWorkshop, mediation.ActionWebinar,
	mediation.ActionInformationMorning, mediation.ActionDropIn, mediation.ActionFair,
	mediation.ActionConference, mediation.ActionCollectiveWorkshop, mediation.ActionIndividualSupport,
}

// actionWeights make stands and workshops the common actions.
var actionWeights = []float64{30, 25, 4, 8, 15, 5, 3, 6, 4}

func (g *generator) activity(y *Year) {
	for i, a := range g.ambassadors {
		p := &g.places[g.ambPlace[i]]
		n := 4 + g.rng.IntN(20)
		for range n {
			when := g.day()
			if when.Before(a.JoinedAt) || !when.Before(g.now) ||
				(a.Status == mediation.AmbassadorLeft && when.After(a.StatusSince)) {
				continue
			}
			t := actionTypes[g.weighted(actionWeights)]
			if t == mediation.ActionIndividualSupport {
				// One-to-one help is an accompaniment of its own, not an
				// action: its hours count once.
				g.accompany(y, a, p, when, uuid.Nil)
				continue
			}
			people := 3 + g.rng.IntN(30)
			ext := fmt.Sprintf("%d-%d", g.year, len(y.Actions)+1)
			act := mediation.Action{
				ID: mediation.ExternalUUID(SourceSynthetic, ext), Source: SourceSynthetic, ExternalID: ext,
				Type: t, Date: when, DurationMinutes: 60 + 30*g.rng.IntN(7),
				PlaceID: p.ID, Commune: p.commune.Code, Departement: p.commune.Departement, Region: p.commune.Region,
				Remote:        t == mediation.ActionWebinar,
				Organiser:     p.Name,
				CoordinatorID: a.CoordinatorID, AmbassadorIDs: []uuid.UUID{a.ID},
				PeopleSensitised: people, AccountsActivated: g.rng.IntN(people/2 + 1),
				ReferralsMade: g.rng.IntN(people/4 + 1),
				RecordedAt:    g.clip(when.Add(48 * time.Hour)),
			}
			y.Actions = append(y.Actions, act)
			if g.rng.Float64() < 0.15 {
				g.accompany(y, a, p, when, act.ID)
			}
		}
	}
}

// accompany records one-to-one help given by a at p, within an action when
// actionID is set.
func (g *generator) accompany(y *Year, a mediation.Ambassador, p *place, when time.Time, actionID uuid.UUID) {
	home := g.residence(p)
	ext := fmt.Sprintf("%d-acc-%d", g.year, len(y.Accompaniments)+1)
	y.Accompaniments = append(y.Accompaniments, mediation.Accompaniment{
		ID: mediation.ExternalUUID(SourceSynthetic, ext), Source: SourceSynthetic, ExternalID: ext,
		ActionID: actionID, PersonID: g.id().String(), AmbassadorID: a.ID,
		Date: when, DurationMinutes: 30 + 15*g.rng.IntN(4), Channel: mediation.ChannelPlace,
		PlaceID: p.ID, Commune: p.commune.Code, Departement: p.commune.Departement, Region: p.commune.Region,
		Autonomy:         pick(g, mediation.Autonomies()),
		AgeBand:          []mediation.AgeBand{mediation.Age40To59, mediation.Age60To69, mediation.Age70Plus}[g.weighted([]float64{3, 3, 4})],
		ResidenceCommune: home.Code,
		RecordedAt:       g.clip(when.Add(24 * time.Hour)),
	})
}

var ageBands = []referral.AgeBand{referral.Age18To24, referral.Age25To39, referral.Age40To59, referral.Age60To69, referral.Age70Plus}

// ageWeights: the people referred are mostly older.
var ageWeights = []float64{5, 10, 22, 28, 35}

var levels = []assessment.Level{assessment.LevelNoAccess, assessment.LevelBeginner, assessment.LevelIntermediate, assessment.LevelAutonomous}

var levelWeights = []float64{12, 38, 35, 15}

var autonomyWeights = []float64{25, 45, 30}

var remotePathways = []referral.PathwayID{referral.PathwayRemoteMediation, referral.PathwayCPAMWorkshopCollective,
	referral.PathwayAmbassadorAction, referral.PathwaySelfGuide}

func (g *generator) referrals(y *Year, people int) error {
	actors := []referral.Actor{referral.ActorDesk, referral.ActorAmbassador, referral.ActorCPAMAgent}
	for range people {
		p := &g.places[g.rng.IntN(len(g.places))]
		home := g.residence(p)
		created := g.day()
		if !created.Before(g.now) {
			continue
		}
		lvl := levels[g.weighted(levelWeights)]
		r := referral.Referral{
			ID: g.id(), PersonID: g.id().String(), Commune: home.Code,
			AgeBand: ageBands[g.weighted(ageWeights)], CreatedAt: created, By: pick(g, actors),
			Pathway: referral.PathwayMediationPlace, PlaceID: p.ID,
			Assessment:   referral.AssessmentRef{Instrument: "passerelle", Version: "1", Level: lvl},
			RulesVersion: RulesVersionSynthetic, Rule: "demo_synthetique",
			Status: referral.StatusProposed, UpdatedAt: created,
			History: []referral.StatusChange{{To: referral.StatusProposed, At: created, By: referral.ActorDesk}},
		}
		switch x := g.rng.Float64(); {
		case x < 0.15:
			r.Pathway, r.PlaceID = pick(g, remotePathways), ""
		case p.franceServices && x < 0.5:
			r.Pathway = referral.PathwayFranceServices
		}
		if err := g.walk(&r); err != nil {
			return err
		}
		y.Referrals = append(y.Referrals, r)
	}
	return nil
}

// walk moves r along the funnel with plausible rates and delays, stopping at
// the present.
func (g *generator) walk(r *referral.Referral) error {
	at := r.CreatedAt
	step := func(to referral.Status, after time.Duration, by referral.Actor, o *referral.TransitionOptions) (bool, error) {
		at = at.Add(after)
		if !at.Before(g.now) {
			return false, nil
		}
		return true, r.Transition(to, at, by, o)
	}
	hours := func(lo, hi int) time.Duration { return time.Duration(lo+g.rng.IntN(hi-lo+1)) * time.Hour }
	// proposed → accepted 78 %, declined 10 %, expired 12 %.
	switch x := g.rng.Float64(); {
	case x < 0.10:
		_, err := step(referral.StatusDeclined, hours(1, 72), referral.ActorPerson, nil)
		return err
	case x < 0.22:
		_, err := step(referral.StatusExpired, hours(30*24, 40*24), referral.ActorSystem, &referral.TransitionOptions{Reason: "no_news"})
		return err
	}
	if ok, err := step(referral.StatusAccepted, hours(1, 72), referral.ActorPerson, nil); !ok || err != nil {
		return err
	}
	// accepted → scheduled 85 %, else expired.
	if g.rng.Float64() < 0.15 {
		_, err := step(referral.StatusExpired, hours(30*24, 40*24), referral.ActorSystem, &referral.TransitionOptions{Reason: "no_news"})
		return err
	}
	delay := hours(24, 7*24)
	appointment := at.Add(delay).Add(hours(3*24, 21*24))
	if ok, err := step(referral.StatusScheduled, delay, referral.ActorMediator, &referral.TransitionOptions{Appointment: appointment}); !ok || err != nil {
		return err
	}
	// scheduled → attended 80 %, no-show 14 %, cancelled 6 %.
	until := appointment.Sub(at)
	switch x := g.rng.Float64(); {
	case x < 0.14:
		_, err := step(referral.StatusNoShow, until+hours(2, 24), referral.ActorMediator, nil)
		return err
	case x < 0.20:
		_, err := step(referral.StatusCancelled, until/2, referral.ActorPerson, &referral.TransitionOptions{Reason: "person_cancelled"})
		return err
	}
	if ok, err := step(referral.StatusAttended, until, referral.ActorMediator, nil); !ok || err != nil {
		return err
	}
	// attended → completed 85 %; the others are still being accompanied.
	if g.rng.Float64() >= 0.85 {
		return nil
	}
	aut := referral.Autonomies()[g.weighted(autonomyWeights)]
	// The level rises for most, one step at most.
	lvl := r.Assessment.Level
	if i := slices.Index(levels, lvl); i >= 0 && i < len(levels)-1 && g.rng.Float64() < 0.6 {
		lvl = levels[i+1]
	}
	fu := assessment.Result{Instrument: r.Assessment.Instrument, Version: r.Assessment.Version, Level: lvl, Completeness: 1}
	_, err := step(referral.StatusCompleted, hours(7*24, 45*24), referral.ActorMediator, &referral.TransitionOptions{Autonomy: aut, FollowUp: &fu})
	return err
}
