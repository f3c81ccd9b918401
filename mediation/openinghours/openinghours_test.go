package openinghours

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// at builds an instant in Europe/Paris. 2025-03-03 is a Monday.
func at(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, Paris())
}

func TestIsOpen(t *testing.T) {
	mon := func(h, m int) time.Time { return at(2025, 3, 3, h, m) } // Monday
	wed := func(h, m int) time.Time { return at(2025, 3, 5, h, m) }
	sat := func(h, m int) time.Time { return at(2025, 3, 8, h, m) }
	tests := []struct {
		name  string
		hours string
		t     time.Time
		want  bool
	}{
		{"weekday range inside", "Mo-Fr 09:00-17:00", mon(10, 0), true},
		{"weekday range start inclusive", "Mo-Fr 09:00-17:00", mon(9, 0), true},
		{"weekday range end exclusive", "Mo-Fr 09:00-17:00", mon(17, 0), false},
		{"weekday range weekend", "Mo-Fr 09:00-17:00", sat(10, 0), false},
		{"weekday list hit", "Mo,We,Fr 09:00-12:00", wed(10, 0), true},
		{"weekday list miss", "Tu,Th 09:00-12:00", wed(10, 0), false},
		{"wrapping weekday range", "Sa-Mo 10:00-12:00", mon(11, 0), true},
		{"several spans, lunch break", "Mo 09:00-12:00,14:00-17:00", mon(13, 0), false},
		{"several spans, afternoon", "Mo 09:00-12:00,14:00-17:00", mon(15, 0), true},
		{"spaces around dash", "Mo 09:00 - 12:00", mon(11, 0), true},
		{"24/7", "24/7", sat(3, 0), true},
		{"time only means every day", "10:00-12:00", sat(11, 0), true},
		{"weekday only means all day", "Sa", sat(23, 59), true},
		{"off", "off", mon(10, 0), false},
		{"closed", "Mo-Fr 09:00-12:00; Mo closed", mon(10, 0), false},
		{"override later rule wins", "Mo-Fr 09:00-17:00; We 10:00-12:00", wed(9, 30), false},
		{"override keeps other days", "Mo-Fr 09:00-17:00; We 10:00-12:00", mon(9, 30), true},
		{"we off", "Mo-Fr 09:00-18:00; We off", wed(10, 0), false},
		{"off with times cuts only those", "Mo-Fr 08:00-18:00; We 12:00-14:00 off", wed(13, 0), false},
		{"off with times keeps the rest", "Mo-Fr 08:00-18:00; We 12:00-14:00 off", wed(10, 0), true},
		{"additional rule adds", "Mo 09:00-12:00, We 14:00-16:00", wed(15, 0), true},
		{"additional rule does not reset", "Mo-Fr 09:00-12:00, We 14:00-16:00", wed(10, 0), true},
		{"past midnight same day", "Fr 22:00-02:00", at(2025, 3, 7, 23, 0), true},
		{"past midnight next day", "Fr 22:00-02:00", sat(1, 59), true},
		{"past midnight ends", "Fr 22:00-02:00", sat(2, 0), false},
		{"extended hours", "Fr 22:00-26:00", sat(1, 0), true},
		{"later normal rule replaces the night", "Fr 22:00-02:00; Sa 10:00-12:00", sat(1, 0), false},
		{"additional rule keeps the night", "Fr 22:00-02:00, Sa 10:00-12:00", sat(1, 0), true},
		{"off next day replaces the night", "Fr 22:00-02:00; Sa off", sat(1, 0), false},
		{"same rule keeps its own night", "Mo-Su 20:00-02:00", at(2025, 3, 4, 1, 0), true},
		{"later rule for the evening day removes its night", "Mo-Su 20:00-02:00; Su 10:00-12:00", mon(1, 0), false},
		{"earlier rule for the next day does not remove the night", "Sa 10:00-12:00; Fr 22:00-02:00", sat(1, 0), true},
		{"off with times cuts the night", "Fr 22:00-03:00; Sa 01:00-02:00 off", sat(1, 30), false},
		{"off with times keeps the rest of the night", "Fr 22:00-03:00; Sa 01:00-02:00 off", sat(2, 30), true},
		{"24:00 end", "Mo 18:00-24:00", mon(23, 59), true},
		{"24:00 end excludes next day", "Mo 18:00-24:00", at(2025, 3, 4, 0, 0), false},
		{"open end", "Mo 18:00+", mon(22, 0), true},
		{"PH off on 1 May", "Mo-Fr 09:00-17:00; PH off", at(2025, 5, 1, 10, 0), false},
		{"PH off on the day after", "Mo-Fr 09:00-17:00; PH off", at(2025, 5, 2, 10, 0), true},
		{"PH off on Easter Monday", "Mo-Fr 09:00-17:00; PH off", at(2025, 4, 21, 10, 0), false},
		{"PH alone", "PH 10:00-12:00", at(2025, 7, 14, 11, 0), true},
		{"PH union with weekday", "Sa,PH 10:00-12:00", at(2025, 7, 14, 11, 0), true},
		{"PH intersect weekday", "PH Sa-Su 10:00-12:00", at(2025, 7, 14, 11, 0), false},
		{"SH never matches", "Mo-Fr 09:00-17:00; SH off", at(2025, 7, 15, 10, 0), true},
		{"month range in", "Jan-Mar Mo 10:00-12:00", mon(11, 0), true},
		{"month range out", "Apr-Sep Mo 10:00-12:00", mon(11, 0), false},
		{"month range wraps year", "Nov-Feb 10:00-12:00", at(2025, 1, 10, 11, 0), true},
		{"month list", "Jan,Mar 10:00-12:00", mon(11, 0), true},
		{"date off", "Mo-Su 10:00-12:00; Dec 25 off", at(2025, 12, 25, 11, 0), false},
		{"date range off", "Mo-Su 10:00-12:00; Dec 24-26 off", at(2025, 12, 26, 11, 0), false},
		{"date range across new year", "Mo-Su 10:00-12:00; Dec 24-Jan 02 off", at(2026, 1, 2, 11, 0), false},
		{"date range across new year ends", "Mo-Su 10:00-12:00; Dec 24-Jan 02 off", at(2026, 1, 3, 11, 0), true},
		{"date with colon", "Mar 03: 10:00-12:00", mon(11, 0), true},
		{"easter", "Mo-Su 10:00-12:00; easter off", at(2025, 4, 20, 11, 0), false},
		{"easter monday by offset", "Mo-Su 10:00-12:00; easter +1 day off", at(2025, 4, 21, 11, 0), false},
		{"easter offset not the day itself", "Mo-Su 10:00-12:00; easter +1 day off", at(2025, 4, 20, 11, 0), true},
		{"good friday by negative offset", "easter -2 days 10:00-12:00", at(2025, 4, 18, 11, 0), true},
		{"easter range", "easter -2 days-easter +1 day off; 10:00-12:00", at(2025, 4, 19, 11, 0), true},
		{"easter range closes", "10:00-12:00; easter -2 days-easter +1 day off", at(2025, 4, 19, 11, 0), false},
		{"easter range ends", "10:00-12:00; easter -2 days-easter +1 day off", at(2025, 4, 22, 11, 0), true},
		{"easter to a date", "easter-Jun 01 10:00-12:00", at(2025, 5, 15, 11, 0), true},
		{"easter in a given year", "2026 easter 10:00-12:00", at(2026, 4, 5, 11, 0), true},
		{"easter in another year", "2026 easter 10:00-12:00", at(2025, 4, 20, 11, 0), false},
		{"date offset across a month", "Jan 31 +1 day 10:00-12:00", at(2025, 2, 1, 11, 0), true},
		{"date offset across the year", "Dec 31 +1 day 10:00-12:00", at(2026, 1, 1, 11, 0), true},
		{"year hit", "2025 Mo 10:00-12:00", mon(11, 0), true},
		{"year miss", "2024 Mo 10:00-12:00", mon(11, 0), false},
		{"year range step", "2021-2029/2 10:00-12:00", mon(11, 0), true},
		{"dated range with year", "2025 Mar 01-10 10:00-12:00", mon(11, 0), true},
		{"dated range other year", "2024 Mar 01-10 10:00-12:00", mon(11, 0), false},
		{"week number hit", "week 10 Mo 10:00-12:00", mon(11, 0), true},
		{"week number miss", "week 11-20 Mo 10:00-12:00", mon(11, 0), false},
		{"week step", "week 02-52/2 10:00-12:00", mon(11, 0), true},
		{"week step odd", "week 01-53/2 10:00-12:00", mon(11, 0), false},
		{"first saturday", "Sa[1] 10:00-12:00", at(2025, 3, 1, 11, 0), true},
		{"first saturday not second", "Sa[1] 10:00-12:00", sat(11, 0), false},
		{"last sunday", "Su[-1] 10:00-12:00", at(2025, 3, 30, 11, 0), true},
		{"last sunday not before", "Su[-1] 10:00-12:00", at(2025, 3, 23, 11, 0), false},
		{"nth list", "Mo[1,3] 10:00-12:00", mon(11, 0), true},
		{"month and nth weekday", "Mar Su[-1] 10:00-12:00", at(2025, 3, 30, 11, 0), true},
		{"month and nth weekday, other month", "Apr Su[-1] 10:00-12:00", at(2025, 3, 30, 11, 0), false},
		{"nth range", "Sa[2-3] 10:00-12:00", sat(11, 0), true},
		{"comment keeps open", `Mo 10:00-12:00 "sur rendez-vous"`, mon(11, 0), true},
		{"comment alone is unknown", `"sur rendez-vous"`, mon(11, 0), false},
		{"unknown", "Mo 10:00-12:00 unknown", mon(11, 0), false},
		{"fallback not used when covered", `Mo-Fr 09:00-12:00 || "rdv"`, mon(11, 0), true},
		{"fallback does not hide the night", `Fr 22:00-02:00 || "rdv"`, sat(1, 0), true},
		{"fallback fills the gap", `Fr 22:00-02:00 || 10:00-12:00`, sat(11, 0), true},
		{"sunrise approximated", "sunrise-sunset", mon(12, 0), true},
		{"sunset approximated", "sunrise-sunset", mon(20, 0), false},
		{"sun offset", "(sunrise+01:00)-12:00", mon(7, 30), false},
		{"lenient h", "Mo-Fr 9h-12h30", mon(12, 15), true},
		{"lenient single digit", "Mo-Fr 9:00-12:00", mon(9, 30), true},
		{"lenient lower case", "mo-fr 09:00-12:00", mon(9, 30), true},
		{"lenient en dash", "Mo\u2013Fr 09:00\u201312:00", mon(9, 30), true},
		{"lenient colon after days", "Mo-Fr: 09:00-12:00", mon(9, 30), true},
		{"lenient trailing semicolon", "Mo-Fr 09:00-12:00;", mon(9, 30), true},
		{"real: overlapping spans", "Mo 09:00-12:00,14:00-18:00;Tu 09:00-12:00,09:00-18:00", at(2025, 3, 4, 13, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.hours)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.hours, err)
			}
			if got := s.IsOpen(tt.t); got != tt.want {
				t.Errorf("Parse(%q).IsOpen(%s) = %v, want %v", tt.hours, tt.t, got, tt.want)
			}
		})
	}
}

