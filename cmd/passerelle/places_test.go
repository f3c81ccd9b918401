package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
)

const (
	charenteFile = "../../mediation/lamednum/testdata/lmn-v1-charente-2023-07-11.json"
	hinauraFile  = "../../mediation/lamednum/testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json"
	fsFile       = "../../mediation/franceservices/testdata/france-services-2024-08-01.csv"
	badRowsFile  = "../../mediation/lamednum/testdata/bad-rows.csv"
)

func TestPlacesImport(t *testing.T) {
	dir := t.TempDir()
	out, rep := filepath.Join(dir, "places.json"), filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "", "places", "import", charenteFile, fsFile, "--out", out, "--report", rep)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "(lamednum-mixed-json): 1 accepted, 187 repaired, 0 rejected") ||
		!strings.Contains(stderr, "(france-services-csv): 2777 accepted, 68 repaired, 0 rejected") {
		t.Errorf("summary: %q", stderr)
	}
	var r importReport
	readJSON(t, rep, &r)
	if len(r.Files) != 2 || r.Accepted+r.Repaired+r.Rejected != 188+2845 || r.Rejected != 0 {
		t.Fatalf("report totals %d/%d/%d over %d files", r.Accepted, r.Repaired, r.Rejected, len(r.Files))
	}
	if r.Files[0].Format != "lamednum-mixed-json" || r.Files[1].Format != "france-services-csv" || len(r.Files[1].Rows) != 2845 {
		t.Errorf("file reports: %s / %s", r.Files[0], r.Files[1])
	}
	if r.Merge == nil || len(r.Merge.Groups) < 20 || r.Places != r.Merge.Output {
		t.Fatalf("merge: %+v", r.Merge)
	}
	var pf placesFile
	readJSON(t, out, &pf)
	if len(pf.Places) != r.Places {
		t.Fatalf("%d places written, report says %d", len(pf.Places), r.Places)
	}
	merged := 0
	for _, p := range pf.Places {
		if p.HasFlag(mediation.FlagMerged) {
			merged++
			if len(p.Provenance) < 2 {
				t.Errorf("merged place %s lost provenance: %+v", p.ID, p.Provenance)
			}
		}
	}
	if merged != len(r.Merge.Groups) {
		t.Errorf("%d merged places, %d groups", merged, len(r.Merge.Groups))
	}

	// The written places.json reads back through --places with nothing lost.
	code, stdout, stderr = runCLI(t, "", "places", "export", "--places", out, "--format", "lamednum-csv")
	if code != 0 || strings.Count(stdout, "\n") < r.Places+1 || !strings.HasPrefix(stdout, "id,pivot,nom,commune,") {
		t.Fatalf("export: exit %d, %d lines, stderr %q", code, strings.Count(stdout, "\n"), stderr)
	}
}

func TestPlacesImportErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "", "places", "import", "does-not-exist.json")
	if code != 1 || !strings.Contains(stderr, "does-not-exist.json") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
	// One unreadable file among good ones: reported, not fatal.
	code, stdout, stderr := runCLI(t, "", "places", "import", charenteFile, "../../mediation/lamednum/testdata/bad-object.json")
	if code != 0 || !strings.Contains(stderr, "bad-object.json") || !strings.Contains(stdout, `"places"`) {
		t.Errorf("one bad file: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "places", "import")
	if code != 2 || !strings.Contains(stderr, "FILE") {
		t.Errorf("no file: exit %d, %q", code, stderr)
	}
	code, _, _ = runCLI(t, "", "places", "import", charenteFile, "--format", "xml")
	if code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
	// Bad rows are in the report, named by file, row and field.
	code, stdout, _ = runCLI(t, "", "places", "import", badRowsFile, "--report", "-", "--no-repair", "--out", filepath.Join(t.TempDir(), "p.json"))
	var r importReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || code != 0 {
		t.Fatalf("bad rows: exit %d, %v", code, err)
	}
	if r.Accepted != 1 || r.Repaired != 2 || r.Rejected != 4 || r.Files[0].Rows[1].Reasons[0].Field != "nom" || r.Files[0].Source != badRowsFile {
		t.Errorf("bad rows report: %+v", r.Files[0])
	}
}

func TestPlacesImportStdin(t *testing.T) {
	data, err := os.ReadFile(charenteFile)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, string(data), "places", "import", "-", "--no-repair")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var pf placesFile
	if err := json.Unmarshal([]byte(stdout), &pf); err != nil || len(pf.Places) != 188 {
		t.Fatalf("%d places, %v", len(pf.Places), err)
	}
	if !strings.Contains(stderr, "<stdin> (lamednum-mixed-json): 2 accepted, 186 repaired, 0 rejected") {
		t.Errorf("summary %q", stderr)
	}
}

