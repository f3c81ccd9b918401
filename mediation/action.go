package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ActionType is the kind of an ambassador action or a counted activity.
type ActionType string

// Action types. The first ones are the scheme's; the last two are La Coop
// de la médiation numérique's activity types, so an imported activity keeps
// its nature.
const (
	ActionAccountStand       ActionType = "stand_ouverture_compte"
	ActionActivationWorkshop ActionType = "atelier_activation"
	ActionWebinar            ActionType = "webinaire"
	ActionInformationMorning ActionType = "matinee_information"
	ActionDropIn             ActionType = "permanence"
	ActionFair               ActionType = "salon_forum"
	ActionConference         ActionType = "conference"
	ActionCollectiveWorkshop ActionType = "atelier_collectif"
	ActionIndividualSupport  ActionType = "accompagnement_individuel"
	ActionOther              ActionType = "autre"
)

// ActionTypes lists the action types.
func ActionTypes() []ActionType {
	return []ActionType{ActionAccountStand, ActionActivationWorkshop, ActionWebinar, ActionInformationMorning,
		ActionDropIn, ActionFair, ActionConference, ActionCollectiveWorkshop, ActionIndividualSupport, ActionOther}
}

// Valid says whether t is a known action type.
func (t ActionType) Valid() bool { return slices.Contains(ActionTypes(), t) }

// Theme is a theme of an action or an accompaniment, on La Coop's list.
type Theme string

// Themes of La Coop de la médiation numérique (« Thématique(s)
// d'accompagnement »), plus the administrative procedures.
const (
	ThemeDiagnostic        Theme = "diagnostic_numerique"
	ThemeEquipment         Theme = "prendre_en_main_du_materiel"
	ThemeDeviceMaintenance Theme = "maintenance_de_materiel"
	ThemeBrowsing          Theme = "navigation_sur_internet"
	ThemeEmail             Theme = "email"
	ThemeOffice            Theme = "bureautique"
	ThemeSocialNetworks    Theme = "reseaux_sociaux"
	ThemeHealth            Theme = "sante"
	ThemeBankingShopping   Theme = "banque_et_achats_en_ligne"
	ThemeEntrepreneurship  Theme = "entrepreneuriat"
	ThemeEmployment        Theme = "insertion_professionnelle"
	ThemeSecurity          Theme = "securite_numerique"
	ThemeParenting         Theme = "parentalite"
	ThemeSchooling         Theme = "scolarite_et_numerique"
	ThemeCreating          Theme = "creer_avec_le_numerique"
	ThemeDigitalCulture    Theme = "culture_numerique"
	ThemeAI                Theme = "intelligence_artificielle"
	ThemeAdministrative    Theme = "demarches_administratives"
	ThemeOther             Theme = "autre"
)

// Themes lists the themes.
func Themes() []Theme {
	return []Theme{ThemeDiagnostic, ThemeEquipment, ThemeDeviceMaintenance, ThemeBrowsing, ThemeEmail,
		ThemeOffice, ThemeSocialNetworks, ThemeHealth, ThemeBankingShopping, ThemeEntrepreneurship,
		ThemeEmployment, ThemeSecurity, ThemeParenting, ThemeSchooling, ThemeCreating,
		ThemeDigitalCulture, ThemeAI, ThemeAdministrative, ThemeOther}
}

// Valid says whether t is a known theme.
func (t Theme) Valid() bool { return slices.Contains(Themes(), t) }

// Equipment is the digital equipment used in an accompaniment.
type Equipment string

// Equipment values (« Matériel numérique utilisé »).
const (
	EquipmentComputer Equipment = "ordinateur"
	EquipmentPhone    Equipment = "telephone"
	EquipmentTablet   Equipment = "tablette"
	EquipmentOther    Equipment = "autre"
	EquipmentNone     Equipment = "aucun"
)

// Equipments lists the equipment values.
func Equipments() []Equipment {
	return []Equipment{EquipmentComputer, EquipmentPhone, EquipmentTablet, EquipmentOther, EquipmentNone}
}

// Valid says whether e is a known equipment.
func (e Equipment) Valid() bool { return slices.Contains(Equipments(), e) }

// Channel is where an accompaniment took place (« Canaux d'accompagnement »).
type Channel string

// Channels.
const (
	ChannelPlace  Channel = "lieu_activite"
	ChannelHome   Channel = "domicile"
	ChannelRemote Channel = "a_distance"
	ChannelOther  Channel = "autre"
)

// Channels lists the channels.
func Channels() []Channel { return []Channel{ChannelPlace, ChannelHome, ChannelRemote, ChannelOther} }

// Valid says whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels(), c) }

// Autonomy is what the person could do alone at the end, on La Coop's scale
// (the same wire values as referral.Autonomy).
type Autonomy string

