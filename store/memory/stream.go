package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/internal/fastdoc"
)

var _ store.Streamer = (*Store)(nil)

// streamChunk is how many records a stream copies under the read lock at
// a time: the lock is never held while fn runs, so fn may call the store
// and writers wait for one chunk at most.
const streamChunk = 1024

// StreamReferrals implements store.Streamer. Referrals are kept as Go
// values: each chunk is copied out shallowly under the read lock (stored
// records are replaced on update, never changed in place, so their slices
// stay as they were), with no JSON round trip.
func (s *Store) StreamReferrals(ctx context.Context, from, to time.Time, fn func(*referral.Referral) error) error {
	buf := make([]referral.Referral, 0, streamChunk)
	var pivot *referral.Referral // the last record given, to resume after
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = buf[:0]
		s.mu.RLock()
		if s.closed {
			s.mu.RUnlock()
			return store.ErrClosed
		}
		start := 0
		switch {
		case pivot != nil:
			start, _ = slices.BinarySearchFunc(s.order, pivot, less)
			if start < len(s.order) && less(s.order[start], pivot) == 0 {
				start++
			}
		case !from.IsZero():
			start, _ = slices.BinarySearchFunc(s.order, from, func(r *referral.Referral, t time.Time) int { return r.CreatedAt.Compare(t) })
		}
		end := min(start+streamChunk, len(s.order))
		for _, r := range s.order[start:end] {
			if !to.IsZero() && !r.CreatedAt.Before(to) {
				end = 0 // sorted by created_at: nothing after is in the period
				break
			}
			buf = append(buf, *r)
		}
		last := end == len(s.order) || end == 0
		s.mu.RUnlock()
		for i := range buf {
			if err := fn(&buf[i]); err != nil {
				return err
			}
		}
		if last || len(buf) == 0 {
			return nil
		}
		pivot = &referral.Referral{CreatedAt: buf[len(buf)-1].CreatedAt, ID: buf[len(buf)-1].ID}
	}
}

// docsAfter copies, under the read lock, the documents of up to
// streamChunk records of c with ids after the given one.
func (s *Store) docsAfter(c *collection, after string, docs [][]byte, ids []string) ([][]byte, []string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, nil, store.ErrClosed
	}
	start := 0
	if after != "" {
		start, _ = slices.BinarySearch(c.ids, after)
		if start < len(c.ids) && c.ids[start] == after {
			start++
		}
	}
	docs, ids = docs[:0], ids[:0]
	for _, k := range c.ids[start:min(start+streamChunk, len(c.ids))] {
		// A stored document is replaced on update, never changed in place:
		// the slice stays valid after the lock is released.
		docs = append(docs, c.docs[k])
		ids = append(ids, k)
	}
	return docs, ids, nil
}

// streamDocs decodes every document of c with decode and gives those
// dated in the period to fn.
func streamDocs[T any](ctx context.Context, s *Store, c *collection, kind string, decode func([]byte, *T) error, date func(*T) time.Time, from, to time.Time, fn func(*T) error) error {
	var (
		docs [][]byte
		ids  []string
		v    T
		err  error
	)
	after := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		docs, ids, err = s.docsAfter(c, after, docs, ids)
		if err != nil {
			return err
		}
		for i, d := range docs {
			if err := decode(d, &v); err != nil {
				return fmt.Errorf("memory: %s %s: %w", kind, ids[i], err)
			}
			if !store.InPeriod(date(&v), from, to) {
				continue
			}
			if err := fn(&v); err != nil {
				return err
			}
		}
		if len(ids) < streamChunk {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// StreamActions implements store.Streamer: the stored documents are
// decoded by a decoder that is several times faster than encoding/json and
// gives the same records.
func (s *Store) StreamActions(ctx context.Context, from, to time.Time, fn func(*mediation.Action) error) error {
	var d fastdoc.Decoder
	return streamDocs(ctx, s, &s.actions, "action", d.Action, func(a *mediation.Action) time.Time { return a.Date }, from, to, fn)
}

// StreamAccompaniments implements store.Streamer, as StreamActions.
func (s *Store) StreamAccompaniments(ctx context.Context, from, to time.Time, fn func(*mediation.Accompaniment) error) error {
	var d fastdoc.Decoder
	return streamDocs(ctx, s, &s.accompaniments, "accompaniment", d.Accompaniment, func(a *mediation.Accompaniment) time.Time { return a.Date }, from, to, fn)
}
