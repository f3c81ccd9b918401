package referral

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// MemoryStore is a Store in memory, for tests, demos and small desks. It is
// safe for concurrent use; records are copied in and out, so callers never
// share a slice with it.
type MemoryStore struct {
	mu     sync.RWMutex
	byID   map[uuid.UUID]*Referral
	order  []*Referral // by created_at, then id
	policy FollowUpPolicy
}

// NewMemoryStore returns an empty store with the given follow-up policy;
// nil means DefaultFollowUpPolicy().
func NewMemoryStore(policy *FollowUpPolicy) *MemoryStore {
	s := &MemoryStore{byID: map[uuid.UUID]*Referral{}, policy: DefaultFollowUpPolicy()}
	if policy != nil {
		s.policy = *policy
	}
	return s
}

var _ Store = (*MemoryStore)(nil)

func less(a, b *Referral) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID.String(), b.ID.String())
}

// Save implements Store.
func (s *MemoryStore) Save(ctx context.Context, r Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[r.ID]; ok {
		return nil
	}
	c := r.clone()
	c.Version = 1
	s.byID[c.ID] = &c
	i, _ := slices.BinarySearchFunc(s.order, &c, less)
	s.order = slices.Insert(s.order, i, &c)
	return nil
}

// Update implements Store.
func (s *MemoryStore) Update(ctx context.Context, r *Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.byID[r.ID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, r.ID)
	}
	if cur.Version != r.Version {
		return fmt.Errorf("%w: referral %s is at version %d, the update was made on version %d", ErrConflict, r.ID, cur.Version, r.Version)
	}
	if !cur.CreatedAt.Equal(r.CreatedAt) {
		return fmt.Errorf("%w: created_at of %s cannot change", ErrInvalidReferral, r.ID)
	}
	c := r.clone()
	c.Version++
	*cur = c // same position in order: created_at and id are unchanged
	r.Version = c.Version
	return nil
}

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id uuid.UUID) (Referral, error) {
	if err := ctx.Err(); err != nil {
		return Referral{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.byID[id]
	if !ok {
		return Referral{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return r.clone(), nil
}

// List implements Store. The cursor is the created_at and id of the last
// referral returned.
func (s *MemoryStore) List(ctx context.Context, f Filter) ([]Referral, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	start := 0
	if f.Cursor != "" {
		at, id, err := parseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		pivot := &Referral{CreatedAt: at, ID: id}
		start, _ = slices.BinarySearchFunc(s.order, pivot, less)
		if start < len(s.order) && less(s.order[start], pivot) == 0 {
			start++
		}
	}
	var out []Referral
	for i := start; i < len(s.order); i++ {
		r := s.order[i]
		if !f.Matches(r) {
			continue
		}
		if len(out) == limit {
			last := out[len(out)-1]
			return out, cursorOf(&last), nil
		}
		out = append(out, r.clone())
	}
	return out, "", nil
}

func cursorOf(r *Referral) string {
	return r.CreatedAt.UTC().Format(time.RFC3339Nano) + "~" + r.ID.String()
}

func parseCursor(c string) (time.Time, uuid.UUID, error) {
	ts, ids, ok := strings.Cut(c, "~")
	at, err1 := time.Parse(time.RFC3339Nano, ts)
	id, err2 := uuid.Parse(ids)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, uuid.Nil, fmt.Errorf("%w: bad cursor %q", ErrInvalidReferral, c)
	}
	return at, id, nil
}

// DueForFollowUp implements Store; the referrals come oldest first.
func (s *MemoryStore) DueForFollowUp(ctx context.Context, day time.Time) ([]FollowUp, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []FollowUp
	for _, r := range s.order {
		if why, ok := s.policy.Due(r, day); ok {
			out = append(out, FollowUp{Referral: r.clone(), Reason: why})
		}
	}
	return out, nil
}

// OpenCountsSince implements Store and LoadCounter.
func (s *MemoryStore) OpenCountsSince(ctx context.Context, since time.Time) (map[string]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	counts := map[string]int{}
	i, _ := slices.BinarySearchFunc(s.order, since, func(r *Referral, t time.Time) int { return cmp.Compare(r.CreatedAt.UnixNano(), t.UnixNano()) })
	for _, r := range s.order[i:] {
		if r.PlaceID != "" && r.Status.Open() {
			counts[r.PlaceID]++
		}
	}
	return counts, nil
}

// ExpireStale marks expired every referral still under way with no news
// for longer than after (see Referral.Expire), and returns how many. Each
// change is a stored update (the version moves), as if made by the system.
func (s *MemoryStore) ExpireStale(ctx context.Context, now time.Time, after time.Duration) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.order {
		c := r.clone()
		if c.Expire(now, after) {
			c.Version++
			*r = c
			n++
		}
	}
	return n, nil
}
