package territory

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func mustDefault(t testing.TB) *Reference {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDefaultCounts(t *testing.T) {
	r := mustDefault(t)
	if r.Len() != 34969 {
		t.Fatalf("Len = %d, want 34969 (COG 2025)", r.Len())
	}
	zones := map[string]int{}
	dens := map[DensityClass]int{}
	var prev string
	for c := range r.All() {
		if c.Code <= prev {
			t.Fatalf("All not sorted by code: %q after %q", c.Code, prev)
		}
		prev = c.Code
		zones[c.Zone]++
		dens[c.Density]++
		if c.Zone != "com" && !c.Density.Valid() {
			t.Errorf("commune %s (%s, %s) has no density class", c.Code, c.Name, c.Zone)
		}
		if c.Zone == "com" && c.Density != DensityUnknown {
			t.Errorf("COM commune %s has density %d, want unknown", c.Code, c.Density)
		}
		if _, ok := r.Departement(c.Departement); !ok {
			t.Errorf("commune %s: unknown département %q", c.Code, c.Departement)
		}
	}
	want := map[string]int{"metro": 34746, "drom": 129, "com": 94}
	for z, n := range want {
		if zones[z] != n {
			t.Errorf("zone %s: %d communes, want %d", z, zones[z], n)
		}
	}
	if dens[DensityUnknown] != 94 {
		t.Errorf("%d communes without density, want the 94 COM", dens[DensityUnknown])
	}
	if got := len(r.Communes()); got != r.Len() {
		t.Errorf("Communes() has %d, want %d", got, r.Len())
	}
	if got := len(r.Departements()); got != 109 {
		t.Errorf("Departements() has %d, want 109", got)
	}
}

func TestCommune(t *testing.T) {
	r := mustDefault(t)
	tests := []struct {
		code, name, dep, region, zone string
		density                       DensityClass
		population                    int
	}{
		{"12208", "Saint-Affrique", "12", "76", "metro", SmallTowns, 7941},
		// Merged on 1/1/2025: the COG counts the merged commune (geo.api
		// still says 2,225, Hesdin alone).
		{"62447", "Hesdin-la-Forêt", "62", "32", "metro", SmallTowns, 4480},
		{"75056", "Paris", "75", "11", "metro", LargeUrbanCentres, 0},
		{"2A004", "Ajaccio", "2A", "94", "metro", 0, 0},
		{"97411", "Saint-Denis", "974", "04", "drom", 0, 0},
		{"97502", "Saint-Pierre", "975", "975", "com", DensityUnknown, 0},
		// Code changed on 1/1/2025: density taken from the 2024 code 12076.
		{"12218", "Conques-en-Rouergue", "12", "76", "metro", 0, 0},
		// Restored on 1/1/2025 out of Neussargues en Pinatelle (class 7).
		{"15171", "Sainte-Anastasie", "15", "84", "metro", RuralVeryDispersed, 122},
	}
	for _, tt := range tests {
		c, ok := r.Commune(tt.code)
		if !ok {
			t.Errorf("Commune(%q) not found", tt.code)
			continue
		}
		if c.Name != tt.name || c.Departement != tt.dep || c.Region != tt.region || c.Zone != tt.zone {
			t.Errorf("Commune(%q) = %s %s %s %s, want %s %s %s %s", tt.code, c.Name, c.Departement, c.Region, c.Zone, tt.name, tt.dep, tt.region, tt.zone)
		}
		if tt.density != 0 && c.Density != tt.density {
			t.Errorf("Commune(%q).Density = %d, want %d", tt.code, c.Density, tt.density)
		}
		if tt.zone != "com" && !c.Density.Valid() {
			t.Errorf("Commune(%q) has no density", tt.code)
		}
		if tt.population != 0 && c.Population != tt.population {
			t.Errorf("Commune(%q).Population = %d, want %d", tt.code, c.Population, tt.population)
		}
	}
	for _, code := range []string{"", "00000", "12400", "2a004", "abcde"} {
		if _, ok := r.Commune(code); ok {
			t.Errorf("Commune(%q) found, want not found", code)
		}
	}
}

func TestByPostalCode(t *testing.T) {
	r := mustDefault(t)
	tests := []struct {
		cp    string
		first string // INSEE code of the most populous commune
		n     int    // number of communes, 0 = do not check
	}{
		{"12400", "12208", 9},
		{"75001", "75056", 1},
		{"75116", "75056", 1},
		{"69003", "69123", 1},
		{"13008", "13055", 1},
		{"16000", "16015", 1},
		{"20000", "2A004", 0},
		{"97410", "97416", 0},
	}
	for _, tt := range tests {
		got := r.ByPostalCode(tt.cp)
		if len(got) == 0 {
			t.Errorf("ByPostalCode(%q) is empty", tt.cp)
			continue
		}
		if got[0].Code != tt.first {
			t.Errorf("ByPostalCode(%q)[0] = %s %s, want %s", tt.cp, got[0].Code, got[0].Name, tt.first)
		}
		if tt.n != 0 && len(got) != tt.n {
			t.Errorf("ByPostalCode(%q) has %d communes, want %d", tt.cp, len(got), tt.n)
		}
		for i, c := range got {
			if !slices.Contains(c.PostalCodes, tt.cp) {
				t.Errorf("ByPostalCode(%q)[%d] = %s without that postal code", tt.cp, i, c.Code)
			}
			if i > 0 && got[i-1].Population < c.Population {
				t.Errorf("ByPostalCode(%q) not most populous first at %d", tt.cp, i)
			}
		}
	}
	for _, cp := range []string{"", "16017", "99999", "12208"} {
		if got := r.ByPostalCode(cp); len(got) != 0 {
			t.Errorf("ByPostalCode(%q) = %d communes, want none", cp, len(got))
		}
	}
}

func TestFind(t *testing.T) {
	r := mustDefault(t)
	tests := []struct {
		text  string
		first string  // INSEE code expected first
		min   float64 // minimum score of the first match
		also  string  // another code expected among the results, "" = none
	}{
		{"Saint-Affrique", "12208", 1, ""},
		{"St Affrique", "12208", 1, ""},
		{"saint affrique", "12208", 1, ""},
		{"ST-AFFRIQUE", "12208", 1, ""},
		{"Saint Afrique", "12208", 0.4, ""},
		{"Sanit-Affrique", "12208", 0.4, ""},
		{"Saint-Affrique 12400", "12208", 1, ""},
		{"12400 saint afrique", "12208", 0.4, ""},
		{"12400", "12208", 1, "12286"},
		{"12208", "12208", 1, ""},
		{"L'Isle-sur-la-Sorgue", "84054", 1, ""},
		{"Isle sur la Sorgue", "84054", 0.9, ""},
		{"l isle sur la sorge", "84054", 0.4, ""},
		{"Évry-Courcouronnes", "91228", 1, ""},
		{"evry courcouronnes", "91228", 1, ""},
		{"evry", "89162", 1, "91228"},
		{"Courcouronnes", "91228", 0.7, ""},
		{"75001", "75056", 1, ""},
		{"Paris 15e", "75056", 1, ""},
		{"Marseille 8e arrondissement", "13055", 1, ""},
		{"Lyon 69003", "69123", 1, ""},
		{"CHÂTEAUBERNARD", "16089", 1, "38090"},
		{"Chateau Bernard 16100", "16089", 0.9, ""},
		{"ANGOULEME CEDEX 9", "16015", 1, ""},
		{"saint denis", "97411", 1, "93066"}, // most populous of the 11 Saint-Denis first
		{"Saint-Denis 97400", "97411", 1, ""},
		{"Saint-Denis 93", "93066", 1, ""},
		{"saint denis seine saint denis", "93066", 1, ""},
		{"Saint-Denis La Réunion", "97411", 1, ""},
		{"saint denis aude", "11339", 1, ""},
		{"Saint-Affrique (12)", "12208", 1, ""},
		{"saint afrique aveyron", "12208", 0.4, ""},
		{"Lyon 3", "69123", 1, ""},
		{"Marseille 13", "13055", 1, ""},
		{"paris 2", "75056", 1, ""},
		{"ajaccio", "2A004", 1, ""},
		{"2A004", "2A004", 1, ""},
		{"75115", "75056", 1, ""}, // arrondissement code
		{"69388", "69123", 1, ""},
		{"le havre", "76351", 1, ""},
		{"havre", "76351", 0.9, ""},
		{"Saint-Étienne", "42218", 1, ""},
		{"Hesdin", "62447", 0.9, ""}, // former name, merged on 1/1/2025
		{"Oissel 76350", "76484", 0.9, ""},
		{"st etienne", "42218", 1, ""},
		{"saint etiene", "42218", 0.4, ""},
	}
	for _, tt := range tests {
		got := r.Find(tt.text, 10)
		if len(got) == 0 {
			t.Errorf("Find(%q) found nothing, want %s", tt.text, tt.first)
			continue
		}
		if got[0].Commune.Code != tt.first || got[0].Score < tt.min {
			t.Errorf("Find(%q)[0] = %s %s %.3f, want %s with score >= %.2f", tt.text, got[0].Commune.Code, got[0].Commune.Name, got[0].Score, tt.first, tt.min)
		}
		if tt.also != "" && !slices.ContainsFunc(got, func(m Match) bool { return m.Commune.Code == tt.also }) {
			t.Errorf("Find(%q) lacks %s", tt.text, tt.also)
		}
		checkMatches(t, tt.text, got, 10)
	}
	long := strings.Repeat("saint afrique 12400 ", 20)
	for _, text := range []string{"", "   ", "zzzzqqq", "-'-", "99999", "xq", long} {
		if got := r.Find(text, 10); len(got) != 0 {
			t.Errorf("Find(%q) = %s, want nothing", text, got[0].Commune.Name)
		}
	}
	if got := r.Find("saint", 0); len(got) != DefaultLimit {
		t.Errorf("Find(saint, 0) returned %d, want DefaultLimit", len(got))
	}
}

// checkMatches asserts the properties every Find result has.
func checkMatches(t *testing.T, text string, got []Match, limit int) {
	t.Helper()
	if len(got) > limit {
		t.Errorf("Find(%q) returned %d > limit %d", text, len(got), limit)
	}
	seen := map[string]bool{}
	for i, m := range got {
		if !(m.Score > 0 && m.Score <= 1) {
			t.Errorf("Find(%q)[%d] score %v out of (0, 1]", text, i, m.Score)
		}
		if i > 0 && got[i-1].Score < m.Score {
			t.Errorf("Find(%q) not sorted by score at %d", text, i)
		}
		if seen[m.Commune.Code] {
			t.Errorf("Find(%q) returns %s twice", text, m.Commune.Code)
		}
		seen[m.Commune.Code] = true
	}
}

func TestResolve(t *testing.T) {
	r := mustDefault(t)
	tests := []struct {
		cp, name string
		want     string // "" = must refuse
	}{
		{"12400", "ST AFFRIQUE", "12208"},
		{"12400", "Saint-Affrique", "12208"},
		{"12400", "SAINT AFRIQUE", "12208"},
		{"16100", "CHÂTEAUBERNARD", "16089"},
		{"16100", "CHATEAU BERNARD", "16089"},
		{"84800", "ISLE SUR LA SORGUE", "84054"},
		{"75015", "PARIS 15E ARRONDISSEMENT", "75056"},
		{"13008", "Marseille", "13055"},
		{"16000", "", "16015"},                // one commune for the code
		{"16017", "ANGOULEME CEDEX", "16015"}, // CEDEX: name within the département
		{"20090", "AJACCIO", "2A004"},
		{"12400", "", ""},            // 9 communes share it
		{"12400", "Millau", "12145"}, // wrong postal code, exact name unique in the département
		{"62340", "Ardres", "62038"}, // France Services file: not bent into Andres (62340)
		{"12400", "Angoulême", ""},   // exact name, but in another département
		{"62140", "Hesdin", "62447"}, // merged into Hesdin-la-Forêt on 1/1/2025
		{"71500", "LOUHANS", "71263"},
		// Real rows of the mediation-place exports (Hinaura, Charente).
		{"69600", "Oullins", "69149"},         // Oullins-Pierre-Bénite since 2024
		{"69310", "PIERRE BENITE", "69149"},   // idem
		{"16120", "MOSNAC", "16233"},          // Mosnac-Saint-Simeux; a Mosnac exists in 17
		{"43800", "Vorey sur Arzon", "43267"}, // the commune is Vorey
		{"74400", "Chamonix", "74056"},        // Chamonix-Mont-Blanc
		{"74600", "Seynod", ""},               // merged into Annecy: not in its name
		{"12400", "saint", ""},                // several Saint-… share 12400
		{"99999", "Saint-Affrique", ""},
		{"", "Saint-Denis", ""},
		{"12400", "zzzz", ""},
		{"12400", strings.Repeat("saint affrique ", 20), ""}, // longer than any name
	}
	for _, tt := range tests {
		c, ok := r.Resolve(tt.cp, tt.name)
		switch {
		case tt.want == "" && ok:
			t.Errorf("Resolve(%q, %q) = %s %s, want refusal", tt.cp, tt.name, c.Code, c.Name)
		case tt.want != "" && (!ok || c.Code != tt.want):
			t.Errorf("Resolve(%q, %q) = %s %v, want %s", tt.cp, tt.name, c.Code, ok, tt.want)
		}
	}
}

func TestDepartementAndRegion(t *testing.T) {
	r := mustDefault(t)
	d, ok := r.Departement("12")
	if !ok || d.Name != "Aveyron" || d.Region != "76" {
		t.Fatalf("Departement(12) = %+v, %v", d, ok)
	}
	// insee_estim_pop_dep_age_2023.csv: 12,Aveyron,...,60413,40621,279504
	if d.Population != 279504 || d.Population60Plus != 60413+40621 {
		t.Errorf("Departement(12) population %d / %d", d.Population, d.Population60Plus)
	}
	if want := float64(60413+40621) / 279504; math.Abs(d.Share60Plus-want) > 1e-12 {
		t.Errorf("Departement(12).Share60Plus = %v, want %v", d.Share60Plus, want)
	}
	if d, _ := r.Departement("976"); d.Share60Plus <= 0 || d.Share60Plus > 0.1 {
		t.Errorf("Mayotte share 60+ = %v, want a small positive share", d.Share60Plus)
	}
	if d, ok := r.Departement("987"); !ok || d.Share60Plus != 0 || d.Name != "Polynésie française" {
		t.Errorf("Departement(987) = %+v, want known with unknown share", d)
	}
	g, ok := r.Region("76")
	if !ok || g.Name != "Occitanie" {
		t.Errorf("Region(76) = %+v, %v", g, ok)
	}
	if _, ok := r.Region("99"); ok {
		t.Error("Region(99) found")
	}
	if _, ok := r.Departement("20"); ok {
		t.Error("Departement(20) found; Corsica is 2A and 2B")
	}
}

func TestCityOfArrondissement(t *testing.T) {
	for in, want := range map[string]string{
		"75101": "75056", "75120": "75056", "75121": "75121", "75100": "75100",
		"69381": "69123", "69389": "69123", "69390": "69390",
		"13201": "13055", "13216": "13055", "13217": "13217",
		"12208": "12208", "2A004": "2A004", "": "", "7510": "7510",
	} {
		if got := CityOfArrondissement(in); got != want {
			t.Errorf("CityOfArrondissement(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	oneDegree := EarthRadiusKm * math.Pi / 180
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 43.9571, 2.8533, 43.9571, 2.8533, 0},
		{"one degree of equator", 0, 0, 0, 1, oneDegree},
		{"one degree of meridian", 45, 3, 46, 3, oneDegree},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm},
		{"poles", 90, 0, -90, 0, math.Pi * EarthRadiusKm},
		{"across the antimeridian", 0, 179.5, 0, -179.5, oneDegree},
	}
	for _, tt := range tests {
		got := Distance(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
		if math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("%s: Distance = %.9f, want %.9f", tt.name, got, tt.want)
		}
		if back := Distance(tt.lat2, tt.lon2, tt.lat1, tt.lon1); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %v vs %v", tt.name, got, back)
		}
	}
	// Paris to Marseille city halls, about 661 km as the crow flies.
	if d := Distance(48.8566, 2.3522, 43.2965, 5.3698); d < 655 || d > 665 {
		t.Errorf("Paris–Marseille = %.1f km", d)
	}
}