// Autonomy levels: Coop's « Niveau d'autonomie » 1/3, 2/3, 3/3.
const (
	AutonomyFullySupported Autonomy = "entierement_accompagne"
	AutonomyPartial        Autonomy = "partiellement_autonome"
	AutonomyAutonomous     Autonomy = "autonome"
)

// Autonomies lists the autonomy levels, least autonomous first.
func Autonomies() []Autonomy {
	return []Autonomy{AutonomyFullySupported, AutonomyPartial, AutonomyAutonomous}
}

// Valid says whether a is a known autonomy level.
func (a Autonomy) Valid() bool { return slices.Contains(Autonomies(), a) }

// AgeBand is one of La Coop's age bands.
type AgeBand string

// Age bands (« Tranche d'âge du bénéficiaire »).
const (
	AgeUnder12   AgeBand = "moins_de_12"
	Age12To17    AgeBand = "12_18"
	Age18To24    AgeBand = "18_24"
	Age25To39    AgeBand = "25_39"
	Age40To59    AgeBand = "40_59"
	Age60To69    AgeBand = "60_69"
	Age70Plus    AgeBand = "70_et_plus"
	AgeUndefined AgeBand = "non_communique"
)

// AgeBands lists the age bands, youngest first, "non_communique" last.
func AgeBands() []AgeBand {
	return []AgeBand{AgeUnder12, Age12To17, Age18To24, Age25To39, Age40To59, Age60To69, Age70Plus, AgeUndefined}
}

// Valid says whether b is a known age band.
func (b AgeBand) Valid() bool { return slices.Contains(AgeBands(), b) }

// Gender is La Coop's « Genre du bénéficiaire ».
type Gender string

// Genders.
const (
	GenderMale      Gender = "masculin"
	GenderFemale    Gender = "feminin"
	GenderUndefined Gender = "non_communique"
)

// Genders lists the genders.
func Genders() []Gender { return []Gender{GenderMale, GenderFemale, GenderUndefined} }

// Valid says whether g is a known gender.
func (g Gender) Valid() bool { return slices.Contains(Genders(), g) }

// ParticipantCounts are anonymous counts of participants by age band and by
// gender; either breakdown may be left empty.
type ParticipantCounts struct {
	ByAge    map[AgeBand]int `json:"by_age,omitempty"`
	ByGender map[Gender]int  `json:"by_gender,omitempty"`
}

// IsZero says whether no count is given, so an empty breakdown is left
// out of JSON like a missing one.
func (c ParticipantCounts) IsZero() bool { return len(c.ByAge) == 0 && len(c.ByGender) == 0 }

// AgeTotal sums the age breakdown.
func (c ParticipantCounts) AgeTotal() int { return sumCounts(c.ByAge) }

// GenderTotal sums the gender breakdown.
func (c ParticipantCounts) GenderTotal() int { return sumCounts(c.ByGender) }

