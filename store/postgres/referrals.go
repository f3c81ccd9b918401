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

// referralRow is a referral as its columns and event are written.
type referralRow struct {
	id, placeID, status, doc string
	createdNs, changedNs     int64
	eventID, payload         string
	eventNs                  int64
}

// rowOf validates r and prepares its row and event, at version 1.
func rowOf(r referral.Referral) (referralRow, error) {
	if err := r.Validate(); err != nil {
		return referralRow{}, err
	}
	r.Version = 1
	doc, err := json.Marshal(r)
	if err != nil {
		return referralRow{}, fmt.Errorf("%w: %s: %v", referral.ErrInvalidReferral, r.ID, err)
	}
	ev, _ := store.ReferralWrite(nil, &r)
	return referralRow{
		id: r.ID.String(), placeID: r.PlaceID, status: string(r.Status), doc: string(doc),
		createdNs: r.CreatedAt.UnixNano(), changedNs: store.LastChange(&r).UnixNano(),
		eventID: ev.ID.String(), payload: string(ev.Payload), eventNs: ev.At.UnixNano(),
	}, nil
}

// saveSQL inserts the referrals that are not there yet and, in the same
// statement (hence the same transaction), one event for each inserted.
const saveSQL = `WITH rows AS (
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::jsonb[],
		$7::uuid[], $8::jsonb[], $9::int8[])
		AS u(id, place_id, status, created_at_ns, changed_at_ns, doc, event_id, payload, event_at_ns)
), ins AS (
	INSERT INTO referrals (id, created_at_ns, changed_at_ns, status, place_id, version, doc)
	SELECT id, created_at_ns, changed_at_ns, status, place_id, 1, doc FROM rows
	ON CONFLICT (id) DO NOTHING
	RETURNING id
)
INSERT INTO outbox (id, kind, subject, at_ns, payload)
SELECT rows.event_id, '` + store.KindReferralCreated + `', rows.id::text, rows.event_at_ns, rows.payload
FROM ins JOIN rows ON rows.id = ins.id`

