package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var year2025 = Period{From: day("2025-01-01"), To: day("2026-01-01")}

func testRef(t testing.TB) *territory.Reference {
	t.Helper()
	ref, err := territory.Default()
	require.NoError(t, err)
	return ref
}

// ref builds a referral created on created whose history goes through the
// statuses given, one day apart unless a step names its own day.
type step struct {
	to   referral.Status
	days int // days after creation
}

func mkReferral(commune string, age referral.AgeBand, pw referral.PathwayID, place, created string, steps ...step) referral.Referral {
	c := day(created)
	r := referral.Referral{
		ID: uuid.New(), PersonID: uuid.NewString(), Commune: commune, AgeBand: age,
		CreatedAt: c, Pathway: pw, PlaceID: place, Status: referral.StatusProposed,
		Assessment: referral.AssessmentRef{Instrument: "test", Level: assessment.LevelBeginner},
		History:    []referral.StatusChange{{To: referral.StatusProposed, At: c}},
	}
	for _, s := range steps {
		r.History = append(r.History, referral.StatusChange{From: r.Status, To: s.to, At: c.AddDate(0, 0, s.days)})
		r.Status = s.to
	}
	return r
}

func handRecords() *Records {
	r1 := mkReferral("12208", referral.Age70Plus, referral.PathwayMediationPlace, "P1", "2025-01-10",
		step{referral.StatusAccepted, 1}, step{referral.StatusScheduled, 2}, step{referral.StatusAttended, 10}, step{referral.StatusCompleted, 12})
	r1.Autonomy = referral.AutonomyAutonomous
	r1.FollowUp = &assessment.Result{Level: assessment.LevelIntermediate}
	r2 := mkReferral("12208", referral.Age60To69, referral.PathwayMediationPlace, "P1", "2025-02-01",
		step{referral.StatusAccepted, 1}, step{referral.StatusScheduled, 2}, step{referral.StatusNoShow, 5},
		step{referral.StatusScheduled, 6}, step{referral.StatusAttended, 10}, step{referral.StatusCompleted, 20})
	r2.Autonomy = referral.AutonomyPartial
	r2.FollowUp = &assessment.Result{Level: assessment.LevelBeginner}
	r3 := mkReferral("75056", referral.Age25To39, referral.PathwayRemoteMediation, "", "2025-03-01",
		step{referral.StatusDeclined, 1})
	r4 := mkReferral("75056", referral.Age40To59, referral.PathwayMediationPlace, "P2", "2025-03-05",
		step{referral.StatusAccepted, 1}, step{referral.StatusExpired, 40})
	r5 := mkReferral("31555", "", referral.PathwayMediationPlace, "P2", "2025-04-01",
		step{referral.StatusAccepted, 1}, step{referral.StatusScheduled, 2}, step{referral.StatusAttended, 5})
	r6 := mkReferral("12208", referral.Age70Plus, referral.PathwayMediationPlace, "P1", "2024-06-01")
	r7 := mkReferral("12208", referral.Age70Plus, referral.PathwayMediationPlace, "P1", "2026-01-01")

	amb := func(region string, kind mediation.AmbassadorKind, joined string, st mediation.AmbassadorStatus, since string) mediation.Ambassador {
		return mediation.Ambassador{ID: uuid.New(), Region: region, Kind: kind, Status: st, JoinedAt: day(joined), StatusSince: day(since)}
	}
	a1 := amb("76", mediation.KindDigitalAdviser, "2024-01-01", mediation.AmbassadorActive, "2024-01-01")
	a2 := amb("11", mediation.KindCPAMAgent, "2025-03-01", mediation.AmbassadorActive, "2025-03-01")
	a3 := amb("76", mediation.KindDigitalAdviser, "2023-01-01", mediation.AmbassadorLeft, "2025-06-01")
	a4 := amb("76", mediation.KindPharmacist, "2023-01-01", mediation.AmbassadorLeft, "2024-05-01")
	act := mediation.Action{ID: uuid.New()}
	return &Records{
		Referrals: []referral.Referral{r1, r2, r3, r4, r5, r6, r7},
		Actions: []mediation.Action{
			{ID: act.ID, Type: mediation.ActionActivationWorkshop, Date: day("2025-01-15"), DurationMinutes: 120,
				Commune: "12208", Departement: "12", Region: "76", AmbassadorIDs: []uuid.UUID{a1.ID, a3.ID}, PeopleSensitised: 10, AccountsActivated: 4,
				Participants: mediation.ParticipantCounts{ByAge: map[mediation.AgeBand]int{mediation.Age70Plus: 6, mediation.Age60To69: 3, mediation.Age12To17: 1}}},
			{ID: uuid.New(), Type: mediation.ActionAccountStand, Date: day("2025-03-15"), DurationMinutes: 60,
				Commune: "75056", Departement: "75", Region: "11", AmbassadorIDs: []uuid.UUID{a2.ID}, PeopleSensitised: 20, AccountsActivated: 6},
			{ID: uuid.New(), Type: mediation.ActionAccountStand, Date: day("2024-03-15"), DurationMinutes: 60,
				Commune: "75056", Departement: "75", Region: "11", PeopleSensitised: 7},
		},
		Accompaniments: []mediation.Accompaniment{
			{ID: uuid.New(), Date: day("2025-05-02"), DurationMinutes: 45, Commune: "12208", Departement: "12", Region: "76",
				Autonomy: mediation.AutonomyAutonomous, AgeBand: mediation.Age70Plus},
			{ID: uuid.New(), ActionID: act.ID, Date: day("2025-01-15"), DurationMinutes: 120, Commune: "12208", Departement: "12", Region: "76",
				AgeBand: mediation.AgeUndefined, ResidenceCommune: "12202"},
		},
		Ambassadors:  []mediation.Ambassador{a1, a2, a3, a4},
		Coordinators: []mediation.Coordinator{{ID: uuid.New(), Region: "76", CreatedAt: day("2024-01-01")}},
		Trainings: []mediation.Training{
			{ID: uuid.New(), AmbassadorID: a1.ID, Module: mediation.ModuleMonEspaceSante, Date: day("2024-02-01")},
			{ID: uuid.New(), AmbassadorID: a4.ID, Module: mediation.ModuleMonEspaceSante, Date: day("2023-02-01")},
			{ID: uuid.New(), AmbassadorID: a2.ID, Module: "Pix", Date: day("2025-04-01")},
		},
	}
}

