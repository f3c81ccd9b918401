package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store keeps referral records. The in-memory MemoryStore is here; SQL
// stores implement the same interface elsewhere and pass the same tests.
// Every method is safe for concurrent use.
type Store interface {
	// Save stores a new referral at version 1. Saving an id already stored
	// does nothing and returns nil, so a retried call is harmless.
	Save(ctx context.Context, r Referral) error
	// Update replaces the stored referral when its Version equals r.Version
	// (optimistic concurrency), then increments r.Version. When the stored
	// version differs it fails with ErrConflict; when there is none, with
	// ErrNotFound.
	Update(ctx context.Context, r *Referral) error
	// Get returns the referral with this id, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Referral, error)
	// List returns the referrals that pass f, oldest first (created_at,
	// then id), at most f.Limit, and the cursor of the next page ("" at
	// the end).
	List(ctx context.Context, f Filter) ([]Referral, string, error)
	// DueForFollowUp returns the referrals that need a call on day, under
	// the store's FollowUpPolicy (see FollowUpPolicy.Due).
	DueForFollowUp(ctx context.Context, day time.Time) ([]FollowUp, error)
	// OpenCountsSince counts, per place, the open referrals (proposed,
	// accepted, scheduled) created since the given time.
	OpenCountsSince(ctx context.Context, since time.Time) (map[string]int, error)
}

// Filter selects referrals. Empty fields do not filter.
type Filter struct {
	Status  []Status // any of
	PlaceID string
	// PersonID keeps the referrals of one person (pseudonymous id).
	PersonID string
	// From and To bound created_at: From ≤ created_at < To.
	From, To time.Time
	// Limit caps one page (0: 100).
	Limit int
	// Cursor is the value returned with the previous page.
	Cursor string
}

// Matches reports whether r passes the filter (the cursor aside).
func (f *Filter) Matches(r *Referral) bool {
	if len(f.Status) > 0 {
		ok := false
		for _, s := range f.Status {
			ok = ok || s == r.Status
		}
		if !ok {
			return false
		}
	}
	if f.PersonID != "" && r.PersonID != f.PersonID {
		return false
	}
	if f.PlaceID != "" && r.PlaceID != f.PlaceID {
		return false
	}
	if !f.From.IsZero() && r.CreatedAt.Before(f.From) {
		return false
	}
	if !f.To.IsZero() && !r.CreatedAt.Before(f.To) {
		return false
	}
	return true
}

// FollowUp is one referral to call about, and why.
type FollowUp struct {
	Referral Referral       `json:"referral"`
	Reason   FollowUpReason `json:"reason"`
}
