package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/store"
)

func TestHealth(t *testing.T) {
	_, d := newTestServer(t)
	res := d.Anon.get("/health")
	wantStatus(t, res, http.StatusOK)
	var h map[string]string
	res.JSON(t, &h)
	if h["status"] != "ok" || h["store"] != "ok" {
		t.Fatalf("health = %v", h)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != CSP {
		t.Fatalf("CSP = %q", got)
	}
}

func TestSignedOutIsSentToLogin(t *testing.T) {
	_, d := newTestServer(t)
	res := d.Anon.get("/")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/login?next=%2F" {
		t.Fatalf("redirect to %q", res.Location())
	}
	api := d.Anon.api(http.MethodGet, "/api/v1/session", nil)
	wantStatus(t, api, http.StatusUnauthorized)
	wantContains(t, api.Body, `"error": "unauthenticated"`)
}

func TestLoginPageContract(t *testing.T) {
	_, d := newTestServer(t)
	res := d.Anon.get("/login")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.Body, `<form id="login"`, `name="login"`, `name="password"`, `id="signin"`,
		`<label for="login-name">Identifiant</label>`, `<html lang="fr">`, `class="skip"`, `<main id="content"`)
	en := d.Anon.get("/login?lang=en")
	wantContains(t, en.Body, `<html lang="en">`, `<label for="login-name">Login</label>`)
	// The choice is remembered.
	wantContains(t, d.Anon.get("/login").Body, `<html lang="en">`)
}

func TestSignInOutAndNav(t *testing.T) {
	_, d := newTestServer(t)
	c := d.newClient()
	res := c.signIn("teleadvisor", testPassword)
	wantStatus(t, res, http.StatusSeeOther)
	home := c.get("/")
	wantStatus(t, home, http.StatusSeeOther)
	if home.Location() != "/call" {
		t.Fatalf("a teleadvisor lands on %q", home.Location())
	}
	admin := d.As(store.RoleAdmin).get("/")
	wantStatus(t, admin, http.StatusSeeOther) // admin holds every role: the call screen first
	// Sign out needs the token; then the session is gone.
	wantStatus(t, c.postRaw("/logout", url.Values{}), http.StatusForbidden)
	out := c.post("/logout", nil)
	wantStatus(t, out, http.StatusSeeOther)
	wantContains(t, c.follow(out).Body, "Vous êtes déconnecté·e.")
	wantStatus(t, c.get("/"), http.StatusSeeOther)
	if loc := c.get("/").Location(); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("after sign-out / goes to %q", loc)
	}
}

func TestSignInWrongPasswordAndForgedToken(t *testing.T) {
	_, d := newTestServer(t)
	c := d.newClient()
	res := c.signIn("teleadvisor", "wrong password!")
	wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, res.Body, "Identifiant ou mot de passe incorrect.")
	// A token that is not the one of the form's cookie.
	c.get("/login")
	forged := c.postRaw("/login", url.Values{"login": {"teleadvisor"}, "password": {testPassword}, "csrf": {"forged"}})
	wantStatus(t, forged, http.StatusForbidden)
	wantContains(t, forged.Body, "ne vient pas de ce guichet")
	// No token at all.
	wantStatus(t, c.postRaw("/login", url.Values{"login": {"teleadvisor"}, "password": {testPassword}}), http.StatusForbidden)
}

func TestSignInRateLimit(t *testing.T) {
	_, d := newTestServer(t)
	c := d.newClient()
	for i := 0; i < 5; i++ {
		wantStatus(t, c.signIn("coordinator", "not the password"), http.StatusUnauthorized)
	}
	// Even the right password is refused now, with Retry-After.
	res := c.signIn("coordinator", testPassword)
	wantStatus(t, res, http.StatusTooManyRequests)
	if ra := res.Header.Get("Retry-After"); ra != "900" {
		t.Fatalf("Retry-After = %q, want 900", ra)
	}
	wantContains(t, res.Body, "Trop d&#39;essais")
	// The API is limited the same way (same address).
	api := d.Anon.api(http.MethodPost, "/api/v1/login", map[string]string{"login": "admin", "password": testPassword})
	wantStatus(t, api, http.StatusTooManyRequests)
	// After the window, sign-in works again.
	d.Clock.Advance(15*time.Minute + time.Second)
	wantStatus(t, c.signIn("coordinator", testPassword), http.StatusSeeOther)
}