func TestPlacesValidate(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "places", "validate", badRowsFile)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		badRowsFile + ":2 r2 nom: is required",
		badRowsFile + ":5 r5 date_maj:",
		badRowsFile + ":6 r1 id:",
		badRowsFile + ":7 line 8:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("missing %q in:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "break the standard v1") {
		t.Errorf("stderr %q", stderr)
	}
	_, stdout, _ = runCLI(t, "", "places", "validate", badRowsFile, "--lang", "fr")
	if !strings.Contains(stdout, badRowsFile+":2 r2 nom: est obligatoire") || !strings.Contains(stdout, "n'est pas une date AAAA-MM-JJ") {
		t.Errorf("French messages missing:\n%s", stdout)
	}

	// A legacy file breaks v1 on every row.
	code, stdout, _ = runCLI(t, "", "places", "validate", hinauraFile)
	if code != 1 || strings.Count(stdout, "\n") < 687 {
		t.Errorf("v0.1 file: exit %d, %d lines", code, strings.Count(stdout, "\n"))
	}

	// An export of imported places meets the standard.
	dir := t.TempDir()
	pj, csvPath := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.csv")
	if code, _, stderr := runCLI(t, "", "places", "import", hinauraFile, "--out", pj); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "", "places", "export", "--places", pj, "--out", csvPath); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	code, stdout, stderr = runCLI(t, "", "places", "validate", csvPath)
	if code != 0 || !strings.Contains(stdout, "687 rows, 687 places, all meet the standard v1") {
		t.Errorf("exported CSV: exit %d, %q %q", code, stdout, stderr)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

func TestPlacesHSDSAndDataInclusion(t *testing.T) {
	dir := t.TempDir()
	hs := filepath.Join(dir, "hsds.json")
	code, _, stderr := runCLI(t, "", "places", "export", "--places", charenteFile, "--format", "hsds-json", "--out", hs)
	if code != 0 {
		t.Fatalf("export hsds: %s", stderr)
	}
	// The HSDS file is detected and reads back as the same 188 places.
	code, stdout, stderr := runCLI(t, "", "places", "import", hs, "--no-repair")
	var pf placesFile
	if code != 0 || json.Unmarshal([]byte(stdout), &pf) != nil || len(pf.Places) != 188 || !strings.Contains(stderr, "(hsds-json)") {
		t.Fatalf("import hsds: exit %d, %d places, %s", code, len(pf.Places), stderr)
	}
	code, _, stderr = runCLI(t, "", "places", "import", "../../mediation/datainclusion/testdata/bundle.json", "--no-repair", "--out", filepath.Join(dir, "di.json"))
	if code != 0 || !strings.Contains(stderr, "(datainclusion-json): 0 accepted, 2 repaired, 3 rejected") {
		t.Fatalf("import data·inclusion: exit %d, %s", code, stderr)
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct{ head, want string }{
		{`{"places": []}`, formatPlaces},
		{`[{"id": "1", "nom": "x", "pivot": "0"}]`, formatLamednum},
		{"id,nom,commune\n", formatLamednum},
		{`"id_fs","insee_dep","lib_fs"` + "\n", formatFranceServices},
		{`{"structures": [], "services": []}`, formatDataInclusion},
		{`{"total_items": 0, "contents": []}`, formatHSDS},
	}
	for _, tt := range tests {
		if got := detectFormat([]byte(tt.head)); got != tt.want {
			t.Errorf("detectFormat(%q) = %s, want %s", tt.head, got, tt.want)
		}
	}
}

// A places.json written by import validates clean even though its places
// carry repair flags from that import.
func TestPlacesValidatePlacesFile(t *testing.T) {
	pj := filepath.Join(t.TempDir(), "p.json")
	if code, _, stderr := runCLI(t, "", "places", "import", charenteFile, "--out", pj); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	code, stdout, stderr := runCLI(t, "", "places", "validate", pj)
	if code != 0 || !strings.Contains(stdout, "188 rows, 188 places, all meet the standard v1") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
}