func sumCounts[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func (c ParticipantCounts) check(p *problems, total int) {
	for b, n := range c.ByAge {
		f := "participants.by_age." + string(b)
		p.enum(f, b.Valid(), b)
		p.count(f, n)
	}
	for g, n := range c.ByGender {
		f := "participants.by_gender." + string(g)
		p.enum(f, g.Valid(), g)
		p.count(f, n)
	}
	if total < 0 {
		return // the negative total is reported already
	}
	if a := c.AgeTotal(); a > total {
		p.add("participants.by_age", CodeMismatch, "adds up to %d, more than the %d people sensitised",
			"totalise %d, plus que les %d personnes sensibilisées", a, total)
	}
	if g := c.GenderTotal(); g > total {
		p.add("participants.by_gender", CodeMismatch, "adds up to %d, more than the %d people sensitised",
			"totalise %d, plus que les %d personnes sensibilisées", g, total)
	}
}

// Sources of imported records, for Action.Source and Accompaniment.Source.
const (
	SourceCoop = "coop" // La Coop de la médiation numérique (ExternalID: « ID CRA »)
)

// externalNamespace roots the ids derived from external ids.
var externalNamespace = uuid.MustParse("6f1d3c1e-6a52-4d0e-9c1f-3e0b6a2d7c55")

// ExternalUUID derives the id of a record imported from source with the
// given external id (and optional parts, such as a row's position within an
// activity). The same inputs always give the same id, so importing a file
// twice stores nothing new: stores are idempotent on ids.
func ExternalUUID(source, externalID string, parts ...string) uuid.UUID {
	return uuid.NewSHA1(externalNamespace, []byte(strings.Join(append([]string{source, externalID}, parts...), "\x1f")))
}

// Action is one ambassador action or one counted activity: a stand, a
// workshop, a webinar, a drop-in session, ... with anonymous counts.
type Action struct {
	ID uuid.UUID `json:"id"`
	// Source and ExternalID name the record this action was imported
	// from (Source "coop", ExternalID its « ID CRA »); when set, ID must be
	// ExternalUUID(Source, ExternalID).
	Source     string     `json:"source,omitempty"`
	ExternalID string     `json:"external_id,omitempty"`
	Type       ActionType `json:"type"`
	Date       time.Time  `json:"date"`
	// DurationMinutes is the length of the action.
	DurationMinutes int `json:"duration_minutes"`
	// PlaceID (a Place.ID) and Commune (INSEE code) say where; Remote
	// actions have neither necessarily. Departement is the commune's,
	// kept so stores can filter without the territory reference.
	PlaceID     string `json:"place_id,omitempty"`
	Commune     string `json:"commune,omitempty"`
	Departement string `json:"departement,omitempty"`
	Region      string `json:"region,omitempty"`
	Remote      bool   `json:"remote,omitempty"`
	// Organiser is the organising structure (not a person).
	Organiser         string            `json:"organiser,omitempty"`
	CoordinatorID     uuid.UUID         `json:"coordinator_id,omitzero"`
	AmbassadorIDs     []uuid.UUID       `json:"ambassador_ids,omitzero"`
	PeopleSensitised  int               `json:"people_sensitised"`
	AccountsActivated int               `json:"accounts_activated"`
	ReferralsMade     int               `json:"referrals_made"`
	Participants      ParticipantCounts `json:"participants,omitzero"`
	Themes            []Theme           `json:"themes,omitempty"`
	RecordedAt        time.Time         `json:"recorded_at"`
}

// MaxDurationMinutes bounds an action's or accompaniment's duration (three
// days), to catch hours typed as minutes twice over.
const MaxDurationMinutes = 3 * 24 * 60

// Validate lists every problem of a, taking now as the present.
func (a *Action) Validate() error { return a.ValidateAt(time.Now()) }

// ValidateAt lists every problem of a, each with its field.
func (a *Action) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", a.ID)
	checkExternal(&p, a.Source, a.ExternalID)
	if a.Source != "" && a.ExternalID != "" && a.ID != uuid.Nil && a.ID != ExternalUUID(a.Source, a.ExternalID) {
		p.add("id", CodeMismatch, "is not ExternalUUID(source, external_id)", "n'est pas ExternalUUID(source, external_id)")
	}
	p.required("type", a.Type == "")
	if a.Type != "" {
		p.enum("type", a.Type.Valid(), a.Type)
	}
	p.required("date", a.Date.IsZero())
	p.notFuture("date", a.Date, now)
	p.count("duration_minutes", a.DurationMinutes)
	if a.DurationMinutes > MaxDurationMinutes {
		p.add("duration_minutes", CodeRange, "%d is more than %d", "%d dépasse %d", a.DurationMinutes, MaxDurationMinutes)
	}
	checkWhere(&p, a.PlaceID, a.Commune, a.Departement, a.Region, a.Remote)
	p.text("organiser", a.Organiser, 200)
	if looksPersonal(a.Organiser) {
		p.add("organiser", CodePersonal, "looks like an e-mail or a phone number", "ressemble à un courriel ou un téléphone")
	}
	for i, id := range a.AmbassadorIDs {
		p.id(fmt.Sprintf("ambassador_ids[%d]", i), id)
	}
	p.count("people_sensitised", a.PeopleSensitised)
	p.count("accounts_activated", a.AccountsActivated)
	p.count("referrals_made", a.ReferralsMade)
	if a.AccountsActivated > a.PeopleSensitised && a.PeopleSensitised >= 0 {
		p.add("accounts_activated", CodeMismatch, "%d is more than the %d people sensitised",
			"%d dépasse les %d personnes sensibilisées", a.AccountsActivated, a.PeopleSensitised)
	}
	a.Participants.check(&p, a.PeopleSensitised)
	for i, t := range a.Themes {
		p.enum(fmt.Sprintf("themes[%d]", i), t.Valid(), t)
	}
	p.notFuture("recorded_at", a.RecordedAt, now)
	return p.done("action", a.ID)
}

func checkExternal(p *problems, source, external string) {
	if (source == "") != (external == "") {
		p.add("external_id", CodeRequired, "source and external_id go together", "source et external_id vont ensemble")
	}
}

func checkWhere(p *problems, placeID, commune, dep, region string, remote bool) {
	if !remote && placeID == "" && commune == "" {
		p.add("commune", CodeRequired, "a place, a commune or remote is required", "un lieu, une commune ou « à distance » est obligatoire")
	}
	if commune != "" && !ValidCommuneCode(commune) {
		p.add("commune", CodePattern, "%q is not an INSEE commune code", "%q n'est pas un code INSEE de commune", commune)
	}
	if dep != "" && !ValidDepartementCode(dep) {
		p.add("departement", CodePattern, "%q is not a département code", "%q n'est pas un code de département", dep)
	}
	if commune != "" && dep != "" && ValidCommuneCode(commune) && DepartementOfCommune(commune) != dep {
		p.add("departement", CodeMismatch, "%q is not the département of commune %q", "%q n'est pas le département de la commune %q", dep, commune)
	}
	if region != "" && !ValidRegionCode(region) {
		p.add("region", CodePattern, "%q is not a région code", "%q n'est pas un code de région", region)
	}
}