func shown(n int) Count     { return Count{N: n} }
func val(v float64) Measure { return Measure{Value: v} }
func fixedNow() time.Time   { return day("2026-02-01") }
func opts(o Options) Options {
	if o.Period == (Period{}) {
		o.Period = year2025
	}
	o.Now = fixedNow
	return o
}

func findKey(t *testing.T, rows []KeyCount, key string) Count {
	t.Helper()
	for _, r := range rows {
		if r.Key == key {
			return r.Count
		}
	}
	t.Fatalf("no row %q in %v", key, rows)
	return Count{}
}

func findEquity(t *testing.T, rows []EquityRow, key string) EquityRow {
	t.Helper()
	for _, r := range rows {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", key, rows)
	return EquityRow{}
}

func TestComputeHandCases(t *testing.T) {
	ref := testRef(t)
	rep, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: ref, MaskThreshold: 1}))
	require.NoError(t, err)
	assert.False(t, rep.Empty)
	assert.Equal(t, Territory{Level: LevelFrance, Name: "France"}, rep.Territory)

	t.Run("network", func(t *testing.T) {
		n := rep.Network
		assert.Equal(t, shown(3), n.ActiveAmbassadors) // a1, a2, a3 (a4 left in 2024)
		assert.Equal(t, shown(1), n.TrainedMonEspaceSante)
		assert.Equal(t, shown(1), n.New)
		assert.Equal(t, shown(1), n.Departed)
		assert.Equal(t, shown(1), n.Coordinators)
		assert.Equal(t, shown(2), findKey(t, n.ByKind, string(mediation.KindDigitalAdviser)))
		assert.Equal(t, shown(1), findKey(t, n.ByKind, string(mediation.KindCPAMAgent)))
		assert.Equal(t, shown(2), findKey(t, n.ByRegion, "76"))
		assert.Equal(t, shown(1), findKey(t, n.CoordinatorsByRegion, "76"))
	})
	t.Run("actions", func(t *testing.T) {
		a := rep.Actions
		assert.Equal(t, shown(2), a.Count)
		assert.Equal(t, shown(30), a.PeopleSensitised)
		assert.Equal(t, shown(10), a.AccountsActivated)
		assert.Equal(t, val(5), a.Hours) // 2 h × 2 ambassadors + 1 h × 1
		assert.Equal(t, val(2.0/3), a.PerAmbassador.Actions)
		assert.Equal(t, val(10), a.PerAmbassador.PeopleSensitised)
		assert.Equal(t, val(5.0/3), a.PerAmbassador.Hours)
		assert.Equal(t, shown(3), a.PerAmbassador.WithAction) // a1, a3 in the workshop, a2 at the stand
		assert.Equal(t, val(1), a.PerAmbassador.MedianActions)
		require.Len(t, a.ByType, 2)
		assert.Equal(t, ActionTypeRow{Type: string(mediation.ActionActivationWorkshop), Count: shown(1), PeopleSensitised: shown(10), AccountsActivated: shown(4), Hours: val(4)}, a.ByType[0])
		assert.Equal(t, shown(2), a.Accompaniments.Count)
		assert.Equal(t, val(0.75), a.Accompaniments.Hours) // the workshop's participant counts in the action
		assert.Equal(t, shown(1), findKey(t, a.Accompaniments.ByAutonomy, string(mediation.AutonomyAutonomous)))
		require.Len(t, a.ByMonth, 5) // 2025-01 to 2025-05
		assert.Equal(t, MonthRow{Month: "2025-01", Actions: shown(1), PeopleSensitised: shown(10), Referrals: shown(1), Accompaniments: shown(1)}, a.ByMonth[0])
	})
	t.Run("referrals", func(t *testing.T) {
		r := rep.Referrals
		assert.Equal(t, Funnel{Proposed: shown(5), Accepted: shown(4), Scheduled: shown(3), Attended: shown(3), Completed: shown(2)}, r.Funnel)
		assert.Equal(t, Conversion{Accepted: val(0.8), Scheduled: val(0.75), Attended: val(1), Completed: val(2.0 / 3)}, r.Conversion)
		assert.Equal(t, shown(1), r.Declined)
		assert.Equal(t, shown(1), r.NoShows)
		assert.Equal(t, shown(1), r.Expired)
		assert.Equal(t, shown(0), r.Cancelled)
		assert.Equal(t, val(10), r.MedianDaysToAttended) // 5, 10, 10
		require.Len(t, r.ByPlace, 2)
		assert.Equal(t, FunnelRow{Key: "P1", Funnel: Funnel{shown(2), shown(2), shown(2), shown(2), shown(2)}}, r.ByPlace[0])
		assert.Equal(t, FunnelRow{Key: "P2", Funnel: Funnel{shown(2), shown(2), shown(1), shown(1), shown(0)}}, r.ByPlace[1])
		require.Len(t, r.ByPathway, 2)
		assert.Equal(t, FunnelRow{Key: string(referral.PathwayRemoteMediation), Funnel: Funnel{shown(1), shown(0), shown(0), shown(0), shown(0)}}, r.ByPathway[1])
	})
	t.Run("progression", func(t *testing.T) {
		p := rep.Progression
		assert.Equal(t, shown(2), p.Assessed)
		assert.Equal(t, shown(1), p.Rose)
		assert.Equal(t, val(0.5), p.ShareRose)
		assert.Equal(t, []KeyCount{
			{string(referral.AutonomyFullySupported), shown(0)},
			{string(referral.AutonomyPartial), shown(1)},
			{string(referral.AutonomyAutonomous), shown(1)},
			{"", shown(0)},
		}, p.AutonomyAtCompletion)
	})
	t.Run("equity", func(t *testing.T) {
		e := rep.Equity
		assert.Equal(t, EquityRow{Key: "70_plus", Referred: shown(1), Attended: shown(1), Completed: shown(1), AttendanceRate: val(1), Accompaniments: shown(1), Participants: shown(6)}, findEquity(t, e.ByAgeBand, "70_plus"))
		assert.Equal(t, EquityRow{Key: "25_39", Referred: shown(1), AttendanceRate: val(0)}, findEquity(t, e.ByAgeBand, "25_39"))
		assert.Equal(t, EquityRow{Key: "18_24", AttendanceRate: Measure{Undefined: true}}, findEquity(t, e.ByAgeBand, "18_24"))
		assert.Equal(t, EquityRow{Key: "", Referred: shown(1), Attended: shown(1), AttendanceRate: val(1), Accompaniments: shown(1)}, findEquity(t, e.ByAgeBand, ""))
		// Saint-Affrique is class 3, Rodez (the accompanied person's home) 2,
		// Paris and Toulouse 1.
		assert.Equal(t, EquityRow{Key: "1", Referred: shown(3), Attended: shown(1), AttendanceRate: val(1.0 / 3)}, findEquity(t, e.ByDensity, "1"))
		assert.Equal(t, shown(1), findEquity(t, e.ByDensity, "2").Accompaniments)
		assert.Equal(t, EquityRow{Key: "3", Referred: shown(2), Attended: shown(2), Completed: shown(2), AttendanceRate: val(1), Accompaniments: shown(1), Participants: shown(10)}, findEquity(t, e.ByDensity, "3"))
		assert.Len(t, e.ByDensity, 7) // no unknown row: every commune is placed
		assert.Equal(t, shown(6), findEquity(t, e.ByAgeBand, "70_plus").Participants)
		assert.Equal(t, shown(1), findEquity(t, e.ByAgeBand, "under_18").Participants)
		assert.Equal(t, shown(10), findEquity(t, e.ByDensity, "3").Participants) // the workshop in Saint-Affrique
		assert.Equal(t, shown(10), findEquity(t, e.ByDepartement, "12").Participants)
		assert.Equal(t, shown(2), findEquity(t, e.ByDepartement, "12").Referred)
		assert.Equal(t, shown(2), findEquity(t, e.ByDepartement, "12").Accompaniments)
	})
	t.Run("previous year", func(t *testing.T) {
		require.NotNil(t, rep.Previous)
		p := rep.Previous
		assert.Equal(t, Period{From: day("2024-01-01"), To: day("2025-01-01")}, p.Period)
		assert.Equal(t, shown(1), p.Referrals.Funnel.Proposed)
		assert.Equal(t, shown(1), p.Actions.Count)
		assert.Equal(t, shown(7), p.Actions.PeopleSensitised)
		assert.Equal(t, shown(3), p.Network.ActiveAmbassadors) // a1, a3, a4 (left in May 2024, active before); a2 joined 2025
		assert.Equal(t, shown(1), p.Network.Departed)
		assert.Nil(t, p.Previous)
	})
	t.Run("map", func(t *testing.T) {
		require.Len(t, rep.Map, 3)
		assert.Zero(t, rep.Map[0].Places, "no places given")
		assert.Equal(t, "12208", rep.Map[0].Commune)
		assert.Equal(t, shown(2), rep.Map[0].Referrals)
		assert.InDelta(t, 43.95, rep.Map[0].Lat, 0.1)
	})
}

