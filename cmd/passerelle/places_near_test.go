package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// nearFixture: four places around Angoulême (16015) and one in Saint-Denis
// de La Réunion, in the places.json format "places import" writes.
const nearFixture = `{"places": [
 {"id": "gare", "pivot": "21160015100019", "nom": "Médiathèque de la gare", "commune": "Angoulême",
  "code_postal": "16000", "adresse": "1 place de la Gare", "latitude": 45.6530, "longitude": 0.1650,
  "services": ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"],
  "frais_a_charge": ["Gratuit"], "horaires": "24/7", "date_maj": "2024-01-10",
  "telephone": "+33545000000", "courriels": ["accueil@example.org"]},
 {"id": "centre", "pivot": "21160015100020", "nom": "Espace numérique du centre", "commune": "Angoulême",
  "code_postal": "16000", "adresse": "2 rue de Périgueux", "latitude": 45.6480, "longitude": 0.1560,
  "services": ["Maîtrise des outils numériques du quotidien"],
  "frais_a_charge": ["Payant"], "date_maj": "2024-01-10"},
 {"id": "mes", "pivot": "21160015100021", "nom": "Maison France Services", "commune": "Soyaux",
  "code_postal": "16800", "adresse": "3 avenue du Général de Gaulle", "latitude": 45.6410, "longitude": 0.2010,
  "services": ["Aide aux démarches administratives"], "formations_labels": ["Formé à « Mon Espace Santé »"],
  "frais_a_charge": ["Gratuit"], "date_maj": "2024-01-10"},
 {"id": "cognac", "pivot": "21160102100010", "nom": "Tiers-lieu de Cognac", "commune": "Cognac",
  "code_postal": "16100", "adresse": "4 quai de la Charente", "latitude": 45.6950, "longitude": -0.3290,
  "services": ["Aide aux démarches administratives"], "frais_a_charge": ["Gratuit"], "date_maj": "2024-01-10"},
 {"id": "reunion", "pivot": "21974411000010", "nom": "Case numérique", "commune": "Saint-Denis",
  "code_postal": "97400", "adresse": "5 rue de Paris", "latitude": -20.8820, "longitude": 55.4500,
  "services": ["Aide aux démarches administratives"], "date_maj": "2024-01-10"}
]}`

type nearJSON struct {
	Point struct {
		Lat     float64 `json:"lat"`
		Lon     float64 `json:"lon"`
		From    string  `json:"depuis"`
		Commune string  `json:"commune"`
		Code    string  `json:"code_insee"`
	} `json:"point"`
	Places []map[string]any `json:"places"`
}

func runNear(t *testing.T, args ...string) (int, nearJSON, string, string) {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"places", "near"}, args...)...)
	var doc nearJSON
	if code == exitOK && strings.Contains(strings.Join(args, " "), "--format json") {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
	}
	return code, doc, out, errOut
}

func placeIDs(doc nearJSON) string {
	var ids []string
	for _, p := range doc.Places {
		ids = append(ids, p["id"].(string))
	}
	return strings.Join(ids, " ")
}

func TestPlacesNearJSON(t *testing.T) {
	file := writeTemp(t, "places.json", nearFixture)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"by coordinates", []string{"--lat", "45.6484", "--lon", "0.1562"}, "centre gare mes cognac reunion"},
		{"k", []string{"--lat", "45.6484", "--lon", "0.1562", "--k", "2"}, "centre gare"},
		{"max distance", []string{"--lat", "45.6484", "--lon", "0.1562", "--max-km", "5"}, "centre gare mes"},
		{"service, accents and case forgiven", []string{"--commune", "16015", "--service", "aide aux demarches administratives"}, "gare mes cognac reunion"},
		{"two services are both required", []string{"--commune", "16015", "--service", "Aide aux démarches administratives", "--service", "Maîtrise des outils numériques du quotidien"}, "gare"},
		{"rare label", []string{"--postal-code", "16000", "--label", "Formé à « Mon Espace Santé »"}, "mes"},
		{"fees are any-of", []string{"--commune", "16015", "--fee", "Payant", "--fee", "Gratuit sous condition"}, "centre"},
		{"open within a day: only hours that say so", []string{"--commune", "16015", "--open-within-days", "1"}, "gare"},
		{"overseas", []string{"--lat", "-21.0", "--lon", "55.5", "--k", "1"}, "reunion"},
		{"nothing within reach", []string{"--lat", "48.85", "--lon", "2.35", "--max-km", "50"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--places", file, "--format", "json"}, tc.args...)
			code, doc, out, errOut := runNear(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if got := placeIDs(doc); got != tc.want {
				t.Fatalf("places %q, want %q", got, tc.want)
			}
			last := -1.0
			for _, p := range doc.Places {
				d := p["distance_km"].(float64)
				if d < last {
					t.Fatalf("not ordered by distance: %v", out)
				}
				if math.Abs(d*100-math.Round(d*100)) > 1e-6 {
					t.Fatalf("distance %v not rounded to 0.01 km", d)
				}
				last = d
				for _, key := range []string{"id", "nom", "commune", "code_postal", "adresse", "services", "latitude", "longitude"} {
					if _, ok := p[key]; !ok {
						t.Fatalf("place without %q: %v", key, p)
					}
				}
				for _, key := range []string{"telephone", "courriels"} {
					if _, ok := p[key]; ok {
						t.Fatalf("contact field %q in the output: %v", key, p)
					}
				}
			}
		})
	}
}

