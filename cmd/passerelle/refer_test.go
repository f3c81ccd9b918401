package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const beginnerAnswers = `{"device":"computer_connected","internet_use":"never","procedures":"never","email":"none","health_accounts":"neither","barriers":["none"],"forms_confidence":"not_at_all"}`

const referAt = "2026-03-23T10:00:00+01:00"

func TestReferJSON(t *testing.T) {
	code, out, errOut := runCLI(t, beginnerAnswers, "refer", "--answers", "-", "--commune", "16102", "--format", "json", "--at", referAt)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Assessment struct {
			Level string `json:"level"`
		} `json:"assessment"`
		RulesVersion string `json:"rules_version"`
		Commune      struct {
			Name string `json:"nom"`
		} `json:"commune"`
		Pathways []struct {
			ID     string `json:"id"`
			Title  string `json:"title"`
			Places []struct {
				ID         string   `json:"id"`
				Name       string   `json:"nom"`
				DistanceKm float64  `json:"distance_km"`
				Why        []string `json:"why"`
			} `json:"places"`
			Why []string `json:"why"`
		} `json:"pathways"`
		Trace []struct {
			Rule  string `json:"rule"`
			Fired bool   `json:"fired"`
		} `json:"trace"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Assessment.Level != "beginner" || doc.RulesVersion == "" || doc.Commune.Name != "Cognac" || len(doc.Trace) == 0 {
		t.Errorf("header: %+v", doc)
	}
	found := false
	for _, p := range doc.Pathways {
		if p.ID != "mediation_place" {
			continue
		}
		found = true
		if len(p.Places) != 3 || p.Title != "Lieu de médiation numérique" {
			t.Fatalf("mediation places: %+v", p)
		}
		for _, pl := range p.Places {
			if pl.DistanceKm > 15 || len(pl.Why) == 0 || pl.Name == "" {
				t.Errorf("place %+v", pl)
			}
		}
		if !strings.Contains(strings.Join(p.Why, " "), "règle « beginner »") {
			t.Errorf("why = %v", p.Why)
		}
	}
	if !found {
		t.Errorf("no mediation_place pathway for a beginner: %+v", doc.Pathways)
	}
}

func TestReferTextAndHTML(t *testing.T) {
	code, out, errOut := runCLI(t, beginnerAnswers, "refer", "--answers", "-", "--commune", "16102", "--at", referAt, "--lang", "en")
	if code != exitOK || !strings.Contains(out, "Digital-mediation place") || !strings.Contains(out, "km away") || !strings.Contains(out, "Passed over") {
		t.Errorf("text: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, beginnerAnswers, "refer", "--answers", "-", "--commune", "16102", "--at", referAt, "--format", "html", "--name", "Camille", "--reference", "R-1")
	if code != exitOK || !strings.Contains(out, "<!DOCTYPE html>") || !strings.Contains(out, "Camille") || !strings.Contains(out, "R-1") || !strings.Contains(out, "carte Vitale") {
		t.Errorf("html: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestReferErrors(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"no answers", "", []string{"refer", "--commune", "16102"}, exitUsage, "no answers"},
		{"no commune", beginnerAnswers, []string{"refer", "--answers", "-"}, exitUsage, "--commune INSEE or --postal-code"},
		{"unknown commune", beginnerAnswers, []string{"refer", "--answers", "-", "--commune", "99999"}, exitRejected, `"99999" is not the INSEE code`},
		{"ambiguous postal code", beginnerAnswers, []string{"refer", "--answers", "-", "--postal-code", "16100"}, exitRejected, "8 communes share 16100"},
		{"unique postal code", beginnerAnswers, []string{"refer", "--answers", "-", "--postal-code", "16000", "--format", "json"}, exitOK, `"rules_version"`},
		{"bad answers", `{"device":"toaster"}`, []string{"refer", "--answers", "-", "--commune", "16102"}, exitRejected, "/device"},
		{"bad need", beginnerAnswers, []string{"refer", "--answers", "-", "--commune", "16102", "--need", "fly"}, exitUsage, `--need "fly"`},
		{"bad constraint", beginnerAnswers, []string{"refer", "--answers", "-", "--commune", "16102", "--constraint", "x"}, exitUsage, `--constraint "x"`},
		{"bad at", beginnerAnswers, []string{"refer", "--answers", "-", "--commune", "16102", "--at", "tomorrow"}, exitUsage, "RFC 3339"},
		{"batch needs out", "", []string{"refer", "--batch", "x.csv"}, exitUsage, "--out"},
		{"batch html", "", []string{"refer", "--batch", "x.csv", "--out", "y.csv", "--format", "html"}, exitUsage, "not a batch"},
		{"missing rules file", beginnerAnswers, []string{"refer", "--answers", "-", "--commune", "16102", "--rules", "/nonexistent.yaml"}, exitRejected, "nonexistent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d (want %d), output does not contain %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
}

func TestReferBatch(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "people.csv")
	out := filepath.Join(dir, "referrals.csv")
	people := "needs,person_id,commune,answers,flags\n" +
		"activate_mes,11111111-1111-4111-8111-111111111111,16102,\"" + strings.ReplaceAll(beginnerAnswers, `"`, `""`) + "\",\n" +
		",22222222-2222-4222-8222-222222222222,16300,\"{}\",\n" +
		",33333333-3333-4333-8333-333333333333,16000,\"" + strings.ReplaceAll(beginnerAnswers, `"`, `""`) + "\",needs_free\n" +
		",44444444-4444-4444-8444-444444444444\n"
	if err := os.WriteFile(in, []byte(people), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runCLI(t, "", "refer", "--batch", in, "--out", out, "--format", "json", "--at", referAt)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sum struct {
		Read, Referred, Rejected, Rows int
		Reasons                        map[string]int
		Rejections                     []struct {
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if sum.Read != 4 || sum.Referred != 2 || sum.Rejected != 2 || sum.Reasons["bad_answers"] != 1 || sum.Reasons["missing_columns"] != 1 {
		t.Errorf("summary = %+v", sum)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "person_id,pathway,place_id,distance_km,rule" || len(recs)-1 != sum.Rows {
		t.Fatalf("output header %v, %d rows (summary %d)", recs[0], len(recs)-1, sum.Rows)
	}
	med := false
	for _, r := range recs[1:] {
		if r[0] == "11111111-1111-4111-8111-111111111111" && r[1] == "mediation_place" && r[2] != "" && r[4] == "beginner" {
			med = true
		}
		if r[0] == "22222222-2222-4222-8222-222222222222" || r[0] == "44444444-4444-4444-8444-444444444444" {
			t.Errorf("a rejected person has output: %v", r)
		}
	}
	if !med {
		t.Errorf("no mediation place for the beginner in Cognac:\n%v", recs)
	}
	// Text summary on stderr names the rejected lines.
	code, _, errOut = runCLI(t, "", "refer", "--batch", in, "--out", out)
	if code != exitOK || !strings.Contains(errOut, "4 people read, 2 referred, 2 rejected") || !strings.Contains(errOut, "line 3, column answers") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestReferWithPlacesFile(t *testing.T) {
	places := filepath.Join("..", "..", "mediation", "lamednum", "testdata", "lmn-v1-charente-2023-07-11.json")
	if _, err := os.Stat(places); err != nil {
		t.Skip("fixture missing:", err)
	}
	code, out, errOut := runCLI(t, beginnerAnswers, "refer", "--answers", "-", "--commune", "16102", "--places", places, "--format", "json", "--at", referAt)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Pathways []struct {
			ID     string `json:"id"`
			Places []struct {
				ID string `json:"id"`
			} `json:"places"`
		} `json:"pathways"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range doc.Pathways {
		n += len(p.Places)
		for _, pl := range p.Places {
			if strings.HasPrefix(pl.ID, "france-services-") {
				t.Errorf("a France Services place from the demo directory, with --places Charente only: %s", pl.ID)
			}
		}
	}
	if n == 0 {
		t.Error("no place proposed from the Charente file")
	}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		done, size int64
		want       string
	}{
		{0, 100, "[                              ]   0 %"},
		{50, 100, "[###############               ]  50 %"},
		{150, 100, "[##############################] 100 %"},
		{10, 0, "[=   ]"},
	}
	for _, tt := range tests {
		if got := progressBar(tt.done, tt.size, 0); got != tt.want {
			t.Errorf("progressBar(%d, %d) = %q, want %q", tt.done, tt.size, got, tt.want)
		}
	}
}
