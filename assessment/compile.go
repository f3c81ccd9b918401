package assessment

import (
	"fmt"
	"math"
	"slices"
)

// Instrument is a compiled, checked instrument, ready to score answers. It
// is immutable and safe for concurrent use; build one with Compile, Load,
// LoadFile or Builtin.
type Instrument struct {
	def   Definition
	index map[string]int // item id → index in items
	items []citem
	dims  []cdim
	// category ids (bands, or the DSI overall levels) and their texts.
	categories   []string
	categoryText []Text
	bandDim      int // dimension cut into bands, -1 when none
	bands        []cband
	areas        []carea
	assessedIf   *cond
	levels       []clevel
	flags        []cflag
	// maxWhy is the most lines a result may carry: one level, every flag.
	maxWhy int
}

type citem struct {
	id       string
	typ      AnswerType
	min, max float64 // integer and likert bounds
	options  []string
	points   []float64
	exclMask uint64 // exclusive options of a multi item
	show     *cond
	required bool
	// checklist items absent from a whole answer set mean false.
	checklist bool
	lo, hi    float64 // bounds of the points the item may add
	area      int     // index in areas, -1 when none
	// flagged items feed a flag rule: a session asks them even when the
	// level is certain.
	flagged bool
}

type cdim struct {
	id    string
	items []int
}

type cband struct {
	min, max float64
}

type carea struct {
	id           string
	items        []int
	basic, above int
}

type clevel struct {
	when  *cond
	level Level
	why   Text
}

type cflag struct {
	when cond
	flag Flag
	why  Text
}

// DSI overall levels, in the order used as category indexes.
var dsiOverall = [...]string{"above_basic", "basic", "low", "narrow", "limited", "none", "not_assessed"}

const (
	dsiNotAssessed = 6
	dsiNone        = 5
)

// Compile checks def and compiles it. Every problem is reported, with its
// JSON path in the definition, in an *InstrumentError.
func Compile(def Definition) (*Instrument, error) {
	return compile(def, "<definition>")
}

type compiler struct {
	in       *Instrument
	problems []Problem
}

func (c *compiler) addf(path, item, format string, args ...any) {
	c.problems = append(c.problems, Problem{Item: item, Path: path, Message: fmt.Sprintf(format, args...)})
}

func compile(def Definition, source string) (*Instrument, error) {
	in := &Instrument{def: def, index: make(map[string]int, len(def.Items)), bandDim: -1}
	c := &compiler{in: in}
	if def.ID == "" {
		c.addf("/id", "", "missing instrument id")
	}
	if def.Version == "" {
		c.addf("/version", "", "missing version")
	}
	if def.Title.FR == "" {
		c.addf("/title/fr", "", "missing French title")
	}
	if len(def.Items) == 0 {
		c.addf("/items", "", "an instrument needs at least one item")
	}
	sc := def.Scoring
	// Areas first: items name them.
	areaIndex := map[string]int{}
	if sc.Method == MethodDSI20 {
		if len(sc.Areas) == 0 {
			c.addf("/scoring/areas", "", "method dsi_2_0 needs areas")
		}
		for i, a := range sc.Areas {
			p := pointer("scoring", "areas", i)
			if _, dup := areaIndex[a.ID]; dup {
				c.addf(p+"/id", "", "duplicate area id %q", a.ID)
			}
			areaIndex[a.ID] = i
			if a.BasicAt < 1 || a.AboveBasicAt < a.BasicAt {
				c.addf(p, "", "need 1 <= basic_at <= above_basic_at, got %d and %d", a.BasicAt, a.AboveBasicAt)
			}
			in.areas = append(in.areas, carea{id: a.ID, basic: a.BasicAt, above: a.AboveBasicAt})
		}
	} else if len(sc.Areas) > 0 {
		c.addf("/scoring/areas", "", "areas are only used by method dsi_2_0")
	}
	for i, it := range def.Items {
		c.item(i, it, areaIndex)
	}
	for i, d := range sc.Dimensions {
		p := pointer("scoring", "dimensions", i)
		if d.ID == "" {
			c.addf(p+"/id", "", "missing dimension id")
		}
		if slices.ContainsFunc(in.dims, func(x cdim) bool { return x.id == d.ID }) {
			c.addf(p+"/id", "", "duplicate dimension id %q", d.ID)
		}
		if _, clash := areaIndex[d.ID]; clash {
			c.addf(p+"/id", "", "dimension id %q is also an area id", d.ID)
		}
		cd := cdim{id: d.ID}
		for j, id := range d.Items {
			k, ok := in.index[id]
			if !ok {
				c.addf(pointer("scoring", "dimensions", i, "items", j), id, "unknown item")
				continue
			}
			cd.items = append(cd.items, k)
		}
		in.dims = append(in.dims, cd)
	}
	// Each DSI area is also a dimension: the count of its activities.
	for _, a := range in.areas {
		in.dims = append(in.dims, cdim{id: a.id, items: a.items})
	}
	c.scoring()
	if len(c.problems) > 0 {
		return nil, &InstrumentError{Source: source, Problems: c.problems}
	}
	in.maxWhy = 1 + len(in.flags)
	return in, nil
}

