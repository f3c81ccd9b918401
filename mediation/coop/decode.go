package coop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
	"github.com/xuri/excelize/v2"
)

// Options tunes Decode. The zero value (or nil) uses the defaults below.
type Options struct {
	// Communes checks the INSEE codes; nil means territory.Default().
	Communes *territory.Reference
	// Now is the clock dates are checked against (a date after it is
	// rejected); nil means time.Now.
	Now func() time.Time
	// Known reports whether the activity with this ID CRA is already
	// stored (records imported from La Coop carry Source "coop" and the ID
	// CRA as ExternalID); such activities are counted in
	// Result.AlreadyKnown and left out of the result. Nil means nothing is
	// known; a store's idempotent writes catch re-imports anyway.
	Known func(craID string) bool
	// MaxRows bounds the rows read (default 200,000), so a hostile file
	// cannot exhaust memory.
	MaxRows int
	// MaxBytes bounds the size of the input (default 64 MiB).
	MaxBytes int64
}

// Default limits.
const (
	DefaultMaxRows  = 200_000
	DefaultMaxBytes = 64 << 20
)

// Format is the kind of file read.
type Format string

// The formats Decode reads.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// Activity is the rows sharing one ID CRA: one individual accompaniment or
// one collective workshop.
type Activity struct {
	CRAID        string
	Kind         ActivityKind
	Date         time.Time
	Minutes      int
	Channel      Channel
	PlaceName    string
	CommuneINSEE string
	Themes       []Theme     // union over the rows
	Equipment    []Equipment // union over the rows
	// WorkshopLevel is the level of a collective workshop; empty otherwise.
	WorkshopLevel Autonomy
	// People are the persons helped, in participant order (k of "k/n").
	People []Person
	// Rows are the file rows of the activity.
	Rows []int
}

// Person is one participant of an activity, pseudonymous: ID is derived
// from the ID CRA and the participant's position in the activity, never
// from a name, so importing the file again gives the same ID.
type Person struct {
	ID                   uuid.UUID
	Row                  int
	Gender               Gender
	AgeBand              AgeBand
	Status               Status
	CommuneINSEE         string
	Autonomy             Autonomy // individual activities only
	Redirected           *bool
	RedirectionStructure string
}

// personNamespace is the UUID namespace of pseudonymous participant ids.
var personNamespace = uuid.MustParse("6b1f3c2e-8a0d-5c7e-9f41-3d2a7c9e0b15")

// PersonID is the pseudonymous id of participant k of activity craID. It
// is a name-based UUID (SHA-1) of the ID CRA and k: the same row of the
// same activity always gets the same id, and nothing of the person goes in.
func PersonID(craID string, k int) uuid.UUID {
	return uuid.NewSHA1(personNamespace, fmt.Appendf(nil, "%s#%d", craID, k))
}

// Result is what Decode read.
type Result struct {
	Format Format
	// Header is the header row found.
	Header *Header
	// Activities are the accepted activities not already known, in the
	// order of their first row.
	Activities []Activity
	// Actions are the collective workshops as records of the network, and
	// Accompaniments the persons helped one to one; both are valid
	// (ValidateAt the clock of Options.Now) and carry Source "coop", the
	// ID CRA as ExternalID and ids derived from it, so saving them twice
	// stores nothing new.
	Actions        []mediation.Action
	Accompaniments []mediation.Accompaniment
	// AlreadyKnown counts activities Options.Known recognised.
	AlreadyKnown int
	// Rows counts the data rows read (blank rows excluded).
	Rows int
	// Rejected lists every refused row with its column and reason, in row
	// order. An activity with one bad row is refused whole, so nothing
	// partial is imported.
	Rejected []Rejection
}

type decoder struct {
	opts   Options
	ref    *territory.Reference
	now    time.Time
	header *Header
}

