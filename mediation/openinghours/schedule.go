package openinghours

import (
	"strconv"
	"strings"
	"sync"
	"time"

	// Registers the IANA database so Europe/Paris and the overseas zones
	// load on machines without zoneinfo; it only registers data.
	_ "time/tzdata"
)

// Schedule is a parsed opening_hours value bound to a time zone and a
// public-holiday calendar. It is immutable after Parse and safe for
// concurrent use.
type Schedule struct {
	rules    []rule
	loc      *time.Location
	holidays Holidays
	flags    Flag
	spill    bool // some span runs past midnight
	canOpen  bool // some rule opens; otherwise searches stop at once
}

// finish computes what evaluation caches once the rules are known.
func (s *Schedule) finish() {
	s.spill, s.canOpen = false, false
	for i := range s.rules {
		r := &s.rules[i]
		if r.state == Open {
			s.canOpen = true
		}
		for _, t := range r.times {
			if _, b := t.bounds(); b > 24*60 {
				s.spill = true
			}
		}
	}
}

// State is the state of a place at an instant.
type State uint8

// States, ordered so that a greater value wins when two days overlap
// (a span past midnight meets the next day's rules).
const (
	Closed State = iota
	Unknown
	Open
)

func (s State) String() string {
	switch s {
	case Open:
		return "open"
	case Unknown:
		return "unknown"
	default:
		return "closed"
	}
}

// Flag marks what a Schedule approximates or accepted leniently.
type Flag uint16

const (
	// FlagLenient: a non-standard spelling was accepted ("9h30", "9:00",
	// lower-case day names, an en dash, a trailing ";", "Mo-Fr: ...").
	FlagLenient Flag = 1 << iota
	// FlagSunApproximated: sunrise, sunset, dawn or dusk were evaluated as
	// fixed times (07:00, 19:00, 06:30, 19:30).
	FlagSunApproximated
	// FlagSchoolHolidays: the value uses SH, which never matches.
	FlagSchoolHolidays
	// FlagOpenEnd: a span has an open end ("18:00+"), evaluated as open
	// until the written end, or until midnight when there is none.
	FlagOpenEnd
	// FlagUnknown: some rule yields the unknown state ("unknown", or a
	// comment without hours such as `"sur rendez-vous"`).
	FlagUnknown
)

var flagNames = []string{"lenient", "sun-approximated", "school-holidays", "open-end", "unknown"}

// String lists the set flags, comma-separated, e.g. "lenient,open-end".
func (f Flag) String() string {
	var parts []string
	for i, name := range flagNames {
		if f&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, ",")
}

// Has reports whether all flags in g are set in f.
func (f Flag) Has(g Flag) bool { return f&g == g }

// Flags tells what the schedule approximates or accepted leniently.
func (s *Schedule) Flags() Flag {
	if s == nil {
		return 0
	}
	return s.flags
}

// MarshalText writes the canonical form, so a Schedule can be stored as
// its opening_hours string.
func (s *Schedule) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Location is the time zone in which the schedule is evaluated.
func (s *Schedule) Location() *time.Location {
	if s == nil || s.loc == nil {
		return Paris()
	}
	return s.loc
}

// In returns a copy of the schedule evaluated in loc (e.g.
// America/Guadeloupe, Indian/Reunion, Pacific/Noumea). A nil loc means
// Europe/Paris.
func (s *Schedule) In(loc *time.Location) *Schedule {
	if s == nil {
		return nil
	}
	c := *s
	c.loc = orParis(loc)
	return &c
}

// WithHolidays returns a copy of the schedule that resolves PH with h.
// A nil h means the metropolitan French calendar.
func (s *Schedule) WithHolidays(h Holidays) *Schedule {
	if s == nil {
		return nil
	}
	c := *s
	if h == nil {
		h = FrenchHolidays{}
	}
	c.holidays = h
	return &c
}

