package referral

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

func mustNational(t testing.TB) *Rules {
	t.Helper()
	r, err := NationalRules()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNationalRulesOwnCases(t *testing.T) {
	r := mustNational(t)
	results := r.RunTests()
	if len(results) < len(r.rules) {
		t.Errorf("%d test cases for %d rules: want at least one per rule", len(results), len(r.rules))
	}
	fired := map[string]bool{}
	for _, res := range results {
		if !res.Passed {
			t.Errorf("case %q: %s", res.Name, strings.Join(res.Failures, "; "))
		}
		for _, tr := range res.Decision.Trace {
			fired[tr.Rule] = fired[tr.Rule] || tr.Fired
		}
	}
	for _, id := range r.RuleIDs() {
		if !fired[id] {
			t.Errorf("rule %s fires in none of the national test cases", id)
		}
	}
}

func TestNationalRulesBilingual(t *testing.T) {
	r := mustNational(t)
	if r.Title().FR == "" || r.Title().EN == "" {
		t.Errorf("title %+v is not bilingual", r.Title())
	}
	for _, cr := range r.rules {
		if cr.description.FR == "" || cr.description.EN == "" {
			t.Errorf("rule %s: description %+v is not bilingual", cr.id, cr.description)
		}
	}
	if r.HasExpr() {
		t.Error("the national rules use expr: the zero-allocation guarantee would not hold")
	}
}

func TestNationalRulesImmediateAnswerFirst(t *testing.T) {
	r := mustNational(t)
	var d Decision
	for _, level := range append(assessment.Levels(), "") {
		for density := territory.DensityClass(0); density <= 7; density++ {
			in := Input{Assessment: assessment.Result{Level: level, Flags: []assessment.Flag{assessment.FlagNeedsProxy}}, Density: density}
			r.Evaluate(&in, &d)
			if len(d.Outcomes) == 0 || d.Outcomes[0].Pathway != PathwayImmediateAnswer || d.Outcomes[0].Priority != 1 {
				t.Errorf("level %q density %d: first outcome %+v, want immediate_answer at priority 1", level, density, d.Outcomes)
			}
			if d.RulesVersion != "2026.1" {
				t.Errorf("rules version %q", d.RulesVersion)
			}
			if len(d.Trace) != len(r.rules) {
				t.Errorf("trace has %d entries for %d rules", len(d.Trace), len(r.rules))
			}
		}
	}
}

func TestNationalBeginnerCriteria(t *testing.T) {
	r := mustNational(t)
	in := Input{Assessment: assessment.Result{Level: assessment.LevelBeginner}, Density: 7}
	var d Decision
	r.Evaluate(&in, &d)
	i := slices.IndexFunc(d.Outcomes, func(o Outcome) bool { return o.Pathway == PathwayMediationPlace })
	if i < 0 {
		t.Fatalf("no mediation place in %+v", d.Outcomes)
	}
	o := d.Outcomes[i]
	if o.Priority != 2 || o.Rule != "beginner" || o.Criteria.MaxKm != 15 ||
		!slices.Equal(o.Criteria.PreferredLabels, []mediation.Label{mediation.LabelFormeMonEspaceSante}) {
		t.Errorf("mediation place outcome %+v", o)
	}
	for _, p := range []PathwayID{PathwayFranceServices, PathwayRemoteMediation} {
		j := slices.IndexFunc(d.Outcomes, func(o Outcome) bool { return o.Pathway == p })
		if j < i {
			t.Errorf("%s at %d, want it after the mediation place (%d) as a rural fallback", p, j, i)
		}
	}
}

// problemCase is a rules document that must be rejected with a problem at
// path, on line, whose message contains want.
type problemCase struct {
	name string
	doc  string
	path string
	line int
	want string
}

const docHead = `version: "t"
title: {fr: Test, en: Test}
rules:
  - id: r
    description: {fr: Règle, en: Rule}
`

func TestLoadRulesProblems(t *testing.T) {
	cases := []problemCase{
		{"unknown field", docHead + "    when: {field: levle, op: eq, value: beginner}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/field", 6, `unknown field "levle" (did you mean "level"?)`},
		{"operator for another type", docHead + "    when: {field: level, op: has, value: beginner}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/op", 6, `operator "has" does not apply to level`},
		{"enum value misspelt", docHead + "    when:\n      field: age_band\n      op: in\n      value: [70_plus, 60-69]\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value/1", 9, `did you mean "60_69"?`},
		{"value of the wrong type", docHead + "    when: {field: density, op: ge, value: \"5\"}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value", 6, "density takes numbers, not text"},
		{"density out of the grid", docHead + "    when: {field: density, op: in, value: [5, 9]}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value/1", 6, "from 1 to 7"},
		{"list for a single-value operator", docHead + "    when: {field: level, op: eq, value: [beginner]}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value", 6, "eq takes a single value"},
		{"unknown pathway", docHead + "    then:\n      - {pathway: mediaton_place, priority: 1}\n",
			"/rules/0/then/0/pathway", 7, `did you mean "mediation_place"?`},
		{"priority below one", docHead + "    then:\n      - pathway: self_guide\n        priority: 0\n",
			"/rules/0/then/0/priority", 8, "priority 0 is below 1"},
		{"unknown label", docHead + "    then:\n      - pathway: mediation_place\n        priority: 1\n        criteria:\n          preferred_labels: [\"Formé à Mon Espace Santé\"]\n",
			"/rules/0/then/0/criteria/preferred_labels/0", 10, `did you mean "Formé à « Mon Espace Santé »"?`},
		{"unknown service", docHead + "    then:\n      - pathway: mediation_place\n        priority: 1\n        criteria: {required_services: [\"Aide aux démarches\"]}\n",
			"/rules/0/then/0/criteria/required_services/0", 9, "unknown service"},
		{"duplicate rule id", docHead + "    then: [{pathway: self_guide, priority: 1}]\n  - id: r\n    description: {fr: Encore}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/1/id", 7, `duplicate rule id "r"`},
		{"expr that does not compile", docHead + "    when: {expr: \"scores.practice <\"}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/expr", 6, "expr does not compile"},
		{"expr that is not a boolean", docHead + "    when: {expr: \"level_rank + 1\"}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/expr", 6, "expr does not compile to a boolean"},
		{"expr on an unknown name", docHead + "    when: {expr: \"levle == 'beginner'\"}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/expr", 6, "unknown name levle"},
		{"two kinds in one clause", docHead + "    when: {field: level, op: eq, value: beginner, expr: \"true\"}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when", 6, "exactly one of"},
		{"empty all", docHead + "    when: {all: []}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/all", 6, "all needs at least one clause"},
		{"unknown key", docHead + "    when: {field: level, op: eq, value: beginner}\n    than: []\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/than", 7, "than"},
		{"unquoted age band in YAML", docHead + "    when: {field: age_band, op: ge, value: 60_69}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value", 6, `write it in quotes`},
		{"clauses nested too deep", docHead + "    when: " + strings.Repeat("{not: ", 40) + "{field: level, op: eq, value: beginner}" + strings.Repeat("}", 40) + "\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when" + strings.Repeat("/not", 32), 6, "nested deeper than 32"},
		{"bad departement", docHead + "    when: {field: departement, op: in, value: [\"12\", \"9A\"]}\n    then: [{pathway: self_guide, priority: 1}]\n",
			"/rules/0/when/value/1", 6, "not a département code"},
		{"test case with an unknown flag", docHead + "    then: [{pathway: self_guide, priority: 1}]\ntests:\n  - name: x\n    input: {flags: [need_proxy]}\n    expect: {pathways: [self_guide]}\n",
			"/tests/0/input/flags/0", 9, `did you mean "needs_proxy"?`},
		{"test case expecting nothing", docHead + "    then: [{pathway: self_guide, priority: 1}]\ntests:\n  - name: x\n    input: {}\n    expect: {}\n",
			"/tests/0/expect", 10, "expects something"},
		{"no rules", "version: \"t\"\ntitle: {fr: T}\nrules: []\n", "/rules", 3, "the document has no rule"},
		{"not YAML", "version: \"t\"\nrules:\n  - id: [\n", "", 0, "not YAML"},
		{"JSON with a bad operator", "{\n  \"version\": \"t\",\n  \"title\": {\"fr\": \"T\"},\n  \"rules\": [{\"id\": \"r\", \"description\": {\"fr\": \"R\"},\n    \"when\": {\"field\": \"flags\", \"op\": \"lt\", \"value\": \"needs_proxy\"},\n    \"then\": [{\"pathway\": \"self_guide\", \"priority\": 1}]}]\n}\n",
			"/rules/0/when/op", 5, `operator "lt" does not apply to flags`},
		{"empty file", "  \n", "", 0, "empty rules document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadRulesBytes([]byte(tc.doc), "test.yaml", nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalidRules) {
				t.Errorf("error %v does not wrap ErrInvalidRules", err)
			}
			var re *RulesError
			if !errors.As(err, &re) {
				t.Fatalf("error %T is not a *RulesError", err)
			}
			i := slices.IndexFunc(re.Problems, func(p RulesProblem) bool {
				return p.Path == tc.path && strings.Contains(p.Message, tc.want)
			})
			if i < 0 {
				t.Fatalf("no problem at %q containing %q in:\n%v", tc.path, tc.want, err)
			}
			if got := re.Problems[i].Line; got != tc.line {
				t.Errorf("line %d, want %d (%v)", got, tc.line, err)
			}
			if !strings.HasPrefix(err.Error(), "test.yaml") {
				t.Errorf("error %q does not name the source", err)
			}
		})
	}
}

