package evaluation

import (
	"context"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// Records is a Source over records held in memory: for tests, examples and
// callers that already have the records. It gives every record whatever the
// period (Compute ignores the others).
type Records struct {
	Referrals      []referral.Referral
	Actions        []mediation.Action
	Accompaniments []mediation.Accompaniment
	Ambassadors    []mediation.Ambassador
	Coordinators   []mediation.Coordinator
	Trainings      []mediation.Training
}

// Source returns r as a Source.
func (r *Records) Source() Source { return recordsSource{r} }

type recordsSource struct{ r *Records }

func each[T any](ctx context.Context, xs []T, fn func(*T) error) error {
	for i := range xs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(&xs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s recordsSource) Referrals(ctx context.Context, _ Period, fn func(*referral.Referral) error) error {
	return each(ctx, s.r.Referrals, fn)
}

func (s recordsSource) Actions(ctx context.Context, _ Period, fn func(*mediation.Action) error) error {
	return each(ctx, s.r.Actions, fn)
}

func (s recordsSource) Accompaniments(ctx context.Context, _ Period, fn func(*mediation.Accompaniment) error) error {
	return each(ctx, s.r.Accompaniments, fn)
}

func (s recordsSource) Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error {
	return each(ctx, s.r.Ambassadors, fn)
}

func (s recordsSource) Coordinators(ctx context.Context, fn func(*mediation.Coordinator) error) error {
	return each(ctx, s.r.Coordinators, fn)
}

func (s recordsSource) Trainings(ctx context.Context, fn func(*mediation.Training) error) error {
	return each(ctx, s.r.Trainings, fn)
}

// Add feeds every record to a (one pass, in the order held).
func (r *Records) Add(a *Accumulator) {
	for i := range r.Referrals {
		a.AddReferral(&r.Referrals[i])
	}
	for i := range r.Actions {
		a.AddAction(&r.Actions[i])
	}
	for i := range r.Accompaniments {
		a.AddAccompaniment(&r.Accompaniments[i])
	}
	for i := range r.Ambassadors {
		a.AddAmbassador(&r.Ambassadors[i])
	}
	for i := range r.Coordinators {
		a.AddCoordinator(&r.Coordinators[i])
	}
	for i := range r.Trainings {
		a.AddTraining(&r.Trainings[i])
	}
}
