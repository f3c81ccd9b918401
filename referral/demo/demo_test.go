package demo

import (
	"context"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
)

func TestPlaces(t *testing.T) {
	ps, err := Places()
	if err != nil {
		t.Fatal(err)
	}
	var fs, charente, aura int
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.ID] {
			t.Errorf("duplicate id %s", p.ID)
		}
		seen[p.ID] = true
		if p.HasProgram(mediation.ProgramFranceServices) {
			fs++
		}
		switch {
		case len(p.INSEECode) == 5 && p.INSEECode[:2] == "16":
			charente++
		case len(p.INSEECode) == 5 && (p.INSEECode[:2] == "69" || p.INSEECode[:2] == "38" || p.INSEECode[:2] == "63"):
			aura++
		}
	}
	// 188 + 687 + 2845 records, 105 merged groups: 3615 places.
	if len(ps) != 3615 || fs < 2800 || charente < 150 || aura < 200 {
		t.Errorf("places = %d, France Services %d, Charente %d, Rhône/Isère/Puy-de-Dôme %d", len(ps), fs, charente, aura)
	}
}

func TestDirectory(t *testing.T) {
	ix, err := Directory(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Angoulême's centre.
	rs, err := ix.Nearby(context.Background(), mediation.Query{Lat: 45.6484, Lon: 0.1562, K: 3, MaxKm: 10})
	if err != nil || len(rs) != 3 {
		t.Fatalf("nearby = %d, %v", len(rs), err)
	}
	if rs[0].DistanceKm > 2 {
		t.Errorf("nearest place to Angoulême's centre is %.1f km away", rs[0].DistanceKm)
	}
}
