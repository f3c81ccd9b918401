package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/passerelle-sante/passerelle/assessment"
)

const instrumentsUsage = `Usage:
  passerelle instruments [list] [--format text|json] [--lang fr|fr-easy|en]
  passerelle instruments show ID [--format text|json] [--lang fr|fr-easy|en]
  passerelle instruments check FILE

List the built-in assessment instruments (triage, eheals, dsi, pix), show
one instrument's definition (its items with ids, texts, answer types and,
for dsi, each item's area), or check an instrument file of your own (JSON or
YAML, against schemas/instrument.schema.json and the meaning checks): check
prints every problem with its JSON path and exits 1 when there is one.
show also accepts a FILE path instead of a built-in ID.`

// instrumentSummaryJSON is one line of "instruments --format json".
type instrumentSummaryJSON struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Title    string `json:"title"`
	Items    int    `json:"items"`
	Adaptive bool   `json:"adaptive"`
	Source   string `json:"source"`
}

func instrumentsCommand() command {
	return command{
		name:    "instruments",
		summary: "list, show or check assessment instruments",
		usage:   instrumentsUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "instruments", instrumentsUsage)
			format := newChoice("text", "text", "json")
			fs.Var(format, "format", "output format: text or json")
			lang := newChoice("fr", "fr", "fr-easy", "en")
			fs.Var(lang, "lang", "language of texts: fr, fr-easy or en")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			l := assessment.Lang(lang.value)
			switch {
			case len(pos) == 0 || (len(pos) == 1 && pos[0] == "list"):
				return listInstruments(e, format.value, l)
			case pos[0] == "show" && len(pos) == 2:
				in, err := instrumentByName(pos[1])
				if err != nil {
					return err
				}
				if format.value == "json" {
					return writeJSON(e.stdout, in.Definition())
				}
				return printInstrument(e.stdout, in, l)
			case pos[0] == "check" && len(pos) == 2:
				in, err := assessment.LoadFile(pos[1])
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s: instrument %s %s is valid (%d items)\n", pos[1], in.ID(), in.Version(), len(in.Items()))
				return nil
			case pos[0] == "show" || pos[0] == "check":
				return usagef("instruments --help", "instruments %s needs exactly one argument", pos[0])
			}
			return usagef("instruments --help", "unknown instruments command %q (want list, show or check)", pos[0])
		},
	}
}

// instrumentByName returns a built-in instrument, or loads a file when name
// looks like a path.
func instrumentByName(name string) (*assessment.Instrument, error) {
	if strings.ContainsAny(name, "/\\.") {
		return assessment.LoadFile(name)
	}
	return assessment.Builtin(name)
}

func listInstruments(e *env, format string, lang assessment.Lang) error {
	ins, err := assessment.Builtins()
	if err != nil {
		return err
	}
	if format == "json" {
		out := make([]instrumentSummaryJSON, 0, len(ins))
		for _, in := range ins {
			out = append(out, instrumentSummaryJSON{
				ID: in.ID(), Version: in.Version(), Title: in.Title().In(lang),
				Items: len(in.Items()), Adaptive: in.Adaptive(), Source: in.Definition().Source,
			})
		}
		return writeJSON(e.stdout, out)
	}
	for _, in := range ins {
		kind := ""
		if in.Adaptive() {
			kind = label(lang, ", adaptatif", ", adaptive")
		}
		fmt.Fprintf(e.stdout, "%-7s %-6s %s (%d %s%s)\n", in.ID(), in.Version(), in.Title().In(lang), len(in.Items()), label(lang, "questions", "items"), kind)
	}
	return nil
}

func printInstrument(w io.Writer, in *assessment.Instrument, lang assessment.Lang) error {
	def := in.Definition()
	fmt.Fprintf(w, "%s %s — %s\n", def.ID, def.Version, def.Title.In(lang))
	fmt.Fprintf(w, "%s: %s\n\n", label(lang, "Source", "Source"), def.Source)
	for i, it := range def.Items {
		fmt.Fprintf(w, "%d. [%s] %s\n", i+1, it.ID, it.Text.In(lang))
		detail := string(it.Type)
		if it.Min != nil && it.Max != nil {
			detail += fmt.Sprintf(" %d–%d", *it.Min, *it.Max)
		}
		if it.Area != "" {
			detail += ", area " + it.Area
		}
		if it.Required {
			detail += label(lang, ", obligatoire", ", required")
		}
		if it.ShowIf != nil {
			detail += label(lang, ", conditionnelle", ", conditional")
		}
		fmt.Fprintf(w, "   (%s)\n", detail)
		for _, o := range it.Options {
			fmt.Fprintf(w, "   - %s: %s\n", o.Value, o.Text.In(lang))
		}
	}
	return nil
}

// label picks the French or English wording of a CLI label.
func label(lang assessment.Lang, fr, en string) string {
	if lang == assessment.LangEN {
		return en
	}
	return fr
}
