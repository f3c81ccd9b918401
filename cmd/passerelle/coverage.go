package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
)

const coverageUsage = `Usage:
  passerelle coverage [--region CODE] [--places FILE]... [--weeks N]
        [--capacity-file FILE] [--default-capacity N] [--farthest N]
        [--store URL] [--format text|json]

Map the Mon espace santé scheme: places and ambassadors trained
(« Formé à « Mon Espace Santé » ») per région, département and commune; the
share of the population, and of people 60+, living within 10, 20 and 30 km
of a trained place; trained places per 10,000 inhabitants; the peu dense
and très peu dense communes farthest from any trained place; and, per
département, the referrals asked of mediation places over the last --weeks
weeks against the places' declared weekly capacity.

Places come from --places (files as "places import" writes them, or any
format it reads), else from the built-in demo directory. A place is trained
when it carries the label or when a training of its id is stored. Weekly
capacities come from --capacity-file (CSV: place_id,weekly_capacity); the
other places count --default-capacity (0: not declared).

Cartographie du dispositif : lieux et ambassadeurs formés, part de la
population (et des 60 ans et plus) à moins de 10, 20 et 30 km d'un lieu
formé, communes peu denses les plus éloignées, et demandes d'orientation
face à la capacité déclarée, par département.

JSON output: the coverage report (see package mediation/coverage).`

func coverageCommand() command {
	return coverageCommandWith(openNetwork)
}

func coverageCommandWith(open openNetworkFunc) command {
	return command{
		name:    "coverage",
		summary: "who is trained where, coverage within 10/20/30 km, supply against demand",
		usage:   coverageUsage,
		run:     func(ctx context.Context, e *env, args []string) error { return runCoverage(ctx, e, args, open) },
	}
}

func runCoverage(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "coverage", coverageUsage)
	region := fs.String("region", "", "INSEE code of the région (whole country when empty)")
	var placeFiles stringsFlag
	fs.Var(&placeFiles, "places", "places file (repeatable; the demo directory when absent)")
	weeks := fs.Int("weeks", 12, "weeks of referrals counted as demand")
	capFile := fs.String("capacity-file", "", "CSV of place_id,weekly_capacity")
	defCap := fs.Int("default-capacity", 0, "weekly capacity of places missing from --capacity-file")
	farthest := fs.Int("farthest", 20, "how many remote sparse communes to list")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("coverage --help", "coverage takes no positional argument, got %q", pos[0])
	}
	if *weeks <= 0 {
		return usagef("coverage --help", "--weeks: %d is not a positive number of weeks", *weeks)
	}
	if *defCap < 0 {
		return usagef("coverage --help", "--default-capacity: %d is negative", *defCap)
	}
	if *farthest < 0 {
		return usagef("coverage --help", "--farthest: %d is negative", *farthest)
	}
	d, err := newNetworkDeps()
	if err != nil {
		return err
	}
	if *region != "" {
		if _, ok := d.ref.Region(*region); !ok {
			return usagef("coverage --help", "--region: %q is not a région code", *region)
		}
	}
	in := coverage.Input{Reference: d.ref, Region: *region, Weeks: float64(*weeks), DefaultWeeklyCapacity: *defCap, Farthest: *farthest}
	if in.Farthest == 0 {
		in.Farthest = -1
	}
	if len(placeFiles) > 0 {
		resolver, err := communeResolver()
		if err != nil {
			return err
		}
		if in.Places, _, err = loadPlaces(ctx, e, placeFiles, "", resolver); err != nil {
			return err
		}
	} else if in.Places, err = demo.Places(); err != nil {
		return err
	}
	if *capFile != "" {
		if in.WeeklyCapacity, err = readCapacities(e, *capFile); err != nil {
			return err
		}
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	if in.Ambassadors, err = allAmbassadors(ctx, s, mediation.AmbassadorFilter{}); err != nil {
		return err
	}
	if in.Trainings, err = allTrainings(ctx, s); err != nil {
		return err
	}
	if in.Referrals, err = referralsPerPlace(ctx, s, d.now.AddDate(0, 0, -7**weeks)); err != nil {
		return err
	}
	rep, err := coverage.Compute(ctx, in)
	if err != nil {
		return err
	}
	if format.value == "json" {
		return writeJSON(e.stdout, rep)
	}
	return writeCoverageText(e.stdout, rep, *weeks)
}

func allTrainings(ctx context.Context, s mediation.NetworkStore) ([]mediation.Training, error) {
	return store.All(ctx, func(c string) ([]mediation.Training, string, error) {
		return s.ListTrainings(ctx, mediation.TrainingFilter{Limit: mediation.MaxPageSize, Cursor: c})
	})
}