func TestLoadRulesTestdata(t *testing.T) {
	cases := []struct {
		file      string
		problems  int
		failing   int
		firstLine int
	}{
		{file: "regional.yaml"},
		{file: "failing_case.yaml", failing: 1},
		{file: "malformed.yaml", problems: 5, firstLine: 10},
		{file: "malformed.json", problems: 1, firstLine: 8},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r, err := LoadRulesFile("testdata/rules/"+tc.file, nil)
			var re *RulesError
			if tc.problems > 0 {
				if !errors.As(err, &re) {
					t.Fatalf("want a *RulesError, got %v", err)
				}
				if len(re.Problems) != tc.problems || re.Problems[0].Line != tc.firstLine {
					t.Errorf("problems %+v, want %d from line %d", re.Problems, tc.problems, tc.firstLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			failing := 0
			for _, res := range r.RunTests() {
				if !res.Passed {
					failing++
					if len(res.Failures) == 0 {
						t.Errorf("case %q failed without saying why", res.Name)
					}
				}
			}
			if failing != tc.failing {
				t.Errorf("%d failing cases, want %d", failing, tc.failing)
			}
		})
	}
}

// clauseDoc has one rule per clause shape, so traces can be checked.
const clauseDoc = `version: "c"
title: {fr: Clauses}
rules:
  - id: all_rule
    description: {fr: tout, en: all}
    when:
      all:
        - {field: level, op: le, value: intermediate}
        - {field: flags, op: has, value: no_helper}
    then: [{pathway: aidants_connect, priority: 3, criteria: {max_km: 10, preferred_labels: ["Formé à « Mon Espace Santé »"]}}]
  - id: any_rule
    description: {fr: un, en: any}
    when:
      any:
        - {field: density_group, op: eq, value: dense}
        - {field: age_band, op: gt, value: "60_69"}
    then: [{pathway: aidants_connect, priority: 2, criteria: {required_labels: ["ORDI 3.0"]}}]
  - id: not_rule
    description: {fr: non, en: not}
    when:
      not: {field: language, op: in, value: [fr, en]}
    then: [{pathway: immediate_answer, priority: 1}]
  - id: score_rule
    description: {fr: score, en: score}
    when: {field: scores.practice, op: lt, value: 3}
    then: [{pathway: self_guide, priority: 4}]
    stop: true
  - id: after_stop
    description: {fr: après, en: after}
    then: [{pathway: france_services, priority: 9}]
`

func TestEvaluateTraceAndMerge(t *testing.T) {
	r, err := LoadRulesBytes([]byte(clauseDoc), "clauses.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	type trace struct {
		fired  bool
		clause string
	}
	cases := []struct {
		name     string
		in       TestInput
		trace    []trace
		pathways []PathwayID
	}{
		{
			name: "nothing holds",
			in:   TestInput{Level: assessment.LevelAutonomous, Density: 5, AgeBand: Age25To39, Language: "fr", Scores: map[string]float64{"practice": 5}},
			trace: []trace{
				{false, "/rules/0/when/all/0"}, {false, "/rules/1/when"}, {false, "/rules/2/when"},
				{false, "/rules/3/when"}, {true, "/rules/4"},
			},
			pathways: []PathwayID{PathwayFranceServices},
		},
		{
			name: "everything holds, stop skips the last rule",
			in: TestInput{Level: assessment.LevelBeginner, Flags: []assessment.Flag{assessment.FlagNoHelper}, Density: 1,
				AgeBand: Age70Plus, Language: "ar", Scores: map[string]float64{"practice": 1}},
			trace: []trace{
				{true, "/rules/0/when"}, {true, "/rules/1/when/any/0"}, {true, "/rules/2/when"},
				{true, "/rules/3/when"}, {false, ""},
			},
			pathways: []PathwayID{PathwayImmediateAnswer, PathwayAidantsConnect, PathwaySelfGuide},
		},
		{
			name: "second clause of all fails; missing score does not hold",
			in:   TestInput{Level: assessment.LevelNoAccess, Density: 6, AgeBand: Age70Plus, Language: "en"},
			trace: []trace{
				{false, "/rules/0/when/all/1"}, {true, "/rules/1/when/any/1"}, {false, "/rules/2/when"},
				{false, "/rules/3/when"}, {true, "/rules/4"},
			},
			pathways: []PathwayID{PathwayAidantsConnect, PathwayFranceServices},
		},
	}
	var d Decision
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in.Input()
			r.Evaluate(&in, &d)
			if len(d.Trace) != len(tc.trace) {
				t.Fatalf("trace %+v", d.Trace)
			}
			for i, want := range tc.trace {
				got := d.Trace[i]
				if got.Fired != want.fired || got.Clause != want.clause {
					t.Errorf("rule %s: fired %v at %q, want %v at %q", got.Rule, got.Fired, got.Clause, want.fired, want.clause)
				}
				if got.Why.FR == "" || got.Why.EN == "" {
					t.Errorf("rule %s: why %+v is not bilingual", got.Rule, got.Why)
				}
			}
			var ids []PathwayID
			for _, o := range d.Outcomes {
				ids = append(ids, o.Pathway)
			}
			if !slices.Equal(ids, tc.pathways) {
				t.Errorf("pathways %v, want %v", ids, tc.pathways)
			}
		})
	}
	// The merged aidants_connect outcome of the second case.
	in := cases[1].in.Input()
	r.Evaluate(&in, &d)
	o := d.Outcomes[1]
	want := PlaceCriteria{
		MaxKm:           10,
		RequiredLabels:  []mediation.Label{mediation.LabelOrdi3},
		PreferredLabels: []mediation.Label{mediation.LabelFormeMonEspaceSante},
	}
	if o.Pathway != PathwayAidantsConnect || o.Priority != 2 || o.Rule != "any_rule" ||
		o.Criteria.MaxKm != want.MaxKm || !slices.Equal(o.Criteria.RequiredLabels, want.RequiredLabels) ||
		!slices.Equal(o.Criteria.PreferredLabels, want.PreferredLabels) {
		t.Errorf("merged outcome %+v, want priority 2 from any_rule with %+v", o, want)
	}
	// The decision owns its criteria: changing them leaves the rules intact.
	o.Criteria.PreferredLabels[0] = "changed"
	r.Evaluate(&in, &d)
	if d.Outcomes[1].Criteria.PreferredLabels[0] != mediation.LabelFormeMonEspaceSante {
		t.Error("a decision aliases the criteria of the rules")
	}
	if got := d.Trace[4].Why.EN; !strings.Contains(got, "score_rule") {
		t.Errorf("skipped rule's why %q does not name the rule that stopped", got)
	}
	if got := r.Clause("/rules/0/when/all/1"); got != "flags has no_helper" {
		t.Errorf("Clause = %q", got)
	}
}

