package render

import (
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
)

func n(v int) evaluation.Count             { return evaluation.Count{N: v} }
func v(x float64) evaluation.Measure       { return evaluation.Measure{Value: x} }
func masked() evaluation.Count             { return evaluation.Count{Masked: true} }
func maskedMeasure() evaluation.Measure    { return evaluation.Measure{Masked: true} }
func undefinedMeasure() evaluation.Measure { return evaluation.Measure{Undefined: true} }

// fixture is a small hand-made report with every kind of cell: counts,
// masked counts, shares, undefined measures, a hostile key, a previous
// period, map points in and outside metropolitan France, a target.
func fixture() *evaluation.Report {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &evaluation.Report{
		Synthetic:     true,
		GeneratedAt:   time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
		Period:        evaluation.Period{From: from, To: from.AddDate(1, 0, 0)},
		Territory:     evaluation.Territory{Level: evaluation.LevelRegion, Code: "75", Name: "Nouvelle-Aquitaine"},
		MaskThreshold: 5,
		Records:       evaluation.RecordCounts{Referrals: 120, Actions: 40, Ambassadors: 12, Coordinators: 1},
		Network: evaluation.Network{
			ActiveAmbassadors: n(12), Coordinators: masked(), TrainedMonEspaceSante: n(9), New: n(5), Departed: masked(),
			ByKind:   []evaluation.KeyCount{{Key: "conseiller_numerique", Count: n(7)}, {Key: "pharmacien", Count: n(5)}},
			ByRegion: []evaluation.KeyCount{{Key: "75", Count: n(12)}},
		},
		Actions: evaluation.Actions{
			Count: n(40), PeopleSensitised: n(1234), AccountsActivated: n(310), Hours: v(96.5),
			PerAmbassador: evaluation.PerAmbassador{Actions: v(3.3333333333333335), PeopleSensitised: v(102.83333333333333), Hours: v(8.041666666666666)},
			ByType: []evaluation.ActionTypeRow{
				{Type: "stand_ouverture_compte", Count: n(25), PeopleSensitised: n(900), AccountsActivated: n(250), Hours: v(60)},
				{Type: "webinaire", Count: masked(), PeopleSensitised: n(34), AccountsActivated: masked(), Hours: maskedMeasure()},
				{Type: "atelier_activation", Count: n(12), PeopleSensitised: n(300), AccountsActivated: n(58), Hours: v(31)},
			},
			ByMonth: []evaluation.MonthRow{
				{Month: "2025-01", Actions: n(10), PeopleSensitised: n(300), Referrals: n(30), Accompaniments: n(6)},
				{Month: "2025-02", Actions: masked(), PeopleSensitised: n(20), Referrals: n(25), Accompaniments: masked()},
				{Month: "2025-03", Actions: n(27), PeopleSensitised: n(914), Referrals: n(65), Accompaniments: n(10)},
			},
			Accompaniments: evaluation.Accompaniments{Count: n(18), Hours: v(12.25),
				ByAutonomy: []evaluation.KeyCount{{Key: "autonome", Count: n(10)}, {Key: "partiellement_autonome", Count: n(8)}}},
		},
		Referrals: evaluation.Referrals{
			Funnel:     evaluation.Funnel{Proposed: n(120), Accepted: n(90), Scheduled: n(70), Attended: n(50), Completed: masked()},
			Conversion: evaluation.Conversion{Accepted: v(0.75), Scheduled: v(0.7777777777777778), Attended: v(0.7142857142857143), Completed: maskedMeasure()},
			Declined:   n(12), NoShows: n(9), Expired: n(18), Cancelled: masked(),
			MedianDaysToAttended: v(14),
			ByPathway:            []evaluation.FunnelRow{{Key: "mediation_place", Funnel: evaluation.Funnel{Proposed: n(100), Accepted: n(80), Scheduled: n(60), Attended: n(45), Completed: masked()}}},
			ByPlace:              []evaluation.FunnelRow{{Key: `<script>alert("lieu")</script>`, Funnel: evaluation.Funnel{Proposed: n(20), Accepted: n(10), Scheduled: n(10), Attended: n(5), Completed: masked()}}},
		},
		Progression: evaluation.Progression{Assessed: n(40), Rose: n(25), ShareRose: v(0.625),
			AutonomyAtCompletion: []evaluation.KeyCount{{Key: "entierement_accompagne", Count: masked()}, {Key: "autonome", Count: n(20)}}},
		Equity: evaluation.Equity{
			ByAgeBand: []evaluation.EquityRow{
				{Key: "60_69", Referred: n(40), Attended: n(20), Completed: n(10), AttendanceRate: v(0.5), Accompaniments: n(6)},
				{Key: "70_plus", Referred: n(50), Attended: n(22), Completed: n(12), AttendanceRate: v(0.44), Accompaniments: n(8)},
				{Key: "", Referred: masked(), Attended: masked(), Completed: masked(), AttendanceRate: maskedMeasure(), Accompaniments: n(0)},
			},
			ByDensity:     []evaluation.EquityRow{{Key: "1", Referred: n(70), Attended: n(30), Completed: n(15), AttendanceRate: v(0.42857142857142855)}, {Key: "7", Referred: n(0), Attended: n(0), Completed: n(0), AttendanceRate: undefinedMeasure()}},
			ByDepartement: []evaluation.EquityRow{{Key: "16", Referred: n(120), Attended: n(50), Completed: n(20), AttendanceRate: v(0.4166666666666667)}},
		},
		Map: []evaluation.MapPoint{
			{Commune: "16015", Lat: 45.65, Lon: 0.16, Places: 4, TrainedPlaces: 2, Referrals: n(80)},
			{Commune: "16089", Lat: 45.68, Lon: -0.33, Places: 1, Referrals: masked()},
			{Commune: "97411", Lat: -20.93, Lon: 55.45, Places: 1, TrainedPlaces: 1, Referrals: n(7)},
		},
		Coverage: &evaluation.Coverage{
			TrainedPlaces: 9, TrainedAmbassadors: 16, PlacesPer10k: 0.012,
			Bands: []evaluation.CoverBand{{RadiusKm: 10, Share: 0.236, Share60Plus: 0.212}},
			SupplyDemand: []evaluation.SupplyRow{
				{Departement: "16", Name: "Charente", Places: 40, Capacity: 120, WeeklyDemand: 150, Ratio: 0.8, Short: true},
				{Departement: "17", Name: "Charente-Maritime", Places: 30, Capacity: 0, WeeklyDemand: 2, Ratio: -1, Short: true},
			},
			Farthest: []evaluation.FarCommune{{Code: "16001", Name: "Abzac", DistanceKm: 42.5}},
		},
		Targets: []evaluation.TargetProgress{{
			Target: evaluation.Target{Indicator: "referrals.funnel.attended", Value: 400, LabelFR: "400 personnes accompagnées", LabelEN: "400 people accompanied"},
			Actual: v(50), Share: v(0.125),
		}},
		Definitions: []evaluation.Definition{{ID: "referrals.funnel.attended", FR: "Orientations créées dans la période venues au moins une fois.", EN: "Referrals created in the period that attended at least once."}},
	}
	prev := *r
	prev.Previous = nil
	prev.Period = evaluation.Period{From: from.AddDate(-1, 0, 0), To: from}
	prev.Referrals.Funnel = evaluation.Funnel{Proposed: n(80), Accepted: n(60), Scheduled: n(41), Attended: n(30), Completed: n(21)}
	prev.Actions.Count = n(31)
	r.Previous = &prev
	return r
}