func TestState(t *testing.T) {
	tests := []struct {
		hours       string
		t           time.Time
		state       State
		wantComment string
	}{
		{`Mo 10:00-12:00 "sur rendez-vous"`, at(2025, 3, 3, 11, 0), Open, "sur rendez-vous"},
		{`"sur rendez-vous"`, at(2025, 3, 3, 11, 0), Unknown, "sur rendez-vous"},
		{`Mo-Fr 09:00-12:00 || "rdv l'après-midi"`, at(2025, 3, 3, 15, 0), Unknown, "rdv l'après-midi"},
		{`Mo-Fr 09:00-12:00 || "rdv"`, at(2025, 3, 3, 10, 0), Open, ""},
		{`Mo-Fr 09:00-12:00; Dec 25 off "Noël"`, at(2025, 12, 25, 10, 0), Closed, "Noël"},
		{`Mo 10:00-12:00 unknown`, at(2025, 3, 3, 11, 0), Unknown, ""},
		{`Mo 10:00-12:00`, at(2025, 3, 3, 13, 0), Closed, ""},
		{`Fr 22:00-02:00 || "rdv"`, at(2025, 3, 8, 1, 0), Open, ""},
		{`Fr 22:00-02:00 || "rdv"`, at(2025, 3, 8, 3, 0), Unknown, "rdv"},
	}
	for _, tt := range tests {
		s := MustParse(tt.hours)
		st, c := s.State(tt.t)
		if st != tt.state || c != tt.wantComment {
			t.Errorf("Parse(%q).State(%s) = %v %q, want %v %q", tt.hours, tt.t, st, c, tt.state, tt.wantComment)
		}
	}
}

