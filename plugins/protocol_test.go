package plugins

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestManifestRecordsProtocols(t *testing.T) {
	_, m := install(t, "sink-jsonl")
	if !slices.Equal(m.Protocols, SupportedProtocols()) || !slices.Equal(m.Speaks(), SupportedProtocols()) {
		t.Fatalf("installed manifest speaks %v (protocols %v), want %v", m.Speaks(), m.Protocols, SupportedProtocols())
	}
	if old := (Manifest{Protocol: 1}); !slices.Equal(old.Speaks(), []int{1}) {
		t.Errorf("a manifest without protocols speaks %v, want [1]", old.Speaks())
	}
}

// rewriteManifest changes an installed manifest as a newer or older
// install would have written it; the binary stays the same.
func rewriteManifest(t *testing.T, dir string, m Manifest) {
	t.Helper()
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, m.Name+ManifestSuffix), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIncompatibleProtocolRefusedBeforeExec(t *testing.T) {
	dir, m := install(t, "sink-jsonl")
	m.Protocol, m.Protocols = 3, []int{2, 3}
	rewriteManifest(t, dir, m)
	// Discover still lists it, so "plugins list" shows what is there.
	if ms, err := Discover(dir); err != nil || len(ms) != 1 {
		t.Fatalf("Discover = %v, %v", ms, err)
	}
	for name, open := range map[string]func() error{
		"Open":    func() error { _, err := Open(dir, m.Name, nil); return err },
		"OpenAll": func() error { _, err := OpenAll(dir, nil); return err },
		"Verify":  func() error { _, err := Verify(dir, m); return err },
	} {
		err := open()
		if !errors.Is(err, ErrIncompatible) {
			t.Fatalf("%s = %v, want ErrIncompatible", name, err)
		}
		for _, want := range []string{`"sink-jsonl"`, "speaks protocol 2 or 3", "this host speaks 1"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", name, err, want)
			}
		}
	}

	// A plugin opened before its manifest changed is refused at its next
	// start, before exec: no process runs.
	dir, m = install(t, "sink-jsonl")
	p, err := Open(dir, m.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.manifest.Protocols, p.manifest.Protocol = []int{7}, 7
	if err := p.Start(context.Background()); !errors.Is(err, ErrIncompatible) || p.Starts() != 0 {
		t.Fatalf("Start = %v after %d starts, want ErrIncompatible and none", err, p.Starts())
	}
}

func TestInstallRefusesAnIncompatibleBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "future")
	script := "#!/bin/sh\necho '{\"name\":\"future\",\"version\":\"2.0.0\",\"kinds\":[\"event_sink\"],\"protocol\":3,\"protocols\":[2,3]}'\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err := Install(context.Background(), bin, dir)
	if !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "2 or 3") || !strings.Contains(err.Error(), bin) {
		t.Fatalf("Install = %v, want ErrIncompatible naming the binary and its protocols", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an incompatible plugin left %d files in the plugin directory", len(entries))
	}
}

func TestManifestProtocolsChecked(t *testing.T) {
	base := Manifest{Name: "x", Version: "1", Kinds: []string{KindDirectory}, Protocol: 1, SHA256: strings.Repeat("a", 64), Binary: "x"}
	for _, tc := range []struct {
		protocols []int
		want      string
	}{
		{[]int{2}, "protocols: [2] does not hold protocol 1"},
		{[]int{1, 0}, "protocols[1]"},
	} {
		m := base
		m.Protocols = tc.protocols
		if err := m.Check("x.manifest.json"); !errors.Is(err, ErrBadManifest) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("protocols %v: Check = %v, want %q", tc.protocols, err, tc.want)
		}
	}
}

// TestVerifyCacheSeesEveryChange: a binary rewritten in place, even with
// its size and modification time put back, is hashed again and refused.
func TestVerifyCacheSeesEveryChange(t *testing.T) {
	dir, m := install(t, "sink-jsonl")
	if _, err := Verify(dir, m); err != nil { // hashed and cached
		t.Fatal(err)
	}
	bin := filepath.Join(dir, m.Binary)
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(bin, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{last[0] ^ 0xff}, fi.Size()-1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	time.Sleep(10 * time.Millisecond)
	if err := os.Chtimes(bin, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dir, m); !errors.Is(err, ErrChecksum) {
		t.Fatalf("Verify after an in-place change = %v, want ErrChecksum", err)
	}
	// And a plugin opened before is refused at its next start.
	dir, m = install(t, "sink-jsonl")
	p, err := Open(dir, m.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	g, err := os.OpenFile(filepath.Join(dir, m.Binary), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	g.Write([]byte("x"))
	g.Close()
	if err := p.Start(context.Background()); !errors.Is(err, ErrChecksum) || p.Starts() != 0 {
		t.Fatalf("Start of a replaced binary = %v after %d starts, want ErrChecksum and none", err, p.Starts())
	}
}
