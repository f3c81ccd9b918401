// Package desk is the web application of the helpline desk (the « guichet
// téléphonique »): a teleadvisor signs in, triages a caller with the
// adaptive phone triage, finds the commune, proposes pathways and places,
// records the referral and prints the orientation sheet; follows the
// referrals up; ambassadors record their actions and answer the mediators'
// questions; coordinators see the coverage and the yearly report.
//
// It is built only on passerelle's public API and Go's standard library
// (net/http, html/template, embed). Pages work without JavaScript: every
// form posts and redirects. A small JSON API under /api/v1 mirrors the
// screens (see examples/helpline/openapi.yaml).
//
// Persons are pseudonymous ids: no page, log line or API answer carries a
// name, phone number, e-mail address or free text about a caller.
package desk

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
	"golang.org/x/crypto/bcrypt"
)

// Config is what a desk needs. Only Store is required; every other field
// has a default.
type Config struct {
	// Store keeps referrals, the ambassador network and the outbox.
	Store store.Store
	// Accounts keeps the staff accounts; nil means Store's own.
	Accounts store.Accounts
	// Directory answers "which places near this commune"; nil means the
	// embedded real places of referral/demo.
	Directory mediation.Directory
	// Rules decide the pathways; nil means the national rules.
	Rules *referral.Rules
	// Communes is the territory reference; nil means territory.Default.
	Communes *territory.Reference
	// Logger receives one line per request and the errors; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Lang is the language of a visitor who chose none; "" means French.
	Lang assessment.Lang
	// BcryptCost hashes new passwords; 0 means 12. Tests use bcrypt.MinCost.
	BcryptCost int
	// SecureCookies marks cookies Secure even on plain HTTP (behind a TLS
	// proxy). Cookies of TLS requests are always Secure.
	SecureCookies bool
	// SessionIdle ends a session after this long without a request; 0
	// means 8 hours.
	SessionIdle time.Duration
	// SignInFailures failures within SignInWindow, per address or per
	// login, block further sign-in attempts with 429; 0 means 5 and 15
	// minutes.
	SignInFailures int
	SignInWindow   time.Duration
}

// Server is a helpline desk. Build it with New and serve Handler.
type Server struct {
	cfg      Config
	st       store.Store
	accounts store.Accounts
	dir      mediation.Directory
	rules    *referral.Rules
	communes *territory.Reference
	engine   *referral.Engine
	log      *slog.Logger
	now      func() time.Time
	lang     assessment.Lang

	pages    map[string]*template.Template
	sessions *sessionStore
	limiter  *limiter
	calls    *callStore
	// hashSlots bounds the bcrypt computations running at once; dummy is
	// compared against for an unknown login, at the configured cost, so an
	// unknown login and a wrong password take the same time.
	hashSlots chan struct{}
	dummy     func() []byte

	// routes are the patterns registered on the mux, for the OpenAPI
	// check and for the 404/405 handling.
	mu       sync.Mutex
	routes   []string
	handler  http.Handler
	initOnce sync.Once
}

// New checks cfg, fills its defaults and builds the desk's pages.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("desk: Config.Store is required")
	}
	s := &Server{cfg: cfg, st: cfg.Store}
	s.accounts = cfg.Accounts
	if s.accounts == nil {
		s.accounts = cfg.Store
	}
	s.log = cfg.Logger
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.now = cfg.Now
	if s.now == nil {
		s.now = time.Now
	}
	s.lang = cfg.Lang
	if s.lang == "" {
		s.lang = assessment.LangFR
	}
	if s.lang != assessment.LangFR && s.lang != assessment.LangEN {
		return nil, fmt.Errorf("desk: Config.Lang %q: the desk speaks fr or en", s.lang)
	}
	if s.cfg.BcryptCost == 0 {
		s.cfg.BcryptCost = 12
	}
	if s.cfg.BcryptCost < bcrypt.MinCost || s.cfg.BcryptCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("desk: Config.BcryptCost %d is outside %d..%d", s.cfg.BcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if s.cfg.SessionIdle <= 0 {
		s.cfg.SessionIdle = 8 * time.Hour
	}
	if s.cfg.SignInFailures <= 0 {
		s.cfg.SignInFailures = 5
	}
	if s.cfg.SignInWindow <= 0 {
		s.cfg.SignInWindow = 15 * time.Minute
	}
	var err error
	s.communes = cfg.Communes
	if s.communes == nil {
		if s.communes, err = territory.Default(); err != nil {
			return nil, fmt.Errorf("desk: territory: %w", err)
		}
	}
	s.dir = cfg.Directory
	if s.dir == nil {
		ix, err := demo.Directory(nil)
		if err != nil {
			return nil, fmt.Errorf("desk: directory: %w", err)
		}
		s.dir = ix
	}
	s.rules = cfg.Rules
	if s.rules == nil {
		if s.rules, err = referral.NationalRules(); err != nil {
			return nil, fmt.Errorf("desk: rules: %w", err)
		}
	}
	opts := referral.DefaultEngineOptions()
	opts.Load = s.st
	opts.Now = s.now
	// No memo of directory answers: a plugin refresh swaps the index, and
	// a desk's few queries per call need none.
	opts.CacheEntries = -1
	if s.engine, err = referral.NewEngine(referral.Infallible(s.rules), s.dir, s.communes, &opts); err != nil {
		return nil, fmt.Errorf("desk: engine: %w", err)
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.sessions = newSessionStore(s.now, s.cfg.SessionIdle)
	s.limiter = newLimiter(s.now, s.cfg.SignInFailures, s.cfg.SignInWindow)
	s.hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
	cost := s.cfg.BcryptCost
	s.dummy = sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte("not the password of anyone"), cost)
		if err != nil {
			panic("desk: bcrypt: " + err.Error())
		}
		return h
	})
	s.calls = newCallStore(s.now)
	return s, nil
}

// Handler returns the desk's HTTP handler: the pages, /static, /health and
// the JSON API, behind the security headers and the request log.
func (s *Server) Handler() http.Handler {
	s.initOnce.Do(func() {
		mux := http.NewServeMux()
		s.routesOn(mux)
		s.handler = s.logRequests(securityHeaders(s.withLang(notePattern(mux))))
	})
	return s.handler
}

// Routes returns the patterns the desk serves, in registration order.
func (s *Server) Routes() []string {
	s.Handler()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.routes...)
}

// handle registers h on mux under pattern and remembers the pattern.
func (s *Server) handle(mux *http.ServeMux, pattern string, h http.Handler) {
	s.mu.Lock()
	s.routes = append(s.routes, pattern)
	s.mu.Unlock()
	mux.Handle(pattern, h)
}

// ctxKey keys the request context values of the desk.
type ctxKey int

const (
	keySession ctxKey = iota
	keyLang
)

func langOf(ctx context.Context) assessment.Lang {
	if l, ok := ctx.Value(keyLang).(assessment.Lang); ok {
		return l
	}
	return assessment.LangFR
}
