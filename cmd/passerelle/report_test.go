package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seededStore writes a small synthetic year into a fresh SQLite file.
func seededStore(t *testing.T, people int) string {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := runCLI(t, "", "demo", "seed", "--store", url, "--people", itoa(people), "--year", "2025", "--seed", "3")
	if code != exitOK {
		t.Fatalf("demo seed: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "synthetic year 2025") || !strings.Contains(out, itoa(people)+" referrals") {
		t.Fatalf("demo seed said %q", out)
	}
	return url
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDemoSeedThenReportJSON(t *testing.T) {
	url := seededStore(t, 300)
	code, out, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Synthetic bool `json:"synthetic"`
		Empty     bool `json:"empty"`
		Referrals struct {
			Funnel map[string]map[string]any `json:"funnel"`
		} `json:"referrals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Synthetic || rep.Empty {
		t.Fatalf("synthetic %v, empty %v", rep.Synthetic, rep.Empty)
	}
	if got := rep.Referrals.Funnel["proposed"]["count"]; got != 300.0 {
		t.Fatalf("referrals.funnel.proposed = %v, want 300", got)
	}
	for _, k := range []string{"accepted", "scheduled", "attended", "completed"} {
		if _, ok := rep.Referrals.Funnel[k]; !ok {
			t.Errorf("referrals.funnel.%s is missing", k)
		}
	}
	// Seeding again with the same seed adds nothing.
	code, _, errOut = runCLI(t, "", "demo", "seed", "--store", url, "--people", "300", "--year", "2025", "--seed", "3")
	if code != exitOK {
		t.Fatal(errOut)
	}
	_, again, _ := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
	if !strings.Contains(again, `"proposed": {`) || !strings.Contains(again, `"count": 300`) {
		t.Error("a second seed with the same seed changed the referrals")
	}
}

func TestReportCSVAndRegion(t *testing.T) {
	url := seededStore(t, 300)
	out := filepath.Join(t.TempDir(), "r.csv")
	code, _, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--region", "75", "--format", "csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "\ufeffsection;indicateur;") || !strings.Contains(s, "rapport;territory.code;Territoire;;75;") {
		t.Errorf("CSV head:\n%s", s[:min(400, len(s))])
	}
	if !strings.Contains(s, "rapport;synthetic;") || !strings.Contains(s, ";;1;;;\r\nrapport;empty") {
		t.Error("the CSV of a demo year is not labelled synthetic")
	}
}

func TestReportHTMLInEnglish(t *testing.T) {
	url := seededStore(t, 200)
	code, out, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--departement", "16", "--format", "html", "--lang", "en",
		"--target", "referrals.funnel.completed=400")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`<html lang="en">`, "Evaluation of the digital health inclusion scheme", "Synthetic demonstration data", "Département Charente (16)", `<section id="objectifs"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
}

func TestReportEmptyStoreSaysSo(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "empty.db")
	code, out, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--format", "html")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "no record for 2025-01-01 to 2025-12-31") {
		t.Errorf("stderr = %q", errOut)
	}
	if !strings.Contains(out, `id="vide"`) || strings.Contains(out, `id="chiffres-cles"`) {
		t.Error("the page of an empty store does not say it is empty, or shows figures")
	}
}

func TestReportBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no from", []string{"--to", "2025-12-31"}, "--from DATE is required"},
		{"bad date", []string{"--from", "2025-13-01", "--to", "2025-12-31"}, `--from "2025-13-01" is not a date`},
		{"empty period", []string{"--from", "2025-06-01", "--to", "2025-05-31"}, "the period is empty"},
		{"unknown region", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--region", "99"}, `--region "99" is not a région code`},
		{"unknown département", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--departement", "20"}, `--departement "20" is not a département code`},
		{"both", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--region", "75", "--departement", "16"}, "not both"},
		{"format", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--format", "pdf"}, "pdf"},
		{"target shape", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--target", "400"}, "is not INDICATOR=VALUE"},
		{"target indicator", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--target", "people=400"}, `unknown indicator "people"`},
		{"target value", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--target", "referrals.funnel.completed=-4"}, "is not a positive number"},
		{"threshold", []string{"--from", "2025-01-01", "--to", "2025-12-31", "--mask-threshold", "0"}, "--mask-threshold must be 1 or more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"report", "--store", "memory:"}, c.args...)
			code, _, errOut := runCLI(t, "", args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d: %s", code, exitUsage, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q lacks %q", errOut, c.want)
			}
		})
	}
}

func TestDemoSeedBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"--people", "0"},
		{"--year", "1999"},
		{"--year", itoa(time.Now().Year() + 1)},
		{"extra"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"demo", "seed", "--store", "memory:"}, args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errOut)
		}
	}
}

