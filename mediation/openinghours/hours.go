package openinghours

// Hours keeps an opening_hours value as found in the data, whether or not
// it parses: unparseable values are flagged, never fatal.
type Hours struct {
	Raw      string    // the value as found, unchanged
	Schedule *Schedule // nil when Raw is empty or does not parse
	Err      error     // why Raw does not parse (a *SyntaxError or ErrEmpty)
}

// ParseLenient never fails: it keeps the raw value and, when it does not
// parse, a nil Schedule and the error.
func ParseLenient(s string) Hours {
	sch, err := Parse(s)
	return Hours{Raw: s, Schedule: sch, Err: err}
}

// ParseLenientWith is ParseLenient with options, e.g. ForDepartement("974").
func ParseLenientWith(s string, opts Options) Hours {
	sch, err := ParseWith(s, opts)
	return Hours{Raw: s, Schedule: sch, Err: err}
}

// A nil *Schedule is a valid receiver for every method: it is never open
// and has no comment, so Hours.Schedule can be used without a nil check.

// Known reports whether the hours could be evaluated.
func (h Hours) Known() bool { return h.Schedule != nil }

// MarshalText writes the raw value back unchanged.
func (h Hours) MarshalText() ([]byte, error) { return []byte(h.Raw), nil }

// UnmarshalText parses leniently; it never returns an error.
func (h *Hours) UnmarshalText(b []byte) error {
	*h = ParseLenient(string(b))
	return nil
}
