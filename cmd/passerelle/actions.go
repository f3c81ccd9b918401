package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
)

func actionsCommand() command {
	return actionsCommandWith(openNetwork)
}

func actionsCommandWith(open openNetworkFunc) command {
	return command{
		name:    "actions",
		summary: "record and list ambassador actions (stands, workshops, webinars, ...)",
		usage:   "Usage:\n  passerelle actions <command> [arguments]\n\nThe actions of the Mon espace santé ambassadors, with anonymous counts.\nLes actions des ambassadeurs « Mon espace santé », avec des comptes anonymes.",
		subs: []command{
			{name: "add", summary: "record one action", usage: actionsAddUsage,
				run: func(ctx context.Context, e *env, args []string) error { return runActionsAdd(ctx, e, args, open) }},
			{name: "list", summary: "list actions by région, département, type or period", usage: actionsListUsage,
				run: func(ctx context.Context, e *env, args []string) error { return runActionsList(ctx, e, args, open) }},
			actionsImportCoopCommand(),
		},
	}
}

const actionsAddUsage = `Usage:
  passerelle actions add --type TYPE --date YYYY-MM-DD (--commune INSEE | --remote) [--place ID]
        [--duration MINUTES] [--people N] [--accounts N] [--referrals N]
        [--organiser STRUCTURE] [--ambassador UUID]... [--coordinator UUID]
        [--age BAND=N]... [--gender GENDER=N]... [--theme THEME]... [--id UUID]
        [--store URL] [--format text|json]

Record one action with anonymous counts: people sensitised, Mon espace santé
accounts activated, referrals made, and optionally participants by age band
(moins_de_12, 12_18, 18_24, 25_39, 40_59, 60_69, 70_et_plus,
non_communique) and gender (masculin, feminin,
non_communique). Negative counts, a date in the future, an unknown commune
or more accounts than people are refused, each named by its field.

Enregistre une action avec des comptes anonymes ; toute valeur refusée est
nommée par son champ.

Types: ` + "stand_ouverture_compte, atelier_activation, webinaire, matinee_information, permanence, salon_forum, conference, atelier_collectif, accompagnement_individuel, autre"

const actionsListUsage = `Usage:
  passerelle actions list [--region CODE] [--departement CODE]... [--type TYPE]...
        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--store URL] [--format text|json]

List the actions that match every filter (--to excluded), in id order, with
their totals. JSON output: {"actions": [...], "totals": {...}}.`

// countsFlag is a repeatable KEY=N flag.
type countsFlag map[string]int

func (c countsFlag) String() string { return fmt.Sprint(map[string]int(c)) }

func (c countsFlag) Set(v string) error {
	k, n, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q is not KEY=N", v)
	}
	i, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil {
		return fmt.Errorf("%q: %q is not a whole number", v, n)
	}
	c[strings.TrimSpace(k)] += i
	return nil
}

func runActionsAdd(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "actions add", actionsAddUsage)
	var a mediation.Action
	id := fs.String("id", "", "the action's id (a UUID; a new one when empty)")
	typ := fs.String("type", "", "type of action (required)")
	date := fs.String("date", "", "day of the action, YYYY-MM-DD (required)")
	fs.StringVar(&a.Commune, "commune", "", "INSEE code of the commune")
	fs.BoolVar(&a.Remote, "remote", false, "the action was held remotely")
	fs.StringVar(&a.PlaceID, "place", "", "id of the mediation place")
	fs.IntVar(&a.DurationMinutes, "duration", 0, "duration in minutes")
	fs.IntVar(&a.PeopleSensitised, "people", 0, "people sensitised")
	fs.IntVar(&a.AccountsActivated, "accounts", 0, "Mon espace santé accounts activated")
	fs.IntVar(&a.ReferralsMade, "referrals", 0, "referrals made")
	fs.StringVar(&a.Organiser, "organiser", "", "organising structure")
	coord := fs.String("coordinator", "", "the coordinator's id (UUID)")
	var ambs, themes stringsFlag
	fs.Var(&ambs, "ambassador", "id of an ambassador involved (repeatable)")
	fs.Var(&themes, "theme", "theme (repeatable)")
	ages, genders := countsFlag{}, countsFlag{}
	fs.Var(ages, "age", "participants of an age band, BAND=N (repeatable)")
	fs.Var(genders, "gender", "participants of a gender, GENDER=N (repeatable)")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("actions add --help", "actions add takes no positional argument, got %q", pos[0])
	}
	if a.ID, err = parseOptionalUUID("--id", *id); err != nil {
		return usagef("actions add --help", "%v", err)
	}
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
	}
	if a.CoordinatorID, err = parseOptionalUUID("--coordinator", *coord); err != nil {
		return usagef("actions add --help", "%v", err)
	}
	for _, s := range ambs {
		u, err := parseOptionalUUID("--ambassador", s)
		if err != nil {
			return usagef("actions add --help", "%v", err)
		}
		a.AmbassadorIDs = append(a.AmbassadorIDs, u)
	}
	if *date == "" {
		return usagef("actions add --help", "actions add needs --date")
	}
	if a.Date, err = parseDay("--date", *date); err != nil {
		return usagef("actions add --help", "%v", err)
	}
	a.Type = mediation.ActionType(*typ)
	for _, t := range themes {
		a.Themes = append(a.Themes, mediation.Theme(t))
	}
	if len(ages) > 0 {
		a.Participants.ByAge = map[mediation.AgeBand]int{}
		for k, n := range ages {
			a.Participants.ByAge[mediation.AgeBand(k)] = n
		}
	}
	if len(genders) > 0 {
		a.Participants.ByGender = map[mediation.Gender]int{}
		for k, n := range genders {
			a.Participants.ByGender[mediation.Gender(k)] = n
		}
	}
	d, err := newNetworkDeps()
	if err != nil {
		return err
	}
	a.RecordedAt = d.now.UTC()
	if err := d.placeAction(&a); err != nil {
		return err
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *storeURL)
	n, err := s.SaveActions(ctx, []mediation.Action{a})
	if err != nil {
		return fmt.Errorf("storing action %s: %w", a.ID, err)
	}
	if format.value == "json" {
		return writeJSON(e.stdout, struct {
			Action mediation.Action `json:"action"`
			New    bool             `json:"new"`
		}{a, n == 1})
	}
	what := "recorded"
	if n == 0 {
		what = "already known, unchanged"
	}
	_, err = fmt.Fprintf(e.stdout, "action %s %s (%s, %s)\n", a.ID, what, a.Type, a.Date.Format(time.DateOnly))
	return err
}

