package referral

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/yaml"
)

// ParseTestInput reads a test input (YAML or JSON, the form of the input
// of a rules test case) and checks its values; source names it in errors.
// Unknown keys are rejected. Errors are *RulesError wrapping
// ErrInvalidRulesInput.
func ParseTestInput(data []byte, source string) (TestInput, error) {
	var in TestInput
	fail := func(ps []RulesProblem) error {
		newRuleLineIndex(data).placeProblems(ps, data)
		return &RulesError{Source: source, Problems: ps, input: true}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return in, fail([]RulesProblem{{Message: "empty input"}})
	}
	if err := yaml.UnmarshalStrict(data, &in); err != nil {
		return in, fail([]RulesProblem{{Message: fmt.Sprintf("not a rules input: %v", err)}})
	}
	c := &rulesCompiler{rules: &Rules{}, cat: DefaultCatalogue()}
	c.checkInput(&in, "")
	if len(c.problems) > 0 {
		return in, fail(c.problems)
	}
	return in, nil
}
