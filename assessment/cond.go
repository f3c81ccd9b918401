package assessment

import (
	"math"
	"slices"
)

type condKind uint8

const (
	cTrue condKind = iota
	cAll
	cAny
	cNot
	cItemIn
	cItemIs
	cItemRange
	cAnswered
	cScore
	cCategory
	cLevel
)

// cond is a compiled Condition: item and dimension ids are indexes, option
// and category sets are bit masks, so evaluating allocates nothing.
type cond struct {
	kind     condKind
	subs     []cond
	item     int
	dim      int
	mask     uint64 // options (cItemIn), categories (cCategory), levels (cLevel)
	is       bool   // cItemIs, cAnswered
	min, max float64
}

// condScope says what a condition may refer to.
type condScope struct {
	items     int  // items with an index below this
	itemsOnly bool // no score or category test (skip logic, assessed_if)
	level     bool // level tests allowed (flag rules)
}

func (c *compiler) cond(x Condition, p string, s condScope) *cond {
	forms := 0
	for _, set := range []bool{x.All != nil, x.Any != nil, x.Not != nil, x.Item != "", x.Score != "", x.Category != nil, x.Level != nil} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		c.addf(p, "", "a condition needs exactly one of all, any, not, item, score, category, level (found %d)", forms)
		return nil
	}
	// JSON [] decodes to an empty, non-nil list: a test that never matches.
	for _, l := range []struct {
		key   string
		empty bool
	}{{"in", x.In != nil && len(x.In) == 0}, {"category", x.Category != nil && len(x.Category) == 0}, {"level", x.Level != nil && len(x.Level) == 0}} {
		if l.empty {
			c.addf(p+"/"+l.key, x.Item, "an empty %s list never matches", l.key)
			return nil
		}
	}
	itemOnly := x.In != nil || x.Is != nil || x.Answered != nil
	if x.Item == "" && itemOnly {
		c.addf(p, "", "in, is and answered need an item")
		return nil
	}
	if x.Item == "" && x.Score == "" && (x.Min != nil || x.Max != nil) {
		c.addf(p, "", "min and max need an item or a score")
		return nil
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	if x.Min != nil {
		lo = *x.Min
	}
	if x.Max != nil {
		hi = *x.Max
	}
	switch {
	case x.All != nil || x.Any != nil:
		list, kind, key := x.All, cAll, "all"
		if x.Any != nil {
			list, kind, key = x.Any, cAny, "any"
		}
		if len(list) == 0 {
			c.addf(p+"/"+key, "", "an empty %s list", key)
			return nil
		}
		out := &cond{kind: kind}
		for i, sub := range list {
			if cs := c.cond(sub, p+pointer(key, i), s); cs != nil {
				out.subs = append(out.subs, *cs)
			}
		}
		return out
	case x.Not != nil:
		sub := c.cond(*x.Not, p+"/not", s)
		if sub == nil {
			return nil
		}
		return &cond{kind: cNot, subs: []cond{*sub}}
	case x.Item != "":
		return c.itemCond(x, p, s, lo, hi)
	case x.Score != "":
		if s.itemsOnly {
			c.addf(p+"/score", "", "only scoring rules may test a score")
			return nil
		}
		k := slices.IndexFunc(c.in.dims, func(d cdim) bool { return d.id == x.Score })
		if k < 0 {
			c.addf(p+"/score", "", "unknown dimension %q", x.Score)
			return nil
		}
		if x.Min == nil && x.Max == nil {
			c.addf(p, "", "a score test needs min or max")
			return nil
		}
		return &cond{kind: cScore, dim: k, min: lo, max: hi}
	case x.Category != nil:
		if s.itemsOnly {
			c.addf(p+"/category", "", "only scoring rules may test the category")
			return nil
		}
		out := &cond{kind: cCategory}
		for i, id := range x.Category {
			k := slices.Index(c.in.categories, id)
			if k < 0 {
				c.addf(p+pointer("category", i), "", "unknown category %q (have %v)", id, c.in.categories)
				continue
			}
			out.mask |= 1 << k
		}
		return out
	default:
		if !s.level {
			c.addf(p+"/level", "", "only flag rules may test the level")
			return nil
		}
		out := &cond{kind: cLevel}
		for i, l := range x.Level {
			if !l.Valid() {
				c.addf(p+pointer("level", i), "", "unknown level %q", l)
				continue
			}
			out.mask |= 1 << l.Rank()
		}
		return out
	}
}

