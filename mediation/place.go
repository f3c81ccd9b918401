package mediation

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/passerelle-sante/passerelle/mediation/openinghours"
)

// Place is one mediation place as the national standard describes it
// (LaMednum standard-mediation-num v1). JSON keys are the standard's column
// names, so a Place marshals to a v1 JSON record; Provenance and Flags are
// passerelle's own additions (who said so, what was repaired).
//
// Contact fields (telephone, courriels, site_web) belong to the place, not to
// a person: they are public reception details.
type Place struct {
	ID                string `json:"id"`
	Pivot             string `json:"pivot"`
	Name              string `json:"nom"`
	Commune           string `json:"commune"`
	PostalCode        string `json:"code_postal"`
	INSEECode         string `json:"code_insee,omitempty"`
	Address           string `json:"adresse"`
	AddressComplement string `json:"complement_adresse,omitempty"`
	// Latitude and Longitude are WGS84 degrees; both zero means unknown
	// (see HasLocation).
	Latitude        float64      `json:"latitude,omitempty"`
	Longitude       float64      `json:"longitude,omitempty"`
	Typology        []string     `json:"typologie,omitempty"`
	Phone           string       `json:"telephone,omitempty"`
	Emails          []string     `json:"courriels,omitempty"`
	Websites        []string     `json:"site_web,omitempty"`
	Hours           string       `json:"horaires,omitempty"` // OSM opening_hours, kept raw
	Summary         string       `json:"presentation_resume,omitempty"`
	Detail          string       `json:"presentation_detail,omitempty"`
	Source          string       `json:"source,omitempty"`
	Itinerance      []Itinerance `json:"itinerance,omitempty"`
	ParentStructure string       `json:"structure_parente,omitempty"`
	// UpdatedAt is the date of the last update, YYYY-MM-DD (date_maj).
	UpdatedAt       string            `json:"date_maj"`
	Services        []Service         `json:"services,omitempty"`
	Publics         []Public          `json:"publics_specifiquement_adresses,omitempty"`
	SpecificSupport []SpecificSupport `json:"prise_en_charge_specifique,omitempty"`
	Fees            []Fee             `json:"frais_a_charge,omitempty"`
	Programs        []Program         `json:"dispositif_programmes_nationaux,omitempty"`
	Labels          []Label           `json:"formations_labels,omitempty"`
	OtherLabels     []string          `json:"autres_formations_labels,omitempty"`
	AccessModes     []AccessMode      `json:"modalites_acces,omitempty"`
	SupportModes    []SupportMode     `json:"modalites_accompagnement,omitempty"`
	// Accessibility is the URL of the place's acceslibre record.
	Accessibility string `json:"fiche_acces_libre,omitempty"`
	// Booking is the URL where people book an appointment (prise_rdv).
	Booking string `json:"prise_rdv,omitempty"`

	// Provenance lists every source record this place was built from; a
	// merged place keeps all of them.
	Provenance []Provenance `json:"provenance,omitempty"`
	// Flags lists the repairs made on import, so nobody mistakes a commune
	// centroid for a street address.
	Flags []RepairFlag `json:"flags,omitempty"`
}

// Provenance says where a place (or part of it) came from.
type Provenance struct {
	Source   string `json:"source"`              // feed name, e.g. "france-services", "Hinaura"
	SourceID string `json:"source_id,omitempty"` // the record's id in that feed
	File     string `json:"file,omitempty"`
	Row      int    `json:"row,omitempty"` // 1-based data row or JSON array index + 1
}

// RepairFlag names one repair made to a place on import.
type RepairFlag string

// Repairs an importer may make. Each is visible on the place and in the
// import report.
const (
	// FlagApproximateLocation: coordinates are the commune centroid.
	FlagApproximateLocation RepairFlag = "approximate_location"
	// FlagINSEECodeDerived: code_insee came from postal code and commune name.
	FlagINSEECodeDerived RepairFlag = "insee_code_derived"
	// FlagCoordinatesSwapped: latitude and longitude were given in reverse.
	FlagCoordinatesSwapped RepairFlag = "coordinates_swapped"
	// FlagCommuneDerived: the commune name came from the INSEE or postal code.
	FlagCommuneDerived RepairFlag = "commune_derived"
	// FlagPostalCodeDerived: code_postal is the only postal code of the commune.
	FlagPostalCodeDerived RepairFlag = "postal_code_derived"
	// FlagSuspiciousLocation: coordinates are far from the commune; kept.
	FlagSuspiciousLocation RepairFlag = "suspicious_location"
	// FlagHoursUnparsed: the source hours could not be turned into OSM
	// opening_hours; horaires is empty.
	FlagHoursUnparsed RepairFlag = "hours_unparsed"
	// FlagLegacyMapped: values of the v0.1 standard were mapped onto v1.
	FlagLegacyMapped RepairFlag = "legacy_v0_1_mapped"
	// FlagValuesDropped: unknown enumeration values were dropped.
	FlagValuesDropped RepairFlag = "values_dropped"
	// FlagFieldNormalized: a value was rewritten to the standard's format
	// (phone number, postal code padding, date).
	FlagFieldNormalized RepairFlag = "field_normalized"
	// FlagMerged: the place merges records of several feeds.
	FlagMerged RepairFlag = "merged"
)