func TestNextOpen(t *testing.T) {
	tests := []struct {
		name  string
		hours string
		from  time.Time
		want  time.Time
	}{
		{"open now returns t", "Mo-Fr 09:00-17:00", at(2025, 3, 3, 10, 30), at(2025, 3, 3, 10, 30)},
		{"later today", "Mo-Fr 09:00-12:00,14:00-17:00", at(2025, 3, 3, 12, 30), at(2025, 3, 3, 14, 0)},
		{"across the weekend", "Mo-Fr 09:00-17:00", at(2025, 3, 7, 18, 0), at(2025, 3, 10, 9, 0)},
		{"across a month", "Mo 09:00-12:00", at(2025, 3, 31, 13, 0), at(2025, 4, 7, 9, 0)},
		{"across the year", "Mo-Fr 09:00-17:00; Dec 24-Jan 02 off", at(2025, 12, 23, 18, 0), at(2026, 1, 5, 9, 0)},
		{"skips a holiday", "Mo-Fr 09:00-17:00; PH off", at(2025, 4, 18, 18, 0), at(2025, 4, 22, 9, 0)},
		{"past midnight span", "Fr 22:00-02:00", at(2025, 3, 3, 10, 0), at(2025, 3, 7, 22, 0)},
		{"first saturday of next month", "Sa[1] 10:00-12:00", at(2025, 3, 3, 10, 0), at(2025, 4, 5, 10, 0)},
		{"DST spring: time exists after change", "Su 03:30-05:00", at(2025, 3, 30, 1, 0), at(2025, 3, 30, 3, 30)},
		{"DST spring: span in the gap opens at the change", "Su 02:30-04:00", at(2025, 3, 30, 1, 0), time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC)},
		{"DST spring: span entirely in the gap is skipped", "Su 02:00-03:00", at(2025, 3, 30, 0, 0), at(2025, 4, 6, 2, 0)},
		{"week numbers across the year", "week 01 Mo 10:00-11:00", at(2025, 3, 3, 12, 0), at(2025, 12, 29, 10, 0)},
		{"opens at midnight", "Tu 00:00-01:00", at(2025, 3, 3, 23, 0), at(2025, 3, 4, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MustParse(tt.hours).NextOpen(tt.from)
			if !ok || !got.Equal(tt.want) {
				t.Errorf("Parse(%q).NextOpen(%s) = %s %v, want %s", tt.hours, tt.from, got, ok, tt.want)
			}
		})
	}
}

func TestNextOpenNever(t *testing.T) {
	for _, h := range []string{"off", "2020 Mo 10:00-12:00", `"sur rendez-vous"`, "SH 10:00-12:00", "Mo 10:00-12:00; Mo off"} {
		if got, ok := MustParse(h).NextOpen(at(2025, 3, 3, 10, 0)); ok {
			t.Errorf("Parse(%q).NextOpen = %s, want never", h, got)
		}
	}
}

