package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/territory"
)

const referUsage = `Usage:
  passerelle refer [--instrument ID] --answers FILE|- [--commune INSEE | --postal-code CP]
                   [--age-band B] [--need N]... [--constraint C]... [--language L]
                   [--places FILE]... [--rules FILE] [--format text|json|html] [--lang fr|en]
                   [--name NAME] [--reference REF] [--at TIME]
  passerelle refer --batch people.csv --out referrals.csv [--instrument ID]
                   [--places FILE]... [--rules FILE] [--workers N] [--format text|json]

Score the answers, run the referral rules and match each proposed pathway
to mediation places near the person's commune, ranked by distance, opening
in the coming days, fit with the person's constraints and the place's
labels. Every pathway and place says why it was chosen; places passed over
are listed with the reason. When nothing fits within the radius the search
widens (15, 30, then 60 km) and then falls back to remote options.

Without --places the embedded demo directory is used (real open data:
Charente, Auvergne-Rhône-Alpes and the France Services list). Without
--rules, the national rule set.

--format json prints {"assessment", "commune", "rules_version",
"pathways": [{"id", "title", "priority", "rule", "places": [{"id", "nom",
"distance_km", "score", "why", ...}], "passed_over", "widened", "why"}],
"trace"}; --format html prints the orientation sheet (« fiche
d'orientation ») of the first pathway that has a place, large print, ready
to print. --name is printed on the sheet only, never stored.

Batch mode reads a CSV file with a header row, columns in any order:
person_id (a UUID), commune (INSEE code or postal code; a postal code
shared by several communes means its most populous one), level or answers
(the instrument's answers as a JSON object), and optional age_band, flags
(assessment flags and constraints) and needs (both |-separated). It writes
one row per person and pathway: person_id,pathway,place_id,distance_km,rule
(place_id empty when the pathway needs no place or none was found), in the
input's order. Bad rows are rejected with their line and reason, and the
batch goes on; the summary goes to standard error (--format json: to
standard output as JSON). A progress line is shown on a terminal.`

func referCommand() command {
	return command{
		name:    "refer",
		summary: "refer a person (or a CSV batch) to pathways and ranked mediation places",
		usage:   referUsage,
		run:     runRefer,
	}
}

type referFlags struct {
	instrument, answers, commune, postal, ageBand, language string
	needs, constraints, places                              stringsFlag
	plugins                                                 string
	rules, name, reference, at                              string
	batch, out                                              string
	workers                                                 int
	format, lang                                            *choiceFlag
}

