package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/internal/fastdoc"
)

var _ store.Streamer = (*Store)(nil)

// bounds turns a period into nanosecond bounds, a zero end being open.
func bounds(from, to time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = ns(from)
	}
	if !to.IsZero() {
		hi = ns(to)
	}
	return lo, hi
}

// stream runs one query over a table and calls row for each row, with the
// row's id, version (0 when not selected) and document; the document's
// bytes are only valid during the call. The query reads the table in its
// own order, not through the date index: a yearly evaluation reads most of
// a table, and a scan of it is faster than going through an index.
func (s *Store) stream(ctx context.Context, query string, lo, hi int64, row func(id []byte, version int64, doc []byte) error) error {
	rows, err := s.db.QueryContext(ctx, query, lo, hi)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	var (
		id      sql.RawBytes
		version int64
		doc     sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&id, &version, &doc); err != nil {
			return s.wrap(err)
		}
		if err := row(id, version, doc); err != nil {
			return err
		}
	}
	return s.wrap(rows.Err())
}

// StreamReferrals implements store.Streamer: one query, the documents
// decoded by a decoder several times faster than encoding/json that gives
// the same records.
func (s *Store) StreamReferrals(ctx context.Context, from, to time.Time, fn func(*referral.Referral) error) error {
	var d fastdoc.Decoder
	var r referral.Referral
	lo, hi := bounds(from, to)
	return s.stream(ctx, `SELECT id, version, doc FROM referrals WHERE +created_at_ns >= ? AND +created_at_ns < ?`, lo, hi,
		func(id []byte, version int64, doc []byte) error {
			if err := d.Referral(doc, &r); err != nil {
				return fmt.Errorf("sqlite: %s: referral %s: %w", s.path, id, err)
			}
			r.Version = int(version)
			return fn(&r)
		})
}

// StreamActions implements store.Streamer, as StreamReferrals.
func (s *Store) StreamActions(ctx context.Context, from, to time.Time, fn func(*mediation.Action) error) error {
	var d fastdoc.Decoder
	var a mediation.Action
	lo, hi := bounds(from, to)
	return s.stream(ctx, `SELECT id, 0, doc FROM actions WHERE +date_ns >= ? AND +date_ns < ?`, lo, hi,
		func(id []byte, _ int64, doc []byte) error {
			if err := d.Action(doc, &a); err != nil {
				return fmt.Errorf("sqlite: %s: action %s: %w", s.path, id, err)
			}
			return fn(&a)
		})
}

// StreamAccompaniments implements store.Streamer, as StreamReferrals.
func (s *Store) StreamAccompaniments(ctx context.Context, from, to time.Time, fn func(*mediation.Accompaniment) error) error {
	var d fastdoc.Decoder
	var a mediation.Accompaniment
	lo, hi := bounds(from, to)
	return s.stream(ctx, `SELECT id, 0, doc FROM accompaniments WHERE +date_ns >= ? AND +date_ns < ?`, lo, hi,
		func(id []byte, _ int64, doc []byte) error {
			if err := d.Accompaniment(doc, &a); err != nil {
				return fmt.Errorf("sqlite: %s: accompaniment %s: %w", s.path, id, err)
			}
			return fn(&a)
		})
}
