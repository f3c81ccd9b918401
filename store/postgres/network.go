package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

var _ mediation.NetworkStore = (*Store)(nil)

// table describes how one kind of network record is kept: its table, the
// columns beside id and doc, and their values for a record.
type table[T any] struct {
	name   string
	cols   []string
	values func(*T) []any
	id     func(*T) uuid.UUID
}

var (
	coordinators = table[mediation.Coordinator]{
		name: "coordinators", cols: []string{"region"},
		values: func(c *mediation.Coordinator) []any { return []any{c.Region} },
		id:     func(c *mediation.Coordinator) uuid.UUID { return c.ID },
	}
	ambassadors = table[mediation.Ambassador]{
		name: "ambassadors", cols: []string{"region", "coordinator_id", "status", "kind", "version"},
		values: func(a *mediation.Ambassador) []any {
			return []any{a.Region, a.CoordinatorID.String(), string(a.Status), string(a.Kind), a.Version}
		},
		id: func(a *mediation.Ambassador) uuid.UUID { return a.ID },
	}
	trainings = table[mediation.Training]{
		name: "trainings", cols: []string{"ambassador_id", "place_id", "module", "date_ns"},
		values: func(t *mediation.Training) []any {
			return []any{t.AmbassadorID.String(), t.PlaceID, t.Module, t.Date.UnixNano()}
		},
		id: func(t *mediation.Training) uuid.UUID { return t.ID },
	}
	actions = table[mediation.Action]{
		name: "actions", cols: []string{"source", "external_id", "type", "date_ns", "region", "departement", "coordinator_id"},
		values: func(a *mediation.Action) []any {
			return []any{a.Source, a.ExternalID, string(a.Type), a.Date.UnixNano(), a.Region, a.Departement, a.CoordinatorID.String()}
		},
		id: func(a *mediation.Action) uuid.UUID { return a.ID },
	}
	accompaniments = table[mediation.Accompaniment]{
		name: "accompaniments", cols: []string{"action_id", "ambassador_id", "date_ns", "region", "departement"},
		values: func(a *mediation.Accompaniment) []any {
			return []any{a.ActionID.String(), a.AmbassadorID.String(), a.Date.UnixNano(), a.Region, a.Departement}
		},
		id: func(a *mediation.Accompaniment) uuid.UUID { return a.ID },
	}
	questions = table[mediation.Question]{
		name: "questions", cols: []string{"region", "coordinator_id", "status", "version"},
		values: func(q *mediation.Question) []any {
			return []any{q.Region, q.CoordinatorID.String(), string(q.Status), q.Version}
		},
		id: func(q *mediation.Question) uuid.UUID { return q.ID },
	}
)

// colType is the SQL type of a network column: ids are uuid, times
// bigint nanoseconds, versions integer, the rest text.
func colType(c string) string {
	switch {
	case c == "id" || strings.HasSuffix(c, "_id") && c != "place_id" && c != "external_id":
		return "uuid"
	case strings.HasSuffix(c, "_ns"):
		return "int8"
	case c == "version":
		return "int4"
	case c == "doc":
		return "jsonb"
	}
	return "text"
}

// insertSQL inserts the records whose id (or, for actions, source and
// external id) is new, and in the same statement the event of each
// inserted one. Every column comes as a text array, cast on the way in.
func (tb *table[T]) insertSQL() string {
	cols := append(append([]string{"id"}, tb.cols...), "doc")
	evCols := []string{"ev_id", "ev_kind", "ev_subject", "ev_at_ns", "ev_payload"}
	all := append(append([]string(nil), cols...), evCols...)
	params := make([]string, len(all))
	for i := range all {
		params[i] = "$" + strconv.Itoa(i+1) + "::text[]"
	}
	casts := make([]string, len(cols))
	for i, c := range cols {
		casts[i] = c + "::" + colType(c)
	}
	return "WITH rows AS (SELECT * FROM unnest(" + strings.Join(params, ", ") + ") AS u(" + strings.Join(all, ", ") + ")), " +
		"ins AS (INSERT INTO " + tb.name + " (" + strings.Join(cols, ", ") + ") SELECT " + strings.Join(casts, ", ") +
		" FROM rows ON CONFLICT DO NOTHING RETURNING id) " +
		"INSERT INTO outbox (id, kind, subject, at_ns, payload) " +
		"SELECT ev_id::uuid, ev_kind, ev_subject, ev_at_ns::int8, ev_payload::jsonb FROM ins JOIN rows ON rows.id::uuid = ins.id"
}