// Decode reads an "accompagnements" export of La Coop de la médiation
// numérique: the XLSX workbook as downloaded, or the same table saved as
// CSV (";" or "," separated, UTF-8 with or without BOM, metadata rows above
// the header allowed; Windows-1252, as Excel saves CSV in French, is read
// too). name is used in error messages only.
//
// A file-level problem (unreadable, no header, missing columns) is an
// error; a bad row is not: it is listed in Result.Rejected.
func Decode(ctx context.Context, r io.Reader, name string, opts *Options) (*Result, error) {
	d, err := newDecoder(opts)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, d.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrUnreadable, err)
	}
	if int64(len(data)) > d.opts.MaxBytes {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", name, ErrTooLarge, d.opts.MaxBytes)
	}
	var (
		rows  [][]string
		lines []int
		res   = &Result{}
	)
	if bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")) {
		return nil, fmt.Errorf("%s: %w: an old .xls or an encrypted workbook; save it as .xlsx or CSV", name, ErrUnreadable)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		res.Format = FormatXLSX
		rows, err = d.readXLSX(ctx, data)
	} else {
		res.Format = FormatCSV
		rows, lines, err = d.readCSV(data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := d.decodeRows(ctx, rows, lines, res); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return res, nil
}

func newDecoder(opts *Options) (*decoder, error) {
	d := &decoder{}
	if opts != nil {
		d.opts = *opts
	}
	if d.opts.MaxRows <= 0 {
		d.opts.MaxRows = DefaultMaxRows
	}
	if d.opts.MaxBytes <= 0 {
		d.opts.MaxBytes = DefaultMaxBytes
	}
	d.ref = d.opts.Communes
	if d.ref == nil {
		ref, err := territory.Default()
		if err != nil {
			return nil, err
		}
		d.ref = ref
	}
	now := time.Now()
	if d.opts.Now != nil {
		now = d.opts.Now()
	}
	// Dates are days at midnight UTC; one after now is refused, as the
	// network's records refuse it (a store validates with its own clock).
	d.now = now
	return d, nil
}

// readXLSX returns the raw cells of the sheet holding the header (the first
// sheet where one is found), so dates come as serial numbers whatever their
// display format.
func (d *decoder) readXLSX(ctx context.Context, data []byte) (rows [][]string, err error) {
	// excelize parses untrusted XML and ZIP; should it panic on a crafted
	// file, the caller gets an error, not a crash.
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("%w: malformed workbook (%v)", ErrUnreadable, p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    16 * d.opts.MaxBytes,
		UnzipXMLSizeLimit: 16 * d.opts.MaxBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: not an XLSX workbook: %v", ErrUnreadable, err)
	}
	defer f.Close()
	var firstErr error
	for _, sheet := range f.GetSheetList() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows, err := d.sheetRows(f, sheet)
		if err != nil {
			return nil, err
		}
		if _, err := FindHeader(rows, 1); err == nil || !errors.Is(err, ErrNoHeader) {
			return rows, nil
		} else if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = ErrNoHeader
	}
	return nil, firstErr
}

func (d *decoder) sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrUnreadable, sheet, err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= d.opts.MaxRows {
			return nil, fmt.Errorf("%w: sheet %q has more than %d rows", ErrTooLarge, sheet, d.opts.MaxRows)
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %q row %d: %v", ErrUnreadable, sheet, len(rows)+1, err)
		}
		rows = append(rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrUnreadable, sheet, err)
	}
	return rows, nil
}

// readCSV reads the records with the separator that finds a header (";"
// tried first: French spreadsheets save with it). lines[i] is the file
// line record i starts on.
func (d *decoder) readCSV(data []byte) ([][]string, []int, error) {
	data = toUTF8(bytes.TrimPrefix(data, []byte("\uFEFF")))
	var firstErr error
	parsed := false
	for _, sep := range []rune{';', ',', '\t'} {
		rows, lines, err := d.csvRecords(data, sep)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		parsed = true
		if _, err := FindHeader(rows, 1); err == nil || !errors.Is(err, ErrNoHeader) {
			return rows, lines, nil
		}
	}
	if firstErr == nil || parsed {
		firstErr = ErrNoHeader
	}
	return nil, nil, firstErr
}

func (d *decoder) csvRecords(data []byte, sep rune) ([][]string, []int, error) {
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
		}
		if len(rows) >= d.opts.MaxRows {
			return nil, nil, fmt.Errorf("%w: more than %d rows", ErrTooLarge, d.opts.MaxRows)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
}

