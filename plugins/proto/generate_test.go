package pluginpb

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates the Go code into a temporary
// directory and compares it with the committed files, so a .proto edited
// without regenerating fails. Without protoc or the generators it skips,
// except in CI where it must run.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	tools := map[string]string{}
	for _, name := range []string{"protoc", "protoc-gen-go", "protoc-gen-go-grpc"} {
		p, err := lookTool(name)
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found but CI is set: install protoc 3.21, protoc-gen-go v1.36.12, protoc-gen-go-grpc 1.6.1", name)
			}
			t.Skipf("%s not found; install protoc 3.21, protoc-gen-go v1.36.12 and protoc-gen-go-grpc 1.6.1 to run this test", name)
		}
		tools[name] = p
	}
	out := t.TempDir()
	cmd := exec.Command(tools["protoc"], "--proto_path=.",
		"--plugin=protoc-gen-go="+tools["protoc-gen-go"],
		"--plugin=protoc-gen-go-grpc="+tools["protoc-gen-go-grpc"],
		"--go_out="+out, "--go_opt=paths=source_relative",
		"--go-grpc_out="+out, "--go-grpc_opt=paths=source_relative",
		"passerelle_plugin.proto")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v\n%s", err, b)
	}
	for _, f := range []string{"passerelle_plugin.pb.go", "passerelle_plugin_grpc.pb.go"} {
		want, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./plugins/proto (with the tool versions named in generate.go)", f)
		}
	}
}

// lookTool finds a tool on PATH, then in GOPATH/bin where go install puts it.
func lookTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	home, _ := os.UserHomeDir()
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = filepath.Join(home, "go")
	}
	return exec.LookPath(filepath.Join(gopath, "bin", name))
}
