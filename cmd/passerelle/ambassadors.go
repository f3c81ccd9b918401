package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
)

// networkBackend is what the ambassadors, actions and coverage commands
// need of a store: the network's records, the referrals (for supply
// against demand) and Close.
type networkBackend interface {
	mediation.NetworkStore
	referral.Store
	io.Closer
}

// openNetworkFunc opens the store at url; tests pass their own.
type openNetworkFunc func(ctx context.Context, e *env, url string) (networkBackend, error)

// networkRecordsSource names the ids derived by "ambassadors import" from a
// handle when a row has no id.
const networkRecordsSource = "passerelle-ambassadors"

func ambassadorsCommand() command {
	return ambassadorsCommandWith(openNetwork)
}

func ambassadorsCommandWith(open openNetworkFunc) command {
	return command{
		name:    "ambassadors",
		summary: "record and list Mon espace santé ambassadors",
		usage:   "Usage:\n  passerelle ambassadors <command> [arguments]\n\nThe ambassadors of the Mon espace santé scheme: pseudonymous handles, never names.\nLes ambassadeurs « Mon espace santé » : des pseudonymes, jamais de noms.",
		subs: []command{
			{name: "add", summary: "record one ambassador (and their Mon espace santé training)", usage: ambassadorsAddUsage,
				run: func(ctx context.Context, e *env, args []string) error { return runAmbassadorsAdd(ctx, e, args, open) }},
			{name: "list", summary: "list ambassadors by région, département, status or kind", usage: ambassadorsListUsage,
				run: func(ctx context.Context, e *env, args []string) error { return runAmbassadorsList(ctx, e, args, open) }},
			{name: "import", summary: "import ambassadors from a CSV file, all or nothing", usage: ambassadorsImportUsage,
				run: func(ctx context.Context, e *env, args []string) error {
					return runAmbassadorsImport(ctx, e, args, open)
				}},
			{name: "status", summary: "change an ambassador's status (actif, en_pause, parti)", usage: ambassadorsStatusUsage,
				run: func(ctx context.Context, e *env, args []string) error {
					return runAmbassadorsStatus(ctx, e, args, open)
				}},
			{name: "train", summary: "record a training of an ambassador or of a place's team", usage: ambassadorsTrainUsage,
				run: func(ctx context.Context, e *env, args []string) error {
					return runAmbassadorsTrain(ctx, e, args, open)
				}},
		},
	}
}

const ambassadorsAddUsage = `Usage:
  passerelle ambassadors add --region CODE --kind KIND [--handle HANDLE]
        [--host-structure NAME] [--place ID]... [--commune INSEE]... [--departement CODE]...
        [--language ISO639]... [--status actif|en_pause|parti] [--joined YYYY-MM-DD]
        [--trained YYYY-MM-DD [--training-provider NAME]] [--coordinator UUID] [--id UUID]
        [--store URL] [--format text|json]

Record one ambassador. The handle is a pseudonym chosen by the coordinator
(never a name, an e-mail or a phone number). --trained records the
« Formé à « Mon Espace Santé » » training on that day. Communes and
départements must exist in the official geography. Saving the same --id
twice changes nothing.

Enregistre un ambassadeur (pseudonyme, jamais de nom). --trained enregistre
la formation « Formé à « Mon Espace Santé » ».

Kinds: ` + "conseiller_numerique, agent_cpam, agent_ars, travailleur_social, professionnel_sante, pharmacien, benevole_associatif, representant_usagers, autre"

const ambassadorsListUsage = `Usage:
  passerelle ambassadors list [--region CODE] [--departement CODE] [--status S]... [--kind K]...
        [--store URL] [--format text|json]

List the ambassadors that match every given filter (a repeated flag matches
any of its values), in id order. JSON output: {"ambassadors": [...]}.`

const ambassadorsImportUsage = `Usage:
  passerelle ambassadors import FILE [--store URL] [--format text|json]

Import ambassadors from a CSV file (";" or "," separated, UTF-8) with a header
row naming these columns (only region and kind are required):
  id, handle, region, kind, host_structure, places, communes, departements,
  languages, status, joined_at, trained_at, training_provider
Multi-valued cells separate values with "|". A row without id gets one
derived from its handle and région, so importing the same file twice stores
nothing new. Every row is checked first: one bad row (named with its line
and column) and nothing is stored.

JSON output: {"ambassadors": N, "trainings": N, "already_known": N,
"rejected": [{"row", "field", "reason"}]}; an ambassador already stored
(same id) is counted in already_known and left unchanged.`

