package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/datainclusion"
	"github.com/passerelle-sante/passerelle/mediation/franceservices"
	"github.com/passerelle-sante/passerelle/mediation/hsds"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/territory"
)

func placesCommand() command {
	return command{
		name:    "places",
		summary: "import, validate, export and search mediation places",
		usage: `Usage:
  passerelle places <command> [arguments]

Mediation places follow the national standard (LaMednum standard-mediation-num v1).`,
		subs: []command{placesImportCommand(), placesValidateCommand(), placesExportCommand(), placesNearCommand()},
	}
}

// Input formats understood by loadPlaces; "auto" detects.
const (
	formatAuto           = "auto"
	formatPlaces         = "places"          // places.json written by "places import"
	formatLamednum       = "lamednum"        // LaMednum v1/v0.1/mixed, JSON or CSV
	formatFranceServices = "france-services" // the France Services CSV list
	formatDataInclusion  = "datainclusion"   // data·inclusion structures and services (JSON)
	formatHSDS           = "hsds"            // Open Referral HSDS 3.0 services (JSON)
)

var inputFormats = []string{formatAuto, formatPlaces, formatLamednum, formatFranceServices, formatDataInclusion, formatHSDS}

// placesFile is the document "places import --out" writes and every
// --places flag reads: {"places": [Place, ...]} where each Place has the v1
// standard's keys plus "provenance" and "flags".
type placesFile struct {
	Places []mediation.Place `json:"places"`
}

// detectFormat names the format of a file from its content.
func detectFormat(data []byte) string {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(t) == 0:
		return formatLamednum
	case hsds.Looks(t):
		return formatHSDS
	case datainclusion.Looks(t):
		return formatDataInclusion
	case t[0] == '{':
		var probe map[string]json.RawMessage
		if json.Unmarshal(t, &probe) == nil {
			if _, ok := probe["places"]; ok {
				return formatPlaces
			}
		}
		return formatLamednum
	case t[0] == '[':
		return formatLamednum
	case franceservices.Looks(t):
		return formatFranceServices
	}
	return formatLamednum
}

// loadPlaces reads every path (any supported format; "-" is stdin) and
// returns the places of all files, in order, with one report per file
// read. A file that cannot be read at all is reported on e.stderr and
// skipped; the error is non-nil only when no file could be read (or ctx
// ends). With a non-nil communes, location repairs are made.
//
// "places near" and the other commands that take --places call this.
func loadPlaces(ctx context.Context, e *env, paths []string, format string, communes mediation.CommuneResolver) ([]mediation.Place, []*mediation.ImportReport, error) {
	sets, reports, err := loadPlaceSets(ctx, e, paths, format, communes)
	var all []mediation.Place
	for _, s := range sets {
		all = append(all, s...)
	}
	return all, reports, err
}

// loadPlaceSets is loadPlaces keeping one set of places per file.
func loadPlaceSets(ctx context.Context, e *env, paths []string, format string, communes mediation.CommuneResolver) ([][]mediation.Place, []*mediation.ImportReport, error) {
	var (
		sets    [][]mediation.Place
		reports []*mediation.ImportReport
		errs    []error
	)
	for _, path := range paths {
		places, rep, err := loadFile(ctx, e, path, format, communes)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			fmt.Fprintf(e.stderr, "passerelle: %v\n", err)
			errs = append(errs, err)
			continue
		}
		sets = append(sets, places)
		reports = append(reports, rep)
	}
	if len(sets) == 0 {
		if len(errs) == 0 {
			return nil, nil, errors.New("no file to read")
		}
		return nil, nil, fmt.Errorf("no file could be read: %w", errors.Join(errs...))
	}
	return sets, reports, nil
}

func loadFile(ctx context.Context, e *env, path, format string, communes mediation.CommuneResolver) ([]mediation.Place, *mediation.ImportReport, error) {
	rc, name, err := openInput(e, path)
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	if format == "" || format == formatAuto {
		format = detectFormat(data)
	}
	r := bytes.NewReader(data)
	switch format {
	case formatPlaces:
		var pf placesFile
		if err := json.Unmarshal(data, &pf); err != nil {
			return nil, nil, fmt.Errorf("%s: %w: %v", name, mediation.ErrUnreadable, err)
		}
		// Places files are passerelle's own output: checked, not repaired again.
		b := mediation.NewBatch(name, formatPlaces, nil)
		for i, p := range pf.Places {
			b.Add(i+1, p, nil)
		}
		return b.Places, &b.Report, nil
	case formatLamednum:
		return lamednum.Decode(ctx, r, lamednum.Options{File: name, Communes: communes})
	case formatFranceServices:
		return franceservices.Decode(ctx, r, franceservices.Options{File: name, Communes: communes})
	case formatDataInclusion:
		return datainclusion.Decode(ctx, r, datainclusion.Options{File: name, Communes: communes})
	case formatHSDS:
		return hsds.Decode(ctx, r, hsds.Options{File: name, Communes: communes})
	}
	return nil, nil, fmt.Errorf("%s: %w: %q", name, mediation.ErrUnknownFormat, format)
}