func bruteNearest(r *Reference, lat, lon float64) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i, c := range r.communes {
		if d := Distance(lat, lon, c.Lat, c.Lon); d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}

func TestNearestMatchesBruteForce(t *testing.T) {
	r := mustDefault(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var points [][2]float64
	// Every centroid must find itself.
	stride, random := 331, 150
	if raceEnabled {
		stride, random = 3001, 30
	}
	for i := 0; i < r.Len(); i += stride {
		points = append(points, [2]float64{r.communes[i].Lat, r.communes[i].Lon})
	}
	// Random points over metropolitan France, the DROM and anywhere.
	for range random {
		points = append(points, [2]float64{41 + 10*rng.Float64(), -5.5 + 15*rng.Float64()})
	}
	for range random / 2 {
		points = append(points, [2]float64{-90 + 180*rng.Float64(), -180 + 360*rng.Float64()})
	}
	points = append(points, [2]float64{-21.1, 55.5}, [2]float64{4.9, -52.3}, [2]float64{90, 0}, [2]float64{-90, 0}, [2]float64{0, 180})
	for _, p := range points {
		c, d := r.Nearest(p[0], p[1])
		_, bd := bruteNearest(r, p[0], p[1])
		if math.Abs(d-bd) > 1e-9 {
			t.Fatalf("Nearest(%v, %v) = %s at %.6f km, brute force finds %.6f km", p[0], p[1], c.Code, d, bd)
		}
		if got := Distance(p[0], p[1], c.Lat, c.Lon); math.Abs(got-d) > 1e-9 {
			t.Fatalf("Nearest(%v, %v) distance %v does not match its commune (%v)", p[0], p[1], d, got)
		}
	}
	c, d := r.Nearest(43.9571, 2.8533)
	if c.Code != "12208" || d != 0 {
		t.Errorf("Nearest(Saint-Affrique centroid) = %s %v", c.Code, d)
	}
	if _, d := r.Nearest(math.NaN(), 2); !math.IsInf(d, 1) {
		t.Errorf("Nearest(NaN) distance = %v, want +Inf", d)
	}
}

func TestDensityClass(t *testing.T) {
	tests := []struct {
		d       DensityClass
		fr, en  string
		group   DensityGroup
		groupFr string
	}{
		{0, "Inconnue", "Unknown", "", "inconnu"},
		{1, "Grands centres urbains", "Large urban centres", Dense, "dense"},
		{2, "Centres urbains intermédiaires", "Intermediate urban centres", Intermediate, "intermédiaire"},
		{3, "Petites villes", "Small towns", Intermediate, "intermédiaire"},
		{4, "Ceintures urbaines", "Urban belts", Intermediate, "intermédiaire"},
		{5, "Bourgs ruraux", "Rural towns", LowDensity, "peu dense"},
		{6, "Rural à habitat dispersé", "Rural, dispersed housing", LowDensity, "peu dense"},
		{7, "Rural à habitat très dispersé", "Rural, very dispersed housing", VeryLowDensity, "très peu dense"},
		{8, "Inconnue", "Unknown", "", "inconnu"},
		{-1, "Inconnue", "Unknown", "", "inconnu"},
	}
	for _, tt := range tests {
		if got := tt.d.Label("fr"); got != tt.fr {
			t.Errorf("%d.Label(fr) = %q, want %q", tt.d, got, tt.fr)
		}
		if got := tt.d.Label("en"); got != tt.en {
			t.Errorf("%d.Label(en) = %q, want %q", tt.d, got, tt.en)
		}
		if got := tt.d.Group(); got != tt.group {
			t.Errorf("%d.Group() = %q, want %q", tt.d, got, tt.group)
		}
		if got := tt.d.Group().Label("fr"); got != tt.groupFr {
			t.Errorf("%d.Group().Label(fr) = %q, want %q", tt.d, got, tt.groupFr)
		}
	}
}

// memSource is a Source built in the test.
type memSource struct {
	communes []Commune
	deps     []Departement
	regions  []Region
	err      error
}

func (m memSource) Communes(context.Context) ([]Commune, error)         { return m.communes, m.err }
func (m memSource) Departements(context.Context) ([]Departement, error) { return m.deps, nil }
func (m memSource) Regions(context.Context) ([]Region, error)           { return m.regions, nil }

func TestLoadCustomSource(t *testing.T) {
	src := memSource{
		regions: []Region{{Code: "76", Name: "Occitanie"}},
		deps:    []Departement{{Code: "12", Name: "Aveyron", Region: "76", Population: 100, Population60Plus: 40}},
		communes: []Commune{
			{Code: "12202", Name: "Rodez", PostalCodes: []string{"12000"}, Departement: "12", Region: "76", Lat: 44.3506, Lon: 2.5750, Population: 24000, Density: 2,
				Indicators: map[string]float64{"fragilite_numerique": 0.4}},
			{Code: "12208", Name: "Saint-Affrique", PostalCodes: []string{"12400"}, Departement: "12", Region: "76", Lat: 43.9571, Lon: 2.8533, Population: 7924, Density: 3},
		},
	}
	r, err := Load(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Find("rodes", 5); len(got) != 1 || got[0].Commune.Code != "12202" || got[0].Commune.Indicators["fragilite_numerique"] != 0.4 {
		t.Errorf("Find(rodes) = %+v", got)
	}
	if d, _ := r.Departement("12"); d.Share60Plus != 0.4 {
		t.Errorf("Share60Plus = %v, want 0.4 computed from the counts", d.Share60Plus)
	}
	if c, _ := r.Nearest(44, 2.9); c.Code != "12208" {
		t.Errorf("Nearest = %s", c.Code)
	}
}

func TestLoadRejectsBadSource(t *testing.T) {
	good := func() memSource {
		return memSource{
			regions:  []Region{{Code: "76", Name: "Occitanie"}},
			deps:     []Departement{{Code: "12", Name: "Aveyron", Region: "76"}},
			communes: []Commune{{Code: "12208", Name: "Saint-Affrique", Departement: "12", Region: "76", Lat: 43.9, Lon: 2.8}},
		}
	}
	tests := []struct {
		name   string
		change func(*memSource)
		want   string // must appear in the error
	}{
		{"duplicate commune", func(m *memSource) { m.communes = append(m.communes, m.communes[0]) }, `commune "12208": duplicate code`},
		{"empty code", func(m *memSource) { m.communes[0].Code = "" }, "empty code"},
		{"empty name", func(m *memSource) { m.communes[0].Name = "" }, `commune "12208": field nom`},
		{"latitude", func(m *memSource) { m.communes[0].Lat = 91 }, `commune "12208": field lat`},
		{"longitude NaN", func(m *memSource) { m.communes[0].Lon = math.NaN() }, `commune "12208": field lon`},
		{"density", func(m *memSource) { m.communes[0].Density = 9 }, "field densite"},
		{"population", func(m *memSource) { m.communes[0].Population = -1 }, "field population"},
		{"unknown departement", func(m *memSource) { m.communes[0].Departement = "99" }, `unknown departement "99"`},
		{"unknown region", func(m *memSource) { m.communes[0].Region = "99" }, `unknown region "99"`},
		{"departement region", func(m *memSource) { m.deps[0].Region = "11" }, `departement "12": field region`},
		{"60+ above total", func(m *memSource) { m.deps[0].Population, m.deps[0].Population60Plus = 10, 11 }, "population_60_plus"},
		{"duplicate region", func(m *memSource) { m.regions = append(m.regions, m.regions[0]) }, `region "76": duplicate`},
	}
	for _, tt := range tests {
		m := good()
		tt.change(&m)
		_, err := Load(context.Background(), m)
		if !errors.Is(err, ErrInvalidReference) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrInvalidReference mentioning %q", tt.name, err, tt.want)
		}
	}
	m := good()
	m.err = errors.New("plugin down")
	if _, err := Load(context.Background(), m); err == nil || !strings.Contains(err.Error(), "plugin down") {
		t.Errorf("source error not passed on: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, good()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled load: err = %v", err)
	}
}

// TestConcurrentFirstUse builds the lazy indexes from several goroutines at
// once: run with -race.
func TestConcurrentFirstUse(t *testing.T) {
	r, err := Load(context.Background(), Embedded())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 8)
	for g := range 8 {
		go func() {
			var got string
			switch g % 3 {
			case 0:
				if m := r.Find("saint afrique", 1); len(m) == 1 {
					got = m[0].Commune.Code
				}
			case 1:
				c, _ := r.Nearest(43.9571, 2.8533)
				got = c.Code
			case 2:
				c, _ := r.Resolve("12400", "ST AFFRIQUE")
				got = c.Code
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != "12208" {
			t.Errorf("concurrent lookup = %q, want 12208", got)
		}
	}
}