// networkDeps carries what the commands share: the reference and "now".
type networkDeps struct {
	ref *territory.Reference
	now time.Time
}

func newNetworkDeps() (*networkDeps, error) {
	ref, err := territory.Default()
	if err != nil {
		return nil, err
	}
	return &networkDeps{ref: ref, now: time.Now()}, nil
}

// parseDay reads YYYY-MM-DD (field names the flag or column in errors).
func parseDay(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not a date YYYY-MM-DD", field, s)
	}
	return t, nil
}

// checkPlaces reports codes unknown to the official geography: the record
// validation only checks their shape.
func (d *networkDeps) checkGeography(field string, communes, departements []string) []mediation.FieldError {
	var out []mediation.FieldError
	for i, c := range communes {
		if _, ok := d.ref.Commune(c); !ok && mediation.ValidCommuneCode(c) {
			out = append(out, mediation.NewFieldError(fmt.Sprintf("%s[%d]", field, i), "unknown_commune",
				"%q is not a current commune", "%q n'est pas une commune actuelle", c))
		}
	}
	for i, dep := range departements {
		if _, ok := d.ref.Departement(dep); !ok && mediation.ValidDepartementCode(dep) {
			out = append(out, mediation.NewFieldError(fmt.Sprintf("departements[%d]", i), "unknown_departement",
				"%q is not a département", "%q n'est pas un département", dep))
		}
	}
	return out
}

// ambassadorInput is one ambassador to record, from flags or a CSV row.
type ambassadorInput struct {
	amb      mediation.Ambassador
	trained  time.Time
	provider string
}

// build validates the ambassador (and its training) completely and returns
// every problem.
func (d *networkDeps) build(in *ambassadorInput) (*mediation.Training, error) {
	a := &in.amb
	if a.Status == "" {
		a.Status = mediation.AmbassadorActive
	}
	if a.JoinedAt.IsZero() {
		a.JoinedAt = d.now.UTC().Truncate(24 * time.Hour)
	}
	if a.StatusSince.IsZero() {
		a.StatusSince = a.JoinedAt
	}
	var problems []mediation.FieldError
	if err := a.ValidateAt(d.now); err != nil {
		var re *mediation.RecordError
		if !errors.As(err, &re) {
			return nil, err
		}
		problems = append(problems, re.Problems...)
	}
	if a.Region != "" && mediation.ValidRegionCode(a.Region) {
		if _, ok := d.ref.Region(a.Region); !ok {
			problems = append(problems, mediation.NewFieldError("region", "unknown_region", "%q is not a région", "%q n'est pas une région", a.Region))
		}
	}
	problems = append(problems, d.checkGeography("communes", a.Communes, a.Departements)...)
	var tr *mediation.Training
	if !in.trained.IsZero() {
		tr = &mediation.Training{ID: mediation.ExternalUUID(networkRecordsSource, a.ID.String(), "training", mediation.ModuleMonEspaceSante),
			AmbassadorID: a.ID, Module: mediation.ModuleMonEspaceSante, Date: in.trained, Provider: in.provider}
		if err := tr.ValidateAt(d.now); err != nil {
			var re *mediation.RecordError
			if errors.As(err, &re) {
				for _, p := range re.Problems {
					p.Field = "training." + p.Field
					problems = append(problems, p)
				}
			}
		}
	}
	if len(problems) > 0 {
		return nil, &mediation.RecordError{Kind: "ambassador", ID: a.ID.String(), Problems: problems}
	}
	return tr, nil
}

