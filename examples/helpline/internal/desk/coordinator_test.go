package desk

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/evaluation"
	evaldemo "github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/evaluation/render"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
	"golang.org/x/crypto/bcrypt"
)

// seedDemoYear writes a small synthetic year 2025 (up to the test clock,
// so January to March 11) and the end of 2024 into the desk's store.
func seedDemoYear(t *testing.T, d *testDesk) evaldemo.Summary {
	t.Helper()
	for _, year := range []int{2024, 2025} {
		sum, err := evaldemo.Seed(context.Background(), d.Store, evaldemo.Options{Year: year, People: 600, Seed: 7, Now: d.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if year == 2025 {
			if sum.Referrals == 0 || sum.Trainings == 0 {
				t.Fatalf("the demo wrote no referral or no training: %+v", sum)
			}
			return sum
		}
	}
	panic("unreachable")
}

// signInRegional creates a coordinator held to région and signs a client in.
func signInRegional(t *testing.T, srv *Server, d *testDesk, login, region string) *testClient {
	t.Helper()
	if _, err := AddUser(context.Background(), srv.accounts, login, testPassword, []store.Role{store.RoleCoordinator}, region,
		bcrypt.MinCost, d.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := d.newClient()
	wantStatus(t, c.signIn(login, testPassword), http.StatusSeeOther)
	return c
}

func TestCoveragePage(t *testing.T) {
	_, d := newTestServer(t)
	seedDemoYear(t, d)
	c := d.As(store.RoleCoordinator)
	res := c.get("/coverage")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.Body,
		`<h1>Couverture et offre face à la demande</h1>`, `Territoire : France entière`,
		`<svg id="map"`, `role="img" aria-labelledby="map-title map-desc"`, `<path d="M`,
		`<table id="departements">`, `<th scope="col">Département</th>`, `<table id="bands">`,
		`<table id="supply-demand">`, `<select id="region" name="region">`, `<label for="weeks">`,
		`<a id="nav-coverage" href="/coverage" aria-current="page">`, `href="/coordinator.css"`,
		`href="/api/v1/coverage?weeks=12"`)
	// The demo trains places: some communes are dots on the map, and the
	// key figure says how many places are trained.
	if n := strings.Count(res.Body, `<circle `); n == 0 {
		t.Fatal("the map has no dot")
	}
	m := regexp.MustCompile(`<strong id="trained-places">(\d+)</strong>`).FindStringSubmatch(res.Body)
	if m == nil || m[1] == "0" {
		t.Fatalf("no trained place counted: %v", m)
	}
	// The demo's referrals ask places for help: at least one département
	// has a demand in the supply table.
	if !regexp.MustCompile(`<tr data-departement="[0-9AB]+"(?: data-short="true")?><th scope="row">[^<]+</th><td class="num">\d+</td><td class="num">\d+</td><td class="num">[1-9]\d*</td>`).MatchString(res.Body) {
		t.Fatal("no département with referrals in the supply against demand table")
	}

	en := c.get("/coverage?lang=en&region=75&weeks=4")
	wantStatus(t, en, http.StatusOK)
	wantContains(t, en.Body, `<h1>Coverage and supply against demand</h1>`, `Territory: Région Nouvelle-Aquitaine (75)`,
		`<option value="75" selected>`, `value="4"`, `Referrals asked of each département&#39;s places over the last 4 weeks`)
	// The région's map holds only its communes: Charente (16) is in it.
	wantContains(t, en.Body, `data-departement="16"`)
	if strings.Contains(en.Body, `data-departement="69"`) {
		t.Fatal("the Nouvelle-Aquitaine page lists the Rhône")
	}
}

func TestCoverageAPI(t *testing.T) {
	_, d := newTestServer(t)
	seedDemoYear(t, d)
	res := d.As(store.RoleCoordinator).api(http.MethodGet, "/api/v1/coverage?region=84", nil)
	wantStatus(t, res, http.StatusOK)
	var got struct {
		Weeks int `json:"weeks"`
		coverage.Report
	}
	res.JSON(t, &got)
	if got.Weeks != defaultCoverageWeeks || got.Region != "84" || got.Population == 0 || len(got.Departements) != 12 {
		t.Fatalf("weeks %d, région %q, population %d, %d départements; want 12 weeks, région 84 with its 12 départements",
			got.Weeks, got.Region, got.Population, len(got.Departements))
	}
}

func TestCoverageBadInput(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleCoordinator)
	for _, tc := range []struct{ path, want string }{
		{"/coverage?region=99", `région : « 99 » n&#39;est pas un code de région INSEE`},
		{"/coverage?weeks=0", `semaines : « 0 » n&#39;est pas un nombre entier de 1 à 104.`},
		{"/coverage?weeks=douze", `semaines : « douze »`},
		{"/coverage?weeks=105", `semaines : « 105 »`},
	} {
		res := c.get(tc.path)
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res.Body, tc.want)
	}
	api := c.api(http.MethodGet, "/api/v1/coverage?region=2A", nil)
	wantStatus(t, api, http.StatusBadRequest)
	var p apiProblem
	api.JSON(t, &p)
	if p.Error != "bad_request" || !strings.Contains(p.Message, `« 2A »`) {
		t.Fatalf("API error = %+v", p)
	}
}