// referralsPerPlace counts the referrals created since the given time, per
// place: what was asked of each place, whatever became of it.
func referralsPerPlace(ctx context.Context, s referral.Store, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := store.Pages(ctx, func(c string) ([]referral.Referral, string, error) {
		return s.List(ctx, referral.Filter{From: since, Limit: 1000, Cursor: c})
	}, func(page []referral.Referral) error {
		for _, r := range page {
			if r.PlaceID != "" {
				out[r.PlaceID]++
			}
		}
		return nil
	})
	return out, err
}

func readCapacities(e *env, path string) (map[string]int, error) {
	rc, name, err := openInput(e, path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return parseCapacities(rc, name)
}

// parseCapacities reads place_id,weekly_capacity rows (the header is
// optional); a place listed twice keeps its last capacity.
func parseCapacities(r io.Reader, name string) (map[string]int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	out := map[string]int{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if line == 1 && len(rec) > 0 && strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")) == "place_id" {
			continue
		}
		if len(rec) != 2 {
			return nil, fmt.Errorf("%s: line %d: want 2 columns (place_id,weekly_capacity), got %d", name, line, len(rec))
		}
		n, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: line %d, weekly_capacity: %q is not a whole number ≥ 0", name, line, rec[1])
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return nil, fmt.Errorf("%s: line %d, place_id: empty", name, line)
		}
		out[id] = n
	}
}

func writeCoverageText(w io.Writer, rep *coverage.Report, weeks int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	scope := "France"
	if rep.Region != "" {
		scope = "région " + rep.Region
	}
	fmt.Fprintf(tw, "Coverage of « %s », %s\n", rep.Module, scope)
	fmt.Fprintf(tw, "trained places: %d (%.3f per 10,000 inhabitants); trained ambassadors: %d; population %d, 60+ %d\n",
		rep.TrainedPlaces, rep.PlacesPer10000, rep.TrainedAmbassadors, rep.Population, rep.Population60Plus)
	for _, b := range rep.Coverage {
		fmt.Fprintf(tw, "within %.0f km:\t%.1f%% of people\t%.1f%% of people 60+\n", b.RadiusKm, b.Share*100, b.Share60Plus*100)
	}
	if rep.TrainedPlaces == 0 {
		fmt.Fprintln(tw, "no trained place yet: record trainings with \"passerelle ambassadors train --place ID\", or load places carrying the label")
	}
	if rep.Unlocated > 0 {
		fmt.Fprintf(tw, "%d trained place(s) without coordinates are not mapped\n", rep.Unlocated)
	}
	fmt.Fprintln(tw, "\nDÉPARTEMENT\tTRAINED PLACES\tAMBASSADORS\tPER 10,000\t≤ 10 KM\t≤ 30 KM (60+)")
	for _, d := range rep.Departements {
		last := len(d.Coverage) - 1
		fmt.Fprintf(tw, "%s %s\t%d\t%d\t%.3f\t%.1f%%\t%.1f%%\n", d.Code, d.Name, d.TrainedPlaces, d.TrainedAmbassadors,
			d.PlacesPer10000, d.Coverage[0].Share*100, d.Coverage[last].Share60Plus*100)
	}
	if len(rep.Farthest) > 0 {
		fmt.Fprintln(tw, "\nFARTHEST SPARSE COMMUNES\tDENSITY\tPOPULATION\tKM TO A TRAINED PLACE")
		for _, f := range rep.Farthest {
			fmt.Fprintf(tw, "%s %s (%s)\t%s\t%d\t%.1f\n", f.Code, f.Name, f.Departement, f.Density, f.Population, f.DistanceKm)
		}
	}
	fmt.Fprintf(tw, "\nSUPPLY AGAINST DEMAND (referrals of the last %d weeks)\tPLACES\tWEEKLY CAPACITY\tWEEKLY DEMAND\tRATIO\n", weeks)
	for _, b := range rep.Balances {
		ratio := fmt.Sprintf("%.2f", b.Ratio)
		switch {
		case b.CapacityUnknown:
			ratio = "no capacity declared"
		case b.Short:
			ratio += " SHORT"
		}
		fmt.Fprintf(tw, "%s %s\t%d\t%d\t%.2f\t%s\n", b.Departement, b.Name, b.Places, b.Capacity, b.WeeklyDemand, ratio)
	}
	if rep.UnknownReferralPlaces > 0 {
		fmt.Fprintf(tw, "%d referral(s) to places missing from the directory are left out\n", rep.UnknownReferralPlaces)
	}
	return tw.Flush()
}
