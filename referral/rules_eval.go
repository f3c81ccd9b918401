package referral

import (
	"github.com/expr-lang/expr"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/territory"
)

// ruleFacts is one Input flattened for evaluation: ranks, bitsets and score
// slots, built once per Evaluate on the stack.
type ruleFacts struct {
	in          *Input
	level       int // rank 1..4, 0 unknown
	ageBand     int // rank 1..6, 0 unknown
	density     int // 1..7, 0 unknown
	group       int // position+1 in densityGroups, 0 unknown
	flags       uint64
	needs       uint64
	constraints uint64
	language    string
	scoreSet    uint32
	scores      [maxScoreSlots]float64
	env         *exprEnv // built on the first expr clause only
}

func (f *ruleFacts) load(r *Rules, in *Input) {
	f.in = in
	f.level = in.Assessment.Level.Rank()
	f.ageBand = ageRank(in.Person.AgeBand)
	if in.Density.Valid() {
		f.density = int(in.Density)
		f.group = groupPosition(in.Density.Group()) + 1
	}
	for _, fl := range in.Assessment.Flags {
		if b := flagBit(fl); b >= 0 {
			f.flags |= 1 << uint(b)
			continue
		}
		for i, x := range r.extraFlags {
			if string(fl) == x {
				f.flags |= 1 << uint(knownFlagCount+i)
				break
			}
		}
	}
	for _, n := range in.Person.Needs {
		if b := needBit(n); b >= 0 {
			f.needs |= 1 << uint(b)
		}
	}
	for _, c := range in.Person.Constraints {
		if b := constraintBit(c); b >= 0 {
			f.constraints |= 1 << uint(b)
		}
	}
	f.language = in.Person.Language
	if f.language == "fr" {
		f.language = ""
	}
	for _, s := range in.Assessment.Scores {
		for i, dim := range r.scoreDims {
			if dim == s.Dimension {
				f.scores[i] = s.Value
				f.scoreSet |= 1 << uint(i)
				break
			}
		}
	}
}

// The switches below give each enum value its bit without a map lookup;
// their order is the order of ruleFlags, Needs, Constraints, AgeBands and
// densityGroups, which a test checks.
// knownFlagCount is len(ruleFlags()): declared flags take the bits after.
const knownFlagCount = 8

func flagBit(f assessment.Flag) int {
	switch f {
	case assessment.FlagNeedsProxy:
		return 0
	case assessment.FlagNoHelper:
		return 1
	case assessment.FlagLanguageBarrier:
		return 2
	case assessment.FlagVisualImpairment:
		return 3
	case assessment.FlagHearingImpairment:
		return 4
	case assessment.FlagReadingDifficulty:
		return 5
	case assessment.FlagLowHealthLiteracy:
		return 6
	case assessment.FlagMESNotActivated:
		return 7
	}
	return -1
}

func needBit(n Need) int {
	switch n {
	case NeedActivateMES:
		return 0
	case NeedMESMessaging:
		return 1
	case NeedTeleconsultation:
		return 2
	case NeedAmeliAccount:
		return 3
	case NeedGeneralSkills:
		return 4
	}
	return -1
}

func constraintBit(c Constraint) int {
	switch c {
	case ConstraintNoTravel:
		return 0
	case ConstraintNeedsAccessibility:
		return 1
	case ConstraintNeedsFree:
		return 2
	case ConstraintPrefersRemote:
		return 3
	}
	return -1
}

func ageRank(a AgeBand) int {
	switch a {
	case AgeUnder18:
		return 1
	case Age18To24:
		return 2
	case Age25To39:
		return 3
	case Age40To59:
		return 4
	case Age60To69:
		return 5
	case Age70Plus:
		return 6
	}
	return 0
}

func groupPosition(g territory.DensityGroup) int {
	switch g {
	case territory.Dense:
		return 0
	case territory.Intermediate:
		return 1
	case territory.LowDensity:
		return 2
	case territory.VeryLowDensity:
		return 3
	}
	return -1
}

