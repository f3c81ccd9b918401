// Command loadtest puts the helpline desk under the load of many
// teleadvisors at once, on loopback: each signs in once, then runs whole
// calls one after the other (the triage question by question, the commune
// and a need, the proposals, the record, the follow-up list and a status
// change), clicking through the pages as a browser without JavaScript does.
// It stops by itself after --duration (the calls under way finish), then
// prints the page times per route (p50, p95, p99, max, in milliseconds)
// and the errors as JSON. The exit code is 1 when any request failed.
//
//	go run ./examples/helpline/loadtest                    # 50 teleadvisors, 60 s, desk in-process on SQLite
//	go run ./examples/helpline/loadtest --users 5 --duration 3s --store memory:
//	go run ./examples/helpline/loadtest --url http://127.0.0.1:8080 --store sqlite:passerelle-desk.db
//
// Without --url, the desk runs in this process on 127.0.0.1 (a random
// port) over --store (a fresh SQLite file in a temporary directory by
// default). With --url, the desk runs elsewhere: the accounts are created
// in --store when given (the desk's own store), else they must exist
// already (login PREFIX01, PREFIX02, ... and --password).
//
// Persons are pseudonymous: the load test types commune names and ticks
// needs, nothing else.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/examples/helpline/internal/desk"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/openstore"
	"github.com/passerelle-sante/passerelle/territory"
)

// options are the load test's settings.
type options struct {
	users      int
	duration   time.Duration
	think      time.Duration
	timeout    time.Duration
	target     string
	storeURL   string
	password   string
	prefix     string
	bcryptCost int
	seed       uint64
	out        string
}

