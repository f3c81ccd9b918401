package main

import (
	"context"
	"fmt"
	"time"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/openstore"
)

// defaultStoreURL is the store every command uses without --store: a SQLite
// file in the working directory.
const defaultStoreURL = "./passerelle.db"

// storeURLHelp documents --store for every command that takes it.
const storeURLHelp = "where records are kept: sqlite:PATH, a file path, memory: or postgres://... (default " + defaultStoreURL + ")"

// openStore opens (and migrates) the store named by url, "" meaning the
// default. The caller closes it.
func openStore(ctx context.Context, e *env, url string) (store.Store, error) {
	if url == "" {
		url = defaultStoreURL
	}
	s, err := openstore.Open(ctx, url)
	if err != nil {
		if kind, _, perr := openstore.Parse(url); perr == nil && kind == openstore.Postgres {
			// The SQLite and memory errors name their target already.
			return nil, fmt.Errorf("store %s: %w", openstore.Describe(url), err)
		}
		return nil, err
	}
	return s, nil
}

const storeUsage = `Usage:
  passerelle store <command> [arguments]

Maintenance of the store that keeps referrals, the ambassador network, the
journal and the outbox.
Maintenance du stockage des orientations, du réseau des ambassadeurs, du
journal et des événements.`

const storeMigrateUsage = `Usage:
  passerelle store migrate [--store URL] [--format text|json]

Brings the store's schema to this program's version (every command does it
when it opens the store; this one does only that), then prints the version.
A store migrated by a newer passerelle is refused, untouched (exit 1).

Met le schéma du stockage à la version de ce programme, puis l'affiche. Un
stockage migré par une version plus récente est refusé, sans modification.`

const storePurgeUsage = `Usage:
  passerelle store purge --older-than AGE [--store URL] [--actor ID] [--format text|json]

Deletes what is older than AGE: referrals whose last change is older,
actions and accompaniments dated before, delivered events written before.
Pending events, the questions log and the journal are kept; the purge itself
is written to the journal, with its counts.

AGE is whole numbers each followed by a unit, in calendar time:
  y years, m months (not minutes), d days; e.g. 24m, 2y, 90d, 1y6m.

Supprime ce qui est plus ancien que AGE (orientations sans changement depuis,
actions et accompagnements datés d'avant, événements déjà livrés). La purge est
inscrite au journal. AGE : y années, m mois, d jours (24m = 24 mois).`

func storeCommand() command {
	return command{
		name:    "store",
		summary: "migrate or purge the store (referrals, network, journal)",
		usage:   storeUsage,
		subs: []command{
			{name: "migrate", summary: "bring the store's schema to this program's version", usage: storeMigrateUsage, run: runStoreMigrate},
			{name: "purge", summary: "delete records older than an age, journaled", usage: storePurgeUsage, run: runStorePurge},
		},
	}
}

type migrateOutput struct {
	Store         string `json:"store"`
	SchemaVersion int    `json:"schema_version"`
}

func runStoreMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "store migrate", storeMigrateUsage)
	url := fs.String("store", defaultStoreURL, storeURLHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("store migrate --help", "store migrate takes no argument, got %q", pos[0])
	}
	s, err := openStore(ctx, e, *url)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	out := migrateOutput{Store: openstore.Describe(*url), SchemaVersion: v}
	if format.String() == "json" {
		return writeJSON(e.stdout, out)
	}
	_, err = fmt.Fprintf(e.stdout, "%s: schema version %d, up to date (schéma à jour)\n", out.Store, v)
	return err
}

type purgeOutput struct {
	Store     string `json:"store"`
	OlderThan string `json:"older_than"`
	store.PurgeReport
}

func runStorePurge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "store purge", storePurgeUsage)
	url := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	olderThan := fs.String("older-than", "", "age of the records to delete: 24m (months), 90d (days), 2y (years), 1y6m")
	actor := fs.String("actor", "cli", "who purges, for the journal (a role or a pseudonymous id)")
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("store purge --help", "store purge takes no argument, got %q", pos[0])
	}
	if *olderThan == "" {
		return usagef("store purge --help", "store purge needs --older-than AGE (e.g. 24m for 24 months)")
	}
	age, err := store.ParseAge(*olderThan)
	if err != nil {
		return usagef("store purge --help", "--older-than: %v", err)
	}
	s, err := openStore(ctx, e, *url)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *url)
	now := time.Now()
	rep, err := s.Purge(ctx, store.PurgeRequest{Before: age.Before(now), Actor: *actor, At: now})
	if err != nil {
		return err
	}
	out := purgeOutput{Store: openstore.Describe(*url), OlderThan: age.String(), PurgeReport: rep}
	if format.String() == "json" {
		return writeJSON(e.stdout, out)
	}
	_, err = fmt.Fprintf(e.stdout, "%s: purged before %s (older than %s): %d referrals, %d actions, %d accompaniments, %d delivered events; journal entry %d\n",
		out.Store, rep.Before.Format(time.DateOnly), out.OlderThan, rep.Referrals, rep.Actions, rep.Accompaniments, rep.Events, rep.Seq)
	return err
}