// Evaluate runs the rules on in and fills d, which it resets first: the
// pathways proposed by the rules that fired, one outcome per pathway (the
// best priority wins; criteria are merged), sorted by priority then
// catalogue order, and one trace entry per rule saying whether it fired and
// which clause decided.
//
// Evaluate reuses the storage of d, including the criteria slices of its
// outcomes: a Decision reused from call to call makes evaluation allocate
// nothing for rule sets without expr clauses. Rules is immutable, so
// Evaluate is safe for concurrent use with distinct Decisions.
func (r *Rules) Evaluate(in *Input, d *Decision) {
	if in == nil {
		in = &Input{} // nothing known: only the unconditional rules fire
	}
	d.Reset()
	d.RulesVersion = r.version
	var f ruleFacts
	f.load(r, in)
	stoppedBy := -1
	for i := range r.rules {
		cr := &r.rules[i]
		if stoppedBy >= 0 {
			d.Trace = append(d.Trace, RuleTrace{Rule: cr.id, Why: r.rules[stoppedBy].stopped})
			continue
		}
		t := RuleTrace{Rule: cr.id, Fired: true, Clause: cr.path, Why: cr.description}
		if cr.root >= 0 {
			ok, k := r.eval(&f, cr.root)
			t.Fired, t.Clause = ok, r.nodes[k].path
			if !ok {
				t.Why = r.nodes[k].fails
			}
		}
		d.Trace = append(d.Trace, t)
		if !t.Fired {
			continue
		}
		for j := range cr.outcomes {
			addOutcome(d, cr.id, &cr.outcomes[j])
		}
		if cr.stop {
			stoppedBy = i
		}
	}
	// Insertion sort: a handful of outcomes, and no allocation.
	o := d.Outcomes
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && r.before(&o[j], &o[j-1]); j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
}

func (r *Rules) before(a, b *Outcome) bool {
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	return r.pathwayRank[a.Pathway] < r.pathwayRank[b.Pathway]
}

// addOutcome adds o to d, or merges it into the outcome already there for
// the same pathway: the better priority (and its rule and max_km) wins,
// required and preferred services and labels are united.
func addOutcome(d *Decision, rule string, o *compiledOutcome) {
	for i := range d.Outcomes {
		dst := &d.Outcomes[i]
		if dst.Pathway != o.pathway {
			continue
		}
		if o.priority < dst.Priority {
			dst.Priority, dst.Rule = o.priority, rule
			if o.criteria.MaxKm > 0 {
				dst.Criteria.MaxKm = o.criteria.MaxKm
			}
		} else if dst.Criteria.MaxKm == 0 {
			dst.Criteria.MaxKm = o.criteria.MaxKm
		}
		dst.Criteria.RequiredServices = unionInto(dst.Criteria.RequiredServices, o.criteria.RequiredServices)
		dst.Criteria.RequiredLabels = unionInto(dst.Criteria.RequiredLabels, o.criteria.RequiredLabels)
		dst.Criteria.PreferredLabels = unionInto(dst.Criteria.PreferredLabels, o.criteria.PreferredLabels)
		return
	}
	n := len(d.Outcomes)
	if n < cap(d.Outcomes) {
		d.Outcomes = d.Outcomes[:n+1]
	} else {
		d.Outcomes = append(d.Outcomes, Outcome{})
	}
	dst := &d.Outcomes[n]
	dst.Pathway, dst.Priority, dst.Rule = o.pathway, o.priority, rule
	dst.Criteria.MaxKm = o.criteria.MaxKm
	// Copy into the decision's own storage: never alias the rule set.
	dst.Criteria.RequiredServices = append(dst.Criteria.RequiredServices[:0], o.criteria.RequiredServices...)
	dst.Criteria.RequiredLabels = append(dst.Criteria.RequiredLabels[:0], o.criteria.RequiredLabels...)
	dst.Criteria.PreferredLabels = append(dst.Criteria.PreferredLabels[:0], o.criteria.PreferredLabels...)
}

func unionInto[S ~[]E, E comparable](dst, src S) S {
outer:
	for _, s := range src {
		for _, d := range dst {
			if d == s {
				continue outer
			}
		}
		dst = append(dst, s)
	}
	return dst
}

// eval evaluates node k and returns its value and the index of the clause
// that decided it: the first failing clause of an all, the first holding
// clause of an any, the node itself otherwise.
func (r *Rules) eval(f *ruleFacts, k int32) (bool, int32) {
	n := &r.nodes[k]
	switch n.kind {
	case nodeAll:
		for _, c := range n.kids {
			if ok, d := r.eval(f, c); !ok {
				return false, d
			}
		}
		return true, k
	case nodeAny:
		for _, c := range n.kids {
			if ok, d := r.eval(f, c); ok {
				return true, d
			}
		}
		return false, k
	case nodeNot:
		ok, _ := r.eval(f, n.kids[0])
		return !ok, k
	case nodeExpr:
		return r.evalExpr(f, n), k
	}
	return evalLeaf(f, n), k
}