func runRefer(ctx context.Context, e *env, args []string) error {
	var f referFlags
	fs := newFlags(e, "refer", referUsage)
	fs.StringVar(&f.instrument, "instrument", "triage", "built-in instrument that scores --answers: triage, eheals, dsi or pix")
	fs.StringVar(&f.answers, "answers", "", `answers file (JSON object), "-" for standard input`)
	fs.StringVar(&f.commune, "commune", "", "INSEE code of the person's commune")
	fs.StringVar(&f.postal, "postal-code", "", "postal code of the person's commune (when it names one commune)")
	fs.StringVar(&f.ageBand, "age-band", "", "age band: "+joinValues(referral.AgeBands()))
	fs.Var(&f.needs, "need", "what the person wants to do (repeatable): "+joinValues(referral.Needs()))
	fs.Var(&f.constraints, "constraint", "a constraint (repeatable): "+joinValues(referral.Constraints()))
	fs.StringVar(&f.language, "language", "", "language the person speaks best when not French (ISO 639-1, e.g. en, ar)")
	fs.Var(&f.places, "places", "places file (repeatable; any format of \"places import\"); default: the embedded demo directory")
	fs.StringVar(&f.plugins, "plugins", "", "a plugin directory: the places of its directory plugins are added to --places")
	fs.StringVar(&f.rules, "rules", "", "rules file (JSON or YAML); default: the national rules")
	fs.StringVar(&f.name, "name", "", "name printed on the HTML sheet (never stored)")
	fs.StringVar(&f.reference, "reference", "", "pseudonymous reference printed on the sheet (default: a new UUID)")
	fs.StringVar(&f.at, "at", "", "the moment of the referral, RFC 3339 (default: now)")
	fs.StringVar(&f.batch, "batch", "", "CSV file of people to refer (batch mode)")
	fs.StringVar(&f.out, "out", "", "batch output CSV file (\"-\" for standard output)")
	fs.IntVar(&f.workers, "workers", 0, "batch workers (default: one per CPU)")
	f.format = newChoice("text", "text", "json", "html")
	fs.Var(f.format, "format", "output format: text, json or html")
	f.lang = newChoice("fr", "fr", "en")
	fs.Var(f.lang, "lang", "language of the explanations: fr or en")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("refer --help", "unexpected argument %q", pos[0])
	}
	now := time.Now
	if f.at != "" {
		t, err := time.Parse(time.RFC3339, f.at)
		if err != nil {
			return usagef("refer --help", "--at %q is not an RFC 3339 time (e.g. 2026-03-23T10:00:00+01:00)", f.at)
		}
		now = func() time.Time { return t }
	}
	if f.batch != "" {
		if f.out == "" {
			return usagef("refer --help", "--batch needs --out FILE")
		}
		if f.format.value == "html" {
			return usagef("refer --help", "--format html is for one person, not a batch")
		}
		if f.answers != "" || f.commune != "" || f.postal != "" {
			return usagef("refer --help", "--batch takes people from the CSV file: --answers, --commune and --postal-code do not apply")
		}
	} else if f.answers == "" {
		return usagef("refer --help", "no answers: pass --answers FILE (or --answers - for standard input), or --batch FILE")
	}
	inst, err := assessment.Builtin(f.instrument)
	if err != nil {
		return err
	}
	ref, err := territory.Default()
	if err != nil {
		return err
	}
	engine, err := buildEngine(ctx, e, &f, ref, now)
	if err != nil {
		return err
	}
	if f.batch != "" {
		return runReferBatch(ctx, e, &f, engine, inst)
	}
	req, err := referRequest(e, &f, ref, inst)
	if err != nil {
		return err
	}
	p, err := engine.Refer(ctx, req)
	if err != nil {
		return err
	}
	lang := assessment.Lang(f.lang.value)
	switch f.format.value {
	case "json":
		req.Assessment.Lang = lang
		return writeJSON(e.stdout, referJSONOf(req.Assessment, p, lang))
	case "html":
		return printSheet(e.stdout, engine, p, &f, lang)
	}
	printProposal(e.stdout, req.Assessment, p, lang)
	return nil
}

// buildEngine loads the rules and the places and builds the engine.
func buildEngine(ctx context.Context, e *env, f *referFlags, ref *territory.Reference, now func() time.Time) (*referral.Engine, error) {
	cat := referral.DefaultCatalogue()
	var (
		rules *referral.Rules
		err   error
	)
	if f.rules != "" {
		rules, err = referral.LoadRulesFile(f.rules, cat)
	} else {
		rules, err = referral.NationalRules()
	}
	if err != nil {
		return nil, err
	}
	var dir *mediation.Index
	if len(f.places) > 0 || f.plugins != "" {
		var places []mediation.Place
		if len(f.places) > 0 {
			if places, _, err = loadPlaces(ctx, e, f.places, formatAuto, mediation.TerritoryCommunes(ref)); err != nil {
				return nil, err
			}
		}
		if f.plugins != "" {
			more, err := pluginPlaces(ctx, e, f.plugins)
			if err != nil {
				return nil, err
			}
			places = append(places, more...)
		}
		if dir, err = mediation.NewIndex(places, &mediation.IndexOptions{Now: now}); err != nil {
			return nil, err
		}
	} else if dir, err = demo.Directory(&mediation.IndexOptions{Now: now}); err != nil {
		return nil, err
	}
	opts := &referral.EngineOptions{Now: now, Catalogue: cat}
	if f.batch != "" {
		opts.K = 1 // the batch writes the first place of each pathway
	}
	return referral.NewEngine(referral.Infallible(rules), dir, ref, opts)
}

