package lamednum

import (
	"strconv"
	"strings"
	"time"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// record is one input row: column name → raw text, whatever the file format.
type record map[string]string

// vocabularies index the v1 enumerations and the v0.1 tables once per input.
type vocabularies struct {
	services    m.Vocabulary[m.Service]
	publics     m.Vocabulary[m.Public]
	supports    m.Vocabulary[m.SpecificSupport]
	fees        m.Vocabulary[m.Fee]
	programs    m.Vocabulary[m.Program]
	labels      m.Vocabulary[m.Label]
	access      m.Vocabulary[m.AccessMode]
	modes       m.Vocabulary[m.SupportMode]
	itinerances m.Vocabulary[m.Itinerance]
	legacy      map[string]m.Vocabulary[string] // table name → its keys
}

func newVocabularies() *vocabularies {
	v := &vocabularies{
		services: m.NewVocabulary(m.AllServices()), publics: m.NewVocabulary(m.AllPublics()),
		supports: m.NewVocabulary(m.AllSpecificSupports()), fees: m.NewVocabulary(m.AllFees()),
		programs: m.NewVocabulary(m.AllPrograms()), labels: m.NewVocabulary(m.AllLabels()),
		access: m.NewVocabulary(m.AllAccessModes()), modes: m.NewVocabulary(m.AllSupportModes()),
		itinerances: m.NewVocabulary(m.AllItinerances()), legacy: map[string]m.Vocabulary[string]{},
	}
	for name, table := range legacyTables() {
		keys := make([]string, 0, len(table))
		for k := range table {
			keys = append(keys, k)
		}
		v.legacy[name] = m.NewVocabulary(keys)
	}
	return v
}

func legacyTables() map[string]map[string]legacyTarget {
	return map[string]map[string]legacyTarget{
		"services": legacyServices, "publics": legacyPublics, "conditions": legacyAccessConditions,
		"labels": legacyLabels, "modes": legacySupportModes,
	}
}

// legacyColumns are the v0.1 column names; a file using any of them is v0.1
// or mixed.
var legacyColumns = []string{"publics_accueillis", "conditions_acces", "labels_nationaux", "labels_autres", "courriel", "accessibilite", "cle_ban"}

// decoded is a place built from a record, with what was learnt on the way.
type decoded struct {
	place   m.Place
	reasons []m.FieldError
	legacy  bool // v0.1 keys or values were met
	v1      bool // v1 values were met under v1 keys
	voc     *vocabularies
}

// placeFromRecord builds a v1 place from a v1, v0.1 or mixed record.
func placeFromRecord(rec record, voc *vocabularies) decoded {
	d := decoded{voc: voc}
	p := &d.place
	get := func(k string) string { return strings.TrimSpace(rec[k]) }
	p.ID = get("id")
	p.Pivot = get("pivot")
	p.Name = get("nom")
	p.Commune = get("commune")
	p.PostalCode = get("code_postal")
	p.INSEECode = get("code_insee")
	p.Address = get("adresse")
	p.AddressComplement = get("complement_adresse")
	p.Phone = get("telephone")
	p.Hours = get("horaires")
	p.Summary = get("presentation_resume")
	p.Detail = get("presentation_detail")
	p.Source = get("source")
	p.ParentStructure = get("structure_parente")
	p.Booking = get("prise_rdv")
	p.Accessibility = firstNonEmpty(get("fiche_acces_libre"), get("accessibilite"))
	p.Typology = splitLoose(get("typologie"))
	p.Emails = splitLoose(firstNonEmpty(get("courriels"), get("courriel")))
	p.Websites = splitURLs(get("site_web"))
	p.OtherLabels = m.AppendUnique(splitKeep(get("autres_formations_labels")), splitKeep(get("labels_autres"))...)
	for _, k := range legacyColumns {
		if get(k) != "" {
			d.legacy = true
		}
	}
	if get("cle_ban") != "" {
		d.reason("cle_ban", m.CodeDropped, "v0.1 column cle_ban has no v1 column; ignored", "la colonne v0.1 cle_ban n'existe plus en v1 ; ignorée")
	}
	for old, v1 := range map[string]string{"courriel": "courriels", "accessibilite": "fiche_acces_libre", "labels_autres": "autres_formations_labels"} {
		if get(old) != "" {
			d.reason(old, m.CodeMapped, "v0.1 column %s read as %s", "colonne v0.1 %s lue comme %s", old, v1)
		}
	}

	d.coordinate("latitude", get("latitude"), &p.Latitude)
	d.coordinate("longitude", get("longitude"), &p.Longitude)
	d.date(get("date_maj"))

	d.values("services", get("services"))
	d.values("publics_specifiquement_adresses", get("publics_specifiquement_adresses"))
	d.values("prise_en_charge_specifique", get("prise_en_charge_specifique"))
	d.values("publics_accueillis", get("publics_accueillis"))
	d.values("frais_a_charge", get("frais_a_charge"))
	d.values("conditions_acces", get("conditions_acces"))
	d.values("dispositif_programmes_nationaux", get("dispositif_programmes_nationaux"))
	d.values("labels_nationaux", get("labels_nationaux"))
	d.values("formations_labels", get("formations_labels"))
	d.values("modalites_acces", get("modalites_acces"))
	d.values("modalites_accompagnement", get("modalites_accompagnement"))
	d.values("itinerance", get("itinerance"))
	if d.legacy {
		p.AddFlag(m.FlagLegacyMapped)
	}
	return d
}

func (d *decoded) reason(field, code, en, fr string, args ...any) {
	d.reasons = append(d.reasons, m.NewFieldError(field, code, en, fr, args...))
}

func (d *decoded) coordinate(field, raw string, dst *float64) {
	if raw == "" {
		return
	}
	f, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
	if err != nil {
		d.reason(field, m.CodeDropped, "%q is not a number; dropped", "%q n'est pas un nombre ; retiré", raw)
		return
	}
	*dst = f
}

// date accepts the standard's YYYY-MM-DD and rewrites the two other forms
// met in exports (a full timestamp, a French DD/MM/YYYY).
func (d *decoded) date(raw string) {
	p := &d.place
	switch {
	case raw == "":
	case len(raw) > 10 && raw[10] == 'T':
		if _, err := time.Parse(time.DateOnly, raw[:10]); err == nil {
			p.UpdatedAt = raw[:10]
			d.reason("date_maj", m.CodeRepaired, "timestamp %q cut to the date %s", "horodatage %q réduit à la date %s", raw, p.UpdatedAt)
			p.AddFlag(m.FlagFieldNormalized)
			return
		}
		p.UpdatedAt = raw
	default:
		if t, err := time.Parse("02/01/2006", raw); err == nil {
			p.UpdatedAt = t.Format(time.DateOnly)
			d.reason("date_maj", m.CodeRepaired, "%q rewritten as %s", "%q réécrit en %s", raw, p.UpdatedAt)
			p.AddFlag(m.FlagFieldNormalized)
			return
		}
		p.UpdatedAt = raw
	}
}

// values places each value of a multi-valued column: first as a v1 value of
// the column (or, for mixed files, of the v1 column the legacy key stands
// for), then through the v0.1 tables; what fits nowhere is dropped with a
// reason, except free labels which go to autres_formations_labels.
func (d *decoded) values(column, raw string) {
	p := &d.place
	for _, v := range m.SplitValues(raw) {
		if d.placeV1(column, v) {
			continue
		}
		t, ok := d.voc.legacyLookup(column, v)
		if !ok {
			if column == "formations_labels" || column == "labels_nationaux" || column == "dispositif_programmes_nationaux" {
				p.OtherLabels = m.AppendUnique(p.OtherLabels, v)
				d.reason(column, m.CodeMapped, "%q is not in the standard's list; kept in autres_formations_labels",
					"%q n'est pas dans la liste du standard ; gardé dans autres_formations_labels", v)
				continue
			}
			d.reason(column, m.CodeDropped, "%q is not a value of the standard; dropped", "%q n'est pas une valeur du standard ; retiré", v)
			p.AddFlag(m.FlagValuesDropped)
			continue
		}
		d.legacy = true
		target := t.describe()
		switch {
		case t.service != "":
			p.Services = m.AppendUnique(p.Services, t.service)
		case t.public != "":
			p.Publics = m.AppendUnique(p.Publics, t.public)
		case t.support != "":
			p.SpecificSupport = m.AppendUnique(p.SpecificSupport, t.support)
		case t.fee != "":
			p.Fees = m.AppendUnique(p.Fees, t.fee)
		case t.program != "":
			p.Programs = m.AppendUnique(p.Programs, t.program)
		case t.label != "":
			p.Labels = m.AppendUnique(p.Labels, t.label)
		case t.mode != "":
			p.SupportModes = m.AppendUnique(p.SupportModes, t.mode)
		case t.otherLabel != "":
			p.OtherLabels = m.AppendUnique(p.OtherLabels, t.otherLabel)
		default:
			d.reason(column, m.CodeDropped, "v0.1 value %[1]q has no v1 equivalent (%[2]s); dropped",
				"la valeur v0.1 %[1]q n'a pas d'équivalent en v1 (%[3]s) ; retirée", v, t.why, t.whyFR)
			continue
		}
		if t.why != "" {
			d.reason(column, m.CodeMapped, "v0.1 value %[1]q mapped to %[2]s (%[3]s)",
				"valeur v0.1 %[1]q convertie en %[2]s (%[4]s)", v, target, t.why, t.whyFR)
		} else {
			d.reason(column, m.CodeMapped, "v0.1 value %q mapped to %s", "valeur v0.1 %q convertie en %s", v, target)
		}
	}
}

// placeV1 stores v when it is a v1 value for column; under a legacy key the
// move to the v1 column is reported.
func (d *decoded) placeV1(column, v string) bool {
	p := &d.place
	moved := func(to string, canonical string) bool {
		if column != to {
			d.legacy = true
			d.reason(column, m.CodeMapped, "%q moved to %s", "%q déplacé vers %s", v, to)
		} else {
			d.v1 = true
			if canonical != v {
				d.reason(column, m.CodeRepaired, "%q read as %q", "%q lu comme %q", v, canonical)
			}
		}
		return true
	}
	switch column {
	case "services":
		if s, ok := d.voc.services.Lookup(v); ok {
			p.Services = m.AppendUnique(p.Services, s)
			return moved(column, string(s))
		}
	case "publics_specifiquement_adresses", "prise_en_charge_specifique", "publics_accueillis":
		if s, ok := d.voc.publics.Lookup(v); ok {
			p.Publics = m.AppendUnique(p.Publics, s)
			return moved("publics_specifiquement_adresses", string(s))
		}
		if s, ok := d.voc.supports.Lookup(v); ok {
			p.SpecificSupport = m.AppendUnique(p.SpecificSupport, s)
			return moved("prise_en_charge_specifique", string(s))
		}
	case "frais_a_charge", "conditions_acces":
		if s, ok := d.voc.fees.Lookup(v); ok {
			p.Fees = m.AppendUnique(p.Fees, s)
			return moved("frais_a_charge", string(s))
		}
	case "dispositif_programmes_nationaux", "labels_nationaux", "formations_labels":
		if s, ok := d.voc.programs.Lookup(v); ok {
			p.Programs = m.AppendUnique(p.Programs, s)
			return moved("dispositif_programmes_nationaux", string(s))
		}
		if s, ok := d.voc.labels.Lookup(v); ok {
			p.Labels = m.AppendUnique(p.Labels, s)
			return moved("formations_labels", string(s))
		}
	case "modalites_acces":
		if s, ok := d.voc.access.Lookup(v); ok {
			p.AccessModes = m.AppendUnique(p.AccessModes, s)
			return moved(column, string(s))
		}
	case "modalites_accompagnement":
		if s, ok := d.voc.modes.Lookup(v); ok {
			p.SupportModes = m.AppendUnique(p.SupportModes, s)
			return moved(column, string(s))
		}
	case "itinerance":
		if s, ok := d.voc.itinerances.Lookup(v); ok {
			p.Itinerance = m.AppendUnique(p.Itinerance, s)
			return moved(column, string(s))
		}
	}
	return false
}

// legacyLookup finds v in the v0.1 table of column, tolerating spelling.
func (voc *vocabularies) legacyLookup(column, v string) (legacyTarget, bool) {
	var name string
	switch column {
	case "services":
		name = "services"
	case "publics_accueillis", "publics_specifiquement_adresses", "prise_en_charge_specifique":
		name = "publics"
	case "conditions_acces", "frais_a_charge":
		name = "conditions"
	case "labels_nationaux", "dispositif_programmes_nationaux", "formations_labels":
		name = "labels"
	case "modalites_accompagnement":
		name = "modes"
	default:
		return legacyTarget{}, false
	}
	k, ok := voc.legacy[name].Lookup(v)
	if !ok {
		return legacyTarget{}, false
	}
	return legacyTables()[name][k], true
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// splitLoose splits on the three separators producers use for free lists.
func splitLoose(raw string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(raw, func(r rune) bool { return r == '|' || r == ';' || r == ',' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// splitKeep splits a free label list on | and ; only (labels may hold commas).
func splitKeep(raw string) []string { return m.SplitValues(raw) }

// splitURLs splits a list of URLs; a comma separates only when the next
// part is itself a URL, since URLs may contain commas.
func splitURLs(raw string) []string {
	var out []string
	for _, v := range m.SplitValues(raw) {
		parts := strings.Split(v, ",")
		cur := parts[0]
		for _, part := range parts[1:] {
			if t := strings.TrimSpace(part); strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "www.") {
				out = append(out, strings.TrimSpace(cur))
				cur = t
				continue
			}
			cur += "," + part
		}
		if cur = strings.TrimSpace(cur); cur != "" {
			out = append(out, cur)
		}
	}
	return out
}
