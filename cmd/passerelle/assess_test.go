package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runAssessCLI is runCLI with the interactive switch.
func runAssessCLI(t *testing.T, stdin string, interactive bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, interactive: interactive})
	return code, out.String(), errOut.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAssessJSONKeys(t *testing.T) {
	tests := []struct {
		instrument string
		answers    string
		level      string
		extra      []string
	}{
		{"triage", `{"device":"no_device","helper":"nobody","health_accounts":"neither","barriers":["none"],"forms_confidence":"extremely"}`, "no_access", nil},
		{"eheals", `{"q1":5,"q2":5,"q3":4,"q4":4,"q5":3,"q6":3,"q7":2,"q8":2}`, "autonomous", []string{"band"}},
		{"dsi", `{"internet_use_3m":true,"com_email":true,"info_news":true}`, "beginner", []string{"areas", "overall", "illectronisme"}},
		{"pix", `{"global_score":130}`, "intermediate", []string{"pix_level"}},
	}
	for _, tt := range tests {
		t.Run(tt.instrument, func(t *testing.T) {
			path := writeTemp(t, "answers.json", tt.answers)
			code, out, errOut := runAssessCLI(t, "", false, "assess", "--instrument", tt.instrument, "--answers", path, "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			for _, k := range append([]string{"instrument", "version", "level", "flags", "scores", "why", "completeness"}, tt.extra...) {
				if _, ok := m[k]; !ok {
					t.Errorf("key %q missing in %s", k, out)
				}
			}
			if m["level"] != tt.level || m["instrument"] != tt.instrument {
				t.Errorf("got %v %v, want %s %s", m["instrument"], m["level"], tt.instrument, tt.level)
			}
		})
	}
}

func TestAssessStdinTextAndLang(t *testing.T) {
	answers := `{"device":"computer_connected","internet_use":"daily","procedures":"alone","email":"uses","health_accounts":"ameli_only","barriers":["none"],"forms_confidence":"extremely"}`
	code, out, errOut := runAssessCLI(t, answers, false, "assess", "--answers", "-")
	if code != exitOK || !strings.Contains(out, "Niveau: autonome (autonomous)") || !strings.Contains(out, "mes_not_activated") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runAssessCLI(t, answers, false, "assess", "--answers", "-", "--lang", "en", "--format", "json")
	if code != exitOK || !strings.Contains(out, "You do your procedures online on your own") || !strings.Contains(out, `"lang": "en"`) {
		t.Errorf("English JSON: exit %d\n%s", code, out)
	}
}

