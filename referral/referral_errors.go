package referral

import "errors"

// Sentinel errors of the engine, the referral record and its stores. Errors
// returned by this package wrap them with the details (which commune, which
// transition, which row), so callers test them with errors.Is.
var (
	// ErrUnknownCommune: the person's commune is not in the reference.
	ErrUnknownCommune = errors.New("referral: unknown commune")
	// ErrUnknownPathway: a rule proposed a pathway the catalogue lacks.
	ErrUnknownPathway = errors.New("referral: unknown pathway")
	// ErrInvalidEngine: NewEngine was given a missing part or bad options.
	ErrInvalidEngine = errors.New("referral: invalid engine configuration")
	// ErrInvalidTransition: the status change is not allowed from the
	// referral's current status.
	ErrInvalidTransition = errors.New("referral: invalid status transition")
	// ErrInvalidReferral: a referral record misses a field or holds a bad
	// value.
	ErrInvalidReferral = errors.New("referral: invalid referral")
	// ErrConflict: the referral changed in the store since it was read
	// (optimistic concurrency); read it again and retry.
	ErrConflict = errors.New("referral: conflicting update")
	// ErrNotFound: no referral with this id in the store.
	ErrNotFound = errors.New("referral: not found")
	// ErrBadRow: a batch row cannot be used; the batch goes on without it.
	ErrBadRow = errors.New("referral: rejected row")
)
