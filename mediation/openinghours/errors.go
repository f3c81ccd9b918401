package openinghours

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers test with errors.Is.
var (
	// ErrSyntax is wrapped by every *SyntaxError.
	ErrSyntax = errors.New("opening_hours: syntax error")
	// ErrUnsupported is wrapped by a *SyntaxError whose input is valid
	// opening_hours syntax that this package does not evaluate
	// (e.g. "PH +1 day", "10:00-16:00/01:00" intervals).
	ErrUnsupported = errors.New("opening_hours: unsupported feature")
	// ErrEmpty is returned for an empty or blank string.
	ErrEmpty = errors.New("opening_hours: empty value")
)

// SyntaxError reports where and why a string is not valid opening_hours.
type SyntaxError struct {
	Input  string // the whole value that was parsed
	Offset int    // byte offset in Input where the problem was found
	Msg    string // what is wrong, in English
	// Unsupported is true when the syntax is valid OSM but not evaluated
	// by this package; errors.Is(err, ErrUnsupported) is then true.
	Unsupported bool
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("opening_hours: at offset %d: %s", e.Offset, e.Msg)
}

// Is lets errors.Is match ErrSyntax (always) and ErrUnsupported.
func (e *SyntaxError) Is(target error) bool {
	return target == ErrSyntax || (e.Unsupported && target == ErrUnsupported)
}
