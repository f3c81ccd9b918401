package openinghours

import (
	"bufio"
	"os"
	"testing"
	"time"
)

// realHours reads the distinct horaires values of the real exports
// (see testdata/NOTICE).
func realHours(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/horaires_real.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestRealData(t *testing.T) {
	values := realHours(t)
	var parsed, rejected, spill, overlap int
	var rejectedValues []string
	warnings := map[string]int{}
	for _, v := range values {
		h := ParseLenient(v)
		if !h.Known() {
			rejected++
			rejectedValues = append(rejectedValues, v)
			t.Logf("rejected %q: %v", v, h.Err)
			continue
		}
		parsed++
		s := h.Schedule
		if s.Flags() != 0 {
			t.Errorf("%q: unexpected flags %q", v, s.Flags())
		}
		if s.spill {
			spill++
		}
		for _, r := range s.rules {
			if spansOverlapping(r.times) {
				overlap++
				break
			}
		}
		codes := map[string]bool{}
		for _, w := range s.Warnings() {
			codes[w.Code] = true
		}
		for c := range codes {
			warnings[c]++ // values, not rules, with this warning
		}
		// Canonical form is stable and re-parses.
		again, err := Parse(s.String())
		if err != nil || again.String() != s.String() {
			t.Errorf("%q: canonical %q does not round-trip: %v", v, s.String(), err)
		}
		// Every value opens at least once in a year.
		if _, ok := s.NextOpen(at(2025, 3, 3, 0, 0)); !ok {
			t.Errorf("%q: never open", v)
		}
	}
	// These counts pin the behaviour on real data: a change must be deliberate.
	if len(values) != 549 || parsed != 549 || rejected != 0 {
		t.Errorf("values %d, parsed %d, rejected %d %q; want 549, 549, 0", len(values), parsed, rejected, rejectedValues)
	}
	// "Fr 19:00-11:00" is the only value running past midnight (probably a
	// typo for 09:00-11:00, but it is valid syntax and is read as written).
	if spill != 1 {
		t.Errorf("values with a span past midnight = %d, want 1", spill)
	}
	// e.g. "Tu 09:00-12:00,09:00-18:00": overlapping spans are merged.
	if overlap != 5 {
		t.Errorf("values with overlapping spans = %d, want 5", overlap)
	}
	wantWarnings := map[string]int{WarnOverlappingSpans: 5, WarnLongNightSpan: 1}
	if len(warnings) != len(wantWarnings) {
		t.Errorf("warnings on real data = %v, want %v", warnings, wantWarnings)
	}
	for code, n := range wantWarnings {
		if warnings[code] != n {
			t.Errorf("warnings on real data = %v, want %v", warnings, wantWarnings)
			break
		}
	}
}

func TestRealDataSemantics(t *testing.T) {
	// 2025-03-03 is a Monday; the week runs to Sunday 2025-03-09.
	day := func(d, h, m int) time.Time { return at(2025, 3, d, h, m) }
	tests := []struct {
		hours string
		t     time.Time
		want  bool
	}{
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(3, 10, 0), true},
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(3, 15, 0), false},
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(4, 15, 0), true},
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(5, 10, 0), false},
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(8, 11, 59), true},
		{"Mo-Sa 09:00-12:00; Tu-Fr 09:00-12:00,14:00-17:00; We off", day(9, 10, 0), false},
		{"08:30-11:30; Th 08:30-11:30,14:00-16:30", day(9, 9, 0), true},
		{"08:30-11:30; Th 08:30-11:30,14:00-16:30", day(6, 15, 0), true},
		{"08:30-11:30; Th 08:30-11:30,14:00-16:30", day(3, 15, 0), false},
		{"Fr 19:00-11:00", day(8, 10, 59), true},
		{"Fr 19:00-11:00", day(8, 11, 0), false},
		{"Mo-Fr 08:30-12:30,13:30-17:30; We,Th off", day(6, 9, 0), false},
		{"Mo-Fr 08:30-12:30,13:30-17:30; We,Th off", day(7, 13, 0), false},
		{"Mo-Fr 08:30-12:30,13:30-17:30; We,Th off", day(7, 13, 30), true},
		{"Mo 09:00-12:00,14:00-18:00;Tu 09:00-12:00,09:00-18:00;We 09:00-12:00,14:00-18:00;Th 09:00-12:00,14:00-18:00;Fr 09:00-12:00,14:00-18:00", day(4, 13, 0), true},
		{"Mo 09:00-12:00,14:00-18:00;Tu 09:00-12:00,09:00-18:00;We 09:00-12:00,14:00-18:00;Th 09:00-12:00,14:00-18:00;Fr 09:00-12:00,14:00-18:00", day(5, 13, 0), false},
	}
	values := map[string]bool{}
	for _, v := range realHours(t) {
		values[v] = true
	}
	for _, tt := range tests {
		if !values[tt.hours] {
			t.Errorf("%q is not a real value; keep these cases taken from testdata", tt.hours)
		}
		if got := MustParse(tt.hours).IsOpen(tt.t); got != tt.want {
			t.Errorf("Parse(%q).IsOpen(%s) = %v, want %v", tt.hours, tt.t.Format("Mon 15:04"), got, tt.want)
		}
	}
}
