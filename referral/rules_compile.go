package referral

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// fieldID names a field that clauses can compare.
type fieldID uint8

const (
	fieldLevel fieldID = iota + 1
	fieldFlags
	fieldScore
	fieldInstrument
	fieldAgeBand
	fieldDensity
	fieldDensityGroup
	fieldDepartement
	fieldRegion
	fieldNeeds
	fieldConstraints
	fieldLanguage
)

// fieldType decides which operators and values a field accepts.
type fieldType uint8

const (
	typeOrderedEnum fieldType = iota + 1 // level, age_band: compared by rank
	typeSet                              // flags, needs, constraints
	typeNumber                           // scores.<dimension>, density
	typeEnum                             // density_group
	typeString                           // instrument, departement, region, language
)

// fieldNames lists the fields in the order the documentation gives them.
// scores.<dimension> stands for every dimension.
func fieldNames() []string {
	return []string{"level", "flags", "scores.<dimension>", "instrument", "age_band", "density", "density_group", "departement", "region", "needs", "constraints", "language"}
}

func lookupField(name string) (fieldID, fieldType, bool) {
	switch name {
	case "level":
		return fieldLevel, typeOrderedEnum, true
	case "flags":
		return fieldFlags, typeSet, true
	case "instrument":
		return fieldInstrument, typeString, true
	case "age_band":
		return fieldAgeBand, typeOrderedEnum, true
	case "density":
		return fieldDensity, typeNumber, true
	case "density_group":
		return fieldDensityGroup, typeEnum, true
	case "departement":
		return fieldDepartement, typeString, true
	case "region":
		return fieldRegion, typeString, true
	case "needs":
		return fieldNeeds, typeSet, true
	case "constraints":
		return fieldConstraints, typeSet, true
	case "language":
		return fieldLanguage, typeString, true
	}
	if strings.HasPrefix(name, "scores.") {
		return fieldScore, typeNumber, true
	}
	return 0, 0, false
}

func opsFor(t fieldType) []Op {
	switch t {
	case typeOrderedEnum:
		return []Op{OpEq, OpNe, OpIn, OpNotIn, OpLt, OpLe, OpGt, OpGe}
	case typeSet:
		return []Op{OpHas, OpHasAny, OpHasAll, OpHasNone}
	case typeNumber:
		return []Op{OpEq, OpNe, OpIn, OpNotIn, OpLt, OpLe, OpGt, OpGe}
	}
	return []Op{OpEq, OpNe, OpIn, OpNotIn}
}

// enumValues is the closed list of values of an enum or set field; nil
// for free fields. The position of a value is its bit (and, for ordered
// enums, its rank minus one).
func enumValues(f fieldID) []string {
	switch f {
	case fieldLevel:
		return asStrings(assessment.Levels())
	case fieldAgeBand:
		return asStrings(AgeBands())
	case fieldFlags:
		return asStrings(ruleFlags())
	case fieldNeeds:
		return asStrings(Needs())
	case fieldConstraints:
		return asStrings(Constraints())
	case fieldDensityGroup:
		return asStrings(densityGroups())
	}
	return nil
}

// enum is enumValues with the flags the document declares after the
// assessment's own.
func (c *rulesCompiler) enum(f fieldID) []string {
	values := enumValues(f)
	if f == fieldFlags {
		values = append(values, c.rules.extraFlags...)
	}
	return values
}

// maxFlags bounds the flags a rule set can test, one bit each.
const maxFlags = 64

func ruleFlags() []assessment.Flag {
	return []assessment.Flag{
		assessment.FlagNeedsProxy, assessment.FlagNoHelper, assessment.FlagLanguageBarrier,
		assessment.FlagVisualImpairment, assessment.FlagHearingImpairment, assessment.FlagReadingDifficulty,
		assessment.FlagLowHealthLiteracy, assessment.FlagMESNotActivated,
	}
}

func densityGroups() []territory.DensityGroup {
	return []territory.DensityGroup{territory.Dense, territory.Intermediate, territory.LowDensity, territory.VeryLowDensity}
}

