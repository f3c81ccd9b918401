package referral

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/openinghours"
	"github.com/passerelle-sante/passerelle/territory"
)

// Decider turns an Input into a Decision: the compiled rules implement it.
// Evaluate must be safe for concurrent use.
type Decider interface {
	Evaluate(in *Input, d *Decision) error
	Version() string
}

// RuleSet is a decider whose evaluation cannot fail, such as the compiled
// *Rules; wrap it with Infallible to use it as a Decider.
type RuleSet interface {
	Evaluate(in *Input, d *Decision)
	Version() string
}

// Infallible adapts a RuleSet to Decider, for NewEngine(Infallible(rules), ...).
func Infallible(r RuleSet) Decider { return infallible{r} }

type infallible struct{ r RuleSet }

func (i infallible) Evaluate(in *Input, d *Decision) error { i.r.Evaluate(in, d); return nil }
func (i infallible) Version() string                       { return i.r.Version() }

// LoadCounter tells how many open referrals (proposed, accepted or
// scheduled) each place received since a moment. Stores implement it; the
// engine uses it to rank a busy place lower.
type LoadCounter interface {
	OpenCountsSince(ctx context.Context, since time.Time) (map[string]int, error)
}

// EngineOptions tunes an Engine. A nil *EngineOptions means
// DefaultEngineOptions(); zero fields take their default.
type EngineOptions struct {
	// DefaultMaxKm is the search radius when a rule sets none (15 km).
	DefaultMaxKm float64
	// WidenSteps are the radii tried, in order, when nothing fits within
	// the rule's radius (30 then 60 km). Steps not above the radius are
	// skipped; steps above MaxKm are never tried.
	WidenSteps []float64
	// MaxKm is the widest radius ever searched (60 km).
	MaxKm float64
	// K is how many places are proposed per pathway (3).
	K int
	// Candidates is how many places are fetched per query before ranking
	// (4×K): enough for a busy or closed place to be passed over.
	Candidates int
	// Capacity is how many open referrals a place takes per week before it
	// counts as full (10); CapacityByPlace overrides it per place id.
	Capacity        int
	CapacityByPlace map[string]int
	// OpenWindow is the horizon of "opens soon" (7 days).
	OpenWindow time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Catalogue of pathways; nil means DefaultCatalogue().
	Catalogue *Catalogue
	// Load counts the open referrals per place; nil means no load ranking.
	Load LoadCounter
	// CacheEntries bounds the memo of directory answers per commune and
	// query (0: 50,000 entries; negative: no memo). People of one commune
	// share the same candidate places, which matters in a batch.
	CacheEntries int
}

// DefaultEngineOptions returns the documented defaults.
func DefaultEngineOptions() EngineOptions {
	return EngineOptions{
		DefaultMaxKm: 15,
		WidenSteps:   []float64{30, 60},
		MaxKm:        60,
		K:            3,
		Candidates:   12,
		Capacity:     10,
		OpenWindow:   7 * 24 * time.Hour,
		CacheEntries: 50_000,
	}
}

// Engine matches a person to pathways and places. It is immutable and safe
// for concurrent use once built.
type Engine struct {
	rules    Decider
	dir      mediation.Directory
	communes *territory.Reference
	opts     EngineOptions
	cat      *Catalogue
	now      func() time.Time

	hours sync.Map // hoursKey → *openinghours.Schedule (nil: unusable)
	memo  *queryMemo
}

type hoursKey struct{ hours, calendar string }

// NewEngine builds an engine over rules, a directory of places and the
// commune reference. opts may be nil.
func NewEngine(rules Decider, dir mediation.Directory, communes *territory.Reference, opts *EngineOptions) (*Engine, error) {
	if rules == nil || dir == nil || communes == nil {
		return nil, fmt.Errorf("%w: rules, directory and communes are all required", ErrInvalidEngine)
	}
	o := DefaultEngineOptions()
	if opts != nil {
		o = mergeOptions(o, *opts)
	}
	if o.DefaultMaxKm > o.MaxKm {
		return nil, fmt.Errorf("%w: DefaultMaxKm %.0f is above MaxKm %.0f", ErrInvalidEngine, o.DefaultMaxKm, o.MaxKm)
	}
	if o.Candidates < o.K {
		o.Candidates = o.K
	}
	if o.Candidates > mediation.MaxK {
		return nil, fmt.Errorf("%w: Candidates %d is above %d", ErrInvalidEngine, o.Candidates, mediation.MaxK)
	}
	e := &Engine{rules: rules, dir: dir, communes: communes, opts: o, cat: o.Catalogue, now: o.Now}
	if e.cat == nil {
		e.cat = DefaultCatalogue()
	}
	if e.now == nil {
		e.now = time.Now
	}
	if o.CacheEntries > 0 {
		e.memo = newQueryMemo(o.CacheEntries)
	}
	return e, nil
}

