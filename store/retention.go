package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidf wraps ErrInvalid with a message.
func ErrInvalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Age is a retention period in calendar units, so "24m" means 24 calendar
// months whatever their length.
type Age struct {
	Years, Months, Days int
}

// ParseAge reads an age such as "24m", "2y", "90d" or "1y6m": a sequence of
// positive integers each followed by a unit, y (years), m (months) or d
// (days). Minutes and hours make no sense for retention, so "m" is months.
func ParseAge(s string) (Age, error) {
	var a Age
	rest := strings.TrimSpace(s)
	if rest == "" {
		return a, ErrInvalidf("age is empty: want e.g. 24m, 2y, 90d")
	}
	seen := map[byte]bool{}
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return Age{}, ErrInvalidf("age %q: want numbers each followed by y, m or d (e.g. 24m, 1y6m)", s)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 1000 {
			return Age{}, ErrInvalidf("age %q: %q is too large", s, rest[:i])
		}
		unit := rest[i]
		if seen[unit] {
			return Age{}, ErrInvalidf("age %q: unit %q given twice", s, unit)
		}
		seen[unit] = true
		switch unit {
		case 'y':
			a.Years = n
		case 'm':
			a.Months = n
		case 'd':
			a.Days = n
		default:
			return Age{}, ErrInvalidf("age %q: unknown unit %q (y years, m months, d days)", s, unit)
		}
		rest = rest[i+1:]
	}
	if a == (Age{}) {
		return Age{}, ErrInvalidf("age %q is zero: a purge would delete everything", s)
	}
	return a, nil
}

// Before returns the cutoff: now minus the age, in now's location.
func (a Age) Before(now time.Time) time.Time {
	return now.AddDate(-a.Years, -a.Months, -a.Days)
}

// String writes the age back in ParseAge's form.
func (a Age) String() string {
	var b strings.Builder
	for _, p := range []struct {
		n int
		u string
	}{{a.Years, "y"}, {a.Months, "m"}, {a.Days, "d"}} {
		if p.n > 0 {
			fmt.Fprintf(&b, "%d%s", p.n, p.u)
		}
	}
	return b.String()
}
