package referral

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"sigs.k8s.io/yaml"

	"github.com/passerelle-sante/passerelle/internal/jsonschemas"
)

// Rules is a compiled, type-checked rule set. It is immutable: Evaluate and
// RunTests are safe for concurrent use.
type Rules struct {
	version     string
	title       assessment.Text
	rules       []compiledRule
	nodes       []clauseNode
	scoreDims   []string
	extraFlags  []string // declared flags; bit len(ruleFlags())+i
	pathwayRank map[PathwayID]int
	hasExpr     bool
	tests       []RulesTestCase
	document    []byte // the document as JSON, for Document
}

// RulesSchemaURL is the $id of the rules JSON Schema.
const RulesSchemaURL = "https://github.com/passerelle-sante/passerelle/schemas/rules.schema.json"

// rulesSchema is schemas/rules.schema.json, generated from RulesDocument; a
// test keeps both copies and the Go types in step.
//
//go:embed rules.schema.json
var rulesSchema []byte

// RulesSchema returns the JSON Schema that rules documents follow.
func RulesSchema() []byte { return bytes.Clone(rulesSchema) }

var compiledRulesSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return jsonschemas.Compile(rulesSchema, RulesSchemaURL)
})

//go:embed national/rules.yaml
var nationalRules []byte

// NationalRulesDocument returns the embedded national rules document
// (YAML), as a regional team would start editing it.
func NationalRulesDocument() []byte { return bytes.Clone(nationalRules) }

// NationalRules compiles the embedded national rule set against the
// default catalogue.
func NationalRules() (*Rules, error) {
	return LoadRulesBytes(nationalRules, "national/rules.yaml", nil)
}

// LoadRules reads a rules document (YAML or JSON) from r; source names it
// in errors. A nil catalogue means DefaultCatalogue.
func LoadRules(r io.Reader, source string, cat *Catalogue) (*Rules, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading rules %s: %w", source, err)
	}
	return LoadRulesBytes(data, source, cat)
}

// LoadRulesFile reads the rules document at path.
func LoadRulesFile(path string, cat *Catalogue) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading rules: %w", err)
	}
	return LoadRulesBytes(data, filepath.Base(path), cat)
}

// LoadRulesBytes validates data against the rules JSON Schema, type-checks
// every rule, clause, outcome and test case against cat (nil means
// DefaultCatalogue), and compiles the rules. Data whose first non-blank
// byte is '{' is JSON; anything else is read as YAML. All the problems
// found come back in one *RulesError, each with its JSON path and line.
func LoadRulesBytes(data []byte, source string, cat *Catalogue) (*Rules, error) {
	if cat == nil {
		cat = DefaultCatalogue()
	}
	lines, original := newRuleLineIndex(data), data
	fail := func(ps []RulesProblem) error {
		lines.placeProblems(ps, original)
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].Line != ps[j].Line {
				return ps[i].Line < ps[j].Line
			}
			return ps[i].Path < ps[j].Path
		})
		return &RulesError{Source: source, Problems: ps}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fail([]RulesProblem{{Message: "empty rules document"}})
	}
	if trimmed[0] != '{' {
		j, err := yaml.YAMLToJSON(data)
		if err != nil {
			return nil, fail([]RulesProblem{{Message: "not YAML: " + err.Error()}})
		}
		data = j
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fail([]RulesProblem{{Message: "not JSON: " + err.Error(), Line: jsonErrorLine(data, err)}})
	}
	sch, err := compiledRulesSchema()
	if err != nil {
		return nil, fmt.Errorf("rules schema: %w", err)
	}
	var problems []RulesProblem
	if err := sch.Validate(raw); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fail([]RulesProblem{{Message: err.Error()}})
		}
		problems = schemaProblems(ve)
	}
	var doc RulesDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		if len(problems) == 0 {
			problems = append(problems, RulesProblem{Message: err.Error()})
		}
		return nil, fail(problems)
	}
	r, more := compileDocument(&doc, cat)
	for _, p := range more {
		// One problem per place: the type checker's words (with the
		// rules' vocabulary and suggestions) replace the schema's.
		if i := slices.IndexFunc(problems, func(q RulesProblem) bool { return q.Path == p.Path }); i >= 0 {
			problems[i].Message = p.Message
		} else {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return nil, fail(problems)
	}
	r.document = data
	return r, nil
}

