package mediation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// NetworkStore keeps the records of the ambassador scheme. It is declared
// here, where it is used, and implemented in store/memory, store/sqlite and
// store/postgres, which all pass the same conformance suite. Every method is
// safe for concurrent use.
//
// Rules common to every method:
//   - a record is validated (ValidateAt with the store's clock) before it is
//     written, and an invalid one is refused with an error wrapping
//     ErrInvalidRecord; a batch (SaveActions, SaveAccompaniments) is
//     all-or-nothing: one invalid record and nothing is stored (see
//     ValidateBatch);
//   - Save* are idempotent on ID: saving an id already stored does nothing
//     and is not an error (imports derive ids with ExternalUUID, so a file
//     imported twice stores nothing new);
//   - Update* use optimistic concurrency: the stored Version must equal the
//     given one, then Version is incremented (ErrConflict, ErrNotFound);
//   - List* return records in ascending order of ID (as a string), at most
//     Limit (0: 100, capped at 1000), with the cursor of the next page (""
//     at the end): the cursor is the last ID returned.
type NetworkStore interface {
	// SaveCoordinator stores a coordinator (idempotent on ID).
	SaveCoordinator(ctx context.Context, c Coordinator) error
	// GetCoordinator returns the coordinator, or ErrNotFound.
	GetCoordinator(ctx context.Context, id uuid.UUID) (Coordinator, error)
	// ListCoordinators returns the coordinators of a région ("" for all),
	// in ID order.
	ListCoordinators(ctx context.Context, region string) ([]Coordinator, error)

	// SaveAmbassador stores a new ambassador at Version 1 (idempotent on
	// ID).
	SaveAmbassador(ctx context.Context, a Ambassador) error
	// UpdateAmbassador replaces the stored ambassador when its Version
	// equals a.Version, then increments a.Version.
	UpdateAmbassador(ctx context.Context, a *Ambassador) error
	// GetAmbassador returns the ambassador, or ErrNotFound.
	GetAmbassador(ctx context.Context, id uuid.UUID) (Ambassador, error)
	// ListAmbassadors returns the ambassadors that pass f.
	ListAmbassadors(ctx context.Context, f AmbassadorFilter) ([]Ambassador, string, error)

	// SaveTraining stores a training (idempotent on ID).
	SaveTraining(ctx context.Context, t Training) error
	// ListTrainings returns the trainings that pass f.
	ListTrainings(ctx context.Context, f TrainingFilter) ([]Training, string, error)

	// SaveActions stores the actions all or nothing and returns how many
	// were new (the others were already stored under the same ID).
	SaveActions(ctx context.Context, as []Action) (int, error)
	// ListActions returns the actions that pass f.
	ListActions(ctx context.Context, f ActionFilter) ([]Action, string, error)

	// SaveAccompaniments stores the accompaniments all or nothing and
	// returns how many were new.
	SaveAccompaniments(ctx context.Context, as []Accompaniment) (int, error)
	// ListAccompaniments returns the accompaniments that pass f.
	ListAccompaniments(ctx context.Context, f AccompanimentFilter) ([]Accompaniment, string, error)

	// SaveQuestion stores a new question at Version 1 (idempotent on ID).
	SaveQuestion(ctx context.Context, q Question) error
	// UpdateQuestion replaces the stored question when its Version equals
	// q.Version (an answer, new tags), then increments q.Version.
	UpdateQuestion(ctx context.Context, q *Question) error
	// GetQuestion returns the question, or ErrNotFound.
	GetQuestion(ctx context.Context, id uuid.UUID) (Question, error)
	// ListQuestions returns the questions that pass f.
	ListQuestions(ctx context.Context, f QuestionFilter) ([]Question, string, error)
	// SearchFAQ returns the answered questions that hold every word of
	// query, ranked as RankFAQ ranks them, at most limit (0: 20).
	SearchFAQ(ctx context.Context, query string, limit int) ([]Question, error)
}

// Page sizes of List methods.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// PageSize returns the page size a List method uses for limit.
func PageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}

// AfterCursor says whether id comes after the cursor of a page ("" is the
// first page).
func AfterCursor(id uuid.UUID, cursor string) bool {
	return cursor == "" || id.String() > cursor
}

// ValidateBatch validates every record of a batch with ValidateAt(now) and
// returns an error naming the first invalid record by its index
// ("actions[3]: invalid action …"), wrapping ErrInvalidRecord, or nil.
// Stores call it before writing anything, so a batch is all or nothing.
func ValidateBatch[T any, P interface {
	*T
	ValidateAt(time.Time) error
}](kind string, batch []T, now time.Time) error {
	for i := range batch {
		if err := P(&batch[i]).ValidateAt(now); err != nil {
			return fmt.Errorf("%s[%d]: %w", kind, i, err)
		}
	}
	return nil
}