func runAmbassadorsAdd(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "ambassadors add", ambassadorsAddUsage)
	var in ambassadorInput
	var places, communes, deps, langs stringsFlag
	id := fs.String("id", "", "the ambassador's id (a UUID; a new one when empty)")
	coord := fs.String("coordinator", "", "the coordinator's id (UUID)")
	fs.StringVar(&in.amb.Handle, "handle", "", "pseudonymous display handle (never a name)")
	fs.StringVar(&in.amb.Region, "region", "", "INSEE code of the région (required)")
	kind := fs.String("kind", "", "what the ambassador is by trade (required)")
	fs.StringVar(&in.amb.HostStructure, "host-structure", "", "the structure the ambassador works in")
	fs.Var(&places, "place", "id of a mediation place where the ambassador acts (repeatable)")
	fs.Var(&communes, "commune", "INSEE code of a commune served (repeatable)")
	fs.Var(&deps, "departement", "code of a département served (repeatable)")
	fs.Var(&langs, "language", "ISO 639 code of a language spoken besides French (repeatable)")
	status := fs.String("status", string(mediation.AmbassadorActive), "actif, en_pause or parti")
	joined := fs.String("joined", "", "day the ambassador joined, YYYY-MM-DD (today when empty)")
	trained := fs.String("trained", "", "day of the Mon espace santé training, YYYY-MM-DD")
	fs.StringVar(&in.provider, "training-provider", "", "who gave the training")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ambassadors add --help", "ambassadors add takes no positional argument, got %q", pos[0])
	}
	if in.amb.ID, err = parseOptionalUUID("--id", *id); err != nil {
		return usagef("ambassadors add --help", "%v", err)
	}
	if in.amb.ID == uuid.Nil {
		in.amb.ID = uuid.New()
	}
	if in.amb.CoordinatorID, err = parseOptionalUUID("--coordinator", *coord); err != nil {
		return usagef("ambassadors add --help", "%v", err)
	}
	in.amb.Kind, in.amb.Status = mediation.AmbassadorKind(*kind), mediation.AmbassadorStatus(*status)
	in.amb.PlaceIDs, in.amb.Communes, in.amb.Departements, in.amb.Languages = places, communes, deps, langs
	if *joined != "" {
		if in.amb.JoinedAt, err = parseDay("--joined", *joined); err != nil {
			return usagef("ambassadors add --help", "%v", err)
		}
	}
	if *trained != "" {
		if in.trained, err = parseDay("--trained", *trained); err != nil {
			return usagef("ambassadors add --help", "%v", err)
		}
	}
	d, err := newNetworkDeps()
	if err != nil {
		return err
	}
	tr, err := d.build(&in)
	if err != nil {
		return err
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *storeURL)
	if err := s.SaveAmbassador(ctx, in.amb); err != nil {
		return fmt.Errorf("storing ambassador %s: %w", in.amb.ID, err)
	}
	if tr != nil {
		if err := s.SaveTraining(ctx, *tr); err != nil {
			return fmt.Errorf("storing the training of ambassador %s: %w", in.amb.ID, err)
		}
	}
	if format.value == "json" {
		return writeJSON(e.stdout, struct {
			Ambassador mediation.Ambassador `json:"ambassador"`
			Training   *mediation.Training  `json:"training,omitempty"`
		}{in.amb, tr})
	}
	_, err = fmt.Fprintf(e.stdout, "ambassador %s recorded (%s, région %s)\n", in.amb.ID, in.amb.Kind, in.amb.Region)
	return err
}

func parseOptionalUUID(field, s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%s: %q is not a UUID", field, s)
	}
	return id, nil
}

// allAmbassadors reads every page.
func allAmbassadors(ctx context.Context, s mediation.NetworkStore, f mediation.AmbassadorFilter) ([]mediation.Ambassador, error) {
	f.Limit = mediation.MaxPageSize
	return store.All(ctx, func(c string) ([]mediation.Ambassador, string, error) {
		f.Cursor = c
		return s.ListAmbassadors(ctx, f)
	})
}