func (c *compiler) itemCond(x Condition, p string, s condScope, lo, hi float64) *cond {
	k, ok := c.in.index[x.Item]
	if !ok || k >= s.items {
		later := slices.ContainsFunc(c.in.def.Items, func(it Item) bool { return it.ID == x.Item })
		if later {
			c.addf(p+"/item", x.Item, "skip logic may only refer to earlier items")
		} else {
			c.addf(p+"/item", x.Item, "unknown item")
		}
		return nil
	}
	it := c.in.items[k]
	tests := 0
	for _, set := range []bool{x.In != nil, x.Is != nil, x.Answered != nil, x.Min != nil || x.Max != nil} {
		if set {
			tests++
		}
	}
	if tests != 1 {
		c.addf(p, x.Item, "an item test needs exactly one of in, is, answered, min/max (found %d)", tests)
		return nil
	}
	switch {
	case x.Answered != nil:
		return &cond{kind: cAnswered, item: k, is: *x.Answered}
	case x.In != nil:
		if it.typ != AnswerChoice && it.typ != AnswerMulti {
			c.addf(p+"/in", x.Item, "in tests a choice or multi item, this one is %s", it.typ)
			return nil
		}
		out := &cond{kind: cItemIn, item: k}
		for i, v := range x.In {
			j := slices.Index(it.options, v)
			if j < 0 {
				c.addf(p+pointer("in", i), x.Item, "unknown option %q (have %v)", v, it.options)
				continue
			}
			out.mask |= 1 << j
		}
		return out
	case x.Is != nil:
		if it.typ != AnswerBoolean {
			c.addf(p+"/is", x.Item, "is tests a boolean item, this one is %s", it.typ)
			return nil
		}
		return &cond{kind: cItemIs, item: k, is: *x.Is}
	default:
		if it.typ != AnswerInteger && it.typ != AnswerLikert {
			c.addf(p, x.Item, "min and max test an integer or likert item, this one is %s", it.typ)
			return nil
		}
		return &cond{kind: cItemRange, item: k, min: lo, max: hi}
	}
}

// eval tests c against a scoring state. Items that are not answered (or
// hidden by skip logic) fail every item test but answered=false.
func (c *cond) eval(st *state) bool {
	switch c.kind {
	case cTrue:
		return true
	case cAll:
		for i := range c.subs {
			if !c.subs[i].eval(st) {
				return false
			}
		}
		return true
	case cAny:
		for i := range c.subs {
			if c.subs[i].eval(st) {
				return true
			}
		}
		return false
	case cNot:
		return !c.subs[0].eval(st)
	case cAnswered:
		return st.eff[c.item] == c.is
	case cItemIn:
		return st.eff[c.item] && st.ans.slots[c.item].bits&c.mask != 0
	case cItemIs:
		return st.eff[c.item] && (st.ans.slots[c.item].num == 1) == c.is
	case cItemRange:
		v := st.ans.slots[c.item].num
		return st.eff[c.item] && v >= c.min && v <= c.max
	case cScore:
		v := st.scores[c.dim].Value
		return v >= c.min && v <= c.max
	case cCategory:
		return st.category >= 0 && c.mask&(1<<st.category) != 0
	case cLevel:
		return c.mask&(1<<st.level.Rank()) != 0
	}
	return false
}

// tri is a three-valued truth: a test on answers that may still come.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// eval3 tests c knowing that the items k with open[k] are unanswered but
// may still be answered: a test that depends on them is unknown. open may
// be shorter than the item list while skip logic is being settled; items
// past its end count as closed.
func (c *cond) eval3(st *state, open []bool) tri {
	switch c.kind {
	case cAll, cAny:
		stop := triFalse // the value that decides an all
		if c.kind == cAny {
			stop = triTrue
		}
		out := triOf(c.kind == cAll)
		for i := range c.subs {
			v := c.subs[i].eval3(st, open)
			if v == stop {
				return stop
			}
			if v == triUnknown {
				out = triUnknown
			}
		}
		return out
	case cNot:
		switch c.subs[0].eval3(st, open) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case cAnswered, cItemIn, cItemIs, cItemRange:
		if isOpen(open, c.item) {
			return triUnknown
		}
		return triOf(c.eval(st))
	case cScore:
		lo, hi := st.scores[c.dim].Value, st.scores[c.dim].Value
		for _, k := range st.in.dims[c.dim].items {
			if isOpen(open, k) {
				lo += min(0, st.in.items[k].lo)
				hi += max(0, st.in.items[k].hi)
			}
		}
		if lo >= c.min && hi <= c.max {
			return triTrue
		}
		if hi < c.min || lo > c.max {
			return triFalse
		}
		return triUnknown
	case cCategory:
		for k := range open {
			if open[k] {
				return triUnknown
			}
		}
		return triOf(c.eval(st))
	}
	return triOf(c.eval(st))
}

func isOpen(open []bool, k int) bool { return k < len(open) && open[k] }
