package mediation

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The ambassador scheme of Mon espace santé: regional coordinators (in a
// GRADeS or an ARS) recruit and animate ambassadors, map who is trained,
// answer the ambassadors' questions and count every action. The records
// below name no one: a person is a pseudonymous id, an ambassador carries at
// most a display Handle chosen by the coordinator (never a legal name, an
// e-mail or a phone number; Validate refuses handles that look like one).

// RecordError lists every problem found in one record, each with its field.
type RecordError struct {
	Kind     string       `json:"kind"` // "coordinator", "ambassador", ...
	ID       string       `json:"id,omitempty"`
	Problems []FieldError `json:"problems"`
}

func (e *RecordError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	id := ""
	if e.ID != "" {
		id = " " + e.ID
	}
	return fmt.Sprintf("invalid %s%s: %s", e.Kind, id, strings.Join(parts, "; "))
}

// Unwrap makes errors.Is(err, ErrInvalidRecord) true.
func (e *RecordError) Unwrap() error { return ErrInvalidRecord }

// Field error codes of the network records.
const (
	CodeNegative = "negative" // a count below zero
	CodeFuture   = "future"   // a date after now
	CodePersonal = "personal" // text that looks like a name, e-mail or phone number
	CodeMismatch = "mismatch" // two fields that contradict each other
)

// problems accumulates FieldErrors; done turns them into a *RecordError.
type problems []FieldError

func (p *problems) add(field, code, en, fr string, args ...any) {
	*p = append(*p, NewFieldError(field, code, en, fr, args...))
}

func (p problems) done(kind string, id uuid.UUID) error {
	if len(p) == 0 {
		return nil
	}
	s := ""
	if id != uuid.Nil {
		s = id.String()
	}
	return &RecordError{Kind: kind, ID: s, Problems: p}
}

func (p *problems) required(field string, empty bool) {
	if empty {
		p.add(field, CodeRequired, "is required", "est obligatoire")
	}
}

func (p *problems) id(field string, id uuid.UUID) {
	p.required(field, id == uuid.Nil)
}

func (p *problems) enum(field string, ok bool, v any) {
	if !ok {
		p.add(field, CodeEnum, "%q is not a known value", "%q n'est pas une valeur connue", fmt.Sprint(v))
	}
}

// minDate is the earliest date a network record may carry: anything before
// is a typing slip (Mon espace santé opened in 2022; 2000 leaves room for
// older trainings).
var minDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (p *problems) notFuture(field string, t, now time.Time) {
	if !t.IsZero() && t.Before(minDate) {
		p.add(field, CodeRange, "%s is before %s", "%s est antérieur au %s", t.Format(time.DateOnly), minDate.Format(time.DateOnly))
	}
	if t.After(now) {
		p.add(field, CodeFuture, "%s is in the future", "%s est dans le futur", t.Format(time.DateOnly))
	}
}

func (p *problems) count(field string, n int) {
	if n < 0 {
		p.add(field, CodeNegative, "%d is negative", "%d est négatif", n)
	}
}

func (p *problems) text(field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		p.add(field, CodeTooLong, "longer than %d characters", "plus de %d caractères", max)
	}
}

var (
	regionCodeRe      = regexp.MustCompile(`^(0[1-6]|[1-9][0-9])$`)
	departementCodeRe = regexp.MustCompile(`^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])$`)
	communeCodeRe     = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97|98)[0-9]{3}$`)
	languageRe        = regexp.MustCompile(`^[a-z]{2,3}$`)
	emailRe           = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@]+`)
	phoneRe           = regexp.MustCompile(`(\+?[0-9][0-9 .\-]{7,}[0-9])`)
)

// ValidRegionCode says whether s has the shape of an INSEE région code
// ("84", "11", "01" for Guadeloupe).
func ValidRegionCode(s string) bool { return regionCodeRe.MatchString(s) }

// ValidDepartementCode says whether s has the shape of a département code
// ("01".."95", "2A", "2B", "971".."978", "984".."989").
func ValidDepartementCode(s string) bool { return departementCodeRe.MatchString(s) }