// Point is a WGS84 position in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// HasLocation reports whether the place has usable coordinates: within WGS84
// ranges and not the (0, 0) that broken exports write for "unknown".
func (p Place) HasLocation() bool {
	return validCoordinates(p.Latitude, p.Longitude)
}

// Location returns the place's position and whether it is known.
func (p Place) Location() (Point, bool) {
	if !p.HasLocation() {
		return Point{}, false
	}
	return Point{Lat: p.Latitude, Lon: p.Longitude}, true
}

func validCoordinates(lat, lon float64) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) || (lat == 0 && lon == 0) {
		return false
	}
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// HasService reports whether the place offers s.
func (p Place) HasService(s Service) bool { return slices.Contains(p.Services, s) }

// HasLabel reports whether the place holds l.
func (p Place) HasLabel(l Label) bool { return slices.Contains(p.Labels, l) }

// HasProgram reports whether the place belongs to the national programme pr.
func (p Place) HasProgram(pr Program) bool { return slices.Contains(p.Programs, pr) }

// HasPublic reports whether the place specifically addresses pu.
func (p Place) HasPublic(pu Public) bool { return slices.Contains(p.Publics, pu) }

// HasSpecificSupport reports whether the place supports the need s.
func (p Place) HasSpecificSupport(s SpecificSupport) bool {
	return slices.Contains(p.SpecificSupport, s)
}

// HasSupportMode reports whether the place accompanies people in mode m.
func (p Place) HasSupportMode(m SupportMode) bool { return slices.Contains(p.SupportModes, m) }

// HasFlag reports whether the import repaired the place with f.
func (p Place) HasFlag(f RepairFlag) bool { return slices.Contains(p.Flags, f) }

// AddFlag records the repair f once.
func (p *Place) AddFlag(f RepairFlag) {
	if !p.HasFlag(f) {
		p.Flags = append(p.Flags, f)
	}
}

// IsFree reports whether the place says its services are free (with or
// without conditions).
func (p Place) IsFree() bool {
	return slices.Contains(p.Fees, FeeFree) || slices.Contains(p.Fees, FeeFreeConditional)
}

// Updated returns date_maj as a date, and false when it is missing or not
// YYYY-MM-DD.
func (p Place) Updated() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, p.UpdatedAt)
	return t, err == nil
}

