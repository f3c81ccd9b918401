package lamednum

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	m "github.com/passerelle-sante/passerelle/mediation"
)

// Format is the container of a LaMednum file.
type Format string

// Supported containers.
const (
	FormatJSON Format = "lamednum-json" // a JSON array of records
	FormatCSV  Format = "lamednum-csv"  // a CSV with a header row
)

// Options tunes Decode. The zero value works: format detected, no location
// repairs.
type Options struct {
	// File names the input in the report (a path, or "-" for stdin).
	File string
	// Format forces the container; empty means Detect.
	Format Format
	// Communes enables location repairs (centroid, INSEE code, swaps).
	Communes m.CommuneResolver
}

// Detect tells a JSON file from a CSV one by its first bytes.
func Detect(head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		return FormatJSON
	}
	return FormatCSV
}

// Decode reads a LaMednum file (v1, v0.1 or mixed; JSON or CSV) and returns
// its places with a report on every row. The error is non-nil only when
// nothing can be read (it then wraps mediation.ErrUnreadable); bad rows are
// in the report.
func Decode(ctx context.Context, r io.Reader, opts Options) ([]m.Place, *m.ImportReport, error) {
	br := bufio.NewReader(r)
	format := opts.Format
	if format == "" {
		head, _ := br.Peek(512)
		format = Detect(head)
	}
	var (
		b   *m.Batch
		err error
	)
	switch format {
	case FormatJSON:
		b, err = decodeJSON(ctx, br, opts)
	case FormatCSV:
		b, err = decodeCSV(ctx, br, opts)
	default:
		return nil, nil, fmt.Errorf("%s: %w: %q", opts.File, m.ErrUnknownFormat, format)
	}
	if err != nil {
		return nil, nil, err
	}
	return b.Places, &b.Report, nil
}

// versionTracker names the standard version of a file from its rows.
type versionTracker struct{ legacy, v1 int }

func (v *versionTracker) see(d decoded) {
	if d.legacy {
		v.legacy++
	}
	if d.v1 {
		v.v1++
	}
}

func (v *versionTracker) format(container Format) string {
	kind := "v1"
	switch {
	case v.legacy > 0 && v.v1 > 0:
		kind = "mixed"
	case v.legacy > 0:
		kind = "v0.1"
	}
	return strings.Replace(string(container), "lamednum-", "lamednum-"+kind+"-", 1)
}

func decodeJSON(ctx context.Context, r io.Reader, opts Options) (*m.Batch, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: not JSON: %v", opts.File, m.ErrUnreadable, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("%s: %w: expected a JSON array of places, found %v", opts.File, m.ErrUnreadable, tok)
	}
	b := m.NewBatch(opts.File, string(FormatJSON), opts.Communes)
	voc := newVocabularies()
	var vt versionTracker
	for row := 1; dec.More(); row++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// The stream is broken from here: say where, keep what was read.
			b.Reject(row, "", m.NewFieldError("$["+strconv.Itoa(row-1)+"]", m.CodeType,
				"JSON broken at byte %d: %v; the rest of the file is not read",
				"JSON cassé à l'octet %d : %v ; la suite du fichier n'est pas lue", dec.InputOffset(), err))
			break
		}
		rec, fe := jsonRecord(raw, row)
		if fe != nil {
			b.Reject(row, "", *fe)
			continue
		}
		d := placeFromRecord(rec, voc)
		d.place.Provenance = []m.Provenance{{Source: d.place.Source, SourceID: d.place.ID, File: opts.File, Row: row}}
		vt.see(d)
		b.Add(row, d.place, d.reasons)
	}
	b.Report.Format = vt.format(FormatJSON)
	return b, nil
}

// jsonRecord flattens one JSON object into column → text. Strings stay,
// numbers keep their digits, arrays of strings are joined with "|".
func jsonRecord(raw json.RawMessage, row int) (record, *m.FieldError) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		fe := m.NewFieldError("$["+strconv.Itoa(row-1)+"]", m.CodeType, "not a JSON object: %s", "pas un objet JSON : %s", truncate(string(raw), 40))
		return nil, &fe
	}
	rec := record{}
	for k, v := range obj {
		switch v := v.(type) {
		case string:
			rec[k] = v
		case json.Number:
			rec[k] = v.String()
		case bool:
			rec[k] = strconv.FormatBool(v)
		case []any:
			var parts []string
			for _, e := range v {
				switch e := e.(type) {
				case string:
					parts = append(parts, e)
				case json.Number:
					parts = append(parts, e.String())
				}
			}
			rec[k] = strings.Join(parts, "|")
		}
	}
	return rec, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// decodeCSV reads a CSV whose header names the standard's columns. The
// delimiter (",", ";" or tab) is taken from the header line.
func decodeCSV(ctx context.Context, r *bufio.Reader, opts Options) (*m.Batch, error) {
	head, _ := r.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(stripBOM(r))
	cr.Comma = sniffDelimiter(head)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: no CSV header: %v", opts.File, m.ErrUnreadable, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if !knowsColumns(header) {
		return nil, fmt.Errorf("%s: %w: the header names none of the standard's columns (id, nom, commune, ...): %s",
			opts.File, m.ErrUnreadable, truncate(strings.Join(header, ","), 80))
	}
	b := m.NewBatch(opts.File, string(FormatCSV), opts.Communes)
	voc := newVocabularies()
	var vt versionTracker
	for row := 1; ; row++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fields, ok, err := b.ReadCSVRow(cr, row, len(header))
		if err != nil {
			break
		}
		if !ok {
			continue
		}
		rec := make(record, len(header))
		for i, h := range header {
			rec[h] = fields[i]
		}
		d := placeFromRecord(rec, voc)
		d.place.Provenance = []m.Provenance{{Source: d.place.Source, SourceID: d.place.ID, File: opts.File, Row: row}}
		vt.see(d)
		b.Add(row, d.place, d.reasons)
	}
	b.Report.Format = vt.format(FormatCSV)
	return b, nil
}

func stripBOM(r *bufio.Reader) io.Reader {
	if bom, err := r.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = r.Discard(3)
	}
	return r
}

func sniffDelimiter(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func knowsColumns(header []string) bool {
	for _, h := range header {
		switch h {
		case "id", "nom", "commune", "code_postal", "adresse", "services", "pivot":
			return true
		}
	}
	return false
}
