package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// Times are stored as int64 nanoseconds: the years 1678 to 2261 fit.
var (
	minTime = time.Unix(0, math.MinInt64).Add(time.Second)
	maxTime = time.Unix(0, math.MaxInt64).Add(-time.Second)
)

// checkTimes refuses a referral whose times the columns cannot hold, rather
// than store a wrong order.
func checkTimes(r *referral.Referral) error {
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"created_at", r.CreatedAt}, {"updated_at", r.UpdatedAt}} {
		if !t.at.IsZero() && (t.at.Before(minTime) || t.at.After(maxTime)) {
			return fmt.Errorf("%w: %s: %s %s is out of the years 1678 to 2261", referral.ErrInvalidReferral, r.ID, t.name, t.at.Format(time.RFC3339))
		}
	}
	return nil
}

// Save implements referral.Store.
func (s *Store) Save(ctx context.Context, r referral.Referral) error {
	return s.SaveReferrals(ctx, []referral.Referral{r})
}

// SaveReferrals implements store.ReferralBatch: one transaction, one
// prepared insert.
func (s *Store) SaveReferrals(ctx context.Context, rs []referral.Referral) error {
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			return fmt.Errorf("referral %d: %w", i, err)
		}
		if err := checkTimes(&rs[i]); err != nil {
			return fmt.Errorf("referral %d: %w", i, err)
		}
	}
	if len(rs) == 0 {
		return ctx.Err()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO referrals (id, created_at_ns, changed_at_ns, status, place_id, version, doc)
			VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`)
		if err != nil {
			return s.wrap(err)
		}
		defer ins.Close()
		for i := range rs {
			r := rs[i]
			r.Version = 1
			doc, err := json.Marshal(&r)
			if err != nil {
				return fmt.Errorf("referral %d: %w", i, err)
			}
			res, err := ins.ExecContext(ctx, r.ID.String(), ns(r.CreatedAt), ns(store.LastChange(&r)), string(r.Status), r.PlaceID, string(doc))
			if err != nil {
				return s.wrap(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // already stored: a retry
			}
			ev, _ := store.ReferralWrite(nil, &r)
			if err := insertEvent(ctx, tx, ev); err != nil {
				return s.wrap(err)
			}
		}
		return nil
	})
}

// Update implements referral.Store.
func (s *Store) Update(ctx context.Context, r *referral.Referral) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := checkTimes(r); err != nil {
		return err
	}
	var newVersion int
	err := s.write(ctx, func(tx *sql.Tx) error {
		var doc string
		var version int
		err := tx.QueryRowContext(ctx, `SELECT version, doc FROM referrals WHERE id = ?`, r.ID.String()).Scan(&version, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %s", referral.ErrNotFound, r.ID)
		}
		if err != nil {
			return s.wrap(err)
		}
		if version != r.Version {
			return fmt.Errorf("%w: referral %s is at version %d, the update was made on version %d", referral.ErrConflict, r.ID, version, r.Version)
		}
		var cur referral.Referral
		if err := json.Unmarshal([]byte(doc), &cur); err != nil {
			return fmt.Errorf("sqlite: %s: referral %s: stored document: %w", s.path, r.ID, err)
		}
		cur.Version = version
		if !cur.CreatedAt.Equal(r.CreatedAt) {
			return fmt.Errorf("%w: created_at of %s cannot change", referral.ErrInvalidReferral, r.ID)
		}
		next := *r
		next.Version = version + 1
		b, err := json.Marshal(&next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET changed_at_ns = ?, status = ?, place_id = ?, version = ?, doc = ? WHERE id = ?`,
			ns(store.LastChange(&next)), string(next.Status), next.PlaceID, next.Version, string(b), next.ID.String()); err != nil {
			return s.wrap(err)
		}
		ev, je := store.ReferralWrite(&cur, &next)
		if err := insertEvent(ctx, tx, ev); err != nil {
			return s.wrap(err)
		}
		if je != nil {
			if _, err := appendEntry(ctx, tx, *je); err != nil {
				return s.wrap(err)
			}
		}
		newVersion = next.Version
		return nil
	})
	if err != nil {
		return err
	}
	r.Version = newVersion // only once committed
	return nil
}