func runAmbassadorsList(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "ambassadors list", ambassadorsListUsage)
	region := fs.String("region", "", "INSEE code of a région")
	dep := fs.String("departement", "", "code of a département served")
	var statuses, kinds stringsFlag
	fs.Var(&statuses, "status", "actif, en_pause or parti (repeatable)")
	fs.Var(&kinds, "kind", "kind of ambassador (repeatable)")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ambassadors list --help", "ambassadors list takes no positional argument, got %q", pos[0])
	}
	f := mediation.AmbassadorFilter{Region: *region, Departement: *dep}
	for _, s := range statuses {
		st := mediation.AmbassadorStatus(s)
		if !st.Valid() {
			return usagef("ambassadors list --help", "--status: %q is not one of %v", s, mediation.AmbassadorStatuses())
		}
		f.Status = append(f.Status, st)
	}
	for _, k := range kinds {
		kd := mediation.AmbassadorKind(k)
		if !kd.Valid() {
			return usagef("ambassadors list --help", "--kind: %q is not one of %v", k, mediation.AmbassadorKinds())
		}
		f.Kind = append(f.Kind, kd)
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	ambs, err := allAmbassadors(ctx, s, f)
	if err != nil {
		return err
	}
	if format.value == "json" {
		if ambs == nil {
			ambs = []mediation.Ambassador{}
		}
		return writeJSON(e.stdout, struct {
			Ambassadors []mediation.Ambassador `json:"ambassadors"`
		}{ambs})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHANDLE\tRÉGION\tKIND\tSTATUS\tSINCE\tSERVES")
	for _, a := range ambs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, orDash(a.Handle), a.Region, a.Kind, a.Status,
			a.StatusSince.Format(time.DateOnly), orDash(strings.Join(append(slices.Clone(a.Departements), a.Communes...), " ")))
	}
	fmt.Fprintf(tw, "%d ambassador(s)\n", len(ambs))
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// rowRejection is one bad row of an import.
type rowRejection struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

var ambassadorColumns = []string{"id", "handle", "region", "kind", "host_structure", "places", "communes",
	"departements", "languages", "status", "joined_at", "trained_at", "training_provider"}

// readAmbassadorsCSV parses the import file; rows are numbered by their line
// in the file (the header is line 1).
func readAmbassadorsCSV(r io.Reader, name string, d *networkDeps) ([]ambassadorInput, []rowRejection, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	cr := csv.NewReader(strings.NewReader(text))
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no header row: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(ambassadorColumns, h) {
			return nil, nil, fmt.Errorf("%s: line 1, column %d: unknown column %q (known: %s)", name, i+1, h, strings.Join(ambassadorColumns, ", "))
		}
		col[h] = i
	}
	var missing []string
	for _, req := range []string{"region", "kind"} {
		if _, ok := col[req]; !ok {
			missing = append(missing, req)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("%s: missing required column(s): %s", name, strings.Join(missing, ", "))
	}
	var out []ambassadorInput
	var rejected []rowRejection
	seen := map[uuid.UUID]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		// Only after a successful Read: FieldPos panics on a failed one
		// (found by FuzzReadAmbassadorsCSV).
		line, _ := cr.FieldPos(0)
		cell := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		reject := func(field, reason string) {
			rejected = append(rejected, rowRejection{Row: line, Field: field, Reason: reason})
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		var in ambassadorInput
		a := &in.amb
		a.Handle, a.Region, a.Kind, a.HostStructure = cell("handle"), cell("region"), mediation.AmbassadorKind(cell("kind")), cell("host_structure")
		a.PlaceIDs, a.Communes, a.Departements, a.Languages = mediation.SplitValues(cell("places")), mediation.SplitValues(cell("communes")),
			mediation.SplitValues(cell("departements")), mediation.SplitValues(cell("languages"))
		a.Status = mediation.AmbassadorStatus(cell("status"))
		in.provider = cell("training_provider")
		ok := true
		if id := cell("id"); id != "" {
			var err error
			if a.ID, err = uuid.Parse(id); err != nil {
				reject("id", fmt.Sprintf("%q is not a UUID", id))
				ok = false
			}
		} else if a.Handle != "" {
			a.ID = mediation.ExternalUUID(networkRecordsSource, a.Region, a.Handle)
		} else {
			reject("id", "a row needs an id or a handle, so importing it twice does not duplicate it")
			ok = false
		}
		for _, c := range []struct {
			name string
			dst  *time.Time
		}{{"joined_at", &a.JoinedAt}, {"trained_at", &in.trained}} {
			if v := cell(c.name); v != "" {
				t, err := parseDay(c.name, v)
				if err != nil {
					reject(c.name, err.Error())
					ok = false
				}
				*c.dst = t
			}
		}
		if prev, dup := seen[a.ID]; dup && a.ID != uuid.Nil {
			reject("id", fmt.Sprintf("same ambassador as line %d", prev))
			ok = false
		}
		seen[a.ID] = line
		if !ok {
			continue
		}
		if _, err := d.build(&in); err != nil {
			var re *mediation.RecordError
			if !errors.As(err, &re) {
				return nil, nil, err
			}
			for _, p := range re.Problems {
				reject(p.Field, p.Message)
			}
			continue
		}
		out = append(out, in)
	}
	return out, rejected, nil
}

