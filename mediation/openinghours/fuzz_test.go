package openinghours

import (
	"errors"
	"testing"
	"time"
)

// sampleInstants covers two weeks around the spring DST change, the
// autumn change, holidays and the new year.
func sampleInstants() []time.Time {
	var out []time.Time
	for t := at(2025, 3, 24, 0, 0); t.Before(at(2025, 4, 7, 0, 0)); t = t.Add(61 * time.Minute) {
		out = append(out, t)
	}
	return append(out,
		at(2025, 10, 26, 2, 30), at(2025, 10, 26, 2, 30).Add(time.Hour), at(2025, 12, 25, 10, 0),
		at(2025, 12, 31, 23, 59), at(2026, 1, 1, 0, 0), at(2025, 5, 1, 10, 0), at(2025, 7, 14, 11, 0),
	)
}

func FuzzParse(f *testing.F) {
	for _, v := range realHours(f) {
		f.Add(v)
	}
	for _, v := range []string{
		"24/7", "off", `"sur rendez-vous"`, "Mo-Fr 09:00-12:00 || \"rdv\"", "Fr 22:00-02:00",
		"Dec 24-Jan 02 off", "2025 Dec 24-2026 Jan 02 off", "week 01-10/2 Mo 10:00-11:00",
		"Sa[1,3],Su[-1] 10:00-12:00", "PH Mo-Fr 10:00-12:00", "SH off", "(sunrise-00:30)-sunset",
		"18:00+", "Mo 9h-12h30", "Mo-Fr: 9:00 – 12:00;", "Mo 00:00-48:00", "Jan,Mar-Apr 10:00-12:00",
		"2024-2030/2 PH off", "easter -2 days-easter +1 day off", "2026 easter,Dec 24 +1 day off", "Mo-Fr 08:00-18:00; We 12:00-14:00 off", "Mo 10:00-12:00, We 14:00-16:00",
	} {
		f.Add(v)
	}
	instants := sampleInstants()
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				if se.Offset < 0 || se.Offset > len(in) || se.Input != in || se.Msg == "" {
					t.Fatalf("Parse(%q): bad error %+v", in, se)
				}
			} else if !errors.Is(err, ErrEmpty) {
				t.Fatalf("Parse(%q): error %v is neither *SyntaxError nor ErrEmpty", in, err)
			}
			return
		}
		canon := s.String()
		s2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", in, canon, err)
		}
		if again := s2.String(); again != canon {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", in, canon, again)
		}
		for _, at := range instants {
			st1, c1 := s.State(at)
			st2, c2 := s2.State(at)
			if st1 != st2 || c1 != c2 {
				t.Fatalf("%q and its canonical %q differ at %s: %v %q vs %v %q", in, canon, at, st1, c1, st2, c2)
			}
		}
		from := instants[0]
		if next, ok := s.NextOpen(from); ok && (next.Before(from) || !s.IsOpen(next)) {
			t.Fatalf("%q: NextOpen(%s) = %s, which is before or closed", in, from, next)
		}
		if next, ok := s.NextClose(from); ok && (next.Before(from) || s.IsOpen(next)) {
			t.Fatalf("%q: NextClose(%s) = %s, which is before or open", in, from, next)
		}
		// Breakpoint search against minute probing, across the spring DST change.
		crossCheck(t, in, at(2025, 3, 29, 12, 0), 36*time.Hour)
		var prevEnd time.Time
		for _, sl := range s.Slots(from, from.Add(72*time.Hour)) {
			if !sl.Start.Before(sl.End) || sl.Start.Before(prevEnd) || !s.IsOpen(sl.Start) || !s.IsOpen(sl.End.Add(-time.Second)) {
				t.Fatalf("%q: bad slot %+v", in, sl)
			}
			prevEnd = sl.End
		}
	})
}

func FuzzParseSpan(f *testing.F) {
	for _, v := range []string{"09:00 - 12:00", "13:30 - 17:00", "9h-12h30", "9h00\u201312h00", "22:00-02:00", "00:00-24:00", "09:00", ""} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sp, err := ParseSpan(in)
		if err != nil {
			var se *SyntaxError
			if !errors.Is(err, ErrEmpty) && (!errors.As(err, &se) || se.Offset < 0 || se.Offset > len(in)) {
				t.Fatalf("ParseSpan(%q): bad error %v", in, err)
			}
			return
		}
		if !sp.Valid() {
			t.Fatalf("ParseSpan(%q) = %v, not valid", in, sp)
		}
		again, err := ParseSpan(sp.String())
		if err != nil || again != sp {
			t.Fatalf("ParseSpan(%q) = %v; its String %q re-parses to %v, %v", in, sp, sp.String(), again, err)
		}
		// A span read alone is the same span inside a schedule.
		s := Weekly([7][]Span{{sp}})
		if got := s.String(); got != "Mo "+sp.String() {
			t.Fatalf("Weekly of %v = %q", sp, got)
		}
	})
}
