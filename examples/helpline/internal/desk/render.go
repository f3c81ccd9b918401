package desk

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page is what every template receives as dot: the page's own data in
// Data, and what the layout needs (language, account, CSRF token, the
// active menu entry).
type Page struct {
	Lang    assessment.Lang
	Title   string // a catalogue key
	Nav     string // the active menu entry: call, followup, actions, ...
	Account *store.Account
	CSRF    string
	Flash   string // a message shown above the content (already translated)
	Path    string // the request path, for the language switch
	Data    any
}

// T returns the catalogue text of key in the page's language, formatted
// with args when given.
func (p *Page) T(key string, args ...any) string { return tr(p.Lang, key, args...) }

// CSRFField is the hidden input every form carries.
func (p *Page) CSRFField() template.HTML {
	return template.HTML(`<input type="hidden" name="` + csrfField + `" value="` + template.HTMLEscapeString(p.CSRF) + `">`)
}

// Can reports whether the signed-in account holds role (admins hold all).
func (p *Page) Can(role string) bool { return p.Account != nil && p.Account.Has(store.Role(role)) }

// OtherLang is the language the switch link offers.
func (p *Page) OtherLang() string {
	if p.Lang == assessment.LangEN {
		return "fr"
	}
	return "en"
}

var funcs = template.FuncMap{
	"km":    func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"join":  strings.Join,
	"date":  func(t time.Time) string { return t.Format("2006-01-02") },
	"stamp": func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"add":   func(a, b int) int { return a + b },
	"dict2": func(p *Page, r referralView, aut []choice, at, back string) statusFormData {
		return statusFormData{Page: p, Ref: r, Autonomy: aut, DefaultAt: at, Back: back}
	},
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
}

// statusFormData is what the "statusform" partial needs.
type statusFormData struct {
	Page      *Page
	Ref       referralView
	Autonomy  []choice
	DefaultAt string
	Back      string
}

// parsePages builds one template per page: the layout and the partials
// (templates/_*.html) with the page file templates/NAME.html, which defines
// "content". Every page file is picked up, so adding a page is adding a file.
func parsePages() (map[string]*template.Template, error) {
	base := template.New("layout.html").Funcs(funcs)
	if _, err := base.ParseFS(templateFS, "templates/layout.html"); err != nil {
		return nil, fmt.Errorf("desk: templates: %w", err)
	}
	partials, _ := fs.Glob(templateFS, "templates/_*.html")
	if len(partials) > 0 {
		if _, err := base.ParseFS(templateFS, partials...); err != nil {
			return nil, fmt.Errorf("desk: templates: %w", err)
		}
	}
	files, _ := fs.Glob(templateFS, "templates/*.html")
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("desk: templates: %w", err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page returns a Page for r with the layout's fields filled.
func (s *Server) page(r *http.Request, title, nav string, data any) *Page {
	p := &Page{Lang: langOf(r.Context()), Title: title, Nav: nav, Data: data, Path: getPath(r)}
	if ss, ok := s.sessionOf(r); ok {
		p.Account = ss.account()
		p.CSRF = ss.CSRF
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		p.Flash = tr(p.Lang, c.Value)
	}
	return p
}

// getPath is where the language switch of a page leads: the page itself,
// or for a page shown after a POST, the screen the form belongs to.
func getPath(r *http.Request) string {
	p := r.URL.Path
	if r.Method == http.MethodGet {
		return p
	}
	switch {
	case strings.HasPrefix(p, "/questions"):
		return "/questions"
	case strings.HasPrefix(p, "/call/"), strings.HasPrefix(p, "/referrals/"):
		return path.Dir(p)
	case p == "/actions" || p == "/login" || p == "/account/password":
		return p
	case strings.HasPrefix(p, "/admin/accounts"):
		return "/admin/accounts"
	}
	return "/"
}

// render writes page name with status. The page is executed into a buffer
// first, so a template error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		http.Error(w, tr(p.Lang, "error.500"), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("template", "page", name, "err", err)
		http.Error(w, tr(p.Lang, "error.500"), http.StatusInternalServerError)
		return
	}
	if p.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// flashCookie carries a catalogue key to show on the next page (after a
// redirect): never data.
const flashCookie = "desk_flash"

// redirectFlash redirects to target (303) with a message key for the
// next page.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, target, key string) {
	if key != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// errorData is the error page's content.
type errorData struct {
	Status  int
	Message string
}

// fail answers an error: the error page, or JSON for the API. message is
// already in the request's language and says what is wrong and where.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	if isAPI(r) {
		s.apiError(w, r, status, strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), message)
		return
	}
	s.render(w, r, status, "error", s.page(r, "error.title", "", errorData{Status: status, Message: message}))
}

// internal logs err and answers 500 without showing it.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "route", r.Pattern, "err", err)
	s.fail(w, r, http.StatusInternalServerError, tr(langOf(r.Context()), "error.500"))
}

// apiProblem is the JSON error of the API.
type apiProblem struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (s *Server) apiError(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	writeJSON(w, status, apiProblem{Error: code, Message: message})
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// CSP is the Content-Security-Policy of every answer: nothing from
// elsewhere, no inline script or style.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"

// notePattern lets the request log see the pattern the mux matched (the mux
// sets it on the request it receives, a copy of the outer one).
func notePattern(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if sw, ok := w.(*statusWriter); ok {
			sw.route = r.Pattern
		}
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	route  string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, route pattern (never the
// query string, which may carry a commune typed by a caller), status and
// duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := sw.route
		if route == "" {
			route = "(none)"
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
	})
}