// referRequest scores the answers and checks the person's flags.
func referRequest(e *env, f *referFlags, ref *territory.Reference, inst *assessment.Instrument) (referral.Request, error) {
	var req referral.Request
	switch {
	case f.commune != "" && f.postal != "":
		return req, usagef("refer --help", "give --commune or --postal-code, not both")
	case f.commune != "":
		c, ok := ref.Commune(f.commune)
		if !ok {
			return req, fmt.Errorf("--commune: %q is not the INSEE code of a current commune (see \"passerelle communes find\")", f.commune)
		}
		req.Person.Commune = c.Code
	case f.postal != "":
		cs := ref.ByPostalCode(f.postal)
		switch len(cs) {
		case 0:
			return req, fmt.Errorf("--postal-code: no commune has postal code %q", f.postal)
		case 1:
			req.Person.Commune = cs[0].Code
		default:
			var names []string
			for _, c := range cs[:min(len(cs), 8)] {
				names = append(names, fmt.Sprintf("%s (%s)", c.Name, c.Code))
			}
			return req, fmt.Errorf("--postal-code: %d communes share %s: %s; pass --commune with one INSEE code", len(cs), f.postal, strings.Join(names, ", "))
		}
	default:
		return req, usagef("refer --help", "where does the person live? pass --commune INSEE or --postal-code CP")
	}
	if f.ageBand != "" {
		if !slices.Contains(referral.AgeBands(), referral.AgeBand(f.ageBand)) {
			return req, usagef("refer --help", "--age-band %q is not one of %s", f.ageBand, joinValues(referral.AgeBands()))
		}
		req.Person.AgeBand = referral.AgeBand(f.ageBand)
	}
	for _, n := range f.needs {
		if !slices.Contains(referral.Needs(), referral.Need(n)) {
			return req, usagef("refer --help", "--need %q is not one of %s", n, joinValues(referral.Needs()))
		}
		req.Person.Needs = append(req.Person.Needs, referral.Need(n))
	}
	for _, c := range f.constraints {
		if !slices.Contains(referral.Constraints(), referral.Constraint(c)) {
			return req, usagef("refer --help", "--constraint %q is not one of %s", c, joinValues(referral.Constraints()))
		}
		req.Person.Constraints = append(req.Person.Constraints, referral.Constraint(c))
	}
	req.Person.Language = strings.ToLower(f.language)
	rc, name, err := openInput(e, f.answers)
	if err != nil {
		return req, err
	}
	defer rc.Close()
	a, err := inst.ParseAnswers(rc)
	if err != nil {
		return req, fmt.Errorf("%s: %w", name, err)
	}
	if req.Assessment, err = inst.Score(a); err != nil {
		return req, fmt.Errorf("%s: %w", name, err)
	}
	return req, nil
}

// referJSON is the document of "refer --format json".
type referJSON struct {
	Assessment   assessment.Result    `json:"assessment"`
	Commune      referral.CommuneRef  `json:"commune"`
	RulesVersion string               `json:"rules_version"`
	At           time.Time            `json:"at"`
	Pathways     []pathwayJSON        `json:"pathways"`
	Trace        []referral.RuleTrace `json:"trace"`
}

type pathwayJSON struct {
	ID         referral.PathwayID `json:"id"`
	Title      string             `json:"title"`
	Priority   int                `json:"priority"`
	Rule       string             `json:"rule"`
	Places     []placeJSON        `json:"places"`
	PassedOver []passedJSON       `json:"passed_over"`
	Widened    *referral.Widened  `json:"widened,omitempty"`
	Remote     bool               `json:"remote_fallback"`
	Why        []string           `json:"why"`
}

type placeJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"nom"`
	DistanceKm float64  `json:"distance_km"`
	Score      float64  `json:"score"`
	Commune    string   `json:"commune,omitempty"`
	PostalCode string   `json:"code_postal,omitempty"`
	Address    string   `json:"adresse,omitempty"`
	Phone      string   `json:"telephone,omitempty"`
	Hours      string   `json:"horaires,omitempty"`
	Booking    string   `json:"prise_rdv,omitempty"`
	Load       int      `json:"load,omitempty"`
	Why        []string `json:"why"`
}

type passedJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"nom"`
	DistanceKm float64 `json:"distance_km"`
	Reason     string  `json:"reason"`
}

func texts(ts []assessment.Text, lang assessment.Lang) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

func referJSONOf(a assessment.Result, p *referral.Proposal, lang assessment.Lang) referJSON {
	doc := referJSON{Assessment: a, Commune: p.Commune, RulesVersion: p.RulesVersion, At: p.At, Trace: p.Decision.Trace, Pathways: []pathwayJSON{}}
	for _, pp := range p.Pathways {
		pj := pathwayJSON{ID: pp.Pathway, Title: pp.Title.In(lang), Priority: pp.Priority, Rule: pp.Rule,
			Widened: pp.Widened, Remote: pp.Remote, Why: texts(pp.Why, lang), Places: []placeJSON{}, PassedOver: []passedJSON{}}
		for _, r := range pp.Places {
			pj.Places = append(pj.Places, placeJSON{ID: r.ID, Name: r.Name, DistanceKm: r.DistanceKm, Score: r.Score,
				Commune: r.Commune, PostalCode: r.PostalCode, Address: r.Address, Phone: r.Phone, Hours: r.Hours,
				Booking: r.Booking, Load: r.Load, Why: texts(r.Why, lang)})
		}
		for _, x := range pp.PassedOver {
			pj.PassedOver = append(pj.PassedOver, passedJSON{ID: x.ID, Name: x.Name, DistanceKm: x.DistanceKm, Reason: x.Reason.In(lang)})
		}
		doc.Pathways = append(doc.Pathways, pj)
	}
	return doc
}

func printProposal(w io.Writer, a assessment.Result, p *referral.Proposal, lang assessment.Lang) {
	fmt.Fprintf(w, "%s: %s (%s, %s)\n", label(lang, "Niveau", "Level"), a.Level.Text().In(lang), a.Level, a.Instrument)
	fmt.Fprintf(w, "%s: %s (%s), %s %s\n", label(lang, "Commune", "Commune"), p.Commune.Name, p.Commune.Code, label(lang, "département", "département"), p.Commune.Departement)
	var fired []string
	for _, t := range p.Decision.Trace {
		if t.Fired {
			fired = append(fired, t.Rule)
		}
	}
	fmt.Fprintf(w, "%s: %s (%s: %s)\n", label(lang, "Règles", "Rules"), p.RulesVersion, label(lang, "déclenchées", "fired"), strings.Join(fired, ", "))
	for _, pp := range p.Pathways {
		fmt.Fprintf(w, "\n%d. %s [%s, %s %s]\n", pp.Priority, pp.Title.In(lang), pp.Pathway, label(lang, "règle", "rule"), pp.Rule)
		for _, why := range pp.Why {
			fmt.Fprintf(w, "   %s\n", why.In(lang))
		}
		for i, r := range pp.Places {
			fmt.Fprintf(w, "   %d) %s — %s, %s %s", i+1, r.Name, r.Address, r.PostalCode, r.Commune)
			if r.Phone != "" {
				fmt.Fprintf(w, " — %s", r.Phone)
			}
			fmt.Fprintln(w)
			for _, why := range r.Why {
				fmt.Fprintf(w, "      · %s\n", why.In(lang))
			}
		}
		if len(pp.PassedOver) > 0 {
			fmt.Fprintf(w, "   %s:\n", label(lang, "Écartés", "Passed over"))
			for _, x := range pp.PassedOver {
				fmt.Fprintf(w, "      - %s (%s km): %s\n", x.Name, numText(x.DistanceKm, lang), x.Reason.In(lang))
			}
		}
	}
}