func (c *compiler) item(i int, it Item, areaIndex map[string]int) {
	in := c.in
	p := pointer("items", i)
	if it.ID == "" {
		c.addf(p+"/id", "", "missing item id")
	}
	if _, dup := in.index[it.ID]; dup {
		c.addf(p+"/id", it.ID, "duplicate item id")
	}
	if it.Text.FR == "" {
		c.addf(p+"/text/fr", it.ID, "missing French text")
	}
	ci := citem{id: it.ID, typ: it.Type, required: it.Required, checklist: it.Checklist, area: -1}
	if it.Checklist && it.Type != AnswerBoolean {
		c.addf(p+"/checklist", it.ID, "only boolean items can be checklist items")
	}
	switch it.Type {
	case AnswerBoolean:
		ci.lo, ci.hi = 0, 1
	case AnswerChoice, AnswerMulti:
		if len(it.Options) == 0 {
			c.addf(p+"/options", it.ID, "a %s item needs options", it.Type)
		}
		if len(it.Options) > 64 {
			c.addf(p+"/options", it.ID, "at most 64 options, got %d", len(it.Options))
		}
		seen := map[string]bool{}
		ci.lo, ci.hi = math.Inf(1), math.Inf(-1)
		var sumPos, sumNeg float64
		for j, o := range it.Options {
			if seen[o.Value] {
				c.addf(pointer("items", i, "options", j, "value"), it.ID, "duplicate option value %q", o.Value)
			}
			seen[o.Value] = true
			if o.Text.FR == "" {
				c.addf(pointer("items", i, "options", j, "text", "fr"), it.ID, "missing French text")
			}
			if o.Exclusive {
				if it.Type != AnswerMulti {
					c.addf(pointer("items", i, "options", j, "exclusive"), it.ID, "only options of a multi item can be exclusive")
				} else if j < 64 {
					ci.exclMask |= 1 << j
				}
			}
			ci.options = append(ci.options, o.Value)
			ci.points = append(ci.points, o.Points)
			ci.lo, ci.hi = min(ci.lo, o.Points), max(ci.hi, o.Points)
			if o.Points > 0 {
				sumPos += o.Points
			} else {
				sumNeg += o.Points
			}
		}
		if it.Type == AnswerMulti {
			ci.lo, ci.hi = sumNeg, sumPos
		}
		if len(it.Options) == 0 {
			ci.lo, ci.hi = 0, 0
		}
	case AnswerInteger, AnswerLikert:
		if it.Min == nil || it.Max == nil {
			c.addf(p, it.ID, "a %s item needs min and max", it.Type)
			break
		}
		ci.min, ci.max = float64(*it.Min), float64(*it.Max)
		ci.lo, ci.hi = ci.min, ci.max
		if ci.min > ci.max {
			c.addf(p+"/min", it.ID, "min %d is greater than max %d", *it.Min, *it.Max)
		}
		if it.Type == AnswerLikert {
			if n := *it.Max - *it.Min + 1; n > 11 {
				c.addf(p+"/max", it.ID, "a likert scale has at most 11 points, got %d", n)
			} else if len(it.Labels) > 0 && len(it.Labels) != n {
				c.addf(p+"/labels", it.ID, "need %d labels (one per point from min to max), got %d", n, len(it.Labels))
			}
		}
	default:
		c.addf(p+"/type", it.ID, "unknown answer type %q", it.Type)
	}
	if len(it.Options) > 0 && it.Type != AnswerChoice && it.Type != AnswerMulti {
		c.addf(p+"/options", it.ID, "only choice and multi items have options")
	}
	if (it.Min != nil || it.Max != nil) && it.Type != AnswerInteger && it.Type != AnswerLikert {
		c.addf(p, it.ID, "only integer and likert items have min and max")
	}
	if len(it.Labels) > 0 && it.Type != AnswerLikert {
		c.addf(p+"/labels", it.ID, "only likert items have labels")
	}
	if it.Area != "" {
		k, ok := areaIndex[it.Area]
		switch {
		case !ok:
			c.addf(p+"/area", it.ID, "unknown area %q", it.Area)
		case it.Type != AnswerBoolean:
			c.addf(p+"/area", it.ID, "an item counted in an area must be boolean")
		default:
			ci.area = k
			in.areas[k].items = append(in.areas[k].items, i)
		}
	}
	if it.ShowIf != nil {
		ci.show = c.cond(*it.ShowIf, p+"/show_if", condScope{items: i, itemsOnly: true})
	}
	if it.ID != "" {
		if _, dup := in.index[it.ID]; !dup {
			in.index[it.ID] = i
		}
	}
	in.items = append(in.items, ci)
}

