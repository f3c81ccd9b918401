package franceservices

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Interval is one opening interval of a day, in minutes since midnight.
type Interval struct{ Start, End int }

func (iv Interval) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
}

// ParseDayHours reads one h_lundi … h_samedi cell: intervals "HH:MM - HH:MM"
// separated by "/". An empty cell is a closed day (nil, nil, nil).
//
// Two slips of the real list are repaired and described in notes: "00:00 -
// 00:00", the list's way to say closed, is dropped; intervals given out of
// order, repeated or overlapping are merged into their union (the site is
// open whenever any interval says so). Anything else malformed is an error.
func ParseDayHours(cell string) (ivs []Interval, notes []string, err error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil, nil, nil
	}
	for _, part := range strings.Split(cell, "/") {
		part = strings.TrimSpace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, nil, fmt.Errorf("%q: expected HH:MM - HH:MM", part)
		}
		start, err := parseClock(from)
		if err != nil {
			return nil, nil, err
		}
		end, err := parseClock(to)
		if err != nil {
			return nil, nil, err
		}
		if start == 0 && end == 0 {
			notes = append(notes, fmt.Sprintf("%q read as closed", part))
			continue
		}
		if end <= start {
			return nil, nil, fmt.Errorf("%q: ends before it starts", part)
		}
		ivs = append(ivs, Interval{start, end})
	}
	merged := mergeIntervals(ivs)
	if !sameIntervals(merged, ivs) {
		notes = append(notes, fmt.Sprintf("%q: overlapping or unordered intervals merged", cell))
	}
	return merged, notes, nil
}

// mergeIntervals sorts intervals and merges those that overlap or touch.
func mergeIntervals(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	sorted := slices.Clone(ivs)
	slices.SortFunc(sorted, func(a, b Interval) int { return cmp.Compare(a.Start, b.Start) })
	out := []Interval{sorted[0]}
	for _, iv := range sorted[1:] {
		last := &out[len(out)-1]
		if iv.Start <= last.End {
			last.End = max(last.End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// parseClock reads "HH:MM" (or "HHhMM", "HH:MM" with spaces); 24:00 is the
// end of the day.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, mm, ok := strings.Cut(strings.Replace(s, "h", ":", 1), ":")
	if !ok || len(h) == 0 || len(h) > 2 || len(mm) != 2 || !digits(h) || !digits(mm) {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	hours := atoi(h)
	minutes := atoi(mm)
	if minutes > 59 || hours > 24 || hours == 24 && minutes != 0 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return hours*60 + minutes, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// osmDays are the OSM day abbreviations, Monday first.
var osmDays = [...]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// OpeningHours writes a week (Monday first, up to 7 days) as a canonical OSM
// opening_hours string: consecutive days with the same intervals are
// grouped ("Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00"), closed days are
// left out. A week with no opening gives "".
func OpeningHours(week [][]Interval) string {
	var rules []string
	for i := 0; i < len(week) && i < len(osmDays); {
		if len(week[i]) == 0 {
			i++
			continue
		}
		j := i
		for j+1 < len(week) && j+1 < len(osmDays) && sameIntervals(week[i], week[j+1]) {
			j++
		}
		days := osmDays[i]
		switch {
		case j == i+1:
			days += "," + osmDays[j]
		case j > i+1:
			days += "-" + osmDays[j]
		}
		spans := make([]string, len(week[i]))
		for k, iv := range week[i] {
			spans[k] = iv.String()
		}
		rules = append(rules, days+" "+strings.Join(spans, ","))
		i = j + 1
	}
	return strings.Join(rules, "; ")
}

func sameIntervals(a, b []Interval) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
