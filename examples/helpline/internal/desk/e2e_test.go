package desk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// chromiumPath finds the Chromium of the Debian package (or another
// Chrome), or decides what to do without one: fail when CI or
// PASSERELLE_REQUIRE_BROWSER is set, skip otherwise.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" || os.Getenv("PASSERELLE_REQUIRE_BROWSER") != "" {
		t.Fatal("Chromium is not installed, and CI or PASSERELLE_REQUIRE_BROWSER is set: this test must run (apt-get install chromium)")
	}
	t.Skip("Chromium is not installed: apt-get install chromium (Debian) to run the browser test")
	return ""
}

// shooter takes the screenshots of the browser test into a directory.
type shooter struct {
	dir  string
	n    int
	last []byte
}

// shot captures the viewport as NN-name.png.
func (s *shooter) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		png, err := chromedp.CaptureScreenshot()(ctx, t)
		if err != nil {
			return fmt.Errorf("screenshot %s: %w", name, err)
		}
		if len(png) < 5_000 || string(png[1:4]) != "PNG" {
			return fmt.Errorf("screenshot %s: not a PNG of a page (%d bytes)", name, len(png))
		}
		s.n++
		s.last = png
		return os.WriteFile(filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.n, name)), png, 0o644)
	})
}

var uuidText = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// browserRun runs one action that gives a value, and fails the test with
// the step's name, the page's address and where the screenshots are.
func browserRun[T any](t *testing.T, bctx context.Context, shots *shooter, step string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		loc, _ := chromedp.Run(bctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v; screenshots so far in %s", step, loc, err, shots.dir)
	}
	return v
}

// startBrowser starts headless Chromium at 1280×720 for at most 60
// seconds, closed at the end of the test.
func startBrowser(t *testing.T, bin string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 720))
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	// The first run starts the browser, for the lifetime of bctx (the
	// steps then run under shorter timeouts of their own).
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return bctx
}

// keepShots returns the screenshot directory: PASSERELLE_SCREENSHOTS when
// set (kept for a person to look at), else a temporary one.
func keepShots(t *testing.T) *shooter {
	t.Helper()
	shots := &shooter{dir: t.TempDir()}
	if dir := os.Getenv("PASSERELLE_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shots.dir = dir
	}
	return shots
}

