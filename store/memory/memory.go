// Package memory is a store.Store kept in memory: for tests, demos and a
// desk that needs no persistence. One mutex guards the records, the outbox
// and the journal together, so a write and its event are one atomic step,
// as in a SQL transaction.
package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// SchemaVersion is the schema version the memory store reports: the latest
// of the SQL stores, since it holds everything they hold.
const SchemaVersion = 4

// Store is the in-memory store.Store. Records are copied in and out, so a
// caller never shares memory with it.
type Store struct {
	mu      sync.RWMutex
	closed  bool
	byID    map[uuid.UUID]*referral.Referral
	order   []*referral.Referral // by created_at, then id
	policy  referral.FollowUpPolicy
	events  []outboxEvent // write order
	journal []store.JournalEntry
	now     func() time.Time

	coordinators, ambassadors, trainings, actions, accompaniments, questions collection
	accounts                                                                 accounts
}

type outboxEvent struct {
	store.Event
	acked bool
}

// Options configure a Store; the zero value (or nil) means the defaults.
type Options struct {
	// FollowUp is the policy of DueForFollowUp; nil means
	// referral.DefaultFollowUpPolicy().
	FollowUp *referral.FollowUpPolicy
	// Now gives the time of journal entries without one; nil means time.Now.
	Now func() time.Time
}

// New returns an empty store.
func New(o *Options) *Store {
	s := &Store{byID: map[uuid.UUID]*referral.Referral{}, policy: referral.DefaultFollowUpPolicy(), now: time.Now}
	if o != nil {
		if o.FollowUp != nil {
			s.policy = *o.FollowUp
		}
		if o.Now != nil {
			s.now = o.Now
		}
	}
	return s
}

var _ store.Store = (*Store)(nil)

func less(a, b *referral.Referral) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID.String(), b.ID.String())
}

// copyIn copies a referral deeply through JSON, the simplest deep copy that
// stays right when the record grows a field, and the same round trip as the
// SQL stores' (a value JSON cannot hold, such as a NaN score, is refused
// here as there).
func copyIn(r *referral.Referral) (referral.Referral, error) {
	var c referral.Referral
	b, err := json.Marshal(r)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, fmt.Errorf("%w: %s: %v", referral.ErrInvalidReferral, r.ID, err)
	}
	c.Version = r.Version
	return c, nil
}

// clone copies a stored referral out; it went through copyIn, so it
// encodes.
func clone(r *referral.Referral) referral.Referral {
	c, _ := copyIn(r)
	return c
}

func (s *Store) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed {
		return store.ErrClosed
	}
	return nil
}

// Save implements referral.Store.
func (s *Store) Save(ctx context.Context, r referral.Referral) error {
	return s.SaveReferrals(ctx, []referral.Referral{r})
}

// SaveReferrals implements store.ReferralBatch.
func (s *Store) SaveReferrals(ctx context.Context, rs []referral.Referral) error {
	copies := make([]referral.Referral, len(rs))
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			return fmt.Errorf("referral %d: %w", i, err)
		}
		c, err := copyIn(&rs[i])
		if err != nil {
			return fmt.Errorf("referral %d: %w", i, err)
		}
		copies[i] = c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	for i := range copies {
		c := copies[i]
		if _, ok := s.byID[c.ID]; ok {
			continue
		}
		c.Version = 1
		s.byID[c.ID] = &c
		at, _ := slices.BinarySearchFunc(s.order, &c, less)
		s.order = slices.Insert(s.order, at, &c)
		ev, _ := store.ReferralWrite(nil, &c)
		s.events = append(s.events, outboxEvent{Event: ev})
	}
	return nil
}

// Update implements referral.Store.
func (s *Store) Update(ctx context.Context, r *referral.Referral) error {
	if err := r.Validate(); err != nil {
		return err
	}
	c, err := copyIn(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	cur, ok := s.byID[r.ID]
	if !ok {
		return fmt.Errorf("%w: %s", referral.ErrNotFound, r.ID)
	}
	if cur.Version != r.Version {
		return fmt.Errorf("%w: referral %s is at version %d, the update was made on version %d", referral.ErrConflict, r.ID, cur.Version, r.Version)
	}
	if !cur.CreatedAt.Equal(r.CreatedAt) {
		return fmt.Errorf("%w: created_at of %s cannot change", referral.ErrInvalidReferral, r.ID)
	}
	c.Version++
	ev, je := store.ReferralWrite(cur, &c)
	*cur = c // same position in order: created_at and id are unchanged
	s.events = append(s.events, outboxEvent{Event: ev})
	if je != nil {
		s.appendLocked(*je)
	}
	r.Version = c.Version
	return nil
}

// Get implements referral.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (referral.Referral, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return referral.Referral{}, err
	}
	r, ok := s.byID[id]
	if !ok {
		return referral.Referral{}, fmt.Errorf("%w: %s", referral.ErrNotFound, id)
	}
	return clone(r), nil
}