// ValidCommuneCode says whether s has the shape of an INSEE commune code.
func ValidCommuneCode(s string) bool { return communeCodeRe.MatchString(s) }

// DepartementOfCommune returns the département code of an INSEE commune
// code ("2A004" → "2A", "97411" → "974"), or "" when code is malformed.
func DepartementOfCommune(code string) string {
	if !ValidCommuneCode(code) {
		return ""
	}
	if strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98") {
		return code[:3]
	}
	return code[:2]
}

// looksPersonal reports text that holds an e-mail address or a phone
// number, which have no place in the network's records.
func looksPersonal(s string) bool {
	if _, err := uuid.Parse(s); err == nil {
		// A UUID's groups of digits and dashes are not a phone number.
		return false
	}
	return emailRe.MatchString(s) || phoneRe.MatchString(s)
}

// HostKind is the kind of organisation that hosts a coordinator.
type HostKind string

// Host kinds.
const (
	HostGRADeS HostKind = "grades"
	HostARS    HostKind = "ars"
	HostCPAM   HostKind = "cpam"
	HostOther  HostKind = "autre"
)

// HostKinds lists the host kinds.
func HostKinds() []HostKind { return []HostKind{HostGRADeS, HostARS, HostCPAM, HostOther} }

// Valid says whether k is a known host kind.
func (k HostKind) Valid() bool { return slices.Contains(HostKinds(), k) }

