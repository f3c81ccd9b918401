package referral

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestSheetGolden(t *testing.T) {
	hostile := placeAt(t, "lieu-1", 2.4, func(p *mediation.Place) {
		p.Name = `<script>alert("x")</script> Espace & Cie`
		p.Phone = "+33545000000"
		p.Booking = `https://rdv.example.fr/?a=1&b="2"`
		p.Hours = "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00"
		p.Labels = []mediation.Label{mediation.LabelFormeMonEspaceSante}
	})
	outcomes := []Outcome{
		{Pathway: PathwayMediationPlace, Priority: 1, Rule: "beginner-mediation"},
		{Pathway: PathwaySelfGuide, Priority: 2, Rule: "guide"},
	}
	e := newTestEngine(t, outcomes, []mediation.Place{hostile}, nil)
	p, err := e.Refer(context.Background(), Request{Assessment: assessment.Result{Level: assessment.LevelBeginner}, Person: Person{Commune: testCommune}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Sheet(p, PathwayMediationPlace, "", SheetOptions{Reference: "R-7f3a", Name: "Camille", HasEmail: true, HasActivationCode: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Days) != 5 {
		t.Errorf("days open in the week = %d, want 5", len(s.Days))
	}
	guide, err := e.Sheet(p, PathwaySelfGuide, "", SheetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file   string
		sheet  Sheet
		lang   assessment.Lang
		html   bool
		has    []string
		hasNot []string
	}{
		{"sheet_fr.html", s, assessment.LangFR, true, []string{"Fiche d&#39;orientation", "Camille", "lundi 23 mars 2026", "09:00 – 12:00, 14:00 – 17:00", "carte Vitale", "code d&#39;activation", "&lt;script&gt;"}, []string{"<script>", `"2"`}},
		{"sheet_en.html", s, assessment.LangEN, true, []string{"Referral sheet", "Monday 23 March 2026", "What to bring"}, []string{"<script>"}},
		{"sheet_fr.txt", s, assessment.LangFR, false, []string{"== Où aller ==", "Téléphone : 05 45 00 00 00", "À environ 2,4 km du centre de votre commune (Angoulême)"}, nil},
		{"sheet_en.txt", s, assessment.LangEN, false, []string{"About 2.4 km from the centre of your commune (Angoulême)"}, nil},
		{"sheet_guide_fr.txt", guide, assessment.LangFR, false, []string{"Cette aide ne demande pas de vous déplacer."}, []string{"Camille", "Où aller"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			render := RenderSheetText
			if c.html {
				render = RenderSheetHTML
			}
			if err := render(&b, c.sheet, c.lang); err != nil {
				t.Fatal(err)
			}
			for _, h := range c.has {
				if !strings.Contains(b.String(), h) {
					t.Errorf("missing %q", h)
				}
			}
			for _, h := range c.hasNot {
				if strings.Contains(b.String(), h) {
					t.Errorf("must not contain %q", h)
				}
			}
			golden(t, c.file, b.Bytes())
		})
	}
	if _, err := e.Sheet(p, PathwayMediationPlace, "nowhere", SheetOptions{}); err == nil {
		t.Error("a place not proposed makes a sheet")
	}
}