// AmbassadorFilter selects ambassadors. Empty fields do not filter; a
// slice matches any of its values.
type AmbassadorFilter struct {
	Region        string
	CoordinatorID uuid.UUID
	// Departement matches an ambassador serving it, directly or through
	// one of its communes.
	Departement string
	// PlaceID matches an ambassador acting in that place.
	PlaceID string
	Status  []AmbassadorStatus
	Kind    []AmbassadorKind
	Limit   int
	Cursor  string
}

// Matches says whether a passes f (cursor and limit aside).
func (f *AmbassadorFilter) Matches(a *Ambassador) bool {
	if f.Region != "" && a.Region != f.Region {
		return false
	}
	if f.CoordinatorID != uuid.Nil && a.CoordinatorID != f.CoordinatorID {
		return false
	}
	if f.Departement != "" && !slices.Contains(a.Departements, f.Departement) &&
		!slices.ContainsFunc(a.Communes, func(c string) bool { return DepartementOfCommune(c) == f.Departement }) {
		return false
	}
	if f.PlaceID != "" && !slices.Contains(a.PlaceIDs, f.PlaceID) {
		return false
	}
	if len(f.Status) > 0 && !slices.Contains(f.Status, a.Status) {
		return false
	}
	if len(f.Kind) > 0 && !slices.Contains(f.Kind, a.Kind) {
		return false
	}
	return true
}

// TrainingFilter selects trainings. Empty fields do not filter.
type TrainingFilter struct {
	AmbassadorID uuid.UUID
	PlaceID      string
	Module       string
	Limit        int
	Cursor       string
}

// Matches says whether t passes f (cursor and limit aside).
func (f *TrainingFilter) Matches(t *Training) bool {
	return (f.AmbassadorID == uuid.Nil || t.AmbassadorID == f.AmbassadorID) &&
		(f.PlaceID == "" || t.PlaceID == f.PlaceID) &&
		(f.Module == "" || t.Module == f.Module)
}

// ActionFilter selects actions. Empty fields do not filter; a slice
// matches any of its values.
type ActionFilter struct {
	Region       string
	Departements []string
	Types        []ActionType
	// AmbassadorID matches an action the ambassador took part in.
	AmbassadorID  uuid.UUID
	CoordinatorID uuid.UUID
	Source        string
	// From and To bound Date: From ≤ Date < To.
	From, To time.Time
	Limit    int
	Cursor   string
}

// Matches says whether a passes f (cursor and limit aside).
func (f *ActionFilter) Matches(a *Action) bool {
	return (f.Region == "" || a.Region == f.Region) &&
		(len(f.Departements) == 0 || slices.Contains(f.Departements, a.Departement)) &&
		(len(f.Types) == 0 || slices.Contains(f.Types, a.Type)) &&
		(f.AmbassadorID == uuid.Nil || slices.Contains(a.AmbassadorIDs, f.AmbassadorID)) &&
		(f.CoordinatorID == uuid.Nil || a.CoordinatorID == f.CoordinatorID) &&
		(f.Source == "" || a.Source == f.Source) &&
		inPeriod(a.Date, f.From, f.To)
}

func inPeriod(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

// AccompanimentFilter selects accompaniments. Empty fields do not filter.
type AccompanimentFilter struct {
	ActionID     uuid.UUID
	AmbassadorID uuid.UUID
	Region       string
	Departements []string
	// From and To bound Date: From ≤ Date < To.
	From, To time.Time
	Limit    int
	Cursor   string
}

// Matches says whether a passes f (cursor and limit aside).
func (f *AccompanimentFilter) Matches(a *Accompaniment) bool {
	return (f.ActionID == uuid.Nil || a.ActionID == f.ActionID) &&
		(f.AmbassadorID == uuid.Nil || a.AmbassadorID == f.AmbassadorID) &&
		(f.Region == "" || a.Region == f.Region) &&
		(len(f.Departements) == 0 || slices.Contains(f.Departements, a.Departement)) &&
		inPeriod(a.Date, f.From, f.To)
}

// QuestionFilter selects questions. Empty fields do not filter.
type QuestionFilter struct {
	Region        string
	CoordinatorID uuid.UUID
	Status        QuestionStatus
	// Tag matches a question holding this tag (case and accents ignored).
	Tag    string
	Limit  int
	Cursor string
}

// Matches says whether q passes f (cursor and limit aside).
func (f *QuestionFilter) Matches(q *Question) bool {
	if f.Tag != "" {
		tag := strings.Join(FAQTerms(f.Tag), " ")
		if !slices.ContainsFunc(q.Tags, func(t string) bool { return strings.Join(FAQTerms(t), " ") == tag }) {
			return false
		}
	}
	return (f.Region == "" || q.Region == f.Region) &&
		(f.CoordinatorID == uuid.Nil || q.CoordinatorID == f.CoordinatorID) &&
		(f.Status == "" || q.Status == f.Status)
}
