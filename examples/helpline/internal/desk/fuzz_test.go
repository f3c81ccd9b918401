package desk

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/passerelle-sante/passerelle/assessment"
)

// FuzzParseAnswer: any form values give an answer or an error, never a
// panic, and the triage session accepts or refuses them cleanly.
func FuzzParseAnswer(f *testing.F) {
	in, err := triage()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"computer_connected", "", "true", "12", "none,language", "\x00", strings.Repeat("a", 300)} {
		f.Add("device", s)
		f.Add("barriers", s)
	}
	f.Fuzz(func(t *testing.T, item, raw string) {
		it, ok := in.Item(item)
		if !ok {
			return
		}
		v, err := parseAnswer(it, strings.Split(raw, ","))
		if err != nil {
			return
		}
		s := assessment.NewSession(in)
		_ = s.Answer(item, v)
	})
}

// FuzzAnswerValues: the API's JSON answer is read or refused with a message.
func FuzzAnswerValues(f *testing.F) {
	for _, s := range []string{`"daily"`, `["none"]`, `3`, `true`, `{"a":1}`, `null`, `[1,2]`, ``, `"\u0000"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := answerValues(json.RawMessage(raw))
		if err == nil && vals == nil && raw != "null" && !strings.HasPrefix(strings.TrimSpace(raw), "[") {
			t.Fatalf("%q: no values and no error", raw)
		}
	})
}

// FuzzParseAppointment: a date is read or refused, never a panic; a read
// date formats back to the same day.
func FuzzParseAppointment(f *testing.F) {
	for _, s := range []string{"2025-03-20", "2025-03-20T14:30", "2025-03-20T14:30:00Z", "20/03/2025", "", "2025-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := parseAppointment(s)
		if err != nil {
			return
		}
		if len(s) == 10 && at.In(paris()).Format("2006-01-02") != s {
			t.Fatalf("%q read as %v", s, at)
		}
	})
}

// FuzzSafeNext: whatever comes in ?next=, the redirect stays on the site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/call", "//evil", "https://evil", "/\\evil", "javascript:x", "/%2F%2Fevil", "\t//evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q leaves the site", s, got)
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" {
			t.Fatalf("safeNext(%q) = %q has a host", s, got)
		}
	})
}

// FuzzSituation: the where form's values are accepted only from the
// library's lists.
func FuzzSituation(f *testing.F) {
	f.Add("70_plus", "activate_mes", "no_travel")
	f.Add("", "", "")
	f.Add("7O_plus", "fly", "x")
	f.Fuzz(func(t *testing.T, age, need, constraint string) {
		s, err := situationOf(map[string][]string{"age_band": {age}, "need": {need}, "constraint": {constraint}})
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.ValidString(age+need+constraint) {
				t.Fatalf("error text is not UTF-8: %q", err)
			}
			return
		}
		if len(s.Needs) != 1 || len(s.Constraints) != 1 {
			t.Fatalf("accepted %q %q as %+v", need, constraint, s)
		}
	})
}

// FuzzResolveCommune: any typed text resolves to one commune, candidates
// or nothing, never a panic.
func FuzzResolveCommune(f *testing.F) {
	srv, err := New(Config{Store: nil})
	if err == nil || srv != nil {
		f.Fatal("New without a store must fail")
	}
	s := &Server{}
	ref, err := testCommunes()
	if err != nil {
		f.Fatal(err)
	}
	s.communes = ref
	for _, x := range []string{"Angoulême", "angoulem", "16000", "Saint-Denis", "St Denis 93", "", "'", strings.Repeat("é", 200)} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, cands := s.resolveCommune(text)
		if c != nil && len(cands) > 0 {
			t.Fatalf("%q: both a commune and candidates", text)
		}
	})
}