func TestCoordinatorHeldToRegion(t *testing.T) {
	srv, d := newTestServer(t)
	c := signInRegional(t, srv, d, "coord-naq", "75")
	res := c.get("/coverage")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.Body, `Territoire : Région Nouvelle-Aquitaine (75)`)
	if strings.Contains(res.Body, `<select id="region"`) {
		t.Fatal("a coordinator held to a région is offered other régions")
	}
	for _, path := range []string{"/coverage?region=84", "/report?region=84", "/report.csv?region=84", "/api/v1/report?region=84"} {
		res := c.get(path)
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res.Body, `75`, `Nouvelle-Aquitaine`, `84`)
	}
	// Its own région, named or not, is fine.
	wantStatus(t, c.get("/report?region=75"), http.StatusOK)
	rep := c.get("/report")
	wantStatus(t, rep, http.StatusOK)
	wantContains(t, rep.Body, `href="/report.csv?from=2025-01-01&amp;region=75&amp;to=2025-03-11"`)
}

func TestCoordinatorPagesNeedTheRole(t *testing.T) {
	_, d := newTestServer(t)
	paths := []string{"/coverage", "/report", "/report.csv", "/report.json", "/report.html", "/api/v1/coverage", "/api/v1/report"}
	for _, role := range []store.Role{store.RoleTeleadvisor, store.RoleAmbassador} {
		for _, path := range paths {
			res := d.As(role).get(path)
			wantStatus(t, res, http.StatusForbidden)
			wantContains(t, res.Body, "coordinateur·rice")
			if strings.HasPrefix(path, "/api/") {
				wantContains(t, res.Body, `"error": "forbidden"`)
			}
		}
	}
	for _, path := range paths[:5] {
		res := d.Anon.get(path)
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location(), "/login?next=") {
			t.Fatalf("%s signed out: redirect to %q", path, res.Location())
		}
	}
	wantStatus(t, d.Anon.get("/api/v1/report"), http.StatusUnauthorized)
	// An admin holds every role.
	wantStatus(t, d.As(store.RoleAdmin).get("/coverage"), http.StatusOK)
}

