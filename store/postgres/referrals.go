package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// referralRow is a referral as its columns and events are written.
type referralRow struct {
	id, personID, placeID, pathway, status string
	createdAt, updatedAt                   time.Time
	createdNs                              int64
	record                                 string
	eventID                                string
	eventAt                                time.Time
	payload                                string
}

// rowOf validates r and prepares its row and event, at version 1.
func rowOf(r referral.Referral) (referralRow, error) {
	if err := r.Validate(); err != nil {
		return referralRow{}, err
	}
	r.Version = 1
	rec, err := json.Marshal(r)
	if err != nil {
		return referralRow{}, fmt.Errorf("%w: %s: %v", referral.ErrInvalidReferral, r.ID, err)
	}
	ev, _ := store.ReferralWrite(nil, &r)
	return referralRow{
		id: r.ID.String(), personID: r.PersonID, placeID: r.PlaceID, pathway: string(r.Pathway), status: string(r.Status),
		createdAt: r.CreatedAt, updatedAt: store.LastChange(&r), createdNs: r.CreatedAt.UnixNano(),
		record: string(rec), eventID: ev.ID.String(), eventAt: ev.At, payload: string(ev.Payload),
	}, nil
}

// saveSQL inserts the referrals that are not there yet and, in the same
// statement (hence the same transaction), one event for each inserted.
const saveSQL = `WITH rows AS (
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
		$6::timestamptz[], $7::int8[], $8::timestamptz[], $9::jsonb[], $10::uuid[], $11::timestamptz[], $12::jsonb[])
		AS u(id, person_id, place_id, pathway, status, created_at, created_ns, updated_at, record, event_id, event_at, payload)
), ins AS (
	INSERT INTO referrals (id, person_id, place_id, pathway, status, created_at, created_ns, updated_at, version, record)
	SELECT id, person_id, place_id, pathway, status, created_at, created_ns, updated_at, 1, record FROM rows
	ON CONFLICT (id) DO NOTHING
	RETURNING id
)
INSERT INTO outbox (id, kind, subject, at, payload)
SELECT rows.event_id, '` + store.KindReferralCreated + `', rows.id::text, rows.event_at, rows.payload
FROM ins JOIN rows ON rows.id = ins.id`

func saveArgs(rows []referralRow) []any {
	cols := make([][]string, 8)
	var created, updated, evAt []time.Time
	var ns []int64
	for _, r := range rows {
		for i, v := range []string{r.id, r.personID, r.placeID, r.pathway, r.status, r.record, r.eventID, r.payload} {
			cols[i] = append(cols[i], v)
		}
		created = append(created, r.createdAt)
		updated = append(updated, r.updatedAt)
		evAt = append(evAt, r.eventAt)
		ns = append(ns, r.createdNs)
	}
	return []any{cols[0], cols[1], cols[2], cols[3], cols[4], created, ns, updated, cols[5], cols[6], evAt, cols[7]}
}

// Save implements referral.Store: one statement, one round trip.
func (s *Store) Save(ctx context.Context, r referral.Referral) error {
	row, err := rowOf(r)
	if err != nil {
		return err
	}
	return s.conn(ctx, func(c *pgx.Conn) error {
		_, err := c.Exec(ctx, saveSQL, saveArgs([]referralRow{row})...)
		return wrapDB("save referral", err)
	})
}

// batchRows is how many referrals go in one statement of SaveReferrals.
const batchRows = 1000

// SaveReferrals implements store.ReferralBatch: one transaction, one
// statement per batchRows referrals.
func (s *Store) SaveReferrals(ctx context.Context, rs []referral.Referral) error {
	rows := make([]referralRow, 0, len(rs))
	seen := make(map[uuid.UUID]bool, len(rs))
	for i, r := range rs {
		row, err := rowOf(r)
		if err != nil {
			return fmt.Errorf("referral %d of %d: %w", i+1, len(rs), err)
		}
		if seen[r.ID] { // the first copy wins, as if saved one by one
			continue
		}
		seen[r.ID] = true
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return ctx.Err()
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for start := 0; start < len(rows); start += batchRows {
			b.Queue(saveSQL, saveArgs(rows[start:min(start+batchRows, len(rows))])...)
		}
		return wrapDB("save referrals", tx.SendBatch(ctx, b).Close())
	})
}