func mergeOptions(d, o EngineOptions) EngineOptions {
	if o.DefaultMaxKm > 0 {
		d.DefaultMaxKm = o.DefaultMaxKm
	}
	if o.WidenSteps != nil {
		d.WidenSteps = slices.Clone(o.WidenSteps)
	}
	if o.MaxKm > 0 {
		d.MaxKm = o.MaxKm
	}
	if o.K > 0 {
		d.K = o.K
		d.Candidates = 4 * o.K
	}
	if o.Candidates > 0 {
		d.Candidates = o.Candidates
	}
	if o.Capacity > 0 {
		d.Capacity = o.Capacity
	}
	d.CapacityByPlace = o.CapacityByPlace
	if o.OpenWindow > 0 {
		d.OpenWindow = o.OpenWindow
	}
	d.Now, d.Catalogue, d.Load = o.Now, o.Catalogue, o.Load
	if o.CacheEntries != 0 {
		d.CacheEntries = o.CacheEntries
	}
	return d
}

// Options returns the options in effect, defaults filled in.
func (e *Engine) Options() EngineOptions { return e.opts }

// Catalogue returns the engine's catalogue of pathways.
func (e *Engine) Catalogue() *Catalogue { return e.cat }

// RulesVersion returns the version of the rules the engine applies.
func (e *Engine) RulesVersion() string { return e.rules.Version() }

// Request is one person to refer: their assessment and their situation.
type Request struct {
	Assessment assessment.Result
	Person     Person
}

// Proposal is the engine's answer for one person: the pathways in priority
// order, each with its ranked places and the reasons, and the rules'
// decision with its trace.
type Proposal struct {
	RulesVersion string            `json:"rules_version"`
	Commune      CommuneRef        `json:"commune"`
	Pathways     []ProposedPathway `json:"pathways"`
	Decision     Decision          `json:"decision"`
	// At is the moment the proposal was made (the engine's clock).
	At time.Time `json:"at"`
}

// CommuneRef names the person's commune as the engine resolved it.
type CommuneRef struct {
	Code        string                 `json:"code"`
	Name        string                 `json:"nom"`
	Departement string                 `json:"departement"`
	Region      string                 `json:"region"`
	Density     territory.DensityClass `json:"densite"`
}

// ProposedPathway is one pathway of a proposal.
type ProposedPathway struct {
	Pathway  PathwayID       `json:"id"`
	Title    assessment.Text `json:"title"`
	Priority int             `json:"priority"`
	// Rule is the id of the rule that proposed the pathway.
	Rule string `json:"rule"`
	// Places are the proposed places, best first; empty for a pathway that
	// needs no place or when none was found.
	Places     []RankedPlace `json:"places"`
	PassedOver []PassedPlace `json:"passed_over,omitempty"`
	// Widened is set when the search went beyond the rule's radius.
	Widened *Widened `json:"widened,omitempty"`
	// Remote is true when no place was found within MaxKm and the places
	// are remote or France Services fallbacks.
	Remote bool              `json:"remote_fallback,omitempty"`
	Why    []assessment.Text `json:"why"`
}

// Widened records how far the search had to go.
type Widened struct {
	FromKm float64 `json:"from_km"`
	ToKm   float64 `json:"to_km"`
}

// RankedPlace is one proposed place with its distance, score and reasons.
// Place holds the whole record (not in JSON); the JSON carries what a
// person or a program needs to act.
type RankedPlace struct {
	ID         string            `json:"id"`
	Name       string            `json:"nom"`
	DistanceKm float64           `json:"distance_km"`
	Score      float64           `json:"score"`
	Commune    string            `json:"commune,omitempty"`
	PostalCode string            `json:"code_postal,omitempty"`
	Address    string            `json:"adresse,omitempty"`
	Phone      string            `json:"telephone,omitempty"`
	Hours      string            `json:"horaires,omitempty"`
	Booking    string            `json:"prise_rdv,omitempty"`
	Why        []assessment.Text `json:"why"`
	// Load is the number of open referrals of the place this week.
	Load  int             `json:"load,omitempty"`
	Place mediation.Place `json:"-"`

	explain bool
}

// PassedPlace is a candidate place not proposed, with the reason.
type PassedPlace struct {
	ID         string          `json:"id"`
	Name       string          `json:"nom"`
	DistanceKm float64         `json:"distance_km"`
	Reason     assessment.Text `json:"reason"`
}

