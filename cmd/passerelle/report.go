package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/evaluation/render"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/referral"
	refdemo "github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/territory"
)

const reportUsage = `Usage:
  passerelle report --from DATE --to DATE [--region CODE | --departement CODE]
                    [--store URL] [--format json|csv|html] [--lang fr|en]
                    [--mask-threshold N] [--target INDICATOR=VALUE ...]
                    [--coverage=false] [--places FILE ...] [--out PATH]

Computes the evaluation of the scheme over the period (both days included)
and the territory (France by default), from the records of the store, and
writes it as JSON, CSV (one long table for a French spreadsheet) or a
standalone HTML page (charts and a map; print it to PDF from a browser).
Counts under the mask threshold (default 5 people) are masked. Each
--target shows the progress against a figure (e.g.
--target referrals.funnel.completed=400). A store with
no record for the period gives a report that says it is empty. A report on a
demo year ("passerelle demo seed") is labelled synthetic. The places of the
map and of the coverage come from --places (files as "places import" writes
them, or any feed it reads; repeatable), else from the embedded directory.

Calcule l'évaluation du dispositif sur la période (bornes incluses) et le
territoire (la France par défaut) et l'écrit en JSON, en CSV (tableur
français) ou en page HTML autonome (graphiques et carte, imprimable en PDF).
Les effectifs sous le seuil (5 personnes par défaut) sont masqués.

Example:
  passerelle report --store sqlite:demo.db --from 2025-01-01 --to 2025-12-31 \
      --region 75 --format html --out rapport.html`

func reportCommand() command {
	return command{name: "report", summary: "the yearly evaluation as JSON, CSV or an HTML page", usage: reportUsage, run: runReport}
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", reportUsage)
	url := fs.String("store", defaultStoreURL, storeURLHelp)
	fromS := fs.String("from", "", "first day of the period, YYYY-MM-DD (required)")
	toS := fs.String("to", "", "last day of the period, YYYY-MM-DD, included (required)")
	region := fs.String("region", "", "INSEE code of a région (e.g. 75)")
	dep := fs.String("departement", "", "code of a département (e.g. 16, 2A, 971)")
	format := newChoice("json", "json", "csv", "html")
	fs.Var(format, "format", "output format: json, csv or html")
	lang := newChoice("fr", "fr", "en")
	fs.Var(lang, "lang", "language of the CSV labels and the HTML page: fr or en")
	threshold := fs.Int("mask-threshold", evaluation.DefaultMaskThreshold, "smallest count of people shown; smaller counts are masked (1 shows all)")
	out := fs.String("out", "-", "file to write; - is the standard output")
	var targets stringsFlag
	fs.Var(&targets, "target", "a target as INDICATOR=VALUE, e.g. referrals.funnel.completed=400 (repeatable)")
	var placeFiles stringsFlag
	fs.Var(&placeFiles, "places", "places file (repeatable; the embedded directory when absent)")
	withCoverage := fs.Bool("coverage", true, "summarise the coverage of the territory by trained places (--coverage=false skips it)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("report --help", "report takes no argument, got %q", pos[0])
	}
	from, err := parseReportDay("--from", *fromS)
	if err != nil {
		return err
	}
	to, err := parseReportDay("--to", *toS)
	if err != nil {
		return err
	}
	if to.Before(from) {
		return usagef("report --help", "the period is empty: --to %s is before --from %s", *toS, *fromS)
	}
	if *region != "" && *dep != "" {
		return usagef("report --help", "give --region or --departement, not both")
	}
	if *threshold < 1 {
		return usagef("report --help", "--mask-threshold must be 1 or more, got %d", *threshold)
	}
	parsedTargets, err := parseTargets(targets)
	if err != nil {
		return err
	}
	communes, err := territory.Default()
	if err != nil {
		return err
	}
	// Say which code is unknown before opening the store.
	if *region != "" {
		if _, ok := communes.Region(*region); !ok {
			return usagef("report --help", "--region %q is not a région code (INSEE, e.g. 75 Nouvelle-Aquitaine, 84 Auvergne-Rhône-Alpes)", *region)
		}
	}
	if *dep != "" {
		if _, ok := communes.Departement(*dep); !ok {
			return usagef("report --help", "--departement %q is not a département code (e.g. 16, 2A, 971)", *dep)
		}
	}
	var places []mediation.Place
	if len(placeFiles) > 0 {
		resolver, err := communeResolver()
		if err != nil {
			return err
		}
		if places, _, err = loadPlaces(ctx, e, placeFiles, "", resolver); err != nil {
			return err
		}
	} else if places, err = refdemo.Places(); err != nil {
		return err
	}
	s, err := openStore(ctx, e, *url)
	if err != nil {
		return err
	}
	defer s.Close()
	period := evaluation.Period{From: from, To: to.AddDate(0, 0, 1)}
	trainings, err := allTrainings(ctx, s)
	if err != nil {
		return err
	}
	trainings = slices.DeleteFunc(trainings, func(t mediation.Training) bool { return !t.Date.Before(period.To) })
	mediation.LabelTrainedPlaces(places, trainings, period.To)
	opts := evaluation.Options{
		Period:        period,
		Region:        *region,
		Departement:   *dep,
		Communes:      communes,
		MaskThreshold: *threshold,
		Places:        places,
		Targets:       parsedTargets,
	}
	if *withCoverage {
		if opts.Coverage, err = reportCoverage(ctx, s, communes, places, trainings, period, *region, *dep); err != nil {
			return err
		}
	}
	src := demo.Detect(evalsource.New(s, 0))
	rep, err := evaluation.Compute(ctx, src, opts)
	if err != nil {
		if errors.Is(err, evaluation.ErrEmptyPeriod) || errors.Is(err, evaluation.ErrUnknownTerritory) || errors.Is(err, evaluation.ErrInvalidOptions) {
			return usagef("report --help", "%v", err)
		}
		return err
	}
	if src.Found() {
		rep.Synthetic = true
		if rep.Previous != nil {
			rep.Previous.Synthetic = true
		}
	}
	if rep.Empty {
		fmt.Fprintf(e.stderr, "report: the store holds no record for %s to %s in this territory; the report says it is empty\n", *fromS, *toS)
	}
	names := make(map[string]string, len(places))
	for _, p := range places {
		names[p.ID] = p.Name + ", " + p.Commune
	}
	return writeReport(e, rep, format.String(), &render.HTMLOptions{Lang: render.Lang(lang.String()), Communes: communes, PlaceNames: names}, *out)
}

