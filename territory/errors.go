package territory

import "errors"

// Sentinel errors; errors returned by this package wrap them with the
// place (record, field) and the reason.
var (
	// ErrInvalidReference means a Source supplied data that cannot form a
	// reference: a duplicate or empty code, a coordinate out of range, a
	// commune in an unknown département, ...
	ErrInvalidReference = errors.New("territory: invalid reference")
	// ErrCorruptData means the embedded (or a supplied) encoded table could
	// not be decoded.
	ErrCorruptData = errors.New("territory: corrupt reference data")
)
