package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// runCLI runs one command line with the given stdin and returns the exit
// code, standard output and standard error.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errOut,
	})
	return code, out.String(), errOut.String()
}

func TestMainHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, want 0", args, code)
		}
		for _, c := range commands() {
			if !strings.Contains(out, "  "+c.name) {
				t.Errorf("%v: help does not list %q:\n%s", args, c.name, out)
			}
		}
	}
}

func TestMainUsageErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no command", nil, exitUsage, "needs a subcommand"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"typo gets a suggestion", []string{"asess"}, exitUsage, `did you mean "assess"?`},
		{"group without subcommand", []string{"places"}, exitUsage, "places needs a subcommand"},
		{"unknown subcommand", []string{"places", "nera"}, exitUsage, `did you mean "near"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantErr)
			}
			if !strings.Contains(stderr, "--help") {
				t.Errorf("stderr %q does not point to --help", stderr)
			}
		})
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	tests := []struct {
		args       []string
		wantPos    []string
		wantFormat string
		wantK      []string
	}{
		{[]string{"show", "triage", "--format", "json"}, []string{"show", "triage"}, "json", nil},
		{[]string{"--format=json", "show", "triage"}, []string{"show", "triage"}, "json", nil},
		{[]string{"a", "--k", "1", "b", "--k", "2"}, []string{"a", "b"}, "text", []string{"1", "2"}},
		{[]string{"a", "--", "--format", "b"}, []string{"a", "--format", "b"}, "text", nil},
		{nil, nil, "text", nil},
	}
	for _, tt := range tests {
		e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
		fs := newFlags(e, "test", "usage")
		format := newChoice("text", "text", "json")
		fs.Var(format, "format", "output format")
		var k stringsFlag
		fs.Var(&k, "k", "repeatable")
		pos, err := parseFlags(fs, tt.args)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if strings.Join(pos, "|") != strings.Join(tt.wantPos, "|") {
			t.Errorf("%v: positional %q, want %q", tt.args, pos, tt.wantPos)
		}
		if format.value != tt.wantFormat {
			t.Errorf("%v: format %q, want %q", tt.args, format.value, tt.wantFormat)
		}
		if strings.Join(k, "|") != strings.Join(tt.wantK, "|") {
			t.Errorf("%v: k %q, want %q", tt.args, k, tt.wantK)
		}
	}
}

func TestParseFlagsErrors(t *testing.T) {
	var stdout bytes.Buffer
	e := &env{stdout: &stdout, stderr: &bytes.Buffer{}}
	fs := newFlags(e, "passerelle test", "Usage: passerelle test")
	fs.Var(newChoice("text", "text", "json"), "format", "output format")

	_, err := parseFlags(fs, []string{"--format", "xml"})
	var ue *usageError
	if !errors.As(err, &ue) {
		t.Fatalf("bad choice: got %v, want a usage error", err)
	}
	if !strings.Contains(err.Error(), `"xml" is not one of json, text`) {
		t.Errorf("bad choice message: %v", err)
	}
	if got := report(&env{stderr: &bytes.Buffer{}}, err); got != exitUsage {
		t.Errorf("bad choice exit %d, want %d", got, exitUsage)
	}

	_, err = parseFlags(fs, []string{"--nope"})
	if !errors.As(err, &ue) || !strings.Contains(ue.hint, "passerelle test --help") {
		t.Fatalf("unknown flag: got %v (hint %q)", err, ue.hint)
	}

	_, err = parseFlags(fs, []string{"--help"})
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: got %v, want flag.ErrHelp", err)
	}
	if strings.Count(stdout.String(), "Usage: passerelle test") != 1 || !strings.Contains(stdout.String(), "-format") {
		t.Errorf("--help printed %q, want the usage once with the flags", stdout.String())
	}
	if got := report(e, err); got != exitOK {
		t.Errorf("--help exit %d, want 0", got)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"assess", "assess", 0}, {"asess", "assess", 1},
		{"places", "palces", 2}, {"", "abc", 3}, {"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