func writeReport(e *env, rep *evaluation.Report, format string, opts *render.HTMLOptions, path string) error {
	var w io.Writer = e.stdout
	var f *os.File
	if path != "-" && path != "" {
		var err error
		if f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		w = f
	}
	var err error
	switch format {
	case "csv":
		err = render.CSV(w, rep, opts.Lang)
	case "html":
		err = render.HTML(w, rep, opts)
	default:
		err = render.JSON(w, rep)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			fmt.Fprintf(e.stderr, "report: written to %s\n", path)
		}
	}
	return err
}

// reportCoverage computes the coverage of the report's territory by the
// places trained before the period's end, with the referrals the period
// asked of each place as the demand.
func reportCoverage(ctx context.Context, s store.Store, communes *territory.Reference, places []mediation.Place,
	trainings []mediation.Training, period evaluation.Period, region, dep string) (*coverage.Report, error) {
	if dep != "" {
		d, _ := communes.Departement(dep)
		region = d.Region
	}
	ambassadors, err := allAmbassadors(ctx, s, mediation.AmbassadorFilter{})
	if err != nil {
		return nil, err
	}
	demand := map[string]int{}
	f := referral.Filter{From: period.From, To: period.To, Limit: 1000}
	for {
		page, next, err := s.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			if r.PlaceID != "" {
				demand[r.PlaceID]++
			}
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return coverage.Compute(ctx, coverage.Input{
		Reference: communes, Places: places, Trainings: trainings, Ambassadors: ambassadors,
		Region: region, Referrals: demand, Weeks: period.To.Sub(period.From).Hours() / 24 / 7, Farthest: 15,
	})
}

// parseTargets reads the --target flags, INDICATOR=VALUE each.
func parseTargets(flags []string) ([]evaluation.Target, error) {
	var out []evaluation.Target
	known := evaluation.TargetIndicators()
	for _, f := range flags {
		id, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, usagef("report --help", "--target %q is not INDICATOR=VALUE (e.g. referrals.funnel.completed=400)", f)
		}
		id = strings.TrimSpace(id)
		if !slices.Contains(known, id) {
			return nil, usagef("report --help", "--target %q: unknown indicator %q; known: %s", f, id, strings.Join(known, ", "))
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(strings.Replace(v, ",", ".", 1)), 64)
		if err != nil || x <= 0 || math.IsInf(x, 0) {
			return nil, usagef("report --help", "--target %q: the value %q is not a positive number", f, v)
		}
		out = append(out, evaluation.Target{Indicator: id, Value: x})
	}
	return out, nil
}

// parseReportDay reads a required YYYY-MM-DD flag.
func parseReportDay(flag, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, usagef("report --help", "%s DATE is required (YYYY-MM-DD)", flag)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("report --help", "%s %q is not a date YYYY-MM-DD", flag, s)
	}
	return t, nil
}
