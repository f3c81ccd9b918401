package coop

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// entry is one row of an accompagnements export as the importer keeps it:
// one person helped in one activity. It has no field for the beneficiary's
// name, the mediator's names or the notes: those columns are never read.
type entry struct {
	Row          int // 1-based row in the file
	CRAID        string
	Date         time.Time // the day of the activity, midnight UTC
	Kind         ActivityKind
	Participant  int // k of "k/n"; 1 for "1"
	Participants int // n of "k/n"; 1 for "1"
	Channel      Channel
	PlaceName    string // the mediation place's name; empty at home or remote
	CommuneINSEE string // the activity's commune, checked against the territory
	PostalCode   string
	Commune      string
	Minutes      int
	Equipment    []Equipment
	Themes       []Theme
	// Autonomy is the autonomy reached (individual) or the workshop level
	// (collective); empty when not given.
	Autonomy             Autonomy
	Redirected           *bool
	RedirectionStructure string // a label of La Coop's closed list
	BeneficiaryINSEE     string
	Gender               Gender
	AgeBand              AgeBand
	Status               Status
}

// maxMinutes bounds a duration: more than a day for one activity is a typo.
const maxMinutes = 24 * 60

// maxParticipants bounds n in "k/n".
const maxParticipants = 10000

// maxCRAID bounds the length of an ID CRA (a UUID in La Coop).
const maxCRAID = 128

// parseEntry reads one data row. It returns every problem of the row, one
// Rejection per column, so a mediator fixes them all at once.
func (d *decoder) parseEntry(rowNum int, row []string) (entry, []Rejection) {
	h := d.header
	e := entry{Row: rowNum}
	var bad []Rejection
	reject := func(c column, format string, args ...any) {
		bad = append(bad, Rejection{Row: rowNum, Field: columnSpecs[c].name, Reason: fmt.Sprintf(format, args...)})
	}

	if v := h.cell(row, colCRAID); v == "" {
		reject(colCRAID, "empty: every row needs the ID CRA of its activity")
	} else if len(v) > maxCRAID || !printable(v) {
		reject(colCRAID, "not an identifier (too long or control characters)")
	} else {
		e.CRAID = v
	}

	if v := h.cell(row, colDate); v == "" {
		reject(colDate, "empty")
	} else if t, ok := parseDate(v); !ok {
		reject(colDate, "%q is not a date (expected JJ/MM/AAAA or AAAA-MM-JJ)", clip(v))
	} else if t.After(d.now) {
		reject(colDate, "%s is in the future", t.Format("2006-01-02"))
	} else {
		e.Date = t
	}

	kind, ok := kindLabels[foldHeader(h.cell(row, colType))]
	if !ok {
		reject(colType, "%q is not an activity type (Accompagnement individuel, Atelier collectif)", clip(h.cell(row, colType)))
	}
	e.Kind = kind

	if k, n, ok := parseParticipants(h.cell(row, colParticipants)); !ok {
		reject(colParticipants, "%q is not a participant (\"1\" or \"k/n\" with 1 ≤ k ≤ n ≤ %d)", clip(h.cell(row, colParticipants)), maxParticipants)
	} else {
		e.Participant, e.Participants = k, n
	}

	if v := h.cell(row, colChannel); v != "" {
		ch, ok := channelLabels[foldHeader(v)]
		if !ok {
			reject(colChannel, "%q is not a channel (Lieu d’activité, À domicile, À distance, Autre lieu)", clip(v))
		}
		e.Channel = ch
	}
	e.PlaceName = h.cell(row, colPlaceName)
	e.Commune = h.cell(row, colCommune)
	e.PostalCode = h.cell(row, colPostalCode)
	if code, err := d.commune(h.cell(row, colINSEE)); err != "" {
		reject(colINSEE, "%s", err)
	} else {
		e.CommuneINSEE = code
	}
	if code, err := d.commune(h.cell(row, colBeneficiaryINSEE)); err != "" {
		reject(colBeneficiaryINSEE, "%s", err)
	} else {
		e.BeneficiaryINSEE = code
	}

	if m, reason := parseMinutes(h.cell(row, colDuration)); reason != "" {
		reject(colDuration, "%s", reason)
	} else {
		e.Minutes = m
	}

	for _, v := range splitList(h.cell(row, colEquipment)) {
		eq, ok := equipmentLabels[foldHeader(v)]
		if !ok {
			reject(colEquipment, "%q is not an equipment of La Coop", clip(v))
			continue
		}
		e.Equipment = appendUnique(e.Equipment, eq)
	}
	for _, v := range splitList(h.cell(row, colThemes)) {
		th, ok := themeLabels[foldHeader(v)]
		if !ok {
			reject(colThemes, "%q is not a theme of La Coop", clip(v))
			continue
		}
		e.Themes = appendUnique(e.Themes, th)
	}

	// Older exports have the workshop level in a column of its own.
	autonomyCol := colAutonomy
	if h.cell(row, colAutonomy) == "" && kind == KindCollective {
		autonomyCol = colWorkshopLevel
	}
	if v := h.cell(row, autonomyCol); v != "" {
		a, ok := parseAutonomy(v, kind)
		if !ok {
			reject(autonomyCol, "%q is not a level (1/3, 2/3 or 3/3)", clip(v))
		}
		e.Autonomy = a
	}

	switch v := foldHeader(h.cell(row, colRedirected)); v {
	case "":
	case "oui", "yes", "true", "1":
		t := true
		e.Redirected = &t
	case "non", "no", "false", "0":
		f := false
		e.Redirected = &f
	default:
		reject(colRedirected, "%q is neither Oui nor Non", clip(h.cell(row, colRedirected)))
	}
	if v := h.cell(row, colRedirection); v != "" {
		label, ok := redirectionLabels[foldHeader(v)]
		if !ok {
			reject(colRedirection, "not a redirection structure of La Coop (Opérateur ou organisme en charge…, Structure d’aide aux démarches administratives…, Administration…, Autre structure de médiation numérique, Structure d’aide sociale…, Structure d’insertion professionnelle…, Autre)")
		}
		e.RedirectionStructure = label
	}

	if g, ok := genderLabels[foldHeader(h.cell(row, colGender))]; ok {
		e.Gender = g
	} else {
		reject(colGender, "%q is not a gender of La Coop (Masculin, Féminin, Non communiqué)", clip(h.cell(row, colGender)))
	}
	if a, ok := ageBandLabels[foldHeader(h.cell(row, colAgeBand))]; ok {
		e.AgeBand = a
	} else {
		reject(colAgeBand, "%q is not an age band of La Coop", clip(h.cell(row, colAgeBand)))
	}
	if s, ok := statusLabels[foldHeader(h.cell(row, colStatus))]; ok {
		e.Status = s
	} else {
		reject(colStatus, "%q is not a status of La Coop", clip(h.cell(row, colStatus)))
	}
	return e, bad
}

