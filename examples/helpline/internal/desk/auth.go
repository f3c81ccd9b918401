package desk

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/store"
	"golang.org/x/crypto/bcrypt"
)

// sessionCookie carries the session id; preCSRFCookie the sign-in form's
// CSRF token before any session exists (double submit).
const (
	sessionCookie = "desk_session"
	preCSRFCookie = "desk_csrf"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// session is one signed-in staff member, kept server-side.
type session struct {
	ID        string
	AccountID uuid.UUID
	Login     string
	Roles     []store.Role
	Region    string
	CSRF      string
	LastSeen  time.Time
	// Checked is when the account was last read again from the store
	// (a disabled account loses its sessions within recheckEvery).
	Checked time.Time
}

// recheckEvery is how often a session's account is read again.
const recheckEvery = 5 * time.Minute

// Account returns the session's account as the role checks see it.
func (ss *session) account() *store.Account {
	return &store.Account{ID: ss.AccountID, Login: ss.Login, Roles: ss.Roles, Region: ss.Region}
}

// sessionStore keeps the sessions in memory: a restart signs everyone out.
type sessionStore struct {
	mu   sync.Mutex
	m    map[string]*session
	now  func() time.Time
	idle time.Duration
}

func newSessionStore(now func() time.Time, idle time.Duration) *sessionStore {
	return &sessionStore{m: map[string]*session{}, now: now, idle: idle}
}

// randomToken returns n random bytes in URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("desk: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (st *sessionStore) create(a store.Account) *session {
	ss := &session{ID: randomToken(32), AccountID: a.ID, Login: a.Login, Roles: a.Roles, Region: a.Region,
		CSRF: randomToken(32), LastSeen: st.now(), Checked: st.now()}
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	for id, o := range st.m { // drop the expired ones now and then
		if now.Sub(o.LastSeen) > st.idle {
			delete(st.m, id)
		}
	}
	st.m[ss.ID] = ss
	return ss
}

// get returns the live session with this id and marks it seen; false when
// there is none or it has expired (it is then dropped).
func (st *sessionStore) get(id string) (*session, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ss, ok := st.m[id]
	if !ok {
		return nil, false
	}
	now := st.now()
	if now.Sub(ss.LastSeen) > st.idle {
		delete(st.m, id)
		return nil, false
	}
	ss.LastSeen = now
	cp := *ss
	return &cp, true
}

// refresh replaces the session's roles and région with the account's
// current ones, or drops the session when the account is gone or disabled.
func (st *sessionStore) refresh(id string, a *store.Account) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ss, ok := st.m[id]
	if !ok {
		return
	}
	if a == nil || a.Disabled {
		delete(st.m, id)
		return
	}
	ss.Roles, ss.Region, ss.Checked = a.Roles, a.Region, st.now()
}

// dropAccount ends every session of the account.
func (st *sessionStore) dropAccount(id uuid.UUID) { st.dropAccountExcept(id, "") }

// dropAccountExcept ends the account's sessions but keep (the one that
// changed the password).
func (st *sessionStore) dropAccountExcept(id uuid.UUID, keep string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for k, ss := range st.m {
		if ss.AccountID == id && k != keep {
			delete(st.m, k)
		}
	}
}

func (st *sessionStore) drop(id string) {
	st.mu.Lock()
	delete(st.m, id)
	st.mu.Unlock()
}

// secure reports whether cookies of r must be Secure.
func (s *Server) secure(r *http.Request) bool { return s.cfg.SecureCookies || r.TLS != nil }

// sessionOf returns the request's live session, if any.
func (s *Server) sessionOf(r *http.Request) (*session, bool) {
	if ss, ok := r.Context().Value(keySession).(*session); ok {
		return ss, true
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, false
	}
	ss, ok := s.sessions.get(c.Value)
	if ok && s.now().Sub(ss.Checked) >= recheckEvery {
		a, err := s.accounts.GetAccount(r.Context(), ss.AccountID)
		switch {
		case errors.Is(err, store.ErrAccountNotFound):
			s.sessions.refresh(ss.ID, nil)
		case err == nil:
			s.sessions.refresh(ss.ID, &a)
		default: // the store is down: keep the session as it is
			s.log.Warn("session: account check", "err", err)
			return ss, true
		}
		return s.sessions.get(c.Value)
	}
	return ss, ok
}