func TestReportPage(t *testing.T) {
	_, d := newTestServer(t)
	seedDemoYear(t, d)
	c := d.As(store.RoleCoordinator)
	res := c.get("/report?from=2024-01-01&to=2024-12-31")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.Body,
		`<h1>Rapport annuel</h1>`, `<form class="coord-form" id="report-form" method="get" action="/report"`,
		`<label for="from">`, `<input id="from" name="from" type="date" value="2024-01-01" required>`,
		`<input id="to" name="to" type="date" value="2024-12-31" required>`,
		`<a id="download-csv" href="/report.csv?from=2024-01-01&amp;to=2024-12-31" download>`,
		`<a id="download-json" href="/report.json?from=2024-01-01&amp;to=2024-12-31" download>`,
		`<a id="download-html" href="/report.html?from=2024-01-01&amp;to=2024-12-31" download>`,
		// The report itself, in the page: synthetic (the demo), with its
		// sections, charts and tables.
		`<div class="report">`, `id="synthetique"`, `<section id="orientations"`, `<svg`, `<th scope="col">`)
	// One h1 and one main landmark: the report's own became parts of the
	// desk page.
	if n := strings.Count(res.Body, "<h1"); n != 1 {
		t.Fatalf("%d h1 in the page, want 1", n)
	}
	if n := strings.Count(res.Body, "<main"); n != 1 {
		t.Fatalf("%d main in the page, want 1", n)
	}
	if strings.Contains(res.Body, "<style") || strings.Contains(res.Body, "<script>") {
		t.Fatal("inline style or script in the report page: the CSP forbids them")
	}

	en := c.get("/report?from=2024-01-01&to=2024-12-31&region=84&lang=en")
	wantStatus(t, en, http.StatusOK)
	wantContains(t, en.Body, `<h1>Yearly report</h1>`, `Territory: Région Auvergne-Rhône-Alpes (84)`,
		`<option value="84" selected>`, `href="/report.csv?from=2024-01-01&amp;region=84&amp;to=2024-12-31"`)

	// With nothing stored for the period, the report says it is empty.
	empty := c.get("/report?from=2020-01-01&to=2020-12-31")
	wantStatus(t, empty, http.StatusOK)
	wantContains(t, empty.Body, `id="vide"`)
}

func TestReportDownloads(t *testing.T) {
	_, d := newTestServer(t)
	seedDemoYear(t, d)
	c := d.As(store.RoleCoordinator)
	q := "?from=2024-01-01&to=2024-12-31&region=75"

	csv := c.get("/report.csv" + q)
	wantStatus(t, csv, http.StatusOK)
	if got := csv.Header.Get("Content-Disposition"); got != `attachment; filename="rapport-region-75-2024-01-01-2024-12-31.csv"` {
		t.Fatalf("Content-Disposition = %q", got)
	}
	if !strings.HasPrefix(csv.Body, "\ufeff") || !strings.Contains(csv.Body, ";") {
		t.Fatalf("the CSV is not for a French spreadsheet (BOM, ;):\n%.300s", csv.Body)
	}

	js := c.get("/report.json" + q)
	wantStatus(t, js, http.StatusOK)
	var rep evaluation.Report
	js.JSON(t, &rep)
	if !rep.Synthetic || rep.Territory.Code != "75" || rep.Period.From.Format("2006-01-02") != "2024-01-01" ||
		rep.Period.To.Format("2006-01-02") != "2025-01-01" || rep.Empty {
		t.Fatalf("report: synthetic %v, territory %+v, period %v, empty %v", rep.Synthetic, rep.Territory, rep.Period, rep.Empty)
	}
	if rep.Coverage == nil {
		t.Fatal("the report has no coverage summary")
	}

	page := c.get("/report.html" + q + "&lang=en")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, `<html lang="en">`, `<style>`)
	if got := page.Header.Get("Content-Disposition"); got != `attachment; filename="report-region-75-2024-01-01-2024-12-31.html"` {
		t.Fatalf("Content-Disposition = %q", got)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Fatalf("CSP of the standalone page = %q", csp)
	}

	// The API gives the same report, in every format.
	api := c.api(http.MethodGet, "/api/v1/report"+q, nil)
	wantStatus(t, api, http.StatusOK)
	var again evaluation.Report
	api.JSON(t, &again)
	if again.Territory != rep.Territory || again.Records != rep.Records {
		t.Fatalf("API report differs: %+v %+v", again.Territory, again.Records)
	}
	apiCSV := c.api(http.MethodGet, "/api/v1/report"+q+"&format=csv", nil)
	wantStatus(t, apiCSV, http.StatusOK)
	if apiCSV.Header.Get("Content-Disposition") != "" || !strings.HasPrefix(apiCSV.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("API CSV headers: %v", apiCSV.Header)
	}
}

