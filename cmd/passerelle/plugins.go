package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/plugins/plugintest"
)

func pluginsCommand() command {
	return command{
		name:    "plugins",
		summary: "install, list, verify and check provider plugins",
		usage: `Usage:
  passerelle plugins <command> [arguments]

Plugins are separate executables (a regional directory of places, an event
sink) built with the SDK in plugins/sdk. A plugin directory holds each binary
with NAME.manifest.json (name, version, kinds, protocol, SHA-256).`,
		subs: []command{pluginsInstallCommand(), pluginsListCommand(), pluginsVerifyCommand(), pluginsCheckCommand(), pluginsRelayCommand()},
	}
}

func pluginsInstallCommand() command {
	const usage = `Usage:
  passerelle plugins install BINARY --dir DIR

Runs "BINARY describe", copies the binary into DIR and writes its manifest
with its SHA-256. A plugin speaking another protocol is refused.`
	return command{name: "install", summary: "copy a plugin binary into a plugin directory with its manifest", usage: usage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "plugins install", usage)
			dir := fs.String("dir", "", "plugin directory (required)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if *dir == "" || len(pos) != 1 {
				return usagef("plugins install --help", "plugins install needs one BINARY and --dir")
			}
			m, err := plugins.Install(ctx, pos[0], *dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "installed %s %s (%s) sha256 %s\n", m.Name, m.Version, strings.Join(m.Kinds, ", "), m.SHA256)
			return nil
		}}
}

func pluginsListCommand() command {
	const usage = `Usage:
  passerelle plugins list --dir DIR [--format text|json]

Lists the plugins installed in DIR, from their manifests (nothing is run).`
	return command{name: "list", summary: "list the installed plugins", usage: usage,
		run: func(_ context.Context, e *env, args []string) error {
			fs := newFlags(e, "plugins list", usage)
			dir := fs.String("dir", "", "plugin directory (required)")
			format := newChoice("text", "text", "json")
			fs.Var(format, "format", "output format: text or json")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if *dir == "" || len(pos) != 0 {
				return usagef("plugins list --help", "plugins list takes --dir and no argument")
			}
			ms, err := plugins.Discover(*dir)
			if err != nil {
				return err
			}
			if format.value == "json" {
				if ms == nil {
					ms = []plugins.Manifest{}
				}
				return writeJSON(e.stdout, ms)
			}
			for _, m := range ms {
				note := ""
				if m.Compatible() != nil {
					note = "  INCOMPATIBLE: this host speaks protocol " + joinInts(plugins.SupportedProtocols())
				}
				fmt.Fprintf(e.stdout, "%-24s %-10s %-22s protocol %s%s\n", m.Name, m.Version, strings.Join(m.Kinds, ","), joinInts(m.Speaks()), note)
			}
			return nil
		}}
}

func pluginsVerifyCommand() command {
	const usage = `Usage:
  passerelle plugins verify --dir DIR

Checks every installed plugin: the binary lies inside DIR once links are
resolved and its SHA-256 matches the manifest. Exit 1 when one does not.`
	return command{name: "verify", summary: "check the checksums of the installed plugins", usage: usage,
		run: func(_ context.Context, e *env, args []string) error {
			fs := newFlags(e, "plugins verify", usage)
			dir := fs.String("dir", "", "plugin directory (required)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if *dir == "" || len(pos) != 0 {
				return usagef("plugins verify --help", "plugins verify takes --dir and no argument")
			}
			ms, err := plugins.Discover(*dir)
			if err != nil {
				return err
			}
			bad := 0
			for _, m := range ms {
				if _, err := plugins.Verify(*dir, m); err != nil {
					bad++
					fmt.Fprintf(e.stdout, "FAIL %s: %v\n", m.Name, err)
					continue
				}
				fmt.Fprintf(e.stdout, "ok   %s %s\n", m.Name, m.Version)
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d plugins failed verification", bad, len(ms))
			}
			return nil
		}}
}

func pluginsCheckCommand() command {
	const usage = `Usage:
  passerelle plugins check PATH [--env KEY=VALUE ...]

Installs the plugin binary PATH into a temporary directory, starts it as the
host would (checksum, protocol, AutoMTLS) and runs the plugintest contract
checks: a directory must stream places valid per the standard with unique
ids and resume from its cursor; a sink must acknowledge test events, and
acknowledge them again without harm when they are sent twice; both must
honour cancellation. Sinks receive 3 events of kind "plugintest.check":
point them at a scratch file with --env. Exit 1 when a check fails.`
	return command{name: "check", summary: "run a plugin binary and check it against the contract", usage: usage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "plugins check", usage)
			var envs stringsFlag
			fs.Var(&envs, "env", "KEY=VALUE for the plugin's environment (repeatable)")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(pos) != 1 {
				return usagef("plugins check --help", "plugins check needs one PATH")
			}
			return checkPlugin(ctx, e, pos[0], envs)
		}}
}

func checkPlugin(ctx context.Context, e *env, binary string, envs []string) error {
	start := time.Now()
	r, err := plugintest.CheckBinary(ctx, binary, envs...)
	if err != nil {
		return err
	}
	for _, c := range r.Checks {
		if c.Err != nil {
			fmt.Fprintf(e.stdout, "FAIL %s: %v\n", c.Name, c.Err)
		} else {
			fmt.Fprintf(e.stdout, "ok   %s\n", c.Name)
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d checks in %s\n", r.Plugin, len(r.Checks), time.Since(start).Round(time.Millisecond))
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: contract checks failed", r.Plugin)
	}
	return nil
}

// joinInts writes protocol versions as "1" or "2, 3".
func joinInts(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}
