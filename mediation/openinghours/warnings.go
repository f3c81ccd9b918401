package openinghours

import (
	"fmt"
	"strings"
)

// Warning codes: valid syntax whose meaning is probably not what the
// author meant. Importers can report them to the data's owners.
const (
	// WarnOverlappingSpans: two spans of a rule overlap ("09:00-12:00,09:00-18:00").
	WarnOverlappingSpans = "overlapping_spans"
	// WarnLongNightSpan: a span runs more than 12 hours past its start and
	// over midnight ("Fr 19:00-11:00"), often a typo.
	WarnLongNightSpan = "long_night_span"
	// WarnReplacesAll: a ";" rule without day or date selector replaces
	// every earlier rule on every day ("Mo-Fr 09:00-12:00; 14:00-17:00").
	WarnReplacesAll = "replaces_all"
	// WarnReplaced: a ";" rule is entirely replaced by a later rule with
	// the same days ("Mo-Fr 09:00-12:00; Mo-Fr 14:00-17:00").
	WarnReplaced = "replaced"
)

// Warning is a doubt about one rule of a schedule that parses.
type Warning struct {
	Rule int    // index of the rule, from 0
	Code string // one of the Warn* codes
	Text string // the rule as written canonically
}

// Message explains the warning in French or English.
func (w Warning) Message(lang Lang) string {
	fr := lang != English
	switch w.Code {
	case WarnOverlappingSpans:
		if fr {
			return fmt.Sprintf("règle %d (%s) : des plages horaires se chevauchent", w.Rule+1, w.Text)
		}
		return fmt.Sprintf("rule %d (%s): time spans overlap", w.Rule+1, w.Text)
	case WarnLongNightSpan:
		if fr {
			return fmt.Sprintf("règle %d (%s) : une plage passe minuit et dure plus de 12 heures", w.Rule+1, w.Text)
		}
		return fmt.Sprintf("rule %d (%s): a span runs past midnight for more than 12 hours", w.Rule+1, w.Text)
	case WarnReplacesAll:
		if fr {
			return fmt.Sprintf("règle %d (%s) : sans jour précisé, elle remplace les règles précédentes tous les jours", w.Rule+1, w.Text)
		}
		return fmt.Sprintf("rule %d (%s): with no day given it replaces the earlier rules on every day", w.Rule+1, w.Text)
	case WarnReplaced:
		if fr {
			return fmt.Sprintf("règle %d (%s) : remplacée par une règle suivante pour les mêmes jours", w.Rule+1, w.Text)
		}
		return fmt.Sprintf("rule %d (%s): replaced by a later rule for the same days", w.Rule+1, w.Text)
	}
	return w.Code
}

// Warnings lists the doubts about the schedule, in rule order.
func (s *Schedule) Warnings() []Warning {
	if s == nil {
		return nil
	}
	var out []Warning
	text := func(r *rule) string {
		var b strings.Builder
		r.write(&b, false)
		return b.String()
	}
	days := func(r *rule) string {
		c := *r
		c.times, c.comment, c.state = nil, "", Open
		return text(&c)
	}
	// The last normal rule for each set of days, to find the rules it replaces.
	lastReplacing := map[string]int{}
	for i := range s.rules {
		if r := &s.rules[i]; r.sep == sepNormal && !r.additive() {
			lastReplacing[days(r)] = i
		}
	}
	for i := range s.rules {
		r := &s.rules[i]
		if spansOverlapping(r.times) {
			out = append(out, Warning{i, WarnOverlappingSpans, text(r)})
		}
		for _, t := range r.times {
			if a, b := t.bounds(); b > 24*60 && b-a > 12*60 && t.end.event == eventNone && t.start.event == eventNone {
				out = append(out, Warning{i, WarnLongNightSpan, text(r)})
				break
			}
		}
		if i > 0 && r.sep == sepNormal && !r.is247 && len(r.years) == 0 && len(r.monthdays) == 0 &&
			len(r.weeks) == 0 && r.weekdays.empty() && !(r.state == Closed && len(r.times) > 0) {
			out = append(out, Warning{i, WarnReplacesAll, text(r)})
			continue
		}
		if r.sep != sepNormal || r.additive() {
			continue
		}
		if j, ok := lastReplacing[days(r)]; ok && j > i {
			out = append(out, Warning{i, WarnReplaced, text(r)})
		}
	}
	return out
}

func spansOverlapping(ts []timeSpan) bool {
	for i := range ts {
		for j := i + 1; j < len(ts); j++ {
			a1, b1 := ts[i].bounds()
			a2, b2 := ts[j].bounds()
			if a1 < b2 && a2 < b1 {
				return true
			}
		}
	}
	return false
}
