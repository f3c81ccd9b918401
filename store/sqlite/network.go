package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

// narrow is an SQL condition that keeps at least the records a filter
// matches; the filter's Matches decides in Go.
type narrow struct {
	where []string
	args  []any
}

func (n *narrow) add(cond string, args ...any) {
	n.where = append(n.where, cond)
	n.args = append(n.args, args...)
}

// listDocs pages through table in id order after cursor, decoding each doc
// and keeping those match accepts, until limit are found (and one more, to
// know whether a next page exists).
func listDocs[T any](ctx context.Context, s *Store, table string, n narrow, cursor string, limit int, match func(*T) bool, idOf func(*T) uuid.UUID) ([]T, string, error) {
	limit = mediation.PageSize(limit)
	chunk := max(limit+1, 256)
	var out []T
	after := cursor
	for {
		where := append([]string{`id > ?`}, n.where...)
		args := append(append([]any{after}, n.args...), chunk)
		rows, err := s.db.QueryContext(ctx, `SELECT id, doc FROM `+table+` WHERE `+strings.Join(where, ` AND `)+` ORDER BY id LIMIT ?`, args...)
		if err != nil {
			return nil, "", s.wrap(err)
		}
		scanned := 0
		for rows.Next() {
			var id, doc string
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return nil, "", s.wrap(err)
			}
			scanned++
			after = id
			var v T
			if err := json.Unmarshal([]byte(doc), &v); err != nil {
				rows.Close()
				return nil, "", fmt.Errorf("sqlite: %s: %s %s: %w", s.path, table, id, err)
			}
			if !match(&v) {
				continue
			}
			if len(out) == limit {
				rows.Close()
				return out, idOf(&out[limit-1]).String(), nil
			}
			out = append(out, v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, "", s.wrap(err)
		}
		if scanned < chunk {
			return out, "", nil
		}
	}
}

func getDoc[T any](ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, s *Store, table, kind string, id uuid.UUID) (T, error) {
	var v T
	var doc string
	err := q.QueryRowContext(ctx, `SELECT doc FROM `+table+` WHERE id = ?`, id.String()).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("%w: %s %s", mediation.ErrNotFound, kind, id)
	}
	if err != nil {
		return v, s.wrap(err)
	}
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return v, fmt.Errorf("sqlite: %s: %s %s: %w", s.path, kind, id, err)
	}
	return v, nil
}

func docOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// insertOne inserts a row unless its id is stored, and reports whether it
// did.
func insertOne(ctx context.Context, tx *sql.Tx, q string, args ...any) (bool, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SaveCoordinator implements mediation.NetworkStore.
func (s *Store) SaveCoordinator(ctx context.Context, c mediation.Coordinator) error {
	if err := c.ValidateAt(s.now()); err != nil {
		return err
	}
	doc, err := docOf(c)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		added, err := insertOne(ctx, tx, `INSERT INTO coordinators (id, region, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`, c.ID.String(), c.Region, doc)
		if err != nil || !added {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.CoordinatorEvent(&c, s.now())))
	})
}

// GetCoordinator implements mediation.NetworkStore.
func (s *Store) GetCoordinator(ctx context.Context, id uuid.UUID) (mediation.Coordinator, error) {
	return getDoc[mediation.Coordinator](ctx, s.db, s, "coordinators", "coordinator", id)
}

// ListCoordinators implements mediation.NetworkStore.
func (s *Store) ListCoordinators(ctx context.Context, region string) ([]mediation.Coordinator, error) {
	var n narrow
	if region != "" {
		n.add(`region = ?`, region)
	}
	var out []mediation.Coordinator
	for cursor := ""; ; {
		page, next, err := listDocs(ctx, s, "coordinators", n, cursor, mediation.MaxPageSize,
			func(*mediation.Coordinator) bool { return true }, func(c *mediation.Coordinator) uuid.UUID { return c.ID })
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// SaveAmbassador implements mediation.NetworkStore.
func (s *Store) SaveAmbassador(ctx context.Context, a mediation.Ambassador) error {
	if err := a.ValidateAt(s.now()); err != nil {
		return err
	}
	a.Version = 1
	doc, err := docOf(a)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		added, err := insertOne(ctx, tx, `INSERT INTO ambassadors (id, region, status, version, doc) VALUES (?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`,
			a.ID.String(), a.Region, string(a.Status), doc)
		if err != nil || !added {
			return s.wrap(err)
		}
		ev, _ := store.AmbassadorWrite(nil, &a, "", s.now())
		return s.wrap(insertEvent(ctx, tx, ev))
	})
}

