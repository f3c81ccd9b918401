package plugins

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

// Options tunes how the host runs a plugin. A nil *Options means the
// defaults named on each field.
type Options struct {
	// CallTimeout bounds every unary call (default 5 s).
	CallTimeout time.Duration
	// StreamTimeout bounds a whole directory stream (default 60 s).
	StreamTimeout time.Duration
	// StartTimeout bounds the start and handshake (default 10 s).
	StartTimeout time.Duration
	// BreakAfter consecutive failures open the circuit (default 3).
	BreakAfter int
	// MinBackoff and MaxBackoff bound the wait before a restart or a new
	// try after the circuit opened; it doubles with each failure (defaults
	// 100 ms and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// Logger receives the plugin's logs and the host's notes about it,
	// with a "plugin" attribute (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Env is added to the host's environment for the plugin process
	// (plugins are started without arguments; they read settings there).
	Env []string
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&r.CallTimeout, 5*time.Second)
	def(&r.StreamTimeout, 60*time.Second)
	def(&r.StartTimeout, 10*time.Second)
	def(&r.MinBackoff, 100*time.Millisecond)
	def(&r.MaxBackoff, 30*time.Second)
	if r.BreakAfter <= 0 {
		r.BreakAfter = 3
	}
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	return r
}

// Plugin is one installed plugin, started on first use, restarted with
// backoff after a crash, behind a circuit breaker. It is safe for
// concurrent use. Close stops the process.
type Plugin struct {
	manifest Manifest
	dir      string
	path     string
	opts     Options
	log      *slog.Logger

	mu        sync.Mutex
	client    *goplugin.Client
	rpc       goplugin.ClientProtocol
	failures  int
	notBefore time.Time
	closed    bool
	starts    int
}

// Open finds the plugin name in dir and verifies it (manifest, location,
// checksum) without starting it.
func Open(dir, name string, o *Options) (*Plugin, error) {
	ms, err := Discover(dir)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Name != name {
			continue
		}
		path, err := Verify(dir, m)
		if err != nil {
			return nil, err
		}
		opts := o.withDefaults()
		return &Plugin{manifest: m, dir: dir, path: path, opts: opts, log: opts.Logger.With("plugin", m.Name)}, nil
	}
	return nil, fmt.Errorf("%w: %q in %s", ErrNotFound, name, dir)
}

// OpenAll opens every plugin installed in dir. On error none stays open.
func OpenAll(dir string, o *Options) ([]*Plugin, error) {
	ms, err := Discover(dir)
	if err != nil {
		return nil, err
	}
	out := make([]*Plugin, 0, len(ms))
	for _, m := range ms {
		p, err := Open(dir, m.Name, o)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Manifest returns the plugin's installed manifest.
func (p *Plugin) Manifest() Manifest { return p.manifest }

// Starts returns how many times the process was started.
func (p *Plugin) Starts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.starts
}

// Close stops the plugin process. Later calls fail with ErrClosed.
func (p *Plugin) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.stopLocked()
	return nil
}

func (p *Plugin) stopLocked() {
	if p.client != nil {
		p.client.Kill()
		p.client, p.rpc = nil, nil
	}
}

// pid is the plugin's process id, 0 when it is not running.
func (p *Plugin) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return 0
	}
	if rc := p.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}

// Kill stops the process with SIGKILL, as a crash would, for tests of
// supervision; the next call restarts it. It reports whether a process
// was running.
func (p *Plugin) Kill() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return false
	}
	if rc := p.client.ReattachConfig(); rc != nil {
		if proc, err := os.FindProcess(rc.Pid); err == nil {
			proc.Kill()
		}
	}
	p.stopLocked()
	return true
}

// Start starts the process now if it is not running (calls start it
// anyway); it checks that the running binary describes itself as its
// manifest says.
func (p *Plugin) Start(ctx context.Context) error {
	v, err := p.dispense(wire.KindDescribe)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.CallTimeout)
	defer cancel()
	m, err := v.(*wire.DescribeClient).Describe(ctx)
	if err != nil {
		return p.failed(err)
	}
	if m.Name != p.manifest.Name || m.Version != p.manifest.Version {
		p.Kill()
		return fmt.Errorf("%w: plugin %q: the binary says %s %s, the manifest %s %s", ErrBadManifest, p.manifest.Name, m.Name, m.Version, p.manifest.Name, p.manifest.Version)
	}
	p.succeeded()
	return nil
}

