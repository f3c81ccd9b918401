package evaluation

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/invopop/jsonschema"
)

// ReportSchemaURL is the $id of the report JSON Schema
// (schemas/report.schema.json).
const ReportSchemaURL = "https://github.com/passerelle-sante/passerelle/schemas/report.schema.json"

// Report is the yearly evaluation of the scheme over one period and one
// territory. Every count of people is a Count, which is masked when it is
// small (see Options.MaskThreshold); every share or median is a Measure,
// which is masked with the counts it comes from and undefined when there is
// nothing to measure, so that an absent figure never reads as a zero.
type Report struct {
	// Synthetic is true when the records were generated (the demo): every
	// rendering must say so.
	Synthetic   bool      `json:"synthetic"`
	GeneratedAt time.Time `json:"generated_at"`
	Period      Period    `json:"period"`
	Territory   Territory `json:"territory"`
	// Empty is true when the source holds no record at all for the period
	// and territory: the figures below are then not measured, and renderings
	// say "no data" rather than showing zeros.
	Empty bool `json:"empty"`
	// MaskThreshold is the smallest count of people shown; counts from 1 to
	// MaskThreshold-1 are masked.
	MaskThreshold int `json:"mask_threshold"`
	// Records counts what was read, by kind (not masked: records, not
	// people).
	Records RecordCounts `json:"records"`

	Network     Network     `json:"network"`
	Actions     Actions     `json:"actions"`
	Referrals   Referrals   `json:"referrals"`
	Progression Progression `json:"progression"`
	Equity      Equity      `json:"equity"`
	// Coverage is present when Options.Coverage was given.
	Coverage *Coverage `json:"coverage,omitempty"`
	// Map holds one point per commune with places or referrals, for the
	// dot map; present when Options.Communes was given.
	Map []MapPoint `json:"map,omitempty"`
	// Targets is the progress against the targets of Options.Targets.
	Targets []TargetProgress `json:"targets,omitempty"`
	// Definitions says what every indicator means, in French and English.
	Definitions []Definition `json:"definitions"`
	// Previous is the same report for the previous period of the same
	// length (year over year), without its own Previous; absent when
	// Options.NoPrevious is set.
	Previous *Report `json:"previous,omitempty"`
}

// Period is a half-open interval of time: From ≤ t < To. A year is
// 2025-01-01 to 2026-01-01.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Territory is the area a report covers.
type Territory struct {
	// Level is "france", "region", "departement" or "commune".
	Level TerritoryLevel `json:"level"`
	// Code is the INSEE code; empty for France.
	Code string `json:"code,omitempty"`
	Name string `json:"nom"`
}

// TerritoryLevel names the kind of area.
type TerritoryLevel string

// Territory levels (wire values).
const (
	LevelFrance      TerritoryLevel = "france"
	LevelRegion      TerritoryLevel = "region"
	LevelDepartement TerritoryLevel = "departement"
	LevelCommune     TerritoryLevel = "commune"
)

// RecordCounts counts the records read for the report.
type RecordCounts struct {
	Referrals      int `json:"referrals"`
	Actions        int `json:"actions"`
	Accompaniments int `json:"accompaniments"`
	Ambassadors    int `json:"ambassadors"`
	Coordinators   int `json:"coordinators"`
	Trainings      int `json:"trainings"`
}

// Network describes the ambassadors and coordinators.
type Network struct {
	// ActiveAmbassadors were active at some time in the period.
	ActiveAmbassadors Count `json:"active_ambassadors"`
	Coordinators      Count `json:"coordinators"`
	// TrainedMonEspaceSante: active ambassadors with a Mon espace santé
	// training recorded (at any date up to the end of the period).
	TrainedMonEspaceSante Count `json:"trained_mon_espace_sante"`
	// New joined during the period; Departed left during it.
	New      Count `json:"new"`
	Departed Count `json:"departed"`
	// ByKind and ByRegion break ActiveAmbassadors down;
	// CoordinatorsByRegion breaks Coordinators down.
	ByKind               []KeyCount `json:"by_kind"`
	ByRegion             []KeyCount `json:"by_region"`
	CoordinatorsByRegion []KeyCount `json:"coordinators_by_region"`
}