// UpdateAmbassador implements mediation.NetworkStore.
func (s *Store) UpdateAmbassador(ctx context.Context, a *mediation.Ambassador) error {
	if err := a.ValidateAt(s.now()); err != nil {
		return err
	}
	next := *a
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := getDoc[mediation.Ambassador](ctx, tx, s, "ambassadors", "ambassador", a.ID)
		if err != nil {
			return err
		}
		if cur.Version != a.Version {
			return fmt.Errorf("%w: ambassador %s is at version %d, the update was made on version %d", mediation.ErrConflict, a.ID, cur.Version, a.Version)
		}
		next.Version = cur.Version + 1
		doc, err := docOf(next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ambassadors SET region = ?, status = ?, version = ?, doc = ? WHERE id = ?`,
			next.Region, string(next.Status), next.Version, doc, next.ID.String()); err != nil {
			return s.wrap(err)
		}
		ev, je := store.AmbassadorWrite(&cur, &next, "", s.now())
		if err := insertEvent(ctx, tx, ev); err != nil {
			return s.wrap(err)
		}
		if je != nil {
			_, err = appendEntry(ctx, tx, *je)
		}
		return s.wrap(err)
	})
	if err != nil {
		return err
	}
	a.Version = next.Version
	return nil
}

// GetAmbassador implements mediation.NetworkStore.
func (s *Store) GetAmbassador(ctx context.Context, id uuid.UUID) (mediation.Ambassador, error) {
	return getDoc[mediation.Ambassador](ctx, s.db, s, "ambassadors", "ambassador", id)
}

// ListAmbassadors implements mediation.NetworkStore.
func (s *Store) ListAmbassadors(ctx context.Context, f mediation.AmbassadorFilter) ([]mediation.Ambassador, string, error) {
	var n narrow
	if f.Region != "" {
		n.add(`region = ?`, f.Region)
	}
	return listDocs(ctx, s, "ambassadors", n, f.Cursor, f.Limit, f.Matches, func(a *mediation.Ambassador) uuid.UUID { return a.ID })
}

// SaveTraining implements mediation.NetworkStore.
func (s *Store) SaveTraining(ctx context.Context, t mediation.Training) error {
	if err := t.ValidateAt(s.now()); err != nil {
		return err
	}
	doc, err := docOf(t)
	if err != nil {
		return err
	}
	amb := ""
	if t.AmbassadorID != uuid.Nil {
		amb = t.AmbassadorID.String()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		added, err := insertOne(ctx, tx, `INSERT INTO trainings (id, ambassador_id, place_id, date_ns, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			t.ID.String(), amb, t.PlaceID, ns(t.Date), doc)
		if err != nil || !added {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.TrainingEvent(&t)))
	})
}

// ListTrainings implements mediation.NetworkStore.
func (s *Store) ListTrainings(ctx context.Context, f mediation.TrainingFilter) ([]mediation.Training, string, error) {
	var n narrow
	if f.AmbassadorID != uuid.Nil {
		n.add(`ambassador_id = ?`, f.AmbassadorID.String())
	}
	return listDocs(ctx, s, "trainings", n, f.Cursor, f.Limit, f.Matches, func(t *mediation.Training) uuid.UUID { return t.ID })
}

