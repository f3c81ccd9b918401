package postgres

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/internal/fastdoc"
)

var _ store.Streamer = (*Store)(nil)

func bounds(from, to time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
	}
	return lo, hi
}

// stream runs one query on a connection of its own and calls row with the
// raw text of each row's three columns (id, version, document), only
// valid during the call: the rows come from the server as the query runs,
// never held all at once.
func (s *Store) stream(ctx context.Context, what, query string, lo, hi int64, row func(id, version, doc []byte) error) error {
	return s.conn(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, query, lo, hi)
		if err != nil {
			return wrapDB("stream "+what, err)
		}
		defer rows.Close()
		for rows.Next() {
			v := rows.RawValues()
			if len(v) != 3 {
				return fmt.Errorf("postgres: stream %s: %d columns, want 3", what, len(v))
			}
			if err := row(v[0], v[1], v[2]); err != nil {
				return err
			}
		}
		return wrapDB("stream "+what, rows.Err())
	})
}

// StreamReferrals implements store.Streamer: one query whose rows are
// read as they come, the documents decoded by a decoder several times
// faster than encoding/json that gives the same records.
func (s *Store) StreamReferrals(ctx context.Context, from, to time.Time, fn func(*referral.Referral) error) error {
	var d fastdoc.Decoder
	var r referral.Referral
	lo, hi := bounds(from, to)
	return s.stream(ctx, "referrals", `SELECT id::text, version::text, doc::text FROM referrals WHERE created_at_ns >= $1 AND created_at_ns < $2`, lo, hi,
		func(id, version, doc []byte) error {
			if err := d.Referral(doc, &r); err != nil {
				return fmt.Errorf("postgres: referral %s: %w", id, err)
			}
			v, err := strconv.Atoi(string(version))
			if err != nil {
				return fmt.Errorf("postgres: referral %s: version %q: %w", id, version, err)
			}
			r.Version = v
			return fn(&r)
		})
}

// StreamActions implements store.Streamer, as StreamReferrals.
func (s *Store) StreamActions(ctx context.Context, from, to time.Time, fn func(*mediation.Action) error) error {
	var d fastdoc.Decoder
	var a mediation.Action
	lo, hi := bounds(from, to)
	return s.stream(ctx, "actions", `SELECT id::text, '0', doc::text FROM actions WHERE date_ns >= $1 AND date_ns < $2`, lo, hi,
		func(id, _, doc []byte) error {
			if err := d.Action(doc, &a); err != nil {
				return fmt.Errorf("postgres: action %s: %w", id, err)
			}
			return fn(&a)
		})
}

// StreamAccompaniments implements store.Streamer, as StreamReferrals.
func (s *Store) StreamAccompaniments(ctx context.Context, from, to time.Time, fn func(*mediation.Accompaniment) error) error {
	var d fastdoc.Decoder
	var a mediation.Accompaniment
	lo, hi := bounds(from, to)
	return s.stream(ctx, "accompaniments", `SELECT id::text, '0', doc::text FROM accompaniments WHERE date_ns >= $1 AND date_ns < $2`, lo, hi,
		func(id, _, doc []byte) error {
			if err := d.Accompaniment(doc, &a); err != nil {
				return fmt.Errorf("postgres: accompaniment %s: %w", id, err)
			}
			return fn(&a)
		})
}