// FieldError is one problem with one field: where (the standard's column
// name) and what (a stable code and a sentence). It is used both for
// validation against the standard and for import reports.
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`              // English
	MessageFR string `json:"message_fr,omitempty"` // French
}

// NewFieldError builds a FieldError worded in English and French; args fill
// both formats.
func NewFieldError(field, code, en, fr string, args ...any) FieldError {
	return FieldError{Field: field, Code: code, Message: fmt.Sprintf(en, args...), MessageFR: fmt.Sprintf(fr, args...)}
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Text returns the message in lang ("fr" or "en"; English when no French
// wording exists).
func (e FieldError) Text(lang string) string {
	if lang == "fr" && e.MessageFR != "" {
		return e.MessageFR
	}
	return e.Message
}

// Codes of FieldError, stable for programs reading reports.
const (
	CodeRequired      = "required"       // a required field is empty
	CodePattern       = "pattern"        // the value breaks the field's pattern
	CodeEnum          = "enum"           // a value is not in the field's list
	CodeRange         = "range"          // a number is out of range
	CodeTooLong       = "too_long"       // a text is over its maximum length
	CodeDuplicateID   = "duplicate_id"   // the id is already used in the file
	CodeRepaired      = "repaired"       // the importer repaired the field
	CodeDropped       = "dropped"        // a value was dropped
	CodeMapped        = "mapped"         // a v0.1 value was mapped onto v1
	CodeUnknownColumn = "unknown_column" // a column the standard does not know (kept aside)
	CodeType          = "type"           // the JSON type is wrong
)

// Patterns of the v1 standard (and the pivot rule passerelle checks).
var (
	postalCodePattern = regexp.MustCompile(`^\d{5}$`)
	inseeCodePattern  = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	pivotPattern      = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	phonePattern      = regexp.MustCompile(`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$`)
	datePattern       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// SummaryMaxLength is the standard's limit for presentation_resume.
const SummaryMaxLength = 280

// Validate checks the place against the rules of the v1 standard: required
// fields (id, pivot, nom, commune, code_postal, adresse, date_maj), the
// patterns of code_postal, code_insee, pivot, telephone and date_maj, the
// coordinate ranges, horaires in OSM opening_hours syntax, the length of
// presentation_resume and every enumeration value. It returns nil when the place conforms.
func (p Place) Validate() []FieldError {
	var errs []FieldError
	add := func(field, code, en, fr string, args ...any) {
		errs = append(errs, NewFieldError(field, code, en, fr, args...))
	}
	for _, r := range []struct{ field, value string }{
		{"id", p.ID}, {"pivot", p.Pivot}, {"nom", p.Name}, {"commune", p.Commune},
		{"code_postal", p.PostalCode}, {"adresse", p.Address}, {"date_maj", p.UpdatedAt},
	} {
		if r.value == "" {
			add(r.field, CodeRequired, "is required", "est obligatoire")
		}
	}
	if p.Pivot != "" && !pivotPattern.MatchString(p.Pivot) {
		add("pivot", CodePattern, "%q is not a SIRET, RNA or RIDET (9 to 14 letters or digits)",
			"%q n'est ni un SIRET, ni un RNA, ni un RIDET (9 à 14 lettres ou chiffres)", p.Pivot)
	}
	if p.PostalCode != "" && !postalCodePattern.MatchString(p.PostalCode) {
		add("code_postal", CodePattern, "%q is not 5 digits", "%q n'est pas fait de 5 chiffres", p.PostalCode)
	}
	if p.INSEECode != "" && !inseeCodePattern.MatchString(p.INSEECode) {
		add("code_insee", CodePattern, "%q is not an INSEE commune code", "%q n'est pas un code commune INSEE", p.INSEECode)
	}
	if p.Phone != "" && !phonePattern.MatchString(p.Phone) {
		add("telephone", CodePattern, "%q is not an international number such as +33180059880",
			"%q n'est pas un numéro international comme +33180059880", p.Phone)
	}
	if p.UpdatedAt != "" {
		if _, ok := p.Updated(); !ok || !datePattern.MatchString(p.UpdatedAt) {
			add("date_maj", CodePattern, "%q is not a date YYYY-MM-DD", "%q n'est pas une date AAAA-MM-JJ", p.UpdatedAt)
		}
	}
	if math.IsNaN(p.Latitude) || p.Latitude < -90 || p.Latitude > 90 {
		add("latitude", CodeRange, "%v is outside -90..90", "%v est hors de -90..90", p.Latitude)
	}
	if math.IsNaN(p.Longitude) || p.Longitude < -180 || p.Longitude > 180 {
		add("longitude", CodeRange, "%v is outside -180..180", "%v est hors de -180..180", p.Longitude)
	}
	if p.Hours != "" {
		if _, err := openinghours.Parse(p.Hours); err != nil {
			add("horaires", CodePattern, "%q is not OSM opening_hours: %v", "%q n'est pas au format OSM opening_hours : %v", p.Hours, err)
		}
	}
	if n := utf8.RuneCountInString(p.Summary); n > SummaryMaxLength {
		add("presentation_resume", CodeTooLong, "%d characters, the standard allows %d",
			"%d caractères, le standard en permet %d", n, SummaryMaxLength)
	}
	errs = appendEnumErrors(errs, "services", p.Services, AllServices())
	errs = appendEnumErrors(errs, "publics_specifiquement_adresses", p.Publics, AllPublics())
	errs = appendEnumErrors(errs, "prise_en_charge_specifique", p.SpecificSupport, AllSpecificSupports())
	errs = appendEnumErrors(errs, "frais_a_charge", p.Fees, AllFees())
	errs = appendEnumErrors(errs, "dispositif_programmes_nationaux", p.Programs, AllPrograms())
	errs = appendEnumErrors(errs, "formations_labels", p.Labels, AllLabels())
	errs = appendEnumErrors(errs, "modalites_acces", p.AccessModes, AllAccessModes())
	errs = appendEnumErrors(errs, "modalites_accompagnement", p.SupportModes, AllSupportModes())
	errs = appendEnumErrors(errs, "itinerance", p.Itinerance, AllItinerances())
	return errs
}

func appendEnumErrors[T ~string](errs []FieldError, field string, values, all []T) []FieldError {
	for _, v := range values {
		if !member(v, all) {
			errs = append(errs, NewFieldError(field, CodeEnum,
				"%q is not a value of the standard", "%q n'est pas une valeur du standard", string(v)))
		}
	}
	return errs
}