func TestEvaluateUnknownValues(t *testing.T) {
	doc := `version: "u"
title: {fr: Inconnus}
rules:
` + strings.Join([]string{
		"level eq beginner", "level ne beginner", "level lt autonomous", "level not_in [beginner]",
		"age_band ge \"18_24\"", "density le 7", "density_group ne dense", "departement eq \"12\"", "departement ne \"12\"",
	}, "\n") + "\n"
	// Build one rule per clause from the compact lines above.
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(doc[strings.Index(doc, "rules:\n")+7:]), "\n") {
		f := strings.SplitN(line, " ", 3)
		fmt.Fprintf(&b, "  - id: r%d\n    description: {fr: r}\n    when: {field: %s, op: %s, value: %s}\n    then: [{pathway: self_guide, priority: 1}]\n", i, f[0], f[1], f[2])
	}
	r, err := LoadRulesBytes([]byte(doc[:strings.Index(doc, "rules:\n")+7]+b.String()), "u.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	var d Decision
	in := Input{}
	r.Evaluate(&in, &d)
	var got []bool
	for _, tr := range d.Trace {
		got = append(got, tr.Fired)
	}
	// An unknown value satisfies only ne and not_in (an empty département
	// is a string like any other).
	want := []bool{false, true, false, true, false, false, true, false, true}
	if !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestExprClause(t *testing.T) {
	doc := docHead + "    when: {expr: \"scores.practice < 3 && age_band == '70_plus' && 'needs_proxy' in flags\"}\n    then: [{pathway: mediation_place, priority: 2}]\n"
	r, err := LoadRulesBytes([]byte(doc), "expr.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.HasExpr() {
		t.Error("HasExpr is false")
	}
	cases := []struct {
		in   TestInput
		want bool
	}{
		{TestInput{Scores: map[string]float64{"practice": 2}, AgeBand: Age70Plus, Flags: []assessment.Flag{assessment.FlagNeedsProxy}}, true},
		{TestInput{Scores: map[string]float64{"practice": 3}, AgeBand: Age70Plus, Flags: []assessment.Flag{assessment.FlagNeedsProxy}}, false},
		{TestInput{Scores: map[string]float64{"practice": 2}, AgeBand: Age60To69, Flags: []assessment.Flag{assessment.FlagNeedsProxy}}, false},
		// A missing score reads 0 in expr (documented on exprEnv).
		{TestInput{AgeBand: Age70Plus, Flags: []assessment.Flag{assessment.FlagNeedsProxy}}, true},
	}
	var d Decision
	for i, tc := range cases {
		in := tc.in.Input()
		r.Evaluate(&in, &d)
		if d.Trace[0].Fired != tc.want {
			t.Errorf("case %d: fired %v, want %v", i, d.Trace[0].Fired, tc.want)
		}
	}
}

// The bit switches of evaluation must follow the enum lists of checking.
func TestEnumBitsFollowLists(t *testing.T) {
	if len(ruleFlags()) != knownFlagCount {
		t.Errorf("knownFlagCount %d, want %d", knownFlagCount, len(ruleFlags()))
	}
	for i, f := range ruleFlags() {
		if flagBit(f) != i {
			t.Errorf("flag %s: bit %d, want %d", f, flagBit(f), i)
		}
	}
	for i, n := range Needs() {
		if needBit(n) != i {
			t.Errorf("need %s: bit %d, want %d", n, needBit(n), i)
		}
	}
	for i, c := range Constraints() {
		if constraintBit(c) != i {
			t.Errorf("constraint %s: bit %d, want %d", c, constraintBit(c), i)
		}
	}
	for i, a := range AgeBands() {
		if ageRank(a) != i+1 {
			t.Errorf("age band %s: rank %d, want %d", a, ageRank(a), i+1)
		}
	}
	for i, g := range densityGroups() {
		if groupPosition(g) != i {
			t.Errorf("density group %s: position %d, want %d", g, groupPosition(g), i)
		}
	}
	for i, l := range assessment.Levels() {
		if l.Rank() != i+1 {
			t.Errorf("level %s: rank %d, want %d", l, l.Rank(), i+1)
		}
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	r := mustNational(t)
	cases := r.tests
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d Decision
			for i := 0; i < 50; i++ {
				tc := cases[i%len(cases)]
				in := tc.Input.Input()
				r.Evaluate(&in, &d)
				if tc.Expect.Pathways != nil && len(d.Outcomes) != len(tc.Expect.Pathways) {
					t.Errorf("case %q: %d outcomes, want %d", tc.Name, len(d.Outcomes), len(tc.Expect.Pathways))
				}
			}
		}()
	}
	wg.Wait()
}