// updateSQL is optimistic concurrency in one statement: the row changes
// only at the version the caller read. prev_status = status keeps the old
// status (SET reads the old row), so the same statement picks the event
// ($10 when the status stayed, $12 when it moved, its "from" filled in) and
// journals a status change ($13, $14) in the same transaction. When nothing
// was updated, the last two columns say why.
const updateSQL = `WITH upd AS (
	UPDATE referrals SET person_id = $3, place_id = $4, pathway = $5, prev_status = status, status = $6,
		updated_at = $7, version = version + 1, record = jsonb_set($8::jsonb, '{version}', to_jsonb(version + 1))
	WHERE id = $1 AND version = $2 AND created_ns = $9
	RETURNING version, prev_status, status
), ev AS (
	INSERT INTO outbox (id, kind, subject, at, payload)
	SELECT $15::uuid,
		CASE WHEN upd.prev_status = upd.status THEN '` + store.KindReferralUpdated + `' ELSE '` + store.KindReferralStatusChanged + `' END,
		$1::text, $11,
		CASE WHEN upd.prev_status = upd.status THEN $10::jsonb ELSE jsonb_set($12::jsonb, '{from}', to_jsonb(upd.prev_status)) END
	FROM upd
), jc AS (
	UPDATE journal_counter SET last = last + 1 FROM upd WHERE upd.prev_status <> upd.status RETURNING last
), jr AS (
	INSERT INTO journal (seq, at, actor, action, subject, detail)
	SELECT jc.last, $11, $13, '` + store.JournalStatusChange + `', $1::text, jsonb_set($14::jsonb, '{from}', to_jsonb(upd.prev_status))
	FROM jc, upd
)
SELECT (SELECT version FROM upd), (SELECT version FROM referrals WHERE id = $1), (SELECT created_ns FROM referrals WHERE id = $1)`

// Update implements referral.Store; ErrConflict when another writer got
// there first, whichever process it is. One round trip.
func (s *Store) Update(ctx context.Context, r *referral.Referral) error {
	if err := r.Validate(); err != nil {
		return err
	}
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", referral.ErrInvalidReferral, r.ID, err)
	}
	// The events of both cases come from store.ReferralWrite, as in every
	// store; the database knows the old status and picks one.
	next := *r
	next.Version = r.Version + 1
	same, _ := store.ReferralWrite(&referral.Referral{Status: r.Status}, &next)
	moved, entry := store.ReferralWrite(&referral.Referral{Status: r.Status + "~"}, &next)
	var newVersion, curVersion *int
	var curNs *int64
	err = s.conn(ctx, func(c *pgx.Conn) error {
		return wrapDB("update referral", c.QueryRow(ctx, updateSQL,
			r.ID.String(), r.Version, r.PersonID, r.PlaceID, string(r.Pathway), string(r.Status),
			store.LastChange(r), string(rec), r.CreatedAt.UnixNano(),
			string(same.Payload), same.At, string(moved.Payload), entry.Actor, string(entry.Detail), same.ID.String(),
		).Scan(&newVersion, &curVersion, &curNs))
	})
	switch {
	case err != nil:
		return err
	case newVersion != nil:
		r.Version = *newVersion
		return nil
	case curVersion == nil:
		return fmt.Errorf("%w: %s", referral.ErrNotFound, r.ID)
	case *curVersion == r.Version && *curNs != r.CreatedAt.UnixNano():
		return fmt.Errorf("%w: created_at of %s cannot change", referral.ErrInvalidReferral, r.ID)
	default:
		return fmt.Errorf("%w: referral %s is at version %d or later, the update was made on version %d", referral.ErrConflict, r.ID, *curVersion, r.Version)
	}
}

