package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/territory"
	"golang.org/x/crypto/bcrypt"
)

// testPassword is the password of every account newTestServer creates.
const testPassword = "correct horse battery"

// testStart is the test clock's start: a Tuesday morning in Paris.
var testStart = time.Date(2025, 3, 11, 9, 30, 0, 0, time.UTC)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward by d.
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var (
	demoOnce sync.Once
	demoIx   *mediation.Index
	demoErr  error
)

// demoDirectory is the embedded directory, built once for all tests.
func demoDirectory(t testing.TB) mediation.Directory {
	demoOnce.Do(func() { demoIx, demoErr = demo.Directory(nil) })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoIx
}

// testLogWriter sends the desk's warnings and errors to the test log.
type testLogWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *testLogWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(b)))
	}
	return len(b), nil
}

// testDesk is a desk served on loopback, with one signed-in client per role.
type testDesk struct {
	t      *testing.T
	Server *Server
	Store  store.Store
	Clock  *testClock
	URL    string
	// Clients signed in with the role of their key; Anon is signed out.
	Clients map[store.Role]*testClient
	Anon    *testClient
}

// As returns the client signed in with role.
func (d *testDesk) As(role store.Role) *testClient { return d.Clients[role] }

// SignInAgain signs the role's client in again (after the clock moved past
// the idle expiry) and returns it.
func (d *testDesk) SignInAgain(role store.Role) *testClient {
	d.t.Helper()
	c := d.newClient()
	wantStatus(d.t, c.signIn(string(role), testPassword), http.StatusSeeOther)
	d.Clients[role] = c
	return c
}

// newTestServer builds a desk on a memory store with the test clock and
// bcrypt.MinCost, creates one account per role (login = role name,
// password testPassword) and signs a client in for each. opts may change
// the Config before New.
func newTestServer(t *testing.T, opts ...func(*Config)) (*Server, *testDesk) {
	t.Helper()
	clock := &testClock{t: testStart}
	st := memory.New(&memory.Options{Now: clock.Now})
	t.Cleanup(func() { st.Close() })
	lw := &testLogWriter{t: t}
	t.Cleanup(func() { lw.mu.Lock(); lw.done = true; lw.mu.Unlock() })
	cfg := Config{Store: st, Directory: demoDirectory(t), Now: clock.Now,
		BcryptCost: bcrypt.MinCost, Logger: slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	d := &testDesk{t: t, Server: srv, Store: st, Clock: clock, URL: hs.URL, Clients: map[store.Role]*testClient{}}
	d.Anon = d.newClient()
	for _, role := range store.Roles {
		if _, err := AddUser(context.Background(), srv.accounts, string(role), testPassword, []store.Role{role}, "", bcrypt.MinCost, clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := d.newClient()
		c.signIn(string(role), testPassword)
		d.Clients[role] = c
	}
	return srv, d
}

// testClient is a browser without JavaScript: cookies, no automatic
// redirects (tests look at them), and the session's CSRF token.
type testClient struct {
	t    *testing.T
	base string
	c    *http.Client
	// CSRF is the session's token, read after sign-in.
	CSRF string
}

func (d *testDesk) newClient() *testClient {
	jar, _ := cookiejar.New(nil)
	return &testClient{t: d.t, base: d.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// testResponse is a response read whole.
type testResponse struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the redirect target.
func (r *testResponse) Location() string { return r.Header.Get("Location") }

// JSON decodes the body into v.
func (r *testResponse) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.Body)
	}
}

func (c *testClient) do(req *http.Request) *testResponse {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &testResponse{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// get fetches path.
func (c *testClient) get(path string) *testResponse {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post posts form to path with the session's CSRF token added.
func (c *testClient) post(path string, form url.Values) *testResponse {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get(csrfField) == "" {
		form.Set(csrfField, c.CSRF)
	}
	return c.postRaw(path, form)
}

// postRaw posts form as it is (no token added).
func (c *testClient) postRaw(path string, form url.Values) *testResponse {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// api sends a JSON request (body nil: none) with the CSRF header.
func (c *testClient) api(method, path string, body any) *testResponse {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.CSRF != "" {
		req.Header.Set(csrfHeader, c.CSRF)
	}
	return c.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn goes through the sign-in form as a browser would.
func (c *testClient) signIn(login, password string) *testResponse {
	c.t.Helper()
	form := c.get("/login")
	m := csrfInput.FindStringSubmatch(form.Body)
	if m == nil {
		c.t.Fatalf("no CSRF field on /login:\n%s", form.Body)
	}
	res := c.postRaw("/login", url.Values{"login": {login}, "password": {password}, csrfField: {m[1]}})
	if res.Status == http.StatusSeeOther {
		var info apiSessionInfo
		c.api(http.MethodGet, "/api/v1/session", nil).JSON(c.t, &info)
		c.CSRF = info.CSRF
	}
	return res
}

// follow fetches the redirect target of res (which must be a redirect).
func (c *testClient) follow(res *testResponse) *testResponse {
	c.t.Helper()
	if res.Status != http.StatusSeeOther && res.Status != http.StatusFound {
		c.t.Fatalf("status %d, want a redirect; body:\n%s", res.Status, res.Body)
	}
	return c.get(res.Location())
}

// wantStatus fails the test when res has another status.
func wantStatus(t *testing.T, res *testResponse, want int) {
	t.Helper()
	if res.Status != want {
		body := res.Body
		if len(body) > 3000 {
			body = body[:3000] + "…"
		}
		t.Fatalf("status %d, want %d; body:\n%s", res.Status, want, body)
	}
}

// wantContains fails when body lacks any of the substrings.
func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			if len(body) > 4000 {
				body = body[:4000] + "…"
			}
			t.Fatalf("page lacks %q:\n%s", s, body)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// testCommunes is the embedded territory reference.
func testCommunes() (*territory.Reference, error) { return territory.Default() }
