package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/store"
)

func insertEvent(ctx context.Context, tx *sql.Tx, e store.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, subject, at_ns, payload) VALUES (?, ?, ?, ?, ?)`,
		e.ID.String(), e.Kind, e.Subject, ns(e.At), string(e.Payload))
	return err
}

func appendEntry(ctx context.Context, tx *sql.Tx, e store.JournalEntry) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO journal (at_ns, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		ns(e.At), e.Actor, e.Action, e.Subject, string(e.Detail))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Pending implements store.Outbox.
func (s *Store) Pending(ctx context.Context, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, subject, at_ns, payload FROM outbox WHERE acked = 0 ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var e store.Event
		var id, payload string
		var at int64
		if err := rows.Scan(&id, &e.Kind, &e.Subject, &at, &payload); err != nil {
			return nil, s.wrap(err)
		}
		if e.ID, err = uuid.Parse(id); err != nil {
			return nil, s.wrap(err)
		}
		e.At = fromNS(at)
		if payload != "" {
			e.Payload = json.RawMessage(payload)
		}
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

// Ack implements store.Outbox.
func (s *Store) Ack(ctx context.Context, ids ...uuid.UUID) error {
	if len(ids) == 0 {
		return ctx.Err()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE outbox SET acked = 1 WHERE id = ?`)
		if err != nil {
			return s.wrap(err)
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, id.String()); err != nil {
				return s.wrap(err)
			}
		}
		return nil
	})
}

// Append implements store.Journal.
func (s *Store) Append(ctx context.Context, e store.JournalEntry) (store.JournalEntry, error) {
	if err := store.CheckAppend(&e, s.now()); err != nil {
		return store.JournalEntry{}, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		seq, err := appendEntry(ctx, tx, e)
		e.Seq = seq
		return s.wrap(err)
	})
	if err != nil {
		return store.JournalEntry{}, err
	}
	return e, nil
}

// Entries implements store.Journal.
func (s *Store) Entries(ctx context.Context, after int64, limit int) ([]store.JournalEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at_ns, actor, action, subject, detail FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []store.JournalEntry
	for rows.Next() {
		var e store.JournalEntry
		var at int64
		var detail string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &detail); err != nil {
			return nil, s.wrap(err)
		}
		e.At = fromNS(at)
		if detail != "" {
			e.Detail = json.RawMessage(detail)
		}
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

// Purge implements store.Store.
func (s *Store) Purge(ctx context.Context, req store.PurgeRequest) (store.PurgeReport, error) {
	if req.Before.IsZero() {
		return store.PurgeReport{}, store.ErrInvalidf("purge: no cutoff")
	}
	rep := store.PurgeReport{Before: req.Before}
	err := s.write(ctx, func(tx *sql.Tx) error {
		rep.Referrals, rep.Events = 0, 0
		res, err := tx.ExecContext(ctx, `DELETE FROM referrals WHERE changed_at_ns < ?`, ns(req.Before))
		if err != nil {
			return s.wrap(err)
		}
		n, _ := res.RowsAffected()
		rep.Referrals = int(n)
		if err := purgeNetwork(ctx, tx, &rep); err != nil {
			return s.wrap(err)
		}
		if res, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE acked = 1 AND at_ns < ?`, ns(req.Before)); err != nil {
			return s.wrap(err)
		}
		n, _ = res.RowsAffected()
		rep.Events = int(n)
		e := store.PurgeEntry(req, rep)
		rep.Seq, err = appendEntry(ctx, tx, e)
		return s.wrap(err)
	})
	if err != nil {
		return store.PurgeReport{}, err
	}
	return rep, nil
}
