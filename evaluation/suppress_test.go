package evaluation

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

func column(raw []int64, th int) []Count {
	out := make([]Count, len(raw))
	cells := make([]*Count, len(raw))
	for i, v := range raw {
		out[i] = mask(v, th)
		cells[i] = &out[i]
	}
	protect(cells, raw, th)
	return out
}

func TestProtectHandCases(t *testing.T) {
	m := Count{Masked: true}
	for _, tc := range []struct {
		name string
		raw  []int64
		want []Count
	}{
		{"nothing masked: nothing to protect", []int64{7, 12, 30}, []Count{shown(7), shown(12), shown(30)}},
		{"one masked cell: the smallest shown one is masked too", []int64{3, 12, 10}, []Count{m, shown(12), m}},
		{"two masked cells adding up to the threshold: enough", []int64{3, 2, 40}, []Count{m, m, shown(40)}},
		{"two masked cells under the threshold: a third", []int64{1, 1, 40, 9}, []Count{m, m, shown(40), m}},
		{"zeros single no one out and are never picked", []int64{0, 4, 0, 8, 6}, []Count{shown(0), m, shown(0), shown(8), m}},
		{"a tie picks the first row", []int64{2, 9, 9}, []Count{m, m, shown(9)}},
		{"every non-zero cell masked: stops", []int64{1, 0, 0}, []Count{m, shown(0), shown(0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, column(tc.raw, 5))
		})
	}
	assert.Equal(t, []Count{shown(1), shown(2)}, column([]int64{1, 2}, 1), "threshold 1 masks nothing")
}

// The hand case: 12 people referred, 3 of them aged 60-69 and 9 aged 70+.
// Masking the 3 alone would show it anyway: 12 - 9. The 70+ row is masked
// too, so the funnel's 12 can no longer be split.
func TestComputeSecondarySuppression(t *testing.T) {
	recs := &Records{}
	for range 3 {
		recs.Referrals = append(recs.Referrals, mkReferral("12202", referral.Age60To69, referral.PathwayMediationPlace, "P1", "2025-03-01"))
	}
	for range 9 {
		recs.Referrals = append(recs.Referrals, mkReferral("12202", referral.Age70Plus, referral.PathwayMediationPlace, "P1", "2025-03-02"))
	}
	rep, err := Compute(context.Background(), recs.Source(), opts(Options{Communes: testRef(t)}))
	require.NoError(t, err)
	assert.Equal(t, shown(12), rep.Referrals.Funnel.Proposed)
	assert.Equal(t, Count{Masked: true}, findEquity(t, rep.Equity.ByAgeBand, string(referral.Age60To69)).Referred)
	seventy := findEquity(t, rep.Equity.ByAgeBand, string(referral.Age70Plus))
	assert.Equal(t, Count{Masked: true}, seventy.Referred, "secondary suppression")
	assert.Equal(t, Measure{Masked: true}, seventy.AttendanceRate, "a rate over a masked count is masked")
	b, err := json.Marshal(rep.Equity.ByAgeBand)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"count":9`)

	// The same records with threshold 1: nothing is masked, the rows add up.
	all, err := Compute(context.Background(), recs.Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1}))
	require.NoError(t, err)
	assert.Equal(t, shown(9), findEquity(t, all.Equity.ByAgeBand, string(referral.Age70Plus)).Referred)
}

// Active ambassadors come from the status history: one paused all year is
// not active; one paused then active again in June is; one who left in
// March was active before and has departed.
func TestActiveAmbassadorsFromHistory(t *testing.T) {
	mk := func() mediation.Ambassador {
		return mediation.Ambassador{ID: uuid.New(), Region: "76", Kind: mediation.AmbassadorKinds()[0],
			Status: mediation.AmbassadorActive, JoinedAt: day("2023-01-01"), StatusSince: day("2023-01-01")}
	}
	pausedAllYear, backInJune, leftInMarch := mk(), mk(), mk()
	require.NoError(t, pausedAllYear.SetStatus(mediation.AmbassadorPaused, day("2024-11-01")))
	require.NoError(t, backInJune.SetStatus(mediation.AmbassadorPaused, day("2024-11-01")))
	require.NoError(t, backInJune.SetStatus(mediation.AmbassadorActive, day("2025-06-01")))
	require.NoError(t, backInJune.SetStatus(mediation.AmbassadorPaused, day("2025-09-01")))
	require.NoError(t, leftInMarch.SetStatus(mediation.AmbassadorLeft, day("2025-03-01")))
	recs := &Records{Ambassadors: []mediation.Ambassador{pausedAllYear, backInJune, leftInMarch}}
	rep, err := Compute(context.Background(), recs.Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1}))
	require.NoError(t, err)
	assert.Equal(t, shown(2), rep.Network.ActiveAmbassadors, "back in June and left in March; not paused all year")
	assert.Equal(t, shown(1), rep.Network.Departed)
}