func decodeReferral(version int, doc string) (referral.Referral, error) {
	var r referral.Referral
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return r, err
	}
	r.Version = version
	return r, nil
}

// Get implements referral.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (referral.Referral, error) {
	var doc string
	var version int
	err := s.db.QueryRowContext(ctx, `SELECT version, doc FROM referrals WHERE id = ?`, id.String()).Scan(&version, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return referral.Referral{}, fmt.Errorf("%w: %s", referral.ErrNotFound, id)
	}
	if err != nil {
		return referral.Referral{}, s.wrap(err)
	}
	r, err := decodeReferral(version, doc)
	if err != nil {
		return referral.Referral{}, fmt.Errorf("sqlite: %s: referral %s: %w", s.path, id, err)
	}
	return r, nil
}

// List implements referral.Store.
func (s *Store) List(ctx context.Context, f referral.Filter) ([]referral.Referral, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var where []string
	var args []any
	if f.Cursor != "" {
		at, id, err := store.ParseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, `(created_at_ns > ? OR (created_at_ns = ? AND id > ?))`)
		args = append(args, ns(at), ns(at), id.String())
	}
	if len(f.Status) > 0 {
		where = append(where, `status IN (?`+strings.Repeat(`, ?`, len(f.Status)-1)+`)`)
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	if f.PlaceID != "" {
		where = append(where, `place_id = ?`)
		args = append(args, f.PlaceID)
	}
	if f.PersonID != "" {
		where = append(where, `json_extract(doc, '$.person_id') = ?`)
		args = append(args, f.PersonID)
	}
	if !f.From.IsZero() {
		where = append(where, `created_at_ns >= ?`)
		args = append(args, ns(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, `created_at_ns < ?`)
		args = append(args, ns(f.To))
	}
	q := `SELECT version, doc FROM referrals`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY created_at_ns, id LIMIT ?`
	args = append(args, limit+1)
	out, err := s.queryReferrals(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		return out, store.CursorOf(last.CreatedAt, last.ID), nil
	}
	return out, "", nil
}

func (s *Store) queryReferrals(ctx context.Context, q string, args ...any) ([]referral.Referral, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []referral.Referral
	for rows.Next() {
		var doc string
		var version int
		if err := rows.Scan(&version, &doc); err != nil {
			return nil, s.wrap(err)
		}
		r, err := decodeReferral(version, doc)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: a stored referral: %w", s.path, err)
		}
		out = append(out, r)
	}
	return out, s.wrap(rows.Err())
}

// followUpStatuses are the statuses FollowUpPolicy.Due may pick.
var followUpStatuses = []referral.Status{referral.StatusProposed, referral.StatusAccepted, referral.StatusScheduled, referral.StatusNoShow, referral.StatusAttended}

// DueForFollowUp implements referral.Store: SQL narrows to the statuses
// that may need a call, the policy decides in Go.
func (s *Store) DueForFollowUp(ctx context.Context, day time.Time) ([]referral.FollowUp, error) {
	args := make([]any, len(followUpStatuses))
	for i, st := range followUpStatuses {
		args[i] = string(st)
	}
	rs, err := s.queryReferrals(ctx, `SELECT version, doc FROM referrals WHERE status IN (?`+strings.Repeat(`, ?`, len(args)-1)+`) ORDER BY created_at_ns, id`, args...)
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
	var open []any
	for _, st := range referral.Statuses() {
		if st.Open() {
			open = append(open, string(st))
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT place_id, COUNT(*) FROM referrals
		WHERE created_at_ns >= ? AND place_id <> '' AND status IN (?`+strings.Repeat(`, ?`, len(open)-1)+`)
		GROUP BY place_id`, append([]any{ns(since)}, open...)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var place string
		var n int
		if err := rows.Scan(&place, &n); err != nil {
			return nil, s.wrap(err)
		}
		counts[place] = n
	}
	return counts, s.wrap(rows.Err())
}