// Comment returns the distinct comments of the rules, in order, joined
// by " ; " (empty when there is none).
func (s *Schedule) Comment() string {
	if s == nil {
		return ""
	}
	var seen []string
	for _, r := range s.rules {
		if r.comment == "" {
			continue
		}
		dup := false
		for _, c := range seen {
			if c == r.comment {
				dup = true
				break
			}
		}
		if !dup {
			seen = append(seen, r.comment)
		}
	}
	return strings.Join(seen, " ; ")
}

// String returns the canonical opening_hours form: two-digit times, "; "
// and ", " separators, English abbreviations. Parse(s.String()) gives a
// schedule with the same states at every instant.
func (s *Schedule) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	for i, r := range s.rules {
		if i > 0 {
			switch r.sep {
			case sepAdditional:
				b.WriteString(", ")
			case sepFallback:
				b.WriteString(" || ")
			default:
				b.WriteString("; ")
			}
		}
		// "Mo, Th" would re-parse as one weekday list: say "Mo open, Th".
		force := i+1 < len(s.rules) && s.rules[i+1].sep == sepAdditional && r.absorbs(&s.rules[i+1])
		r.write(&b, force)
	}
	return b.String()
}

type selectorKind uint8

const (
	kindNone selectorKind = iota
	kindYears
	kindMonthdays
	kindWeeks
	kindWeekdays
	kindTimes
)

// lastKind is the selector written last, or kindNone when a modifier or a
// comment ends the rule.
func (r *rule) lastKind() selectorKind {
	switch {
	case r.comment != "" || r.state != r.defaultState() || r.is247:
		return kindNone
	case len(r.times) > 0:
		return kindTimes
	case !r.weekdays.empty():
		return kindWeekdays
	case len(r.weeks) > 0:
		return kindWeeks
	case len(r.monthdays) > 0:
		return kindMonthdays
	case len(r.years) > 0:
		return kindYears
	}
	return kindNone
}

func (r *rule) firstKind() selectorKind {
	switch {
	case r.is247:
		return kindNone
	case len(r.years) > 0:
		return kindYears
	case len(r.monthdays) > 0:
		if r.monthdays[0].from.year != 0 {
			return kindYears
		}
		return kindMonthdays
	case len(r.weeks) > 0:
		return kindWeeks
	case !r.weekdays.empty():
		return kindWeekdays
	case len(r.times) > 0:
		return kindTimes
	}
	return kindNone
}

// absorbs reports whether the list ending r would swallow the start of
// next after ", ", so that the modifier must be written to end r.
func (r *rule) absorbs(next *rule) bool {
	first := next.firstKind()
	switch r.lastKind() {
	case kindTimes:
		return first == kindTimes
	case kindWeekdays:
		return first == kindWeekdays
	case kindWeeks, kindYears:
		return first == kindYears
	case kindMonthdays:
		return first == kindMonthdays || first == kindYears
	}
	return false
}

var parisLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		// Unreachable with time/tzdata embedded; keep a fixed CET rather than panic.
		return time.FixedZone("CET", 3600)
	}
	return loc
})

// Paris returns the Europe/Paris location, the default for evaluation.
func Paris() *time.Location { return parisLocation() }

func orParis(loc *time.Location) *time.Location {
	if loc == nil {
		return Paris()
	}
	return loc
}

// --- rules ---

type separator uint8

const (
	sepNormal separator = iota
	sepAdditional
	sepFallback
)

type rule struct {
	sep       separator
	is247     bool
	years     []yearRange
	monthdays []monthdayRange
	weeks     []stepRange
	weekdays  weekdaySelector
	times     []timeSpan
	state     State
	comment   string
}

type stepRange struct{ from, to, step int }

type yearRange struct {
	stepRange
	openEnd bool // "2024+"
}

// date is a month day, with an optional year; day 0 means the whole month.
// An easter date has no month or day; offset moves a day-level date by
// whole days ("easter +1 day").
type date struct {
	year, month, day int
	easter           bool
	offset           int
}

// dayLevel reports whether the date names a day rather than a month.
func (d date) dayLevel() bool { return d.day != 0 || d.easter }