func (c *compiler) scoring() {
	in := c.in
	sc := in.def.Scoring
	switch sc.Method {
	case MethodSum, MethodPix, MethodDSI20:
	default:
		c.addf("/scoring/method", "", "unknown method %q (want sum, dsi_2_0 or pix)", sc.Method)
	}
	if sc.Bands != nil {
		if sc.Method == MethodDSI20 {
			c.addf("/scoring/bands", "", "method dsi_2_0 has no bands")
		}
		c.bands(*sc.Bands)
	} else if sc.Method == MethodPix {
		c.addf("/scoring", "", "method pix needs bands")
	}
	if sc.Method == MethodDSI20 {
		for _, o := range dsiOverall {
			in.categories = append(in.categories, o)
			in.categoryText = append(in.categoryText, dsiOverallText(o))
		}
	}
	full := condScope{items: len(in.items)}
	if sc.AssessedIf != nil {
		if sc.Method != MethodDSI20 {
			c.addf("/scoring/assessed_if", "", "only method dsi_2_0 uses assessed_if")
		}
		in.assessedIf = c.cond(*sc.AssessedIf, "/scoring/assessed_if", condScope{items: len(in.items), itemsOnly: true})
	}
	if len(sc.Levels) == 0 {
		c.addf("/scoring/levels", "", "need at least one level rule")
	}
	for i, r := range sc.Levels {
		p := pointer("scoring", "levels", i)
		if !r.Level.Valid() {
			c.addf(p+"/level", "", "unknown level %q (want no_access, beginner, intermediate or autonomous)", r.Level)
		}
		if r.Why.FR == "" {
			c.addf(p+"/why/fr", "", "missing French explanation")
		}
		last := i == len(sc.Levels)-1
		var w *cond
		switch {
		case r.When == nil && !last:
			c.addf(p, "", "only the last level rule may have no condition (the rules after it could never apply)")
		case r.When != nil && last:
			c.addf(p+"/when", "", "the last level rule must have no condition, so that every answer set gets a level")
		case r.When != nil:
			w = c.cond(*r.When, p+"/when", full)
		}
		in.levels = append(in.levels, clevel{when: w, level: r.Level, why: r.Why})
	}
	flagScope := full
	flagScope.level = true
	for i, r := range sc.Flags {
		p := pointer("scoring", "flags", i)
		if r.Flag == "" {
			c.addf(p+"/flag", "", "missing flag")
		}
		if r.Why.FR == "" {
			c.addf(p+"/why/fr", "", "missing French explanation")
		}
		w := c.cond(r.When, p+"/when", flagScope)
		if w == nil {
			w = &cond{kind: cTrue}
		}
		markFlagged(in, w)
		in.flags = append(in.flags, cflag{when: *w, flag: r.Flag, why: r.Why})
	}
}

