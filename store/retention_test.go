package store

import (
	"errors"
	"testing"
	"time"
)

func TestParseAge(t *testing.T) {
	now := time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   Age
		before string
		err    bool
	}{
		{in: "24m", want: Age{Months: 24}, before: "2024-03-31"},
		{in: "2y", want: Age{Years: 2}, before: "2024-03-31"},
		{in: "90d", want: Age{Days: 90}, before: "2025-12-31"},
		{in: "1y6m", want: Age{Years: 1, Months: 6}, before: "2024-10-01"}, // 2024-09-31 normalises
		{in: " 3d ", want: Age{Days: 3}, before: "2026-03-28"},
		{in: "", err: true},
		{in: "24", err: true},
		{in: "m", err: true},
		{in: "24h", err: true},
		{in: "0m", err: true},
		{in: "1m1m", err: true},
		{in: "-3d", err: true},
		{in: "99999999999999999999y", err: true},
	}
	for _, tc := range tests {
		got, err := ParseAge(tc.in)
		if tc.err {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseAge(%q) = %v, %v; want ErrInvalid", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAge(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if b := got.Before(now).Format("2006-01-02"); b != tc.before {
			t.Errorf("%q before %v = %s, want %s", tc.in, now, b, tc.before)
		}
		if again, err := ParseAge(got.String()); err != nil || again != got {
			t.Errorf("round trip of %q: %q → %+v %v", tc.in, got.String(), again, err)
		}
	}
}

func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"24m", "2y", "90d", "1y6m3d", "", "x", "1m1m", "007d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAge(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not wrapping ErrInvalid: %v", err)
			}
			return
		}
		if a.Years < 0 || a.Months < 0 || a.Days < 0 || a == (Age{}) {
			t.Fatalf("%q gave %+v", s, a)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if !a.Before(now).Before(now) {
			t.Fatalf("%q: cutoff not in the past", s)
		}
		if b, err := ParseAge(a.String()); err != nil || b != a {
			t.Fatalf("round trip %q → %q: %+v %v", s, a.String(), b, err)
		}
	})
}
