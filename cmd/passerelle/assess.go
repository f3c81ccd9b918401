package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/passerelle-sante/passerelle/assessment"
)

const assessUsage = `Usage:
  passerelle assess [--instrument ID | --instrument-file PATH]
                    [--answers FILE|-] [--format text|json] [--lang fr|fr-easy|en]
  passerelle assess compare BEFORE.json AFTER.json [--format text|json]

Score one person's answers with an assessment instrument (default: the
phone triage). The answers file is a JSON object {"item id": value}: true or
false, a number, an option value, or a list of option values; "-" reads it
from standard input. Run "passerelle instruments show ID" for the items.

Without --answers, on a terminal, the questions are asked one at a time (the
triage stops as soon as the level is certain) and the result is printed.

JSON output keys: instrument, version, level, flags, scores, why,
completeness, lang, and per instrument band (eheals), areas, overall,
illectronisme (dsi), pix_level (pix).
Exits 1 with every problem listed when the answers are rejected.

"assess compare" reads two results saved from "assess --format json" for the
same person and instrument, and tells the progression: level up, same or
down, and the change of every dimension score and flag.`

func assessCommand() command {
	return command{
		name:    "assess",
		summary: "score answers to an instrument, or ask the questions one at a time",
		usage:   assessUsage,
		run:     runAssess,
	}
}

func runAssess(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "assess", assessUsage)
	instrument := fs.String("instrument", "triage", "built-in instrument: triage, eheals, dsi or pix")
	instrumentFile := fs.String("instrument-file", "", "instrument file of your own (JSON or YAML); overrides --instrument")
	answers := fs.String("answers", "", `answers file (JSON object), "-" for standard input`)
	format := newChoice("text", "text", "json")
	fs.Var(format, "format", "output format: text or json")
	lang := newChoice("fr", "fr", "fr-easy", "en")
	fs.Var(lang, "lang", "language of questions and explanations: fr, fr-easy or en")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 && pos[0] == "compare" {
		if len(pos) != 3 {
			return usagef("assess --help", "assess compare needs two result files, BEFORE and AFTER")
		}
		return compareResults(e, pos[1], pos[2], format.value, assessment.Lang(lang.value))
	}
	if len(pos) > 0 {
		return usagef("assess --help", "unexpected argument %q (answers go in --answers FILE)", pos[0])
	}
	var in *assessment.Instrument
	if *instrumentFile != "" {
		in, err = assessment.LoadFile(*instrumentFile)
	} else {
		in, err = assessment.Builtin(*instrument)
	}
	if err != nil {
		return err
	}
	l := assessment.Lang(lang.value)

	var r assessment.Result
	switch {
	case *answers != "":
		rc, name, err := openInput(e, *answers)
		if err != nil {
			return err
		}
		a, err := in.ParseAnswers(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if r, err = in.Score(a); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	case e.interactive:
		// Questions go to stderr when stdout must stay clean JSON.
		out := e.stdout
		if format.value == "json" {
			out = e.stderr
		}
		if r, err = interview(ctx, in, l, e.stdin, out); err != nil {
			return err
		}
	default:
		return usagef("assess --help", "no answers: pass --answers FILE (or --answers - to read standard input)")
	}
	r.Lang = l
	if format.value == "json" {
		return writeJSON(e.stdout, r)
	}
	printResult(e.stdout, r, l)
	return nil
}