func (c *compiler) bands(b Banding) {
	in := c.in
	k := slices.IndexFunc(in.dims, func(d cdim) bool { return d.id == b.Dimension })
	if k < 0 {
		c.addf("/scoring/bands/dimension", "", "unknown dimension %q", b.Dimension)
	}
	in.bandDim = k
	for i, bd := range b.Bands {
		p := pointer("scoring", "bands", "bands", i)
		if slices.Contains(in.categories, bd.ID) {
			c.addf(p+"/id", "", "duplicate band id %q", bd.ID)
		}
		hi := math.Inf(1)
		if bd.Max != nil {
			hi = *bd.Max
		}
		if hi < bd.Min {
			c.addf(p, "", "band max %v is below its min %v", hi, bd.Min)
		}
		if i > 0 && bd.Min <= in.bands[i-1].max {
			c.addf(p+"/min", "", "bands must be in increasing order without overlap: min %v is not above the previous max %v", bd.Min, in.bands[i-1].max)
		}
		if bd.Max == nil && i != len(b.Bands)-1 {
			c.addf(p+"/max", "", "only the last band may be open-ended")
		}
		in.bands = append(in.bands, cband{min: bd.Min, max: hi})
		in.categories = append(in.categories, bd.ID)
		in.categoryText = append(in.categoryText, bd.Text)
	}
}

// markFlagged records which items a flag rule reads, directly or through a
// dimension.
func markFlagged(in *Instrument, c *cond) {
	switch c.kind {
	case cAll, cAny, cNot:
		for i := range c.subs {
			markFlagged(in, &c.subs[i])
		}
	case cItemIn, cItemIs, cItemRange, cAnswered:
		in.items[c.item].flagged = true
	case cScore:
		for _, k := range in.dims[c.dim].items {
			in.items[k].flagged = true
		}
	}
}

func dsiOverallText(id string) Text {
	switch id {
	case "above_basic":
		return Text{FR: "compétences numériques supérieures aux compétences de base", EN: "above basic overall digital skills"}
	case "basic":
		return Text{FR: "compétences numériques de base", EN: "basic overall digital skills"}
	case "low":
		return Text{FR: "compétences numériques faibles (4 domaines sur 5)", EN: "low overall digital skills (4 areas of 5)"}
	case "narrow":
		return Text{FR: "compétences numériques étroites (3 domaines sur 5)", EN: "narrow overall digital skills (3 areas of 5)"}
	case "limited":
		return Text{FR: "compétences numériques limitées (2 domaines sur 5)", EN: "limited overall digital skills (2 areas of 5)"}
	case "none":
		return Text{FR: "aucune compétence numérique de base", EN: "no overall digital skills"}
	}
	return Text{FR: "non évalué : pas d'usage d'internet ces 3 derniers mois", EN: "not assessed: no internet use in the last 3 months"}
}