func numText(v float64, lang assessment.Lang) string {
	s := fmt.Sprintf("%.1f", v)
	if lang != assessment.LangEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// printSheet renders the orientation sheet of the first pathway with a
// place, else of the first pathway.
func printSheet(w io.Writer, engine *referral.Engine, p *referral.Proposal, f *referFlags, lang assessment.Lang) error {
	if len(p.Pathways) == 0 {
		return fmt.Errorf("the rules proposed no pathway: no sheet to print")
	}
	pw := p.Pathways[0].Pathway
	for _, pp := range p.Pathways {
		if len(pp.Places) > 0 {
			pw = pp.Pathway
			break
		}
	}
	reference := f.reference
	if reference == "" {
		reference = uuid.NewString()
	}
	s, err := engine.Sheet(p, pw, "", referral.SheetOptions{Reference: reference, Name: f.name})
	if err != nil {
		return err
	}
	return referral.RenderSheetHTML(w, s, lang)
}

// runReferBatch runs --batch: stream the CSV through the engine.
func runReferBatch(ctx context.Context, e *env, f *referFlags, engine *referral.Engine, inst *assessment.Instrument) error {
	rc, name, err := openInput(e, f.batch)
	if err != nil {
		return err
	}
	defer rc.Close()
	var size int64
	if st, ok := rc.(*os.File); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	in := &countingReader{r: rc}
	var out io.Writer = e.stdout
	var file *os.File
	if f.out != "-" {
		if file, err = os.Create(f.out); err != nil {
			return fmt.Errorf("cannot write %s: %w", f.out, err)
		}
		out = file
	}
	opts := &referral.BatchOptions{Instrument: inst, Workers: f.workers}
	started := time.Now()
	if st, ok := e.stderr.(*os.File); ok && isTerminal(st) {
		opts.ProgressEvery = 20_000
		opts.Progress = func(s referral.BatchSummary) {
			rate := float64(s.Read) / max(time.Since(started).Seconds(), 0.001)
			fmt.Fprintf(e.stderr, "\r%s %d read, %d referred, %d rejected (%.0f/s)   ", progressBar(in.n.Load(), size, s.Read), s.Read, s.Referred, s.Rejected, rate)
		}
	}
	sum, err := engine.Batch(ctx, in, out, opts)
	if opts.Progress != nil {
		fmt.Fprintln(e.stderr)
	}
	if file != nil {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	elapsed := time.Since(started)
	if f.format.value == "json" && f.out != "-" {
		return writeJSON(e.stdout, struct {
			referral.BatchSummary
			Seconds float64 `json:"seconds"`
		}{sum, elapsed.Seconds()})
	}
	fmt.Fprintf(e.stderr, "%s: %d people read, %d referred, %d rejected, %d rows written in %.1f s\n",
		name, sum.Read, sum.Referred, sum.Rejected, sum.Rows, elapsed.Seconds())
	reasons := make([]string, 0, len(sum.Reasons))
	for r := range sum.Reasons {
		reasons = append(reasons, r)
	}
	slices.Sort(reasons)
	for _, r := range reasons {
		fmt.Fprintf(e.stderr, "  rejected %s: %d\n", r, sum.Reasons[r])
	}
	for i, re := range sum.Rejections {
		if i == 20 {
			fmt.Fprintf(e.stderr, "  ... and %d more (--format json lists up to 1000)\n", sum.Rejected-20)
			break
		}
		fmt.Fprintf(e.stderr, "  %s: %s\n", name, re.Error())
	}
	return nil
}

// progressBar draws the share of the file read, or spins when the input
// is a stream of unknown length.
func progressBar(done, size int64, people int) string {
	if size <= 0 {
		frames := []string{"[=   ]", "[ =  ]", "[  = ]", "[   =]"}
		return frames[(people/20_000)%len(frames)]
	}
	const width = 30
	n := int(min(done, size) * width / size)
	return fmt.Sprintf("[%s%s] %3d %%", strings.Repeat("#", n), strings.Repeat(" ", width-n), min(done, size)*100/size)
}

// countingReader counts the bytes read, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