// Actions describes the ambassadors' actions and the accompaniments.
type Actions struct {
	Count             Count   `json:"count"`
	PeopleSensitised  Count   `json:"people_sensitised"`
	AccountsActivated Count   `json:"accounts_activated"`
	Hours             Measure `json:"hours"`
	// PerAmbassador divides by the active ambassadors.
	PerAmbassador PerAmbassador   `json:"per_ambassador"`
	ByType        []ActionTypeRow `json:"by_type"`
	ByMonth       []MonthRow      `json:"by_month"`
	// Accompaniments is the one-to-one help recorded.
	Accompaniments Accompaniments `json:"accompaniments"`
}

// PerAmbassador is a ratio per active ambassador.
type PerAmbassador struct {
	Actions          Measure `json:"actions"`
	PeopleSensitised Measure `json:"people_sensitised"`
	Hours            Measure `json:"hours"`
	// WithAction counts the active ambassadors who took part in at least
	// one action of the period; MedianActions is the median number of
	// actions per active ambassador (those with none count as zero).
	WithAction    Count   `json:"with_action"`
	MedianActions Measure `json:"median_actions"`
}

// ActionTypeRow is the figures of one action type.
type ActionTypeRow struct {
	Type              string  `json:"type"`
	Count             Count   `json:"count"`
	PeopleSensitised  Count   `json:"people_sensitised"`
	AccountsActivated Count   `json:"accounts_activated"`
	Hours             Measure `json:"hours"`
}

// MonthRow is the figures of one calendar month ("2025-03").
type MonthRow struct {
	Month            string `json:"month"`
	Actions          Count  `json:"actions"`
	PeopleSensitised Count  `json:"people_sensitised"`
	Referrals        Count  `json:"referrals"`
	Accompaniments   Count  `json:"accompaniments"`
}

// Accompaniments counts one-to-one help.
type Accompaniments struct {
	Count Count   `json:"count"`
	Hours Measure `json:"hours"`
	// ByAutonomy counts by the autonomy reached (La Coop's scale; "" is
	// not recorded).
	ByAutonomy []KeyCount `json:"by_autonomy"`
}

// Referrals describes the referral funnel.
type Referrals struct {
	// Funnel counts the referrals created in the period that reached each
	// step (at any time up to the report).
	Funnel Funnel `json:"funnel"`
	// Conversion is each step over the step before it.
	Conversion Conversion `json:"conversion"`
	Declined   Count      `json:"declined"`
	// NoShows counts referrals with at least one missed appointment.
	NoShows   Count `json:"no_shows"`
	Expired   Count `json:"expired"`
	Cancelled Count `json:"cancelled"`
	// MedianDaysToAttended is the median of whole days from proposal to
	// first attendance, over the attended referrals.
	MedianDaysToAttended Measure     `json:"median_days_to_attended"`
	ByPathway            []FunnelRow `json:"by_pathway"`
	ByPlace              []FunnelRow `json:"by_place"`
}

// Funnel is the referral funnel, JSON keys proposed, accepted, scheduled,
// attended and completed.
type Funnel struct {
	Proposed  Count `json:"proposed"`
	Accepted  Count `json:"accepted"`
	Scheduled Count `json:"scheduled"`
	Attended  Count `json:"attended"`
	Completed Count `json:"completed"`
}

// Conversion is the share of each funnel step reaching the next.
type Conversion struct {
	Accepted  Measure `json:"accepted"`  // accepted / proposed
	Scheduled Measure `json:"scheduled"` // scheduled / accepted
	Attended  Measure `json:"attended"`  // attended / scheduled
	Completed Measure `json:"completed"` // completed / attended
}

// FunnelRow is the funnel of one pathway or one place.
type FunnelRow struct {
	Key    string `json:"key"`
	Funnel Funnel `json:"funnel"`
}

// Progression is what people gained.
type Progression struct {
	// Assessed counts completed referrals with a follow-up assessment;
	// Rose those whose level rose above the level at referral.
	Assessed  Count   `json:"assessed"`
	Rose      Count   `json:"rose"`
	ShareRose Measure `json:"share_rose"`
	// AutonomyAtCompletion counts completed referrals by the autonomy
	// reached, least autonomous first ("" is not recorded).
	AutonomyAtCompletion []KeyCount `json:"autonomy_at_completion"`
}