// schemaProblems flattens a validation error to one problem per failed
// keyword.
func schemaProblems(ve *jsonschema.ValidationError) []RulesProblem {
	p := message.NewPrinter(language.English)
	var out []RulesProblem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			var b strings.Builder
			for _, s := range e.InstanceLocation {
				b.WriteByte('/')
				b.WriteString(escapePointer(s))
			}
			path := b.String()
			// An unknown key is placed on the key itself, not on its object.
			if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) == 1 {
				path += "/" + escapePointer(ap.Properties[0])
			}
			out = append(out, RulesProblem{Path: path, Message: e.ErrorKind.LocalizedString(p)})
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// jsonErrorLine finds the line of a JSON syntax error, when the decoder
// says at which offset it is.
func jsonErrorLine(data []byte, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 && int(se.Offset) <= len(data) {
		return bytes.Count(data[:se.Offset], []byte("\n")) + 1
	}
	var v any
	if e := json.Unmarshal(data, &v); errors.As(e, &se) && int(se.Offset) <= len(data) {
		return bytes.Count(data[:se.Offset], []byte("\n")) + 1
	}
	return 0
}

// Version is the version string of the rule set.
func (r *Rules) Version() string { return r.version }

// Title is the name of the rule set.
func (r *Rules) Title() assessment.Text { return r.title }

// HasExpr reports whether some clause is an expr clause, which may
// allocate when evaluated.
func (r *Rules) HasExpr() bool { return r.hasExpr }

// RuleIDs lists the ids of the rules, in evaluation order.
func (r *Rules) RuleIDs() []string {
	ids := make([]string, len(r.rules))
	for i := range r.rules {
		ids[i] = r.rules[i].id
	}
	return ids
}

// Rule returns the description of the rule with the given id.
func (r *Rules) Rule(id string) (description assessment.Text, ok bool) {
	for i := range r.rules {
		if r.rules[i].id == id {
			return r.rules[i].description, true
		}
	}
	return assessment.Text{}, false
}

// Clause returns the clause at a JSON path (as in RuleTrace.Clause) as
// written, e.g. "level in [beginner, no_access]"; "" for a path that is a
// rule without a condition or no clause at all.
func (r *Rules) Clause(path string) string {
	for i := range r.nodes {
		if r.nodes[i].path == path {
			return r.nodes[i].text
		}
	}
	return ""
}

// Document returns the document the rules were compiled from.
func (r *Rules) Document() RulesDocument {
	var doc RulesDocument
	// The bytes were decoded once already: this cannot fail.
	_ = json.Unmarshal(r.document, &doc)
	return doc
}

// RulesTestResult is the outcome of one test case of a rules document.
type RulesTestResult struct {
	Name     string      `json:"name"`
	Passed   bool        `json:"passed"`
	Pathways []PathwayID `json:"pathways"`
	// Failures says what differs from the expectation, one line each.
	Failures []string `json:"failures,omitempty"`
	Decision Decision `json:"-"`
}

// RunTests evaluates every test case of the document and compares the
// decision with what the case expects.
func (r *Rules) RunTests() []RulesTestResult {
	out := make([]RulesTestResult, 0, len(r.tests))
	for i := range r.tests {
		tc := &r.tests[i]
		in := tc.Input.Input()
		res := RulesTestResult{Name: tc.Name}
		r.Evaluate(&in, &res.Decision)
		res.Pathways = make([]PathwayID, len(res.Decision.Outcomes))
		for j, o := range res.Decision.Outcomes {
			res.Pathways[j] = o.Pathway
		}
		ex := &tc.Expect
		if ex.Pathways != nil && !slices.Equal(ex.Pathways, res.Pathways) {
			res.Failures = append(res.Failures, fmt.Sprintf("pathways: want %s, got %s", pathwayList(ex.Pathways), pathwayList(res.Pathways)))
		}
		for _, p := range ex.Includes {
			if !slices.Contains(res.Pathways, p) {
				res.Failures = append(res.Failures, fmt.Sprintf("pathway %s: want it, it is missing", p))
			}
		}
		for _, p := range ex.Not {
			if slices.Contains(res.Pathways, p) {
				res.Failures = append(res.Failures, fmt.Sprintf("pathway %s: want it absent, it is proposed", p))
			}
		}
		for _, id := range ex.Fired {
			if !slices.ContainsFunc(res.Decision.Trace, func(t RuleTrace) bool { return t.Rule == id && t.Fired }) {
				res.Failures = append(res.Failures, fmt.Sprintf("rule %s: want it fired, it did not fire", id))
			}
		}
		res.Passed = len(res.Failures) == 0
		out = append(out, res)
	}
	return out
}

func pathwayList(ids []PathwayID) string {
	return "[" + strings.Join(asStrings(ids), ", ") + "]"
}

func sortedScoreNames(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
