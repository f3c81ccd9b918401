package mediation

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Batch collects the places of one import and accounts for every row in its
// report. Importers decode a row into a Place plus the reasons found while
// decoding (values mapped or dropped), then call Add or Reject; Batch does
// the repairs, the checks against the standard and the bookkeeping, so every
// importer applies the same policy:
//
//   - a row missing id, nom, commune, code_postal, adresse or date_maj, or
//     with an unusable code_postal or date_maj, is rejected;
//   - so is a row whose id was already seen in the same input;
//   - a value that breaks the standard but is not needed (a malformed phone
//     number or INSEE code, out-of-range coordinates, hours that are not OSM
//     opening_hours, an unknown enumeration value) is dropped and the row is
//     repaired;
//   - any repair or mapping makes the row "repaired"; otherwise "accepted".
type Batch struct {
	Report   ImportReport
	Places   []Place
	communes CommuneResolver
	seen     map[string]int // id -> row
}

// NewBatch starts the import of one input. communes may be nil (no location
// repairs).
func NewBatch(source, format string, communes CommuneResolver) *Batch {
	return &Batch{
		Report:   ImportReport{Source: source, Format: format, Rows: []RowOutcome{}},
		communes: communes,
		seen:     map[string]int{},
	}
}

// Reject records a row that could not be decoded at all.
func (b *Batch) Reject(row int, id string, reasons ...FieldError) {
	b.Report.Add(RowOutcome{Row: row, ID: id, Status: StatusRejected, Reasons: reasons})
}

// Add repairs and checks p, decoded from row with the given decoding
// reasons, and records the outcome. It returns the outcome's status.
func (b *Batch) Add(row int, p Place, reasons []FieldError) Status {
	reasons = append(reasons, Repair(&p, b.communes)...)
	var fatal []FieldError
	for _, e := range p.Validate() {
		if r, ok := dropInvalid(&p, e); ok {
			reasons = append(reasons, r)
			continue
		}
		fatal = append(fatal, e)
	}
	if first, dup := b.seen[p.ID]; dup && p.ID != "" {
		fatal = append(fatal, NewFieldError("id", CodeDuplicateID,
			"%q already used by row %d", "%q déjà utilisé à la ligne %d", p.ID, first))
	}
	if len(fatal) > 0 {
		b.Reject(row, p.ID, append(fatal, reasons...)...)
		return StatusRejected
	}
	b.seen[p.ID] = row
	status := StatusAccepted
	// Flags already on the place (a places.json read back) are history, not
	// repairs of this import: only this import's reasons count.
	if len(reasons) > 0 {
		status = StatusRepaired
	}
	b.Report.Add(RowOutcome{Row: row, ID: p.ID, Status: status, Reasons: reasons})
	b.Places = append(b.Places, p)
	return status
}

// dropInvalid removes a value that breaks the standard when the place is
// still useful without it, and says so.
func dropInvalid(p *Place, e FieldError) (FieldError, bool) {
	dropped := func(en, fr string, args ...any) (FieldError, bool) {
		p.AddFlag(FlagValuesDropped)
		return NewFieldError(e.Field, CodeDropped, en, fr, args...), true
	}
	switch e.Field {
	case "telephone":
		v := p.Phone
		p.Phone = ""
		return dropped("%q dropped: not a phone number the standard accepts",
			"%q retiré : pas un numéro de téléphone accepté par le standard", v)
	case "code_insee":
		v := p.INSEECode
		p.INSEECode = ""
		return dropped("%q dropped: not an INSEE commune code", "%q retiré : pas un code commune INSEE", v)
	case "horaires":
		v := p.Hours
		p.Hours = ""
		p.AddFlag(FlagHoursUnparsed)
		return dropped("%q dropped: not OSM opening_hours", "%q retiré : pas au format OSM opening_hours", v)
	case "latitude", "longitude":
		lat, lon := p.Latitude, p.Longitude
		p.Latitude, p.Longitude = 0, 0
		return dropped("coordinates (%v, %v) dropped: out of range", "coordonnées (%v, %v) retirées : hors limites", lat, lon)
	case "presentation_resume":
		r := []rune(p.Summary)
		p.Summary = strings.TrimSpace(string(r[:SummaryMaxLength-1])) + "…"
		p.AddFlag(FlagFieldNormalized)
		return NewFieldError(e.Field, CodeRepaired, "shortened from %d to %d characters",
			"raccourci de %d à %d caractères", len(r), utf8.RuneCountInString(p.Summary)), true
	case "services":
		p.Services = keepValid(p.Services)
	case "publics_specifiquement_adresses":
		p.Publics = keepValid(p.Publics)
	case "prise_en_charge_specifique":
		p.SpecificSupport = keepValid(p.SpecificSupport)
	case "frais_a_charge":
		p.Fees = keepValid(p.Fees)
	case "dispositif_programmes_nationaux":
		p.Programs = keepValid(p.Programs)
	case "formations_labels":
		p.Labels = keepValid(p.Labels)
	case "modalites_acces":
		p.AccessModes = keepValid(p.AccessModes)
	case "modalites_accompagnement":
		p.SupportModes = keepValid(p.SupportModes)
	case "itinerance":
		p.Itinerance = keepValid(p.Itinerance)
	default:
		return FieldError{}, false
	}
	p.AddFlag(FlagValuesDropped)
	return FieldError{Field: e.Field, Code: CodeDropped, Message: e.Message + "; dropped", MessageFR: e.Text("fr") + " ; retiré"}, true
}

type validatable interface {
	~string
	Valid() bool
}

func keepValid[T validatable](vs []T) []T {
	return slices.DeleteFunc(vs, func(v T) bool { return !v.Valid() })
}

// ReadCSVRow reads data row row of a CSV place file whose header has width
// columns. It returns io.EOF at the end of the file. A row that cannot be
// read, or has another number of fields than the header, is rejected in b
// with its line and ReadCSVRow returns ok false: the import goes on with
// the next row.
func (b *Batch) ReadCSVRow(cr *csv.Reader, row, width int) (fields []string, ok bool, err error) {
	fields, err = cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, false, io.EOF
	}
	if err != nil {
		// csv.Reader has no field position after an error: the line is in
		// the ParseError.
		line := row + 1
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		b.Reject(row, "", NewFieldError("line "+strconv.Itoa(line), CodeType, "%v", "CSV illisible : %v", err))
		return nil, false, nil
	}
	if len(fields) != width {
		line, _ := cr.FieldPos(0)
		b.Reject(row, "", NewFieldError("line "+strconv.Itoa(line), CodeType,
			"%d fields, the header has %d", "%d champs, l'en-tête en a %d", len(fields), width))
		return nil, false, nil
	}
	return fields, true, nil
}
