// Package fastdoc decodes the JSON documents the stores keep for referrals,
// actions and accompaniments several times faster than encoding/json, for
// the evaluation's streaming reads of millions of records.
//
// It reads the JSON encoding/json writes (and PostgreSQL's jsonb gives
// back: any key order, any white space) field by field without reflection.
// Whenever a document holds anything off its fast path (an unknown or
// repeated key, a null, an escaped string, a number with a fraction, a time
// off the RFC 3339 UTC form), the whole document is decoded again by
// encoding/json into a zero record, so the result is always exactly what
// json.Unmarshal gives (FuzzReferral and the other fuzz targets check it).
package fastdoc

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// scanner reads one JSON document. Any method that meets something off the
// fast path sets bad and returns a zero value; callers check bad at the end.
type scanner struct {
	b   []byte
	i   int
	bad bool
	// intern gives back the same string for the same bytes (codes,
	// statuses, communes, places), so decoding allocates no string twice.
	intern *Interner
}

func (s *scanner) fail() { s.bad = true }

func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte (0 at the end).
func (s *scanner) next() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *scanner) expect(c byte) {
	if s.next() != c {
		s.fail()
		return
	}
	s.i++
}

// end checks that only white space is left.
func (s *scanner) end() {
	s.ws()
	if s.i != len(s.b) {
		s.fail()
	}
}

// rawString returns the bytes of a string without escapes, quotes
// excluded; an escape, a control character or invalid UTF-8 is off the
// fast path.
func (s *scanner) rawString() []byte {
	if s.next() != '"' {
		s.fail()
		return nil
	}
	start := s.i + 1
	j := bytes.IndexByte(s.b[start:], '"')
	if j < 0 {
		s.fail()
		return nil
	}
	v := s.b[start : start+j]
	ascii := true
	for _, c := range v {
		if special[c] {
			if c == '\\' || c < 0x20 {
				s.fail()
				return nil
			}
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(v) {
		s.fail()
		return nil
	}
	s.i = start + j + 1
	return v
}

// special marks the bytes a string's fast path looks at: the escape, the
// control characters and the bytes of multi-byte UTF-8.
var special = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '\\' || c < 0x20 || c >= 0x80
	}
	return t
}()

func (s *scanner) str() string {
	v := s.rawString()
	if s.bad {
		return ""
	}
	return s.intern.String(v)
}

// unique reads a string that is seldom repeated (a person id): it is not
// interned.
func (s *scanner) unique() string {
	v := s.rawString()
	if s.bad {
		return ""
	}
	return string(v)
}

// integer reads an int; a fraction, an exponent, a leading zero or a
// value out of range is off the fast path.
func (s *scanner) integer() int {
	s.ws()
	j := s.i
	neg := false
	if j < len(s.b) && s.b[j] == '-' {
		neg = true
		j++
	}
	start := j
	var n uint64
	for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
		if j-start >= 18 {
			s.fail()
			return 0
		}
		n = n*10 + uint64(s.b[j]-'0')
		j++
	}
	if j == start || s.b[start] == '0' && j-start > 1 {
		s.fail()
		return 0
	}
	if j < len(s.b) {
		switch s.b[j] {
		case '.', 'e', 'E':
			s.fail()
			return 0
		}
	}
	s.i = j
	if neg {
		return -int(n)
	}
	return int(n)
}

