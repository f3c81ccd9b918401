package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/store"
)

// collection keeps records of one kind as JSON (a deep copy in and out),
// ordered by id as a string, as NetworkStore's List methods return them.
type collection struct {
	docs map[string][]byte
	ids  []string // sorted
}

func (c *collection) has(id uuid.UUID) bool {
	_, ok := c.docs[id.String()]
	return ok
}

// encode is the stored form of a record; a value JSON cannot hold is
// refused before anything is written.
func encode(kind string, id uuid.UUID, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", mediation.ErrInvalidRecord, kind, id, err)
	}
	return b, nil
}

func (c *collection) put(id uuid.UUID, b []byte) {
	if c.docs == nil {
		c.docs = map[string][]byte{}
	}
	k := id.String()
	if _, ok := c.docs[k]; !ok {
		i, _ := slices.BinarySearch(c.ids, k)
		c.ids = slices.Insert(c.ids, i, k)
	}
	c.docs[k] = b
}

func (c *collection) delete(k string) {
	delete(c.docs, k)
	if i, ok := slices.BinarySearch(c.ids, k); ok {
		c.ids = slices.Delete(c.ids, i, i+1)
	}
}

func get[T any](c *collection, id uuid.UUID, kind string) (T, error) {
	var v T
	b, ok := c.docs[id.String()]
	if !ok {
		return v, fmt.Errorf("%w: %s %s", mediation.ErrNotFound, kind, id)
	}
	err := json.Unmarshal(b, &v)
	return v, err
}

// list returns the records after cursor that pass match, at most limit,
// and the next cursor.
func list[T any](c *collection, cursor string, limit int, match func(*T) bool) ([]T, string, error) {
	limit = mediation.PageSize(limit)
	start := 0
	if cursor != "" {
		start, _ = slices.BinarySearch(c.ids, cursor)
		if start < len(c.ids) && c.ids[start] == cursor {
			start++
		}
	}
	var out []T
	for _, k := range c.ids[start:] {
		var v T
		if err := json.Unmarshal(c.docs[k], &v); err != nil {
			return nil, "", err
		}
		if !match(&v) {
			continue
		}
		if len(out) == limit {
			return out, lastID(out), nil
		}
		out = append(out, v)
	}
	return out, "", nil
}

func lastID[T any](out []T) string {
	var probe struct {
		ID uuid.UUID `json:"id"`
	}
	b, _ := json.Marshal(out[len(out)-1])
	_ = json.Unmarshal(b, &probe)
	return probe.ID.String()
}

func (s *Store) event(e store.Event) { s.events = append(s.events, outboxEvent{Event: e}) }

// SaveCoordinator implements mediation.NetworkStore.
func (s *Store) SaveCoordinator(ctx context.Context, c mediation.Coordinator) error {
	if err := c.ValidateAt(s.now()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.coordinators.has(c.ID) {
		return nil
	}
	b, err := encode("coordinator", c.ID, c)
	if err != nil {
		return err
	}
	s.coordinators.put(c.ID, b)
	s.event(store.CoordinatorEvent(&c, s.now()))
	return nil
}

// GetCoordinator implements mediation.NetworkStore.
func (s *Store) GetCoordinator(ctx context.Context, id uuid.UUID) (mediation.Coordinator, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return mediation.Coordinator{}, err
	}
	return get[mediation.Coordinator](&s.coordinators, id, "coordinator")
}