func saveArgs(rows []referralRow) []any {
	strs := make([][]string, 6)
	ints := make([][]int64, 3)
	for _, r := range rows {
		for i, v := range []string{r.id, r.placeID, r.status, r.doc, r.eventID, r.payload} {
			strs[i] = append(strs[i], v)
		}
		for i, v := range []int64{r.createdNs, r.changedNs, r.eventNs} {
			ints[i] = append(ints[i], v)
		}
	}
	return []any{strs[0], strs[1], strs[2], ints[0], ints[1], strs[3], strs[4], strs[5], ints[2]}
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
// ($7 when the status stayed, $8 when it moved, its "from" filled in) and
// journals a status change ($10, $11) in the same transaction. When
// nothing was updated, the last two columns say why.
const updateSQL = `WITH upd AS (
	UPDATE referrals SET place_id = $3, prev_status = status, status = $4, changed_at_ns = $5,
		version = version + 1, doc = jsonb_set($6::jsonb, '{version}', to_jsonb(version + 1))
	WHERE id = $1 AND version = $2 AND created_at_ns = $12
	RETURNING version, prev_status, status
), ev AS (
	INSERT INTO outbox (id, kind, subject, at_ns, payload)
	SELECT $13::uuid,
		CASE WHEN upd.prev_status = upd.status THEN '` + store.KindReferralUpdated + `' ELSE '` + store.KindReferralStatusChanged + `' END,
		$1::text, $9,
		CASE WHEN upd.prev_status = upd.status THEN $7::jsonb ELSE jsonb_set($8::jsonb, '{from}', to_jsonb(upd.prev_status)) END
	FROM upd
), jc AS (
	UPDATE journal_counter SET last = last + 1 FROM upd WHERE upd.prev_status <> upd.status RETURNING last
), jr AS (
	INSERT INTO journal (seq, at_ns, actor, action, subject, detail)
	SELECT jc.last, $9, $10, '` + store.JournalStatusChange + `', $1::text, jsonb_set($11::jsonb, '{from}', to_jsonb(upd.prev_status))
	FROM jc, upd
)
SELECT (SELECT version FROM upd), (SELECT version FROM referrals WHERE id = $1), (SELECT created_at_ns FROM referrals WHERE id = $1)`

// Update implements referral.Store; ErrConflict when another writer got
// there first, whichever process it is. One round trip.
func (s *Store) Update(ctx context.Context, r *referral.Referral) error {
	if err := r.Validate(); err != nil {
		return err
	}
	doc, err := json.Marshal(r)
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
			r.ID.String(), r.Version, r.PlaceID, string(r.Status), store.LastChange(r).UnixNano(), string(doc),
			string(same.Payload), string(moved.Payload), same.At.UnixNano(), entry.Actor, string(entry.Detail),
			r.CreatedAt.UnixNano(), same.ID.String(),
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
	var doc []byte
	var version int
	if err := rows.Scan(&doc, &version); err != nil {
		return referral.Referral{}, err
	}
	var r referral.Referral
	if err := json.Unmarshal(doc, &r); err != nil {
		return referral.Referral{}, fmt.Errorf("postgres: stored referral: %w", err)
	}
	r.Version = version
	return r, nil
}

// Get implements referral.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (referral.Referral, error) {
	var out []referral.Referral
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, "SELECT doc, version FROM referrals WHERE id = $1", id.String())
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
	if f.PersonID != "" {
		where = append(where, "doc->>'person_id' = "+arg(f.PersonID))
	}
	if !f.From.IsZero() {
		where = append(where, "created_at_ns >= "+arg(f.From.UnixNano()))
	}
	if !f.To.IsZero() {
		where = append(where, "created_at_ns < "+arg(f.To.UnixNano()))
	}
	if f.Cursor != "" {
		at, id, err := store.ParseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(created_at_ns, id) > ("+arg(at.UnixNano())+"::int8, "+arg(id.String())+"::uuid)")
	}
	q := "SELECT doc, version FROM referrals"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at_ns, id LIMIT " + arg(limit+1)
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

// dueSQL narrows to the referrals a policy may find due on a day: each
// open status with its own bound on the time that counts for it.
const dueSQL = `SELECT doc, version FROM referrals WHERE
	(status = $1 AND (doc->>'updated_at')::timestamptz <= $2) OR
	(status = $3 AND (doc->>'updated_at')::timestamptz <= $4) OR
	(status = $5 AND (doc->>'updated_at')::timestamptz <= $6) OR
	(status = $7 AND (doc->>'appointment')::timestamptz <= $9) OR
	(status = $8 AND (doc->>'updated_at')::timestamptz <= $9)
ORDER BY created_at_ns, id`

// DueForFollowUp implements referral.Store; the referrals come oldest
// first. The database narrows with bounds a little wide (PostgreSQL keeps
// microseconds, Go nanoseconds); the policy itself decides, as in every
// store.
func (s *Store) DueForFollowUp(ctx context.Context, day time.Time) ([]referral.FollowUp, error) {
	y, m, d := day.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, day.Location())
	end := start.Add(24 * time.Hour)
	const margin = 2 * time.Microsecond
	var rs []referral.Referral
	err := s.conn(ctx, func(c *pgx.Conn) error {
		rows, _ := c.Query(ctx, dueSQL,
			string(referral.StatusProposed), end.Add(-s.policy.ProposedAfter+margin),
			string(referral.StatusAccepted), end.Add(-s.policy.AcceptedAfter+margin),
			string(referral.StatusAttended), end.Add(-s.policy.AttendedAfter+margin),
			string(referral.StatusScheduled), string(referral.StatusNoShow), start.Add(margin))
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
			WHERE created_at_ns >= $1 AND place_id <> '' AND status = ANY($2::text[]) GROUP BY place_id`, since.UnixNano(), open)
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