// placeAction fills the département and région from the commune and
// validates the action completely, the commune against the official
// geography included.
func (d *networkDeps) placeAction(a *mediation.Action) error {
	var problems []mediation.FieldError
	if a.Commune != "" {
		if c, ok := d.ref.Commune(a.Commune); ok {
			a.Departement, a.Region = c.Departement, c.Region
		} else if mediation.ValidCommuneCode(a.Commune) {
			problems = append(problems, mediation.NewFieldError("commune", "unknown_commune",
				"%q is not a current commune", "%q n'est pas une commune actuelle", a.Commune))
		}
	}
	if err := a.ValidateAt(d.now); err != nil {
		var re *mediation.RecordError
		if !errors.As(err, &re) {
			return err
		}
		problems = append(problems, re.Problems...)
	}
	if len(problems) > 0 {
		return &mediation.RecordError{Kind: "action", ID: a.ID.String(), Problems: problems}
	}
	return nil
}

// actionTotals sums the counts of listed actions.
type actionTotals struct {
	Actions           int `json:"actions"`
	PeopleSensitised  int `json:"people_sensitised"`
	AccountsActivated int `json:"accounts_activated"`
	ReferralsMade     int `json:"referrals_made"`
}

func runActionsList(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "actions list", actionsListUsage)
	region := fs.String("region", "", "INSEE code of a région")
	var deps, types stringsFlag
	fs.Var(&deps, "departement", "code of a département (repeatable)")
	fs.Var(&types, "type", "type of action (repeatable)")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "day after the last, YYYY-MM-DD")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("actions list --help", "actions list takes no positional argument, got %q", pos[0])
	}
	f := mediation.ActionFilter{Region: *region, Departements: deps, Limit: mediation.MaxPageSize}
	for _, t := range types {
		at := mediation.ActionType(t)
		if !at.Valid() {
			return usagef("actions list --help", "--type: %q is not one of %v", t, mediation.ActionTypes())
		}
		f.Types = append(f.Types, at)
	}
	if *from != "" {
		if f.From, err = parseDay("--from", *from); err != nil {
			return usagef("actions list --help", "%v", err)
		}
	}
	if *to != "" {
		if f.To, err = parseDay("--to", *to); err != nil {
			return usagef("actions list --help", "%v", err)
		}
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	actions := []mediation.Action{}
	for {
		page, next, err := s.ListActions(ctx, f)
		if err != nil {
			return err
		}
		actions = append(actions, page...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	var tot actionTotals
	for _, a := range actions {
		tot.Actions++
		tot.PeopleSensitised += a.PeopleSensitised
		tot.AccountsActivated += a.AccountsActivated
		tot.ReferralsMade += a.ReferralsMade
	}
	if format.value == "json" {
		return writeJSON(e.stdout, struct {
			Actions []mediation.Action `json:"actions"`
			Totals  actionTotals       `json:"totals"`
		}{actions, tot})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tTYPE\tWHERE\tPEOPLE\tACCOUNTS\tREFERRALS\tID")
	for _, a := range actions {
		where := a.Commune
		if a.Remote && where == "" {
			where = "à distance"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", a.Date.Format(time.DateOnly), a.Type, orDash(where),
			a.PeopleSensitised, a.AccountsActivated, a.ReferralsMade, a.ID)
	}
	fmt.Fprintf(tw, "%d action(s)\t\t\t%d\t%d\t%d\t\n", tot.Actions, tot.PeopleSensitised, tot.AccountsActivated, tot.ReferralsMade)
	return tw.Flush()
}
