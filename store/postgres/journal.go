package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/store"
)

// appendSQL takes the next seq from journal_counter, whose row stays
// locked until commit: appends take turns, so seq has no gap and a reader
// of Entries never sees seq n+1 before seq n.
const appendSQL = `WITH c AS (UPDATE journal_counter SET last = last + 1 RETURNING last)
INSERT INTO journal (seq, at_ns, actor, action, subject, detail)
SELECT c.last, $1, $2, $3, $4, $5::jsonb FROM c
RETURNING seq`

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func appendEntry(ctx context.Context, q querier, e store.JournalEntry) (store.JournalEntry, error) {
	if err := store.CheckAppend(&e, time.Now()); err != nil {
		return e, err
	}
	var detail *string
	if len(e.Detail) > 0 {
		d := string(e.Detail)
		detail = &d
	}
	if err := q.QueryRow(ctx, appendSQL, e.At.UnixNano(), e.Actor, e.Action, e.Subject, detail).Scan(&e.Seq); err != nil {
		return e, wrapDB("append to journal", err)
	}
	return e, nil
}

// Append implements store.Journal.
func (s *Store) Append(ctx context.Context, e store.JournalEntry) (store.JournalEntry, error) {
	var out store.JournalEntry
	err := s.conn(ctx, func(c *pgx.Conn) error {
		var err error
		out, err = appendEntry(ctx, c, e)
		return err
	})
	return out, err
}

// Entries implements store.Journal.
func (s *Store) Entries(ctx context.Context, after int64, limit int) ([]store.JournalEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []store.JournalEntry
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, "SELECT seq, at_ns, actor, action, subject, detail FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2", after, limit)
		var err error
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.JournalEntry, error) {
			var e store.JournalEntry
			var detail []byte
			var at int64
			err := row.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &detail)
			e.At = time.Unix(0, at).UTC()
			if len(detail) > 0 {
				e.Detail = detail
			}
			return e, err
		})
		return wrapDB("journal entries", err)
	})
	return out, err
}

// Purge implements store.Store: the deletions and their journal entry
// commit together.
func (s *Store) Purge(ctx context.Context, req store.PurgeRequest) (store.PurgeReport, error) {
	if req.Before.IsZero() {
		return store.PurgeReport{}, fmt.Errorf("%w: purge: the cutoff is missing", store.ErrInvalid)
	}
	rep := store.PurgeReport{Before: req.Before}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM referrals WHERE changed_at_ns < $1", req.Before.UnixNano())
		if err != nil {
			return wrapDB("purge referrals", err)
		}
		rep.Referrals = int(tag.RowsAffected())
		tag, err = tx.Exec(ctx, "DELETE FROM outbox WHERE acked AND at_ns < $1", req.Before.UnixNano())
		if err != nil {
			return wrapDB("purge events", err)
		}
		rep.Events = int(tag.RowsAffected())
		for _, d := range []struct {
			table string
			n     *int
		}{{"actions", &rep.Actions}, {"accompaniments", &rep.Accompaniments}} {
			tag, err := tx.Exec(ctx, "DELETE FROM "+d.table+" WHERE date_ns < $1", req.Before.UnixNano())
			if err != nil {
				return wrapDB("purge "+d.table, err)
			}
			*d.n = int(tag.RowsAffected())
		}
		e, err := appendEntry(ctx, tx, store.PurgeEntry(req, rep))
		rep.Seq = e.Seq
		return err
	})
	if err != nil {
		return store.PurgeReport{}, err
	}
	return rep, nil
}