type monthdayRange struct{ from, to date }

type weekdayRange struct {
	from, to int // 0 = Monday ... 6 = Sunday
	nth      []stepRange
}

type holidayKind uint8

const (
	publicHoliday holidayKind = iota + 1
	schoolHoliday
)

type weekdaySelector struct {
	days      []weekdayRange
	holidays  []holidayKind
	intersect bool // "PH Mo-Fr": holidays that fall on Mo-Fr
}

func (w weekdaySelector) empty() bool { return len(w.days) == 0 && len(w.holidays) == 0 }

type timeEvent uint8

const (
	eventNone timeEvent = iota
	eventDawn
	eventSunrise
	eventSunset
	eventDusk
)

var eventNames = [...]string{"", "dawn", "sunrise", "sunset", "dusk"}

// Fixed approximations, in minutes, documented in doc.go.
var eventMinutes = [...]int{0, 6*60 + 30, 7 * 60, 19 * 60, 19*60 + 30}

type clock struct {
	min    int // minutes since midnight, may exceed 24:00 for extended hours
	event  timeEvent
	offset int // minutes added to the event
}

func (c clock) minutes() int {
	if c.event != eventNone {
		// Offsets may push an event out of the day; keep it within 00:00-24:00.
		return min(max(eventMinutes[c.event]+c.offset, 0), 24*60)
	}
	return c.min
}

type timeSpan struct {
	start, end clock
	hasEnd     bool
	openEnd    bool
}

// bounds returns the span in minutes from the day's midnight; the end may
// reach 48:00 for spans past midnight.
func (t timeSpan) bounds() (int, int) {
	s := t.start.minutes()
	if !t.hasEnd {
		if s >= 24*60 {
			return s, s
		}
		return s, 24 * 60
	}
	e := t.end.minutes()
	if e <= s {
		e += 24 * 60
	}
	return s, e
}

// defaultState is the state a rule has when no modifier is written.
func (r *rule) defaultState() State {
	if r.comment != "" && len(r.times) == 0 && !r.is247 {
		return Unknown
	}
	return Open
}

func (r *rule) write(b *strings.Builder, forceModifier bool) {
	start := b.Len()
	sp := func() {
		if b.Len() > start {
			b.WriteByte(' ')
		}
	}
	if r.is247 {
		b.WriteString("24/7")
	}
	if len(r.years) > 0 {
		sp()
		for i, y := range r.years {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(y.from))
			if y.openEnd {
				b.WriteByte('+')
				continue
			}
			if y.to != y.from || y.step > 1 {
				b.WriteByte('-')
				b.WriteString(strconv.Itoa(y.to))
			}
			if y.step > 1 {
				b.WriteByte('/')
				b.WriteString(strconv.Itoa(y.step))
			}
		}
	}
	if len(r.monthdays) > 0 {
		sp()
		for i, m := range r.monthdays {
			if i > 0 {
				b.WriteByte(',')
			}
			writeDate(b, m.from, date{})
			if m.to != m.from {
				b.WriteByte('-')
				writeDate(b, m.to, m.from)
			}
		}
	}
	if len(r.weeks) > 0 {
		sp()
		b.WriteString("week ")
		for i, w := range r.weeks {
			if i > 0 {
				b.WriteByte(',')
			}
			write2(b, w.from)
			if w.to != w.from || w.step > 1 {
				b.WriteByte('-')
				write2(b, w.to)
			}
			if w.step > 1 {
				b.WriteByte('/')
				b.WriteString(strconv.Itoa(w.step))
			}
		}
	}
	if !r.weekdays.empty() {
		sp()
		r.weekdays.write(b)
	}
	if len(r.times) > 0 {
		sp()
		for i, t := range r.times {
			if i > 0 {
				b.WriteByte(',')
			}
			t.write(b)
		}
	}
	if forceModifier || r.state != r.defaultState() || (b.Len() == start && r.comment == "") {
		sp()
		switch r.state {
		case Closed:
			b.WriteString("off")
		case Unknown:
			b.WriteString("unknown")
		default:
			b.WriteString("open")
		}
	}
	if r.comment != "" {
		sp()
		b.WriteByte('"')
		b.WriteString(r.comment)
		b.WriteByte('"')
	}
}

