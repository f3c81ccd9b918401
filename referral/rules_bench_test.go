package referral

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"sigs.k8s.io/yaml"
)

// benchInputs are the inputs of the national test cases.
func benchInputs(t testing.TB, r *Rules) []Input {
	t.Helper()
	var ins []Input
	for _, tc := range r.tests {
		ins = append(ins, tc.Input.Input())
	}
	if len(ins) == 0 {
		t.Fatal("no national test case")
	}
	return ins
}

// BenchmarkNationalRules evaluates the national rule set for one person.
// Baselines in the same run: the same logic written by hand in Go (the
// floor), and the same rules with every clause turned into an expr
// expression (what a rule engine on expr alone would cost).
func BenchmarkNationalRules(b *testing.B) {
	r := mustNational(b)
	ins := benchInputs(b, r)
	viaExpr := nationalAsExpr(b, r)
	b.Run("rules", func(b *testing.B) {
		var d Decision
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Evaluate(&ins[i%len(ins)], &d)
		}
	})
	b.Run("baseline=handwritten", func(b *testing.B) {
		var d Decision
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			nationalByHand(&ins[i%len(ins)], &d)
		}
	})
	b.Run("baseline=expr", func(b *testing.B) {
		var d Decision
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			viaExpr.Evaluate(&ins[i%len(ins)], &d)
		}
	})
}

func TestNationalRulesAllocateNothing(t *testing.T) {
	r := mustNational(t)
	ins := benchInputs(t, r)
	var d Decision
	for i := range ins {
		r.Evaluate(&ins[i], &d) // grow the decision once
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		r.Evaluate(&ins[i%len(ins)], &d)
		i++
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per evaluation, want 0", allocs)
	}
}

// Both baselines must decide what the rules decide, or the comparison
// means nothing.
func TestBaselinesAgreeWithRules(t *testing.T) {
	r := mustNational(t)
	viaExpr := nationalAsExpr(t, r)
	var want, hand, ex Decision
	for _, tc := range r.tests {
		in := tc.Input.Input()
		r.Evaluate(&in, &want)
		nationalByHand(&in, &hand)
		viaExpr.Evaluate(&in, &ex)
		for name, got := range map[string]*Decision{"handwritten": &hand, "expr": &ex} {
			if !slices.EqualFunc(got.Outcomes, want.Outcomes, sameOutcome) {
				t.Errorf("%s, case %q: %+v, rules say %+v", name, tc.Name, got.Outcomes, want.Outcomes)
			}
		}
	}
}

func sameOutcome(a, b Outcome) bool {
	return a.Pathway == b.Pathway && a.Priority == b.Priority && a.Criteria.MaxKm == b.Criteria.MaxKm &&
		slices.Equal(a.Criteria.PreferredLabels, b.Criteria.PreferredLabels)
}