// communeResolver returns the embedded commune reference as a resolver.
func communeResolver() (mediation.CommuneResolver, error) {
	ref, err := territory.Default()
	if err != nil {
		return nil, err
	}
	return mediation.TerritoryCommunes(ref), nil
}

const placesImportUsage = `Usage:
  passerelle places import FILE... [--out places.json] [--report report.json]
                                   [--format auto|places|lamednum|france-services|datainclusion|hsds]
                                   [--no-repair] [--no-merge]

Read mediation-place files (LaMednum v1, v0.1 or mixed, JSON or CSV; the
France Services CSV list; data·inclusion structures and services; Open
Referral HSDS 3.0; a places.json), repair what can be proven
(missing INSEE code, coordinates from the commune centroid, swapped
latitude/longitude), merge the same place found in several files, and
write {"places": [...]} to --out (standard output by default).

The report (--report) has, per file, the accepted, repaired and rejected
counts and every row with its reasons, plus totals and the merges made.
A one-line summary per file goes to standard error.

Exits 1 only when no file could be read.`

// importReport is the document written by --report.
type importReport struct {
	Accepted int                       `json:"accepted"`
	Repaired int                       `json:"repaired"`
	Rejected int                       `json:"rejected"`
	Places   int                       `json:"places"` // after merging
	Files    []*mediation.ImportReport `json:"files"`
	Merge    *mediation.MergeReport    `json:"merge,omitempty"`
}

func placesImportCommand() command {
	return command{
		name:    "import",
		summary: "read place files, repair, merge duplicates, write places.json and a report",
		usage:   placesImportUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "places import", placesImportUsage)
			out := fs.String("out", "", "file to write places.json to (default: standard output)")
			reportPath := fs.String("report", "", "file to write the import report (JSON) to")
			format := newChoice(formatAuto, inputFormats...)
			fs.Var(format, "format", "input format: "+strings.Join(inputFormats, ", "))
			noRepair := fs.Bool("no-repair", false, "do not repair locations and INSEE codes")
			noMerge := fs.Bool("no-merge", false, "do not merge the same place found in several files")
			paths, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(paths) == 0 {
				return usagef("places import --help", "places import needs at least one FILE")
			}
			var communes mediation.CommuneResolver
			if !*noRepair {
				if communes, err = communeResolver(); err != nil {
					return err
				}
			}
			sets, reports, err := loadPlaceSets(ctx, e, paths, format.value, communes)
			if err != nil {
				return err
			}
			rep := importReport{Files: reports}
			for _, r := range reports {
				rep.Accepted += r.Accepted
				rep.Repaired += r.Repaired
				rep.Rejected += r.Rejected
				fmt.Fprintln(e.stderr, r)
			}
			var places []mediation.Place
			if *noMerge || len(sets) < 2 {
				for _, s := range sets {
					places = append(places, s...)
				}
			} else {
				var mr mediation.MergeReport
				places, mr = mediation.Merge(sets...)
				rep.Merge = &mr
				fmt.Fprintf(e.stderr, "merged: %d places from %d records (%d places seen in several files)\n", mr.Output, mr.Input, len(mr.Groups))
			}
			if places == nil {
				places = []mediation.Place{}
			}
			rep.Places = len(places)
			if *reportPath != "" {
				if err := writeJSONFile(e, *reportPath, rep); err != nil {
					return err
				}
			}
			if *out == "" {
				*out = "-"
			}
			return writeJSONFile(e, *out, placesFile{Places: places})
		},
	}
}

