package plugins

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

// countHandler counts records and checks each carries the plugin's name.
type countHandler struct {
	n     *int
	named *bool
	attrs []slog.Attr
}

func (h countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countHandler) Handle(_ context.Context, r slog.Record) error {
	*h.n++
	ok := false
	for _, a := range h.attrs {
		ok = ok || (a.Key == "plugin" && a.Value.String() == "p")
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "plugin" {
			ok = false // a plugin cannot pass itself off as another
		}
		return true
	})
	*h.named = *h.named && ok
	return nil
}
func (h countHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return h
}
func (h countHandler) WithGroup(string) slog.Handler { return h }

// FuzzPluginLogLine: whatever a plugin writes to its log, each line
// becomes one record of the host's log, with the plugin's name and no
// other "plugin" attribute; nothing panics.
func FuzzPluginLogLine(f *testing.F) {
	f.Add([]byte(`{"@level":"warn","@message":"feed read","@timestamp":"2026-01-01T00:00:00Z","places":188}`))
	f.Add([]byte(`{"@level":"error","plugin":"other","@message":3}`))
	f.Add([]byte("not json\n{\"@level\":"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, named := 0, true
		w := &slogWriter{log: slog.New(countHandler{n: &n, named: &named}).With("plugin", "p")}
		line := append(append([]byte(nil), b...), '\n')
		if _, err := w.Write(line); err != nil {
			t.Fatal(err)
		}
		if want := bytes.Count(line, []byte{'\n'}); n != want {
			t.Fatalf("%d records for %d lines", n, want)
		}
		if !named {
			t.Fatal("a record lacks the plugin's name, or carries another")
		}
	})
}