func runAmbassadorsImport(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "ambassadors import", ambassadorsImportUsage)
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	format := newChoice("json", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("ambassadors import --help", "ambassadors import needs one FILE, got %d", len(pos))
	}
	r, name, err := openInput(e, pos[0])
	if err != nil {
		return err
	}
	defer r.Close()
	d, err := newNetworkDeps()
	if err != nil {
		return err
	}
	rows, rejected, err := readAmbassadorsCSV(r, name, d)
	if err != nil {
		return err
	}
	sum := struct {
		Ambassadors  int            `json:"ambassadors"`
		Trainings    int            `json:"trainings"`
		AlreadyKnown int            `json:"already_known"`
		Rejected     []rowRejection `json:"rejected"`
	}{Rejected: rejected}
	if sum.Rejected == nil {
		sum.Rejected = []rowRejection{}
	}
	if len(rejected) == 0 {
		s, err := open(ctx, e, *storeURL)
		if err != nil {
			return err
		}
		defer s.Close()
		defer relayAfterWrite(ctx, e, *pluginsDir, s, *storeURL)
		for i := range rows {
			tr, _ := d.build(&rows[i])
			if _, err := s.GetAmbassador(ctx, rows[i].amb.ID); err == nil {
				sum.AlreadyKnown++
				continue
			} else if !errors.Is(err, mediation.ErrNotFound) {
				return fmt.Errorf("reading ambassador %s: %w", rows[i].amb.ID, err)
			}
			if err := s.SaveAmbassador(ctx, rows[i].amb); err != nil {
				return fmt.Errorf("storing ambassador %s (%d of %d stored before it; the import can be run again): %w", rows[i].amb.ID, i, len(rows), err)
			}
			sum.Ambassadors++
			if tr != nil {
				if err := s.SaveTraining(ctx, *tr); err != nil {
					return fmt.Errorf("storing the training of ambassador %s: %w", rows[i].amb.ID, err)
				}
				sum.Trainings++
			}
		}
	}
	if format.value == "json" {
		if err := writeJSON(e.stdout, sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "%d ambassador(s), %d training(s) stored, %d already known\n", sum.Ambassadors, sum.Trainings, sum.AlreadyKnown)
		for _, r := range rejected {
			fmt.Fprintf(e.stdout, "line %d, %s: %s\n", r.Row, r.Field, r.Reason)
		}
	}
	if len(rejected) > 0 {
		return fmt.Errorf("%s: %d problem(s), nothing stored", name, len(rejected))
	}
	return nil
}

const ambassadorsTrainUsage = `Usage:
  passerelle ambassadors train (--ambassador UUID | --place ID) --date YYYY-MM-DD
        [--module NAME] [--provider NAME] [--pix SCORE] [--store URL] [--format text|json]

Record a training: of an ambassador, or of the team of a mediation place
(the place then counts as trained in "passerelle coverage"). The module is
« Formé à « Mon Espace Santé » » unless --module names another. --pix
attaches a Pix score (0 to 1024) obtained on the same day. Recording the
same training twice (same person or place, module and day) changes nothing.

Enregistre une formation d'un ambassadeur ou de l'équipe d'un lieu.`

