package franceservices

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// Source is the value of Place.Source for France Services sites.
const Source = "france-services"

// Format names the France Services CSV in import reports.
const Format = "france-services-csv"

// Options tunes Decode. The zero value works.
type Options struct {
	// File names the input in the report; a date in it (2024-08-01 or
	// 20240801) is the list's date when ListDate is empty.
	File string
	// ListDate (YYYY-MM-DD) is the date of the list, used as date_maj since
	// the list has no per-site date.
	ListDate string
	// Communes enables location repairs.
	Communes m.CommuneResolver
}

// dayColumns are the hour columns, Monday first.
var dayColumns = []string{"h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi"}

// requiredColumns must be in the header for the file to be a France Services list.
var requiredColumns = []string{"id_fs", "lib_fs", "adresse", "code_postal", "lib_com"}

// Services every France Services site offers, by its charter: help with
// administrative procedures (CAF, CPAM, taxes, ANTS…), a computer with
// internet in free access, and help to use it.
func Services() []m.Service {
	return []m.Service{m.ServiceAdministrativeProcedures, m.ServiceInternetEquipmentAccess, m.ServiceEverydayTools}
}

// Looks reports whether a CSV header line is a France Services list.
func Looks(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return bytes.Contains(line, []byte("id_fs")) && bytes.Contains(line, []byte("lib_fs"))
}

// Decode reads the France Services list (CSV, comma-separated, one site per
// row) into places. The error is non-nil only when nothing can be read.
func Decode(ctx context.Context, r io.Reader, opts Options) ([]m.Place, *m.ImportReport, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: no CSV header: %v", opts.File, m.ErrUnreadable, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("%s: %w: not a France Services list, missing columns %s", opts.File, m.ErrUnreadable, strings.Join(missing, ", "))
	}
	listDate := opts.ListDate
	if listDate == "" {
		listDate = dateInName(opts.File)
	}
	b := m.NewBatch(opts.File, Format, opts.Communes)
	for row := 1; ; row++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		fields, ok, err := b.ReadCSVRow(cr, row, len(header))
		if err != nil {
			break
		}
		if !ok {
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		p, reasons := site(get, listDate)
		p.Provenance = []m.Provenance{{Source: Source, SourceID: get("id_fs"), File: opts.File, Row: row}}
		b.Add(row, p, reasons)
	}
	return b.Places, &b.Report, nil
}

// site turns one row into a place. Conversions that are the point of the
// importer (national phone numbers, hours) are not reported; what fails is.
func site(get func(string) string, listDate string) (m.Place, []m.FieldError) {
	var reasons []m.FieldError
	p := m.Place{
		Name:              get("lib_fs"),
		Pivot:             m.PivotPlaceholder, // the list carries no SIRET
		Commune:           get("lib_com"),
		PostalCode:        get("code_postal"),
		INSEECode:         get("insee_com"),
		Address:           get("adresse"),
		AddressComplement: get("complement_adresse"),
		Source:            Source,
		Detail:            get("commentaire"),
		ParentStructure:   get("groupe_fs"),
		UpdatedAt:         listDate,
		Services:          Services(),
		Fees:              []m.Fee{m.FeeFree},
		Programs:          []m.Program{m.ProgramFranceServices},
		SupportModes:      []m.SupportMode{m.SupportIndividual, m.SupportAutonomous},
		AccessModes:       []m.AccessMode{m.AccessWalkIn},
	}
	if id := get("id_fs"); id != "" {
		p.ID = Source + "-" + id
	}
	if listDate == "" {
		if d, ok := labelDate(get("labellisation_fs")); ok {
			p.UpdatedAt = d
			reasons = append(reasons, m.NewFieldError("date_maj", m.CodeRepaired,
				"the list has no date: labelling date %s used", "la liste n'est pas datée : date de labellisation %s utilisée", d))
		}
	}
	for _, c := range []string{"latitude", "longitude"} {
		raw := get(c)
		if raw == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
		if err != nil {
			reasons = append(reasons, m.NewFieldError(c, m.CodeDropped, "%q is not a number; dropped", "%q n'est pas un nombre ; retiré", raw))
			continue
		}
		if c == "latitude" {
			p.Latitude = f
		} else {
			p.Longitude = f
		}
	}
	if tel := get("telephone"); tel != "" {
		if n, ok := m.NormalizePhone(tel); ok {
			p.Phone = n
		} else {
			p.Phone = tel // Batch drops it with a reason
		}
		p.AccessModes = append(p.AccessModes, m.AccessPhone)
	}
	if mail := get("mail"); mail != "" {
		p.Emails = []string{mail}
		p.AccessModes = append(p.AccessModes, m.AccessEmail)
	}
	switch strings.ToLower(get("format_fs")) {
	case "bus_équivalent", "itinérante":
		p.Itinerance = []m.Itinerance{m.ItineranceMobile}
	case "":
	default:
		p.Itinerance = []m.Itinerance{m.ItineranceFixed}
	}
	week := make([][]Interval, 0, len(dayColumns))
	var bad, notes []string
	for _, c := range dayColumns {
		ivs, n, err := ParseDayHours(get(c))
		if err != nil {
			bad = append(bad, c+": "+err.Error())
		}
		for _, note := range n {
			notes = append(notes, c+": "+note)
		}
		week = append(week, ivs)
	}
	if len(notes) > 0 && len(bad) == 0 {
		p.AddFlag(m.FlagFieldNormalized)
		reasons = append(reasons, m.NewFieldError("horaires", m.CodeRepaired,
			"%s", "horaires corrigés : %s", strings.Join(notes, "; ")))
	}
	if len(bad) > 0 {
		p.AddFlag(m.FlagHoursUnparsed)
		reasons = append(reasons, m.NewFieldError("horaires", m.CodeDropped,
			"hours not converted (%s)", "horaires non convertis (%s)", strings.Join(bad, "; ")))
	} else {
		p.Hours = OpeningHours(week)
	}
	return p, reasons
}

var (
	isoDateInName   = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})`)
	compactDateName = regexp.MustCompile(`(20\d{2})(\d{2})(\d{2})`)
	labelDatePat    = regexp.MustCompile(`(\d{2})/(\d{2})/(\d{4})`)
)

func dateInName(name string) string {
	for _, re := range []*regexp.Regexp{isoDateInName, compactDateName} {
		if s := re.FindStringSubmatch(name); s != nil {
			d := s[1] + "-" + s[2] + "-" + s[3]
			if _, err := time.Parse(time.DateOnly, d); err == nil {
				return d
			}
		}
	}
	return ""
}

func labelDate(s string) (string, bool) {
	sm := labelDatePat.FindStringSubmatch(s)
	if sm == nil {
		return "", false
	}
	d := sm[3] + "-" + sm[2] + "-" + sm[1]
	_, err := time.Parse(time.DateOnly, d)
	return d, err == nil
}