func TestSessionIdleExpiry(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleTeleadvisor)
	d.Clock.Advance(7 * time.Hour)
	wantStatus(t, c.api(http.MethodGet, "/api/v1/session", nil), http.StatusOK)
	d.Clock.Advance(8*time.Hour + time.Minute)
	wantStatus(t, c.api(http.MethodGet, "/api/v1/session", nil), http.StatusUnauthorized)
}

func TestAPILogin(t *testing.T) {
	_, d := newTestServer(t)
	c := d.newClient()
	bad := c.api(http.MethodPost, "/api/v1/login", map[string]any{"login": "admin", "pasword": "x"})
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad.Body, `unknown field`)
	res := c.api(http.MethodPost, "/api/v1/login", map[string]string{"login": "admin", "password": testPassword})
	wantStatus(t, res, http.StatusOK)
	var info apiSessionInfo
	res.JSON(t, &info)
	if info.Login != "admin" || len(info.CSRF) < 40 {
		t.Fatalf("session = %+v", info)
	}
	c.CSRF = ""
	wantStatus(t, c.api(http.MethodPost, "/api/v1/logout", nil), http.StatusForbidden)
	c.CSRF = info.CSRF
	wantStatus(t, c.api(http.MethodPost, "/api/v1/logout", nil), http.StatusNoContent)
	wantStatus(t, c.api(http.MethodGet, "/api/v1/session", nil), http.StatusUnauthorized)
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/followup": "/followup", "//evil.example": "/", "https://evil.example/": "/",
		"/\\evil": "/", "javascript:alert(1)": "/", "/call?lang=en": "/call?lang=en",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotFound(t *testing.T) {
	_, d := newTestServer(t)
	res := d.As(store.RoleTeleadvisor).get("/no/such/page?lang=en")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, res.Body, "This page does not exist.")
}

func TestLimiterPerLoginAcrossAddresses(t *testing.T) {
	clock := &testClock{t: testStart}
	l := newLimiter(clock.Now, 5, 15*time.Minute)
	for i := 0; i < 5; i++ {
		// Five addresses, one login: the login is blocked, the addresses are not.
		l.fail("ip:10.0.0."+strconv.Itoa(i), "login:marie")
	}
	if l.blocked("ip:10.0.0.9", "login:marie") == 0 {
		t.Fatal("a login tried from five addresses is not blocked")
	}
	if l.blocked("ip:10.0.0.1", "login:paul") != 0 {
		t.Fatal("an address with one failure is blocked")
	}
	clock.Advance(10 * time.Minute)
	if w := l.blocked("login:marie"); w != 5*time.Minute {
		t.Fatalf("wait = %v, want 5m", w)
	}
	l.reset("login:marie")
	if l.blocked("login:marie") != 0 {
		t.Fatal("reset does not unblock")
	}
}

func TestDisabledAccountCannotSignIn(t *testing.T) {
	srv, d := newTestServer(t)
	ctx := context.Background()
	a, err := srv.accounts.AccountByLogin(ctx, "ambassador")
	if err != nil {
		t.Fatal(err)
	}
	a.Disabled = true
	if err := srv.accounts.UpdateAccount(ctx, &a); err != nil {
		t.Fatal(err)
	}
	res := d.newClient().signIn("ambassador", testPassword)
	wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, res.Body, "Identifiant ou mot de passe incorrect.")
	// The session opened before is closed within five minutes.
	c := d.As(store.RoleAmbassador)
	wantStatus(t, c.get("/actions"), http.StatusOK)
	d.Clock.Advance(5 * time.Minute)
	wantStatus(t, c.get("/actions"), http.StatusSeeOther)
	// A role taken away applies as soon.
	tele := d.As(store.RoleTeleadvisor)
	ta, err := srv.accounts.AccountByLogin(ctx, "teleadvisor")
	if err != nil {
		t.Fatal(err)
	}
	ta.Roles = []store.Role{store.RoleAmbassador}
	if err := srv.accounts.UpdateAccount(ctx, &ta); err != nil {
		t.Fatal(err)
	}
	d.Clock.Advance(5 * time.Minute)
	wantStatus(t, tele.get("/followup"), http.StatusForbidden)
	wantStatus(t, tele.get("/actions"), http.StatusOK)
}