// Coordinator animates the ambassadors of one région from a host
// organisation.
type Coordinator struct {
	ID uuid.UUID `json:"id"`
	// Region is the INSEE code of the région coordinated.
	Region   string   `json:"region"`
	HostKind HostKind `json:"host_kind"`
	// HostName is the organisation's name ("GRADeS Occitanie e-santé"), not
	// a person's.
	HostName string `json:"host_name"`
	// Handle is an optional display handle ("coord-occitanie-1").
	Handle    string    `json:"handle,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate lists every problem of c (see ValidateAt), taking now as the
// present.
func (c *Coordinator) Validate() error { return c.ValidateAt(time.Now()) }

// ValidateAt lists every problem of c, each with its field.
func (c *Coordinator) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", c.ID)
	p.required("region", c.Region == "")
	if c.Region != "" && !ValidRegionCode(c.Region) {
		p.add("region", CodePattern, "%q is not a région code", "%q n'est pas un code de région", c.Region)
	}
	p.required("host_kind", c.HostKind == "")
	if c.HostKind != "" {
		p.enum("host_kind", c.HostKind.Valid(), c.HostKind)
	}
	p.required("host_name", strings.TrimSpace(c.HostName) == "")
	p.text("host_name", c.HostName, 200)
	checkHandle(&p, c.Handle)
	p.required("created_at", c.CreatedAt.IsZero())
	p.notFuture("created_at", c.CreatedAt, now)
	return p.done("coordinator", c.ID)
}

// MaxHandleLength bounds a display handle.
const MaxHandleLength = 40

func checkHandle(p *problems, h string) {
	p.text("handle", h, MaxHandleLength)
	if looksPersonal(h) {
		p.add("handle", CodePersonal, "looks like an e-mail or a phone number; use a pseudonymous handle",
			"ressemble à un courriel ou un téléphone ; utiliser un pseudonyme")
	}
}

// AmbassadorKind is what an ambassador is by trade.
type AmbassadorKind string

// Ambassador kinds.
const (
	KindDigitalAdviser       AmbassadorKind = "conseiller_numerique"
	KindCPAMAgent            AmbassadorKind = "agent_cpam"
	KindARSAgent             AmbassadorKind = "agent_ars"
	KindSocialWorker         AmbassadorKind = "travailleur_social"
	KindHealthProfessional   AmbassadorKind = "professionnel_sante"
	KindPharmacist           AmbassadorKind = "pharmacien"
	KindAssociationVolunteer AmbassadorKind = "benevole_associatif"
	KindUserRepresentative   AmbassadorKind = "representant_usagers"
	KindOther                AmbassadorKind = "autre"
)

// AmbassadorKinds lists the ambassador kinds.
func AmbassadorKinds() []AmbassadorKind {
	return []AmbassadorKind{KindDigitalAdviser, KindCPAMAgent, KindARSAgent, KindSocialWorker,
		KindHealthProfessional, KindPharmacist, KindAssociationVolunteer, KindUserRepresentative, KindOther}
}

// Valid says whether k is a known kind.
func (k AmbassadorKind) Valid() bool { return slices.Contains(AmbassadorKinds(), k) }

// AmbassadorStatus is where an ambassador stands in the scheme.
type AmbassadorStatus string

// Ambassador statuses.
const (
	AmbassadorActive AmbassadorStatus = "actif"
	AmbassadorPaused AmbassadorStatus = "en_pause"
	AmbassadorLeft   AmbassadorStatus = "parti"
)

// AmbassadorStatuses lists the statuses.
func AmbassadorStatuses() []AmbassadorStatus {
	return []AmbassadorStatus{AmbassadorActive, AmbassadorPaused, AmbassadorLeft}
}

// Valid says whether s is a known status.
func (s AmbassadorStatus) Valid() bool { return slices.Contains(AmbassadorStatuses(), s) }

// Ambassador is a professional or a volunteer who relays Mon espace santé.
type Ambassador struct {
	ID uuid.UUID `json:"id"`
	// Handle is a display handle chosen by the coordinator, never a name.
	Handle        string         `json:"handle,omitempty"`
	CoordinatorID uuid.UUID      `json:"coordinator_id,omitzero"`
	Region        string         `json:"region"`
	Kind          AmbassadorKind `json:"kind"`
	// HostStructure is the organisation the ambassador works or volunteers
	// in (a name of a structure, not of a person).
	HostStructure string `json:"host_structure,omitempty"`
	// PlaceIDs are the ids of the mediation places (Place.ID) where the
	// ambassador acts.
	PlaceIDs []string `json:"place_ids,omitempty"`
	// Communes and Departements served (INSEE codes).
	Communes     []string `json:"communes,omitempty"`
	Departements []string `json:"departements,omitempty"`
	// Languages spoken besides French, ISO 639 codes ("ar", "en", "wo").
	Languages []string         `json:"languages,omitempty"`
	Status    AmbassadorStatus `json:"status"`
	// JoinedAt is the day the ambassador joined; StatusSince the day of the
	// last status change (the day they left when Status is "parti").
	JoinedAt    time.Time `json:"joined_at"`
	StatusSince time.Time `json:"status_since"`
	// StatusHistory lists the status changes SetStatus made, oldest first,
	// so an evaluation knows who was active during a past period. Records
	// imported without it are read as active from JoinedAt until
	// StatusSince.
	StatusHistory []AmbassadorStatusChange `json:"status_history,omitempty"`
	// Version counts stored updates, for optimistic concurrency.
	Version int `json:"version"`
}

// Validate lists every problem of a, taking now as the present.
func (a *Ambassador) Validate() error { return a.ValidateAt(time.Now()) }

// ValidateAt lists every problem of a, each with its field.
func (a *Ambassador) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", a.ID)
	checkHandle(&p, a.Handle)
	p.required("region", a.Region == "")
	if a.Region != "" && !ValidRegionCode(a.Region) {
		p.add("region", CodePattern, "%q is not a région code", "%q n'est pas un code de région", a.Region)
	}
	p.required("kind", a.Kind == "")
	if a.Kind != "" {
		p.enum("kind", a.Kind.Valid(), a.Kind)
	}
	p.text("host_structure", a.HostStructure, 200)
	if looksPersonal(a.HostStructure) {
		p.add("host_structure", CodePersonal, "looks like an e-mail or a phone number", "ressemble à un courriel ou un téléphone")
	}
	for i, id := range a.PlaceIDs {
		p.required(fmt.Sprintf("place_ids[%d]", i), strings.TrimSpace(id) == "")
	}
	for i, c := range a.Communes {
		if !ValidCommuneCode(c) {
			p.add(fmt.Sprintf("communes[%d]", i), CodePattern, "%q is not an INSEE commune code", "%q n'est pas un code INSEE de commune", c)
		}
	}
	for i, d := range a.Departements {
		if !ValidDepartementCode(d) {
			p.add(fmt.Sprintf("departements[%d]", i), CodePattern, "%q is not a département code", "%q n'est pas un code de département", d)
		}
	}
	for i, l := range a.Languages {
		if !languageRe.MatchString(l) {
			p.add(fmt.Sprintf("languages[%d]", i), CodePattern, "%q is not an ISO 639 code", "%q n'est pas un code ISO 639", l)
		}
	}
	p.required("status", a.Status == "")
	if a.Status != "" {
		p.enum("status", a.Status.Valid(), a.Status)
	}
	p.required("joined_at", a.JoinedAt.IsZero())
	p.notFuture("joined_at", a.JoinedAt, now)
	p.required("status_since", a.StatusSince.IsZero())
	p.notFuture("status_since", a.StatusSince, now)
	if !a.JoinedAt.IsZero() && !a.StatusSince.IsZero() && a.StatusSince.Before(a.JoinedAt) {
		p.add("status_since", CodeMismatch, "is before joined_at", "est antérieur à joined_at")
	}
	for i, c := range a.StatusHistory {
		f := fmt.Sprintf("status_history[%d]", i)
		p.enum(f+".from", c.From.Valid(), c.From)
		p.enum(f+".to", c.To.Valid(), c.To)
		p.required(f+".day", c.Day.IsZero())
		p.notFuture(f+".day", c.Day, now)
		if i > 0 && c.Day.Before(a.StatusHistory[i-1].Day) {
			p.add(f+".day", CodeMismatch, "is before the previous change", "est antérieur au changement précédent")
		}
		if i > 0 && c.From != a.StatusHistory[i-1].To {
			p.add(f+".from", CodeMismatch, "is not the status the previous change set", "n'est pas le statut du changement précédent")
		}
		if !a.JoinedAt.IsZero() && !c.Day.IsZero() && c.Day.Before(a.JoinedAt) {
			p.add(f+".day", CodeMismatch, "is before joined_at", "est antérieur à joined_at")
		}
	}
	if n := len(a.StatusHistory); n > 0 && a.Status != "" && a.StatusHistory[n-1].To != a.Status {
		p.add("status_history", CodeMismatch, "does not end with the current status", "ne se termine pas par le statut actuel")
	}
	p.count("version", a.Version)
	return p.done("ambassador", a.ID)
}

// AmbassadorStatusChange is one change of an ambassador's status.
type AmbassadorStatusChange struct {
	From AmbassadorStatus `json:"from"`
	To   AmbassadorStatus `json:"to"`
	Day  time.Time        `json:"day"`
}

// ActiveDuring reports whether the ambassador was active ("actif") at some
// time in [from, to): joined before to, and with an active stretch that
// overlaps the period. It reads StatusHistory; without one, the ambassador
// is taken as active from JoinedAt until StatusSince when the status is no
// longer active, and from JoinedAt on when it is.
func (a *Ambassador) ActiveDuring(from, to time.Time) bool {
	if !a.JoinedAt.IsZero() && !a.JoinedAt.Before(to) {
		return false
	}
	status, since := AmbassadorActive, a.JoinedAt
	changes := a.StatusHistory
	if len(changes) == 0 && a.Status != AmbassadorActive {
		changes = []AmbassadorStatusChange{{From: AmbassadorActive, To: a.Status, Day: a.StatusSince}}
	}
	if len(changes) > 0 {
		status = changes[0].From
	}
	for _, c := range changes {
		// status held over [since, c.Day).
		if status == AmbassadorActive && c.Day.After(from) && since.Before(to) {
			return true
		}
		status, since = c.To, c.Day
	}
	return status == AmbassadorActive && since.Before(to)
}

// LeftDuring reports whether the ambassador left the scheme ("parti") in
// [from, to).
func (a *Ambassador) LeftDuring(from, to time.Time) bool {
	in := func(d time.Time) bool { return !d.Before(from) && d.Before(to) }
	if len(a.StatusHistory) == 0 {
		return a.Status == AmbassadorLeft && in(a.StatusSince)
	}
	for _, c := range a.StatusHistory {
		if c.To == AmbassadorLeft && in(c.Day) {
			return true
		}
	}
	return false
}

// SetStatus changes the status on day and appends the change to
// StatusHistory; a no-op when it is unchanged.
func (a *Ambassador) SetStatus(s AmbassadorStatus, day time.Time) error {
	if !s.Valid() {
		return &RecordError{Kind: "ambassador", ID: a.ID.String(), Problems: []FieldError{
			NewFieldError("status", CodeEnum, "%q is not a known value", "%q n'est pas une valeur connue", string(s))}}
	}
	if s == a.Status {
		return nil
	}
	if a.Status != "" {
		a.StatusHistory = append(a.StatusHistory, AmbassadorStatusChange{From: a.Status, To: s, Day: day})
	}
	a.Status, a.StatusSince = s, day
	return nil
}

// ModuleMonEspaceSante is the training module « Formé à « Mon Espace
// Santé » », spelt like the place label LabelFormeMonEspaceSante so a
// trained ambassador and a labelled place are counted alike.
const ModuleMonEspaceSante = string(LabelFormeMonEspaceSante)

// LabelTrainedPlaces gives the label LabelFormeMonEspaceSante to each place
// that a training of the Mon espace santé module, dated before until (at
// any date when until is zero), names, so a map or a coverage counts as
// trained the places the network trained, not only those whose directory
// entry says so. It changes places where they are, without writing into a
// label array another place may share.
func LabelTrainedPlaces(places []Place, trainings []Training, until time.Time) {
	trained := map[string]bool{}
	for _, t := range trainings {
		if t.PlaceID != "" && t.Module == ModuleMonEspaceSante && (until.IsZero() || t.Date.Before(until)) {
			trained[t.PlaceID] = true
		}
	}
	for i := range places {
		p := &places[i]
		if trained[p.ID] && !slices.Contains(p.Labels, LabelFormeMonEspaceSante) {
			p.Labels = append(slices.Clip(p.Labels), LabelFormeMonEspaceSante)
		}
	}
}

// PixResult is a Pix certification or positioning score attached to a
// training.
type PixResult struct {
	// Score is the Pix score (0 to 1024).
	Score int       `json:"score"`
	Date  time.Time `json:"date"`
}

// Training records that an ambassador, or a place's team, followed a
// training module.
type Training struct {
	ID uuid.UUID `json:"id"`
	// AmbassadorID or PlaceID (at least one) says who was trained.
	AmbassadorID uuid.UUID `json:"ambassador_id,omitzero"`
	PlaceID      string    `json:"place_id,omitempty"`
	// Module is the module's name; ModuleMonEspaceSante is the scheme's.
	Module   string     `json:"module"`
	Date     time.Time  `json:"date"`
	Provider string     `json:"provider,omitempty"`
	Pix      *PixResult `json:"pix,omitempty"`
}

// Validate lists every problem of t, taking now as the present.
func (t *Training) Validate() error { return t.ValidateAt(time.Now()) }

// ValidateAt lists every problem of t, each with its field.
func (t *Training) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", t.ID)
	if t.AmbassadorID == uuid.Nil && strings.TrimSpace(t.PlaceID) == "" {
		p.add("ambassador_id", CodeRequired, "ambassador_id or place_id is required", "ambassador_id ou place_id est obligatoire")
	}
	p.required("module", strings.TrimSpace(t.Module) == "")
	p.text("module", t.Module, 200)
	p.text("provider", t.Provider, 200)
	p.required("date", t.Date.IsZero())
	p.notFuture("date", t.Date, now)
	if t.Pix != nil {
		if t.Pix.Score < 0 || t.Pix.Score > 1024 {
			p.add("pix.score", CodeRange, "%d is outside 0..1024", "%d est hors de 0..1024", t.Pix.Score)
		}
		p.notFuture("pix.date", t.Pix.Date, now)
	}
	return p.done("training", t.ID)
}

// MonEspaceSante says whether t is the Mon espace santé module.
func (t *Training) MonEspaceSante() bool { return t.Module == ModuleMonEspaceSante }