// dispense returns the client of a kind, starting or restarting the
// process when needed, unless the circuit is open.
func (p *Plugin) dispense(kind string) (any, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, fmt.Errorf("%w: %q", ErrClosed, p.manifest.Name)
	}
	if kind != wire.KindDescribe && !p.manifest.Provides(kind) {
		return nil, fmt.Errorf("%w: plugin %q does not declare %q", ErrUnsupported, p.manifest.Name, kind)
	}
	if p.client != nil && p.client.Exited() {
		p.log.Warn("plugin process exited; restarting")
		p.stopLocked()
	}
	// The circuit opens after BreakAfter failures in a row, or at once
	// when the process could not start: calls fail fast until notBefore.
	if now := p.opts.Now(); now.Before(p.notBefore) {
		return nil, fmt.Errorf("%w: plugin %q: next try in %s", ErrCircuitOpen, p.manifest.Name, p.notBefore.Sub(now).Round(time.Millisecond))
	}
	if p.client == nil {
		if err := p.startLocked(); err != nil {
			p.failedLocked()
			return nil, err
		}
	}
	v, err := p.rpc.Dispense(kind)
	if err != nil {
		return nil, fmt.Errorf("plugin %q: %s: %w", p.manifest.Name, kind, err)
	}
	return v, nil
}

func (p *Plugin) startLocked() error {
	// Verify again just before exec, at every start and restart: the
	// binary may have been replaced since Open. Verify hashes only a file
	// that changed since it was last hashed, which is most of the saving
	// in a cold start (a binary of 20 MB takes about 20 ms to hash).
	path, err := Verify(p.dir, p.manifest)
	if err != nil {
		return err
	}
	p.path = path
	cmd := exec.Command(p.path)
	cmd.Env = append(append(os.Environ(), p.opts.Env...), wire.HostPIDEnv+"="+strconv.Itoa(os.Getpid()))
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  wire.Handshake(),
		VersionedPlugins: map[int]goplugin.PluginSet{wire.ProtocolVersion: wire.Plugins(wire.Manifest{}, wire.Impls{})},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		GRPCDialOptions:  wire.DialOptions(),
		StartTimeout:     p.opts.StartTimeout,
		Logger:           hclogToSlog(p.log),
		Stderr:           io.Discard,
		SyncStdout:       io.Discard,
		SyncStderr:       io.Discard,
	})
	rpc, err := c.Client()
	if err != nil {
		c.Kill()
		switch {
		case errors.Is(err, goplugin.ErrChecksumsDoNotMatch):
			return fmt.Errorf("%w: plugin %q: %v", ErrChecksum, p.manifest.Name, err)
		case strings.Contains(strings.ToLower(err.Error()), "incompatible"):
			return fmt.Errorf("%w: plugin %q: this host speaks protocol %v: %v", ErrIncompatible, p.manifest.Name, SupportedProtocols(), err)
		}
		return fmt.Errorf("%w: plugin %q: start: %v", ErrUnavailable, p.manifest.Name, err)
	}
	p.client, p.rpc = c, rpc
	p.starts++
	p.log.Debug("plugin started", "starts", p.starts)
	return nil
}

// failed records a failed call and returns err. Errors that say the
// request was wrong, or that the caller gave up, do not count against the
// plugin.
func (p *Plugin) failed(err error) error {
	if errors.Is(err, ErrInvalid) || errors.Is(err, context.Canceled) || errors.Is(err, ErrUnsupported) {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failedLocked()
	if errors.Is(err, ErrGarbage) || errors.Is(err, context.DeadlineExceeded) {
		// A plugin that lies or hangs gets a fresh process.
		p.stopLocked()
	}
	return err
}

func (p *Plugin) failedLocked() {
	p.failures++
	if p.failures >= p.opts.BreakAfter || p.client == nil {
		d := p.opts.MinBackoff << min(p.failures-1, 20)
		if d > p.opts.MaxBackoff || d <= 0 {
			d = p.opts.MaxBackoff
		}
		p.notBefore = p.opts.Now().Add(d)
		p.log.Warn("plugin failing; backing off", "failures", p.failures, "backoff", d)
	}
}

func (p *Plugin) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failures = 0
	p.notBefore = time.Time{}
}

// hclogToSlog makes go-plugin's logger (which also carries the plugin's
// own log lines) write into slog.
func hclogToSlog(l *slog.Logger) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Level:      hclog.Debug,
		JSONFormat: true,
		Output:     &slogWriter{log: l},
	})
}

type slogWriter struct {
	log *slog.Logger
	mu  sync.Mutex
	buf []byte
}

func (w *slogWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		w.line(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

func (w *slogWriter) line(b []byte) {
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		w.log.Info(string(b))
		return
	}
	level := slog.LevelInfo
	switch rec["@level"] {
	case "trace", "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	msg, _ := rec["@message"].(string)
	attrs := make([]any, 0, 2*len(rec))
	for k, v := range rec {
		if strings.HasPrefix(k, "@") || k == "plugin" {
			continue
		}
		attrs = append(attrs, k, v)
	}
	w.log.Log(context.Background(), level, msg, attrs...)
}