func TestNextClose(t *testing.T) {
	tests := []struct {
		hours string
		from  time.Time
		want  time.Time
		ok    bool
	}{
		{"Mo-Fr 09:00-12:00,14:00-17:00", at(2025, 3, 3, 10, 0), at(2025, 3, 3, 12, 0), true},
		{"Mo-Fr 09:00-12:00,14:00-17:00", at(2025, 3, 3, 13, 0), at(2025, 3, 3, 13, 0), true},
		{"Mo-Fr 09:00-12:00,12:00-17:00", at(2025, 3, 3, 10, 0), at(2025, 3, 3, 17, 0), true},
		{"Fr 22:00-02:00", at(2025, 3, 7, 23, 0), at(2025, 3, 8, 2, 0), true},
		{"Mo-Su 00:00-24:00", at(2025, 3, 7, 23, 0), time.Time{}, false},
		{"24/7", at(2025, 3, 7, 23, 0), time.Time{}, false},
		{"24/7; Dec 25 off", at(2025, 3, 7, 23, 0), at(2025, 12, 25, 0, 0), true},
	}
	for _, tt := range tests {
		got, ok := MustParse(tt.hours).NextClose(tt.from)
		if ok != tt.ok || (ok && !got.Equal(tt.want)) {
			t.Errorf("Parse(%q).NextClose(%s) = %s %v, want %s %v", tt.hours, tt.from, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOpenWithin(t *testing.T) {
	s := MustParse("Sa 10:00-12:00")
	from := at(2025, 3, 3, 10, 0)
	if s.OpenWithin(from, 4*24*time.Hour) {
		t.Error("open within 4 days of Monday, want no")
	}
	if !s.OpenWithin(from, 5*24*time.Hour+time.Minute) {
		t.Error("not open within 5 days and 1 minute of Monday, want yes")
	}
	if s.OpenWithin(from, 0) {
		t.Error("open within a zero duration")
	}
}

func TestSlots(t *testing.T) {
	type slot struct{ start, end time.Time }
	tests := []struct {
		name     string
		hours    string
		from, to time.Time
		want     []slot
	}{
		{"two spans a day", "Mo 09:00-12:00,14:00-17:00", at(2025, 3, 3, 0, 0), at(2025, 3, 4, 0, 0),
			[]slot{{at(2025, 3, 3, 9, 0), at(2025, 3, 3, 12, 0)}, {at(2025, 3, 3, 14, 0), at(2025, 3, 3, 17, 0)}}},
		{"overlapping spans merge", "Mo 09:00-12:00,11:00-15:00,15:00-16:00", at(2025, 3, 3, 0, 0), at(2025, 3, 4, 0, 0),
			[]slot{{at(2025, 3, 3, 9, 0), at(2025, 3, 3, 16, 0)}}},
		{"clipped to the window", "Mo 09:00-12:00", at(2025, 3, 3, 10, 0), at(2025, 3, 3, 11, 0),
			[]slot{{at(2025, 3, 3, 10, 0), at(2025, 3, 3, 11, 0)}}},
		{"merged across midnight", "Mo 20:00-24:00; Tu 00:00-02:00", at(2025, 3, 3, 0, 0), at(2025, 3, 5, 0, 0),
			[]slot{{at(2025, 3, 3, 20, 0), at(2025, 3, 4, 2, 0)}}},
		{"spill from the day before the window", "Su 22:00-02:00", at(2025, 3, 3, 0, 0), at(2025, 3, 4, 0, 0),
			[]slot{{at(2025, 3, 3, 0, 0), at(2025, 3, 3, 2, 0)}}},
		{"24/7 is one slot", "24/7", at(2025, 3, 3, 0, 0), at(2025, 3, 10, 0, 0),
			[]slot{{at(2025, 3, 3, 0, 0), at(2025, 3, 10, 0, 0)}}},
		{"DST autumn: the repeated hour is open twice", "Su 02:00-03:00", at(2025, 10, 26, 0, 0), at(2025, 10, 27, 0, 0),
			[]slot{{time.Date(2025, 10, 26, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 26, 2, 0, 0, 0, time.UTC)}}},
		{"DST spring: 02:00-03:00 does not exist", "Su 02:00-03:00", at(2025, 3, 30, 0, 0), at(2025, 3, 31, 0, 0), nil},
		{"empty window", "24/7", at(2025, 3, 3, 0, 0), at(2025, 3, 3, 0, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MustParse(tt.hours).Slots(tt.from, tt.to)
			if len(got) != len(tt.want) {
				t.Fatalf("Parse(%q).Slots = %v, want %v", tt.hours, got, tt.want)
			}
			for i := range got {
				if !got[i].Start.Equal(tt.want[i].start) || !got[i].End.Equal(tt.want[i].end) {
					t.Errorf("slot %d = %s..%s, want %s..%s", i, got[i].Start, got[i].End, tt.want[i].start, tt.want[i].end)
				}
			}
		})
	}
}

func TestSlotsComment(t *testing.T) {
	got := MustParse(`Mo 09:00-12:00 "accueil libre", Mo 14:00-16:00 "sur rendez-vous"`).Slots(at(2025, 3, 3, 0, 0), at(2025, 3, 4, 0, 0))
	if len(got) != 2 || got[0].Comment != "accueil libre" || got[1].Comment != "sur rendez-vous" {
		t.Errorf("Slots = %+v, want two slots with their comments", got)
	}
}

func TestCanonicalString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mo-Fr 09:00-12:00,14:00-17:00", "Mo-Fr 09:00-12:00,14:00-17:00"},
		{"Mo,Fr 09:00-12:00;Tu 14:00-17:00", "Mo,Fr 09:00-12:00; Tu 14:00-17:00"},
		{"mo-fr 9h-12h30", "Mo-Fr 09:00-12:30"},
		{"Mo-Fr: 9:00 - 12:00 ;", "Mo-Fr 09:00-12:00"},
		{"Mo-Fr:09:00-12:00", "Mo-Fr 09:00-12:00"},
		{"Lu-Ve 9h-12h 14h-17h", "Mo-Fr 09:00-12:00,14:00-17:00"},
		{"lundi,mercredi 9h-12h / 14h-17h", "Mo,We 09:00-12:00,14:00-17:00"},
		{"Mon-Fri 09:00-12:00 et 14:00-17:00; Sat 10:00-12:00", "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"},
		{"Ma,Je 09:00-12:00; Di off", "Tu,Th 09:00-12:00; Su off"},
		{"Fr 22:00-26:00", "Fr 22:00-02:00"},
		{"Mo 00:00-48:00", "Mo 00:00-48:00"},
		{"24/7", "24/7"},
		{"closed", "off"},
		{"open", "open"},
		{`"sur rendez-vous"`, `"sur rendez-vous"`},
		{`Mo 10:00-12:00 open "atelier"`, `Mo 10:00-12:00 "atelier"`},
		{`Mo "rdv"`, `Mo "rdv"`},
		{`Mo open "rdv"`, `Mo open "rdv"`},
		{"Mo-Fr 09:00-12:00 || \"rdv\"", "Mo-Fr 09:00-12:00 || \"rdv\""},
		{"Dec 24-26 off", "Dec 24-26 off"},
		{"easter off", "easter off"},
		{"Easter +1 Day off", "easter +1 day off"},
		{"easter -2 days - easter +1 day off", "easter -2 days-easter +1 day off"},
		{"easter-Jun 01 10:00-12:00", "easter-Jun 01 10:00-12:00"},
		{"2026 easter, Dec 25 off", "2026 easter,Dec 25 off"},
		{"Dec 24 +1 day-Dec 26 off", "Dec 24 +1 day-Dec 26 off"},
		{"Dec 24 - Jan 2 off", "Dec 24-Jan 02 off"},
		{"Jan-Mar: Mo 10:00-12:00", "Jan-Mar Mo 10:00-12:00"},
		{"2025 Dec 24-2026 Jan 02 off", "2025 Dec 24-2026 Jan 02 off"},
		{"2024-2030/2 PH off", "2024-2030/2 PH off"},
		{"2024+ Mo 10:00-12:00", "2024+ Mo 10:00-12:00"},
		{"week 1-10/2 Mo 10:00-11:00", "week 01-10/2 Mo 10:00-11:00"},
		{"PH,Mo-Fr 10:00-12:00", "Mo-Fr,PH 10:00-12:00"},
		{"PH Mo-Fr 10:00-12:00", "PH Mo-Fr 10:00-12:00"},
		{"Sa[1,3] 10:00-12:00", "Sa[1,3] 10:00-12:00"},
		{"Su[-1] 10:00-12:00", "Su[-1] 10:00-12:00"},
		{"(sunrise-00:30)-sunset", "(sunrise-00:30)-sunset"},
		{"18:00+", "18:00+"},
		{"Mo 10:00-12:00, We 14:00-16:00", "Mo 10:00-12:00, We 14:00-16:00"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := s.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		s2, err := Parse(s.String())
		if err != nil || s2.String() != s.String() {
			t.Errorf("re-parse of %q: %v, %q", s.String(), err, s2)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"Mo-Fr 09:00", 11, `expected "-" after "09:00"`},
		{"Mo-Fr 09:00 12:00", 11, `expected "-" after "09:00"`},
		{"Mo-Fr 25:00-26:00", 6, `time "25:00" is after 23:59`},
		{"Mo-Fr 09:60-10:00", 6, "minutes 60 out of range"},
		{"Mo-Fr 09:00-49:00", 12, `time "49:00" is after 48:00`},
		{"Mo-Fr 10:00-10:00", 6, "is empty"},
		{"Mo-Fr 10:00-11:00 \"rdv", 18, "unterminated comment"},
		{"Xy-Fr 09:00-12:00", 0, `unknown word "Xy"`},
		{"Mo-Xy 09:00-12:00", 3, "expected a weekday"},
		{"Mo-Fr 09:00-12:00 Sa", 18, `unexpected word "Sa"`},
		{"Feb 30 off", 4, "Feb has no day 30"},
		{"Mo[6] 10:00-12:00", 3, "out of range 1-5"},
		{"week 54 Mo", 5, "week number 54 is out of range"},
		{"Mo-Fr 09:00-12:00 # x", 18, `unexpected "# x"`},
		{"easter +1 dy off", 7, "unexpected"},
		{"Dec 25 +400 days off", 8, "day offset 400 is out of range"},
		{"Mo 10:00-16:00/01:00", 14, "unsupported: repeating"},
		{"Mo 10:00-12:00 / 14:00", 22, `expected "-" after "14:00"`},
		{"PH +1 day off", 3, "unsupported: holiday with a day offset"},
		{"Su[-1] -2 days off", 7, "unsupported: weekday with a day offset"},
		{"Mar Su[-1]-Oct Su[-1] off", 10, `unexpected "-Oct Su[-1] " after a rule`},
		{"", 0, ""},
		{";", 1, "expected a rule"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if tt.in == "" {
			if !errors.Is(err, ErrEmpty) {
				t.Errorf("Parse(\"\") = %v, want ErrEmpty", err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q): errors.Is(ErrSyntax) false", tt.in)
		}
		if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) || se.Input != tt.in {
			t.Errorf("Parse(%q) = %q (offset %d), want offset %d and %q", tt.in, err, se.Offset, tt.offset, tt.msg)
		}
		if want := strings.HasPrefix(tt.msg, "unsupported"); errors.Is(err, ErrUnsupported) != want {
			t.Errorf("Parse(%q): errors.Is(ErrUnsupported) = %v, want %v", tt.in, !want, want)
		}
	}
	if got := (&SyntaxError{Offset: 12, Msg: `expected "-" after "09:00"`}).Error(); got != `opening_hours: at offset 12: expected "-" after "09:00"` {
		t.Errorf("Error() = %q", got)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		in   string
		want Flag
	}{
		{"Mo-Fr 09:00-12:00", 0},
		{"Mo-Fr 9h-12h", FlagLenient},
		{"sunrise-sunset", FlagSunApproximated},
		{"Mo-Fr 09:00-12:00; SH off", FlagSchoolHolidays},
		{"Mo 18:00+", FlagOpenEnd},
		{`"sur rendez-vous"`, FlagUnknown},
	}
	for _, tt := range tests {
		if got := MustParse(tt.in).Flags(); got != tt.want {
			t.Errorf("Parse(%q).Flags() = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := (FlagLenient | FlagOpenEnd).String(); got != "lenient,open-end" {
		t.Errorf("Flag.String() = %q", got)
	}
}

func TestHolidays(t *testing.T) {
	tests := []struct {
		region Region
		y      int
		m      time.Month
		d      int
		want   string
	}{
		{Metropole, 2025, time.April, 21, "Lundi de Pâques"},
		{Metropole, 2024, time.April, 1, "Lundi de Pâques"},
		{Metropole, 2026, time.April, 6, "Lundi de Pâques"},
		{Metropole, 2025, time.May, 29, "Ascension"},
		{Metropole, 2025, time.June, 9, "Lundi de Pentecôte"},
		{Metropole, 2025, time.January, 1, "Jour de l'an"},
		{Metropole, 2025, time.November, 11, "Armistice 1918"},
		{Metropole, 2025, time.April, 18, ""},
		{Metropole, 2025, time.December, 26, ""},
		{AlsaceMoselle, 2025, time.April, 18, "Vendredi saint"},
		{AlsaceMoselle, 2025, time.December, 26, "Saint-Étienne"},
		{Guadeloupe, 2025, time.May, 27, "Abolition de l'esclavage"},
		{Martinique, 2025, time.May, 22, "Abolition de l'esclavage"},
		{Martinique, 2025, time.May, 27, ""},
		{LaReunion, 2025, time.December, 20, "Abolition de l'esclavage"},
		{Guyane, 2025, time.June, 10, "Abolition de l'esclavage"},
		{Mayotte, 2025, time.April, 27, "Abolition de l'esclavage"},
		{NouvelleCaledonie, 2025, time.September, 24, "Fête de la citoyenneté"},
		{NouvelleCaledonie, 2025, time.June, 9, "Lundi de Pentecôte"},
		{Polynesie, 2025, time.June, 29, "Fête de l'autonomie"},
		{Polynesie, 2025, time.April, 18, "Vendredi saint"},
		{Metropole, 2025, time.September, 24, ""},
	}
	for _, tt := range tests {
		name, ok := FrenchHolidays{Region: tt.region}.Holiday(tt.y, tt.m, tt.d)
		if ok != (tt.want != "") || name != tt.want {
			t.Errorf("region %d %d-%02d-%02d = %q %v, want %q", tt.region, tt.y, tt.m, tt.d, name, ok, tt.want)
		}
	}
	if HolidaysForDepartement("67").Region != AlsaceMoselle || HolidaysForDepartement("974").Region != LaReunion || HolidaysForDepartement("75").Region != Metropole {
		t.Error("HolidaysForDepartement mapping is wrong")
	}
	s := MustParse("Mo-Fr 09:00-17:00; PH off")
	friday := at(2025, 4, 18, 10, 0)
	if !s.IsOpen(friday) {
		t.Error("Good Friday closed in metropole")
	}
	if s.WithHolidays(HolidaysForDepartement("57")).IsOpen(friday) {
		t.Error("Good Friday open in Moselle")
	}
	if !s.IsOpen(friday) {
		t.Error("WithHolidays changed the original schedule")
	}
}

func TestOtherZones(t *testing.T) {
	guadeloupe, err := time.LoadLocation("America/Guadeloupe")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseIn("Mo-Fr 08:00-12:00", guadeloupe)
	if err != nil {
		t.Fatal(err)
	}
	// 10:00 in Paris on a March Monday is 05:00 in Guadeloupe.
	if s.IsOpen(at(2025, 3, 3, 10, 0)) {
		t.Error("open at 05:00 in Guadeloupe")
	}
	if !s.IsOpen(at(2025, 3, 3, 14, 0)) {
		t.Error("closed at 09:00 in Guadeloupe")
	}
	if !MustParse("Mo-Fr 08:00-12:00").In(guadeloupe).IsOpen(at(2025, 3, 3, 14, 0)) {
		t.Error("In(guadeloupe) not applied")
	}
	next, _ := s.NextOpen(at(2025, 3, 3, 10, 0))
	if want := time.Date(2025, 3, 3, 8, 0, 0, 0, guadeloupe); !next.Equal(want) || next.Location() != guadeloupe {
		t.Errorf("NextOpen = %s, want %s in the place's zone", next, want)
	}
	if s.Location() != guadeloupe {
		t.Error("Location() is not the zone given")
	}
}

func TestComment(t *testing.T) {
	s := MustParse(`Mo 10:00-12:00 "sur rendez-vous"; Tu 10:00-12:00 "sur rendez-vous"; We 10:00-12:00 "atelier"`)
	if got := s.Comment(); got != "sur rendez-vous ; atelier" {
		t.Errorf("Comment() = %q", got)
	}
	if got := MustParse("Mo 10:00-12:00").Comment(); got != "" {
		t.Errorf("Comment() = %q, want empty", got)
	}
}

func TestParseLenient(t *testing.T) {
	h := ParseLenient("du lundi au vendredi")
	if h.Known() || h.Raw != "du lundi au vendredi" || !errors.Is(h.Err, ErrSyntax) {
		t.Errorf("ParseLenient(bad) = %+v", h)
	}
	h = ParseLenient("Mo 09:00-12:00")
	if !h.Known() || h.Err != nil || !h.Schedule.IsOpen(at(2025, 3, 3, 10, 0)) {
		t.Errorf("ParseLenient(good) = %+v", h)
	}
	var u Hours
	if err := u.UnmarshalText([]byte("n'importe quoi")); err != nil || u.Known() || u.Raw != "n'importe quoi" {
		t.Errorf("UnmarshalText = %v %+v", err, u)
	}
	if b, _ := u.MarshalText(); string(b) != "n'importe quoi" {
		t.Errorf("MarshalText = %q", b)
	}
	if h := ParseLenient(""); h.Known() || !errors.Is(h.Err, ErrEmpty) {
		t.Errorf("ParseLenient(\"\") = %+v", h)
	}
}

func TestWeekly(t *testing.T) {
	morning := []Span{{9 * 60, 12 * 60}}
	full := []Span{{9 * 60, 12 * 60}, {13*60 + 30, 17 * 60}}
	tests := []struct {
		name string
		days [7][]Span
		want string
	}{
		{"France Services week", [7][]Span{full, full, morning, full, full, morning, nil}, "Mo,Tu,Th,Fr 09:00-12:00,13:30-17:00; We,Sa 09:00-12:00"},
		{"consecutive days range", [7][]Span{full, full, full, full, full, nil, nil}, "Mo-Fr 09:00-12:00,13:30-17:00"},
		{"two consecutive days list", [7][]Span{nil, morning, morning, nil, nil, nil, nil}, "Tu,We 09:00-12:00"},
		{"unsorted spans", [7][]Span{{{14 * 60, 16 * 60}, {9 * 60, 12 * 60}}}, "Mo 09:00-12:00,14:00-16:00"},
		{"never open", [7][]Span{}, "off"},
		{"past midnight", [7][]Span{4: {{22 * 60, 2 * 60}}}, "Fr 22:00-02:00"},
		{"invalid dropped", [7][]Span{{{9 * 60, 9 * 60}, {-1, 60}, {9 * 60, 12 * 60}}}, "Mo 09:00-12:00"},
	}
	for _, tt := range tests {
		s := Weekly(tt.days)
		if got := s.String(); got != tt.want {
			t.Errorf("%s: Weekly = %q, want %q", tt.name, got, tt.want)
		}
		if _, err := Parse(s.String()); err != nil {
			t.Errorf("%s: Weekly result does not re-parse: %v", tt.name, err)
		}
	}
	s := Weekly([7][]Span{full, full, morning, full, full, morning, nil})
	if !s.IsOpen(at(2025, 3, 3, 14, 0)) || s.IsOpen(at(2025, 3, 5, 14, 0)) || s.IsOpen(at(2025, 3, 9, 10, 0)) {
		t.Error("Weekly schedule evaluates wrongly")
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want Span
		err  bool
	}{
		{"09:00-12:00", Span{540, 720}, false},
		{"09:00 - 12:00", Span{540, 720}, false},
		{"9h-12h30", Span{540, 750}, false},
		{"9h00\u201312h00", Span{540, 720}, false},
		{"22:00-02:00", Span{1320, 120}, false},
		{"7:00-27:00", Span{420, 180}, false},
		{"00:00-24:00", Span{0, 1440}, false},
		{"07:00-31:00", Span{420, 1860}, false},
		{"07:00-32:00", Span{}, true},
		{"09:00", Span{}, true},
		{"09:00-12:00 x", Span{}, true},
		{"", Span{}, true},
		{"sunrise-12:00", Span{}, true},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if got := (Span{540, 720}).String(); got != "09:00-12:00" {
		t.Errorf("Span.String() = %q", got)
	}
	if (Span{540, 540}).Valid() || !(Span{1320, 120}).Valid() {
		t.Error("Span.Valid is wrong")
	}
}

// The schedule is documented as safe for concurrent use; -race checks it.
func TestConcurrentUse(t *testing.T) {
	s := MustParse("Mo-Fr 09:00-12:00,14:00-17:00; PH off; Fr 22:00-02:00")
	from := at(2025, 3, 3, 8, 0)
	want := make([]bool, 200)
	for i := range want {
		want[i] = s.IsOpen(from.Add(time.Duration(i) * time.Hour))
	}
	wantSlots := len(s.Slots(from, from.Add(48*time.Hour)))
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range want {
				if s.IsOpen(from.Add(time.Duration(i)*time.Hour)) != want[i] {
					errs <- "IsOpen differs under concurrency"
					return
				}
				if i%20 == 0 {
					s.NextOpen(from)
					if len(s.Slots(from, from.Add(48*time.Hour))) != wantSlots {
						errs <- "Slots differ under concurrency"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// Regressions found by FuzzParse (inputs kept in testdata/fuzz/FuzzParse).
func TestFuzzRegressions(t *testing.T) {
	tests := []struct {
		name, in, canonical string
	}{
		// An additional rule after a weekday list was printed "Mo, Th",
		// which re-parses as the list Mo,Th.
		{"additional rule after weekdays", "Mo:,Th", "Mo open, Th"},
		{"additional rule after times", "Mo 10:00-12:00 open, 14:00-16:00", "Mo 10:00-12:00 open, 14:00-16:00"},
		{"additional rule after months", "Jan open, Mar 10:00-12:00", "Jan open, Mar 10:00-12:00"},
		// A step on a single week lost its range: "week 01/2" does not parse.
		{"step on a single week", "week1-1/2", "week 01-01/2"},
		{"step on a single year", "2025-2025/2 Mo", "2025-2025/2 Mo"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.name, tt.in, err)
			continue
		}
		if got := s.String(); got != tt.canonical {
			t.Errorf("%s: Parse(%q).String() = %q, want %q", tt.name, tt.in, got, tt.canonical)
		}
		again := MustParse(s.String())
		for _, at := range sampleInstants() {
			if a, b := s.IsOpen(at), again.IsOpen(at); a != b {
				t.Errorf("%s: %q and %q differ at %s", tt.name, tt.in, s, at)
				break
			}
		}
	}
	// The additional rule "14:00-16:00" applies every day, not only Monday.
	if !MustParse("Mo 10:00-12:00 open, 14:00-16:00").IsOpen(at(2025, 3, 5, 15, 0)) {
		t.Error("additional time-only rule lost")
	}
}

func TestMarshalText(t *testing.T) {
	b, err := MustParse("mo-fr 9h-12h").MarshalText()
	if err != nil || string(b) != "Mo-Fr 09:00-12:00" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		in    string
		codes []string
	}{
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off", nil},
		{"Tu 09:00-12:00,09:00-18:00", []string{WarnOverlappingSpans}},
		{"Fr 19:00-11:00", []string{WarnLongNightSpan}},
		{"Fr 22:00-02:00", nil},
		{"Mo-Fr 09:00-12:00; 14:00-17:00", []string{WarnReplacesAll}},
		{"Mo-Fr 09:00-12:00; 12:00-13:00 off", nil},
		{"Mo-Fr 09:00-12:00; Mo-Fr 14:00-17:00", []string{WarnReplaced}},
		{"Mo-Fr 09:00-12:00, Mo-Fr 14:00-17:00", nil},
		{"08:30-11:30; Th 08:30-11:30,14:00-16:30", nil},
	}
	for _, tt := range tests {
		ws := MustParse(tt.in).Warnings()
		var codes []string
		for _, w := range ws {
			codes = append(codes, w.Code)
			if w.Message(French) == "" || w.Message(English) == "" || w.Message(French) == w.Message(English) {
				t.Errorf("%q: messages %q / %q", tt.in, w.Message(French), w.Message(English))
			}
		}
		if strings.Join(codes, ",") != strings.Join(tt.codes, ",") {
			t.Errorf("Warnings(%q) = %v, want %v", tt.in, codes, tt.codes)
		}
	}
	w := MustParse("Mo-Fr 09:00-12:00; 14:00-17:00").Warnings()[0]
	if got := w.Message(English); got != "rule 2 (14:00-17:00): with no day given it replaces the earlier rules on every day" {
		t.Errorf("Message = %q", got)
	}
}

func TestForDepartement(t *testing.T) {
	tests := []struct {
		code, zone string
		region     Region
	}{
		{"75", "Europe/Paris", Metropole},
		{"2A", "Europe/Paris", Metropole},
		{"67", "Europe/Paris", AlsaceMoselle},
		{"971", "America/Guadeloupe", Guadeloupe},
		{"974", "Indian/Reunion", LaReunion},
		{"988", "Pacific/Noumea", NouvelleCaledonie},
	}
	for _, tt := range tests {
		opts := ForDepartement(tt.code)
		s, err := ParseWith("Mo-Fr 08:00-12:00; PH off", opts)
		if err != nil {
			t.Fatal(err)
		}
		if s.Location().String() != tt.zone {
			t.Errorf("ForDepartement(%q) zone = %s, want %s", tt.code, s.Location(), tt.zone)
		}
		if h, ok := opts.Holidays.(FrenchHolidays); !ok || h.Region != tt.region {
			t.Errorf("ForDepartement(%q) holidays = %v, want region %d", tt.code, opts.Holidays, tt.region)
		}
	}
	// 08:30 on Monday 2025-03-03 in Nouméa is 22:30 on Sunday in Paris.
	h := ParseLenientWith("Mo-Fr 08:00-12:00", ForDepartement("988"))
	if !h.Known() || !h.Schedule.IsOpen(at(2025, 3, 2, 22, 30)) || h.Schedule.IsOpen(at(2025, 3, 3, 10, 0)) {
		t.Error("Nouméa hours evaluated in the wrong zone")
	}
}

func TestNilAndZeroSchedule(t *testing.T) {
	now := at(2025, 3, 3, 10, 0)
	for name, s := range map[string]*Schedule{"nil": nil, "zero": {}} {
		if s.IsOpen(now) || s.OpenWithin(now, time.Hour) || len(s.Slots(now, now.Add(time.Hour))) != 0 {
			t.Errorf("%s schedule is open", name)
		}
		if _, ok := s.NextOpen(now); ok {
			t.Errorf("%s schedule opens", name)
		}
		if c, ok := s.NextClose(now); !ok || !c.Equal(now) {
			t.Errorf("%s schedule NextClose = %s %v", name, c, ok)
		}
		if st, c := s.State(now); st != Closed || c != "" {
			t.Errorf("%s schedule State = %v %q", name, st, c)
		}
		if s.String() != "" || s.Comment() != "" || s.Describe(French) != "" || s.Warnings() != nil || s.Flags() != 0 || s.Location() != Paris() {
			t.Errorf("%s schedule accessors are not empty", name)
		}
	}
	if ParseLenient("???").Schedule.IsOpen(now) {
		t.Error("unparsed hours are open")
	}
}

func TestSlotsWindowCapped(t *testing.T) {
	from := at(2025, 3, 3, 0, 0)
	slots := MustParse("24/7").Slots(from, from.AddDate(100, 0, 0))
	if len(slots) != 1 || !slots[0].End.Equal(from.Add(Horizon)) {
		t.Errorf("Slots over 100 years = %v, want one slot cut at Horizon", slots)
	}
}

func TestDaysIn(t *testing.T) {
	for y := 1896; y <= 2104; y++ {
		for m := time.January; m <= time.December; m++ {
			if got, want := daysIn(y, m), time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, want %d", y, m, got, want)
			}
		}
	}
}