func evalLeaf(f *ruleFacts, n *clauseNode) bool {
	switch n.ftype {
	case typeSet:
		var s uint64
		switch n.field {
		case fieldFlags:
			s = f.flags
		case fieldNeeds:
			s = f.needs
		default:
			s = f.constraints
		}
		switch n.op {
		case OpHasAll:
			return s&n.bits == n.bits
		case OpHasNone:
			return s&n.bits == 0
		}
		return s&n.bits != 0
	case typeString:
		var s string
		switch n.field {
		case fieldInstrument:
			s = f.in.Assessment.Instrument
		case fieldDepartement:
			s = f.in.Departement
		case fieldRegion:
			s = f.in.Region
		default:
			s = f.language
		}
		in := false
		for _, v := range n.strs {
			if v == s {
				in = true
				break
			}
		}
		if n.op == OpNe || n.op == OpNotIn {
			return !in
		}
		return in
	}
	// Ordered enums, density group, density and scores: a value, 0 or
	// unset when unknown. An unknown value satisfies only ne and not_in.
	var v float64
	known := true
	var bit uint
	switch n.field {
	case fieldLevel:
		v, known, bit = float64(f.level), f.level > 0, uint(f.level-1)
	case fieldAgeBand:
		v, known, bit = float64(f.ageBand), f.ageBand > 0, uint(f.ageBand-1)
	case fieldDensityGroup:
		v, known, bit = float64(f.group), f.group > 0, uint(f.group-1)
	case fieldDensity:
		v, known, bit = float64(f.density), f.density > 0, uint(f.density)
	case fieldScore:
		v, known = f.scores[n.slot], f.scoreSet&(1<<uint(n.slot)) != 0
	}
	if !known {
		return n.op == OpNe || n.op == OpNotIn
	}
	switch n.op {
	case OpEq:
		return v == n.num
	case OpNe:
		return v != n.num
	case OpLt:
		return v < n.num
	case OpLe:
		return v <= n.num
	case OpGt:
		return v > n.num
	case OpGe:
		return v >= n.num
	case OpIn:
		return n.bits&(1<<bit) != 0
	case OpNotIn:
		return n.bits&(1<<bit) == 0
	}
	return false
}

// exprEnv is what expr clauses see: the same fields as clauses, with
// scores as a map and ranks for the ordered enums. A score the assessment
// lacks reads 0 in a map access: guard with 'practice' in scores.
type exprEnv struct {
	Level        string             `expr:"level"`
	LevelRank    int                `expr:"level_rank"`
	Flags        []string           `expr:"flags"`
	Scores       map[string]float64 `expr:"scores"`
	Instrument   string             `expr:"instrument"`
	AgeBand      string             `expr:"age_band"`
	AgeRank      int                `expr:"age_rank"`
	Density      int                `expr:"density"`
	DensityGroup string             `expr:"density_group"`
	Departement  string             `expr:"departement"`
	Region       string             `expr:"region"`
	Needs        []string           `expr:"needs"`
	Constraints  []string           `expr:"constraints"`
	Language     string             `expr:"language"`
}

func newExprEnv(f *ruleFacts) *exprEnv {
	in := f.in
	e := &exprEnv{
		Level:        string(in.Assessment.Level),
		LevelRank:    f.level,
		Flags:        asStrings(in.Assessment.Flags),
		Scores:       make(map[string]float64, len(in.Assessment.Scores)),
		Instrument:   in.Assessment.Instrument,
		AgeBand:      string(in.Person.AgeBand),
		AgeRank:      f.ageBand,
		Density:      f.density,
		DensityGroup: string(in.Density.Group()),
		Departement:  in.Departement,
		Region:       in.Region,
		Needs:        asStrings(in.Person.Needs),
		Constraints:  asStrings(in.Person.Constraints),
		Language:     f.language,
	}
	for _, s := range in.Assessment.Scores {
		e.Scores[s.Dimension] = s.Value
	}
	return e
}

// evalExpr runs an expr clause. An expression that fails at run time (a
// missing score used in arithmetic, ...) does not hold.
func (r *Rules) evalExpr(f *ruleFacts, n *clauseNode) bool {
	if f.env == nil {
		f.env = newExprEnv(f)
	}
	out, err := expr.Run(n.prog, f.env)
	if err != nil {
		return false
	}
	b, _ := out.(bool)
	return b
}
