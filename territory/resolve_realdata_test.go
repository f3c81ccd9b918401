package territory

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// TestResolveFranceServices resolves the postal code and commune name of
// the 2,845 France Services sites (August 2024) and compares with the INSEE
// code the file gives. A wrong answer is a defect; a refusal is allowed
// (the file has wrong postal codes, and communes merged on 1/1/2025) but
// counted, so a regression in recall fails too.
func TestResolveFranceServices(t *testing.T) {
	r := mustDefault(t)
	f, err := os.Open("testdata/france_services_communes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var right, refused, stale int
	for n, row := range rows[1:] {
		want, cp, name := CityOfArrondissement(row[0]), row[1], row[2]
		if _, current := r.Commune(want); !current {
			stale++ // merged or renumbered since 2024: no right answer to check
			continue
		}
		c, ok := r.Resolve(cp, name)
		switch {
		case !ok:
			refused++
			t.Logf("row %d: Resolve(%q, %q) refused; file says %s", n+2, cp, name, want)
		case c.Code != want:
			t.Errorf("row %d: Resolve(%q, %q) = %s %s, file says %s", n+2, cp, name, c.Code, c.Name, want)
		default:
			right++
		}
	}
	t.Logf("%d right, %d refused, %d with a 2024 code that no longer exists", right, refused, stale)
	if len(rows)-1 != 2845 {
		t.Errorf("fixture has %d rows, want 2845", len(rows)-1)
	}
	if refused > 2 {
		t.Errorf("%d refusals, want at most 2", refused)
	}
}

// TestResolveMediationPlaces resolves the postal code and commune of the
// 875 places of two real exports of mediation places (which carry no INSEE
// code) and checks the answer against each place's own coordinates: the
// commune found must lie near the place. Two places carry coordinates far
// from their commune in the source (a Cognac place at 52 km, an Annecy
// place at 135 km); refusals are the communes merged before 2025 into a
// commune whose name does not contain theirs (Seynod, Meythet,
// Cran-Gevrier, Annecy-le-Vieux and Pringy into Annecy, ...).
func TestResolveMediationPlaces(t *testing.T) {
	r := mustDefault(t)
	f, err := os.Open("testdata/lmn_communes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var resolved, refused, far int
	for n, row := range rows[1:] {
		cp, name := row[1], row[2]
		c, ok := r.Resolve(cp, name)
		if !ok {
			refused++
			t.Logf("row %d: Resolve(%q, %q) refused", n+2, cp, name)
			continue
		}
		resolved++
		lat, errLat := strconv.ParseFloat(row[3], 64)
		lon, errLon := strconv.ParseFloat(row[4], 64)
		if errLat != nil || errLon != nil {
			continue
		}
		if d := Distance(lat, lon, c.Lat, c.Lon); d > 20 {
			far++
			t.Logf("row %d: Resolve(%q, %q) = %s %s, %.0f km from the place", n+2, cp, name, c.Code, c.Name, d)
		}
	}
	t.Logf("%d resolved, %d refused, %d far from the place", resolved, refused, far)
	if len(rows)-1 != 875 {
		t.Errorf("fixture has %d rows, want 875", len(rows)-1)
	}
	if far > 2 {
		t.Errorf("%d communes more than 20 km from their place, want at most the 2 known", far)
	}
	if refused > 16 {
		t.Errorf("%d refusals, want at most the 16 known", refused)
	}
}
