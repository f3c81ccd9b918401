package evalsource_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/memory"
	"github.com/passerelle-sante/passerelle/store/sqlite"
	"github.com/passerelle-sante/passerelle/territory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var communes = []string{"12208", "75056", "31555", "12202", "13055"}

// seed stores n referrals through their lifecycle, a few actions and
// accompaniments, and returns the same records for comparison.
func seed(t testing.TB, ctx context.Context, n int) (*memory.Store, *evaluation.Records) {
	t.Helper()
	st := memory.New(nil)
	recs := &evaluation.Records{}
	start := time.Date(2025, 1, 3, 9, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i%300) * 29 * time.Hour)
		r := referral.Referral{
			ID: uuid.New(), PersonID: uuid.NewString(), Commune: communes[i%len(communes)], AgeBand: referral.AgeBands()[i%6],
			CreatedAt: at, By: referral.ActorDesk, Pathway: referral.PathwayMediationPlace, PlaceID: "place-1",
			Assessment: referral.AssessmentRef{Instrument: "test", Level: assessment.LevelBeginner}, RulesVersion: "test",
			Status: referral.StatusProposed, UpdatedAt: at,
			History: []referral.StatusChange{{To: referral.StatusProposed, At: at, By: referral.ActorDesk}},
		}
		steps := i % 5
		day := func(d int) time.Time { return at.Add(time.Duration(d) * 24 * time.Hour) }
		if steps >= 1 {
			require.NoError(t, r.Transition(referral.StatusAccepted, day(1), referral.ActorPerson, nil))
		}
		if steps >= 2 {
			require.NoError(t, r.Transition(referral.StatusScheduled, day(2), referral.ActorMediator, &referral.TransitionOptions{Appointment: day(5)}))
		}
		if steps >= 3 {
			require.NoError(t, r.Transition(referral.StatusAttended, day(5), referral.ActorMediator, nil))
		}
		if steps >= 4 {
			require.NoError(t, r.Transition(referral.StatusCompleted, day(9), referral.ActorMediator,
				&referral.TransitionOptions{Autonomy: referral.AutonomyAutonomous}))
		}
		require.NoError(t, st.Save(ctx, r))
		recs.Referrals = append(recs.Referrals, r)
	}
	for i := range min(n/3, 120) {
		a := mediation.Action{
			ID: uuid.New(), Type: mediation.ActionActivationWorkshop, Date: start.Add(time.Duration(i) * 70 * time.Hour),
			DurationMinutes: 90, Commune: "12208", Departement: "12", Region: "76", PeopleSensitised: 12, AccountsActivated: 3,
			Organiser: "CPAM de l'Aveyron", RecordedAt: start.Add(time.Duration(i) * 70 * time.Hour),
		}
		recs.Actions = append(recs.Actions, a)
		acc := mediation.Accompaniment{
			ID: uuid.New(), Date: a.Date, DurationMinutes: 30, Commune: "31555", Departement: "31", Region: "76",
			Autonomy: mediation.AutonomyPartial, RecordedAt: a.Date,
		}
		recs.Accompaniments = append(recs.Accompaniments, acc)
	}
	_, err := st.SaveActions(ctx, recs.Actions)
	require.NoError(t, err)
	_, err = st.SaveAccompaniments(ctx, recs.Accompaniments)
	require.NoError(t, err)
	return st, recs
}

// The adapter gives Compute exactly what the records give, page after page.
func TestSourceMatchesRecords(t *testing.T) {
	ctx := context.Background()
	st, recs := seed(t, ctx, 160)
	defer st.Close()
	ref, err := territory.Default()
	require.NoError(t, err)
	now := func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }
	o := evaluation.Options{
		Period:   evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Communes: ref, Now: now,
	}
	want, err := evaluation.Compute(ctx, recs.Source(), o)
	require.NoError(t, err)
	require.Equal(t, 160, want.Records.Referrals)
	for _, page := range []int{0, 7, 1000} {
		got, err := evaluation.Compute(ctx, evalsource.New(st, page), o)
		require.NoError(t, err)
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		assert.JSONEq(t, string(wj), string(gj), "page size %d", page)
	}
	assert.Equal(t, evaluation.Count{N: 32}, want.Referrals.Funnel.Completed)
	assert.Equal(t, 53, want.Records.Actions)
}

func TestSourceStopsOnError(t *testing.T) {
	ctx := context.Background()
	st, _ := seed(t, ctx, 30)
	defer st.Close()
	src := evalsource.New(st, 4)
	seen := 0
	stop := assert.AnError
	err := src.Referrals(ctx, evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		func(*referral.Referral) error {
			seen++
			if seen == 6 {
				return stop
			}
			return nil
		})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 6, seen)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, src.Actions(cctx, evaluation.Period{}, func(*mediation.Action) error { return nil }), context.Canceled)
}

// The same holds over SQLite, the store the command line opens.
func TestSourceSQLite(t *testing.T) {
	ctx := context.Background()
	mem, recs := seed(t, ctx, 60)
	mem.Close()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "eval.db"), nil)
	require.NoError(t, err)
	defer st.Close()
	for _, r := range recs.Referrals {
		require.NoError(t, st.Save(ctx, r))
	}
	_, err = st.SaveActions(ctx, recs.Actions)
	require.NoError(t, err)
	_, err = st.SaveAccompaniments(ctx, recs.Accompaniments)
	require.NoError(t, err)
	o := evaluation.Options{
		Period: evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Now:    func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) },
	}
	want, err := evaluation.Compute(ctx, recs.Source(), o)
	require.NoError(t, err)
	got, err := evaluation.Compute(ctx, evalsource.New(st, 9), o)
	require.NoError(t, err)
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	assert.JSONEq(t, string(wj), string(gj))
	assert.Equal(t, 60, got.Records.Referrals)
}