// Accompaniment is one-to-one help given to one pseudonymous person (or one
// participant of a collective activity, as La Coop records them).
type Accompaniment struct {
	ID uuid.UUID `json:"id"`
	// ActionID is the activity this accompaniment belongs to, if any.
	ActionID   uuid.UUID `json:"action_id,omitzero"`
	Source     string    `json:"source,omitempty"`
	ExternalID string    `json:"external_id,omitempty"`
	// PersonID is pseudonymous; empty when the person stayed anonymous.
	PersonID        string      `json:"person_id,omitempty"`
	AmbassadorID    uuid.UUID   `json:"ambassador_id,omitzero"`
	Date            time.Time   `json:"date"`
	DurationMinutes int         `json:"duration_minutes"`
	Channel         Channel     `json:"channel,omitempty"`
	PlaceID         string      `json:"place_id,omitempty"`
	Commune         string      `json:"commune,omitempty"`
	Departement     string      `json:"departement,omitempty"`
	Region          string      `json:"region,omitempty"`
	Themes          []Theme     `json:"themes,omitempty"`
	Equipment       []Equipment `json:"equipment,omitempty"`
	Autonomy        Autonomy    `json:"autonomy,omitempty"`
	Redirected      bool        `json:"redirected,omitempty"`
	// RedirectedTo is the structure the person was sent to (a structure's
	// name, not a person's).
	RedirectedTo string `json:"redirected_to,omitempty"`
	// The person's age band, gender and commune of residence, anonymous.
	AgeBand          AgeBand   `json:"age_band,omitempty"`
	Gender           Gender    `json:"gender,omitempty"`
	ResidenceCommune string    `json:"residence_commune,omitempty"`
	RecordedAt       time.Time `json:"recorded_at"`
}

// Validate lists every problem of a, taking now as the present.
func (a *Accompaniment) Validate() error { return a.ValidateAt(time.Now()) }

// ValidateAt lists every problem of a, each with its field.
func (a *Accompaniment) ValidateAt(now time.Time) error {
	var p problems
	p.id("id", a.ID)
	checkExternal(&p, a.Source, a.ExternalID)
	if looksPersonal(a.PersonID) {
		p.add("person_id", CodePersonal, "must be a pseudonymous id, not an e-mail or a phone number",
			"doit être un identifiant pseudonyme, pas un courriel ni un téléphone")
	}
	p.text("person_id", a.PersonID, 64)
	p.required("date", a.Date.IsZero())
	p.notFuture("date", a.Date, now)
	p.count("duration_minutes", a.DurationMinutes)
	if a.DurationMinutes > MaxDurationMinutes {
		p.add("duration_minutes", CodeRange, "%d is more than %d", "%d dépasse %d", a.DurationMinutes, MaxDurationMinutes)
	}
	if a.Channel != "" {
		p.enum("channel", a.Channel.Valid(), a.Channel)
	}
	checkWhere(&p, a.PlaceID, a.Commune, a.Departement, a.Region, a.Channel == ChannelRemote || a.Channel == ChannelHome)
	for i, t := range a.Themes {
		p.enum(fmt.Sprintf("themes[%d]", i), t.Valid(), t)
	}
	for i, e := range a.Equipment {
		p.enum(fmt.Sprintf("equipment[%d]", i), e.Valid(), e)
	}
	if a.Autonomy != "" {
		p.enum("autonomy", a.Autonomy.Valid(), a.Autonomy)
	}
	p.text("redirected_to", a.RedirectedTo, 200)
	if a.RedirectedTo != "" && !a.Redirected {
		p.add("redirected_to", CodeMismatch, "set while redirected is false", "renseigné alors que redirected est faux")
	}
	if a.AgeBand != "" {
		p.enum("age_band", a.AgeBand.Valid(), a.AgeBand)
	}
	if a.Gender != "" {
		p.enum("gender", a.Gender.Valid(), a.Gender)
	}
	if a.ResidenceCommune != "" && !ValidCommuneCode(a.ResidenceCommune) {
		p.add("residence_commune", CodePattern, "%q is not an INSEE commune code", "%q n'est pas un code INSEE de commune", a.ResidenceCommune)
	}
	p.notFuture("recorded_at", a.RecordedAt, now)
	return p.done("accompaniment", a.ID)
}