// Equity breaks the main figures down so the report shows whether the
// oldest and the most rural are reached.
type Equity struct {
	ByAgeBand     []EquityRow `json:"by_age_band"`
	ByDensity     []EquityRow `json:"by_density"`
	ByDepartement []EquityRow `json:"by_departement"`
}

// EquityRow is the main figures of one group ("" key: unknown).
type EquityRow struct {
	Key            string  `json:"key"`
	Referred       Count   `json:"referred"`
	Attended       Count   `json:"attended"`
	Completed      Count   `json:"completed"`
	AttendanceRate Measure `json:"attendance_rate"` // attended / referred
	Accompaniments Count   `json:"accompaniments"`
	// Participants of actions, from the anonymous counts actions record
	// (by age band; by density and département of the action's commune).
	Participants Count `json:"participants"`
}

// Coverage is the scheme against the territory (mediation/coverage).
type Coverage struct {
	TrainedPlaces      int          `json:"trained_places"`
	TrainedAmbassadors int          `json:"trained_ambassadors"`
	PlacesPer10k       float64      `json:"trained_places_per_10k"`
	Bands              []CoverBand  `json:"bands"`
	SupplyDemand       []SupplyRow  `json:"supply_demand"`
	Farthest           []FarCommune `json:"farthest"`
}

// CoverBand is the share of the population within RadiusKm of a trained
// place.
type CoverBand struct {
	RadiusKm    float64 `json:"radius_km"`
	Share       float64 `json:"share"`
	Share60Plus float64 `json:"share_60_plus"`
}

// SupplyRow is supply against demand in one département.
type SupplyRow struct {
	Departement  string  `json:"departement"`
	Name         string  `json:"nom"`
	Places       int     `json:"places"`
	Capacity     int     `json:"weekly_capacity"`
	WeeklyDemand float64 `json:"weekly_demand"`
	Ratio        float64 `json:"ratio"`
	Short        bool    `json:"short"`
	// CapacityUnknown: referrals but no declared capacity, so the balance
	// is not measured (and not said to be short).
	CapacityUnknown bool `json:"capacity_unknown,omitempty"`
}

// FarCommune is a sparsely populated commune far from any trained place.
type FarCommune struct {
	Code       string  `json:"code"`
	Name       string  `json:"nom"`
	DistanceKm float64 `json:"distance_km"`
}

// MapPoint is one commune of the dot map, at its centroid.
type MapPoint struct {
	Commune       string  `json:"commune"`
	Lat           float64 `json:"lat"`
	Lon           float64 `json:"lon"`
	Places        int     `json:"places"`
	TrainedPlaces int     `json:"trained_places"`
	// Referrals to the commune's places, masked when small.
	Referrals Count `json:"referrals"`
}

// TargetProgress is one target and how far the period went.
type TargetProgress struct {
	Target Target  `json:"target"`
	Actual Measure `json:"actual"`
	// Share is Actual / Target.Value.
	Share Measure `json:"share"`
}

// Definition says what one indicator means.
type Definition struct {
	ID string `json:"id"`
	FR string `json:"fr"`
	EN string `json:"en"`
}

// KeyCount is a count under a key (a kind, a région code, an autonomy
// level, ...).
type KeyCount struct {
	Key   string `json:"key"`
	Count Count  `json:"count"`
}

// Count is a number of people or records. It marshals as {"count": N} or,
// when masked because it is small, {"masked": true}; a masked Count never
// carries its value.
type Count struct {
	N      int
	Masked bool
}

// Value returns the count and whether it is shown.
func (c Count) Value() (int, bool) { return c.N, !c.Masked }