func parseOptions(args []string, stderr io.Writer, getenv func(string) string) (options, error) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.users, "users", 50, "concurrent teleadvisors (1 to 1000)")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long new calls start; the calls under way then finish")
	fs.DurationVar(&o.think, "think", 0, "mean pause of a teleadvisor between two pages (0: none, the worst case)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "longest wait for one page")
	fs.StringVar(&o.target, "url", "", "base URL of a running desk; empty: start one in this process on loopback")
	fs.StringVar(&o.storeURL, "store", "", "store of the desk (sqlite:PATH, postgres://..., memory:); empty: a new SQLite file in a temporary directory (in-process only)")
	fs.StringVar(&o.password, "password", getenv("LOADTEST_PASSWORD"), "password of the teleadvisor accounts (env LOADTEST_PASSWORD); empty: a random one (needs the accounts to be created here)")
	fs.StringVar(&o.prefix, "login-prefix", "charge-", "logins of the accounts: PREFIX01, PREFIX02, ...")
	fs.IntVar(&o.bcryptCost, "bcrypt-cost", 12, "bcrypt cost of the accounts created and of the in-process desk (4 to 31; 12 in production)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the teleadvisors' choices")
	fs.StringVar(&o.out, "out", "-", "file for the JSON summary; - is the standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: go run ./examples/helpline/loadtest [flags]")
		fmt.Fprintln(stderr, "Runs whole calls of --users teleadvisors for --duration and prints the page times per route as JSON.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("loadtest takes no argument, got %q", fs.Arg(0))
	}
	switch {
	case o.users < 1 || o.users > 1000:
		return o, fmt.Errorf("--users %d: from 1 to 1000", o.users)
	case o.duration <= 0 || o.duration > time.Hour:
		return o, fmt.Errorf("--duration %s: more than 0 and at most 1h", o.duration)
	case o.think < 0:
		return o, fmt.Errorf("--think %s: negative", o.think)
	case o.timeout <= 0:
		return o, fmt.Errorf("--timeout %s: must be positive", o.timeout)
	case o.bcryptCost < 4 || o.bcryptCost > 31:
		return o, fmt.Errorf("--bcrypt-cost %d: from 4 to 31", o.bcryptCost)
	case o.prefix != "" && !store.ValidLogin(o.prefix+"01"):
		return o, fmt.Errorf("--login-prefix %q: logins are a-z 0-9 . _ - starting with a letter or digit", o.prefix)
	}
	if o.target != "" {
		u, err := url.Parse(o.target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return o, fmt.Errorf("--url %q: not an http(s) base URL such as http://127.0.0.1:8080", o.target)
		}
		if o.storeURL == "" && o.password == "" {
			return o, errors.New("--url without --store: the accounts must exist already; give their --password")
		}
	}
	return o, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := mainCode(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func mainCode(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, err := parseOptions(args, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	sum, err := run(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	w := stdout
	if o.out != "-" && o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			fmt.Fprintln(stderr, "loadtest:", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	fmt.Fprintf(stderr, "loadtest: %d teleadvisors, %d calls, %d requests (%.0f/s), %d errors; all pages p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; call pages (no sign-in) p99 %.1f ms; sign-in p50 %.0f ms\n",
		sum.Users, sum.CallsCompleted, sum.Requests, sum.RequestsPerS, sum.Errors, sum.All.P50, sum.All.P95, sum.All.P99,
		sum.Calls.P99, sum.Routes["POST /login"].P50)
	if sum.Errors > 0 {
		return 1
	}
	return 0
}

// run starts the desk when needed, creates the accounts, runs the
// teleadvisors and sums up.
func run(ctx context.Context, o options, stderr io.Writer) (Summary, error) {
	if o.password == "" {
		o.password = desk.RandomPassword(20)
	}
	var st store.Store
	if o.storeURL == "" && o.target == "" {
		dir, err := os.MkdirTemp("", "passerelle-loadtest-")
		if err != nil {
			return Summary{}, err
		}
		defer os.RemoveAll(dir)
		o.storeURL = "sqlite:" + filepath.Join(dir, "desk.db")
	}
	if o.storeURL != "" {
		var err error
		if st, err = openstore.Open(ctx, o.storeURL); err != nil {
			return Summary{}, fmt.Errorf("--store: %w", err)
		}
		defer st.Close()
		if err := createAccounts(ctx, st, o); err != nil {
			return Summary{}, err
		}
	}
	target := o.target
	if target == "" {
		srv, err := desk.New(desk.Config{Store: st, BcryptCost: o.bcryptCost, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return Summary{}, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return Summary{}, err
		}
		hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = hs.Shutdown(sctx)
		}()
		target = "http://" + ln.Addr().String()
		fmt.Fprintf(stderr, "loadtest: desk in-process on %s over %s\n", target, openstore.Describe(o.storeURL))
	}
	base, err := url.Parse(target)
	if err != nil {
		return Summary{}, err
	}
	communes, err := communeNames(o.seed)
	if err != nil {
		return Summary{}, err
	}

	st8 := newStats()
	transport := &http.Transport{MaxIdleConns: o.users * 2, MaxIdleConnsPerHost: o.users * 2, IdleConnTimeout: 90 * time.Second}
	defer transport.CloseIdleConnections()
	start := time.Now()
	deadline := start.Add(o.duration)
	// The calls under way when the deadline passes finish; none waits for
	// more than a few page timeouts after it.
	hard, cancel := context.WithDeadline(ctx, deadline.Add(3*o.timeout))
	defer cancel()
	var wg sync.WaitGroup
	for i := range o.users {
		ta := &teleadvisor{
			b:     newBrowser(base, st8, o.timeout, transport),
			login: loginOf(o.prefix, i), password: o.password, communes: communes, think: o.think, stats: st8,
			rng: rand.New(rand.NewPCG(o.seed, uint64(i))),
		}
		wg.Go(func() { ta.work(hard, deadline) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	sum := st8.summary()
	sum.Target = target
	if o.target != "" {
		sum.Target = o.target
	}
	sum.Users, sum.DurationS, sum.ElapsedS = o.users, o.duration.Seconds(), round2(elapsed.Seconds())
	sum.Think = o.think.String()
	if o.target == "" {
		sum.BcryptCost = o.bcryptCost
		sum.Store = openstore.Describe(o.storeURL)
	}
	sum.RequestsPerS = round2(float64(sum.Requests) / elapsed.Seconds())
	return sum, nil
}

// work signs in, then runs calls until the deadline. A failed step is
// counted where it failed; the teleadvisor then starts a new call.
func (t *teleadvisor) work(ctx context.Context, deadline time.Time) {
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if err := t.signIn(ctx); err == nil {
			break
		}
		sleep(ctx, time.Second)
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if err := t.call(ctx); err != nil {
			sleep(ctx, 100*time.Millisecond)
			continue
		}
		t.stats.callDone()
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func loginOf(prefix string, i int) string { return fmt.Sprintf("%s%02d", prefix, i+1) }

// createAccounts stores the teleadvisor accounts (one bcrypt hash for all:
// they share the password). An account already there is kept as it is.
func createAccounts(ctx context.Context, st store.Store, o options) error {
	hash, err := desk.HashPassword(o.password, o.bcryptCost)
	if err != nil {
		return fmt.Errorf("--password: %w", err)
	}
	now := time.Now().UTC()
	for i := range o.users {
		a := store.Account{ID: uuid.New(), Login: loginOf(o.prefix, i), PasswordHash: hash,
			Roles: []store.Role{store.RoleTeleadvisor}, CreatedAt: now}
		if err := st.SaveAccount(ctx, a); err != nil && !errors.Is(err, store.ErrLoginTaken) {
			return fmt.Errorf("account %s: %w", a.Login, err)
		}
	}
	return nil
}

// communeNames are what teleadvisors type: the name and postal code of
// metropolitan communes of 1,000 people or more, in an order of the seed.
func communeNames(seed uint64) ([]string, error) {
	ref, err := territory.Default()
	if err != nil {
		return nil, err
	}
	var out []string
	for c := range ref.All() {
		if c.Zone == "metro" && c.Population >= 1000 && len(c.PostalCodes) > 0 {
			out = append(out, c.Name+" "+c.PostalCodes[0])
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no commune in the territory reference")
	}
	slices.Sort(out)
	rng := rand.New(rand.NewPCG(seed, 0))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
