// Package evalsource makes any store.Store an evaluation.Source, reading
// each kind of record page by page through the stores' list methods, so the
// evaluation streams a SQL store without loading it whole.
//
// It sits beside the store implementations because the evaluation package,
// a domain package, does not import store.
package evalsource

import (
	"context"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
)

// DefaultPageSize is how many records one list call asks for.
const DefaultPageSize = 1000

// Source reads a store.Store for an evaluation.
type Source struct {
	st       store.Store
	pageSize int
}

var _ evaluation.Source = (*Source)(nil)

// New returns a Source over st asking pageSize records per call (0 means
// DefaultPageSize).
func New(st store.Store, pageSize int) *Source {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	return &Source{st: st, pageSize: pageSize}
}

// pages calls list with the cursor of each page until the last one, and fn
// for every record.
func pages[T any](ctx context.Context, list func(cursor string) ([]T, string, error), fn func(*T) error) error {
	cursor := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, next, err := list(cursor)
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if next == "" || len(page) == 0 {
			return nil
		}
		cursor = next
	}
}

// Referrals implements evaluation.Source.
func (s *Source) Referrals(ctx context.Context, p evaluation.Period, fn func(*referral.Referral) error) error {
	return pages(ctx, func(c string) ([]referral.Referral, string, error) {
		return s.st.List(ctx, referral.Filter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Actions implements evaluation.Source.
func (s *Source) Actions(ctx context.Context, p evaluation.Period, fn func(*mediation.Action) error) error {
	return pages(ctx, func(c string) ([]mediation.Action, string, error) {
		return s.st.ListActions(ctx, mediation.ActionFilter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Accompaniments implements evaluation.Source.
func (s *Source) Accompaniments(ctx context.Context, p evaluation.Period, fn func(*mediation.Accompaniment) error) error {
	return pages(ctx, func(c string) ([]mediation.Accompaniment, string, error) {
		return s.st.ListAccompaniments(ctx, mediation.AccompanimentFilter{From: p.From, To: p.To, Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Ambassadors implements evaluation.Source.
func (s *Source) Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error {
	return pages(ctx, func(c string) ([]mediation.Ambassador, string, error) {
		return s.st.ListAmbassadors(ctx, mediation.AmbassadorFilter{Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Trainings implements evaluation.Source.
func (s *Source) Trainings(ctx context.Context, fn func(*mediation.Training) error) error {
	return pages(ctx, func(c string) ([]mediation.Training, string, error) {
		return s.st.ListTrainings(ctx, mediation.TrainingFilter{Limit: s.pageSize, Cursor: c})
	}, fn)
}

// Coordinators implements evaluation.Source.
func (s *Source) Coordinators(ctx context.Context, fn func(*mediation.Coordinator) error) error {
	cs, err := s.st.ListCoordinators(ctx, "")
	if err != nil {
		return err
	}
	for i := range cs {
		if err := fn(&cs[i]); err != nil {
			return err
		}
	}
	return nil
}