func TestAssessRejected(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		wantErr []string
	}{
		{"every problem listed", []string{"assess", "--answers", "-"}, `{"devise":"x","internet_use":"sometimes","barriers":["none","sight"]}`, exitRejected,
			[]string{"3 problem(s)", `/devise: item "devise": unknown item`, `/internet_use: item "internet_use"`, `/barriers: item "barriers"`}},
		{"missing required", []string{"assess", "--instrument", "eheals", "--answers", "-"}, `{"q1":1}`, exitRejected, []string{"q2", "missing required"}},
		{"out of range", []string{"assess", "--instrument", "pix", "--answers", "-"}, `{"global_score":2000}`, exitRejected, []string{"global_score", "out of range"}},
		{"unknown instrument", []string{"assess", "--instrument", "phq9", "--answers", "-"}, `{}`, exitRejected, []string{"unknown instrument"}},
		{"missing file", []string{"assess", "--answers", "/nonexistent/answers.json"}, ``, exitRejected, []string{"cannot read"}},
		{"no answers, not a terminal", []string{"assess"}, ``, exitUsage, []string{"--answers"}},
		{"stray argument", []string{"assess", "answers.json"}, ``, exitUsage, []string{"unexpected argument"}},
		{"bad format", []string{"assess", "--format", "xml"}, ``, exitUsage, []string{"xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runAssessCLI(t, tt.stdin, false, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestAssessInteractive(t *testing.T) {
	// device: 2 (smartphone only); internet use: "souvent" is not understood
	// and is asked again, then 4 (never): the level is certain, so the
	// procedure and e-mail questions are skipped. Then helper 1, accounts 3,
	// barriers "2, 4", forms 5.
	stdin := "2\nsouvent\n4\n1\n3\n2, 4\n5\n"
	code, out, errOut := runAssessCLI(t, stdin, true, "assess")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Réponse non comprise",
		"Niveau: débutant (beginner)",
		"needs_proxy, visual_impairment, reading_difficulty, low_health_literacy, mes_not_activated",
		"Complétude: 100 %",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "démarches en ligne") {
		t.Errorf("the procedures question was asked although the level was certain:\n%s", out)
	}
	if n := strings.Count(out, "\n> "); n != 7 {
		t.Errorf("%d prompts, want 7 (6 questions, one asked twice):\n%s", n, out)
	}
}

func TestAssessInteractiveJSONKeepsStdoutClean(t *testing.T) {
	code, out, errOut := runAssessCLI(t, "4\n3\n4\n5\n1\n", true, "assess", "--format", "json", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if m["level"] != "no_access" || !strings.Contains(errOut, "Do you have at home a computer") {
		t.Errorf("level %v; questions on stderr:\n%s", m["level"], errOut)
	}
}

func TestAssessInteractiveEndOfInput(t *testing.T) {
	code, out, _ := runAssessCLI(t, "1\n", true, "assess", "--instrument", "eheals", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if c, _ := m["completeness"].(float64); c != 0.125 {
		t.Errorf("completeness %v, want 0.125 after one of eight answers", m["completeness"])
	}
}

func TestAssessInstrumentFile(t *testing.T) {
	yml := `id: mini
version: "1"
title: {fr: Mini}
source: test
items:
  - {id: a, text: {fr: "A ?"}, type: boolean, required: true}
scoring:
  method: sum
  levels:
    - {when: {item: a, is: true}, level: autonomous, why: {fr: oui}}
    - {level: beginner, why: {fr: non}}
`
	path := writeTemp(t, "mini.yaml", yml)
	code, out, errOut := runAssessCLI(t, `{"a": true}`, false, "assess", "--instrument-file", path, "--answers", "-", "--format", "json")
	if code != exitOK || !strings.Contains(out, `"level": "autonomous"`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runAssessCLI(t, "", false, "instruments", "check", path)
	if code != exitOK || !strings.Contains(out, "is valid") {
		t.Errorf("check: exit %d %s", code, out)
	}
	bad := writeTemp(t, "bad.json", `{"id":"x","version":"1","title":{"fr":"X"},"source":"s","items":[{"id":"a","text":{"fr":"A"},"type":"likert","min":5,"max":1}],"scoring":{"method":"sum","levels":[{"level":"expert","why":{"fr":"?"}}]}}`)
	code, _, errOut = runAssessCLI(t, "", false, "instruments", "check", bad)
	if code != exitRejected || !strings.Contains(errOut, "/items/0/min") || !strings.Contains(errOut, "/scoring/levels/0/level") {
		t.Errorf("check bad: exit %d\n%s", code, errOut)
	}
}

func TestInstruments(t *testing.T) {
	code, out, _ := runAssessCLI(t, "", false, "instruments")
	for _, id := range []string{"triage", "eheals", "dsi", "pix"} {
		if code != exitOK || !strings.Contains(out, id) {
			t.Errorf("list lacks %s (exit %d):\n%s", id, code, out)
		}
	}
	code, out, _ = runAssessCLI(t, "", false, "instruments", "--format", "json")
	var list []map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) != 4 {
		t.Errorf("json list: exit %d\n%s", code, out)
	}
	code, out, _ = runAssessCLI(t, "", false, "instruments", "show", "dsi", "--format", "json")
	var def struct {
		ID    string `json:"id"`
		Items []struct {
			ID   string            `json:"id"`
			Text map[string]string `json:"text"`
			Type string            `json:"type"`
			Area string            `json:"area"`
		} `json:"items"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &def) != nil {
		t.Fatalf("show dsi: exit %d\n%s", code, out)
	}
	areas := map[string]int{}
	for _, it := range def.Items[1:] {
		if it.Text["fr"] == "" || it.Text["en"] == "" || it.Type != "boolean" {
			t.Errorf("item %+v", it)
		}
		areas[it.Area]++
	}
	if len(areas) != 5 || areas[""] != 0 {
		t.Errorf("areas %v", areas)
	}
	code, out, _ = runAssessCLI(t, "", false, "instruments", "show", "triage", "--lang", "en")
	if code != exitOK || !strings.Contains(out, "How confident are you filling out medical forms by yourself?") {
		t.Errorf("show triage text: exit %d\n%s", code, out)
	}
	if code, _, _ := runAssessCLI(t, "", false, "instruments", "show", "phq9"); code != exitRejected {
		t.Errorf("unknown instrument: exit %d, want 1", code)
	}
	if code, _, _ := runAssessCLI(t, "", false, "instruments", "show"); code != exitUsage {
		t.Errorf("show without id: exit %d, want 2", code)
	}
}

func TestAssessCompare(t *testing.T) {
	dir := t.TempDir()
	save := func(name, answers string) string {
		code, out, errOut := runAssessCLI(t, answers, false, "assess", "--instrument", "eheals", "--answers", "-", "--format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	before := save("before.json", `{"q1":2,"q2":2,"q3":2,"q4":2,"q5":2,"q6":2,"q7":2,"q8":2}`)
	after := save("after.json", `{"q1":4,"q2":4,"q3":4,"q4":3,"q5":3,"q6":3,"q7":3,"q8":3}`)
	code, out, errOut := runAssessCLI(t, "", false, "assess", "compare", before, after, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var p struct {
		Direction    string   `json:"direction"`
		Steps        int      `json:"steps"`
		FlagsCleared []string `json:"flags_cleared"`
		Dimensions   []struct {
			Dimension string  `json:"dimension"`
			Delta     float64 `json:"delta"`
		} `json:"dimensions"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Direction != "up" || p.Steps != 2 || len(p.Dimensions) != 1 || p.Dimensions[0].Delta != 11 || len(p.FlagsCleared) != 1 {
		t.Errorf("got %+v", p)
	}
	code, out, _ = runAssessCLI(t, "", false, "assess", "compare", after, before)
	if code != exitOK || !strings.Contains(out, "autonome → débutant (down, -2)") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
	other := writeTemp(t, "pix.json", `{"instrument":"pix","version":"1.0.0","level":"beginner","flags":[],"scores":{},"why":[],"completeness":1}`)
	if code, _, errOut := runAssessCLI(t, "", false, "assess", "compare", before, other); code != exitRejected || !strings.Contains(errOut, "different instruments") {
		t.Errorf("different instruments: exit %d %s", code, errOut)
	}
	if code, _, _ := runAssessCLI(t, "", false, "assess", "compare", before); code != exitUsage {
		t.Errorf("one file: exit %d, want 2", code)
	}
	junk := writeTemp(t, "junk.json", `{"level": 3}`)
	if code, _, errOut := runAssessCLI(t, "", false, "assess", "compare", before, junk); code != exitRejected || !strings.Contains(errOut, "junk.json") {
		t.Errorf("junk: exit %d %s", code, errOut)
	}
}