func asStrings[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Node kinds of a compiled clause tree.
type nodeKind uint8

const (
	nodeAll nodeKind = iota + 1
	nodeAny
	nodeNot
	nodeLeaf
	nodeExpr
)

// node is one compiled clause. Children are indexes into Rules.nodes, so a
// rule set is a few flat slices that evaluation only reads.
type clauseNode struct {
	kind  nodeKind
	field fieldID
	ftype fieldType
	op    Op
	kids  []int32
	num   float64  // number, or rank of an ordered enum
	bits  uint64   // set of enum positions (in, not_in, has_*)
	strs  []string // string values (eq, ne, in, not_in)
	slot  int      // score slot for scores.<dimension>
	prog  *vm.Program
	path  string // JSON pointer of the clause in the document
	text  string // the clause as written, for explanations
	fails assessment.Text
}

type compiledOutcome struct {
	pathway  PathwayID
	rank     int
	priority int
	criteria PlaceCriteria
}

type compiledRule struct {
	id          string
	description assessment.Text
	path        string
	root        int32 // -1: no condition, always fires
	outcomes    []compiledOutcome
	stop        bool
	stopped     assessment.Text // why the rules after this one were skipped
}

// maxScoreSlots bounds the score dimensions one rule set may name, so that
// evaluation keeps them in a fixed array on the stack.
const maxScoreSlots = 16

// rulesCompiler gathers problems while it compiles a document.
type rulesCompiler struct {
	rules    *Rules
	cat      *Catalogue
	problems []RulesProblem
	exprOpts []expr.Option
}

func (c *rulesCompiler) addf(path, format string, args ...any) {
	c.problems = append(c.problems, RulesProblem{Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	ruleIDPattern     = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	departementFormat = regexp.MustCompile(`^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])$`)
	regionFormat      = regexp.MustCompile(`^[0-9]{2}$`)
	languageFormat    = regexp.MustCompile(`^[a-z]{2}$`)
	dimensionFormat   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

func compileDocument(doc *RulesDocument, cat *Catalogue) (*Rules, []RulesProblem) {
	r := &Rules{
		version:     doc.Version,
		title:       doc.Title,
		pathwayRank: map[PathwayID]int{},
	}
	for i, id := range cat.IDs() {
		r.pathwayRank[id] = i
	}
	c := &rulesCompiler{rules: r, cat: cat, exprOpts: []expr.Option{expr.Env(exprEnv{}), expr.AsBool()}}
	if strings.TrimSpace(doc.Version) == "" {
		c.addf("/version", "the version is empty")
	}
	known := enumValues(fieldFlags)
	for i, fl := range doc.Flags {
		p := "/flags/" + strconv.Itoa(i)
		switch {
		case !dimensionFormat.MatchString(fl):
			c.addf(p, "flag %q is not lower snake case", fl)
		case slices.Contains(known, fl):
			c.addf(p, "flag %q is an assessment flag already: no need to declare it", fl)
		case slices.Contains(r.extraFlags, fl):
			c.addf(p, "flag %q is declared twice", fl)
		case len(known)+len(r.extraFlags) == maxFlags:
			c.addf(p, "more than %d flags in one rule set", maxFlags)
		default:
			r.extraFlags = append(r.extraFlags, fl)
		}
	}
	seen := map[string]int{}
	for i := range doc.Rules {
		spec := &doc.Rules[i]
		path := "/rules/" + strconv.Itoa(i)
		if !ruleIDPattern.MatchString(spec.ID) {
			c.addf(path+"/id", "rule id %q is not lower snake case", spec.ID)
		}
		if j, dup := seen[spec.ID]; dup {
			c.addf(path+"/id", "duplicate rule id %q (already /rules/%d)", spec.ID, j)
		} else {
			seen[spec.ID] = i
		}
		if strings.TrimSpace(spec.Description.FR) == "" {
			c.addf(path+"/description/fr", "the French description is empty")
		}
		cr := compiledRule{id: spec.ID, description: spec.Description, path: path, root: -1, stop: spec.Stop}
		cr.stopped = assessment.Text{
			FR: fmt.Sprintf("Non évaluée : la règle « %s » a arrêté l'évaluation.", spec.ID),
			EN: fmt.Sprintf("Not evaluated: rule %q stopped the evaluation.", spec.ID),
		}
		if spec.When != nil {
			cr.root = c.condition(spec.When, path+"/when", 1)
		}
		if len(spec.Then) == 0 {
			c.addf(path+"/then", "a rule proposes at least one pathway")
		}
		for j := range spec.Then {
			if o, ok := c.outcome(&spec.Then[j], path+"/then/"+strconv.Itoa(j)); ok {
				cr.outcomes = append(cr.outcomes, o)
			}
		}
		r.rules = append(r.rules, cr)
	}
	if len(doc.Rules) == 0 {
		c.addf("/rules", "the document has no rule")
	}
	for i := range doc.Tests {
		c.testCase(&doc.Tests[i], "/tests/"+strconv.Itoa(i))
	}
	for i := range r.nodes {
		n := &r.nodes[i]
		n.fails = assessment.Text{
			FR: fmt.Sprintf("Non retenue : « %s » n'est pas vérifié.", n.text),
			EN: fmt.Sprintf("Not applied: %q does not hold.", n.text),
		}
	}
	r.tests = doc.Tests
	return r, c.problems
}

func (c *rulesCompiler) outcome(o *OutcomeSpec, path string) (compiledOutcome, bool) {
	ok := true
	rank, known := c.rules.pathwayRank[o.Pathway]
	if !known {
		c.addf(path+"/pathway", "unknown pathway %q%s", o.Pathway, suggestClosest(string(o.Pathway), asStrings(c.cat.IDs())))
		ok = false
	}
	if o.Priority < 1 {
		c.addf(path+"/priority", "priority %d is below 1 (1 comes first)", o.Priority)
		ok = false
	}
	cr := &o.Criteria
	if cr.MaxKm < 0 || math.IsNaN(cr.MaxKm) || math.IsInf(cr.MaxKm, 0) {
		c.addf(path+"/criteria/max_km", "max_km %v is not a distance (0 means the engine's default)", cr.MaxKm)
		ok = false
	}
	services := asStrings(mediation.AllServices())
	for i, s := range cr.RequiredServices {
		if !s.Valid() {
			c.addf(fmt.Sprintf("%s/criteria/required_services/%d", path, i), "unknown service %q%s", s, suggestClosest(string(s), services))
			ok = false
		}
	}
	labels := asStrings(mediation.AllLabels())
	for name, list := range map[string][]mediation.Label{"required_labels": cr.RequiredLabels, "preferred_labels": cr.PreferredLabels} {
		for i, l := range list {
			if !l.Valid() {
				c.addf(fmt.Sprintf("%s/criteria/%s/%d", path, name, i), "unknown label %q%s", l, suggestClosest(string(l), labels))
				ok = false
			}
		}
	}
	out := compiledOutcome{pathway: o.Pathway, rank: rank, priority: o.Priority}
	out.criteria = PlaceCriteria{
		MaxKm:            cr.MaxKm,
		RequiredServices: slices.Clone(cr.RequiredServices),
		RequiredLabels:   slices.Clone(cr.RequiredLabels),
		PreferredLabels:  slices.Clone(cr.PreferredLabels),
	}
	return out, ok
}

// maxClauseDepth bounds the nesting of clauses: deeper trees say nothing a
// regional team would write, and explanations grow with the depth.
const maxClauseDepth = 32

// condition compiles cond and returns its node index (-1 when it cannot).
func (c *rulesCompiler) condition(cond *Condition, path string, depth int) int32 {
	if depth > maxClauseDepth {
		c.addf(path, "clauses nested deeper than %d levels", maxClauseDepth)
		return -1
	}
	set := 0
	for _, b := range []bool{cond.All != nil, cond.Any != nil, cond.Not != nil, cond.Field != "" || cond.Op != "" || cond.Value != nil, cond.Expr != ""} {
		if b {
			set++
		}
	}
	if set != 1 {
		if set == 0 {
			c.addf(path, "empty clause: write one of all, any, not, field (with op and value) or expr")
		} else {
			c.addf(path, "a clause holds exactly one of all, any, not, field (with op and value) or expr")
		}
		return -1
	}
	nodes := &c.rules.nodes
	switch {
	case cond.All != nil || cond.Any != nil:
		kind, key, list := nodeAll, "all", cond.All
		if cond.Any != nil {
			kind, key, list = nodeAny, "any", cond.Any
		}
		if len(list) == 0 {
			c.addf(path+"/"+key, "%s needs at least one clause", key)
			return -1
		}
		kids := make([]int32, 0, len(list))
		parts := make([]string, 0, len(list))
		for i := range list {
			k := c.condition(&list[i], path+"/"+key+"/"+strconv.Itoa(i), depth+1)
			if k >= 0 {
				kids = append(kids, k)
				parts = append(parts, (*nodes)[k].text)
			}
		}
		sep := " and "
		if kind == nodeAny {
			sep = " or "
		}
		*nodes = append(*nodes, clauseNode{kind: kind, kids: kids, path: path, text: "(" + strings.Join(parts, sep) + ")"})
	case cond.Not != nil:
		k := c.condition(cond.Not, path+"/not", depth+1)
		if k < 0 {
			return -1
		}
		*nodes = append(*nodes, clauseNode{kind: nodeNot, kids: []int32{k}, path: path, text: "not " + (*nodes)[k].text})
	case cond.Expr != "":
		prog, err := expr.Compile(cond.Expr, c.exprOpts...)
		if err != nil {
			c.addf(path+"/expr", "expr does not compile to a boolean: %s", singleLine(err.Error()))
			return -1
		}
		c.rules.hasExpr = true
		*nodes = append(*nodes, clauseNode{kind: nodeExpr, prog: prog, path: path, text: cond.Expr})
	default:
		n, ok := c.leaf(cond, path)
		if !ok {
			return -1
		}
		*nodes = append(*nodes, n)
	}
	return int32(len(*nodes) - 1)
}

func (c *rulesCompiler) leaf(cond *Condition, path string) (clauseNode, bool) {
	fid, ftype, ok := lookupField(cond.Field)
	if !ok {
		if cond.Field == "" {
			c.addf(path+"/field", "a field clause names its field")
		} else {
			c.addf(path+"/field", "unknown field %q%s", cond.Field, suggestClosest(cond.Field, append(fieldNames(), "scores.practice")))
		}
		return clauseNode{}, false
	}
	n := clauseNode{kind: nodeLeaf, field: fid, ftype: ftype, op: cond.Op, path: path}
	n.text = fmt.Sprintf("%s %s %s", cond.Field, cond.Op, valueText(cond.Value))
	if fid == fieldScore {
		dim := strings.TrimPrefix(cond.Field, "scores.")
		if !dimensionFormat.MatchString(dim) {
			c.addf(path+"/field", "score dimension %q is not a dimension id (lower snake case)", dim)
			return clauseNode{}, false
		}
		slot := slices.Index(c.rules.scoreDims, dim)
		if slot < 0 {
			if len(c.rules.scoreDims) == maxScoreSlots {
				c.addf(path+"/field", "more than %d score dimensions in one rule set", maxScoreSlots)
				return clauseNode{}, false
			}
			c.rules.scoreDims = append(c.rules.scoreDims, dim)
			slot = len(c.rules.scoreDims) - 1
		}
		n.slot = slot
	}
	ops := opsFor(ftype)
	if cond.Op == "" {
		c.addf(path+"/op", "missing operator; %s takes %s", cond.Field, joinOps(ops))
		return clauseNode{}, false
	}
	if !slices.Contains(ops, cond.Op) {
		c.addf(path+"/op", "operator %q does not apply to %s; use one of %s", cond.Op, cond.Field, joinOps(ops))
		return clauseNode{}, false
	}
	vpath := path + "/value"
	if cond.Value == nil {
		c.addf(vpath, "missing value")
		return clauseNode{}, false
	}
	list := cond.Op == OpIn || cond.Op == OpNotIn || cond.Op == OpHasAny || cond.Op == OpHasAll || cond.Op == OpHasNone
	values, isList := cond.Value.([]any)
	switch {
	case list && !isList:
		if ftype == typeSet {
			values = []any{cond.Value} // has_any: "x" reads as has_any: ["x"]
		} else {
			c.addf(vpath, "%s takes a list of values", cond.Op)
			return clauseNode{}, false
		}
	case !list && isList:
		c.addf(vpath, "%s takes a single value, not a list", cond.Op)
		return clauseNode{}, false
	case !list:
		values = []any{cond.Value}
	}
	if len(values) == 0 {
		c.addf(vpath, "the list of values is empty")
		return clauseNode{}, false
	}
	ok = true
	switch ftype {
	case typeOrderedEnum, typeSet, typeEnum:
		enum := c.enum(fid)
		for i, v := range values {
			p := vpath
			if list && isList {
				p += "/" + strconv.Itoa(i)
			}
			s, isStr := v.(string)
			if !isStr {
				c.addf(p, "%s takes text values, not %s%s", cond.Field, jsonKind(v), quoteHint(v))
				ok = false
				continue
			}
			pos := slices.Index(enum, s)
			if pos < 0 {
				c.addf(p, "%q is not a value of %s%s (values: %s)", s, cond.Field, suggestClosest(s, enum), strings.Join(enum, ", "))
				ok = false
				continue
			}
			n.bits |= 1 << uint(pos)
			n.num = float64(pos + 1)
		}
	case typeNumber:
		for i, v := range values {
			p := vpath
			if list && isList {
				p += "/" + strconv.Itoa(i)
			}
			f, isNum := v.(float64)
			if !isNum || math.IsNaN(f) || math.IsInf(f, 0) {
				c.addf(p, "%s takes numbers, not %s", cond.Field, jsonKind(v))
				ok = false
				continue
			}
			if fid == fieldDensity {
				if f != math.Trunc(f) || f < 1 || f > 7 {
					c.addf(p, "density is an INSEE class from 1 to 7, not %v", f)
					ok = false
					continue
				}
				n.bits |= 1 << uint(f)
			} else if list {
				c.addf(p, "%s on a score is not supported: use lt, le, gt, ge", cond.Op)
				ok = false
				continue
			}
			n.num = f
		}
	case typeString:
		for i, v := range values {
			p := vpath
			if list && isList {
				p += "/" + strconv.Itoa(i)
			}
			s, isStr := v.(string)
			if !isStr {
				c.addf(p, "%s takes text values, not %s%s", cond.Field, jsonKind(v), quoteHint(v))
				ok = false
				continue
			}
			if msg := checkCode(fid, s); msg != "" {
				c.addf(p, "%s", msg)
				ok = false
				continue
			}
			if fid == fieldLanguage && s == "fr" {
				s = "" // French is the empty language
			}
			n.strs = append(n.strs, s)
		}
	}
	return n, ok
}

func checkCode(f fieldID, s string) string {
	switch f {
	case fieldDepartement:
		if !departementFormat.MatchString(s) {
			return fmt.Sprintf("%q is not a département code (01 to 95, 2A, 2B, 971 to 978, 984 to 989)", s)
		}
	case fieldRegion:
		if !regionFormat.MatchString(s) {
			return fmt.Sprintf("%q is not a région code (two digits, e.g. 76)", s)
		}
	case fieldLanguage:
		if s != "" && !languageFormat.MatchString(s) {
			return fmt.Sprintf("%q is not an ISO 639-1 language code (two lower-case letters, e.g. en)", s)
		}
	case fieldInstrument:
		if !dimensionFormat.MatchString(s) {
			return fmt.Sprintf("%q is not an instrument id (lower snake case)", s)
		}
	}
	return ""
}

func (c *rulesCompiler) testCase(tc *RulesTestCase, path string) {
	if strings.TrimSpace(tc.Name) == "" {
		c.addf(path+"/name", "a test case has a name")
	}
	c.checkInput(&tc.Input, path+"/input")
	ep := path + "/expect"
	if tc.Expect.Pathways == nil && tc.Expect.Includes == nil && tc.Expect.Not == nil && tc.Expect.Fired == nil {
		c.addf(ep, "a test case expects something: pathways, includes, not or fired")
	}
	for name, list := range map[string][]PathwayID{"pathways": tc.Expect.Pathways, "includes": tc.Expect.Includes, "not": tc.Expect.Not} {
		for i, id := range list {
			if _, ok := c.rules.pathwayRank[id]; !ok {
				c.addf(fmt.Sprintf("%s/%s/%d", ep, name, i), "unknown pathway %q%s", id, suggestClosest(string(id), asStrings(c.cat.IDs())))
			}
		}
	}
	for i, id := range tc.Expect.Fired {
		if !slices.ContainsFunc(c.rules.rules, func(r compiledRule) bool { return r.id == id }) {
			c.addf(fmt.Sprintf("%s/fired/%d", ep, i), "no rule has id %q", id)
		}
	}
}

// checkInput checks the values of a test input at JSON path ip.
func (c *rulesCompiler) checkInput(in *TestInput, ip string) {
	if in.Level != "" && !in.Level.Valid() {
		c.addf(ip+"/level", "%q is not a level%s", in.Level, suggestClosest(string(in.Level), enumValues(fieldLevel)))
	}
	checkEnum := func(field string, values []string, enum []string) {
		for i, v := range values {
			if !slices.Contains(enum, v) {
				c.addf(fmt.Sprintf("%s/%s/%d", ip, field, i), "%q is not a value of %s%s", v, field, suggestClosest(v, enum))
			}
		}
	}
	checkEnum("flags", asStrings(in.Flags), c.enum(fieldFlags))
	checkEnum("needs", asStrings(in.Needs), enumValues(fieldNeeds))
	checkEnum("constraints", asStrings(in.Constraints), enumValues(fieldConstraints))
	if in.AgeBand != "" && !slices.Contains(AgeBands(), in.AgeBand) {
		c.addf(ip+"/age_band", "%q is not an age band%s", in.AgeBand, suggestClosest(string(in.AgeBand), enumValues(fieldAgeBand)))
	}
	if in.Density < 0 || in.Density > 7 {
		c.addf(ip+"/density", "density is an INSEE class from 1 to 7 (0 unknown), not %d", in.Density)
	}
	for f, v := range map[fieldID]string{fieldDepartement: in.Departement, fieldRegion: in.Region, fieldLanguage: in.Language, fieldInstrument: in.Instrument} {
		if v == "" {
			continue
		}
		if msg := checkCode(f, v); msg != "" {
			c.addf(ip+"/"+codeFieldName(f), "%s", msg)
		}
	}
}

func codeFieldName(f fieldID) string {
	switch f {
	case fieldDepartement:
		return "departement"
	case fieldRegion:
		return "region"
	case fieldLanguage:
		return "language"
	}
	return "instrument"
}

func joinOps(ops []Op) string { return strings.Join(asStrings(ops), ", ") }

func valueText(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// quoteHint explains a number where text was expected: YAML reads 60_69
// as 6069 and 01 as 1, so such values must be quoted.
func quoteHint(v any) string {
	if _, ok := v.(float64); ok {
		return ` (YAML reads 60_69 as the number 6069 and 01 as 1: write it in quotes, e.g. "60_69", "01")`
	}
	return ""
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func singleLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// suggestClosest suggests the closest candidate to typed, or returns "".
func suggestClosest(typed string, candidates []string) string {
	if len(typed) > 200 {
		return "" // no value is that long: no near miss to suggest
	}
	best, bestD := "", -1
	low := strings.ToLower(typed)
	for _, c := range candidates {
		d := rulesEditDistance(low, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(typed))/3)
	if bestD < 0 || bestD > limit {
		// A cut-off or French-spelt word: "autonome" for autonomous.
		best = ""
		for _, c := range candidates {
			if len(low) >= 4 && strings.HasPrefix(strings.ToLower(c), low[:len(low)-1]) {
				best = c
				break
			}
		}
		if best == "" {
			return ""
		}
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func rulesEditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