func TestPlacesNearPoint(t *testing.T) {
	file := writeTemp(t, "places.json", nearFixture)
	code, doc, out, errOut := runNear(t, "--places", file, "--commune", "16015", "--format", "json", "--k", "1")
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if doc.Point.From != "commune" || doc.Point.Code != "16015" || doc.Point.Commune != "Angoulême" {
		t.Fatalf("point = %+v", doc.Point)
	}
	// Angoulême's centroid is 45.6458, 0.1450 (geo.api.gouv.fr); the nearest
	// fixture place, "centre", is 0.89 km away.
	if d := doc.Places[0]["distance_km"].(float64); doc.Places[0]["id"] != "centre" || d < 0.8 || d > 1.2 {
		t.Fatalf("nearest = %v at %v km", doc.Places[0]["id"], d)
	}
	code, doc, _, _ = runNear(t, "--places", file, "--postal-code", "16100", "--format", "json", "--k", "1")
	if code != exitOK || doc.Point.From != "code_postal" || doc.Point.Code != "16102" || placeIDs(doc) != "cognac" {
		t.Fatalf("postal code 16100: exit %d point %+v places %q", code, doc.Point, placeIDs(doc))
	}
}

func TestPlacesNearText(t *testing.T) {
	file := writeTemp(t, "places.json", nearFixture)
	// Files may also be given as arguments.
	code, out, errOut := runCLI(t, "", "places", "near", file, "--commune", "16015", "--k", "2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Angoulême (16015)", " 1.    0.89 km  Espace numérique du centre", "2 rue de Périgueux, 16000 Angoulême", "horaires : 24/7"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "", "places", "near", file, "--lat", "0", "--lon", "-30", "--max-km", "10")
	if code != exitOK || !strings.Contains(out, "Aucun lieu trouvé") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestPlacesNearDemoDirectory(t *testing.T) {
	// Without --places: the embedded demo directory (Charente, Auvergne-
	// Rhône-Alpes, France Services). In Saint-Denis de La Réunion the
	// nearest places are France Services sites of the island.
	code, doc, out, errOut := runNear(t, "--postal-code", "97400", "--k", "3", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if len(doc.Places) != 3 {
		t.Fatalf("%d places, want 3", len(doc.Places))
	}
	for _, p := range doc.Places {
		if cp, _ := p["code_postal"].(string); !strings.HasPrefix(cp, "974") || p["distance_km"].(float64) > 60 {
			t.Fatalf("place %v %v at %v km is not on La Réunion", p["nom"], p["code_postal"], p["distance_km"])
		}
	}
}

func TestPlacesNearErrors(t *testing.T) {
	file := writeTemp(t, "places.json", nearFixture)
	tests := []struct {
		name    string
		args    []string
		code    int
		mention string
	}{
		{"no point", []string{"--places", file}, exitUsage, "needs a point"},
		{"two points", []string{"--places", file, "--commune", "16015", "--lat", "45", "--lon", "0"}, exitUsage, "one point"},
		{"lat without lon", []string{"--places", file, "--lat", "45"}, exitUsage, "--lat and --lon go together"},
		{"unknown service", []string{"--places", file, "--commune", "16015", "--service", "Cuisine"}, exitUsage, `--service "Cuisine" is not a value`},
		{"latitude off the globe", []string{"--places", file, "--lat", "95", "--lon", "0"}, exitUsage, "lat: 95 is outside"},
		{"k zero", []string{"--places", file, "--commune", "16015", "--k", "0"}, exitUsage, "k: 0"},
		{"negative days", []string{"--places", file, "--commune", "16015", "--open-within-days", "-1"}, exitUsage, "--open-within-days"},
		{"unknown commune", []string{"--places", file, "--commune", "99999"}, exitRejected, `no commune has INSEE code "99999"`},
		{"unknown postal code", []string{"--places", file, "--postal-code", "00000"}, exitRejected, `postal code "00000"`},
		{"unreadable file", []string{"--places", file + ".missing", "--commune", "16015"}, exitRejected, "no file could be read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"places", "near"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(errOut, tc.mention) {
				t.Fatalf("stderr does not say %q:\n%s", tc.mention, errOut)
			}
			if out != "" {
				t.Fatalf("stdout not empty on error: %q", out)
			}
		})
	}
}