func TestDocumentRoundTrip(t *testing.T) {
	for _, name := range []string{"national", "regional.yaml"} {
		r := mustNational(t)
		if name != "national" {
			var err error
			if r, err = LoadRulesFile("testdata/rules/"+name, nil); err != nil {
				t.Fatal(err)
			}
		}
		doc := r.Document()
		if doc.Version != r.Version() || len(doc.Rules) != len(r.rules) || len(doc.Tests) != len(r.tests) {
			t.Errorf("%s: document %q with %d rules and %d tests", name, doc.Version, len(doc.Rules), len(doc.Tests))
		}
		assertSameDecisions(t, r, roundTrip(t, r))
	}
}

// roundTrip marshals the document of r and loads it again.
func roundTrip(t testing.TB, r *Rules) *Rules {
	t.Helper()
	data, err := json.Marshal(r.Document())
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadRulesBytes(data, "again.json", nil)
	if err != nil {
		t.Fatalf("the document of accepted rules is rejected: %v\n%s", err, data)
	}
	return again
}

// assertSameDecisions evaluates both rule sets on the test inputs of a.
func assertSameDecisions(t testing.TB, a, b *Rules) {
	t.Helper()
	var da, db Decision
	for _, tc := range a.tests {
		in := tc.Input.Input()
		a.Evaluate(&in, &da)
		b.Evaluate(&in, &db)
		if !reflect.DeepEqual(da, db) {
			t.Fatalf("case %q: decisions differ after a round trip:\n%+v\n%+v", tc.Name, da, db)
		}
	}
}

