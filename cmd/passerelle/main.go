// Command passerelle is the command-line face of the passerelle library:
// assess a person's distance from digital health, look up communes and
// mediation places, and (as the library grows) refer, report and manage
// plugins.
//
// Every subcommand accepts --help. Exit codes: 0 on success, 1 when the input
// was rejected (a bad answers file, an unknown instrument, ...), 2 when the
// command line itself is wrong.
//
// Where a subcommand prints results, --format json gives a stable,
// documented JSON document on standard output; --format text (the default)
// is for people.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit codes of the command.
const (
	exitOK       = 0
	exitRejected = 1 // the input was read but rejected
	exitUsage    = 2 // the command line is wrong
)

// env is what a subcommand may touch: no globals, so tests run commands
// side by side with their own buffers.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// interactive is true when stdin is a terminal, so a command may ask
	// questions instead of reading a file.
	interactive bool
}

// command is one subcommand, or a group of them (subs set, run nil).
type command struct {
	name    string
	summary string // one line, shown in the list of commands
	usage   string // the full help text, shown by --help
	run     func(ctx context.Context, e *env, args []string) error
	subs    []command
}

// commands is the table of top-level subcommands, in the order --help
// lists them.
func commands() []command {
	return []command{
		assessCommand(),
		instrumentsCommand(),
		referCommand(),
		rulesCommand(),
		communesCommand(),
		placesCommand(),
		ambassadorsCommand(),
		actionsCommand(),
		coverageCommand(),
		reportCommand(),
		demoCommand(),
		storeCommand(),
		pluginsCommand(),
	}
}

const mainUsage = `passerelle — digital inclusion for « Mon espace santé »

Usage:
  passerelle <command> [arguments]

Commands:
%s
Run "passerelle <command> --help" for a command's flags.
Exit codes: 0 success, 1 input rejected, 2 usage error.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{
		stdin:       os.Stdin,
		stdout:      os.Stdout,
		stderr:      os.Stderr,
		interactive: isTerminal(os.Stdin),
	})
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, e *env) int {
	root := command{name: "passerelle", subs: commands()}
	err := dispatch(ctx, e, root, args)
	return report(e, err)
}

// report prints err (if any) and maps it to an exit code.
func report(e *env, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "passerelle: %v\n", err)
		if ue.hint != "" {
			fmt.Fprintln(e.stderr, ue.hint)
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "passerelle: %v\n", err)
	return exitRejected
}

// dispatch runs c with args: a leaf runs its own function, a group picks
// the subcommand named by args[0].
func dispatch(ctx context.Context, e *env, c command, args []string) error {
	if c.run != nil {
		return c.run(ctx, e, args)
	}
	path := c.name
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := e.stdout
		var err error
		if len(args) == 0 {
			out = e.stderr
			err = usagef(c.name+" --help", "%s needs a subcommand", path)
		}
		fmt.Fprint(out, groupUsage(c))
		return err
	}
	for _, s := range c.subs {
		if s.name == args[0] {
			s.name = path + " " + s.name
			return dispatch(ctx, e, s, args[1:])
		}
	}
	return usagef(path+" --help", "unknown command %q%s", args[0], suggest(args[0], c.subs))
}

func groupUsage(c command) string {
	var b strings.Builder
	width := 0
	for _, s := range c.subs {
		width = max(width, len(s.name))
	}
	for _, s := range c.subs {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, s.name, s.summary)
	}
	if c.name == "passerelle" {
		return fmt.Sprintf(mainUsage, b.String())
	}
	if c.usage != "" {
		return fmt.Sprintf("%s\n\nCommands:\n%s", strings.TrimRight(c.usage, "\n"), b.String())
	}
	return fmt.Sprintf("Usage:\n  %s <command> [arguments]\n\nCommands:\n%s", c.name, b.String())
}

// suggest returns ` (did you mean "x"?)` when a known name is close to typed.
func suggest(typed string, subs []command) string {
	best, bestDist := "", 3
	for _, s := range subs {
		if d := editDistance(typed, s.name); d < bestDist {
			best, bestDist = s.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// usageError is a wrong command line: exit code 2.
type usageError struct {
	msg  string
	hint string
}

func (u *usageError) Error() string { return u.msg }

// usagef builds a usageError; helpCmd names the command whose --help the
// user should read.
func usagef(helpCmd, format string, args ...any) error {
	hint := ""
	if helpCmd != "" {
		hint = fmt.Sprintf("Run \"%s\" for usage.", helpCmd)
		if !strings.HasPrefix(helpCmd, "passerelle") {
			hint = fmt.Sprintf("Run \"passerelle %s\" for usage.", helpCmd)
		}
	}
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// newFlags returns a flag set for the leaf command name whose --help prints
// usage followed by the flag defaults.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stdout, strings.TrimRight(usage, "\n"))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(e.stdout, "\nFlags:")
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			fs.SetOutput(e.stderr)
		}
	}
	return fs
}

// parseFlags parses args, letting flags and positional arguments come in any
// order ("show triage --format json" as well as "--format json show
// triage"). Everything after "--" is positional. A bad flag is a usage
// error; --help returns flag.ErrHelp after printing the usage.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		// Silence the flag package's own prints (its error line, and the
		// usage it shows on any bad flag): we report an error once, with a
		// hint, and show the usage only when asked for it.
		out, usage := fs.Output(), fs.Usage
		fs.SetOutput(io.Discard)
		fs.Usage = func() {}
		err := fs.Parse(args)
		fs.SetOutput(out)
		fs.Usage = usage
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, usagef(fs.Name()+" --help", "%v", err)
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// stringsFlag is a repeatable flag: --service a --service b.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }

func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// choiceFlag is a flag whose value must be one of a fixed set, such as
// --format text|json.
type choiceFlag struct {
	value   string
	choices []string
}

func newChoice(def string, choices ...string) *choiceFlag {
	return &choiceFlag{value: def, choices: choices}
}

func (c *choiceFlag) String() string { return c.value }

func (c *choiceFlag) Set(v string) error {
	for _, ch := range c.choices {
		if v == ch {
			c.value = v
			return nil
		}
	}
	sorted := append([]string(nil), c.choices...)
	sort.Strings(sorted)
	return fmt.Errorf("%q is not one of %s", v, strings.Join(sorted, ", "))
}

// isTerminal reports whether f is a character device (a terminal), without
// a dependency on x/term.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
