package desk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
)

// FuzzReportPeriod: whatever the query gives, a period is either refused
// with a message naming the parameter, or a non-empty whole number of days
// within the bound, from midnight to midnight UTC.
func FuzzReportPeriod(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"2024-01-01", "2024-12-31"}, {"2024-02-30", ""}, {"2024-06-01", "2024-05-31"},
		{"0001-01-01", "9999-12-31"}, {" 2025-03-01 ", "2025-03-01"}, {"2025-1-1", "x"}, {"+2024-01-01", ""}} {
		f.Add(s[0], s[1])
	}
	now := time.Date(2025, 3, 11, 23, 30, 0, 0, time.FixedZone("CET", 3600))
	f.Fuzz(func(t *testing.T, fromS, toS string) {
		from, to, err := parseReportPeriod(assessment.LangFR, fromS, toS, now)
		if err != nil {
			var ce *coordinatorError
			if !errors.As(err, &ce) || ce.status != 400 {
				t.Fatalf("%q %q: error %v is not a 400 of the visitor", fromS, toS, err)
			}
			if !strings.Contains(ce.message, "from") && !strings.Contains(ce.message, "to") && !strings.Contains(ce.message, "période") {
				t.Fatalf("%q %q: the message %q names no parameter", fromS, toS, ce.message)
			}
			return
		}
		if !to.After(from) || to.Sub(from) > maxReportDays*24*time.Hour {
			t.Fatalf("%q %q: period %v – %v", fromS, toS, from, to)
		}
		for _, d := range []time.Time{from, to} {
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Fatalf("%q %q: bound %v is not a midnight UTC", fromS, toS, d)
			}
		}
		if strings.TrimSpace(fromS) == "" && from.Format(time.DateOnly) != "2025-01-01" {
			t.Fatalf("default start %v", from)
		}
	})
}

// FuzzWeeks: a number of weeks is within 1..104 or refused.
func FuzzWeeks(f *testing.F) {
	for _, s := range []string{"", "12", "0", "104", "105", "-3", "douze", " 7 ", "1e2", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseWeeks(assessment.LangEN, s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "weeks: ") {
				t.Fatalf("%q: %v does not name the parameter", s, err)
			}
			return
		}
		if n < 1 || n > maxCoverageWeeks {
			t.Fatalf("%q gave %d weeks", s, n)
		}
	})
}

// FuzzReportFragment: the surgery on a rendered page never panics, and
// what it returns holds no <main>, <h1>, <header> nor <footer> of its own
// when the renderer's page had only those tags as the surgery expects.
func FuzzReportFragment(f *testing.F) {
	f.Add("<html><body><header><h1>T</h1></header><main><h2 id=\"a\">S</h2><h3>B</h3></main><footer>n</footer></body></html>")
	f.Add("<body><main></main></body>")
	f.Add("</body><body>")
	f.Add("<body><main>x</main>")
	f.Fuzz(func(t *testing.T, page string) {
		frag, err := reportFragment(page)
		if err != nil {
			return
		}
		s := string(frag)
		if !strings.HasPrefix(s, `<div class="report">`) || !strings.HasSuffix(s, "</div>") {
			t.Fatalf("fragment not wrapped: %q", s)
		}
		for _, tag := range []string{"<main>", "</main>", "<header>", "<footer>", "<h1>", "</h1>"} {
			if strings.Contains(s, tag) {
				t.Fatalf("fragment of %q still holds %s: %q", page, tag, s)
			}
		}
	})
}
