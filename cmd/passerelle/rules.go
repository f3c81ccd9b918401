package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
)

const rulesShowUsage = `Usage:
  passerelle rules show [--format yaml|json]

Print the embedded national rules document: the YAML a regional team copies
and edits (--format json prints it as JSON, following
schemas/rules.schema.json).`

const rulesTestUsage = `Usage:
  passerelle rules test FILE [--format text|json]

Load a rules document (YAML or JSON; "-" reads standard input), check it
against schemas/rules.schema.json and type-check every rule, then run its
test cases. Prints PASS or FAIL for each case; exits 1 when the document is
rejected (each problem with its JSON path and line) or a case fails.
FILE "national" tests the embedded national rules.`

const rulesExplainUsage = `Usage:
  passerelle rules explain --input FILE [--rules FILE] [--format text|json] [--lang fr|en]

Evaluate the rules for one input and explain the decision: the pathways in
order, then every rule, fired or not, with the clause that decided and why.
The input is YAML or JSON in the form of a rules test input, e.g.
  {"level": "beginner", "flags": ["needs_proxy"], "age_band": "70_plus",
   "density": 7, "departement": "12", "needs": ["activate_mes"]}
Without --rules, the embedded national rules are used.`

func rulesCommand() command {
	return command{
		name:    "rules",
		summary: "show, test or explain referral rules",
		subs: []command{
			{name: "show", summary: "print the embedded national rules document", usage: rulesShowUsage, run: runRulesShow},
			{name: "test", summary: "check a rules document and run its test cases", usage: rulesTestUsage, run: runRulesTest},
			{name: "explain", summary: "explain the decision of the rules for one input", usage: rulesExplainUsage, run: runRulesExplain},
		},
	}
}

func runRulesShow(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "rules show", rulesShowUsage)
	format := newChoice("yaml", "yaml", "json")
	fs.Var(format, "format", "output format: yaml or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("rules show --help", "rules show takes no argument")
	}
	if format.value == "json" {
		r, err := referral.NationalRules()
		if err != nil {
			return err
		}
		return writeJSON(e.stdout, r.Document())
	}
	_, err = e.stdout.Write(referral.NationalRulesDocument())
	return err
}

// loadRules reads the rules at path ("-" is standard input, "national" or
// "" the embedded rules).
func loadRules(e *env, path string) (*referral.Rules, string, error) {
	if path == "" || path == "national" {
		r, err := referral.NationalRules()
		return r, "national", err
	}
	f, name, err := openInput(e, path)
	if err != nil {
		return nil, name, err
	}
	defer f.Close()
	r, err := referral.LoadRules(f, name, nil)
	return r, name, err
}

// testResultsJSON is what "rules test --format json" prints.
type testResultsJSON struct {
	Rules   string                     `json:"rules"`
	Version string                     `json:"version"`
	Passed  int                        `json:"passed"`
	Failed  int                        `json:"failed"`
	Cases   []referral.RulesTestResult `json:"cases"`
}

func runRulesTest(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "rules test", rulesTestUsage)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("rules test --help", "rules test needs exactly one FILE")
	}
	r, name, err := loadRules(e, pos[0])
	if err != nil {
		return err
	}
	results := r.RunTests()
	failed := 0
	for _, res := range results {
		if !res.Passed {
			failed++
		}
	}
	if format.value == "json" {
		if err := writeJSON(e.stdout, testResultsJSON{Rules: name, Version: r.Version(), Passed: len(results) - failed, Failed: failed, Cases: results}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "%s: rules %s, %d rules, %d test cases\n", name, r.Version(), len(r.RuleIDs()), len(results))
		for _, res := range results {
			if res.Passed {
				fmt.Fprintf(e.stdout, "PASS  %s\n", res.Name)
				continue
			}
			fmt.Fprintf(e.stdout, "FAIL  %s\n", res.Name)
			for _, f := range res.Failures {
				fmt.Fprintf(e.stdout, "      %s\n", f)
			}
			var fired []string
			for _, t := range res.Decision.Trace {
				if t.Fired {
					fired = append(fired, t.Rule)
				}
			}
			fmt.Fprintf(e.stdout, "      rules fired: %s\n", strings.Join(fired, ", "))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d of %d test cases failed", name, failed, len(results))
	}
	if format.value == "text" {
		fmt.Fprintf(e.stdout, "ok: %d test cases passed\n", len(results))
	}
	return nil
}

