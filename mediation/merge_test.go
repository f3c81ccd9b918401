package mediation_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	m "github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/franceservices"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/territory"
)

func TestMergeRealOverlap(t *testing.T) {
	ref, err := territory.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := m.TerritoryCommunes(ref)
	f, err := os.Open("lamednum/testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	charente, _, err := lamednum.Decode(context.Background(), f, lamednum.Options{File: "charente", Communes: c})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.Open("franceservices/testdata/france-services-2024-08-01.csv")
	if err != nil {
		t.Fatal(err)
	}
	fs, _, err := franceservices.Decode(context.Background(), g, franceservices.Options{File: "2024-08-01", Communes: c})
	g.Close()
	if err != nil {
		t.Fatal(err)
	}
	var fs16 []m.Place
	for _, p := range fs {
		if p.PostalCode[:2] == "16" {
			fs16 = append(fs16, p)
		}
	}
	merged, rep := m.Merge(charente, fs16)
	folded := 0
	for _, g := range rep.Groups {
		folded += len(g.Members) - 1
	}
	if rep.Input != len(charente)+len(fs16) || rep.Output != len(merged) || rep.Input-rep.Output != folded {
		t.Fatalf("report %+v", rep)
	}
	// Counts depend on how many INSEE codes the commune reference derives
	// (it improves); the invariants below do not.
	t.Logf("188 + %d → %d places, %d groups", len(fs16), len(merged), len(rep.Groups))
	if len(fs16) != 35 || len(rep.Groups) < 28 {
		t.Fatalf("%d France Services sites in Charente, %d groups; want 35, >= 28", len(fs16), len(rep.Groups))
	}
	for _, g := range rep.Groups {
		if len(g.Members) != 2 {
			t.Errorf("group %v: a place of two feeds has two records", g)
		}
		n := 0
		for _, mem := range g.Members {
			if strings.HasPrefix(mem, "france-services:france-services-") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("group %v holds %d France Services sites, want 1", g, n)
		}
	}
	// The Charente feed names the France Services site it copied in its
	// ids ("mediation-numerique-france-services-2158-..."): every such
	// record must be merged with that very site.
	group := map[string]string{}
	for _, g := range rep.Groups {
		for _, mem := range g.Members {
			group[mem] = g.ID
		}
	}
	checked := 0
	for _, p := range charente {
		var n int
		if _, err := fmt.Sscanf(p.ID, "mediation-numerique-france-services-%d-", &n); err != nil {
			continue
		}
		checked++
		if want := fmt.Sprintf("france-services-%d", n); group[p.Source+":"+p.ID] != want {
			t.Errorf("%s merged into %q, want %s", p.ID, group[p.Source+":"+p.ID], want)
		}
	}
	if checked != 17 {
		t.Errorf("%d Charente records carry a France Services id, want 17", checked)
	}
}

func TestMergeRules(t *testing.T) {
	base := func(src, id, name, addr string, lat, lon float64, date string) m.Place {
		return m.Place{ID: id, Source: src, Name: name, Address: addr, Commune: "Jarnac", PostalCode: "16200",
			INSEECode: "16167", Latitude: lat, Longitude: lon, UpdatedAt: date, Pivot: m.PivotPlaceholder}
	}
	a := base("lmn", "a", "France Service Jarnac", "16 Rue de Dogliani", 45.6800, -0.1750, "2023-01-01")
	a.Services = []m.Service{m.ServiceEverydayTools}
	b := base("fs", "b", "France services Jarnac", "16 Rue Dogliani", 45.6801, -0.1751, "2024-08-01")
	b.Services = []m.Service{m.ServiceAdministrativeProcedures}
	b.Phone = "+33545000000"
	c := base("fs", "c", "Médiathèque de Jarnac", "1 rue du Port", 45.6900, -0.1700, "2024-08-01")
	d := base("lmn", "d", "Mairie", "2 place de la Mairie", 45.6950, -0.1600, "2022-01-01")
	d.Pivot = "21160167000011"
	e := base("fs", "e", "Accueil de la commune", "3 autre rue", 45.6960, -0.1610, "2022-01-01")
	e.Pivot = "21160167000011"
	merged, rep := m.Merge([]m.Place{a, d}, []m.Place{b, c, e})
	if len(merged) != 3 || len(rep.Groups) != 2 {
		t.Fatalf("merged %d, groups %+v", len(merged), rep.Groups)
	}
	p := merged[0]
	if p.ID != "b" || !slices.Equal(p.Services, []m.Service{m.ServiceAdministrativeProcedures, m.ServiceEverydayTools}) ||
		p.Phone != "+33545000000" || len(p.Provenance) != 2 || !p.HasFlag(m.FlagMerged) {
		t.Errorf("merged place: %+v", p)
	}
	if !slices.Equal(rep.Groups[0].Rules, []string{m.RuleNearName, m.RuleSameAddress}) && !slices.Equal(rep.Groups[0].Rules, []string{m.RuleNearName}) {
		t.Errorf("rules %v", rep.Groups[0].Rules)
	}
	if !slices.Equal(rep.Groups[1].Rules, []string{m.RuleSamePivot}) {
		t.Errorf("pivot group %+v", rep.Groups[1])
	}
	// Same feed: never merged.
	if out, r := m.Merge([]m.Place{a, b}); len(out) != 2 || len(r.Groups) != 0 {
		t.Errorf("records of one feed merged: %+v", r)
	}
}