var monthNames = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var dayNames = [...]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// writeDate writes d; prev is the start of the range when d is its end,
// so that "Dec 24-26" is not written "Dec 24-Dec 26".
func writeDate(b *strings.Builder, d, prev date) {
	defer writeOffset(b, d.offset)
	if d.easter {
		if d.year != 0 && d.year != prev.year {
			b.WriteString(strconv.Itoa(d.year))
			b.WriteByte(' ')
		}
		b.WriteString("easter")
		return
	}
	if prev.easter || prev.offset != 0 {
		prev = date{year: prev.year} // "easter-Jun 01": write the end in full
	}
	withYear := d.year != 0 && d.year != prev.year
	if withYear {
		b.WriteString(strconv.Itoa(d.year))
		b.WriteByte(' ')
	}
	if withYear || prev.month == 0 || d.month != prev.month || d.day == 0 || prev.day == 0 {
		b.WriteString(monthNames[d.month])
		if d.day != 0 {
			b.WriteByte(' ')
		}
	}
	if d.day != 0 {
		write2(b, d.day)
	}
}

func writeOffset(b *strings.Builder, off int) {
	if off == 0 {
		return
	}
	if off > 0 {
		b.WriteString(" +")
	} else {
		b.WriteString(" -")
		off = -off
	}
	b.WriteString(strconv.Itoa(off))
	if off == 1 {
		b.WriteString(" day")
	} else {
		b.WriteString(" days")
	}
}

func write2(b *strings.Builder, n int) {
	if n >= 0 && n < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(n))
}

func (w weekdaySelector) write(b *strings.Builder) {
	writeHol := func() {
		for i, h := range w.holidays {
			if i > 0 {
				b.WriteByte(',')
			}
			if h == schoolHoliday {
				b.WriteString("SH")
			} else {
				b.WriteString("PH")
			}
		}
	}
	if w.intersect {
		writeHol()
		b.WriteByte(' ')
	}
	for i, d := range w.days {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(dayNames[d.from])
		if d.to != d.from {
			b.WriteByte('-')
			b.WriteString(dayNames[d.to])
		}
		if len(d.nth) > 0 {
			b.WriteByte('[')
			for j, n := range d.nth {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Itoa(n.from))
				if n.to != n.from {
					b.WriteByte('-')
					b.WriteString(strconv.Itoa(n.to))
				}
			}
			b.WriteByte(']')
		}
	}
	if !w.intersect && len(w.holidays) > 0 {
		if len(w.days) > 0 {
			b.WriteByte(',')
		}
		writeHol()
	}
}

func (c clock) write(b *strings.Builder) {
	if c.event == eventNone {
		write2(b, c.min/60)
		b.WriteByte(':')
		write2(b, c.min%60)
		return
	}
	if c.offset == 0 {
		b.WriteString(eventNames[c.event])
		return
	}
	b.WriteByte('(')
	b.WriteString(eventNames[c.event])
	off := c.offset
	if off < 0 {
		b.WriteByte('-')
		off = -off
	} else {
		b.WriteByte('+')
	}
	write2(b, off/60)
	b.WriteByte(':')
	write2(b, off%60)
	b.WriteByte(')')
}

func (t timeSpan) write(b *strings.Builder) {
	t.start.write(b)
	if t.hasEnd {
		b.WriteByte('-')
		end := t.end
		// Write "22:00-02:00" rather than "22:00-26:00" when both read the same.
		if end.event == eventNone && t.start.event == eventNone && end.min > 24*60 && end.min-24*60 < t.start.min {
			end.min -= 24 * 60
		}
		end.write(b)
	}
	if t.openEnd {
		b.WriteByte('+')
	}
}
