package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func buildExamplePlugins(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"../../examples/plugins/directory-lamednum", "../../examples/plugins/sink-jsonl")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

func TestPluginsCommands(t *testing.T) {
	bins := buildExamplePlugins(t)
	dir := t.TempDir()
	scratch := filepath.Join(t.TempDir(), "events.jsonl")
	feed, err := filepath.Abs("../../plugins/testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	run1 := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out})
		return code, out.String()
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"install sink", []string{"plugins", "install", filepath.Join(bins, "sink-jsonl"), "--dir", dir}, 0, []string{"installed sink-jsonl 0.1.0 (event_sink)"}},
		{"install directory", []string{"plugins", "install", "--dir", dir, filepath.Join(bins, "directory-lamednum")}, 0, []string{"installed directory-lamednum"}},
		{"list", []string{"plugins", "list", "--dir", dir}, 0, []string{"directory-lamednum", "sink-jsonl", "protocol 1"}},
		{"list json", []string{"plugins", "list", "--dir", dir, "--format", "json"}, 0, []string{`"sha256"`, `"kinds": [`}},
		{"verify", []string{"plugins", "verify", "--dir", dir}, 0, []string{"ok   directory-lamednum", "ok   sink-jsonl"}},
		{"check sink", []string{"plugins", "check", filepath.Join(bins, "sink-jsonl"), "--env", "SINK_JSONL_FILE=" + scratch}, 0, []string{"ok   start", "ok   deliver again (idempotent)", "ok   cancellation"}},
		{"check directory", []string{"plugins", "check", filepath.Join(bins, "directory-lamednum"), "--env", "LAMEDNUM_FILE=" + feed}, 0, []string{"ok   snapshot (188 places)", "ok   resume from cursor"}},
		{"check failing sink", []string{"plugins", "check", filepath.Join(bins, "sink-jsonl"), "--env", "SINK_JSONL_FAIL=always"}, 1, []string{"FAIL deliver: ", "failing on purpose", "contract checks failed"}},
		{"install without dir", []string{"plugins", "install", "x"}, 2, []string{"needs one BINARY and --dir"}},
		{"install not a plugin", []string{"plugins", "install", "/bin/true", "--dir", t.TempDir()}, 1, []string{"bad plugin manifest"}},
		{"list missing dir", []string{"plugins", "list", "--dir", filepath.Join(dir, "nope")}, 1, []string{"plugin directory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run1(tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}

	// A binary changed after install fails verify with exit 1.
	f, err := os.OpenFile(filepath.Join(dir, "sink-jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	code, out := run1("plugins", "verify", "--dir", dir)
	if code != 1 || !strings.Contains(out, "FAIL sink-jsonl") || !strings.Contains(out, "checksum mismatch") || !strings.Contains(out, "ok   directory-lamednum") {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}
}
