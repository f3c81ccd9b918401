package desk

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/store"
)

// TestCatalogueKeys checks that every key a template asks for exists, and
// that every text has both languages.
func TestCatalogueKeys(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal("no templates", err)
	}
	key := regexp.MustCompile(`\.T "([a-zA-Z0-9_.]+)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if got := tr(assessment.LangFR, m[1]); got == m[1] {
				t.Errorf("%s: key %q is not in the catalogue", f, m[1])
			}
		}
	}
	messagesMu.RLock()
	defer messagesMu.RUnlock()
	for k, m := range messages {
		if m.fr == "" || m.en == "" {
			t.Errorf("key %q lacks a language: %+v", k, m)
		}
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`)
	styleAttr    = regexp.MustCompile(`\sstyle="`)
	postForm     = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>(.*?)</form>`)
	fieldWithID  = regexp.MustCompile(`<(input|select|textarea)\s[^>]*id="([^"]+)"[^>]*>`)
)

// checkPage applies the rules every page follows: no inline script, no
// style attribute (the CSP forbids both), a CSRF field in every form that
// posts, a label for every visible field, one h1, landmarks.
func checkPage(t *testing.T, name, body string) {
	t.Helper()
	if inlineScript.MatchString(body) {
		t.Errorf("%s: inline script", name)
	}
	if styleAttr.MatchString(body) {
		t.Errorf("%s: style attribute (blocked by the CSP)", name)
	}
	for _, f := range postForm.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(f[1], `name="csrf"`) {
			t.Errorf("%s: a form posts without the csrf field: %.200s", name, f[0])
		}
	}
	for _, m := range fieldWithID.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[0], `type="hidden"`) || strings.Contains(m[0], `type="submit"`) {
			continue
		}
		if !strings.Contains(body, `for="`+m[2]+`"`) && !strings.Contains(m[0], "aria-label") {
			t.Errorf("%s: field #%s has no label", name, m[2])
		}
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("%s: %d h1 headings", name, n)
	}
	for _, s := range []string{`<main id="content"`, `<a class="skip" href="#content">`, `<footer`} {
		if !strings.Contains(body, s) {
			t.Errorf("%s: lacks %s", name, s)
		}
	}
}

func TestEveryPageFollowsTheRules(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleAdmin)
	id, pid := recordReferral(t, c, "Angoulême")
	path, _ := startCall(t, c)
	pages := map[string]string{
		"/login": d.Anon.get("/login").Body, "/followup": c.get("/followup").Body, "/actions": c.get("/actions").Body,
		"/questions": c.get("/questions").Body, "/referrals/{id}": c.get("/referrals/" + id).Body,
		"/persons/{pid}": c.get("/persons/" + pid).Body, "/call (question)": c.get(path).Body,
		"error": c.get("/nowhere").Body, "/admin/accounts": c.get("/admin/accounts").Body,
		"/account/password": c.get("/account/password").Body,
	}
	triageThrough(t, c, path, beginnerAnswers)
	pages["/call (result)"] = c.get(path).Body
	c.post(path+"/where", map[string][]string{"commune": {"Angoulême"}})
	pages["/call (proposals)"] = c.get(path).Body
	for name, body := range pages {
		checkPage(t, name, body)
	}
	// The nav of the DOM contract, for an admin.
	wantContains(t, pages["/followup"], `<nav id="main"`, `id="nav-call" href="/call"`, `id="nav-followup" href="/followup"`,
		`id="nav-actions" href="/actions"`, `id="nav-questions" href="/questions"`, `id="nav-coverage" href="/coverage"`,
		`id="nav-report" href="/report"`, `<form id="logout"`)
	// A teleadvisor sees only the teleadvisor's entries.
	tele := d.As(store.RoleTeleadvisor).get("/followup").Body
	if strings.Contains(tele, `id="nav-coverage"`) || strings.Contains(tele, `id="nav-actions"`) {
		t.Error("a teleadvisor's menu lists other roles' screens")
	}
}

func TestTeleadvisorOpensCoordinatorPage(t *testing.T) {
	_, d := newTestServer(t)
	for _, p := range []string{"/coverage", "/report"} {
		res := d.As(store.RoleTeleadvisor).get(p)
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res.Body, "Cette page est réservée au rôle : coordinateur·rice.")
	}
	api := d.As(store.RoleTeleadvisor).api(http.MethodGet, "/api/v1/coverage", nil)
	wantStatus(t, api, http.StatusForbidden)
	wantContains(t, api.Body, `"error": "forbidden"`)
}

func TestStaticAndHeaders(t *testing.T) {
	_, d := newTestServer(t)
	for _, f := range []string{"/static/desk.css", "/static/desk.js"} {
		res := d.Anon.get(f)
		wantStatus(t, res, http.StatusOK)
		if res.Header.Get("Content-Security-Policy") != CSP || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s headers: %v", f, res.Header)
		}
	}
	wantStatus(t, d.Anon.get("/static/nothing.css"), http.StatusNotFound)
	page := d.As(store.RoleTeleadvisor).get("/followup")
	if page.Header.Get("X-Frame-Options") != "DENY" || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("page headers: %v", page.Header)
	}
	// Session cookie flags.
	c := d.newClient()
	c.get("/login")
	res := c.signIn("teleadvisor", testPassword)
	var cookie string
	for _, v := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") {
			cookie = v
		}
	}
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || strings.Contains(cookie, "Secure") {
		t.Fatalf("session cookie on plain HTTP = %q", cookie)
	}
}

func TestSecureCookies(t *testing.T) {
	_, d := newTestServer(t, func(c *Config) { c.SecureCookies = true })
	c := d.newClient()
	c.get("/login")
	res := c.signIn("teleadvisor", testPassword)
	found := false
	for _, v := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") {
			found = strings.Contains(v, "Secure")
		}
	}
	if !found {
		t.Fatal("--secure-cookies does not mark the session cookie Secure")
	}
}

func TestMethodNotAllowedIsThePage(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	res := c.post("/followup", nil)
	wantStatus(t, res, http.StatusMethodNotAllowed)
	wantContains(t, res.Body, "Cette méthode n&#39;est pas acceptée ici. (POST /followup)", `<main id="content"`)
	if res.Header.Get("Allow") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("headers: %v", res.Header)
	}
	api := c.api(http.MethodDelete, "/api/v1/followup", nil)
	wantStatus(t, api, http.StatusMethodNotAllowed)
	wantContains(t, api.Body, `"error": "method_not_allowed"`)
	// After a refused form, the language switch leads to a page that exists.
	path, _ := startCall(t, c)
	triageThrough(t, c, path, beginnerAnswers)
	bad := c.post(path+"/where", map[string][]string{"commune": {"Qxqxqx"}})
	wantContains(t, bad.Body, `href="`+path+`?lang=en"`)
}

func TestOversizedForm(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleAmbassador)
	res := c.post("/questions", map[string][]string{"question": {strings.Repeat("a", 300<<10)}, "region": {"75"}})
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantContains(t, res.Body, "Le formulaire est trop lourd (256 Kio au plus).")
}