func TestMapPlaces(t *testing.T) {
	recs := handRecords()
	recs.Trainings = append(recs.Trainings, mediation.Training{ID: uuid.New(), PlaceID: "P2", Module: mediation.ModuleMonEspaceSante, Date: day("2025-02-01")})
	places := []mediation.Place{
		{ID: "P1", INSEECode: "12208", Labels: []mediation.Label{mediation.LabelFormeMonEspaceSante}},
		{ID: "P2", INSEECode: "12208"},
		{ID: "P3", INSEECode: "12208"},
		{ID: "P4", INSEECode: "13055"},
		{ID: "P5"}, // no commune: not on the map
	}
	rep, err := Compute(context.Background(), recs.Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1, Places: places, Region: "76"}))
	require.NoError(t, err)
	require.Len(t, rep.Map, 2) // Saint-Affrique, Toulouse; Marseille is outside
	assert.Equal(t, MapPoint{Commune: "12208", Lat: rep.Map[0].Lat, Lon: rep.Map[0].Lon, Places: 3, TrainedPlaces: 2, Referrals: shown(2)}, rep.Map[0])
	assert.Equal(t, "31555", rep.Map[1].Commune)
	assert.Equal(t, 0, rep.Map[1].Places)
}

func TestComputeRegion(t *testing.T) {
	rep, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1, Region: "76"}))
	require.NoError(t, err)
	assert.Equal(t, Territory{Level: LevelRegion, Code: "76", Name: "Occitanie"}, rep.Territory)
	assert.Equal(t, Funnel{Proposed: shown(3), Accepted: shown(3), Scheduled: shown(3), Attended: shown(3), Completed: shown(2)}, rep.Referrals.Funnel)
	assert.Equal(t, shown(1), rep.Actions.Count)
	assert.Equal(t, shown(2), rep.Network.ActiveAmbassadors) // a1, a3
	assert.Equal(t, shown(2), rep.Actions.Accompaniments.Count)

	dep, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1, Departement: "75"}))
	require.NoError(t, err)
	assert.Equal(t, shown(2), dep.Referrals.Funnel.Proposed)
	assert.Equal(t, "Paris", dep.Territory.Name)
}

