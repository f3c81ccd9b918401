package referral

import (
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// Person is what the desk knows of a caller beyond the assessment. It
// holds no name and no contact details: ID is pseudonymous.
type Person struct {
	// ID is a pseudonymous identifier (a UUID), never a name or a number
	// that identifies the person outside the integrator's own systems.
	ID string `json:"person_id,omitempty"`
	// Commune is the INSEE code of the commune where the person lives.
	Commune     string       `json:"commune,omitempty"`
	AgeBand     AgeBand      `json:"age_band,omitempty"`
	Needs       []Need       `json:"needs,omitempty"`
	Constraints []Constraint `json:"constraints,omitempty"`
	// Language is the language the person speaks best when it is not
	// French (ISO 639-1, e.g. "en", "ar"); empty means French.
	Language string `json:"language,omitempty"`
}

// AgeBand is an age band, aligned on the bands of La Coop de la médiation
// numérique so that activities and referrals can be compared.
type AgeBand string

// Age bands. The empty band means unknown.
const (
	AgeUnder18 AgeBand = "under_18"
	Age18To24  AgeBand = "18_24"
	Age25To39  AgeBand = "25_39"
	Age40To59  AgeBand = "40_59"
	Age60To69  AgeBand = "60_69"
	Age70Plus  AgeBand = "70_plus"
)

// AgeBands lists the known age bands, youngest first.
func AgeBands() []AgeBand {
	return []AgeBand{AgeUnder18, Age18To24, Age25To39, Age40To59, Age60To69, Age70Plus}
}

// Need is what the person wants to be able to do.
type Need string

// Needs the desk hears most.
const (
	NeedActivateMES      Need = "activate_mes"     // activate Mon espace santé
	NeedMESMessaging     Need = "mes_messaging"    // use Mon espace santé's secure messaging
	NeedTeleconsultation Need = "teleconsultation" // attend a teleconsultation
	NeedAmeliAccount     Need = "ameli_account"    // open or use the ameli account
	NeedGeneralSkills    Need = "general_skills"   // general digital skills
)

// Needs lists the known needs.
func Needs() []Need {
	return []Need{NeedActivateMES, NeedMESMessaging, NeedTeleconsultation, NeedAmeliAccount, NeedGeneralSkills}
}

// Constraint limits what help fits the person.
type Constraint string

// Constraints the desk records.
const (
	ConstraintNoTravel           Constraint = "no_travel"           // cannot travel to a place
	ConstraintNeedsAccessibility Constraint = "needs_accessibility" // needs an accessible place (reduced mobility)
	ConstraintNeedsFree          Constraint = "needs_free"          // cannot pay
	ConstraintPrefersRemote      Constraint = "prefers_remote"      // prefers help by phone or video
)

// Constraints lists the known constraints.
func Constraints() []Constraint {
	return []Constraint{ConstraintNoTravel, ConstraintNeedsAccessibility, ConstraintNeedsFree, ConstraintPrefersRemote}
}

// Input is everything rules can look at for one person: the assessment, the
// person, and the facts of their territory that the engine resolves from
// the commune.
type Input struct {
	Assessment  assessment.Result
	Person      Person
	Density     territory.DensityClass
	Departement string // code, e.g. "12"
	Region      string // code, e.g. "76"
}

// PlaceCriteria narrow the places proposed for one pathway, on top of what
// the pathway itself needs (Pathway.Places).
type PlaceCriteria struct {
	// MaxKm is the search radius in km; 0 means the engine's default.
	MaxKm float64 `json:"max_km,omitempty"`
	// RequiredServices: the place offers every one of these.
	RequiredServices []mediation.Service `json:"required_services,omitempty"`
	// RequiredLabels: the place holds every one of these.
	RequiredLabels []mediation.Label `json:"required_labels,omitempty"`
	// PreferredLabels rank places higher without excluding others, e.g.
	// « Formé à « Mon Espace Santé » ».
	PreferredLabels []mediation.Label `json:"preferred_labels,omitempty"`
}

// Outcome is one pathway a rule proposes, with its priority (1 first) and
// the criteria its places must meet.
type Outcome struct {
	Pathway  PathwayID     `json:"pathway"`
	Priority int           `json:"priority"`
	Criteria PlaceCriteria `json:"criteria"`
	// Rule is the id of the rule that proposed it.
	Rule string `json:"rule"`
}

// RuleTrace says what happened to one rule for one input.
type RuleTrace struct {
	Rule  string `json:"rule"`
	Fired bool   `json:"fired"`
	// Clause is the JSON path of the clause that decided, e.g.
	// "/rules/3/when/all/1", for a rule that fired as for one that did not.
	Clause string `json:"clause,omitempty"`
	// Why explains the decision in the rule's own words.
	Why assessment.Text `json:"why"`
}

// Decision is what the rules say for one input: the pathways, ordered by
// priority with one outcome per pathway, and the trace of every rule.
type Decision struct {
	RulesVersion string      `json:"rules_version"`
	Outcomes     []Outcome   `json:"outcomes"`
	Trace        []RuleTrace `json:"trace"`
}

// Reset empties d for reuse, keeping its storage.
func (d *Decision) Reset() {
	d.RulesVersion = ""
	d.Outcomes = d.Outcomes[:0]
	d.Trace = d.Trace[:0]
}