func TestParseTestInput(t *testing.T) {
	cases := []struct {
		name, doc, want string
		line            int
	}{
		{"good", "level: beginner\nflags: [needs_proxy]\ndensity: 7\ndepartement: \"2A\"\n", "", 0},
		{"bad flag", "level: beginner\nflags: [needs_proxy, no_helpr]\n", `/flags/1: "no_helpr" is not a value of flags (did you mean "no_helper"?)`, 2},
		{"bad level", "{\"level\": \"autonome\"}", `/level: "autonome" is not a level (did you mean "autonomous"?)`, 1},
		{"unknown key", "levle: beginner\n", `unknown field "levle"`, 1},
		{"empty", "", "empty input", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ParseTestInput([]byte(tc.doc), "in.yaml")
			if tc.want == "" {
				if err != nil || in.Level != assessment.LevelBeginner || in.Departement != "2A" {
					t.Errorf("%+v, %v", in, err)
				}
				return
			}
			var re *RulesError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRulesInput) || errors.Is(err, ErrInvalidRules) {
				t.Fatalf("error %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) || re.Problems[0].Line != tc.line {
				t.Errorf("error %q (line %d), want %q on line %d", err, re.Problems[0].Line, tc.want, tc.line)
			}
		})
	}
}

func TestDeclaredFlags(t *testing.T) {
	doc := `version: "f"
title: {fr: Drapeaux}
flags: [lives_alone]
rules:
  - id: alone
    description: {fr: Seul}
    when: {field: flags, op: has_all, value: [lives_alone, no_helper]}
    then: [{pathway: aidants_connect, priority: 2}]
tests:
  - name: alone without help
    input: {flags: [lives_alone, no_helper]}
    expect: {pathways: [aidants_connect]}
  - name: alone with help
    input: {flags: [lives_alone]}
    expect: {pathways: []}
`
	r, err := LoadRulesBytes([]byte(doc), "flags.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range r.RunTests() {
		if !res.Passed {
			t.Errorf("case %q: %v", res.Name, res.Failures)
		}
	}
	bad := strings.Replace(doc, "flags: [lives_alone]", "flags: [lives_alone, no_helper, Bad]", 1)
	_, err = LoadRulesBytes([]byte(bad), "flags.yaml", nil)
	for _, want := range []string{"line 3: /flags/1: flag \"no_helper\" is an assessment flag already", "/flags/2: flag \"Bad\" is not lower snake case"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	undeclared := strings.Replace(doc, "flags: [lives_alone]\n", "", 1)
	_, err = LoadRulesBytes([]byte(undeclared), "flags.yaml", nil)
	if err == nil || !strings.Contains(err.Error(), `/rules/0/when/value/0: "lives_alone" is not a value of flags`) {
		t.Errorf("undeclared flag: %v", err)
	}
}

func TestEvaluateNilInput(t *testing.T) {
	var d Decision
	mustNational(t).Evaluate(nil, &d)
	if len(d.Outcomes) != 1 || d.Outcomes[0].Pathway != PathwayImmediateAnswer {
		t.Errorf("outcomes %+v", d.Outcomes)
	}
}
