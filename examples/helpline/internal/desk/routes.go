package desk

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/store"
)

// routesOn registers every route of the desk. Page routes and API routes
// go through s.handle so that Routes lists them (the OpenAPI test reads it).
func (s *Server) routesOn(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	s.handle(mux, "GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.handle(mux, "GET /health", http.HandlerFunc(s.health))
	s.handle(mux, "GET /{$}", s.needs(s.home))
	s.handle(mux, "GET /login", http.HandlerFunc(s.loginForm))
	s.handle(mux, "POST /login", http.HandlerFunc(s.loginSubmit))
	s.handle(mux, "POST /logout", s.needs(s.logout))

	s.handle(mux, "POST /api/v1/login", http.HandlerFunc(s.apiLogin))
	s.handle(mux, "POST /api/v1/logout", s.needs(s.apiLogout))
	s.handle(mux, "GET /api/v1/session", s.needs(s.apiSession))

	s.deskRoutes(mux)
	s.coordinatorRoutes(mux)
	s.adminRoutes(mux)

	// Anything else: a path served for other methods is a 405 with Allow,
	// the rest a 404, both in the visitor's language.
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r.Context())
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, p := mux.Handler(probe); p != "/" && p != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.fail(w, r, http.StatusMethodNotAllowed, tr(lang, "error.405")+" ("+r.Method+" "+r.URL.Path+")")
			return
		}
		s.fail(w, r, http.StatusNotFound, tr(lang, "error.404"))
	}))
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// health answers {"status":"ok","store":"ok"} when the store answers
// within 2 seconds, else 503 with "store":"error".
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.st.SchemaVersion(ctx); err != nil {
		s.log.Error("health: store", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "degraded", "store": "error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "store": "ok"})
}

// home sends each role to its first screen.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "home.title", "", nil)
	switch {
	case p.Account.Has(store.RoleTeleadvisor):
		http.Redirect(w, r, "/call", http.StatusSeeOther)
	case p.Account.Has(store.RoleAmbassador):
		http.Redirect(w, r, "/actions", http.StatusSeeOther)
	case p.Account.Has(store.RoleCoordinator):
		http.Redirect(w, r, "/coverage", http.StatusSeeOther)
	default:
		s.render(w, r, http.StatusOK, "home", p)
	}
}

// loginData is the sign-in page's content.
type loginData struct {
	Login string
	Next  string
	Error string
}

// loginForm shows the sign-in form with a fresh pre-session CSRF token.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.sessionOf(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.showLogin(w, r, http.StatusOK, loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	tok := randomToken(32)
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: tok, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure(r), MaxAge: 3600})
	p := s.page(r, "login.title", "", d)
	p.CSRF = tok
	s.render(w, r, status, "login", p)
}

// safeNext keeps a redirect target on this site: a path, never a
// scheme-relative or absolute URL.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// signIn checks the rate limit and the password, and opens a session.
// It returns the session, or the HTTP status and catalogue message of the
// refusal (with the seconds to wait, for 429).
func (s *Server) signIn(r *http.Request, login, password string) (*session, int, string, time.Duration) {
	lang := langOf(r.Context())
	login = strings.ToLower(strings.TrimSpace(login))
	ipKey, loginKey := "ip:"+clientIP(r), "login:"+login
	if wait := s.limiter.blocked(ipKey, loginKey); wait > 0 {
		s.log.Warn("sign-in blocked", "ip", clientIP(r))
		return nil, http.StatusTooManyRequests, tr(lang, "login.limited", int(wait.Minutes())+1), wait
	}
	a, err := s.authenticate(r.Context(), login, password)
	if err != nil {
		if !errors.Is(err, store.ErrAccountNotFound) {
			s.log.Error("sign-in: accounts", "err", err)
			return nil, http.StatusInternalServerError, tr(lang, "error.500"), 0
		}
		s.limiter.fail(ipKey, loginKey)
		s.log.Info("sign-in failed", "ip", clientIP(r))
		return nil, http.StatusUnauthorized, tr(lang, "login.failed"), 0
	}
	s.limiter.reset(loginKey)
	s.log.Info("signed in", "account", a.ID.String())
	return s.sessions.create(a), 0, "", 0
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, ss *session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: ss.ID, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// loginSubmit checks the form's CSRF token against the pre-session cookie,
// then the credentials.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, tr(langOf(r.Context()), "error.400"))
		return
	}
	c, err := r.Cookie(preCSRFCookie)
	if err != nil || !s.checkCSRF(r, c.Value) {
		s.fail(w, r, http.StatusForbidden, tr(langOf(r.Context()), "error.csrf"))
		return
	}
	login := r.PostFormValue("login")
	d := loginData{Login: login, Next: safeNext(r.PostFormValue("next"))}
	ss, status, message, wait := s.signIn(r, login, r.PostFormValue("password"))
	if ss == nil {
		if wait > 0 {
			w.Header().Set("Retry-After", retryAfter(wait))
		}
		d.Error = message
		s.showLogin(w, r, status, d)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Path: "/login", MaxAge: -1})
	s.setSessionCookie(w, r, ss)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

func retryAfter(d time.Duration) string {
	secs := int(d.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if ss, ok := s.sessionOf(r); ok {
		s.sessions.drop(ss.ID)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	s.redirectFlash(w, r, "/login", "login.out")
}

// apiSessionInfo is what the API says of the signed-in account.
type apiSessionInfo struct {
	Login  string       `json:"login"`
	Roles  []store.Role `json:"roles"`
	Region string       `json:"region,omitempty"`
	CSRF   string       `json:"csrf_token"`
}

func sessionInfo(ss *session) apiSessionInfo {
	return apiSessionInfo{Login: ss.Login, Roles: ss.Roles, Region: ss.Region, CSRF: ss.CSRF}
}

// apiLogin signs in from JSON {"login","password"}. It needs the JSON
// content type, which a cross-site form cannot send without a preflight.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.apiError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", "body: send application/json")
		return
	}
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		s.apiError(w, r, http.StatusBadRequest, "bad_request", "body: "+err.Error())
		return
	}
	ss, status, message, wait := s.signIn(r, in.Login, in.Password)
	if ss == nil {
		if wait > 0 {
			w.Header().Set("Retry-After", retryAfter(wait))
		}
		s.apiError(w, r, status, strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), message)
		return
	}
	s.setSessionCookie(w, r, ss)
	writeJSON(w, http.StatusOK, sessionInfo(ss))
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if ss, ok := s.sessionOf(r); ok {
		s.sessions.drop(ss.ID)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) {
	ss, _ := s.sessionOf(r)
	writeJSON(w, http.StatusOK, sessionInfo(ss))
}