func TestReportBadInput(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleCoordinator)
	for _, tc := range []struct{ path, want string }{
		{"/report?from=2024-02-30", `from : « 2024-02-30 » n&#39;est pas une date AAAA-MM-JJ`},
		{"/report?to=31/12/2024", `to : « 31/12/2024 » n&#39;est pas une date AAAA-MM-JJ`},
		{"/report?from=2024-06-01&to=2024-05-31", `période : la fin (to = 2024-05-31) est avant le début (from = 2024-06-01).`},
		{"/report?from=2015-01-01&to=2024-12-31", `période : un rapport couvre au plus ` + strconv.Itoa(maxReportDays) + ` jours.`},
		{"/report?region=00", `région : « 00 » n&#39;est pas un code de région INSEE`},
		{"/report.csv?from=hier", `from : « hier »`},
		{"/report.json?region=xx", `« xx »`},
	} {
		res := c.get(tc.path)
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res.Body, tc.want)
	}
	en := c.get("/report?from=2024-13-01&lang=en")
	wantStatus(t, en, http.StatusBadRequest)
	wantContains(t, en.Body, `from: &#34;2024-13-01&#34; is not a date YYYY-MM-DD`)

	api := c.api(http.MethodGet, "/api/v1/report?format=xlsx", nil)
	wantStatus(t, api, http.StatusBadRequest)
	var p apiProblem
	api.JSON(t, &p)
	if !strings.Contains(p.Message, "xlsx") {
		t.Fatalf("API error = %+v", p)
	}
}

func TestCoordinatorCSS(t *testing.T) {
	_, d := newTestServer(t)
	res := d.Anon.get("/coordinator.css")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(res.Body, ".report td.masked") {
		t.Fatalf("coordinator.css: %s\n%.200s", res.Header.Get("Content-Type"), res.Body)
	}
}

// TestReportFragment checks the surgery on a real rendered page: the
// standalone page's landmarks become divisions and its headings go down
// one level, nothing else changes.
func TestReportFragment(t *testing.T) {
	ref, err := territory.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evaluation.Compute(context.Background(), (&evaluation.Records{}).Source(), evaluation.Options{
		Period:   evaluation.Period{From: testStart.AddDate(-1, 0, 0), To: testStart},
		Communes: ref, Now: func() time.Time { return testStart }})
	if err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	if err := render.HTML(&page, rep, nil); err != nil {
		t.Fatal(err)
	}
	frag, err := reportFragment(page.String())
	if err != nil {
		t.Fatal(err)
	}
	s := string(frag)
	for _, bad := range []string{"<html", "<head", "<body", "<style", "<main", "<header", "<footer", "<h1"} {
		if strings.Contains(s, bad) {
			t.Errorf("the fragment still holds %s", bad)
		}
	}
	wantContains(t, s, `<div class="report">`, `<div class="report-head">`, `<div class="report-main">`, `<h2>`, `id="vide"`)
	if strings.Count(s, "<div") != strings.Count(s, "</div>") {
		t.Fatalf("unbalanced divisions:\n%s", s)
	}
	if _, err := reportFragment("<p>no body</p>"); err == nil {
		t.Fatal("a page without body was accepted")
	}
}

