package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"
	"unsafe"

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

// streamBatch is how many decoded records a reader hands over at a time.
const streamBatch = 256

// stream reads the rows of table whose date column is in [lo, hi). The
// table is cut into ranges of rowids, one reader per range, each on its
// own connection and decoding its own rows (decode gets the row's id,
// version and document) into batches of records; fn then receives the
// records one at a time, in the calling goroutine. SQLite's reading and the
// decoding thus use every core while fn is never called concurrently.
//
// The readers scan the table in rowid order rather than through the date
// index: a yearly evaluation reads most of a table, and a scan is faster.
func stream[T any](ctx context.Context, s *Store, table, cols, dateCol string, lo, hi int64,
	decode func(d *fastdoc.Decoder, id []byte, version int64, doc []byte, v *T) error, fn func(*T) error) error {
	var first, last sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT min(rowid), max(rowid) FROM `+table).Scan(&first, &last); err != nil {
		return s.wrap(err)
	}
	if !first.Valid {
		return nil // an empty table
	}
	workers := int64(s.streamWorkers)
	if workers <= 0 {
		workers = int64(runtime.GOMAXPROCS(0))
	}
	workers = min(workers, last.Int64-first.Int64+1)
	span := (last.Int64 - first.Int64 + workers) / workers

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel() })
	}
	type batch struct {
		recs []T
		n    int
	}
	full := make(chan *batch, 2*workers)
	free := make(chan *batch, 3*workers) // every batch there is: returning one never blocks
	for range 3 * workers {
		free <- &batch{recs: make([]T, streamBatch)}
	}
	query := `SELECT ` + cols + ` FROM ` + table + ` WHERE rowid >= ? AND rowid < ? AND +` + dateCol + ` >= ? AND +` + dateCol + ` < ?`
	var wg sync.WaitGroup
	for w := range workers {
		from := first.Int64 + w*span
		to := min(from+span, last.Int64+1)
		wg.Go(func() {
			var d fastdoc.Decoder
			var b *batch
			send := func() error {
				select {
				case full <- b:
					b = nil
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			err := s.readRows(ctx, query, []any{from, to, lo, hi}, func(id []byte, version int64, doc []byte) error {
				if b == nil {
					select {
					case b = <-free:
						b.n = 0
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				if err := decode(&d, id, version, doc, &b.recs[b.n]); err != nil {
					return err
				}
				if b.n++; b.n == len(b.recs) {
					return send()
				}
				return nil
			})
			if err == nil && b != nil && b.n > 0 {
				err = send()
			}
			if err != nil {
				fail(err)
			}
		})
	}
	go func() { wg.Wait(); close(full) }()
	for b := range full {
		for i := 0; i < b.n && ctx.Err() == nil; i++ {
			if err := fn(&b.recs[i]); err != nil {
				fail(err)
			}
		}
		free <- b
	}
	return firstErr
}

// readRows runs one query and calls row for each row with its id, version
// and document, whose bytes are only valid during the call. It talks to
// the driver directly: database/sql would copy every document once more
// and lock around every row.
func (s *Store) readRows(ctx context.Context, query string, args []any, row func(id []byte, version int64, doc []byte) error) error {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer c.Close()
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return c.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("sqlite: %s: the driver's connection (%T) cannot query", s.path, dc)
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return s.wrap(err)
		}
		defer rows.Close()
		dest := make([]driver.Value, 3)
		for {
			switch err := rows.Next(dest); {
			case errors.Is(err, io.EOF):
				return nil
			case err != nil:
				return s.wrap(err)
			}
			version, _ := dest[1].(int64)
			if err := row(bytesOf(dest[0]), version, bytesOf(dest[2])); err != nil {
				return err
			}
		}
	})
}

// bytesOf views a text or blob value as bytes, without copying a string:
// the bytes are only read.
func bytesOf(v driver.Value) []byte {
	switch v := v.(type) {
	case string:
		return unsafe.Slice(unsafe.StringData(v), len(v))
	case []byte:
		return v
	}
	return nil
}

// StreamReferrals implements store.Streamer: the rows are read by one
// reader per core, each decoding its documents with a decoder several
// times faster than encoding/json that gives the same records.
func (s *Store) StreamReferrals(ctx context.Context, from, to time.Time, fn func(*referral.Referral) error) error {
	lo, hi := bounds(from, to)
	return stream(ctx, s, "referrals", "id, version, doc", "created_at_ns", lo, hi,
		func(d *fastdoc.Decoder, id []byte, version int64, doc []byte, r *referral.Referral) error {
			if err := d.Referral(doc, r); err != nil {
				return fmt.Errorf("sqlite: %s: referral %s: %w", s.path, id, err)
			}
			r.Version = int(version)
			return nil
		}, fn)
}

// StreamActions implements store.Streamer, as StreamReferrals.
func (s *Store) StreamActions(ctx context.Context, from, to time.Time, fn func(*mediation.Action) error) error {
	lo, hi := bounds(from, to)
	return stream(ctx, s, "actions", "id, 0, doc", "date_ns", lo, hi,
		func(d *fastdoc.Decoder, id []byte, _ int64, doc []byte, a *mediation.Action) error {
			if err := d.Action(doc, a); err != nil {
				return fmt.Errorf("sqlite: %s: action %s: %w", s.path, id, err)
			}
			return nil
		}, fn)
}

// StreamAccompaniments implements store.Streamer, as StreamReferrals.
func (s *Store) StreamAccompaniments(ctx context.Context, from, to time.Time, fn func(*mediation.Accompaniment) error) error {
	lo, hi := bounds(from, to)
	return stream(ctx, s, "accompaniments", "id, 0, doc", "date_ns", lo, hi,
		func(d *fastdoc.Decoder, id []byte, _ int64, doc []byte, a *mediation.Accompaniment) error {
			if err := d.Accompaniment(doc, a); err != nil {
				return fmt.Errorf("sqlite: %s: accompaniment %s: %w", s.path, id, err)
			}
			return nil
		}, fn)
}