// List implements referral.Store.
func (s *Store) List(ctx context.Context, f referral.Filter) ([]referral.Referral, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var pivot *referral.Referral
	if f.Cursor != "" {
		at, id, err := store.ParseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		pivot = &referral.Referral{CreatedAt: at, ID: id}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	start := 0
	if pivot != nil {
		start, _ = slices.BinarySearchFunc(s.order, pivot, less)
		if start < len(s.order) && less(s.order[start], pivot) == 0 {
			start++
		}
	}
	var out []referral.Referral
	for _, r := range s.order[start:] {
		if !f.Matches(r) {
			continue
		}
		if len(out) == limit {
			return out, store.CursorOf(out[len(out)-1].CreatedAt, out[len(out)-1].ID), nil
		}
		out = append(out, clone(r))
	}
	return out, "", nil
}

// DueForFollowUp implements referral.Store; the referrals come oldest first.
func (s *Store) DueForFollowUp(ctx context.Context, day time.Time) ([]referral.FollowUp, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var out []referral.FollowUp
	for _, r := range s.order {
		if why, ok := s.policy.Due(r, day); ok {
			out = append(out, referral.FollowUp{Referral: clone(r), Reason: why})
		}
	}
	return out, nil
}

// OpenCountsSince implements referral.Store.
func (s *Store) OpenCountsSince(ctx context.Context, since time.Time) (map[string]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	i, _ := slices.BinarySearchFunc(s.order, since, func(r *referral.Referral, t time.Time) int { return r.CreatedAt.Compare(t) })
	for _, r := range s.order[i:] {
		if r.PlaceID != "" && r.Status.Open() {
			counts[r.PlaceID]++
		}
	}
	return counts, nil
}

// Pending implements store.Outbox.
func (s *Store) Pending(ctx context.Context, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = 100
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var out []store.Event
	for _, e := range s.events {
		if len(out) == limit {
			break
		}
		if !e.acked {
			e.Payload = slices.Clone(e.Payload)
			out = append(out, e.Event)
		}
	}
	return out, nil
}

// Ack implements store.Outbox.
func (s *Store) Ack(ctx context.Context, ids ...uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	for i := range s.events {
		if slices.Contains(ids, s.events[i].ID) {
			s.events[i].acked = true
		}
	}
	return nil
}

// Append implements store.Journal.
func (s *Store) Append(ctx context.Context, e store.JournalEntry) (store.JournalEntry, error) {
	if err := store.CheckAppend(&e, s.now()); err != nil {
		return store.JournalEntry{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return store.JournalEntry{}, err
	}
	return s.appendLocked(e), nil
}

func (s *Store) appendLocked(e store.JournalEntry) store.JournalEntry {
	e.Seq = int64(len(s.journal)) + 1
	e.Detail = slices.Clone(e.Detail)
	s.journal = append(s.journal, e)
	return e
}

// Entries implements store.Journal.
func (s *Store) Entries(ctx context.Context, after int64, limit int) ([]store.JournalEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	start := int(min(max(after, 0), int64(len(s.journal))))
	end := min(start+limit, len(s.journal))
	out := slices.Clone(s.journal[start:end])
	for i := range out {
		out[i].Detail = slices.Clone(out[i].Detail)
	}
	return out, nil
}

// Purge implements store.Store.
func (s *Store) Purge(ctx context.Context, req store.PurgeRequest) (store.PurgeReport, error) {
	if req.Before.IsZero() {
		return store.PurgeReport{}, store.ErrInvalidf("purge: no cutoff")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return store.PurgeReport{}, err
	}
	rep := store.PurgeReport{Before: req.Before}
	s.order = slices.DeleteFunc(s.order, func(r *referral.Referral) bool {
		if store.LastChange(r).Before(req.Before) {
			delete(s.byID, r.ID)
			rep.Referrals++
			return true
		}
		return false
	})
	s.purgeNetwork(&rep)
	s.events = slices.DeleteFunc(s.events, func(e outboxEvent) bool {
		if e.acked && e.At.Before(req.Before) {
			rep.Events++
			return true
		}
		return false
	})
	e := store.PurgeEntry(req, rep)
	rep.Seq = s.appendLocked(e).Seq
	return rep, nil
}

// SchemaVersion implements store.Store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return SchemaVersion, ctx.Err()
}

// Close implements store.Store; the records are dropped.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.byID, s.order, s.events, s.journal = nil, nil, nil, nil
	s.coordinators, s.ambassadors, s.trainings, s.actions, s.accompaniments, s.questions = collection{}, collection{}, collection{}, collection{}, collection{}, collection{}
	s.accounts = accounts{}
	return nil
}
