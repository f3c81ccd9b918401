package referral

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzLoadRules feeds rules loading with mutations of the national file
// and the testdata files. Properties: no panic; an error is a *RulesError
// wrapping ErrInvalidRules whose problems all have a message and a path or
// line no further than the end of the input; accepted rules evaluate their
// own test inputs into a decision with one trace per rule, outcomes sorted
// by priority, one per pathway; and the document of accepted rules loads
// again into rules that decide the same.
func FuzzLoadRules(f *testing.F) {
	f.Add(NationalRulesDocument())
	files, _ := filepath.Glob("testdata/rules/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(clauseDoc))
	f.Add([]byte(`{"version":"j","title":{"fr":"J"},"rules":[{"id":"a","description":{"fr":"a"},"when":{"expr":"level_rank < 3"},"then":[{"pathway":"self_guide","priority":1}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := LoadRulesBytes(data, "fuzz.yaml", nil)
		if err != nil {
			var re *RulesError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRules) {
				t.Fatalf("error %T %v is not a *RulesError", err, err)
			}
			lines := lineCount(data)
			for _, p := range re.Problems {
				if p.Message == "" {
					t.Errorf("problem without a message: %+v", p)
				}
				if p.Line < 0 || p.Line > lines {
					t.Errorf("problem line %d beyond the %d lines of the input", p.Line, lines)
				}
			}
			return
		}
		var d Decision
		for _, tc := range r.tests {
			in := tc.Input.Input()
			r.Evaluate(&in, &d)
			if len(d.Trace) != len(r.rules) {
				t.Fatalf("%d trace entries for %d rules", len(d.Trace), len(r.rules))
			}
			seen := map[PathwayID]bool{}
			for i, o := range d.Outcomes {
				if seen[o.Pathway] {
					t.Fatalf("pathway %s twice in %+v", o.Pathway, d.Outcomes)
				}
				seen[o.Pathway] = true
				if o.Priority < 1 || (i > 0 && o.Priority < d.Outcomes[i-1].Priority) {
					t.Fatalf("outcomes out of order: %+v", d.Outcomes)
				}
			}
		}
		r.RunTests()
		assertSameDecisions(t, r, roundTrip(t, r))
	})
}

// Found by FuzzLoadRules: a lone \r ends a line in YAML, so a problem on
// line 2 of "#...\rBy{" is where it should be.
func TestFuzzCarriageReturnLines(t *testing.T) {
	data := []byte("  #  {c{{\r   By{ ")
	_, err := LoadRulesBytes(data, "cr.yaml", nil)
	var re *RulesError
	if !errors.As(err, &re) || len(re.Problems) != 1 {
		t.Fatalf("error %v", err)
	}
	if p := re.Problems[0]; p.Line != 2 || p.Line > lineCount(data) {
		t.Errorf("problem %+v, want it on line 2 of %d", p, lineCount(data))
	}
}

// Found by FuzzLoadRules: YAML places the empty document of "---" on a
// line 2 that the input does not have.
func TestFuzzEmptyDocumentLine(t *testing.T) {
	_, err := LoadRulesBytes([]byte("---"), "dash.yaml", nil)
	var re *RulesError
	if !errors.As(err, &re) {
		t.Fatalf("error %v", err)
	}
	for _, p := range re.Problems {
		if p.Line != 1 {
			t.Errorf("problem %+v, want it on line 1", p)
		}
	}
}

// FuzzParseTestInput: no panic; a rejected input is a *RulesError wrapping
// ErrInvalidRulesInput; an accepted one marshals to JSON that parses back
// to the same input, and the national rules evaluate it with
// immediate_answer first.
func FuzzParseTestInput(f *testing.F) {
	r, err := NationalRules()
	if err != nil {
		f.Fatal(err)
	}
	for _, tc := range r.tests {
		b, err := json.Marshal(tc.Input)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("level: beginner\nflags: [needs_proxy]\nage_band: 70_plus\ndensity: 7\ndepartement: \"2A\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseTestInput(data, "fuzz.yaml")
		if err != nil {
			var re *RulesError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRulesInput) || len(re.Problems) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseTestInput(b, "again.json")
		if err != nil {
			t.Fatalf("accepted input rejected after a round trip: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(normalInput(in), normalInput(again)) {
			t.Fatalf("round trip changed the input:\n%+v\n%+v", in, again)
		}
		x := in.Input()
		var d Decision
		r.Evaluate(&x, &d)
		if len(d.Outcomes) == 0 || d.Outcomes[0].Pathway != PathwayImmediateAnswer {
			t.Fatalf("outcomes %+v", d.Outcomes)
		}
	})
}

// normalInput makes empty and nil collections alike.
func normalInput(in TestInput) TestInput {
	if len(in.Flags) == 0 {
		in.Flags = nil
	}
	if len(in.Scores) == 0 {
		in.Scores = nil
	}
	if len(in.Needs) == 0 {
		in.Needs = nil
	}
	if len(in.Constraints) == 0 {
		in.Constraints = nil
	}
	return in
}