// TestReportOpensInChromium renders the HTML report of a seeded year, opens
// it in headless Chromium, takes a screenshot (into $PASSERELLE_SCREENSHOT
// when set, so a person can look at it) and checks the page Chromium built.
// It fails when CI is set and Chromium is missing, and skips otherwise.
func TestReportOpensInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed (CI is set: this test must run)")
		}
		t.Skip("Chromium is not installed; install the Debian package chromium to run this test")
	}
	url := seededStore(t, 1500)
	dir := t.TempDir()
	page := filepath.Join(dir, "rapport.html")
	code, _, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31", "--format", "html", "--out", page)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	shot := os.Getenv("PASSERELLE_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "rapport.png")
	}
	chromium := func(args ...string) []byte {
		t.Helper()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--user-data-dir=" + t.TempDir(), "--window-size=1280,2000"}
		cmd := exec.CommandContext(t.Context(), bin, append(base, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return out
	}
	chromium("--screenshot="+shot, "file://"+page)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 10_000 || string(png[1:4]) != "PNG" {
		t.Fatalf("the screenshot %s is not a PNG of a page (%d bytes)", shot, len(png))
	}
	t.Logf("screenshot: %s", shot)
	// The page prints to PDF from the browser.
	pdf := filepath.Join(dir, "rapport.pdf")
	chromium("--print-to-pdf="+pdf, "--no-pdf-header-footer", "file://"+page)
	if b, err := os.ReadFile(pdf); err != nil || len(b) < 10_000 || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("printing to PDF gave %d bytes (%v)", len(b), err)
	}
	dom := string(chromium("--dump-dom", "file://"+page))
	for _, want := range []string{
		`<html lang="fr">`,
		`id="synthetique"`,
		"<h1>Évaluation du dispositif d'inclusion numérique en santé</h1>",
		`<section id="orientations"`,
		`<svg xmlns="http://www.w3.org/2000/svg" class="chart"`,
		`aria-labelledby="funnel-t funnel-d"`,
		`<caption>Parcours des orientations</caption>`,
		"<th scope=\"row\">Proposées</th><td class=\"num\">1\u202f500</td>",
		`<section id="carte"`,
		`class="referrals"`,
		`class="place trained"`,
		`<section id="equite"`,
		`<section id="couverture"`,
		`<h2 id="definitions-h">`,
		`<nav aria-label="Sommaire">`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page Chromium built lacks %q", want)
		}
	}
	if strings.Contains(dom, `id="vide"`) {
		t.Error("the report of a seeded year says it is empty")
	}
}

func TestReportPlacesFromFiles(t *testing.T) {
	url := seededStore(t, 50)
	code, out, errOut := runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31",
		"--format", "json", "--places", coveragePlaces(t))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Map []struct {
			Commune       string `json:"commune"`
			Places        int    `json:"places"`
			TrainedPlaces int    `json:"trained_places"`
		} `json:"map"`
		Coverage struct {
			TrainedPlaces int `json:"trained_places"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	places, trained := 0, 0
	communes := map[string]bool{}
	for _, p := range rep.Map {
		places += p.Places
		trained += p.TrainedPlaces
		communes[p.Commune] = true
	}
	// The three places of the file, not the 3,615 of the embedded directory.
	if places != 3 || !communes["12202"] || !communes["12145"] || !communes["46042"] {
		t.Errorf("map has %d places in %v, want the 3 of the file", places, communes)
	}
	if trained < 1 {
		t.Errorf("the trained place of the file is not on the map")
	}

	code, _, errOut = runCLI(t, "", "report", "--store", url, "--from", "2025-01-01", "--to", "2025-12-31",
		"--places", filepath.Join(t.TempDir(), "missing.json"))
	if code == exitOK || !strings.Contains(errOut, "missing.json") {
		t.Errorf("a missing places file: exit %d, stderr %q", code, errOut)
	}
}