func runAmbassadorsTrain(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "ambassadors train", ambassadorsTrainUsage)
	amb := fs.String("ambassador", "", "id of the ambassador trained (UUID)")
	place := fs.String("place", "", "id of the mediation place whose team was trained")
	date := fs.String("date", "", "day of the training, YYYY-MM-DD (required)")
	module := fs.String("module", mediation.ModuleMonEspaceSante, "training module")
	provider := fs.String("provider", "", "who gave the training")
	pix := fs.Int("pix", -1, "Pix score obtained, 0 to 1024")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("ambassadors train --help", "ambassadors train takes no positional argument, got %q", pos[0])
	}
	t := mediation.Training{PlaceID: strings.TrimSpace(*place), Module: *module, Provider: *provider}
	if t.AmbassadorID, err = parseOptionalUUID("--ambassador", *amb); err != nil {
		return usagef("ambassadors train --help", "%v", err)
	}
	if (t.AmbassadorID == uuid.Nil) == (t.PlaceID == "") {
		return usagef("ambassadors train --help", "ambassadors train needs exactly one of --ambassador and --place")
	}
	if *date == "" {
		return usagef("ambassadors train --help", "ambassadors train needs --date")
	}
	if t.Date, err = parseDay("--date", *date); err != nil {
		return usagef("ambassadors train --help", "%v", err)
	}
	if *pix >= 0 {
		t.Pix = &mediation.PixResult{Score: *pix, Date: t.Date}
	}
	who := t.PlaceID
	if t.AmbassadorID != uuid.Nil {
		who = t.AmbassadorID.String()
	}
	t.ID = mediation.ExternalUUID(networkRecordsSource, who, "training", t.Module, t.Date.Format(time.DateOnly))
	if err := t.ValidateAt(time.Now()); err != nil {
		return err
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *storeURL)
	if t.AmbassadorID != uuid.Nil {
		if _, err := s.GetAmbassador(ctx, t.AmbassadorID); err != nil {
			return fmt.Errorf("--ambassador %s: %w", t.AmbassadorID, err)
		}
	}
	if err := s.SaveTraining(ctx, t); err != nil {
		return fmt.Errorf("storing training %s: %w", t.ID, err)
	}
	if format.value == "json" {
		return writeJSON(e.stdout, struct {
			Training mediation.Training `json:"training"`
		}{t})
	}
	_, err = fmt.Fprintf(e.stdout, "training %s recorded (%s, %s)\n", t.ID, who, t.Module)
	return err
}

const ambassadorsStatusUsage = `Usage:
  passerelle ambassadors status ID STATUS [--since YYYY-MM-DD] [--store URL] [--format text|json]

Change the status of ambassador ID to actif, en_pause or parti, as of
--since (today when absent). The update is refused if the ambassador
changed in the store meanwhile (run the command again).

Change le statut d'un ambassadeur (actif, en_pause, parti).`

func runAmbassadorsStatus(ctx context.Context, e *env, args []string, open openNetworkFunc) error {
	fs := newFlags(e, "ambassadors status", ambassadorsStatusUsage)
	since := fs.String("since", "", "day of the change, YYYY-MM-DD (today when empty)")
	storeURL := fs.String("store", defaultStoreURL, storeURLHelp)
	pluginsDir := fs.String("plugins", "", pluginsRelayHelp)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("ambassadors status --help", "ambassadors status needs ID and STATUS, got %d argument(s)", len(pos))
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return usagef("ambassadors status --help", "ID: %q is not a UUID", pos[0])
	}
	status := mediation.AmbassadorStatus(pos[1])
	if !status.Valid() {
		return usagef("ambassadors status --help", "STATUS: %q is not one of %v", pos[1], mediation.AmbassadorStatuses())
	}
	now := time.Now()
	day := now.UTC().Truncate(24 * time.Hour)
	if *since != "" {
		if day, err = parseDay("--since", *since); err != nil {
			return usagef("ambassadors status --help", "%v", err)
		}
	}
	s, err := open(ctx, e, *storeURL)
	if err != nil {
		return err
	}
	defer s.Close()
	defer relayAfterWrite(ctx, e, *pluginsDir, s, *storeURL)
	a, err := s.GetAmbassador(ctx, id)
	if err != nil {
		return fmt.Errorf("ambassador %s: %w", id, err)
	}
	changed := a.Status != status
	if err := a.SetStatus(status, day); err != nil {
		return err
	}
	if changed {
		if err := a.ValidateAt(now); err != nil {
			return err
		}
		if err := s.UpdateAmbassador(ctx, &a); err != nil {
			return fmt.Errorf("updating ambassador %s: %w", id, err)
		}
	}
	if format.value == "json" {
		return writeJSON(e.stdout, struct {
			Ambassador mediation.Ambassador `json:"ambassador"`
			Changed    bool                 `json:"changed"`
		}{a, changed})
	}
	if !changed {
		_, err = fmt.Fprintf(e.stdout, "ambassador %s is already %s since %s\n", id, a.Status, a.StatusSince.Format(time.DateOnly))
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "ambassador %s is %s since %s\n", id, a.Status, a.StatusSince.Format(time.DateOnly))
	return err
}