// commune checks an INSEE code against the territory; "" is allowed
// (remote activities, beneficiaries who did not say). A code that lost its
// leading zero in a spreadsheet ("1053") gets it back.
func (d *decoder) commune(v string) (code, reason string) {
	if v == "" {
		return "", ""
	}
	if len(v) == 4 && allDigits(v) {
		v = "0" + v
	}
	if len(v) != 5 {
		return "", fmt.Sprintf("%q is not an INSEE code (5 characters)", clip(v))
	}
	if d.ref == nil {
		return v, ""
	}
	if _, ok := d.ref.Commune(v); ok {
		return v, ""
	}
	if _, ok := d.ref.Commune(territoryCity(v)); ok {
		return v, ""
	}
	return "", fmt.Sprintf("%q is not the INSEE code of a current commune", v)
}

// excelEpoch is day 0 of the 1900 date system as spreadsheets count it
// after the 1900 leap-year bug (serial 60).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads the Date column: a spreadsheet serial (XLSX cells are
// read raw), or text as La Coop and spreadsheets save it to CSV.
func parseDate(v string) (time.Time, bool) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		// 1 (1900-01-01) to 2958465 (9999-12-31) is what spreadsheets accept.
		if f < 1 || f > 2958465 || math.IsNaN(f) {
			return time.Time{}, false
		}
		if f < 61 {
			// Serials before 1900-03-01 count from 1899-12-31: spreadsheets
			// keep Lotus's phantom 1900-02-29 (serial 60).
			return excelEpoch.AddDate(0, 0, int(f)+1), true
		}
		return excelEpoch.AddDate(0, 0, int(f)), true
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02", "02-01-2006", "02/01/2006 15:04", "02/01/2006 15:04:05", "2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05.000Z"} {
		if t, err := time.Parse(layout, v); err == nil {
			if t.Year() < 1900 {
				return time.Time{}, false
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// parseParticipants reads "1" or "k/n".
func parseParticipants(v string) (k, n int, ok bool) {
	a, b, slash := strings.Cut(v, "/")
	if !slash {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != 1 {
			return 0, 0, false
		}
		return 1, 1, true
	}
	k, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || k < 1 || k > n || n > maxParticipants {
		return 0, 0, false
	}
	return k, n, true
}

// parseMinutes reads the duration in whole minutes.
func parseMinutes(v string) (int, string) {
	if v == "" {
		return 0, "empty"
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, fmt.Sprintf("%q is not a number of minutes", clip(v))
	case f < 0:
		return 0, fmt.Sprintf("%s is negative", v)
	case f == 0:
		return 0, "0: an activity lasts at least a minute"
	case f > maxMinutes:
		return 0, fmt.Sprintf("%s minutes is more than a day", v)
	case f != math.Trunc(f):
		return 0, fmt.Sprintf("%s is not a whole number of minutes", v)
	}
	return int(f), ""
}

// parseAutonomy reads "1/3".."3/3" (or the label itself): the autonomy
// reached for an individual activity, the level of a workshop otherwise.
func parseAutonomy(v string, kind ActivityKind) (Autonomy, bool) {
	individual := [3]Autonomy{AutonomyFullyAssisted, AutonomyPartlyAutonomous, AutonomyAutonomous}
	workshop := [3]Autonomy{WorkshopLevelBeginner, WorkshopLevelIntermediate, WorkshopLevelAdvanced}
	levels := individual
	if kind == KindCollective {
		levels = workshop
	}
	switch strings.ReplaceAll(v, " ", "") {
	case "1/3":
		return levels[0], true
	case "2/3":
		return levels[1], true
	case "3/3":
		return levels[2], true
	}
	switch foldHeader(v) {
	case "entierement accompagne":
		return AutonomyFullyAssisted, true
	case "partiellement autonome":
		return AutonomyPartlyAutonomous, true
	case "autonome":
		return AutonomyAutonomous, true
	case "debutant":
		return WorkshopLevelBeginner, true
	case "intermediaire":
		return WorkshopLevelIntermediate, true
	case "avance":
		return WorkshopLevelAdvanced, true
	}
	return "", false
}

// splitList splits a multi-valued cell: one value per line in La Coop's
// export; ";" or "|" when a spreadsheet flattened it.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// clip shortens a cell quoted in a reason, so a long or odd cell does not
// flood a report.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:39]) + "…"
}