// SaveActions implements mediation.NetworkStore.
func (s *Store) SaveActions(ctx context.Context, as []mediation.Action) (int, error) {
	if err := mediation.ValidateBatch("actions", as, s.now()); err != nil {
		return 0, err
	}
	return insertBatch(ctx, s, "actions", as,
		`INSERT INTO actions (id, date_ns, region, departement, source, external_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		func(a *mediation.Action, doc string) []any {
			return []any{a.ID.String(), ns(a.Date), a.Region, a.Departement, a.Source, a.ExternalID, doc}
		}, store.ActionEvent)
}

// ListActions implements mediation.NetworkStore.
func (s *Store) ListActions(ctx context.Context, f mediation.ActionFilter) ([]mediation.Action, string, error) {
	var n narrow
	if f.Region != "" {
		n.add(`region = ?`, f.Region)
	}
	if !f.From.IsZero() {
		n.add(`date_ns >= ?`, ns(f.From))
	}
	if !f.To.IsZero() {
		n.add(`date_ns < ?`, ns(f.To))
	}
	if f.Source != "" {
		n.add(`source = ?`, f.Source)
	}
	return listDocs(ctx, s, "actions", n, f.Cursor, f.Limit, f.Matches, func(a *mediation.Action) uuid.UUID { return a.ID })
}

// SaveAccompaniments implements mediation.NetworkStore.
func (s *Store) SaveAccompaniments(ctx context.Context, as []mediation.Accompaniment) (int, error) {
	if err := mediation.ValidateBatch("accompaniments", as, s.now()); err != nil {
		return 0, err
	}
	return insertBatch(ctx, s, "accompaniments", as,
		`INSERT INTO accompaniments (id, action_id, date_ns, region, departement, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		func(a *mediation.Accompaniment, doc string) []any {
			action := ""
			if a.ActionID != uuid.Nil {
				action = a.ActionID.String()
			}
			return []any{a.ID.String(), action, ns(a.Date), a.Region, a.Departement, doc}
		}, store.AccompanimentEvent)
}

// insertBatch inserts the records of a validated batch that are not stored
// yet, in one transaction, with one outbox event each, and returns how many
// were new. insert ignores an id already stored; args gives its arguments
// for one record and its JSON document.
func insertBatch[T any](ctx context.Context, s *Store, kind string, batch []T, insert string, args func(*T, string) []any, event func(*T) store.Event) (int, error) {
	if len(batch) == 0 {
		return 0, ctx.Err()
	}
	added := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		added = 0
		ins, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			return s.wrap(err)
		}
		defer ins.Close()
		for i := range batch {
			r := &batch[i]
			doc, err := docOf(r)
			if err != nil {
				return err
			}
			res, err := ins.ExecContext(ctx, args(r, doc)...)
			if err != nil {
				return fmt.Errorf("%s[%d]: %w", kind, i, s.wrap(err))
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			added++
			if err := insertEvent(ctx, tx, event(r)); err != nil {
				return s.wrap(err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// ListAccompaniments implements mediation.NetworkStore.
func (s *Store) ListAccompaniments(ctx context.Context, f mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error) {
	var n narrow
	if f.ActionID != uuid.Nil {
		n.add(`action_id = ?`, f.ActionID.String())
	}
	if f.Region != "" {
		n.add(`region = ?`, f.Region)
	}
	if !f.From.IsZero() {
		n.add(`date_ns >= ?`, ns(f.From))
	}
	if !f.To.IsZero() {
		n.add(`date_ns < ?`, ns(f.To))
	}
	return listDocs(ctx, s, "accompaniments", n, f.Cursor, f.Limit, f.Matches, func(a *mediation.Accompaniment) uuid.UUID { return a.ID })
}

// SaveQuestion implements mediation.NetworkStore.
func (s *Store) SaveQuestion(ctx context.Context, q mediation.Question) error {
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	q.Version = 1
	doc, err := docOf(q)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		added, err := insertOne(ctx, tx, `INSERT INTO questions (id, region, status, version, doc) VALUES (?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`,
			q.ID.String(), q.Region, string(q.Status), doc)
		if err != nil || !added {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.QuestionWrite(nil, &q, s.now())))
	})
}

// UpdateQuestion implements mediation.NetworkStore.
func (s *Store) UpdateQuestion(ctx context.Context, q *mediation.Question) error {
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	next := *q
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := getDoc[mediation.Question](ctx, tx, s, "questions", "question", q.ID)
		if err != nil {
			return err
		}
		if cur.Version != q.Version {
			return fmt.Errorf("%w: question %s is at version %d, the update was made on version %d", mediation.ErrConflict, q.ID, cur.Version, q.Version)
		}
		next.Version = cur.Version + 1
		doc, err := docOf(next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE questions SET region = ?, status = ?, version = ?, doc = ? WHERE id = ?`,
			next.Region, string(next.Status), next.Version, doc, next.ID.String()); err != nil {
			return s.wrap(err)
		}
		return s.wrap(insertEvent(ctx, tx, store.QuestionWrite(&cur, &next, s.now())))
	})
	if err != nil {
		return err
	}
	q.Version = next.Version
	return nil
}

// GetQuestion implements mediation.NetworkStore.
func (s *Store) GetQuestion(ctx context.Context, id uuid.UUID) (mediation.Question, error) {
	return getDoc[mediation.Question](ctx, s.db, s, "questions", "question", id)
}

// ListQuestions implements mediation.NetworkStore.
func (s *Store) ListQuestions(ctx context.Context, f mediation.QuestionFilter) ([]mediation.Question, string, error) {
	var n narrow
	if f.Region != "" {
		n.add(`region = ?`, f.Region)
	}
	if f.Status != "" {
		n.add(`status = ?`, string(f.Status))
	}
	return listDocs(ctx, s, "questions", n, f.Cursor, f.Limit, f.Matches, func(q *mediation.Question) uuid.UUID { return q.ID })
}

// SearchFAQ implements mediation.NetworkStore: the answered questions are
// loaded and ranked by mediation.RankFAQ, as every store does.
func (s *Store) SearchFAQ(ctx context.Context, query string, limit int) ([]mediation.Question, error) {
	var answered []mediation.Question
	f := mediation.QuestionFilter{Status: mediation.QuestionAnswered, Limit: mediation.MaxPageSize}
	for {
		page, next, err := s.ListQuestions(ctx, f)
		if err != nil {
			return nil, err
		}
		answered = append(answered, page...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return mediation.RankFAQ(answered, query, limit), nil
}

// purgeNetwork deletes the actions and accompaniments dated before the
// cutoff, within the purge's transaction.
func purgeNetwork(ctx context.Context, tx *sql.Tx, rep *store.PurgeReport) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE date_ns < ?`, ns(rep.Before))
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	rep.Actions = int(n)
	if res, err = tx.ExecContext(ctx, `DELETE FROM accompaniments WHERE date_ns < ?`, ns(rep.Before)); err != nil {
		return err
	}
	n, _ = res.RowsAffected()
	rep.Accompaniments = int(n)
	return nil
}