// explanationJSON is what "rules explain --format json" prints.
type explanationJSON struct {
	Rules        string             `json:"rules"`
	RulesVersion string             `json:"rules_version"`
	Input        referral.TestInput `json:"input"`
	Outcomes     []referral.Outcome `json:"outcomes"`
	Trace        []traceJSON        `json:"trace"`
}

type traceJSON struct {
	Rule       string `json:"rule"`
	Fired      bool   `json:"fired"`
	Clause     string `json:"clause,omitempty"`
	ClauseText string `json:"clause_text,omitempty"`
	Why        string `json:"why"`
}

func runRulesExplain(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "rules explain", rulesExplainUsage)
	rulesPath := fs.String("rules", "", "rules document (YAML or JSON); default: the national rules")
	inputPath := fs.String("input", "", "input file (YAML or JSON); - reads standard input")
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	lang := newChoice("fr", "fr", "en")
	fs.Var(lang, "lang", "language of the explanations: fr or en")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("rules explain --help", "rules explain takes no argument (use --input and --rules)")
	}
	if *inputPath == "" {
		return usagef("rules explain --help", "rules explain needs --input FILE")
	}
	r, name, err := loadRules(e, *rulesPath)
	if err != nil {
		return err
	}
	f, inName, err := openInput(e, *inputPath)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", inName, err)
	}
	ti, err := referral.ParseTestInput(data, inName)
	if err != nil {
		return err
	}
	in := ti.Input()
	var d referral.Decision
	r.Evaluate(&in, &d)
	l := assessment.Lang(lang.value)
	if format.value == "json" {
		out := explanationJSON{Rules: name, RulesVersion: d.RulesVersion, Input: ti, Outcomes: d.Outcomes}
		if out.Outcomes == nil {
			out.Outcomes = []referral.Outcome{}
		}
		for _, t := range d.Trace {
			out.Trace = append(out.Trace, traceJSON{Rule: t.Rule, Fired: t.Fired, Clause: t.Clause, ClauseText: r.Clause(t.Clause), Why: t.Why.In(l)})
		}
		return writeJSON(e.stdout, out)
	}
	printExplanation(e.stdout, r, name, &d, l)
	return nil
}

func printExplanation(w io.Writer, r *referral.Rules, name string, d *referral.Decision, l assessment.Lang) {
	fr := l == assessment.LangFR
	pick := func(frText, enText string) string {
		if fr {
			return frText
		}
		return enText
	}
	cat := referral.DefaultCatalogue()
	fmt.Fprintf(w, "%s %s (%s)\n\n", pick("Règles", "Rules"), d.RulesVersion, name)
	fmt.Fprintln(w, pick("Parcours proposés :", "Pathways proposed:"))
	for _, o := range d.Outcomes {
		title := string(o.Pathway)
		if p, ok := cat.Pathway(o.Pathway); ok {
			title = p.Title.In(l)
		}
		fmt.Fprintf(w, "  %d. %s [%s] — %s %s", o.Priority, title, o.Pathway, pick("règle", "rule"), o.Rule)
		var crit []string
		if o.Criteria.MaxKm > 0 {
			crit = append(crit, fmt.Sprintf("max %g km", o.Criteria.MaxKm))
		}
		for _, s := range o.Criteria.RequiredServices {
			crit = append(crit, pick("service requis « ", "required service « ")+string(s)+" »")
		}
		for _, lb := range o.Criteria.RequiredLabels {
			crit = append(crit, pick("label requis « ", "required label « ")+string(lb)+" »")
		}
		for _, lb := range o.Criteria.PreferredLabels {
			crit = append(crit, pick("de préférence « ", "preferably « ")+string(lb)+" »")
		}
		if len(crit) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(crit, "; "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, pick("Règles :", "Rules:"))
	for _, t := range d.Trace {
		mark := "-"
		if t.Fired {
			mark = "+"
		}
		fmt.Fprintf(w, "  %s %s", mark, t.Rule)
		if t.Clause != "" {
			fmt.Fprintf(w, " @ %s", t.Clause)
			if c := r.Clause(t.Clause); c != "" {
				fmt.Fprintf(w, " [%s]", c)
			}
		}
		fmt.Fprintf(w, "\n      %s\n", t.Why.In(l))
	}
}
