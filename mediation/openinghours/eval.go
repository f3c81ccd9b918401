package openinghours

import (
	"slices"
	"time"
)

// Horizon bounds the search of NextOpen and NextClose.
const Horizon = 366 * 24 * time.Hour

const horizonDays = 367

// Slot is a period during which a place is open.
type Slot struct {
	Start, End time.Time
	Comment    string // the comment of the rule that opens it, if any
}

// day is a civil date with what the selectors look at.
type day struct {
	year    int
	month   time.Month
	day     int
	weekday int // 0 = Monday
	dim     int // days in the month
}

func civil(y int, m time.Month, d int) day {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	y, m, d = t.Date()
	return day{
		year: y, month: m, day: d,
		weekday: (int(t.Weekday()) + 6) % 7,
		dim:     daysIn(y, m),
	}
}

func daysIn(y int, m time.Month) int {
	if m == time.February {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return daysInMonthMax[m]
}

func (d day) next(n int) day { return civil(d.year, d.month, d.day+n) }

func (d day) isoWeek() int {
	_, w := time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// dayEval caches per-day facts that cost something to compute.
type dayEval struct {
	day
	week    int  // 0 until computed
	holiday int8 // 0 unknown, 1 yes, -1 no
}

func (s *Schedule) isHoliday(e *dayEval) bool {
	if e.holiday == 0 {
		e.holiday = -1
		if _, ok := s.holidays.Holiday(e.year, e.month, e.day.day); ok {
			e.holiday = 1
		}
	}
	return e.holiday == 1
}

func inStep(x int, r stepRange) bool {
	if r.step <= 1 {
		return x >= r.from && x <= r.to
	}
	return x >= r.from && x <= r.to && (x-r.from)%r.step == 0
}

func (s *Schedule) matches(r *rule, e *dayEval) bool {
	if r.is247 {
		return true
	}
	if len(r.years) > 0 {
		ok := false
		for _, y := range r.years {
			if inStep(e.year, y.stepRange) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(r.monthdays) > 0 {
		ok := false
		for _, m := range r.monthdays {
			if m.matches(e.day) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(r.weeks) > 0 {
		if e.week == 0 {
			e.week = e.isoWeek()
		}
		ok := false
		for _, w := range r.weeks {
			if w.from <= w.to {
				ok = inStep(e.week, w)
			} else { // "week 50-05" wraps over the new year
				ok = (e.week >= w.from || e.week <= w.to) && ((e.week-w.from+53)%53)%max(w.step, 1) == 0
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	w := &r.weekdays
	if w.empty() {
		return true
	}
	days := len(w.days) > 0 && w.matchesWeekday(e.day)
	if len(w.holidays) == 0 {
		return days
	}
	if len(w.days) == 0 || w.intersect || !days {
		hol := false
		for _, h := range w.holidays {
			if h == publicHoliday && s.isHoliday(e) {
				hol = true
				break
			}
		}
		if len(w.days) == 0 {
			return hol
		}
		if w.intersect {
			return hol && w.matchesWeekday(e.day)
		}
		return hol
	}
	return true
}

func (w *weekdaySelector) matchesWeekday(d day) bool {
	for _, r := range w.days {
		in := false
		if r.from <= r.to {
			in = d.weekday >= r.from && d.weekday <= r.to
		} else {
			in = d.weekday >= r.from || d.weekday <= r.to
		}
		if !in {
			continue
		}
		if len(r.nth) == 0 {
			return true
		}
		n := (d.day-1)/7 + 1
		neg := -((d.dim-d.day)/7 + 1)
		for _, k := range r.nth {
			if (n >= k.from && n <= k.to) || (neg >= k.from && neg <= k.to) {
				return true
			}
		}
	}
	return false
}

// resolve gives the date in year y as an ordinal y*10000+m*100+d; a
// month-level date is its first day, or its last (31) when end is set.
func (d date) resolve(y int, end bool) int {
	if !d.dayLevel() {
		if end {
			return y*10000 + d.month*100 + 31
		}
		return y*10000 + d.month*100 + 1
	}
	m, day := time.Month(d.month), d.day
	if d.easter {
		m, day = easterSunday(y)
	}
	if d.offset != 0 || d.easter {
		t := time.Date(y, m, day+d.offset, 12, 0, 0, 0, time.UTC)
		yy, mm, dd := t.Date()
		return yy*10000 + int(mm)*100 + dd
	}
	return y*10000 + int(m)*100 + day
}

func (m monthdayRange) matches(d day) bool {
	xo := d.year*10000 + int(d.month)*100 + d.day
	if m.from.year != 0 {
		from := m.from.resolve(m.from.year, false)
		ty := m.to.year
		if ty == 0 {
			ty = m.from.year
		}
		to := m.to.resolve(ty, true)
		if m.to.year == 0 && to < from {
			to = m.to.resolve(ty+1, true)
		}
		return xo >= from && xo <= to
	}
	// Without a year the range recurs: resolve it in this year, and in the
	// previous one for ranges that wrap over the new year.
	for _, y := range [2]int{d.year, d.year - 1} {
		from := m.from.resolve(y, false)
		to := m.to.resolve(y, true)
		if to < from {
			to = m.to.resolve(y+1, true)
		}
		if xo >= from && xo <= to {
			return true
		}
	}
	return false
}

// covers reports whether the rule's times include second x of the day
// (x may reach 48h for the part of a span past midnight).
func (r *rule) covers(x int) bool {
	if len(r.times) == 0 {
		return x < 86400
	}
	for _, t := range r.times {
		a, b := t.bounds()
		if x >= a*60 && x < b*60 {
			return true
		}
	}
	return false
}

// track is the state of one instant as rules are applied in order.
type track struct {
	st      State
	by      int // deciding rule, -1 when none
	covered bool
}

// apply applies rule i to second x of a day it matches.
func (k *track) apply(r *rule, i, x int) {
	if r.sep == sepFallback && k.covered {
		return
	}
	c := r.covers(x)
	switch {
	case r.additive():
		// Adds to (or cuts out of) what earlier rules said.
		if c {
			*k = track{r.state, i, true}
		}
	case c:
		*k = track{r.state, i, true}
	default:
		// A normal rule that matches the day replaces earlier rules for it.
		*k = track{Closed, -1, false}
	}
}

// additive: "," rules and "off" rules with times change only the times
// they name.
func (r *rule) additive() bool {
	return r.sep == sepAdditional || (r.state == Closed && len(r.times) > 0)
}

// evalAt applies the rules to second x of day e. Two tracks run side by
// side: the day's own rules, and the previous day's rules read at
// x+24h (spans past midnight). As in the specification, a later normal
// rule that matches day e replaces what earlier rules spilled into it
// ("Fr 22:00-02:00; Sa 10:00-12:00" is closed at Saturday 01:00; write
// "Fr 22:00-02:00, Sa 10:00-12:00" to keep the night).
func (s *Schedule) evalAt(e, prev *dayEval, x int) (State, int) {
	today := track{Closed, -1, false}
	spill := track{Closed, -1, false}
	for i := range s.rules {
		r := &s.rules[i]
		if prev != nil && s.matches(r, prev) {
			spill.apply(r, i, x+86400)
		}
		if !s.matches(r, e) || (r.sep == sepFallback && (today.covered || spill.covered)) {
			continue
		}
		today.apply(r, i, x)
		switch {
		case r.sep == sepFallback:
			// A fallback fills gaps; it replaces nothing.
		case !r.additive():
			if spill.by != i {
				spill = track{Closed, -1, false}
			}
		case r.state == Closed && r.covers(x):
			spill = track{Closed, -1, false}
		}
	}
	if spill.st > today.st {
		return spill.st, spill.by
	}
	return today.st, today.by
}

// State returns the state at t and the comment of the deciding rule.
func (s *Schedule) State(t time.Time) (State, string) {
	st, by := s.stateAt(t)
	if by < 0 {
		return st, ""
	}
	return st, s.rules[by].comment
}

func (s *Schedule) stateAt(t time.Time) (State, int) {
	if s == nil || len(s.rules) == 0 {
		return Closed, -1
	}
	lt := t.In(s.loc)
	y, m, d := lt.Date()
	h, mi, sec := lt.Clock()
	e := dayEval{day: civil(y, m, d)}
	if !s.spill {
		return s.evalAt(&e, nil, h*3600+mi*60+sec)
	}
	prev := dayEval{day: civil(y, m, d-1)}
	return s.evalAt(&e, &prev, h*3600+mi*60+sec)
}

// IsOpen reports whether the place is open at t. Unknown counts as not open.
func (s *Schedule) IsOpen(t time.Time) bool {
	st, _ := s.stateAt(t)
	return st == Open
}

// wallBreaks returns the minutes (0..1440) of day d's wall clock where the
// state may change, sorted and without duplicates.
func (s *Schedule) wallBreaks(d day, buf []int) []int {
	buf = append(buf[:0], 0)
	e := dayEval{day: d}
	prev := dayEval{day: d.next(-1)}
	for i := range s.rules {
		r := &s.rules[i]
		if s.matches(r, &e) {
			for _, t := range r.times {
				a, b := t.bounds()
				if a < 1440 {
					buf = append(buf, a)
				}
				if b < 1440 {
					buf = append(buf, b)
				}
			}
		}
		if s.matches(r, &prev) {
			for _, t := range r.times {
				a, b := t.bounds()
				if a > 1440 && a < 2880 {
					buf = append(buf, a-1440)
				}
				if b > 1440 && b < 2880 {
					buf = append(buf, b-1440)
				}
			}
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// candidates appends the instants of day d where the state may change:
// midnight, each wall-clock break in each UTC-offset period of the day
// (so a span that starts in a DST gap starts at the transition, and one in
// the repeated hour is seen twice), and the transitions themselves.
func (s *Schedule) candidates(d day, mins []int, out []time.Time) ([]int, []time.Time) {
	mins = s.wallBreaks(d, mins)
	start := time.Date(d.year, d.month, d.day, 0, 0, 0, 0, s.loc)
	end := time.Date(d.year, d.month, d.day+1, 0, 0, 0, 0, s.loc)
	wallMidnight := time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC).Unix()
	seg := start
	for guard := 0; seg.Before(end) && guard < 8; guard++ {
		_, segEnd := seg.ZoneBounds()
		if segEnd.IsZero() || segEnd.After(end) {
			segEnd = end
		}
		_, off := seg.Zone()
		out = append(out, seg)
		for _, m := range mins {
			at := time.Unix(wallMidnight+int64(m)*60-int64(off), 0)
			if at.After(seg) && at.Before(segEnd) {
				out = append(out, at)
			}
		}
		seg = segEnd
	}
	return mins, out
}

func (s *Schedule) startDay(t time.Time) day {
	y, m, d := t.In(s.loc).Date()
	return civil(y, m, d)
}

// search returns the first instant in (t, limit) where open(state) holds.
func (s *Schedule) search(t, limit time.Time, want func(State) bool) (time.Time, bool) {
	var minsBuf [32]int
	var candBuf [32]time.Time
	mins := minsBuf[:0]
	d := s.startDay(t)
	for i := 0; i <= horizonDays; i++ {
		var cands []time.Time
		mins, cands = s.candidates(d, mins, candBuf[:0])
		for _, c := range cands {
			if !c.After(t) {
				continue
			}
			if !c.Before(limit) {
				return time.Time{}, false
			}
			if st, _ := s.stateAt(c); want(st) {
				return c.In(s.loc), true
			}
		}
		d = d.next(1)
	}
	return time.Time{}, false
}

func isOpen(st State) bool    { return st == Open }
func isNotOpen(st State) bool { return st != Open }

// NextOpen returns t itself when open at t, otherwise the first instant
// after t when the place opens. It returns false when the place does not
// open within Horizon.
func (s *Schedule) NextOpen(t time.Time) (time.Time, bool) {
	if s.IsOpen(t) {
		return t, true
	}
	if s == nil || !s.canOpen {
		return time.Time{}, false
	}
	return s.search(t, t.Add(Horizon), isOpen)
}

// NextClose returns t itself when not open at t, otherwise the first
// instant after t when the place stops being open. It returns false when
// the place stays open for the whole Horizon (24/7).
func (s *Schedule) NextClose(t time.Time) (time.Time, bool) {
	if !s.IsOpen(t) {
		return t, true
	}
	return s.search(t, t.Add(Horizon), isNotOpen)
}

// OpenWithin reports whether the place is open at some moment in [t, t+d).
func (s *Schedule) OpenWithin(t time.Time, d time.Duration) bool {
	if d <= 0 {
		return false
	}
	if s.IsOpen(t) {
		return true
	}
	if s == nil || !s.canOpen {
		return false
	}
	_, ok := s.search(t, t.Add(d), isOpen)
	return ok
}

// Slots returns the open periods within [from, to), sorted and merged:
// adjacent periods with the same comment form one slot. A window longer
// than Horizon is cut to Horizon.
func (s *Schedule) Slots(from, to time.Time) []Slot {
	if s == nil || !s.canOpen || !from.Before(to) {
		return nil
	}
	if limit := from.Add(Horizon); to.After(limit) {
		to = limit
	}
	cands := []time.Time{from}
	var mins []int
	for d := s.startDay(from); ; d = d.next(1) {
		var c []time.Time
		mins, c = s.candidates(d, mins, nil)
		done := false
		for _, at := range c {
			if !at.Before(to) {
				done = true
				break
			}
			if at.After(from) {
				cands = append(cands, at)
			}
		}
		if done {
			break
		}
	}
	slices.SortFunc(cands, func(a, b time.Time) int { return a.Compare(b) })
	var out []Slot
	for i, c := range cands {
		end := to
		if i+1 < len(cands) {
			end = cands[i+1]
		}
		if !c.Before(end) {
			continue
		}
		st, by := s.stateAt(c)
		if st != Open {
			continue
		}
		comment := ""
		if by >= 0 {
			comment = s.rules[by].comment
		}
		if n := len(out); n > 0 && out[n-1].End.Equal(c) && out[n-1].Comment == comment {
			out[n-1].End = end.In(s.loc)
			continue
		}
		out = append(out, Slot{Start: c.In(s.loc), End: end.In(s.loc), Comment: comment})
	}
	return out
}
