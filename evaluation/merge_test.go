package evaluation

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reportJSON(t *testing.T, r *Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

// split deals the records out to n parts by key(kind, index).
func split(recs *Records, n int, key func(commune, region string, i int) int) []*Records {
	parts := make([]*Records, n)
	for i := range parts {
		parts[i] = &Records{}
	}
	for i := range recs.Referrals {
		r := &recs.Referrals[i]
		p := parts[key(r.Commune, "", i)%n]
		p.Referrals = append(p.Referrals, *r)
	}
	for i := range recs.Actions {
		a := &recs.Actions[i]
		p := parts[key(a.Commune, a.Region, i)%n]
		p.Actions = append(p.Actions, *a)
	}
	for i := range recs.Accompaniments {
		a := &recs.Accompaniments[i]
		p := parts[key(a.Commune, a.Region, i)%n]
		p.Accompaniments = append(p.Accompaniments, *a)
	}
	// Network records go to every part: a record seen twice counts once.
	for _, p := range parts {
		p.Ambassadors, p.Coordinators, p.Trainings = recs.Ambassadors, recs.Coordinators, recs.Trainings
	}
	return parts
}

// TestOnePassMergedParallel: one pass, by région then merged, in parallel
// shards, and Compute give the same report, byte for byte.
func TestOnePassMergedParallel(t *testing.T) {
	ref := testRef(t)
	recs := newGenerator(ref, 30000).Records()
	o := opts(Options{Communes: ref, NoPrevious: true})

	one, err := NewAccumulator(o)
	require.NoError(t, err)
	recs.Add(one)
	want, err := one.Report(o)
	require.NoError(t, err)
	wantJSON := reportJSON(t, want)
	require.False(t, want.Empty)
	require.Greater(t, want.Referrals.Funnel.Completed.N, 1000)

	t.Run("by région then merged", func(t *testing.T) {
		regions := map[string]int{}
		byRegion := split(recs, 64, func(commune, region string, _ int) int {
			if c, ok := ref.Commune(commune); ok {
				region = c.Region
			}
			if _, ok := regions[region]; !ok {
				regions[region] = len(regions)
			}
			return regions[region]
		})
		require.Greater(t, len(regions), 10)
		total, err := NewAccumulator(o)
		require.NoError(t, err)
		for _, p := range byRegion {
			acc, err := NewAccumulator(o)
			require.NoError(t, err)
			p.Add(acc)
			require.NoError(t, total.Merge(acc))
		}
		got, err := total.Report(o)
		require.NoError(t, err)
		assert.Equal(t, wantJSON, reportJSON(t, got))
	})

	t.Run("parallel shards", func(t *testing.T) {
		shards := split(recs, 4, func(_, _ string, i int) int { return i })
		accs := make([]*Accumulator, len(shards))
		var wg sync.WaitGroup
		for i, s := range shards {
			acc, err := NewAccumulator(o)
			require.NoError(t, err)
			accs[i] = acc
			wg.Go(func() { s.Add(acc) })
		}
		wg.Wait()
		// Merge in reverse order: the order must not matter either.
		for i := len(accs) - 1; i > 0; i-- {
			require.NoError(t, accs[0].Merge(accs[i]))
		}
		got, err := accs[0].Report(o)
		require.NoError(t, err)
		assert.Equal(t, wantJSON, reportJSON(t, got))
	})

	t.Run("Compute", func(t *testing.T) {
		got, err := Compute(context.Background(), recs.Source(), o)
		require.NoError(t, err)
		assert.Equal(t, wantJSON, reportJSON(t, got))
	})

	t.Run("Compute streaming", func(t *testing.T) {
		g := newGenerator(ref, 30000)
		got, err := Compute(context.Background(), g, o)
		require.NoError(t, err)
		// The generator gives no coordinators nor trainings.
		want2, err := Compute(context.Background(), (&Records{Referrals: recs.Referrals, Actions: recs.Actions, Accompaniments: recs.Accompaniments, Ambassadors: recs.Ambassadors}).Source(), o)
		require.NoError(t, err)
		assert.Equal(t, reportJSON(t, want2), reportJSON(t, got))
	})
}

func TestMergeMismatch(t *testing.T) {
	ref := testRef(t)
	a, err := NewAccumulator(opts(Options{Communes: ref}))
	require.NoError(t, err)
	b, err := NewAccumulator(opts(Options{Communes: ref, Region: "76"}))
	require.NoError(t, err)
	require.ErrorIs(t, a.Merge(b), ErrMismatch)
	c, err := NewAccumulator(opts(Options{Communes: ref, MaskThreshold: 10}))
	require.NoError(t, err)
	require.ErrorIs(t, a.Merge(c), ErrMismatch)
}

// Records outside the period count nowhere, not even in Records.
func TestOutsidePeriodIgnored(t *testing.T) {
	ref := testRef(t)
	acc, err := NewAccumulator(opts(Options{Communes: ref}))
	require.NoError(t, err)
	r := mkReferral("12208", "", referral.PathwaySelfGuide, "", "2024-12-31")
	acc.AddReferral(&r)
	acc.AddAction(&mediation.Action{Date: day("2026-01-01")})
	rep, err := acc.Report(opts(Options{}))
	require.NoError(t, err)
	assert.True(t, rep.Empty)
	assert.Equal(t, RecordCounts{}, rep.Records)
}
