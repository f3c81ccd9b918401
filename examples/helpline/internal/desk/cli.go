package desk

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/openstore"
)

// Main is the helpline command: serve the desk (default), or "adduser".
// It returns the process exit code: 0, 1 on a failure, 2 on bad usage.
// getenv reads the PASSERELLE_* variables that stand in for the flags.
// ready, when not nil, receives the listening address once the desk serves.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, ready func(addr string)) int {
	if len(args) > 0 && args[0] == "adduser" {
		return addUserCmd(ctx, args[1:], stdin, stdout, stderr, getenv)
	}
	return serveCmd(ctx, args, stderr, getenv, ready)
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// serveFlags are the settings of "helpline [serve]".
type serveFlags struct {
	addr, storeURL, pluginDir, rulesFile, lang string
	secureCookies                              bool
}

func serveCmd(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string, ready func(string)) int {
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("helpline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f serveFlags
	fs.StringVar(&f.addr, "addr", envOr(getenv, "PASSERELLE_ADDR", "127.0.0.1:8080"), "listen address (env PASSERELLE_ADDR)")
	fs.StringVar(&f.storeURL, "store", envOr(getenv, "PASSERELLE_STORE", "sqlite:passerelle-desk.db"), "store: sqlite:PATH, postgres://..., memory: (env PASSERELLE_STORE)")
	fs.StringVar(&f.pluginDir, "plugins", getenv("PASSERELLE_PLUGINS"), "plugin directory: directory plugins add places, sink plugins receive the events (env PASSERELLE_PLUGINS)")
	fs.StringVar(&f.rulesFile, "rules", getenv("PASSERELLE_RULES"), "regional rules file (YAML or JSON); default: the national rules (env PASSERELLE_RULES)")
	fs.StringVar(&f.lang, "lang", envOr(getenv, "PASSERELLE_LANG", "fr"), "default language of the screens: fr or en (env PASSERELLE_LANG)")
	fs.BoolVar(&f.secureCookies, "secure-cookies", getenv("PASSERELLE_SECURE_COOKIES") == "1", "mark cookies Secure (behind a TLS proxy)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: helpline [serve] [flags]\n       helpline adduser --login LOGIN --role ROLE[,ROLE] [--region CODE] < password")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "helpline: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	lang, ok := deskLang(f.lang)
	if !ok {
		fmt.Fprintf(stderr, "helpline: --lang %q: fr or en\n", f.lang)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(ctx, f, lang, log, stderr, ready); err != nil {
		fmt.Fprintf(stderr, "helpline: %v\n", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, f serveFlags, lang assessment.Lang, log *slog.Logger, stderr io.Writer, ready func(string)) error {
	st, err := openstore.Open(ctx, f.storeURL)
	if err != nil {
		return fmt.Errorf("--store %s: %w", openstore.Describe(f.storeURL), err)
	}
	defer st.Close()
	if _, err := EnsureAdmin(ctx, st, stderr, 0, time.Now()); err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	var rules *referral.Rules
	if f.rulesFile != "" {
		if rules, err = referral.LoadRulesFile(f.rulesFile, nil); err != nil {
			return fmt.Errorf("--rules %s: %w", f.rulesFile, err)
		}
	}
	dir, err := OpenDirectory(ctx, f.pluginDir, log)
	if err != nil {
		return err
	}
	defer dir.Close()
	srv, err := New(Config{Store: st, Directory: dir, Rules: rules, Logger: log, Lang: lang,
		SecureCookies: f.secureCookies})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", f.addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	go dir.keepFresh(bg, 10*time.Minute, st, log)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("desk listening", "url", "http://"+ln.Addr().String(), "store", openstore.Describe(f.storeURL), "places", dir.Len())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Directory is the desk's directory of places: the embedded real places of
// referral/demo, plus the places of the directory plugins of a plugin
// directory, merged, in an index swapped whole when the plugins refresh.
// Event-sink plugins of the same directory receive the store's outbox.
type Directory struct {
	ix      atomic.Pointer[mediation.Index]
	places  atomic.Pointer[[]mediation.Place]
	base    []mediation.Place
	mirrors []*plugins.Mirror
	sinks   []plugins.Deliverer
	open    []*plugins.Plugin
}

// OpenDirectory builds the directory: demo places, plus the plugins of
// pluginDir when it is not "".
func OpenDirectory(ctx context.Context, pluginDir string, log *slog.Logger) (*Directory, error) {
	base, err := demo.Places()
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	d := &Directory{base: base}
	if pluginDir != "" {
		ps, err := plugins.OpenAll(pluginDir, &plugins.Options{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("--plugins %s: %w", pluginDir, err)
		}
		d.open = ps
		for _, p := range ps {
			if src, err := p.Directory(); err == nil {
				m := plugins.NewMirror(src, nil)
				if _, err := m.Refresh(ctx); err != nil {
					d.Close()
					return nil, fmt.Errorf("--plugins %s: %s: %w", pluginDir, p.Manifest().Name, err)
				}
				d.mirrors = append(d.mirrors, m)
			}
			if sink, err := p.EventSink(); err == nil {
				d.sinks = append(d.sinks, sink)
			}
		}
	}
	if err := d.rebuild(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Directory) rebuild() error {
	places := d.base
	if len(d.mirrors) > 0 {
		sets := [][]mediation.Place{d.base}
		for _, m := range d.mirrors {
			sets = append(sets, m.Places())
		}
		places, _ = mediation.Merge(sets...)
	}
	ix, err := mediation.NewIndex(places, nil)
	if err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	d.ix.Store(ix)
	d.places.Store(&places)
	return nil
}

// Places returns the places of the current index (the embedded ones merged
// with the plugins'), for the coverage screen. The slice is shared: do not
// modify it.
func (d *Directory) Places() []mediation.Place { return *d.places.Load() }

// Nearby answers from the current index.
func (d *Directory) Nearby(ctx context.Context, q mediation.Query) ([]mediation.Result, error) {
	return d.ix.Load().Nearby(ctx, q)
}

// Len is how many places the directory holds.
func (d *Directory) Len() int { return d.ix.Load().Len() }

// Close stops the plugins.
func (d *Directory) Close() {
	for _, p := range d.open {
		_ = p.Close()
	}
	d.open = nil
}

// keepFresh refreshes the plugin mirrors every period (the last good index
// keeps serving when a plugin fails) and relays the outbox to the sink
// plugins every few seconds, until ctx ends.
func (d *Directory) keepFresh(ctx context.Context, period time.Duration, ob store.Outbox, log *slog.Logger) {
	if len(d.mirrors) == 0 && len(d.sinks) == 0 {
		return
	}
	refresh := time.NewTicker(period)
	defer refresh.Stop()
	relay := time.NewTicker(3 * time.Second)
	defer relay.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh.C:
			changed := false
			for _, m := range d.mirrors {
				rep, err := m.Refresh(ctx)
				if err != nil {
					log.Warn("directory plugin refresh failed; the last places keep serving", "err", err)
					continue
				}
				changed = changed || rep.Received > 0 || rep.Removed > 0
			}
			if changed {
				if err := d.rebuild(); err != nil {
					log.Error("directory rebuild", "err", err)
				}
			}
		case <-relay.C:
			if len(d.sinks) == 0 {
				continue
			}
			n, err := plugins.Relay{Outbox: ob, Sink: plugins.AllOf(d.sinks...)}.Drain(ctx)
			if err != nil && !errors.Is(err, context.Canceled) {
				log.Warn("event relay to sink plugins", "err", err, "delivered", n)
			}
		}
	}
}

func addUserCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("helpline adduser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	login := fs.String("login", "", "the new account's login (3 to 64 of a-z 0-9 . _ -)")
	role := fs.String("role", "", "role(s), comma-separated: teleadvisor, ambassador, coordinator, admin")
	region := fs.String("region", "", "région code that narrows a coordinator's view (e.g. 75); empty: France")
	storeURL := fs.String("store", envOr(getenv, "PASSERELLE_STORE", "sqlite:passerelle-desk.db"), "store (env PASSERELLE_STORE)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: helpline adduser --login LOGIN --role ROLE[,ROLE] [--region CODE] [--store URL] < password")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *login == "" || *role == "" {
		fmt.Fprintln(stderr, "helpline adduser: --login and --role are required")
		fs.Usage()
		return 2
	}
	var roles []store.Role
	for _, r := range strings.Split(*role, ",") {
		roles = append(roles, store.Role(strings.TrimSpace(r)))
	}
	pw, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(stderr, "helpline adduser: reading the password from stdin: %v\n", err)
		return 1
	}
	pw = strings.TrimRight(pw, "\r\n")
	st, err := openstore.Open(ctx, *storeURL)
	if err != nil {
		fmt.Fprintf(stderr, "helpline adduser: --store %s: %v\n", openstore.Describe(*storeURL), err)
		return 1
	}
	defer st.Close()
	a, err := AddUser(ctx, st, *login, pw, roles, *region, 0, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "helpline adduser: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "compte créé / account created: %s (%s)\n", a.Login, strings.Join(roleNames(a.Roles), ", "))
	return 0
}

func roleNames(rs []store.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
