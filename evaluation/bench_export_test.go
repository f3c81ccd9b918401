package evaluation

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// BenchGen is the benchmarks' record generator as the store benchmarks of
// package evaluation_test see it (store_bench_test.go): the same records,
// made valid for a store's checks (a pseudonymous person id, an actor, no
// more accounts activated than people sensitised). It is also a Source
// streaming exactly those records.
type BenchGen struct {
	g *generator
}

// NewBenchGen returns the generator of total records (60 % referrals, 15 %
// actions, 25 % accompaniments) over 2025.
func NewBenchGen(tb testing.TB, total int) *BenchGen {
	g := newGenerator(testRef(tb), total)
	// Keep the communes whose codes a store accepts on an action (the
	// overseas collectivities are not régions).
	g.communes = slices.DeleteFunc(g.communes, func(c territory.Commune) bool {
		return !mediation.ValidCommuneCode(c.Code) || !mediation.ValidDepartementCode(c.Departement) || !mediation.ValidRegionCode(c.Region)
	})
	now := time.Now()
	g.ambassadors = slices.DeleteFunc(g.ambassadors, func(a mediation.Ambassador) bool {
		if a.StatusSince.Before(a.JoinedAt) {
			a.StatusSince = a.JoinedAt
		}
		return a.ValidateAt(now) != nil
	})
	for i := range g.ambassadors {
		if a := &g.ambassadors[i]; a.StatusSince.Before(a.JoinedAt) {
			a.StatusSince = a.JoinedAt // left after joining, as a store requires
		}
	}
	return &BenchGen{g: g}
}

// BenchYear is the period the generated records fall in.
var BenchYear = year2025

// Counts returns how many referrals, actions and accompaniments there are.
func (b *BenchGen) Counts() (referrals, actions, accompaniments int) {
	return b.g.referrals, b.g.actions, b.g.accs
}

// AmbassadorList returns the generated ambassadors.
func (b *BenchGen) AmbassadorList() []mediation.Ambassador { return b.g.ambassadors }

// Referral fills r with the i-th referral.
func (b *BenchGen) Referral(i int, r *referral.Referral) {
	b.g.referral(i, r)
	r.ID[15] = 1 // the 0th is not the nil uuid
	r.PersonID = uuid.UUID{9, byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)}.String()
	r.By = referral.ActorDesk
	r.RulesVersion = "bench-1"
	r.Assessment.Instrument = "triage"
	r.UpdatedAt = r.History[len(r.History)-1].At
}

// Action fills a with the i-th action.
func (b *BenchGen) Action(i int, a *mediation.Action) {
	b.g.action(i, a)
	a.AccountsActivated = min(a.AccountsActivated, a.PeopleSensitised)
}

// Accompaniment fills a with the i-th accompaniment.
func (b *BenchGen) Accompaniment(i int, a *mediation.Accompaniment) { b.g.accompaniment(i, a) }

// Referrals implements Source.
func (b *BenchGen) Referrals(ctx context.Context, _ Period, fn func(*referral.Referral) error) error {
	var r referral.Referral
	for i := range b.g.referrals {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b.Referral(i, &r)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// Actions implements Source.
func (b *BenchGen) Actions(ctx context.Context, _ Period, fn func(*mediation.Action) error) error {
	var a mediation.Action
	for i := range b.g.actions {
		if i%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b.Action(i, &a)
		if err := fn(&a); err != nil {
			return err
		}
	}
	return nil
}

// Accompaniments implements Source.
func (b *BenchGen) Accompaniments(ctx context.Context, p Period, fn func(*mediation.Accompaniment) error) error {
	return b.g.Accompaniments(ctx, p, fn)
}

// Ambassadors implements Source.
func (b *BenchGen) Ambassadors(ctx context.Context, fn func(*mediation.Ambassador) error) error {
	return b.g.Ambassadors(ctx, fn)
}

// Coordinators implements Source: the generator has none.
func (b *BenchGen) Coordinators(context.Context, func(*mediation.Coordinator) error) error {
	return nil
}

// Trainings implements Source: the generator has none.
func (b *BenchGen) Trainings(context.Context, func(*mediation.Training) error) error { return nil }

var _ Source = (*BenchGen)(nil)