func (s *scanner) boolean() bool {
	s.ws()
	switch {
	case hasPrefix(s.b[s.i:], "true"):
		s.i += 4
		return true
	case hasPrefix(s.b[s.i:], "false"):
		s.i += 5
		return false
	}
	s.fail()
	return false
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

func (s *scanner) id() uuid.UUID {
	v := s.rawString()
	if s.bad {
		return uuid.Nil
	}
	var u uuid.UUID
	if err := u.UnmarshalText(v); err != nil {
		s.fail()
	}
	return u
}

// time reads an RFC 3339 time. The UTC form encoding/json writes
// (2006-01-02T15:04:05[.999999999]Z) is parsed by hand; any other goes
// through time.Time's own UnmarshalJSON, as encoding/json does.
func (s *scanner) time() time.Time {
	s.ws()
	startQuote := s.i
	v := s.rawString()
	if s.bad {
		return time.Time{}
	}
	if t, ok := utcTime(v); ok {
		return t
	}
	var t time.Time
	if err := t.UnmarshalJSON(s.b[startQuote:s.i]); err != nil {
		s.fail()
	}
	return t
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// utcTime parses YYYY-MM-DDTHH:MM:SS[.fraction]Z with fields in range.
func utcTime(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	y, ok1 := digits(b[0:4])
	mo, ok2 := digits(b[5:7])
	d, ok3 := digits(b[8:10])
	h, ok4 := digits(b[11:13])
	mi, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 28 && d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	switch rest := b[19 : len(b)-1]; {
	case len(rest) == 0:
	case len(rest) >= 2 && len(rest) <= 10 && rest[0] == '.':
		f, ok := digits(rest[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(rest) {
			f *= 10
		}
		nsec = f
	default:
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC), true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// raw returns the bytes of the next value (any JSON), checked by
// encoding/json's validator, for the fields left to encoding/json.
func (s *scanner) raw() []byte {
	s.ws()
	start := s.i
	s.skip(0)
	if s.bad || !json.Valid(s.b[start:s.i]) {
		s.fail()
		return nil
	}
	return s.b[start:s.i]
}

// skip moves past one value; raw validates what it skipped.
func (s *scanner) skip(depth int) {
	if depth > 64 {
		s.fail()
		return
	}
	switch s.next() {
	case '"':
		s.i++
		for s.i < len(s.b) && s.b[s.i] != '"' {
			if s.b[s.i] == '\\' {
				s.i++
			}
			s.i++
		}
		if s.i >= len(s.b) {
			s.fail()
			return
		}
		s.i++
	case '{', '[':
		closer := byte('}')
		if s.b[s.i] == '[' {
			closer = ']'
		}
		s.i++
		if s.next() == closer {
			s.i++
			return
		}
		for !s.bad {
			if closer == '}' {
				s.skip(depth + 1)
				s.expect(':')
			}
			s.skip(depth + 1)
			switch s.next() {
			case ',':
				s.i++
			case closer:
				s.i++
				return
			default:
				s.fail()
			}
		}
	case 0:
		s.fail()
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

// firstKey opens an object and reads its first key; false means the
// object is empty (or the scan failed).
func (s *scanner) firstKey() ([]byte, bool) {
	s.expect('{')
	if s.bad {
		return nil, false
	}
	if s.next() == '}' {
		s.i++
		return nil, false
	}
	return s.key()
}

// nextKey reads the key after a value; false means the object ended (or
// the scan failed).
func (s *scanner) nextKey() ([]byte, bool) {
	if s.bad {
		return nil, false
	}
	switch s.next() {
	case ',':
		s.i++
		return s.key()
	case '}':
		s.i++
		return nil, false
	}
	s.fail()
	return nil, false
}

func (s *scanner) key() ([]byte, bool) {
	k := s.rawString()
	s.expect(':')
	return k, !s.bad
}

// once records field number n as seen, failing when it was already:
// encoding/json merges some repeated values rather than replacing them.
func (s *scanner) once(seen *uint64, n uint) {
	if *seen&(1<<n) != 0 {
		s.fail()
	}
	*seen |= 1 << n
}

// firstElem opens an array; false means it is empty (or the scan failed).
func (s *scanner) firstElem() bool {
	s.expect('[')
	if s.bad {
		return false
	}
	if s.next() == ']' {
		s.i++
		return false
	}
	return true
}

// nextElem moves past the comma after an element; false means the array
// ended (or the scan failed).
func (s *scanner) nextElem() bool {
	if s.bad {
		return false
	}
	switch s.next() {
	case ',':
		s.i++
		return true
	case ']':
		s.i++
		return false
	}
	s.fail()
	return false
}

// isNull reports whether the next value is null, moving past it.
func (s *scanner) isNull() bool {
	if s.next() == 'n' && hasPrefix(s.b[s.i:], "null") {
		s.i += 4
		return true
	}
	return false
}

// Interner hands back one string per distinct byte sequence, up to a
// bound, so that repeated codes are allocated once. It is not safe for
// concurrent use: each stream has its own.
type Interner struct {
	m map[string]string
	// recent is a direct-mapped cache in front of m: most strings are
	// found there by one comparison, without hashing them.
	recent [1024]string
}

// maxInterned bounds an Interner: past it, strings are allocated.
const maxInterned = 1 << 16

// String returns b as a string, the same one for the same bytes.
func (in *Interner) String(b []byte) string {
	if in == nil {
		return string(b)
	}
	if len(b) == 0 {
		return ""
	}
	slot := (uint(len(b))*131 + uint(b[0])*31 + uint(b[len(b)-1])*7 + uint(b[len(b)/2])) % uint(len(in.recent))
	if in.recent[slot] == string(b) {
		return in.recent[slot]
	}
	v, ok := in.m[string(b)]
	if !ok {
		v = string(b)
		if in.m == nil {
			in.m = map[string]string{}
		}
		if len(in.m) < maxInterned {
			in.m[v] = v
		}
	}
	in.recent[slot] = v
	return v
}