// MarshalJSON writes {"count": N} or {"masked": true}.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Masked {
		return []byte(`{"masked":true}`), nil
	}
	return fmt.Appendf(nil, `{"count":%d}`, c.N), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Count) UnmarshalJSON(b []byte) error {
	var w struct {
		Count  *int `json:"count"`
		Masked bool `json:"masked"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	switch {
	case w.Masked && w.Count == nil:
		*c = Count{Masked: true}
	case !w.Masked && w.Count != nil:
		*c = Count{N: *w.Count}
	default:
		return fmt.Errorf("evaluation: a count is {\"count\": N} or {\"masked\": true}, got %s", b)
	}
	return nil
}

// Measure is a share, a ratio, a median or an amount of hours. It marshals as
// {"value": x}, {"masked": true} when it would reveal a small count, or
// {"undefined": true} when there is nothing to measure (a share of zero
// people).
type Measure struct {
	Value     float64
	Masked    bool
	Undefined bool
}

// MarshalJSON writes {"value": x}, {"masked": true} or {"undefined": true}.
func (m Measure) MarshalJSON() ([]byte, error) {
	switch {
	case m.Masked:
		return []byte(`{"masked":true}`), nil
	case m.Undefined:
		return []byte(`{"undefined":true}`), nil
	}
	return json.Marshal(struct {
		Value float64 `json:"value"`
	}{m.Value})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Measure) UnmarshalJSON(b []byte) error {
	var w struct {
		Value     *float64 `json:"value"`
		Masked    bool     `json:"masked"`
		Undefined bool     `json:"undefined"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	n := 0
	if w.Value != nil {
		n++
	}
	if w.Masked {
		n++
	}
	if w.Undefined {
		n++
	}
	if n != 1 {
		return fmt.Errorf("evaluation: a measure is {\"value\": x}, {\"masked\": true} or {\"undefined\": true}, got %s", b)
	}
	switch {
	case w.Masked:
		*m = Measure{Masked: true}
	case w.Undefined:
		*m = Measure{Undefined: true}
	default:
		*m = Measure{Value: *w.Value}
	}
	return nil
}

// Target is a figure a région (or the nation) aims at over a period.
type Target struct {
	// Indicator is the id of a Definition with a count or an amount,
	// e.g. "referrals.funnel.completed" or "actions.people_sensitised".
	Indicator string  `json:"indicator"`
	Value     float64 `json:"value"`
	// Label is an optional wording of the target, French first.
	LabelFR string `json:"label_fr,omitempty"`
	LabelEN string `json:"label_en,omitempty"`
}

// JSONSchema describes a Count in the report schema.
func (Count) JSONSchema() *jsonschema.Schema {
	shown := jsonschema.NewProperties()
	shown.Set("count", &jsonschema.Schema{Type: "integer", Minimum: json.Number("0")})
	masked := jsonschema.NewProperties()
	masked.Set("masked", &jsonschema.Schema{Const: true})
	return &jsonschema.Schema{
		Description: `A count of people or records: {"count": N}, or {"masked": true} when it is under the mask threshold.`,
		OneOf: []*jsonschema.Schema{
			{Type: "object", Properties: shown, Required: []string{"count"}, AdditionalProperties: jsonschema.FalseSchema},
			{Type: "object", Properties: masked, Required: []string{"masked"}, AdditionalProperties: jsonschema.FalseSchema},
		},
	}
}

// JSONSchema describes a Measure in the report schema.
func (Measure) JSONSchema() *jsonschema.Schema {
	value := jsonschema.NewProperties()
	value.Set("value", &jsonschema.Schema{Type: "number"})
	masked := jsonschema.NewProperties()
	masked.Set("masked", &jsonschema.Schema{Const: true})
	undefined := jsonschema.NewProperties()
	undefined.Set("undefined", &jsonschema.Schema{Const: true})
	return &jsonschema.Schema{
		Description: `A share, ratio, median or amount: {"value": x}, {"masked": true} when it would reveal a small count, or {"undefined": true} when there is nothing to measure.`,
		OneOf: []*jsonschema.Schema{
			{Type: "object", Properties: value, Required: []string{"value"}, AdditionalProperties: jsonschema.FalseSchema},
			{Type: "object", Properties: masked, Required: []string{"masked"}, AdditionalProperties: jsonschema.FalseSchema},
			{Type: "object", Properties: undefined, Required: []string{"undefined"}, AdditionalProperties: jsonschema.FalseSchema},
		},
	}
}

// JSONSchemaExtend points Previous back at the root: it is a Report.
func (Report) JSONSchemaExtend(s *jsonschema.Schema) {
	if s.Properties != nil {
		s.Properties.Set("previous", &jsonschema.Schema{Ref: "#", Description: "The same report for the previous period, without its own previous."})
	}
}