func (tb *table[T]) args(r *T) ([]any, error) {
	doc, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", mediation.ErrInvalidRecord, tb.name, tb.id(r), err)
	}
	args := append([]any{tb.id(r).String()}, tb.values(r)...)
	return append(args, string(doc)), nil
}

func eventArgs(e store.Event) []any {
	return []any{e.ID.String(), e.Kind, e.Subject, e.At.UnixNano(), string(e.Payload)}
}

func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}

// insert stores the records whose id is new, each with the event made by
// eventOf, in one transaction, batchRows records a statement and all the
// statements in one round trip; it returns how many were new. A record
// given twice counts once, as if saved one after the other.
func insert[T any](ctx context.Context, s *Store, tb *table[T], rs []T, eventOf func(*T) store.Event) (int, error) {
	var columns [][]string
	seen := make(map[uuid.UUID]bool, len(rs))
	b := &pgx.Batch{}
	q := tb.insertSQL()
	flush := func() {
		if len(columns) > 0 && len(columns[0]) > 0 {
			args := make([]any, len(columns))
			for i := range columns {
				args[i] = columns[i]
			}
			b.Queue(q, args...)
		}
		columns = nil
	}
	for i := range rs {
		if seen[tb.id(&rs[i])] {
			continue
		}
		seen[tb.id(&rs[i])] = true
		args, err := tb.args(&rs[i])
		if err != nil {
			return 0, err
		}
		args = append(args, eventArgs(eventOf(&rs[i]))...)
		if columns == nil {
			columns = make([][]string, len(args))
		}
		for j, v := range args {
			columns[j] = append(columns[j], text(v))
		}
		if len(columns[0]) == batchRows {
			flush()
		}
	}
	flush()
	if b.Len() == 0 {
		return 0, ctx.Err()
	}
	n := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		br := tx.SendBatch(ctx, b)
		for range b.Len() {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return wrapDB("save "+tb.name, err)
			}
			n += int(tag.RowsAffected())
		}
		return wrapDB("save "+tb.name, br.Close())
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// update replaces a record in a transaction that reads the stored one FOR
// UPDATE (writers of one record take turns, in any process), checks its
// version, and writes the record with what write returns: the event and,
// for a status change, the journal entry. r's version moves on when
// stored.
func update[T any](ctx context.Context, s *Store, tb *table[T], r *T, versionOf func(*T) *int, write func(cur, next *T) (store.Event, *store.JournalEntry)) error {
	next := *r
	version, nextVersion := versionOf(r), versionOf(&next)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var doc []byte
		err := tx.QueryRow(ctx, "SELECT doc FROM "+tb.name+" WHERE id = $1 FOR UPDATE", tb.id(r).String()).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s %s", mediation.ErrNotFound, tb.name, tb.id(r))
		}
		if err != nil {
			return wrapDB("update "+tb.name, err)
		}
		var cur T
		if err := json.Unmarshal(doc, &cur); err != nil {
			return fmt.Errorf("postgres: stored %s %s: %w", tb.name, tb.id(r), err)
		}
		if v := *versionOf(&cur); v != *version {
			return fmt.Errorf("%w: %s %s is at version %d, the update was made on version %d", mediation.ErrConflict, tb.name, tb.id(r), v, *version)
		}
		*nextVersion = *version + 1
		args, err := tb.args(&next)
		if err != nil {
			return err
		}
		sets := make([]string, 0, len(tb.cols)+1)
		for i, c := range tb.cols {
			sets = append(sets, c+" = $"+strconv.Itoa(i+2))
		}
		sets = append(sets, "doc = $"+strconv.Itoa(len(tb.cols)+2))
		if _, err := tx.Exec(ctx, "UPDATE "+tb.name+" SET "+strings.Join(sets, ", ")+" WHERE id = $1", args...); err != nil {
			return wrapDB("update "+tb.name, err)
		}
		ev, je := write(&cur, &next)
		if _, err := tx.Exec(ctx, "INSERT INTO outbox (id, kind, subject, at_ns, payload) VALUES ($1, $2, $3, $4, $5)", eventArgs(ev)...); err != nil {
			return wrapDB("update "+tb.name, err)
		}
		if je != nil {
			_, err = appendEntry(ctx, tx, *je)
		}
		return err
	})
	if err != nil {
		return err
	}
	*version = *nextVersion
	return nil
}

