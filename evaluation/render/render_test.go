package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/territory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			return "line " + itoa(i+1) + ":\n got  " + gl[i] + "\n want " + wl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { return number(English, float64(i), 0) }

func TestGolden(t *testing.T) {
	r := fixture()
	cases := []struct {
		file   string
		render func(*bytes.Buffer) error
	}{
		{"report.json", func(b *bytes.Buffer) error { return JSON(b, r) }},
		{"report.fr.csv", func(b *bytes.Buffer) error { return CSV(b, r, French) }},
		{"report.en.csv", func(b *bytes.Buffer) error { return CSV(b, r, English) }},
		{"report.fr.html", func(b *bytes.Buffer) error { return HTML(b, r, nil) }},
		{"report.en.html", func(b *bytes.Buffer) error { return HTML(b, r, &HTMLOptions{Lang: English}) }},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.render(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.Bytes())
		})
	}
}

func TestJSONRoundTripsAndKeepsTheFunnelShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture()); err != nil {
		t.Fatal(err)
	}
	var back evaluation.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Referrals.Funnel.Proposed.N != 120 || !back.Referrals.Funnel.Completed.Masked {
		t.Fatalf("funnel after a round trip: %+v", back.Referrals.Funnel)
	}
	var raw struct {
		Referrals struct {
			Funnel map[string]map[string]any `json:"funnel"`
		} `json:"referrals"`
	}
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Referrals.Funnel["completed"]["masked"] != true || raw.Referrals.Funnel["proposed"]["count"] != 120.0 {
		t.Fatalf("referrals.funnel = %v", raw.Referrals.Funnel)
	}
}

func TestHTMLEscapesEverythingItShows(t *testing.T) {
	r := fixture()
	r.Territory.Name = `Nord"><img src=x onerror=alert(1)>`
	r.Definitions[0].FR = "<b>gras</b>"
	r.Targets[0].Target.LabelFR = "</svg><script>x()</script>"
	r.Network.ByKind[0].Key = "<i>kind</i>"
	var b bytes.Buffer
	if err := HTML(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "<img", "<b>gras", "<i>kind", "</svg><script"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert") {
		t.Error("the hostile place key is not shown escaped")
	}
}

func TestMaskedCellsAreShownAsMasked(t *testing.T) {
	r := fixture()
	var h, c bytes.Buffer
	if err := HTML(&h, r, nil); err != nil {
		t.Fatal(err)
	}
	if err := CSV(&c, r, French); err != nil {
		t.Fatal(err)
	}
	// The completed step is masked: its row says so, with no number.
	if !strings.Contains(h.String(), `<th scope="row">Accompagnement terminé</th><td class="masked" title="effectif inférieur au seuil de protection">masqué</td>`) {
		t.Error("the masked completed step is not shown as masked in the funnel table")
	}
	if !strings.Contains(c.String(), "referrals;referrals.funnel.completed;Accompagnement terminé;;;masque;21;\r\n") {
		t.Errorf("the masked completed step is not masked in the CSV:\n%s", c.String())
	}
	if !strings.Contains(h.String(), `class="masked" x=`) {
		t.Error("the funnel chart does not draw the masked bar as masked")
	}
}

func TestEmptyReportSaysItIsEmpty(t *testing.T) {
	from := fixture().Period
	r := &evaluation.Report{Empty: true, Period: from, Territory: evaluation.Territory{Level: evaluation.LevelFrance}, MaskThreshold: 5}
	for _, l := range []Lang{French, English} {
		var h, c bytes.Buffer
		if err := HTML(&h, r, &HTMLOptions{Lang: l}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.String(), `id="vide"`) || !strings.Contains(h.String(), esc(word(l, "empty"))) {
			t.Errorf("%s: the empty page does not say it is empty", l)
		}
		if strings.Contains(h.String(), `id="chiffres-cles"`) || strings.Contains(h.String(), "<svg") {
			t.Errorf("%s: the empty page shows figures", l)
		}
		if err := CSV(&c, r, l); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(c.String(), "\r\n"), "\r\n")
		if len(lines) != 8 || !strings.Contains(c.String(), ";empty;") {
			t.Errorf("%s: the empty CSV has %d lines:\n%s", l, len(lines), c.String())
		}
		if !strings.Contains(lines[6], ";1;") {
			t.Errorf("%s: the empty flag is not 1: %s", l, lines[6])
		}
	}
}

func TestSyntheticIsLabelledEverywhere(t *testing.T) {
	r := fixture()
	var j, c, h bytes.Buffer
	if err := JSON(&j, r); err != nil {
		t.Fatal(err)
	}
	if err := CSV(&c, r, French); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&h, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(j.String(), `"synthetic": true`) {
		t.Error("JSON does not say synthetic")
	}
	if !strings.Contains(c.String(), "rapport;synthetic;"+word(French, "synthetic")+";;1;") {
		t.Error("CSV does not say synthetic")
	}
	if strings.Count(h.String(), word(French, "synthetic")) != 2 {
		t.Error("the page does not say synthetic at its top and its foot")
	}
	r.Synthetic = false
	h.Reset()
	if err := HTML(&h, r, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), word(French, "synthetic")) {
		t.Error("a real report is labelled synthetic")
	}
}

