package openinghours

import (
	"fmt"
	"slices"
	"strings"
)

// Span is a time span within a day, in minutes since midnight: Span{9*60,
// 12*60} is 09:00-12:00. An End at or before Start runs past midnight, as
// in the opening_hours syntax; End may also be written up to 48*60.
type Span struct {
	Start, End int
}

// String formats the span as opening_hours does, "09:00-12:00".
func (s Span) String() string {
	var b strings.Builder
	t, ok := s.timeSpan()
	if !ok {
		return fmt.Sprintf("invalid span %d-%d", s.Start, s.End)
	}
	t.write(&b)
	return b.String()
}

func (s Span) timeSpan() (timeSpan, bool) {
	if s.Start < 0 || s.Start >= 24*60 || s.End < 0 || s.End > 48*60 || s.End == s.Start || (s.End > 24*60 && s.End-24*60 > s.Start) {
		return timeSpan{}, false
	}
	return timeSpan{start: clock{min: s.Start}, end: clock{min: s.End}, hasEnd: true}, true
}

// ParseSpan parses one time span such as "09:00-12:00", "09:00 - 12:00",
// "9h-12h30" or "9h00–12h00" (the forms found in French data).
func ParseSpan(s string) (Span, error) {
	p := parser{src: strings.TrimSpace(s)}
	if p.src == "" {
		return Span{}, fmt.Errorf("%w", ErrEmpty)
	}
	t, err := p.parseSpan()
	if err != nil {
		return Span{}, err
	}
	if !p.eof() {
		return Span{}, p.fail(p.pos, "unexpected %q after the time span", p.near())
	}
	if !t.hasEnd || t.openEnd || t.start.event != eventNone || t.end.event != eventNone {
		return Span{}, p.fail(0, "a span needs a fixed start and end time")
	}
	sp := Span{Start: t.start.min, End: t.end.min}
	if sp.End > 24*60 && sp.End-24*60 < sp.Start {
		sp.End -= 24 * 60 // "22:00-26:00" is the span "22:00-02:00"
	}
	if !sp.Valid() {
		return Span{}, p.fail(0, "time span %q is longer than a day", p.src)
	}
	return sp, nil
}

// Weekly builds the schedule of a place open the same hours every week:
// days[0] is Monday and days[6] is Sunday (as in h_lundi..h_dimanche).
// Days with the same spans are grouped ("Mo-Fr 09:00-12:00"); days without
// spans are closed. Weekly never fails: invalid spans (negative, beyond
// 48:00, empty or longer than a day) are dropped and the result is flagged
// FlagLenient; check them first with ParseSpan or Span.Valid if that
// matters. The schedule is evaluated in Europe/Paris with the
// metropolitan holidays; use In and WithHolidays to change that.
func Weekly(days [7][]Span) *Schedule {
	s := &Schedule{loc: Paris(), holidays: FrenchHolidays{}}
	var spans [7][]timeSpan
	for d, list := range days {
		for _, sp := range list {
			t, ok := sp.timeSpan()
			if !ok {
				s.flags |= FlagLenient
				continue
			}
			spans[d] = append(spans[d], t)
		}
		slices.SortFunc(spans[d], func(a, b timeSpan) int { return a.start.min - b.start.min })
	}
	done := [7]bool{}
	for d := range 7 {
		if done[d] || len(spans[d]) == 0 {
			continue
		}
		r := rule{sep: sepNormal, state: Open, times: spans[d]}
		// Group the days that have exactly these spans, as ranges of consecutive days.
		for e := d; e < 7; {
			if done[e] || !slices.Equal(spans[e], spans[d]) {
				e++
				continue
			}
			f := e
			for f+1 < 7 && !done[f+1] && slices.Equal(spans[f+1], spans[d]) {
				f++
			}
			for k := e; k <= f; k++ {
				done[k] = true
			}
			if f == e+1 {
				// Two days read better as a list: "Mo,Tu".
				r.weekdays.days = append(r.weekdays.days, weekdayRange{from: e, to: e}, weekdayRange{from: f, to: f})
			} else {
				r.weekdays.days = append(r.weekdays.days, weekdayRange{from: e, to: f})
			}
			e = f + 1
		}
		s.rules = append(s.rules, r)
	}
	if len(s.rules) == 0 {
		s.rules = []rule{{state: Closed}}
	}
	s.finish()
	return s
}

// Valid reports whether the span is within the accepted bounds.
func (s Span) Valid() bool {
	_, ok := s.timeSpan()
	return ok
}
