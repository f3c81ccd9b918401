package evaluation

import "errors"

// Sentinel errors of the package. Errors returned here wrap them with the
// details (which option, which code), so callers test them with errors.Is.
var (
	// ErrEmptyPeriod: the period has no duration (To not after From) or a
	// bound is missing.
	ErrEmptyPeriod = errors.New("evaluation: empty period")
	// ErrUnknownTerritory: the région, département or commune code is not
	// in the territory reference.
	ErrUnknownTerritory = errors.New("evaluation: unknown territory")
	// ErrInvalidOptions: an option holds a bad value (an unknown target
	// indicator, two territories at once, ...).
	ErrInvalidOptions = errors.New("evaluation: invalid options")
	// ErrMismatch: two accumulators of different periods, territories or
	// thresholds cannot be merged.
	ErrMismatch = errors.New("evaluation: accumulators do not match")
)