// TestBrowserWholeCall drives headless Chromium through a whole call on
// the real handler over a SQLite store: sign in, answer the triage (the
// first question with a keyboard shortcut), type a commune, see the
// places on the list and the map, record the referral, read its sheet,
// find it in the follow-up list and move it on in two clicks, print the
// sheet. It takes a screenshot at each step; with
// PASSERELLE_UPDATE_SCREENSHOTS=1 the call screen is also written to
// docs/screenshots/call-screen.png, and PASSERELLE_SCREENSHOTS=DIR keeps
// every step's screenshot in DIR.
func TestBrowserWholeCall(t *testing.T) {
	bin := chromiumPath(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, d := newTestServer(t, func(c *Config) { c.Store, c.Accounts = st, st })
	shots := keepShots(t)

	bctx := startBrowser(t, bin)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browserRun(t, bctx, shots, step, chromedp.Steps(actions...))
	}
	text := func(step, js string) string {
		t.Helper()
		return browserRun(t, bctx, shots, step, chromedp.Evaluate[string](js))
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Sign in.
	do("sign in",
		chromedp.Navigate(d.URL+"/login"),
		chromedp.WaitVisible(css(`form#login`)),
		shots.shot("login"),
		chromedp.SendKeys(css(`input[name=login]`), "teleadvisor"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		leave(), chromedp.Click(css(`button#signin`)), arrive(`nav#main`),
	)

	// A new call: a pseudonymous person id, then the triage.
	do("start a call",
		leave(), chromedp.Click(css(`a#nav-call`)), arrive(`form#question`),
		shots.shot("triage-question"),
	)
	personID := text("person id", `document.querySelector('#person-id').textContent.trim()`)
	if !uuidText.MatchString(personID) {
		t.Fatalf("#person-id is %q, not a pseudonymous UUID", personID)
	}
	question := text("first question", `document.querySelector('h2#question-text').textContent`)
	if strings.TrimSpace(question) == "" {
		t.Fatal("the first triage question has no text")
	}
	if n := browserRun(t, bctx, shots, "count the options",
		chromedp.Evaluate[int](`document.querySelectorAll('form#question button[name=answer]').length`)); n < 2 {
		t.Fatalf("the first question has %d option buttons", n)
	}
	// answer does what picks an option, and waits for the next question
	// or the result.
	answer := func(step string, pick ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do(step, append(append([]chromedp.Action[chromedp.Void]{leave()}, pick...), arrive(`form#question, section#result`))...)
	}
	// The caller of the smallest embedding: a smartphone, rarely online,
	// no e-mail, nobody to help; a beginner who needs a mediation place.
	caller := map[string]string{"device": "smartphone_only", "internet_use": "rarely", "procedures": "with_help",
		"email": "none", "helper": "nobody", "health_accounts": "neither", "barriers": "none", "forms_confidence": "somewhat"}
	item := func() string {
		return text("question id", `(document.querySelector('form#question input[name=item]') || {value: ''}).value`)
	}
	// The first question (the device) with the keyboard: key 2 picks the
	// second option, a smartphone only.
	if id := item(); id != "device" {
		t.Fatalf("the triage opens on %q, want device", id)
	}
	answer("answer with key 2", chromedp.KeyEvent("2"))
	// The others by a click: the caller's answer when the question is one
	// of the above, else the first option.
	questions := 1
	for ; questions < 30; questions++ {
		state := text("read the call page", `document.querySelector('form#question') ? `+
			`(document.querySelector('form#question input[type=checkbox]') ? 'multi' : 'buttons') : 'done'`)
		if state == "done" {
			break
		}
		want, known := caller[item()]
		switch {
		case state == "multi" && known:
			answer("answer a multiple choice", chromedp.Click(css(`form#question input[type=checkbox][value="`+want+`"]`)),
				chromedp.Click(css(`button#next`)))
		case state == "multi":
			answer("answer a multiple choice", chromedp.Click(css(`form#question input[type=checkbox]`)), chromedp.Click(css(`button#next`)))
		case known:
			answer("answer with a button", chromedp.Click(css(`form#question button[name=answer][value="`+want+`"]`)))
		default:
			answer("answer with a button", chromedp.Click(css(`form#question button[name=answer]`)))
		}
	}

	// The result to read out, then where the caller lives.
	do("the triage's result", chromedp.WaitVisible(css(`section#result`)), shots.shot("triage-result"))
	level := text("level", `document.querySelector('#level').dataset.level || ''`)
	why := browserRun(t, bctx, shots, "why", chromedp.Evaluate[[]string](`[...document.querySelectorAll('ul#why li')].map(li => li.textContent.trim())`))
	if level != "beginner" || len(why) == 0 || why[0] == "" {
		t.Fatalf("result after %d questions: level %q, %d lines to read out; want beginner, with lines", questions, level, len(why))
	}
	do("commune and needs",
		chromedp.SendKeys(css(`input#commune`), "Cognac 16100"),
		chromedp.Click(css(`form#where input[name=need]`)),
		leave(), chromedp.Click(css(`button#find`)), arrive(`section#proposals`),
	)
	places := browserRun(t, bctx, shots, "places", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('article.pathway[data-pathway=mediation_place] ol.places > li.place')].map(li => li.dataset.placeId)`))
	if len(places) == 0 || places[0] == "" {
		t.Fatal("no mediation place proposed for a beginner of Cognac: no li.place[data-place-id]")
	}
	if n := browserRun(t, bctx, shots, "map", chromedp.Evaluate[int](`document.querySelectorAll('svg#map circle').length`)); n == 0 {
		t.Fatal("svg#map draws no place")
	}
	do("see the proposals", chromedp.ScrollIntoView(css(`section#proposals`)), shots.shot("proposals"))
	if over := browserRun(t, bctx, shots, "overflow", chromedp.Evaluate[float64](
		`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
		t.Fatalf("the call screen is %.0f px wider than a 1280 px screen", over)
	}
	if os.Getenv("PASSERELLE_UPDATE_SCREENSHOTS") == "1" {
		dir := filepath.Join("..", "..", "..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// The proposals as a whole: the pathways, the places, the map.
		png := browserRun(t, bctx, shots, "call screen", chromedp.Screenshot(css(`section#proposals`)))
		if err := os.WriteFile(filepath.Join(dir, "call-screen.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// One click records the referral; its page shows the sheet.
	do("record", leave(), chromedp.Click(css(`button#record`)), arrive(`#referral-id`), shots.shot("referral"))
	referralID := text("referral id", `document.querySelector('#referral-id').textContent.trim()`)
	if !uuidText.MatchString(referralID) {
		t.Fatalf("#referral-id is %q", referralID)
	}
	sheet := text("sheet", `document.querySelector('#sheet').textContent`)
	if !strings.Contains(sheet, "3422") || len(sheet) < 100 {
		t.Fatalf("the orientation sheet is short or lacks the 3422 number:\n%s", sheet)
	}
	if href := text("print link", `document.querySelector('a#print').getAttribute('href')`); href != "/referrals/"+referralID+"/sheet" {
		t.Fatalf("a#print goes to %q", href)
	}

	// The follow-up list holds it, newest first; two clicks move it on.
	row := `table#open tr[data-referral-id="` + referralID + `"]`
	do("follow-up", leave(), chromedp.Click(css(`a#nav-followup`)), arrive(row), shots.shot("followup"))
	if first := text("first row", `document.querySelector('table#open tbody tr').dataset.referralId`); first != referralID {
		t.Fatalf("the first open referral is %q, not the one just recorded %q", first, referralID)
	}
	status := `document.querySelector('` + row + ` td[data-status]').dataset.status`
	if before := text("status before", status); before != "proposed" {
		t.Fatalf("a new referral is %q, want proposed", before)
	}
	do("status in two clicks",
		chromedp.SetValue(css(row+` form.status select[name=status]`), "accepted"),
		leave(), chromedp.Click(css(row+` form.status button`)), arrive(`table#open`),
		waitFor(`(() => { const td = document.querySelector('`+row+` td[data-status]'); `+
			`return document.readyState === 'complete' && !!td && td.dataset.status === 'accepted' })()`),
		shots.shot("followup-accepted"),
	)

	// The print view prints.
	do("open the print view", chromedp.Navigate(d.URL+"/referrals/"+referralID+"/sheet"), chromedp.WaitReady(css(`body`)))
	if pdf := browserRun(t, bctx, shots, "print", chromedp.PrintToPDF()); !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("the sheet's print view does not print to PDF")
	}
	t.Logf("%d questions, level %s, %d places, referral %s; screenshots in %s", questions, level, len(places), referralID, shots.dir)
}

// TestBrowserCoordinator signs a coordinator in on a store holding a
// synthetic year and looks at the coverage and the yearly report as
// Chromium lays them out at 1280×720: the map is drawn and fits the
// screen's width, the tables are there, and the download links carry the
// period.
func TestBrowserCoordinator(t *testing.T) {
	bin := chromiumPath(t)
	_, d := newTestServer(t)
	seedDemoYear(t, d)
	shots := keepShots(t)
	bctx := startBrowser(t, bin)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browserRun(t, bctx, shots, step, chromedp.Steps(actions...))
	}
	num := func(step, js string) float64 {
		t.Helper()
		return browserRun(t, bctx, shots, step, chromedp.Evaluate[float64](js))
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do("sign in",
		chromedp.Navigate(d.URL+"/login"),
		chromedp.SendKeys(css(`input[name=login]`), "coordinator"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		leave(), chromedp.Click(css(`button#signin`)), arrive(`a#nav-coverage`),
		leave(), chromedp.Click(css(`a#nav-coverage`)), arrive(`svg#map`),
		shots.shot("coverage"),
	)
	if w := num("map width", `document.querySelector('svg#map').getBoundingClientRect().width`); w < 300 {
		t.Fatalf("the map is %.0f px wide", w)
	}
	if over := num("overflow", `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		t.Fatalf("the coverage page is %.0f px wider than a 1280 px screen", over)
	}
	if n := num("dots", `document.querySelectorAll('svg#map circle').length`); n == 0 {
		t.Fatal("the map shows no trained place")
	}
	if n := num("rows", `document.querySelectorAll('table#departements tbody tr').length`); n < 90 {
		t.Fatalf("%.0f départements in the table, want all of them", n)
	}
	do("report",
		leave(), chromedp.Click(css(`a#nav-report`)), arrive(`form#report-form`),
		chromedp.SetValue(css(`input#from`), "2024-01-01"),
		chromedp.SetValue(css(`input#to`), "2024-12-31"),
		leave(), chromedp.Click(css(`button#compute`)), arrive(`#orientations`),
		shots.shot("report"),
	)
	if href := browserRun(t, bctx, shots, "csv link", chromedp.Evaluate[string](`document.querySelector('a#download-csv').getAttribute('href')`)); href != "/report.csv?from=2024-01-01&to=2024-12-31" {
		t.Fatalf("a#download-csv goes to %q", href)
	}
	if n := num("charts", `document.querySelectorAll('.report svg').length`); n < 3 {
		t.Fatalf("the report shows %.0f charts", n)
	}
	if over := num("overflow", `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		t.Fatalf("the report page is %.0f px wider than a 1280 px screen", over)
	}
}

// leave marks the page on screen, before an action that loads another:
// arrive then waits for a page without the mark.
func leave() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`window.deskTestLeaving = true`)(ctx, t)
		return err
	})
}

// arrive waits for the next page (see leave), loaded, with an element
// matching the CSS selector sel.
func arrive(sel string) chromedp.Action[chromedp.Void] {
	return waitFor(`!window.deskTestLeaving && document.readyState === 'complete' && !!document.querySelector(` + jsString(sel) + `)`)
}

// waitFor evaluates the predicate js until it is true, across page
// loads (a form posted, a redirect followed), for at most 10 seconds.
func waitFor(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Evaluate[bool](js)(ctx, t)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				if err == nil {
					err = errors.New("still false")
				}
				return fmt.Errorf("waiting 10 s for %s: %w", js, err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