func get[T any](ctx context.Context, s *Store, tb *table[T], id uuid.UUID) (T, error) {
	var zero T
	var doc []byte
	err := s.conn(ctx, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, "SELECT doc FROM "+tb.name+" WHERE id = $1", id.String()).Scan(&doc)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, fmt.Errorf("%w: %s %s", mediation.ErrNotFound, tb.name, id)
	}
	if err != nil {
		return zero, wrapDB("get "+tb.name, err)
	}
	var r T
	if err := json.Unmarshal(doc, &r); err != nil {
		return zero, fmt.Errorf("postgres: stored %s %s: %w", tb.name, id, err)
	}
	return r, nil
}

// where gathers the SQL conditions a filter can say in columns.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(w.args))))
}

// list returns, in id order after the cursor, at most limit records that
// pass the SQL conditions and match; the database narrows, match decides
// (so every store answers alike). It reads in chunks until the page is
// full.
func list[T any](ctx context.Context, s *Store, tb *table[T], w where, cursor string, limit int, match func(*T) bool) ([]T, string, error) {
	limit = mediation.PageSize(limit)
	after := uuid.Nil
	if cursor != "" {
		var err error
		if after, err = uuid.Parse(cursor); err != nil {
			return nil, "", store.ErrInvalidf("%s: bad cursor %q", tb.name, cursor)
		}
	}
	chunk := limit + 1
	var out []T
	first := cursor == ""
	for {
		cw := where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)}
		if !first {
			cw.add("id > ?::uuid", after.String())
		}
		q := "SELECT doc FROM " + tb.name
		if len(cw.conds) > 0 {
			q += " WHERE " + strings.Join(cw.conds, " AND ")
		}
		q += " ORDER BY id LIMIT " + strconv.Itoa(chunk)
		var docs [][]byte
		err := s.conn(ctx, func(c *pgx.Conn) error {
			rows, _ := c.Query(ctx, q, cw.args...)
			var err error
			docs, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
			return wrapDB("list "+tb.name, err)
		})
		if err != nil {
			return nil, "", err
		}
		for _, d := range docs {
			var r T
			if err := json.Unmarshal(d, &r); err != nil {
				return nil, "", fmt.Errorf("postgres: stored %s: %w", tb.name, err)
			}
			after, first = tb.id(&r), false
			if match != nil && !match(&r) {
				continue
			}
			if len(out) == limit {
				return out, tb.id(&out[limit-1]).String(), nil
			}
			out = append(out, r)
		}
		if len(docs) < chunk {
			return out, "", nil
		}
	}
}

func (s *Store) now() time.Time { return s.clock() }

// SaveCoordinator implements mediation.NetworkStore.
func (s *Store) SaveCoordinator(ctx context.Context, c mediation.Coordinator) error {
	if err := c.ValidateAt(s.now()); err != nil {
		return err
	}
	_, err := insert(ctx, s, &coordinators, []mediation.Coordinator{c}, func(c *mediation.Coordinator) store.Event {
		return store.CoordinatorEvent(c, s.now())
	})
	return err
}

// GetCoordinator implements mediation.NetworkStore.
func (s *Store) GetCoordinator(ctx context.Context, id uuid.UUID) (mediation.Coordinator, error) {
	return get(ctx, s, &coordinators, id)
}