func scanReferral(rows pgx.CollectableRow) (referral.Referral, error) {
	var rec []byte
	var version int
	if err := rows.Scan(&rec, &version); err != nil {
		return referral.Referral{}, err
	}
	var r referral.Referral
	if err := json.Unmarshal(rec, &r); err != nil {
		return referral.Referral{}, fmt.Errorf("postgres: stored referral: %w", err)
	}
	r.Version = version
	return r, nil
}

// Get implements referral.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (referral.Referral, error) {
	var out []referral.Referral
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, "SELECT record, version FROM referrals WHERE id = $1", id.String())
		var err error
		out, err = pgx.CollectRows(rows, scanReferral)
		return wrapDB("get referral", err)
	})
	if err != nil {
		return referral.Referral{}, err
	}
	if len(out) == 0 {
		return referral.Referral{}, fmt.Errorf("%w: %s", referral.ErrNotFound, id)
	}
	return out[0], nil
}

// List implements referral.Store, with the cursor of store.CursorOf.
func (s *Store) List(ctx context.Context, f referral.Filter) ([]referral.Referral, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if len(f.Status) > 0 {
		st := make([]string, len(f.Status))
		for i, v := range f.Status {
			st[i] = string(v)
		}
		where = append(where, "status = ANY("+arg(st)+"::text[])")
	}
	if f.PlaceID != "" {
		where = append(where, "place_id = "+arg(f.PlaceID))
	}
	if !f.From.IsZero() {
		where = append(where, "created_ns >= "+arg(f.From.UnixNano()))
	}
	if !f.To.IsZero() {
		where = append(where, "created_ns < "+arg(f.To.UnixNano()))
	}
	if f.Cursor != "" {
		at, id, err := store.ParseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(created_ns, id) > ("+arg(at.UnixNano())+"::int8, "+arg(id.String())+"::uuid)")
	}
	q := "SELECT record, version FROM referrals"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_ns, id LIMIT " + arg(limit+1)
	var out []referral.Referral
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, q, args...)
		var err error
		out, err = pgx.CollectRows(rows, scanReferral)
		return wrapDB("list referrals", err)
	})
	if err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, store.CursorOf(last.CreatedAt, last.ID), nil
}

// DueForFollowUp implements referral.Store; the referrals come oldest
// first. The database narrows to the statuses a policy can make due; the
// policy itself decides, as in every store.
func (s *Store) DueForFollowUp(ctx context.Context, day time.Time) ([]referral.FollowUp, error) {
	statuses := []string{string(referral.StatusProposed), string(referral.StatusAccepted), string(referral.StatusScheduled),
		string(referral.StatusNoShow), string(referral.StatusAttended)}
	var rs []referral.Referral
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, "SELECT record, version FROM referrals WHERE status = ANY($1::text[]) ORDER BY created_ns, id", statuses)
		var err error
		rs, err = pgx.CollectRows(rows, scanReferral)
		return wrapDB("due for follow-up", err)
	})
	if err != nil {
		return nil, err
	}
	var out []referral.FollowUp
	for i := range rs {
		if why, ok := s.policy.Due(&rs[i], day); ok {
			out = append(out, referral.FollowUp{Referral: rs[i], Reason: why})
		}
	}
	return out, nil
}

// OpenCountsSince implements referral.Store.
func (s *Store) OpenCountsSince(ctx context.Context, since time.Time) (map[string]int, error) {
	var open []string
	for _, st := range referral.Statuses() {
		if st.Open() {
			open = append(open, string(st))
		}
	}
	counts := map[string]int{}
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, `SELECT place_id, count(*) FROM referrals
			WHERE created_ns >= $1 AND place_id <> '' AND status = ANY($2::text[]) GROUP BY place_id`, since.UnixNano(), open)
		var place string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&place, &n}, func() error { counts[place] = n; return nil })
		return wrapDB("open counts", err)
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// wrapDB names the operation in a database error.
func wrapDB(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}