// decodeRows finds the header, parses every data row and groups the rows
// into activities.
func (d *decoder) decodeRows(ctx context.Context, rows [][]string, lines []int, res *Result) error {
	rowNum := func(i int) int {
		if lines != nil {
			return lines[i]
		}
		return i + 1
	}
	h, err := FindHeader(rows, 1)
	if me := (*MissingColumnsError)(nil); errors.As(err, &me) {
		me.Row = rowNum(me.Row - 1)
	}
	if err != nil {
		return err
	}
	// FindHeader counts records; a CSV row is reported by its file line.
	headerIdx := h.Row - 1
	h.Row = rowNum(headerIdx)
	d.header = h
	res.Header = h

	type group struct {
		entries []entry
		bad     []Rejection
		first   int
	}
	groups := map[string]*group{}
	var order []string
	for i := headerIdx + 1; i < len(rows); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := rows[i]
		if blank(row) {
			continue
		}
		res.Rows++
		e, bad := d.parseEntry(rowNum(i), row)
		if e.CRAID == "" {
			res.Rejected = append(res.Rejected, bad...)
			continue
		}
		g := groups[e.CRAID]
		if g == nil {
			g = &group{first: e.Row}
			groups[e.CRAID] = g
			order = append(order, e.CRAID)
		}
		g.entries = append(g.entries, e)
		g.bad = append(g.bad, bad...)
	}
	for _, id := range order {
		g := groups[id]
		if len(g.bad) == 0 {
			g.bad = checkGroup(g.entries)
		}
		if len(g.bad) > 0 {
			res.Rejected = append(res.Rejected, withSiblings(g.bad, g.entries)...)
			continue
		}
		a := buildActivity(g.entries)
		if d.opts.Known != nil && d.opts.Known(a.CRAID) {
			res.AlreadyKnown++
			continue
		}
		if bad := d.addRecords(res, &a); len(bad) > 0 {
			res.Rejected = append(res.Rejected, withSiblings(bad, g.entries)...)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	sort.SliceStable(res.Rejected, func(i, j int) bool { return res.Rejected[i].Row < res.Rejected[j].Row })
	return nil
}

// withSiblings adds a rejection for every row of the activity that had
// none of its own, so each row of the file is either accepted or listed.
func withSiblings(bad []Rejection, es []entry) []Rejection {
	listed := make(map[int]bool, len(bad))
	first := bad[0].Row
	for _, r := range bad {
		listed[r.Row] = true
		first = min(first, r.Row)
	}
	for _, e := range es {
		if !listed[e.Row] {
			bad = append(bad, Rejection{Row: e.Row, Field: columnSpecs[colCRAID].name,
				Reason: fmt.Sprintf("the activity is rejected with its row %d", first)})
		}
	}
	return bad
}

// checkGroup checks that the rows of one ID CRA describe one activity:
// same date, type, duration and place, and participants 1..n each once.
func checkGroup(es []entry) []Rejection {
	var bad []Rejection
	first := es[0]
	seen := make(map[int]int, len(es))
	for _, e := range es {
		differ := func(c column, what string) {
			bad = append(bad, Rejection{Row: e.Row, Field: columnSpecs[c].name,
				Reason: fmt.Sprintf("differs from row %d of the same ID CRA (%s)", first.Row, what)})
		}
		if e.Row != first.Row {
			switch {
			case !e.Date.Equal(first.Date):
				differ(colDate, "one activity has one date")
			case e.Kind != first.Kind:
				differ(colType, "one activity has one type")
			case e.Minutes != first.Minutes:
				differ(colDuration, "one activity has one duration")
			case e.CommuneINSEE != first.CommuneINSEE:
				differ(colINSEE, "one activity has one place")
			case e.Participants != first.Participants:
				differ(colParticipants, "one activity has one number of participants")
			}
		}
		if prev, dup := seen[e.Participant]; dup {
			bad = append(bad, Rejection{Row: e.Row, Field: columnSpecs[colParticipants].name,
				Reason: fmt.Sprintf("participant %d/%d already on row %d", e.Participant, e.Participants, prev)})
		}
		seen[e.Participant] = e.Row
	}
	if len(bad) == 0 && len(es) != first.Participants {
		bad = append(bad, Rejection{Row: first.Row, Field: columnSpecs[colParticipants].name,
			Reason: fmt.Sprintf("the activity has %d participants but %d rows: the file is incomplete", first.Participants, len(es))})
	}
	if len(bad) == 0 && first.Kind == KindIndividual && first.Participants != 1 {
		bad = append(bad, Rejection{Row: first.Row, Field: columnSpecs[colParticipants].name,
			Reason: fmt.Sprintf("an individual accompaniment has one participant, not %d", first.Participants)})
	}
	return bad
}

func buildActivity(es []entry) Activity {
	sort.Slice(es, func(i, j int) bool { return es[i].Participant < es[j].Participant })
	f := es[0]
	a := Activity{
		CRAID: f.CRAID, Kind: f.Kind, Date: f.Date,
		Minutes: f.Minutes, Channel: f.Channel, PlaceName: f.PlaceName, CommuneINSEE: f.CommuneINSEE,
	}
	for _, e := range es {
		for _, t := range e.Themes {
			a.Themes = appendUnique(a.Themes, t)
		}
		for _, q := range e.Equipment {
			a.Equipment = appendUnique(a.Equipment, q)
		}
		p := Person{
			ID: PersonID(e.CRAID, e.Participant), Row: e.Row, Gender: e.Gender, AgeBand: e.AgeBand,
			Status: e.Status, CommuneINSEE: e.BeneficiaryINSEE,
			Redirected: e.Redirected, RedirectionStructure: e.RedirectionStructure,
		}
		if a.Kind == KindCollective {
			if a.WorkshopLevel == "" {
				a.WorkshopLevel = e.Autonomy
			}
		} else {
			p.Autonomy = e.Autonomy
		}
		a.People = append(a.People, p)
		a.Rows = append(a.Rows, e.Row)
	}
	sort.Ints(a.Rows)
	return a
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// territoryCity maps a municipal arrondissement to its commune.
func territoryCity(code string) string { return territory.CityOfArrondissement(code) }
