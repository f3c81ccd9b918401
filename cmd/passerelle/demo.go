package main

import (
	"context"
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/store/openstore"
)

const demoUsage = `Usage:
  passerelle demo <command> [arguments]

Synthetic data for demonstrations, labelled synthetic everywhere it shows.
Données synthétiques de démonstration, signalées comme telles partout.`

const demoSeedUsage = `Usage:
  passerelle demo seed [--store URL] [--people N] [--year Y] [--seed S] [--format text|json]

Writes a synthetic year into the store: real communes and real mediation
places, with made-up ambassadors, actions, accompaniments and one referral per
person (plausible funnel rates and seasonality). The same seed gives the same
records; seeding twice adds nothing. Every record is labelled synthetic, and
so is a report computed from them. A year still under way stops today.

Écrit une année synthétique dans le stockage (communes et lieux réels,
ambassadeurs, actions et orientations inventés). Tout est signalé comme
synthétique, y compris le rapport qui en est tiré.

Example:
  passerelle demo seed --store sqlite:demo.db --people 5000 --year 2025
  passerelle report --store sqlite:demo.db --from 2025-01-01 --to 2025-12-31 --format html --out demo.html`

func demoCommand() command {
	return command{
		name:    "demo",
		summary: "synthetic data for demonstrations (labelled synthetic)",
		usage:   demoUsage,
		subs: []command{
			{name: "seed", summary: "write a synthetic year into the store", usage: demoSeedUsage, run: runDemoSeed},
		},
	}
}

func runDemoSeed(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo seed", demoSeedUsage)
	url := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	people := fs.Int("people", 1000, fmt.Sprintf("people referred during the year (1 to %d)", demo.MaxPeople))
	year := fs.Int("year", time.Now().Year()-1, "calendar year to generate")
	seed := fs.Uint64("seed", 1, "seed of the generator: the same seed gives the same year")
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("demo seed --help", "demo seed takes no argument, got %q", pos[0])
	}
	if *people < 1 || *people > demo.MaxPeople {
		return usagef("demo seed --help", "--people must be between 1 and %d, got %d", demo.MaxPeople, *people)
	}
	now := time.Now()
	if *year < 2000 || *year > now.Year() {
		return usagef("demo seed --help", "--year must be between 2000 and %d (a year to come has no records), got %d", now.Year(), *year)
	}
	s, err := openStore(ctx, e, *url)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *url)
	sum, err := demo.Seed(ctx, s, demo.Options{Year: *year, People: *people, Seed: *seed, Now: now})
	if err != nil {
		return err
	}
	if format.String() == "json" {
		return writeJSON(e.stdout, struct {
			Store string `json:"store"`
			demo.Summary
		}{openstore.Describe(*url), sum})
	}
	_, err = fmt.Fprintf(e.stdout, "%s: synthetic year %d (seed %d): %d referrals, %d ambassadors, %d coordinators, %d trainings, %d actions, %d accompaniments\n",
		openstore.Describe(*url), sum.Year, sum.Seed, sum.Referrals, sum.Ambassadors, sum.Coordinators, sum.Trainings, sum.Actions, sum.Accompaniments)
	return err
}
