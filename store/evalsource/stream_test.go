package evalsource_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/store/evalsource"
	"github.com/passerelle-sante/passerelle/store/postgres"
	"github.com/passerelle-sante/passerelle/store/sqlite"
)

// openPostgres opens a store in a fresh schema of the test database, or
// skips when PASSERELLE_TEST_POSTGRES is not set; the schema is dropped at
// the end.
func openPostgres(t testing.TB) store.Store {
	t.Helper()
	url := os.Getenv("PASSERELLE_TEST_POSTGRES")
	if url == "" {
		t.Skip("PASSERELLE_TEST_POSTGRES is not set: PostgreSQL skipped")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "evalsource_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	st, err := postgres.Open(ctx, url, &postgres.Options{Schema: schema})
	require.NoError(t, err)
	t.Cleanup(func() {
		st.Close()
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return st
}

func openSQLite(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "eval.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// enrich adds to the seeded records what the simple seed lacks: follow-up
// assessments, appointments, records outside the period and its previous
// year, actions with participants, themes and ambassadors,
// accompaniments of an action or with a commune of residence.
func enrich(t testing.TB, recs *evaluation.Records) {
	t.Helper()
	for i := range recs.Referrals {
		r := &recs.Referrals[i]
		switch i % 7 {
		case 1:
			if r.Status == referral.StatusCompleted {
				r.FollowUp = &assessment.Result{Instrument: "triage", Version: "1", Level: assessment.LevelIntermediate, Flags: []assessment.Flag{"mes_activated"}}
			}
		case 2:
			r.CreatedAt = r.CreatedAt.AddDate(-3, 0, 0) // before the previous year: outside
			r.History[0].At = r.CreatedAt
		case 3:
			appt := r.CreatedAt.Add(100 * time.Hour)
			r.Appointment = &appt
			r.Commune = "2A004"
		}
	}
	amb := []uuid.UUID{uuid.New(), uuid.New()}
	for i := range recs.Actions {
		a := &recs.Actions[i]
		a.AmbassadorIDs = amb[:1+i%2]
		a.Themes = []mediation.Theme{mediation.Themes()[i%len(mediation.Themes())]}
		if i%4 == 0 {
			a.Participants = mediation.ParticipantCounts{ByAge: map[mediation.AgeBand]int{mediation.AgeBands()[i%len(mediation.AgeBands())]: 7}}
		}
		if i%5 == 0 {
			a.Date = a.Date.AddDate(-4, 0, 0)
			a.RecordedAt = a.Date
		}
	}
	for i := range recs.Accompaniments {
		a := &recs.Accompaniments[i]
		if i%3 == 0 {
			a.ActionID = recs.Actions[i].ID
		}
		a.ResidenceCommune = communes[i%len(communes)]
		a.AgeBand = mediation.AgeBands()[i%len(mediation.AgeBands())]
		a.Equipment = []mediation.Equipment{mediation.Equipments()[i%len(mediation.Equipments())]}
	}
}

func fill(t testing.TB, st store.Store, recs *evaluation.Records) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, st.SaveReferrals(ctx, recs.Referrals))
	_, err := st.SaveActions(ctx, recs.Actions)
	require.NoError(t, err)
	_, err = st.SaveAccompaniments(ctx, recs.Accompaniments)
	require.NoError(t, err)
}

// Streaming gives the same report, byte for byte, as paging through the
// same store, and as the records themselves, on each store.
func TestStreamSamePaged(t *testing.T) {
	ctx := context.Background()
	_, recs := seed(t, ctx, 700)
	enrich(t, recs)
	o := evaluation.Options{
		Period: evaluation.Period{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Now:    func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) },
	}
	want, err := evaluation.Compute(ctx, recs.Source(), o)
	require.NoError(t, err)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	require.Positive(t, want.Records.Referrals)
	for name, open := range map[string]func(testing.TB) store.Store{
		"memory":   func(testing.TB) store.Store { st, _ := seed(t, ctx, 0); return st },
		"sqlite":   openSQLite,
		"postgres": openPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			fill(t, st, recs)
			src := evalsource.New(st, 0)
			require.True(t, src.Streaming(), "%T should stream", st)
			streamed, err := evaluation.Compute(ctx, src, o)
			require.NoError(t, err)
			paged, err := evaluation.Compute(ctx, evalsource.Paged(st, 53), o)
			require.NoError(t, err)
			sj, _ := json.Marshal(streamed)
			pj, _ := json.Marshal(paged)
			if !bytes.Equal(sj, pj) {
				t.Errorf("streamed and paged reports differ:\nstreamed %s\npaged    %s", sj, pj)
			}
			if !bytes.Equal(sj, wantJSON) {
				t.Errorf("streamed report differs from the records':\nstreamed %s\nrecords  %s", sj, wantJSON)
			}
		})
	}
}

// Each stream gives exactly the records of the period, once each, and
// stops with fn's error.
func TestStreamPeriodAndStop(t *testing.T) {
	ctx := context.Background()
	_, recs := seed(t, ctx, 300)
	enrich(t, recs)
	from, to := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	wantRef := map[uuid.UUID]bool{}
	for _, r := range recs.Referrals {
		if store.InPeriod(r.CreatedAt, from, to) {
			wantRef[r.ID] = true
		}
	}
	wantAct := map[uuid.UUID]bool{}
	for _, a := range recs.Actions {
		if store.InPeriod(a.Date, from, to) {
			wantAct[a.ID] = true
		}
	}
	for name, open := range map[string]func(testing.TB) store.Store{
		"memory":   func(testing.TB) store.Store { st, _ := seed(t, ctx, 0); return st },
		"sqlite":   openSQLite,
		"postgres": openPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			fill(t, st, recs)
			sm := st.(store.Streamer)
			got := map[uuid.UUID]bool{}
			require.NoError(t, sm.StreamReferrals(ctx, from, to, func(r *referral.Referral) error {
				require.False(t, got[r.ID], "referral %s twice", r.ID)
				got[r.ID] = true
				require.Equal(t, 1, r.Version)
				return nil
			}))
			require.Equal(t, wantRef, got)
			gotAct := map[uuid.UUID]bool{}
			require.NoError(t, sm.StreamActions(ctx, from, to, func(a *mediation.Action) error { gotAct[a.ID] = true; return nil }))
			require.Equal(t, wantAct, gotAct)
			n := 0
			require.NoError(t, sm.StreamAccompaniments(ctx, time.Time{}, time.Time{}, func(*mediation.Accompaniment) error { n++; return nil }))
			require.Equal(t, len(recs.Accompaniments), n)

			seen := 0
			err := sm.StreamReferrals(ctx, time.Time{}, time.Time{}, func(*referral.Referral) error {
				seen++
				if seen == 3 {
					return context.DeadlineExceeded
				}
				return nil
			})
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.Equal(t, 3, seen)
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			require.Error(t, sm.StreamActions(cctx, time.Time{}, time.Time{}, func(*mediation.Action) error { return nil }))
		})
	}
}