// nationalAsExpr rewrites every clause of the national rules as one expr
// clause.
func nationalAsExpr(t testing.TB, r *Rules) *Rules {
	t.Helper()
	doc := r.Document()
	for i := range doc.Rules {
		if w := doc.Rules[i].When; w != nil {
			doc.Rules[i].When = &Condition{Expr: conditionAsExpr(t, w)}
		}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := LoadRulesBytes(data, "national-as-expr.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func conditionAsExpr(t testing.TB, c *Condition) string {
	join := func(list []Condition, op string) string {
		parts := make([]string, len(list))
		for i := range list {
			parts[i] = "(" + conditionAsExpr(t, &list[i]) + ")"
		}
		return strings.Join(parts, op)
	}
	quoted := func(v any) string {
		if l, ok := v.([]any); ok {
			parts := make([]string, len(l))
			for i, x := range l {
				parts[i] = fmt.Sprintf("%q", x)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		return fmt.Sprintf("%q", v)
	}
	switch {
	case c.All != nil:
		return join(c.All, " && ")
	case c.Any != nil:
		return join(c.Any, " || ")
	case c.Not != nil:
		return "!(" + conditionAsExpr(t, c.Not) + ")"
	}
	switch c.Op {
	case OpEq:
		return fmt.Sprintf("%s == %s", c.Field, quoted(c.Value))
	case OpIn:
		return fmt.Sprintf("%s in %s", c.Field, quoted(c.Value))
	case OpHas:
		return fmt.Sprintf("%s in %s", quoted(c.Value), c.Field)
	case OpHasAny:
		return fmt.Sprintf("any(%s, # in %s)", quoted(c.Value), c.Field)
	case OpHasAll:
		return fmt.Sprintf("all(%s, # in %s)", quoted(c.Value), c.Field)
	case OpHasNone:
		return fmt.Sprintf("none(%s, # in %s)", quoted(c.Value), c.Field)
	}
	t.Fatalf("conditionAsExpr: operator %s not translated", c.Op)
	return ""
}

// nationalByHand is the national rule set written as Go code, without
// traces: the floor the compiled rules are measured against.
func nationalByHand(in *Input, d *Decision) {
	d.Reset()
	mes := []mediation.Label{mediation.LabelFormeMonEspaceSante}
	add := func(p PathwayID, prio int, km float64, pref []mediation.Label) {
		for i := range d.Outcomes {
			if d.Outcomes[i].Pathway == p {
				if prio < d.Outcomes[i].Priority {
					d.Outcomes[i].Priority = prio
				}
				return
			}
		}
		d.Outcomes = append(d.Outcomes, Outcome{Pathway: p, Priority: prio, Criteria: PlaceCriteria{MaxKm: km, PreferredLabels: pref}})
	}
	level := in.Assessment.Level
	has := func(f assessment.Flag) bool { return slices.Contains(in.Assessment.Flags, f) }
	hasC := func(c Constraint) bool { return slices.Contains(in.Person.Constraints, c) }
	rural := in.Density >= 5 && in.Density <= 7
	add(PathwayImmediateAnswer, 1, 0, nil)
	switch level {
	case assessment.LevelNoAccess:
		add(PathwayEquipmentAccess, 2, 20, nil)
		add(PathwayMediationPlace, 3, 0, mes)
	case assessment.LevelBeginner:
		add(PathwayMediationPlace, 2, 15, mes)
	case assessment.LevelIntermediate:
		add(PathwayCPAMWorkshopCollective, 2, 0, nil)
		add(PathwayCPAMWorkshopIndividual, 3, 0, nil)
	case assessment.LevelAutonomous:
		add(PathwaySelfGuide, 2, 0, nil)
		if has(assessment.FlagMESNotActivated) || slices.Contains(in.Person.Needs, NeedActivateMES) {
			add(PathwayAmbassadorAction, 3, 0, mes)
		}
	}
	early := level == assessment.LevelNoAccess || level == assessment.LevelBeginner
	midway := level == assessment.LevelBeginner || level == assessment.LevelIntermediate
	if early && hasC(ConstraintNeedsFree) {
		add(PathwayPassNumerique, 4, 0, nil)
	}
	if midway && (hasC(ConstraintNoTravel) || hasC(ConstraintPrefersRemote)) {
		add(PathwayRemoteMediation, 3, 0, nil)
	}
	if has(assessment.FlagNeedsProxy) {
		if has(assessment.FlagNoHelper) {
			add(PathwayAidantsConnect, 2, 0, nil)
		} else {
			add(PathwaySelfGuide, 4, 0, nil)
			add(PathwayAidantsConnect, 5, 0, nil)
		}
	}
	if rural && (early || level == assessment.LevelIntermediate) {
		add(PathwayFranceServices, 5, 30, nil)
	}
	if rural && midway {
		add(PathwayRemoteMediation, 6, 0, nil)
	}
	if has(assessment.FlagLowHealthLiteracy) && hasC(ConstraintNeedsFree) {
		add(PathwayMissionAccompagnementSante, 4, 0, nil)
	}
	slices.SortStableFunc(d.Outcomes, func(a, b Outcome) int {
		if a.Priority != b.Priority {
			return a.Priority - b.Priority
		}
		return handRank(a.Pathway) - handRank(b.Pathway)
	})
}

func handRank(p PathwayID) int {
	switch p {
	case PathwayImmediateAnswer:
		return 0
	case PathwaySelfGuide:
		return 1
	case PathwayCPAMWorkshopIndividual:
		return 2
	case PathwayCPAMWorkshopCollective:
		return 3
	case PathwayMediationPlace:
		return 4
	case PathwayAmbassadorAction:
		return 5
	case PathwayMissionAccompagnementSante:
		return 6
	case PathwayAidantsConnect:
		return 7
	case PathwayFranceServices:
		return 8
	case PathwayPassNumerique:
		return 9
	case PathwayEquipmentAccess:
		return 10
	}
	return 11
}

// BenchmarkLoadNationalRules measures loading (schema validation, type
// checking, compilation) of the national rules, against the floor of
// decoding the same document into its Go type alone.
func BenchmarkLoadNationalRules(b *testing.B) {
	doc := NationalRulesDocument()
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LoadRulesBytes(doc, "national", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=decode-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var d RulesDocument
			if err := yaml.Unmarshal(doc, &d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
