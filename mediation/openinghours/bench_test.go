package openinghours

import (
	"regexp"
	"testing"
	"time"
)

const typicalHours = "Mo-Fr 09:00-12:00,14:00-17:30; We 09:00-12:00; Sa 09:00-12:00; PH off"

// Baseline: matching the same string with a regular expression that only
// checks its shape, to read Parse's cost as a ratio.
var shapeRE = regexp.MustCompile(`^((Mo|Tu|We|Th|Fr|Sa|Su|PH)([-,](Mo|Tu|We|Th|Fr|Sa|Su|PH))* ((\d\d:\d\d-\d\d:\d\d)(,\d\d:\d\d-\d\d:\d\d)*|off)(; )?)+$`)

func BenchmarkParseBaselineRegexp(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !shapeRE.MatchString(typicalHours) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(typicalHours); err != nil {
			b.Fatal(err)
		}
	}
}

// Baseline: the irreducible part of IsOpen, converting the instant to
// Paris wall-clock time.
func BenchmarkIsOpenBaselineWallClock(b *testing.B) {
	t := at(2025, 3, 5, 15, 0)
	loc := Paris()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		lt := t.In(loc)
		y, m, d := lt.Date()
		h, mi, _ := lt.Clock()
		n += y + int(m) + d + h + mi
	}
	_ = n
}

func BenchmarkIsOpen(b *testing.B) {
	s := MustParse(typicalHours)
	t := at(2025, 3, 5, 15, 0) // Wednesday afternoon: every rule is looked at
	b.ReportAllocs()
	for b.Loop() {
		if s.IsOpen(t) {
			b.Fatal("open on Wednesday afternoon")
		}
	}
}

func BenchmarkIsOpenHoliday(b *testing.B) {
	s := MustParse(typicalHours)
	t := at(2025, 4, 21, 10, 0) // Easter Monday
	b.ReportAllocs()
	for b.Loop() {
		if s.IsOpen(t) {
			b.Fatal("open on Easter Monday")
		}
	}
}

// Baseline: find the next opening by probing every minute, as a naive
// implementation would.
func BenchmarkNextOpenBaselineMinuteScan(b *testing.B) {
	s := MustParse(typicalHours)
	from := at(2025, 3, 8, 12, 30) // Saturday after closing: opens Monday 09:00
	want := at(2025, 3, 10, 9, 0)
	b.ReportAllocs()
	for b.Loop() {
		t := from
		for !s.IsOpen(t) {
			t = t.Add(time.Minute)
		}
		if !t.Equal(want) {
			b.Fatal(t)
		}
	}
}

func BenchmarkNextOpen(b *testing.B) {
	s := MustParse(typicalHours)
	from := at(2025, 3, 8, 12, 30)
	want := at(2025, 3, 10, 9, 0)
	b.ReportAllocs()
	for b.Loop() {
		if t, ok := s.NextOpen(from); !ok || !t.Equal(want) {
			b.Fatal(t)
		}
	}
}

// The worst case: a schedule that never opens is searched for a year.
func BenchmarkNextOpenNever(b *testing.B) {
	s := MustParse("2020 Mo 10:00-12:00")
	from := at(2025, 3, 8, 12, 30)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.NextOpen(from); ok {
			b.Fatal("opens")
		}
	}
}

func BenchmarkOpenWithin7Days(b *testing.B) {
	s := MustParse("Sa[1] 10:00-12:00")
	from := at(2025, 3, 3, 10, 0)
	b.ReportAllocs()
	for b.Loop() {
		if s.OpenWithin(from, 7*24*time.Hour) {
			b.Fatal("open")
		}
	}
}

func BenchmarkSlotsWeek(b *testing.B) {
	s := MustParse(typicalHours)
	from := at(2025, 3, 3, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Slots(from, from.AddDate(0, 0, 7))) != 10 {
			b.Fatal("slots")
		}
	}
}