// writeJSONFile writes v to path; "-" is standard output.
func writeJSONFile(e *env, path string, v any) error {
	if path == "-" {
		return writeJSON(e.stdout, v)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := writeJSON(f, v); err != nil {
		f.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return f.Close()
}

const placesValidateUsage = `Usage:
  passerelle places validate FILE [--format auto|places|lamednum|france-services|datainclusion|hsds]
                                  [--output text|json] [--lang en|fr]

Check every row of FILE against the national standard v1 (required fields,
patterns of code_postal, code_insee, pivot, telephone, date_maj, coordinate
ranges, every enumeration value). Nothing is repaired: legacy v0.1 values,
unknown values and malformed fields are all reported, one line per problem:
  FILE:ROW [ID] FIELD: MESSAGE

Exits 0 when every row meets the standard, 1 when any row breaks it (or the
file cannot be read).`

func placesValidateCommand() command {
	return command{
		name:    "validate",
		summary: "check a place file against the national standard v1",
		usage:   placesValidateUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "places validate", placesValidateUsage)
			format := newChoice(formatAuto, inputFormats...)
			fs.Var(format, "format", "input format: "+strings.Join(inputFormats, ", "))
			output := newChoice("text", "text", "json")
			fs.Var(output, "output", "report format: text or json")
			lang := newChoice("en", "en", "fr")
			fs.Var(lang, "lang", "language of the problem messages: en or fr")
			paths, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(paths) != 1 {
				return usagef("places validate --help", "places validate needs exactly one FILE, got %d", len(paths))
			}
			places, reports, err := loadPlaces(ctx, e, paths, format.value, nil)
			if err != nil {
				return err
			}
			rep := reports[0]
			var problems []string
			for _, o := range rep.Rows {
				if o.Status == mediation.StatusAccepted {
					continue
				}
				id := ""
				if o.ID != "" {
					id = " " + o.ID
				}
				for _, r := range o.Reasons {
					problems = append(problems, fmt.Sprintf("%s:%d%s %s: %s", rep.Source, o.Row, id, r.Field, r.Text(lang.value)))
				}
			}
			if output.value == "json" {
				if err := writeJSON(e.stdout, rep); err != nil {
					return err
				}
			} else {
				for _, p := range problems {
					fmt.Fprintln(e.stdout, p)
				}
			}
			broken := rep.Repaired + rep.Rejected
			if broken > 0 {
				return fmt.Errorf("%s: %d of %d rows break the standard v1 (%d problems)", rep.Source, broken, len(rep.Rows), len(problems))
			}
			if output.value == "text" {
				fmt.Fprintf(e.stdout, "%s: %d rows, %d places, all meet the standard v1\n", rep.Source, len(rep.Rows), len(places))
			}
			return nil
		},
	}
}

// Export formats.
const (
	exportLamednumCSV  = "lamednum-csv"
	exportLamednumJSON = "lamednum-json"
	exportHSDSJSON     = "hsds-json"
)

var exportFormats = []string{exportLamednumCSV, exportLamednumJSON, exportHSDSJSON}

const placesExportUsage = `Usage:
  passerelle places export --places FILE... --format lamednum-csv|lamednum-json|hsds-json
                           [--out FILE]

Write places (from places.json files or any file "places import" reads) in
another format: lamednum-csv is the national standard v1 CSV (official
column order, "|" between values), lamednum-json the same records as JSON,
hsds-json an Open Referral HSDS 3.0 page of services (the French values in
attributes of taxonomy "standard-mediation-num"). Standard output by default.`

func placesExportCommand() command {
	return command{
		name:    "export",
		summary: "write places as the standard v1 CSV or JSON, or as Open Referral HSDS 3.0",
		usage:   placesExportUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "places export", placesExportUsage)
			var inputs stringsFlag
			fs.Var(&inputs, "places", "place file to read (repeatable)")
			format := newChoice(exportLamednumCSV, exportFormats...)
			fs.Var(format, "format", "output format: "+strings.Join(exportFormats, ", "))
			out := fs.String("out", "", "file to write to (default: standard output)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			inputs = append(inputs, pos...)
			if len(inputs) == 0 {
				return usagef("places export --help", "places export needs --places FILE")
			}
			places, _, err := loadPlaces(ctx, e, inputs, formatAuto, nil)
			if err != nil {
				return err
			}
			w := e.stdout
			var f *os.File
			if *out != "" && *out != "-" {
				if f, err = os.Create(*out); err != nil {
					return fmt.Errorf("cannot write %s: %w", *out, err)
				}
				w = f
			}
			switch format.value {
			case exportLamednumJSON:
				err = lamednum.EncodeJSON(ctx, w, places)
			case exportHSDSJSON:
				err = hsds.Encode(ctx, w, places)
			default:
				err = lamednum.EncodeCSV(ctx, w, places)
			}
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			return err
		},
	}
}