// ListCoordinators implements mediation.NetworkStore.
func (s *Store) ListCoordinators(ctx context.Context, region string) ([]mediation.Coordinator, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var out []mediation.Coordinator
	for cursor := ""; ; {
		page, next, err := list(&s.coordinators, cursor, mediation.MaxPageSize, func(c *mediation.Coordinator) bool { return region == "" || c.Region == region })
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.ambassadors.has(a.ID) {
		return nil
	}
	a.Version = 1
	b, err := encode("ambassador", a.ID, a)
	if err != nil {
		return err
	}
	s.ambassadors.put(a.ID, b)
	ev, _ := store.AmbassadorWrite(nil, &a, "", s.now())
	s.event(ev)
	return nil
}

// UpdateAmbassador implements mediation.NetworkStore.
func (s *Store) UpdateAmbassador(ctx context.Context, a *mediation.Ambassador) error {
	if err := a.ValidateAt(s.now()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	cur, next, err := replaceVersioned(&s.ambassadors, "ambassador", a.ID, *a,
		func(x *mediation.Ambassador) *int { return &x.Version })
	if err != nil {
		return err
	}
	ev, je := store.AmbassadorWrite(&cur, &next, "", s.now())
	s.event(ev)
	if je != nil {
		s.appendLocked(*je)
	}
	a.Version = next.Version
	return nil
}

// GetAmbassador implements mediation.NetworkStore.
func (s *Store) GetAmbassador(ctx context.Context, id uuid.UUID) (mediation.Ambassador, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return mediation.Ambassador{}, err
	}
	return get[mediation.Ambassador](&s.ambassadors, id, "ambassador")
}

// ListAmbassadors implements mediation.NetworkStore.
func (s *Store) ListAmbassadors(ctx context.Context, f mediation.AmbassadorFilter) ([]mediation.Ambassador, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	return list(&s.ambassadors, f.Cursor, f.Limit, f.Matches)
}

// SaveTraining implements mediation.NetworkStore.
func (s *Store) SaveTraining(ctx context.Context, t mediation.Training) error {
	if err := t.ValidateAt(s.now()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.trainings.has(t.ID) {
		return nil
	}
	b, err := encode("training", t.ID, t)
	if err != nil {
		return err
	}
	s.trainings.put(t.ID, b)
	s.event(store.TrainingEvent(&t))
	return nil
}

// ListTrainings implements mediation.NetworkStore.
func (s *Store) ListTrainings(ctx context.Context, f mediation.TrainingFilter) ([]mediation.Training, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	return list(&s.trainings, f.Cursor, f.Limit, f.Matches)
}

// SaveActions implements mediation.NetworkStore.
func (s *Store) SaveActions(ctx context.Context, as []mediation.Action) (int, error) {
	return saveBatch(ctx, s, "actions", "action", as, &s.actions,
		func(a *mediation.Action) uuid.UUID { return a.ID }, store.ActionEvent)
}

// ListActions implements mediation.NetworkStore.
func (s *Store) ListActions(ctx context.Context, f mediation.ActionFilter) ([]mediation.Action, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	return list(&s.actions, f.Cursor, f.Limit, f.Matches)
}

// SaveAccompaniments implements mediation.NetworkStore.
func (s *Store) SaveAccompaniments(ctx context.Context, as []mediation.Accompaniment) (int, error) {
	return saveBatch(ctx, s, "accompaniments", "accompaniment", as, &s.accompaniments,
		func(a *mediation.Accompaniment) uuid.UUID { return a.ID }, store.AccompanimentEvent)
}

// saveBatch stores the records of batch not yet in c, all or nothing, with
// one event each, and returns how many were new. The batch is validated and
// encoded before the lock is taken, so a bad record changes nothing.
func saveBatch[T any, P interface {
	*T
	ValidateAt(time.Time) error
}](ctx context.Context, s *Store, kind, what string, batch []T, c *collection, id func(*T) uuid.UUID, event func(*T) store.Event) (int, error) {
	if err := mediation.ValidateBatch[T, P](kind, batch, s.now()); err != nil {
		return 0, err
	}
	docs := make([][]byte, len(batch))
	for i := range batch {
		b, err := encode(fmt.Sprintf("%s[%d]: %s", kind, i, what), id(&batch[i]), batch[i])
		if err != nil {
			return 0, err
		}
		docs[i] = b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	n := 0
	for i := range batch {
		if c.has(id(&batch[i])) {
			continue
		}
		c.put(id(&batch[i]), docs[i])
		s.event(event(&batch[i]))
		n++
	}
	return n, nil
}

// ListAccompaniments implements mediation.NetworkStore.
func (s *Store) ListAccompaniments(ctx context.Context, f mediation.AccompanimentFilter) ([]mediation.Accompaniment, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	return list(&s.accompaniments, f.Cursor, f.Limit, f.Matches)
}

// SaveQuestion implements mediation.NetworkStore.
func (s *Store) SaveQuestion(ctx context.Context, q mediation.Question) error {
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	if s.questions.has(q.ID) {
		return nil
	}
	q.Version = 1
	b, err := encode("question", q.ID, q)
	if err != nil {
		return err
	}
	s.questions.put(q.ID, b)
	s.event(store.QuestionWrite(nil, &q, s.now()))
	return nil
}

// UpdateQuestion implements mediation.NetworkStore.
func (s *Store) UpdateQuestion(ctx context.Context, q *mediation.Question) error {
	if err := q.ValidateAt(s.now()); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	cur, next, err := replaceVersioned(&s.questions, "question", q.ID, *q,
		func(x *mediation.Question) *int { return &x.Version })
	if err != nil {
		return err
	}
	s.event(store.QuestionWrite(&cur, &next, s.now()))
	q.Version = next.Version
	return nil
}

// GetQuestion implements mediation.NetworkStore.
func (s *Store) GetQuestion(ctx context.Context, id uuid.UUID) (mediation.Question, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return mediation.Question{}, err
	}
	return get[mediation.Question](&s.questions, id, "question")
}

// ListQuestions implements mediation.NetworkStore.
func (s *Store) ListQuestions(ctx context.Context, f mediation.QuestionFilter) ([]mediation.Question, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, "", err
	}
	return list(&s.questions, f.Cursor, f.Limit, f.Matches)
}

// SearchFAQ implements mediation.NetworkStore.
func (s *Store) SearchFAQ(ctx context.Context, query string, limit int) ([]mediation.Question, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var answered []mediation.Question
	for _, k := range s.questions.ids {
		var q mediation.Question
		if err := json.Unmarshal(s.questions.docs[k], &q); err != nil {
			return nil, err
		}
		if q.Status == mediation.QuestionAnswered {
			answered = append(answered, q)
		}
	}
	return mediation.RankFAQ(answered, query, limit), nil
}

// purgeNetwork deletes the actions and accompaniments dated before the
// cutoff; the caller holds the lock.
func (s *Store) purgeNetwork(rep *store.PurgeReport) {
	for _, k := range slices.Clone(s.actions.ids) {
		var a mediation.Action
		if json.Unmarshal(s.actions.docs[k], &a) == nil && a.Date.Before(rep.Before) {
			s.actions.delete(k)
			rep.Actions++
		}
	}
	for _, k := range slices.Clone(s.accompaniments.ids) {
		var a mediation.Accompaniment
		if json.Unmarshal(s.accompaniments.docs[k], &a) == nil && a.Date.Before(rep.Before) {
			s.accompaniments.delete(k)
			rep.Accompaniments++
		}
	}
}

// replaceVersioned stores rec in c at the next version when the stored
// record id is at rec's version (optimistic concurrency), and returns the
// record as it was and as it is now. The caller holds the write lock.
func replaceVersioned[T any](c *collection, kind string, id uuid.UUID, rec T, version func(*T) *int) (cur, next T, err error) {
	cur, err = get[T](c, id, kind)
	if err != nil {
		return cur, next, err
	}
	if have, want := *version(&cur), *version(&rec); have != want {
		return cur, next, fmt.Errorf("%w: %s %s is at version %d, the update was made on version %d", mediation.ErrConflict, kind, id, have, want)
	}
	next = rec
	*version(&next)++
	b, err := encode(kind, id, next)
	if err != nil {
		return cur, next, err
	}
	c.put(id, b)
	return cur, next, nil
}
