package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/referral"
)

const rulesTestdata = "../../referral/testdata/rules/"

func TestRulesShowReloads(t *testing.T) {
	code, out, errOut := runCLI(t, "", "rules", "show")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r, err := referral.LoadRulesBytes([]byte(out), "shown.yaml", nil)
	if err != nil {
		t.Fatalf("the shown document does not load: %v", err)
	}
	if r.Version() != "2026.1" {
		t.Errorf("version %q", r.Version())
	}
	code, out, errOut = runCLI(t, "", "rules", "show", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := referral.LoadRulesBytes([]byte(out), "shown.json", nil); err != nil {
		t.Fatalf("the JSON document does not load: %v", err)
	}
}

func TestRulesTest(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout []string
		stderr []string
	}{
		{"national", []string{"rules", "test", "national"}, "", 0,
			[]string{"PASS  intermediate with an e-mail address", "ok: 14 test cases passed"}, nil},
		{"regional file", []string{"rules", "test", rulesTestdata + "regional.yaml"}, "", 0,
			[]string{"rules 2026.1-occitanie, 4 rules, 3 test cases", "PASS  a senior from Aveyron"}, nil},
		{"a failing case", []string{"rules", "test", rulesTestdata + "failing_case.yaml"}, "", 1,
			[]string{"PASS  beginner gets a place", "FAIL  beginner gets a workshop", "pathway cpam_workshop_collective: want it, it is missing", "rules fired: answer, beginner"},
			[]string{"1 of 2 test cases failed"}},
		{"malformed YAML rules", []string{"rules", "test", rulesTestdata + "malformed.yaml"}, "", 1, nil,
			[]string{"line 10: /rules/0/when/field: unknown field \"levle\" (did you mean \"level\"?)", "line 25: /rules/1/then/0/priority"}},
		{"malformed JSON rules on stdin", []string{"rules", "test", "-"}, `{"version": "x", "title": {"fr": "x"},
  "rules": [{"id": "a", "description": {"fr": "a"}, "then": [{"pathway": "nowhere", "priority": 1}]}]}`, 1, nil,
			[]string{"<stdin>: line 2: /rules/0/then/0/pathway: unknown pathway \"nowhere\""}},
		{"no file", []string{"rules", "test"}, "", 2, nil, []string{"needs exactly one FILE"}},
		{"missing file", []string{"rules", "test", "nowhere.yaml"}, "", 1, nil, []string{"cannot read nowhere.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestRulesTestJSON(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "test", rulesTestdata+"failing_case.yaml", "--format", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got struct {
		Passed, Failed int
		Cases          []struct {
			Name     string   `json:"name"`
			Passed   bool     `json:"passed"`
			Failures []string `json:"failures"`
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if got.Passed != 1 || got.Failed != 1 || len(got.Cases) != 2 || got.Cases[1].Passed || len(got.Cases[1].Failures) != 1 {
		t.Errorf("results %+v", got)
	}
}

func TestRulesExplain(t *testing.T) {
	input := writeTemp(t, "in.yaml", "level: beginner\nflags: [needs_proxy, no_helper]\nage_band: 70_plus\ndensity: 7\ndepartement: \"12\"\n")
	code, out, errOut := runCLI(t, "", "rules", "explain", "--input", input, "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"Rules 2026.1 (national)",
		"1. Immediate answer [immediate_answer]",
		"2. Digital-mediation place [mediation_place] — rule beginner (max 15 km; preferably « Formé à « Mon Espace Santé » »)",
		"2. Aidants Connect [aidants_connect] — rule proxy_without_helper",
		"- intermediate @ /rules/4/when [level eq intermediate]",
		"Not applied: \"level eq intermediate\" does not hold.",
		"+ rural_remote @ /rules/11/when",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("explanation lacks %q:\n%s", w, out)
		}
	}
	code, out, errOut = runCLI(t, "", "rules", "explain", "--input", input, "--format", "json", "--rules", rulesTestdata+"regional.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		RulesVersion string             `json:"rules_version"`
		Outcomes     []referral.Outcome `json:"outcomes"`
		Trace        []struct {
			Rule       string `json:"rule"`
			Fired      bool   `json:"fired"`
			Clause     string `json:"clause"`
			ClauseText string `json:"clause_text"`
			Why        string `json:"why"`
		} `json:"trace"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if got.RulesVersion != "2026.1-occitanie" || len(got.Trace) != 4 || len(got.Outcomes) != 2 {
		t.Fatalf("explanation %+v", got)
	}
	// The Aveyron senior rule holds on its expr clause (no score: reads 0).
	if tr := got.Trace[2]; tr.Rule != "seniors_aveyron" || !tr.Fired || tr.Why == "" {
		t.Errorf("trace %+v", tr)
	}
	if o := got.Outcomes[1]; o.Pathway != referral.PathwayMediationPlace || o.Criteria.MaxKm != 40 || len(o.Criteria.RequiredServices) != 2 {
		t.Errorf("merged mediation place %+v", o)
	}
}

func TestRulesExplainRejects(t *testing.T) {
	bad := writeTemp(t, "bad.json", `{"level": "begginer", "density": 9}`)
	unknown := writeTemp(t, "unknown.json", `{"levels": "beginner"}`)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad values", []string{"rules", "explain", "--input", bad}, 1, `/level: "begginer" is not a level (did you mean "beginner"?)`},
		{"bad density", []string{"rules", "explain", "--input", bad}, 1, "/density: density is an INSEE class from 1 to 7"},
		{"unknown key", []string{"rules", "explain", "--input", unknown}, 1, "levels"},
		{"no input", []string{"rules", "explain"}, 2, "needs --input FILE"},
		{"malformed rules", []string{"rules", "explain", "--input", bad, "--rules", rulesTestdata + "malformed.json"}, 1, "line 8: /rules/0/when/op"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}