// TestCoverageMapGeometry draws the map of a région from a hand-made
// report: every dot is inside the picture, the land has cells, and a
// commune outside the région is left out.
func TestCoverageMapGeometry(t *testing.T) {
	ref, err := territory.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep := &coverage.Report{Region: "75", Communes: []coverage.Area{
		{Code: "16015", Name: "Angoulême", TrainedPlaces: 4},
		{Code: "16102", Name: "Cognac", TrainedPlaces: 1},
		{Code: "33063", Name: "Bordeaux", TrainedAmbassadors: 2},
		{Code: "69123", Name: "Lyon", TrainedPlaces: 3}, // not in Nouvelle-Aquitaine
	}, Farthest: []coverage.FarCommune{{Code: "64320", Name: "far", DistanceKm: 41}}}
	label := func(c territory.Commune, a coverage.Area) string { return c.Name }
	far := func(c territory.Commune, f coverage.FarCommune) string { return c.Name }
	m, err := drawCoverageMap(rep, ref, label, far)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != mapWidth || m.Height <= 100 || m.Height > mapMaxHeight {
		t.Fatalf("map %d×%d", m.Width, m.Height)
	}
	if len(m.Trained) != 2 || len(m.Ambassadors) != 1 || len(m.Far) != 1 || m.Outside != 1 {
		t.Fatalf("trained %d, ambassadors %d, far %d, outside %d; want 2, 1, 1, 1", len(m.Trained), len(m.Ambassadors), len(m.Far), m.Outside)
	}
	if m.Trained[0].Title != "Angoulême" || m.Trained[0].R <= m.Trained[1].R {
		t.Fatalf("the commune with more places is not drawn first and larger: %+v", m.Trained)
	}
	for _, dot := range append(append(m.Trained, m.Ambassadors...), m.Far...) {
		if dot.X < 0 || dot.Y < 0 || dot.X > float64(m.Width) || dot.Y > float64(m.Height) {
			t.Fatalf("dot %+v outside %d×%d", dot, m.Width, m.Height)
		}
	}
	if !strings.HasPrefix(m.Land, "M") || strings.Count(m.Land, "z") < 50 {
		t.Fatalf("the land of a région has %d runs of cells", strings.Count(m.Land, "z"))
	}
	// Bordeaux is west of Angoulême.
	if m.Ambassadors[0].X >= m.Trained[0].X {
		t.Fatal("the projection puts Bordeaux east of Angoulême")
	}
	if _, err := drawCoverageMap(&coverage.Report{Region: "zz"}, ref, label, far); err == nil {
		t.Fatal("a région without communes gave a map")
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		lang assessment.Lang
		n    int
		want string
	}{
		{assessment.LangFR, 0, "0"}, {assessment.LangFR, 999, "999"}, {assessment.LangFR, 1000, "1\u202f000"},
		{assessment.LangFR, 68952941, "68\u202f952\u202f941"}, {assessment.LangEN, 68952941, "68,952,941"},
		{assessment.LangEN, -1234, "-1,234"},
	} {
		if got := count(tc.lang, tc.n); got != tc.want {
			t.Errorf("count(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := frNumber(assessment.LangFR, 0.0125, 3); got != "0,013" && got != "0,012" {
		t.Errorf("frNumber = %q", got)
	}
	if got, want := percent(assessment.LangFR, 0.123), "12,3\u00a0%"; got != want {
		t.Errorf("percent = %q, want %q", got, want)
	}
	if got, want := percent(assessment.LangEN, 0.123), "12.3%"; got != want {
		t.Errorf("percent = %q, want %q", got, want)
	}
}

// TestEveryRegionOfTheMenu opens the coverage and the report of every
// région the menu offers (overseas included): none fails.
func TestEveryRegionOfTheMenu(t *testing.T) {
	srv, d := newTestServer(t)
	c := d.As(store.RoleCoordinator)
	menu := srv.regionMenu("")
	if len(menu) < 18 {
		t.Fatalf("%d régions in the menu, want the 18 of France at least", len(menu))
	}
	for _, reg := range menu {
		res := c.get("/coverage?region=" + reg.Code)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.Body, `<svg id="map"`, `(`+reg.Code+`)`)
		wantStatus(t, c.get("/report.json?region="+reg.Code), http.StatusOK)
	}
}
