package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEmbedPrintsSheet builds the example as a user would and checks that
// what it prints is a whole orientation sheet for a caller of Cognac.
func TestEmbedPrintsSheet(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the example (put it on PATH): %v", err)
	}
	bin := filepath.Join(t.TempDir(), "embed")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running the example: %v\nstderr: %s", err, stderr.String())
	}
	sheet := string(out)
	for _, part := range []string{
		"Fiche d'orientation\n",
		"Référence : R-0001\n",
		"== Lieu de médiation numérique ==\n", // a beginner goes to a mediation place
		"== Où aller ==\n",
		"\nAdresse : ",
		"16100 COGNAC",
		"== Comment y aller ==\n",
		"du centre de votre commune (Cognac)",
		"== À apporter ==\n",
		"- Votre carte Vitale",
		"Appelez le 3422",
	} {
		if !strings.Contains(sheet, part) {
			t.Errorf("the sheet lacks %q:\n%s", part, sheet)
		}
	}
	if !regexp.MustCompile(`À environ \d+,\d km`).MatchString(sheet) {
		t.Errorf("the sheet gives no distance in French form (À environ N,N km):\n%s", sheet)
	}
	if stderr.Len() != 0 {
		t.Errorf("the example wrote to stderr: %s", stderr.String())
	}
}

// TestEmbedIsSmall keeps the promise of the README: the smallest embedding
// stays under 60 lines, imports included.
func TestEmbedIsSmall(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), "\n"); n >= 60 {
		t.Errorf("examples/embed/main.go has %d lines; the smallest embedding must stay under 60", n)
	}
}