// interview asks the session's questions on out and reads the replies from
// in, asking again after a reply it cannot use. If the input ends early,
// the result so far is returned: its completeness says how far it went.
func interview(ctx context.Context, inst *assessment.Instrument, lang assessment.Lang, in io.Reader, out io.Writer) (assessment.Result, error) {
	s := assessment.NewSession(inst)
	lines := bufio.NewScanner(in)
	fmt.Fprintf(out, "%s\n", inst.Title().In(lang))
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return assessment.Result{}, err
		}
		it, ok := s.Next()
		if !ok {
			break
		}
		for {
			fmt.Fprintf(out, "\n%d. %s\n", n, it.Text.In(lang))
			printChoices(out, it, lang)
			fmt.Fprint(out, "> ")
			if !lines.Scan() {
				fmt.Fprintf(out, "\n%s\n", label(lang, "Fin de la saisie : résultat partiel.", "End of input: partial result."))
				return s.Result(), lines.Err()
			}
			v, err := parseReply(it, lines.Text(), lang)
			if err == nil {
				err = s.Answer(it.ID, v)
			}
			if err == nil {
				break
			}
			fmt.Fprintf(out, "%s %s\n", label(lang, "Réponse non comprise :", "Answer not understood:"), replyProblem(err))
		}
	}
	return s.Result(), nil
}

func printChoices(out io.Writer, it assessment.Item, lang assessment.Lang) {
	switch it.Type {
	case assessment.AnswerBoolean:
		fmt.Fprintf(out, "   1) %s   2) %s\n", label(lang, "oui", "yes"), label(lang, "non", "no"))
	case assessment.AnswerChoice, assessment.AnswerMulti:
		for i, o := range it.Options {
			fmt.Fprintf(out, "   %d) %s\n", i+1, o.Text.In(lang))
		}
		if it.Type == assessment.AnswerMulti {
			fmt.Fprintf(out, "   %s\n", label(lang, "(plusieurs numéros possibles, séparés par des virgules)", "(several numbers allowed, separated by commas)"))
		}
	default:
		if len(it.Labels) > 0 {
			for i, l := range it.Labels {
				fmt.Fprintf(out, "   %d) %s\n", *it.Min+i, l.In(lang))
			}
		} else {
			fmt.Fprintf(out, "   %s %d–%d\n", label(lang, "un nombre de", "a number from"), *it.Min, *it.Max)
		}
	}
}

// parseReply reads a typed reply: an option number or value, yes/no, or a
// number.
func parseReply(it assessment.Item, text string, lang assessment.Lang) (assessment.Value, error) {
	text = strings.TrimSpace(strings.ToLower(text))
	if text == "" {
		return assessment.Value{}, errors.New(label(lang, "réponse vide", "empty reply"))
	}
	option := func(tok string) (string, error) {
		if n, err := strconv.Atoi(tok); err == nil {
			if n < 1 || n > len(it.Options) {
				return "", fmt.Errorf(label(lang, "pas de choix %d", "no choice %d"), n)
			}
			return it.Options[n-1].Value, nil
		}
		for _, o := range it.Options {
			if o.Value == tok {
				return o.Value, nil
			}
		}
		return "", fmt.Errorf(label(lang, "%q n'est pas un choix proposé", "%q is not a choice"), tok)
	}
	switch it.Type {
	case assessment.AnswerBoolean:
		switch text {
		case "1", "o", "oui", "y", "yes", "true":
			return assessment.Bool(true), nil
		case "2", "n", "non", "no", "false":
			return assessment.Bool(false), nil
		}
		return assessment.Value{}, fmt.Errorf(label(lang, "%q : tapez 1 (oui) ou 2 (non)", "%q: type 1 (yes) or 2 (no)"), text)
	case assessment.AnswerChoice:
		v, err := option(text)
		if err != nil {
			return assessment.Value{}, err
		}
		return assessment.Choice(v), nil
	case assessment.AnswerMulti:
		var vs []string
		for _, tok := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			v, err := option(tok)
			if err != nil {
				return assessment.Value{}, err
			}
			vs = append(vs, v)
		}
		return assessment.Choices(vs...), nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return assessment.Value{}, fmt.Errorf(label(lang, "%q n'est pas un nombre entier", "%q is not a whole number"), text)
	}
	return assessment.Int(n), nil
}

// replyProblem turns an answer error into the one line worth showing.
func replyProblem(err error) string {
	var ae *assessment.AnswersError
	if errors.As(err, &ae) && len(ae.Problems) > 0 {
		return ae.Problems[0].Message
	}
	return err.Error()
}

