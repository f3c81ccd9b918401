package referral

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidRules is wrapped by every *RulesError: the rules document was
// read but cannot be used.
var ErrInvalidRules = errors.New("referral: invalid rules")

// ErrInvalidRulesInput is wrapped by the *RulesError of ParseTestInput: the
// input given to explain the rules cannot be used.
var ErrInvalidRulesInput = errors.New("referral: invalid rules input")

// RulesProblem is one thing wrong in a rules document: where (JSON pointer
// and, when known, the 1-based line in the file) and what.
type RulesProblem struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (p RulesProblem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// RulesError lists every problem found in a rules document.
type RulesError struct {
	Source   string         `json:"source"`
	Problems []RulesProblem `json:"problems"`
	// input is true for an error about a test input, not a document.
	input bool
}

func (e *RulesError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	switch len(e.Problems) {
	case 0:
		b.WriteString(": invalid rules")
	case 1:
		b.WriteString(": ")
		b.WriteString(e.Problems[0].String())
	default:
		fmt.Fprintf(&b, ": %d problems:", len(e.Problems))
		for _, p := range e.Problems {
			b.WriteString("\n  ")
			b.WriteString(p.String())
		}
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalidRules) true, or
// errors.Is(err, ErrInvalidRulesInput) for ParseTestInput.
func (e *RulesError) Unwrap() error {
	if e.input {
		return ErrInvalidRulesInput
	}
	return ErrInvalidRules
}
