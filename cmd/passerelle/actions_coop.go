package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coop"
)

const actionsImportCoopUsage = `Usage:
  passerelle actions import-coop FILE [--store URL] [--dry-run] [--skip-rejected]

Import the "accompagnements" export of La Coop de la médiation numérique:
the XLSX workbook as downloaded (metadata rows above the table are fine),
or the same table saved as CSV (";" or ",", UTF-8 with or without BOM).
FILE "-" reads standard input.

Rows sharing an ID CRA are one activity: a collective workshop is stored as
one action with anonymous counts by age band and gender, an individual one
as an accompaniment of a pseudonymous person. The beneficiary's name, the
mediator's names and the notes are never read. Importing the same file
twice stores nothing new: activities already stored are counted in
already_known.

A row is rejected, with its row number, column and reason, for a date in
the future, a negative or non-numeric duration, an unknown commune code,
an unknown label, or rows of one activity that disagree. When a row is
rejected nothing is stored, unless --skip-rejected stores the valid
activities. --dry-run reads and checks the file and stores nothing; with
an explicit --store it also counts the activities already stored there.

Importe l'export « accompagnements » de La Coop de la médiation numérique
(XLSX ou CSV). Les noms et les notes ne sont jamais lus ; chaque ligne
refusée est signalée avec son numéro, sa colonne et la raison.

JSON output: {"activities", "accompaniments", "already_known",
"rejected": [{"row", "field", "reason"}]}. With --dry-run, or when rows
are rejected (and nothing is stored), activities and accompaniments are
what would be stored.

Exit codes: 1 when the file cannot be read, lacks required columns (they
are named), or has rejected rows (without --skip-rejected); 2 when the
command line is wrong.`

// coopSummary is the JSON printed by import-coop.
type coopSummary struct {
	Activities     int              `json:"activities"`
	Accompaniments int              `json:"accompaniments"`
	AlreadyKnown   int              `json:"already_known"`
	Rejected       []coop.Rejection `json:"rejected"`
}

// coopSink is what import-coop needs of a store.
type coopSink interface {
	SaveActions(ctx context.Context, as []mediation.Action) (int, error)
	SaveAccompaniments(ctx context.Context, as []mediation.Accompaniment) (int, error)
	ListActions(ctx context.Context, f mediation.ActionFilter) ([]mediation.Action, string, error)
	ListAccompaniments(ctx context.Context, f mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error)
}

func actionsImportCoopCommand() command {
	return command{
		name:    "import-coop",
		summary: "import La Coop de la médiation numérique's accompagnements export (XLSX or CSV)",
		usage:   actionsImportCoopUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			return runImportCoop(ctx, e, args, openCoopSink)
		},
	}
}

// openCoopSink opens the store at url for writing actions and
// accompaniments.
func openCoopSink(ctx context.Context, e *env, url string) (coopSink, io.Closer, error) {
	s, err := openStore(ctx, e, url)
	if err != nil {
		return nil, nil, err
	}
	return s, s, nil
}

func runImportCoop(ctx context.Context, e *env, args []string,
	open func(ctx context.Context, e *env, url string) (coopSink, io.Closer, error)) error {
	fs := newFlags(e, "actions import-coop", actionsImportCoopUsage)
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	dryRun := fs.Bool("dry-run", false, "read and check the file, store nothing")
	skipRejected := fs.Bool("skip-rejected", false, "store the valid activities even when rows are rejected")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("actions import-coop --help", "actions import-coop needs one FILE, got %d", len(pos))
	}
	in, name, err := openInput(e, pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	storeSet := false
	fs.Visit(func(f *flag.Flag) { storeSet = storeSet || f.Name == "store" })
	var opts coop.Options
	if *dryRun && storeSet {
		known, err := knownCoopActivities(ctx, e, *storeURL, open)
		if err != nil {
			return err
		}
		opts.Known = func(craID string) bool { return known[craID] }
	}
	res, err := coop.Decode(ctx, in, name, &opts)
	if err != nil {
		return err
	}
	sum := coopSummary{
		Activities:     len(res.Actions) + len(res.Accompaniments),
		Accompaniments: len(res.Accompaniments),
		AlreadyKnown:   res.AlreadyKnown,
		Rejected:       res.Rejected,
	}
	if sum.Rejected == nil {
		sum.Rejected = []coop.Rejection{}
	}
	rejected := len(res.Rejected) > 0 && !*skipRejected
	if !*dryRun && !rejected {
		if err := storeCoop(ctx, e, *storeURL, res, &sum, open); err != nil {
			return err
		}
		relayAfterWrite(ctx, e, *pluginsDir, nil, *storeURL)
	}
	if err := writeJSON(e.stdout, sum); err != nil {
		return err
	}
	if rejected {
		what := "nothing stored"
		if *dryRun {
			what = "dry run"
		}
		return fmt.Errorf("%s: %d row problem(s) (%s); fix them or use --skip-rejected", name, len(res.Rejected), what)
	}
	return nil
}

// knownCoopActivities returns the ID CRA of the activities the store at
// url already holds (actions and accompaniments imported from La Coop).
func knownCoopActivities(ctx context.Context, e *env, url string,
	open func(ctx context.Context, e *env, url string) (coopSink, io.Closer, error)) (known map[string]bool, err error) {
	sink, closer, err := open(ctx, e, url)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := closer.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	known = map[string]bool{}
	for cursor := ""; ; {
		page, next, err := sink.ListActions(ctx, mediation.ActionFilter{Source: mediation.SourceCoop, Limit: mediation.MaxPageSize, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			known[a.ExternalID] = true
		}
		if cursor = next; next == "" {
			break
		}
	}
	for cursor := ""; ; {
		page, next, err := sink.ListAccompaniments(ctx, mediation.AccompanimentFilter{Limit: mediation.MaxPageSize, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			if a.Source == mediation.SourceCoop {
				known[a.ExternalID] = true
			}
		}
		if cursor = next; next == "" {
			break
		}
	}
	return known, nil
}

// storeCoop saves the records and turns what the store already had into
// already_known: ids are derived from the ID CRA, so a record saved before
// is not new. An individual activity is one accompaniment.
func storeCoop(ctx context.Context, e *env, url string, res *coop.Result, sum *coopSummary,
	open func(ctx context.Context, e *env, url string) (coopSink, io.Closer, error)) (err error) {
	if len(res.Actions)+len(res.Accompaniments) == 0 {
		return nil
	}
	sink, closer, err := open(ctx, e, url)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closer.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	newActions, err := sink.SaveActions(ctx, res.Actions)
	if err != nil {
		return fmt.Errorf("storing %d actions: %w", len(res.Actions), err)
	}
	newAccs, err := sink.SaveAccompaniments(ctx, res.Accompaniments)
	if err != nil {
		return fmt.Errorf("storing %d accompaniments (the %d actions are stored; running the import again completes it): %w",
			len(res.Accompaniments), len(res.Actions), err)
	}
	known := len(res.Actions) - newActions + len(res.Accompaniments) - newAccs
	sum.AlreadyKnown += known
	sum.Activities -= known
	sum.Accompaniments = newAccs
	return nil
}