func printResult(w io.Writer, r assessment.Result, lang assessment.Lang) {
	fmt.Fprintf(w, "%s: %s %s\n", label(lang, "Instrument", "Instrument"), r.Instrument, r.Version)
	fmt.Fprintf(w, "%s: %s (%s)\n", label(lang, "Niveau", "Level"), r.Level.Text().In(lang), r.Level)
	if len(r.Flags) > 0 {
		flags := make([]string, len(r.Flags))
		for i, f := range r.Flags {
			flags[i] = string(f)
		}
		fmt.Fprintf(w, "%s: %s\n", label(lang, "Signalements", "Flags"), strings.Join(flags, ", "))
	}
	switch {
	case r.Band != "":
		fmt.Fprintf(w, "%s: %s\n", label(lang, "Bande", "Band"), r.Band)
	case r.PixLevel != "":
		fmt.Fprintf(w, "%s: %s\n", label(lang, "Niveau Pix", "Pix level"), r.PixLevel)
	case r.Overall != "":
		fmt.Fprintf(w, "%s: %s\n", label(lang, "Compétences numériques", "Digital skills"), r.Overall)
		for _, a := range r.Areas {
			fmt.Fprintf(w, "  %s: %s\n", a.Area, a.Skill)
		}
		fmt.Fprintf(w, "Illectronisme: %s\n", label(lang, map[bool]string{true: "oui", false: "non"}[r.Illectronisme], strconv.FormatBool(r.Illectronisme)))
	}
	if len(r.Scores) > 0 {
		parts := make([]string, len(r.Scores))
		for i, s := range r.Scores {
			parts[i] = fmt.Sprintf("%s %s", s.Dimension, strconv.FormatFloat(s.Value, 'f', -1, 64))
		}
		fmt.Fprintf(w, "Scores: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "%s: %.0f %%\n", label(lang, "Complétude", "Completeness"), r.Completeness*100)
	fmt.Fprintf(w, "%s:\n", label(lang, "Pourquoi", "Why"))
	for _, line := range r.WhyIn(lang) {
		fmt.Fprintf(w, "  - %s\n", line)
	}
}

func readResult(e *env, path string) (assessment.Result, error) {
	rc, name, err := openInput(e, path)
	if err != nil {
		return assessment.Result{}, err
	}
	defer rc.Close()
	var r assessment.Result
	if err := json.NewDecoder(rc).Decode(&r); err != nil {
		return r, fmt.Errorf("%s: not a result saved by \"assess --format json\": %w", name, err)
	}
	if !r.Level.Valid() {
		return r, fmt.Errorf("%s: the result has no valid level (got %q)", name, r.Level)
	}
	return r, nil
}

func compareResults(e *env, beforePath, afterPath, format string, lang assessment.Lang) error {
	before, err := readResult(e, beforePath)
	if err != nil {
		return err
	}
	after, err := readResult(e, afterPath)
	if err != nil {
		return err
	}
	p, err := assessment.Compare(before, after)
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(e.stdout, p)
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", label(lang, "Instrument", "Instrument"), p.Instrument)
	fmt.Fprintf(e.stdout, "%s: %s → %s (%s, %+d)\n", label(lang, "Niveau", "Level"), p.Before.Text().In(lang), p.After.Text().In(lang), p.Direction, p.Steps)
	for _, d := range p.Dimensions {
		fmt.Fprintf(e.stdout, "  %s: %s → %s (%+g)\n", d.Dimension, strconv.FormatFloat(d.Before, 'f', -1, 64), strconv.FormatFloat(d.After, 'f', -1, 64), d.Delta)
	}
	for _, f := range p.FlagsRaised {
		fmt.Fprintf(e.stdout, "  + %s\n", f)
	}
	for _, f := range p.FlagsCleared {
		fmt.Fprintf(e.stdout, "  - %s\n", f)
	}
	return nil
}