func TestCSVOpensInAFrenchSpreadsheet(t *testing.T) {
	var c bytes.Buffer
	if err := CSV(&c, fixture(), French); err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if !strings.HasPrefix(s, "\ufeffsection;indicateur;") {
		t.Fatalf("no BOM or header: %q", s[:30])
	}
	for _, want := range []string{
		"actions;actions.hours;Heures données;;96,5;;96,5;\r\n",
		"referrals;referrals.conversion.accepted;Passage depuis l'étape précédente – Acceptées;;0,75;;0,75;\r\n",
		"actions;actions.count;Actions;;40;;31;\r\n",
		"equity;equity.by_density.attendance_rate;Par densité de la commune (urbain à très rural) – Taux de venue;7;;non_mesurable;;non_mesurable\r\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
	if strings.Contains(s, "96.5") {
		t.Error("a decimal point in a French CSV")
	}
}

func TestNumber(t *testing.T) {
	cases := []struct {
		l    Lang
		x    float64
		d    int
		want string
	}{
		{French, 1234567, 0, "1\u202f234\u202f567"},
		{French, 96.5, 1, "96,5"},
		{French, -1234.25, 2, "-1\u202f234,25"},
		{English, 1234567.5, 1, "1,234,567.5"},
		{English, 12, 0, "12"},
		{French, 0, 0, "0"},
	}
	for _, c := range cases {
		if got := number(c.l, c.x, c.d); got != c.want {
			t.Errorf("number(%s, %v, %d) = %q, want %q", c.l, c.x, c.d, got, c.want)
		}
	}
	if got := (cell{value: 0.125, share: true}).show(French); got != "12,5\u202f%" {
		t.Errorf("share in French = %q", got)
	}
	if got := (cell{value: 0.125, share: true}).show(English); got != "12.5%" {
		t.Errorf("share in English = %q", got)
	}
}

func TestLineChartBreaksAtMaskedMonths(t *testing.T) {
	svg := lineChart(French, "m", "t", "d", []string{"a", "b", "c"}, []series{{name: "s", colour: "#000", points: []cell{{value: 1, integer: true}, {kind: cellMasked}, {value: 3, integer: true}}}})
	if strings.Count(svg, `class="gap"`) != 1 {
		t.Error("the masked month is not marked as a gap")
	}
	// Two separate pieces: each starts with M, and there is no L.
	if strings.Count(svg, "M") < 2 || strings.Contains(svg, " L") {
		t.Errorf("the line is not broken at the masked month: %s", svg)
	}
}

func TestDotMapKeepsOverseasOffTheMetropole(t *testing.T) {
	svg := dotMap(French, "map", "t", "d", nil, []dot{
		{lat: 48.85, lon: 2.35, places: 1, referrals: cell{value: 10, integer: true}, label: "Paris"},
		{lat: -20.9, lon: 55.4, places: 1, referrals: cell{value: 5, integer: true}, label: "Saint-Denis"},
		{lat: 43.6, lon: 1.44, places: 2, trainedPlaces: 1, referrals: cell{kind: cellMasked}, label: "Toulouse"},
	})
	if strings.Contains(svg, "Saint-Denis") {
		t.Error("an overseas commune is drawn on the metropolitan map")
	}
	if !strings.Contains(svg, `class="referrals masked"`) || !strings.Contains(svg, `class="place trained"`) {
		t.Error("the masked referrals or the trained place are not drawn as such")
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"": French, "fr": French, "EN": English} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseLang("de"); err == nil {
		t.Error("ParseLang(de) accepted")
	}
}

func TestHTMLNamesCodesAndOrdersPlaces(t *testing.T) {
	ref, err := territory.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := fixture()
	r.Referrals.ByPlace = []evaluation.FunnelRow{
		{Key: "p-small", Funnel: evaluation.Funnel{Proposed: masked()}},
		{Key: "p-mid", Funnel: evaluation.Funnel{Proposed: n(12)}},
		{Key: "p-big", Funnel: evaluation.Funnel{Proposed: n(40)}},
	}
	var b bytes.Buffer
	if err := HTML(&b, r, &HTMLOptions{Communes: ref, PlaceNames: map[string]string{"p-big": "Médiathèque, Cognac", "p-mid": "France Services, Jarnac"}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Nouvelle-Aquitaine (75)", "Charente (16)", "Angoulême (16015)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	big, mid, small := strings.Index(out, "Médiathèque, Cognac"), strings.Index(out, "France Services, Jarnac"), strings.Index(out, ">p-small<")
	if big < 0 || mid < 0 || small < 0 || !(big < mid && mid < small) {
		t.Errorf("places not named or not ordered by referrals proposed: %d %d %d", big, mid, small)
	}
	// The land under the map is drawn from the communes.
	if !strings.Contains(out, `<g fill="`+colourLand+`">`) {
		t.Error("no land drawn under the map")
	}
}

func TestHTMLSaysThePreviousPeriodIsEmpty(t *testing.T) {
	r := fixture()
	r.Previous = &evaluation.Report{Empty: true, Period: evaluation.Period{From: r.Period.From.AddDate(-1, 0, 0), To: r.Period.From}}
	var b bytes.Buffer
	if err := HTML(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Période précédente (du 01/01/2024 au 31/12/2024) : aucune donnée") {
		t.Error("the page does not say the previous period has no data")
	}
	if strings.Contains(b.String(), "<th scope=\"col\">Période précédente</th>") {
		t.Error("the page shows a column for a previous period without data")
	}
}

func TestCoverageUnknownCapacityIsNotShort(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, fixture(), nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `<th scope="row">Charente-Maritime (17)</th><td class="num">30</td><td class="num">0</td><td class="num">2,0</td><td class="undefined">capacité inconnue</td>`) {
		t.Error("a département with no declared capacity is not shown as unknown")
	}
	if !strings.Contains(out, `<td class="num short" title="offre insuffisante">0,80 ⚠</td>`) {
		t.Error("a short département is not flagged")
	}
}
