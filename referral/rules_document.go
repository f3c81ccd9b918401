package referral

import (
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/territory"
)

// RulesDocument is a rules file as a regional team writes it (YAML or
// JSON): an ordered list of rules and the test cases that pin down what
// they decide. schemas/rules.schema.json is generated from this type.
type RulesDocument struct {
	Schema  string          `json:"$schema,omitempty" jsonschema_description:"URL or path of the JSON Schema of this file, for editors."`
	Version string          `json:"version" jsonschema:"minLength=1" jsonschema_description:"Version of this rule set; every decision carries it."`
	Title   assessment.Text `json:"title" jsonschema_description:"Name of the rule set in French and English."`
	// Flags declares the flags of regional instruments, beyond the
	// assessment's own, that clauses and test cases may name.
	Flags []string        `json:"flags,omitempty" jsonschema_description:"Extra flags raised by regional instruments that clauses may test (lower snake case); the assessment's own flags need no declaration."`
	Rules []RuleSpec      `json:"rules" jsonschema:"minItems=1" jsonschema_description:"The rules, evaluated in this order."`
	Tests []RulesTestCase `json:"tests,omitempty" jsonschema_description:"Test cases: an input and the pathways the rules must propose for it."`
}

// RuleSpec is one rule: when its condition holds, it proposes its outcomes.
type RuleSpec struct {
	ID          string          `json:"id" jsonschema:"pattern=^[a-z][a-z0-9_]*$" jsonschema_description:"Identifier of the rule, lower snake case, unique in the file."`
	Description assessment.Text `json:"description" jsonschema_description:"What the rule does and why, in French and English; decisions quote it."`
	When        *Condition      `json:"when,omitempty" jsonschema_description:"Condition of the rule; a rule without one always fires."`
	Then        []OutcomeSpec   `json:"then" jsonschema:"minItems=1" jsonschema_description:"Pathways proposed when the rule fires."`
	Stop        bool            `json:"stop,omitempty" jsonschema_description:"When true and the rule fires, the rules after it are not evaluated."`
}

// Condition is one clause: exactly one of all, any, not, field (with op
// and value) or expr is set.
type Condition struct {
	All   []Condition `json:"all,omitempty" jsonschema:"minItems=1" jsonschema_description:"Holds when every clause holds."`
	Any   []Condition `json:"any,omitempty" jsonschema:"minItems=1" jsonschema_description:"Holds when at least one clause holds."`
	Not   *Condition  `json:"not,omitempty" jsonschema_description:"Holds when the clause does not."`
	Field string      `json:"field,omitempty" jsonschema_description:"Field compared: level, flags, scores.<dimension>, instrument, age_band, density, density_group, departement, region, needs, constraints, language."`
	Op    Op          `json:"op,omitempty" jsonschema:"enum=eq,enum=ne,enum=in,enum=not_in,enum=lt,enum=le,enum=gt,enum=ge,enum=has,enum=has_any,enum=has_all,enum=has_none"`
	Value any         `json:"value,omitempty" jsonschema_description:"Value compared with the field: a string, a number, or a list of them for in, not_in, has_any, has_all and has_none."`
	Expr  string      `json:"expr,omitempty" jsonschema_description:"An expr-lang expression over the same fields (scores is a map), returning a boolean; for what clauses cannot say."`
}

// Op is the operator of a field clause.
type Op string

// Operators. Which ones a field accepts depends on its type (see the
// package documentation, section Rules).
const (
	OpEq      Op = "eq"
	OpNe      Op = "ne"
	OpIn      Op = "in"
	OpNotIn   Op = "not_in"
	OpLt      Op = "lt"
	OpLe      Op = "le"
	OpGt      Op = "gt"
	OpGe      Op = "ge"
	OpHas     Op = "has"
	OpHasAny  Op = "has_any"
	OpHasAll  Op = "has_all"
	OpHasNone Op = "has_none"
)

// OutcomeSpec is one pathway a rule proposes.
type OutcomeSpec struct {
	Pathway  PathwayID     `json:"pathway" jsonschema_description:"Pathway id from the catalogue, e.g. mediation_place."`
	Priority int           `json:"priority" jsonschema:"minimum=1" jsonschema_description:"1 comes first."`
	Criteria PlaceCriteria `json:"criteria,omitzero" jsonschema_description:"What the places proposed for this pathway must offer."`
}

// RulesTestCase is an input and what the rules must decide for it.
type RulesTestCase struct {
	Name   string          `json:"name" jsonschema:"minLength=1"`
	Input  TestInput       `json:"input"`
	Expect TestExpectation `json:"expect"`
}

// TestInput is the flat form of an Input used in test cases and by
// "passerelle rules explain".
type TestInput struct {
	Level       assessment.Level   `json:"level,omitempty"`
	Flags       []assessment.Flag  `json:"flags,omitempty"`
	Scores      map[string]float64 `json:"scores,omitempty"`
	Instrument  string             `json:"instrument,omitempty"`
	AgeBand     AgeBand            `json:"age_band,omitempty"`
	Density     int                `json:"density,omitempty" jsonschema:"minimum=0,maximum=7"`
	Departement string             `json:"departement,omitempty"`
	Region      string             `json:"region,omitempty"`
	Needs       []Need             `json:"needs,omitempty"`
	Constraints []Constraint       `json:"constraints,omitempty"`
	Language    string             `json:"language,omitempty"`
}

// Input converts t to the Input the rules evaluate. Scores are put in the
// order of their names so that the result does not depend on map order.
func (t TestInput) Input() Input {
	in := Input{
		Assessment: assessment.Result{
			Instrument: t.Instrument,
			Level:      t.Level,
			Flags:      append([]assessment.Flag(nil), t.Flags...),
		},
		Person: Person{
			AgeBand:     t.AgeBand,
			Needs:       append([]Need(nil), t.Needs...),
			Constraints: append([]Constraint(nil), t.Constraints...),
			Language:    t.Language,
		},
		Density:     territory.DensityClass(t.Density),
		Departement: t.Departement,
		Region:      t.Region,
	}
	for _, k := range sortedScoreNames(t.Scores) {
		in.Assessment.Scores = append(in.Assessment.Scores, assessment.DimensionScore{Dimension: k, Value: t.Scores[k]})
	}
	return in
}

// TestExpectation is what a test case checks.
type TestExpectation struct {
	// Pathways, when set, must be exactly the pathways decided, in order.
	Pathways []PathwayID `json:"pathways,omitempty" jsonschema_description:"The pathways decided, exactly and in order (priority, then catalogue order)."`
	// Includes must all be among the pathways decided.
	Includes []PathwayID `json:"includes,omitempty" jsonschema_description:"Pathways that must be among those decided."`
	// Not must all be absent from the pathways decided.
	Not []PathwayID `json:"not,omitempty" jsonschema_description:"Pathways that must not be decided."`
	// Fired lists rule ids that must fire.
	Fired []string `json:"fired,omitempty" jsonschema_description:"Rule ids that must fire."`
}