// ListCoordinators implements mediation.NetworkStore: all of them (a
// région has a handful), in id order.
func (s *Store) ListCoordinators(ctx context.Context, region string) ([]mediation.Coordinator, error) {
	var w where
	if region != "" {
		w.add("region = ?", region)
	}
	var out []mediation.Coordinator
	cursor := ""
	for {
		page, next, err := list(ctx, s, &coordinators, w, cursor, mediation.MaxPageSize, nil)
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
	a.Version = 1
	if err := a.ValidateAt(s.now()); err != nil {
		return err
	}
	_, err := insert(ctx, s, &ambassadors, []mediation.Ambassador{a}, func(a *mediation.Ambassador) store.Event {
		ev, _ := store.AmbassadorWrite(nil, a, "", s.now())
		return ev
	})
	return err
}

// UpdateAmbassador implements mediation.NetworkStore.
func (s *Store) UpdateAmbassador(ctx context.Context, a *mediation.Ambassador) error {
	if err := a.ValidateAt(s.now()); err != nil {
		return err
	}
	return update(ctx, s, &ambassadors, a, func(a *mediation.Ambassador) *int { return &a.Version }, func(cur, next *mediation.Ambassador) (store.Event, *store.JournalEntry) {
		return store.AmbassadorWrite(cur, next, "", s.now())
	})
}

// GetAmbassador implements mediation.NetworkStore.
func (s *Store) GetAmbassador(ctx context.Context, id uuid.UUID) (mediation.Ambassador, error) {
	return get(ctx, s, &ambassadors, id)
}

// ListAmbassadors implements mediation.NetworkStore.
func (s *Store) ListAmbassadors(ctx context.Context, f mediation.AmbassadorFilter) ([]mediation.Ambassador, string, error) {
	var w where
	if f.Region != "" {
		w.add("region = ?", f.Region)
	}
	if f.CoordinatorID != uuid.Nil {
		w.add("coordinator_id = ?::uuid", f.CoordinatorID.String())
	}
	if len(f.Status) > 0 {
		w.add("status = ANY(?::text[])", strs(f.Status))
	}
	if len(f.Kind) > 0 {
		w.add("kind = ANY(?::text[])", strs(f.Kind))
	}
	return list(ctx, s, &ambassadors, w, f.Cursor, f.Limit, f.Matches)
}

// SaveTraining implements mediation.NetworkStore.
func (s *Store) SaveTraining(ctx context.Context, t mediation.Training) error {
	if err := t.ValidateAt(s.now()); err != nil {
		return err
	}
	_, err := insert(ctx, s, &trainings, []mediation.Training{t}, store.TrainingEvent)
	return err
}

// ListTrainings implements mediation.NetworkStore.
func (s *Store) ListTrainings(ctx context.Context, f mediation.TrainingFilter) ([]mediation.Training, string, error) {
	var w where
	if f.AmbassadorID != uuid.Nil {
		w.add("ambassador_id = ?::uuid", f.AmbassadorID.String())
	}
	if f.PlaceID != "" {
		w.add("place_id = ?", f.PlaceID)
	}
	if f.Module != "" {
		w.add("module = ?", f.Module)
	}
	return list(ctx, s, &trainings, w, f.Cursor, f.Limit, f.Matches)
}

// SaveActions implements mediation.NetworkStore: one transaction, one
// round trip.
func (s *Store) SaveActions(ctx context.Context, as []mediation.Action) (int, error) {
	if err := mediation.ValidateBatch("actions", as, s.now()); err != nil {
		return 0, err
	}
	return insert(ctx, s, &actions, as, store.ActionEvent)
}

func periodWhere(w *where, from, to time.Time) {
	if !from.IsZero() {
		w.add("date_ns >= ?", from.UnixNano())
	}
	if !to.IsZero() {
		w.add("date_ns < ?", to.UnixNano())
	}
}

// ListActions implements mediation.NetworkStore.
func (s *Store) ListActions(ctx context.Context, f mediation.ActionFilter) ([]mediation.Action, string, error) {
	var w where
	if f.Region != "" {
		w.add("region = ?", f.Region)
	}
	if len(f.Departements) > 0 {
		w.add("departement = ANY(?::text[])", f.Departements)
	}
	if len(f.Types) > 0 {
		w.add("type = ANY(?::text[])", strs(f.Types))
	}
	if f.CoordinatorID != uuid.Nil {
		w.add("coordinator_id = ?::uuid", f.CoordinatorID.String())
	}
	if f.Source != "" {
		w.add("source = ?", f.Source)
	}
	periodWhere(&w, f.From, f.To)
	return list(ctx, s, &actions, w, f.Cursor, f.Limit, f.Matches)
}

// SaveAccompaniments implements mediation.NetworkStore: one transaction,
// one round trip.
func (s *Store) SaveAccompaniments(ctx context.Context, as []mediation.Accompaniment) (int, error) {
	if err := mediation.ValidateBatch("accompaniments", as, s.now()); err != nil {
		return 0, err
	}
	return insert(ctx, s, &accompaniments, as, store.AccompanimentEvent)
}

// ListAccompaniments implements mediation.NetworkStore.
func (s *Store) ListAccompaniments(ctx context.Context, f mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error) {
	var w where
	if f.ActionID != uuid.Nil {
		w.add("action_id = ?::uuid", f.ActionID.String())
	}
	if f.AmbassadorID != uuid.Nil {
		w.add("ambassador_id = ?::uuid", f.AmbassadorID.String())
	}
	if f.Region != "" {
		w.add("region = ?", f.Region)
	}
	if len(f.Departements) > 0 {
		w.add("departement = ANY(?::text[])", f.Departements)
	}
	periodWhere(&w, f.From, f.To)
	return list(ctx, s, &accompaniments, w, f.Cursor, f.Limit, f.Matches)
}

// SaveQuestion implements mediation.NetworkStore.
func (s *Store) SaveQuestion(ctx context.Context, q mediation.Question) error {
	q.Version = 1
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	_, err := insert(ctx, s, &questions, []mediation.Question{q}, func(q *mediation.Question) store.Event {
		return store.QuestionWrite(nil, q, s.now())
	})
	return err
}

// UpdateQuestion implements mediation.NetworkStore.
func (s *Store) UpdateQuestion(ctx context.Context, q *mediation.Question) error {
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	return update(ctx, s, &questions, q, func(q *mediation.Question) *int { return &q.Version }, func(cur, next *mediation.Question) (store.Event, *store.JournalEntry) {
		return store.QuestionWrite(cur, next, s.now()), nil
	})
}

// GetQuestion implements mediation.NetworkStore.
func (s *Store) GetQuestion(ctx context.Context, id uuid.UUID) (mediation.Question, error) {
	return get(ctx, s, &questions, id)
}

// ListQuestions implements mediation.NetworkStore.
func (s *Store) ListQuestions(ctx context.Context, f mediation.QuestionFilter) ([]mediation.Question, string, error) {
	var w where
	if f.Region != "" {
		w.add("region = ?", f.Region)
	}
	if f.CoordinatorID != uuid.Nil {
		w.add("coordinator_id = ?::uuid", f.CoordinatorID.String())
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	return list(ctx, s, &questions, w, f.Cursor, f.Limit, f.Matches)
}

// SearchFAQ implements mediation.NetworkStore: the answered questions are
// read and ranked by mediation.RankFAQ, as every store does.
func (s *Store) SearchFAQ(ctx context.Context, query string, limit int) ([]mediation.Question, error) {
	var answered []mediation.Question
	var w where
	w.add("status = ?", string(mediation.QuestionAnswered))
	cursor := ""
	for {
		page, next, err := list(ctx, s, &questions, w, cursor, mediation.MaxPageSize, nil)
		if err != nil {
			return nil, err
		}
		answered = append(answered, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	return mediation.RankFAQ(answered, query, limit), nil
}

func strs[S ~string](vs []S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
