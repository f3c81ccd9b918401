package store

import (
	"context"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// Streamer reads every record of a kind dated in a period in one pass,
// without pages: what the yearly evaluation needs to read millions of
// records in seconds. store/memory, store/sqlite and store/postgres
// implement it; store/evalsource uses it when the store does, and pages
// through the List methods otherwise.
//
// Each method calls fn once per record whose date (a referral's
// created_at, an action's or accompaniment's date) is in [from, to) — a
// zero from or to leaves that end open — in no particular order, one call
// at a time, and stops with fn's first error or when ctx is done. The
// record passed to fn is only valid during the call and must not be kept
// nor changed: the store reuses it. Every method is safe to call
// concurrently with the others and with writes; a write committed during
// the stream may or may not be seen.
type Streamer interface {
	StreamReferrals(ctx context.Context, from, to time.Time, fn func(*referral.Referral) error) error
	StreamActions(ctx context.Context, from, to time.Time, fn func(*mediation.Action) error) error
	StreamAccompaniments(ctx context.Context, from, to time.Time, fn func(*mediation.Accompaniment) error) error
}

// InPeriod reports whether t is in [from, to), a zero bound being open: the
// period test of the Streamer methods.
func InPeriod(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}
