package assessment

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers test with errors.Is.
var (
	// ErrUnknownInstrument: no built-in instrument has that id.
	ErrUnknownInstrument = errors.New("unknown instrument")
	// ErrInvalidInstrument: an instrument file was rejected; the error is
	// an *InstrumentError listing every problem.
	ErrInvalidInstrument = errors.New("invalid instrument")
	// ErrInvalidAnswers: answers were rejected; the error is an
	// *AnswersError listing every problem.
	ErrInvalidAnswers = errors.New("invalid answers")
	// ErrNotAskable: a session was given an answer to an item it would not
	// ask now (already answered, skipped, or unknown).
	ErrNotAskable = errors.New("item not askable now")
	// ErrDifferentInstruments: Compare was given results of two instruments.
	ErrDifferentInstruments = errors.New("results come from different instruments")
)

// Problem is one thing wrong in an input: which item (when one is
// concerned), where (a JSON pointer into the input) and what.
type Problem struct {
	Item    string `json:"item,omitempty"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	path := p.Path
	if path == "" {
		path = "/"
	}
	if p.Item != "" {
		return fmt.Sprintf("%s: item %q: %s", path, p.Item, p.Message)
	}
	return fmt.Sprintf("%s: %s", path, p.Message)
}

// AnswersError lists every problem found in a set of answers.
type AnswersError struct {
	Instrument string
	Problems   []Problem
}

func (e *AnswersError) Error() string {
	return listProblems(fmt.Sprintf("%d problem(s) in answers to %s", len(e.Problems), e.Instrument), e.Problems)
}

// Unwrap makes errors.Is(err, ErrInvalidAnswers) hold.
func (e *AnswersError) Unwrap() error { return ErrInvalidAnswers }

// InstrumentError lists every problem found in an instrument file. Source
// names the file (or "<builtin>/id", or "<input>").
type InstrumentError struct {
	Source   string
	Problems []Problem
}

func (e *InstrumentError) Error() string {
	return listProblems(fmt.Sprintf("%s: %d problem(s) in instrument", e.Source, len(e.Problems)), e.Problems)
}

// Unwrap makes errors.Is(err, ErrInvalidInstrument) hold.
func (e *InstrumentError) Unwrap() error { return ErrInvalidInstrument }

func listProblems(head string, ps []Problem) string {
	var b strings.Builder
	b.WriteString(head)
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// pointer builds a JSON pointer (RFC 6901) from path segments.
func pointer(segs ...any) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		str := fmt.Sprint(s)
		str = strings.ReplaceAll(str, "~", "~0")
		str = strings.ReplaceAll(str, "/", "~1")
		b.WriteString(str)
	}
	return b.String()
}