// isAPI tells the JSON API's requests, which get JSON errors and 401
// instead of a redirect.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// needs wraps h so that only a signed-in account holding one of roles
// reaches it (no role: any signed-in account), and so that every unsafe
// method carries the session's CSRF token (form field csrf or header
// X-CSRF-Token). Signed out: a redirect to /login (401 for the API).
func (s *Server) needs(h http.HandlerFunc, roles ...store.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ss, ok := s.sessionOf(r)
		if !ok {
			if isAPI(r) {
				s.apiError(w, r, http.StatusUnauthorized, "unauthenticated", "sign in first: POST /api/v1/login")
				return
			}
			next := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if len(roles) > 0 {
			acc := ss.account()
			allowed := false
			for _, role := range roles {
				if acc.Has(role) {
					allowed = true
					break
				}
			}
			if !allowed {
				names := make([]string, len(roles))
				for i, role := range roles {
					names[i] = tr(langOf(r.Context()), "role."+string(role))
				}
				s.fail(w, r, http.StatusForbidden, tr(langOf(r.Context()), "error.403.role", strings.Join(names, ", ")))
				return
			}
		}
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
				if err := r.ParseForm(); err != nil {
					var tooBig *http.MaxBytesError
					if errors.As(err, &tooBig) {
						s.fail(w, r, http.StatusRequestEntityTooLarge, tr(langOf(r.Context()), "error.413", maxBody/1024))
						return
					}
					s.fail(w, r, http.StatusBadRequest, tr(langOf(r.Context()), "error.400")+" "+err.Error())
					return
				}
			}
		}
		if unsafeMethod(r.Method) && !s.checkCSRF(r, ss.CSRF) {
			s.fail(w, r, http.StatusForbidden, tr(langOf(r.Context()), "error.csrf"))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), keySession, ss)))
	})
}

// maxBody bounds what a form or a JSON body may weigh.
const maxBody = 256 << 10

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF compares the request's token (header, else form field) with want.
func (s *Server) checkCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// contextWith is context.WithValue under the desk's keys.
func contextWith(ctx context.Context, k ctxKey, v any) context.Context {
	return context.WithValue(ctx, k, v)
}

// HashPassword checks a new password (at least 12 characters, at most 72
// bytes, bcrypt's limit) and returns its bcrypt hash at cost.
func HashPassword(pw string, cost int) (string, error) {
	if len([]rune(pw)) < 12 {
		return "", errors.New("password: at least 12 characters are needed")
	}
	if len(pw) > 72 {
		return "", errors.New("password: at most 72 bytes (bcrypt's limit)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// authenticate returns the account for login and password, or
// store.ErrAccountNotFound for any mismatch (unknown, disabled, wrong).
func (s *Server) authenticate(ctx context.Context, login, password string) (store.Account, error) {
	a, err := s.accounts.AccountByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrAccountNotFound) {
		return store.Account{}, err
	}
	hash := []byte(a.PasswordHash)
	if err != nil || a.Disabled {
		// An unknown or disabled login costs a comparison all the same,
		// at the same cost, so timing tells nothing.
		hash = s.dummy()
	}
	match, _ := withHashSlotFor(s.hashSlots, func() (bool, error) {
		return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
	})
	if err != nil || a.Disabled || !match {
		return store.Account{}, store.ErrAccountNotFound
	}
	return a, nil
}

// limiter counts sign-in failures per key (an address, a login) in a
// sliding window.
type limiter struct {
	mu     sync.Mutex
	now    func() time.Time
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(now func() time.Time, max int, window time.Duration) *limiter {
	return &limiter{now: now, max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked returns how long the keys are still blocked (0: not blocked).
func (l *limiter) blocked(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		ts := l.prune(k, now)
		if len(ts) >= l.max {
			if d := ts[len(ts)-l.max].Add(l.window).Sub(now); d > wait {
				wait = d
			}
		}
	}
	return wait
}

// fail records one failure under each key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		l.fails[k] = append(l.prune(k, now), now)
	}
	if len(l.fails) > 100_000 { // bound the memory under a spray of logins
		for k := range l.fails {
			if len(l.prune(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
	}
}

// reset forgets the failures of a key (after a good sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}

func (l *limiter) prune(k string, now time.Time) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = ts
	return ts
}

// clientIP is the request's remote address without the port. The desk
// listens on loopback or behind a proxy the integrator configures; it does
// not trust X-Forwarded-For.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