// Refer runs the rules for one person and matches each pathway to places.
// It fails when the commune is unknown (ErrUnknownCommune), when the rules
// fail, or when the directory fails; a pathway with no place found is not
// an error: its Why says so.
func (e *Engine) Refer(ctx context.Context, req Request) (*Proposal, error) {
	return e.refer(ctx, req, true, nil)
}

// batchClock fixes the clock of a batch run and caches, per place, the
// opening part of the score (one worker's cache: no lock).
type batchClock struct {
	at    time.Time
	opens map[*mediation.Place]float64
	load  map[string]int // open referrals per place, read once per batch
	// Scratch reused from one person to the next.
	proposal Proposal
	input    Input
	places   []RankedPlace
	top      []topEntry
}

// refer is Refer; explain false leaves out every Why text and the place
// records (see RankedPlace.Place), for batches.
func (e *Engine) refer(ctx context.Context, req Request, explain bool, bc *batchClock) (*Proposal, error) {
	com, ok := e.communes.Commune(req.Person.Commune)
	if !ok {
		return nil, fmt.Errorf("%w: %q (person.commune must be an INSEE code)", ErrUnknownCommune, req.Person.Commune)
	}
	var (
		p  *Proposal
		in *Input
	)
	if bc != nil {
		// A batch reuses one proposal per worker: the answer is read
		// before the next person.
		p, in = &bc.proposal, &bc.input
		p.Pathways = p.Pathways[:0]
		p.Decision.Reset()
		p.At = bc.at
		bc.places = bc.places[:0]
	} else {
		p, in = &Proposal{At: e.now()}, &Input{}
	}
	*in = Input{
		Assessment:  req.Assessment,
		Person:      req.Person,
		Density:     com.Density,
		Departement: com.Departement,
		Region:      com.Region,
	}
	p.Commune = CommuneRef{Code: com.Code, Name: com.Name, Departement: com.Departement, Region: com.Region, Density: com.Density}
	if err := e.rules.Evaluate(in, &p.Decision); err != nil {
		return nil, fmt.Errorf("referral: rules: %w", err)
	}
	p.RulesVersion = e.rules.Version()
	if p.Decision.RulesVersion == "" {
		p.Decision.RulesVersion = p.RulesVersion
	}
	var load map[string]int
	switch {
	case bc != nil:
		load = bc.load
	case e.opts.Load != nil && e.needsPlaces(p.Decision.Outcomes):
		var err error
		if load, err = e.opts.Load.OpenCountsSince(ctx, p.At.Add(-7*24*time.Hour)); err != nil {
			return nil, fmt.Errorf("referral: load counts: %w", err)
		}
	}
	m := matcher{e: e, ctx: ctx, com: com, in: in, trace: p.Decision.Trace, load: load, at: p.At, explain: explain, batch: bc}
	if bc != nil {
		m.opens = bc.opens
	} else {
		p.Pathways = make([]ProposedPathway, 0, len(p.Decision.Outcomes))
	}
	for _, o := range p.Decision.Outcomes {
		pw, ok := e.cat.Pathway(o.Pathway)
		if !ok {
			return nil, fmt.Errorf("%w: %q (rule %s)", ErrUnknownPathway, o.Pathway, o.Rule)
		}
		pp, err := m.match(pw, o)
		if err != nil {
			return nil, err
		}
		p.Pathways = append(p.Pathways, pp)
	}
	return p, nil
}

func (e *Engine) needsPlaces(os []Outcome) bool {
	for _, o := range os {
		if pw, ok := e.cat.Pathway(o.Pathway); ok && pw.Places.NeedsPlace {
			return true
		}
	}
	return false
}

// schedule returns the parsed hours of p in its territory's calendar, or
// nil when it has none or they do not parse. Parsed schedules are shared:
// places repeat the same few hours strings.
func (e *Engine) schedule(p *mediation.Place) *openinghours.Schedule {
	if p.Hours == "" {
		return nil
	}
	cal := calendarOf(p)
	key := hoursKey{p.Hours, cal}
	if s, ok := e.hours.Load(key); ok {
		return s.(*openinghours.Schedule)
	}
	s, err := openinghours.ParseWith(p.Hours, openinghours.ForDepartement(cal))
	if err != nil {
		s = nil
	}
	e.hours.Store(key, s)
	return s
}

// calendarOf returns a département with the same time zone and holidays as
// p's: mainland places share one calendar, Alsace-Moselle and overseas
// territories keep theirs.
func calendarOf(p *mediation.Place) string {
	code := p.INSEECode
	if len(code) != 5 {
		code = p.PostalCode
	}
	if len(code) != 5 {
		return "75"
	}
	switch {
	case code[:2] == "97" || code[:2] == "98":
		return code[:3]
	case code[:2] == "57" || code[:2] == "67" || code[:2] == "68":
		return "67"
	}
	return "75"
}