func TestMasking(t *testing.T) {
	rep, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: testRef(t)}))
	require.NoError(t, err)
	assert.Equal(t, DefaultMaskThreshold, rep.MaskThreshold)
	f := rep.Referrals.Funnel
	assert.Equal(t, shown(5), f.Proposed)
	assert.Equal(t, Count{Masked: true}, f.Accepted)
	assert.Equal(t, Measure{Masked: true}, rep.Referrals.Conversion.Accepted)
	assert.Equal(t, Measure{Masked: true}, rep.Referrals.MedianDaysToAttended)
	assert.Equal(t, shown(0), rep.Referrals.Cancelled, "zero singles no one out")
	assert.Equal(t, Measure{Masked: true}, rep.Actions.PerAmbassador.Actions, "3 ambassadors are a masked count")

	b, err := json.Marshal(rep.Referrals.Funnel)
	require.NoError(t, err)
	assert.JSONEq(t, `{"proposed":{"count":5},"accepted":{"masked":true},"scheduled":{"masked":true},"attended":{"masked":true},"completed":{"masked":true}}`, string(b))
	assert.NotContains(t, string(b), `"count":4`)
}

func TestComputeErrors(t *testing.T) {
	ref := testRef(t)
	src := handRecords().Source()
	for _, tc := range []struct {
		name string
		o    Options
		want error
		text string
	}{
		{"no period", Options{Communes: ref}, ErrEmptyPeriod, "required"},
		{"reversed period", Options{Communes: ref, Period: Period{From: day("2025-12-31"), To: day("2025-01-01")}}, ErrEmptyPeriod, "2025-01-01"},
		{"unknown région", Options{Communes: ref, Period: year2025, Region: "99"}, ErrUnknownTerritory, `"99"`},
		{"unknown département", Options{Communes: ref, Period: year2025, Departement: "100"}, ErrUnknownTerritory, "département"},
		{"unknown commune", Options{Communes: ref, Period: year2025, Commune: "00000"}, ErrUnknownTerritory, "commune"},
		{"two territories", Options{Communes: ref, Period: year2025, Region: "76", Departement: "12"}, ErrInvalidOptions, "one of"},
		{"unknown target", Options{Communes: ref, Period: year2025, Targets: []Target{{Indicator: "people", Value: 3}}}, ErrInvalidOptions, "targets[0].indicator"},
		{"zero target", Options{Communes: ref, Period: year2025, Targets: []Target{{Indicator: "actions.count"}}}, ErrInvalidOptions, "targets[0].value"},
		{"negative threshold", Options{Communes: ref, Period: year2025, MaskThreshold: -1}, ErrInvalidOptions, "threshold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compute(context.Background(), src, tc.o)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

type failingSource struct{ Source }

var errBoom = errors.New("boom")

func (failingSource) Actions(context.Context, Period, func(*mediation.Action) error) error {
	return errBoom
}

func TestComputeSourceError(t *testing.T) {
	_, err := Compute(context.Background(), failingSource{(&Records{}).Source()}, opts(Options{Communes: testRef(t)}))
	require.ErrorIs(t, err, errBoom)
}

func TestEmptyReport(t *testing.T) {
	rep, err := Compute(context.Background(), (&Records{}).Source(), opts(Options{Communes: testRef(t)}))
	require.NoError(t, err)
	assert.True(t, rep.Empty)
	assert.True(t, rep.Previous.Empty)
	assert.Equal(t, Measure{Undefined: true}, rep.Referrals.Conversion.Accepted)
	assert.Equal(t, Measure{Undefined: true}, rep.Referrals.MedianDaysToAttended)
	assert.Equal(t, Measure{Undefined: true}, rep.Progression.ShareRose)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"empty":true`)
}

func TestTargets(t *testing.T) {
	rep, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: testRef(t), MaskThreshold: 1, Targets: []Target{
		{Indicator: "actions.people_sensitised", Value: 400, LabelFR: "400 personnes sensibilisées"},
		{Indicator: "referrals.funnel.completed", Value: 4},
		{Indicator: "actions.hours", Value: 10},
	}}))
	require.NoError(t, err)
	require.Len(t, rep.Targets, 3)
	assert.Equal(t, val(30), rep.Targets[0].Actual)
	assert.Equal(t, val(0.075), rep.Targets[0].Share)
	assert.Equal(t, val(0.5), rep.Targets[1].Share)
	assert.Equal(t, val(0.5), rep.Targets[2].Share)

	masked, err := Compute(context.Background(), handRecords().Source(), opts(Options{Communes: testRef(t), Targets: []Target{{Indicator: "referrals.funnel.completed", Value: 4}}}))
	require.NoError(t, err)
	assert.Equal(t, Measure{Masked: true}, masked.Targets[0].Share)
}

func TestPreviousPeriod(t *testing.T) {
	for _, tc := range []struct{ p, want Period }{
		{year2025, Period{day("2024-01-01"), day("2025-01-01")}},
		{Period{day("2025-03-01"), day("2025-06-01")}, Period{day("2024-12-01"), day("2025-03-01")}},
		{Period{day("2025-03-10"), day("2025-03-20")}, Period{day("2025-02-28"), day("2025-03-10")}},
	} {
		assert.Equal(t, tc.want, PreviousPeriod(tc.p))
	}
}

func TestMedian(t *testing.T) {
	h := make([]int64, 20)
	assert.Equal(t, 0.0, func() float64 { m, _ := median(h); return m }())
	h[3], h[7] = 1, 1 // 3, 7
	m, n := median(h)
	assert.Equal(t, 5.0, m)
	assert.Equal(t, int64(2), n)
	h[10] = 1 // 3, 7, 10
	m, _ = median(h)
	assert.Equal(t, 7.0, m)
}

func TestTerritoryOfAmbassadors(t *testing.T) {
	ref := testRef(t)
	recs := &Records{Ambassadors: []mediation.Ambassador{
		{ID: uuid.New(), Region: "76", Departements: []string{"12"}, Status: mediation.AmbassadorActive},
		{ID: uuid.New(), Region: "76", Communes: []string{"12202"}, Status: mediation.AmbassadorActive},
		{ID: uuid.New(), Region: "76", Communes: []string{"31555"}, Status: mediation.AmbassadorActive},
		{ID: uuid.New(), Region: "11", Status: mediation.AmbassadorActive},
	}}
	for _, tc := range []struct {
		o    Options
		want int
	}{
		{Options{}, 4},
		{Options{Region: "76"}, 3},
		{Options{Departement: "12"}, 2}, // directly, and through Rodez
		{Options{Commune: "12202"}, 1},
		{Options{Commune: "12208"}, 0},
	} {
		o := tc.o
		o.Communes, o.MaskThreshold = ref, 1
		rep, err := Compute(context.Background(), recs.Source(), opts(o))
		require.NoError(t, err)
		assert.Equal(t, shown(tc.want), rep.Network.ActiveAmbassadors, "%+v", tc.o)
		assert.True(t, rep.Empty, "network records alone are not data for the period")
		if tc.want > 0 {
			assert.Equal(t, val(0), rep.Actions.PerAmbassador.MedianActions, "no action: a median of zero, measured")
		} else {
			assert.Equal(t, Measure{Undefined: true}, rep.Actions.PerAmbassador.MedianActions)
		}
	}
}

func TestCellJSONErrors(t *testing.T) {
	for _, s := range []string{`{}`, `{"count":3,"masked":true}`, `{"count":"3"}`, `[]`} {
		var c Count
		assert.Error(t, json.Unmarshal([]byte(s), &c), s)
	}
	for _, s := range []string{`{}`, `{"value":1,"undefined":true}`, `{"masked":true,"undefined":true}`} {
		var m Measure
		assert.Error(t, json.Unmarshal([]byte(s), &m), s)
	}
}
