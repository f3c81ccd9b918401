package assessment

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// DimensionScore is one dimension's value in a result.
type DimensionScore struct {
	Dimension string
	Value     float64
}

// AreaSkill is a DSI skill level in one area: "none", "basic" or
// "above_basic".
type AreaSkill string

// DSI per-area skill levels.
const (
	AreaNone       AreaSkill = "none"
	AreaBasic      AreaSkill = "basic"
	AreaAboveBasic AreaSkill = "above_basic"
)

// AreaLevel is the skill level reached in one DSI area.
type AreaLevel struct {
	Area  string
	Skill AreaSkill
}

// Result is what an instrument says about one person. Its JSON form (see
// MarshalJSON) is a stable contract: the CLI prints it as is.
//
// The slices are in instrument order. Why holds the explanation lines as
// texts in every language; Lang picks the one MarshalJSON writes.
type Result struct {
	Instrument string
	Version    string
	Level      Level
	Flags      []Flag
	Scores     []DimensionScore
	Why        []Text
	// Completeness is the share of the items still needed that are
	// answered, from 0 to 1 (see Session).
	Completeness float64

	Band          string      // eHEALS (method sum with bands)
	Areas         []AreaLevel // DSI; empty when not assessed
	Overall       string      // DSI
	Illectronisme bool        // DSI; meaningful when Overall is set
	PixLevel      string      // Pix

	// Lang is the language of the why lines in JSON; empty means French.
	Lang Lang

	category Text // text of the band or overall level, for {category}
}

// Score returns the score of dimension id and whether the result has it.
func (r *Result) Score(id string) (float64, bool) {
	for _, s := range r.Scores {
		if s.Dimension == id {
			return s.Value, true
		}
	}
	return 0, false
}

// HasFlag reports whether the result raised f.
func (r *Result) HasFlag(f Flag) bool {
	for _, x := range r.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// WhyIn returns the explanation lines in lang. A why text may name a
// dimension in braces ("{total}") to show its score, or "{category}" to
// show the band or overall level.
func (r *Result) WhyIn(lang Lang) []string {
	out := make([]string, len(r.Why))
	for i, t := range r.Why {
		out[i] = r.render(t.In(lang), lang)
	}
	return out
}

func (r *Result) render(s string, lang Lang) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := s[i+1 : i+1+j]
		b.WriteString(s[:i])
		if name == "category" {
			b.WriteString(r.category.In(lang))
		} else if v, ok := r.Score(name); ok {
			b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		} else {
			b.WriteString(s[i : i+2+j])
		}
		s = s[i+2+j:]
	}
}

// resultJSON is the wire form of a Result.
type resultJSON struct {
	Instrument    string               `json:"instrument"`
	Version       string               `json:"version"`
	Level         Level                `json:"level"`
	Flags         []Flag               `json:"flags"`
	Scores        map[string]float64   `json:"scores"`
	Why           []string             `json:"why"`
	Completeness  float64              `json:"completeness"`
	Band          string               `json:"band,omitempty"`
	Areas         map[string]AreaSkill `json:"areas,omitempty"`
	Overall       string               `json:"overall,omitempty"`
	Illectronisme *bool                `json:"illectronisme,omitempty"`
	PixLevel      string               `json:"pix_level,omitempty"`
	Lang          Lang                 `json:"lang"`
}

// MarshalJSON writes the result with the keys instrument, version, level,
// flags, scores (dimension → value), why (lines in r.Lang), completeness,
// lang, and when the instrument has them band, areas, overall,
// illectronisme and pix_level.
func (r Result) MarshalJSON() ([]byte, error) {
	lang := r.Lang
	if lang == "" {
		lang = LangFR
	}
	w := resultJSON{
		Instrument: r.Instrument, Version: r.Version, Level: r.Level,
		Flags: r.Flags, Scores: make(map[string]float64, len(r.Scores)),
		Why: r.WhyIn(lang), Completeness: r.Completeness,
		Band: r.Band, Overall: r.Overall, PixLevel: r.PixLevel, Lang: lang,
	}
	if w.Flags == nil {
		w.Flags = []Flag{}
	}
	for _, s := range r.Scores {
		w.Scores[s.Dimension] = s.Value
	}
	if len(r.Areas) > 0 {
		w.Areas = make(map[string]AreaSkill, len(r.Areas))
		for _, a := range r.Areas {
			w.Areas[a.Area] = a.Skill
		}
	}
	if r.Overall != "" {
		ill := r.Illectronisme
		w.Illectronisme = &ill
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a result written by MarshalJSON, so that stored
// results can be compared later. The why lines come back in the language
// they were written in (Lang); scores and areas come back sorted by id.
func (r *Result) UnmarshalJSON(data []byte) error {
	var w resultJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*r = Result{
		Instrument: w.Instrument, Version: w.Version, Level: w.Level, Flags: w.Flags,
		Completeness: w.Completeness, Band: w.Band, Overall: w.Overall, PixLevel: w.PixLevel, Lang: w.Lang,
	}
	if w.Illectronisme != nil {
		r.Illectronisme = *w.Illectronisme
	}
	for _, line := range w.Why {
		t := Text{FR: line}
		switch w.Lang {
		case LangEN:
			t = Text{EN: line, FR: line}
		case LangFREasy:
			t = Text{FREasy: line, FR: line}
		}
		r.Why = append(r.Why, t)
	}
	for _, id := range slices.Sorted(maps.Keys(w.Scores)) {
		r.Scores = append(r.Scores, DimensionScore{Dimension: id, Value: w.Scores[id]})
	}
	for _, id := range slices.Sorted(maps.Keys(w.Areas)) {
		r.Areas = append(r.Areas, AreaLevel{Area: id, Skill: w.Areas[id]})
	}
	return nil
}

// state is one scoring pass. eff[k] is true when item k is answered and
// shown by the skip logic: answers to hidden items are ignored.
type state struct {
	in       *Instrument
	ans      *AnswerSet
	eff      []bool
	scores   []DimensionScore // in dimension order
	category int
	level    Level
}

// newState computes which answers count. buf is scratch space, so that a
// caller can keep it on its stack.
func newState(in *Instrument, a *AnswerSet, buf []bool) state {
	st := state{in: in, ans: a, category: -1}
	if cap(buf) >= len(in.items) {
		st.eff = buf[:len(in.items)]
	} else {
		st.eff = make([]bool, len(in.items))
	}
	for k := range in.items {
		st.eff[k] = a.slots[k].set
		if st.eff[k] && in.items[k].show != nil {
			st.eff[k] = in.items[k].show.eval(&st)
		}
	}
	return st
}

// shown reports whether item k is shown by the skip logic now.
func (st *state) shown(k int) bool {
	s := st.in.items[k].show
	return s == nil || s.eval(st)
}

// Score scores a full answer set: required items must be answered. It
// allocates only the result's slices.
func (in *Instrument) Score(a *AnswerSet) (Result, error) {
	r := Result{
		Flags:  make([]Flag, 0, len(in.flags)),
		Scores: make([]DimensionScore, 0, len(in.dims)),
		Why:    make([]Text, 0, in.maxWhy),
	}
	if len(in.areas) > 0 {
		r.Areas = make([]AreaLevel, 0, len(in.areas))
	}
	err := in.ScoreInto(&r, a)
	return r, err
}

// ScoreInto is Score writing into dst, reusing its slices: scoring many
// answer sets through one Result allocates nothing once the slices have
// grown. On error dst is left with the partial result.
func (in *Instrument) ScoreInto(dst *Result, a *AnswerSet) error {
	if a == nil {
		return &AnswersError{Instrument: in.def.ID, Problems: []Problem{{Message: "no answers"}}}
	}
	if a.in != in {
		return &AnswersError{Instrument: in.def.ID, Problems: []Problem{{Message: "answers were made for instrument " + a.in.def.ID}}}
	}
	var buf [128]bool
	st := newState(in, a, buf[:0])
	in.evaluate(&st, dst)
	for k := range in.items {
		if in.items[k].required && !st.eff[k] && st.shown(k) {
			return &AnswersError{Instrument: in.def.ID, Problems: in.missing(a, nil)}
		}
	}
	return nil
}

// evaluate fills dst from st: scores, category, level, flags, why and
// completeness.
func (in *Instrument) evaluate(st *state, dst *Result) {
	dst.Instrument, dst.Version = in.def.ID, in.def.Version
	dst.Flags, dst.Scores, dst.Why, dst.Areas = dst.Flags[:0], dst.Scores[:0], dst.Why[:0], dst.Areas[:0]
	dst.Band, dst.Overall, dst.PixLevel, dst.Illectronisme = "", "", "", false
	dst.category = Text{}

	for d := range in.dims {
		var sum float64
		for _, k := range in.dims[d].items {
			if st.eff[k] {
				sum += in.items[k].pointsOf(st.ans.slots[k])
			}
		}
		dst.Scores = append(dst.Scores, DimensionScore{Dimension: in.dims[d].id, Value: sum})
	}
	st.scores = dst.Scores

	switch {
	case in.def.Scoring.Method == MethodDSI20:
		in.dsi(st, dst)
	case in.bandDim >= 0:
		v := dst.Scores[in.bandDim].Value
		for i, b := range in.bands {
			if v >= b.min && v <= b.max {
				st.category = i
				break
			}
		}
		if st.category >= 0 {
			id := in.categories[st.category]
			dst.category = in.categoryText[st.category]
			if in.def.Scoring.Method == MethodPix {
				dst.PixLevel = id
			} else {
				dst.Band = id
			}
		}
	}

	for i := range in.levels {
		l := &in.levels[i]
		if l.when == nil || l.when.eval(st) {
			st.level = l.level
			dst.Level = l.level
			dst.Why = append(dst.Why, l.why)
			break
		}
	}
	for i := range in.flags {
		f := &in.flags[i]
		if f.when.eval(st) && !dst.HasFlag(f.flag) {
			dst.Flags = append(dst.Flags, f.flag)
			dst.Why = append(dst.Why, f.why)
		}
	}
	dst.Completeness = in.completeness(st)
}

// dsi computes the per-area levels and the overall DSI 2.0 level.
func (in *Instrument) dsi(st *state, dst *Result) {
	if in.assessedIf != nil && !in.assessedIf.eval(st) {
		st.category = dsiNotAssessed
	} else {
		basic, above := 0, 0
		for _, a := range in.areas {
			n := 0
			for _, k := range a.items {
				if st.eff[k] && st.ans.slots[k].num == 1 {
					n++
				}
			}
			skill := AreaNone
			switch {
			case n >= a.above:
				skill, above, basic = AreaAboveBasic, above+1, basic+1
			case n >= a.basic:
				skill, basic = AreaBasic, basic+1
			}
			dst.Areas = append(dst.Areas, AreaLevel{Area: a.id, Skill: skill})
		}
		// Eurostat's overall level counts the areas at basic or above.
		switch n := len(in.areas); {
		case above == n:
			st.category = 0
		case basic == n:
			st.category = 1
		case basic == n-1:
			st.category = 2
		case basic == n-2:
			st.category = 3
		case basic == n-3:
			st.category = 4
		default:
			st.category = dsiNone
		}
	}
	dst.Overall = in.categories[st.category]
	dst.category = in.categoryText[st.category]
	dst.Illectronisme = st.category == dsiNotAssessed || st.category == dsiNone
}

// completeness is answered / (answered + still needed), over the items
// the skip logic shows.
func (in *Instrument) completeness(st *state) float64 {
	answered, needed := 0, 0
	certain := -1 // unknown yet: computed only when it matters
	for k := range in.items {
		if st.eff[k] {
			answered++
			continue
		}
		if !st.shown(k) {
			continue
		}
		if in.skippable(k) {
			if certain < 0 {
				certain = 0
				if in.levelCertain(st) {
					certain = 1
				}
			}
			if certain == 1 {
				continue
			}
		}
		needed++
	}
	if answered+needed == 0 {
		return 1
	}
	return float64(answered) / float64(answered+needed)
}

// skippable reports whether item k only serves to decide the level, so an
// adaptive instrument may leave it out once the level is certain.
func (in *Instrument) skippable(k int) bool {
	return in.def.Adaptive && !in.items[k].required && !in.items[k].flagged
}

// levelCertain reports whether the answers still to come can no longer
// change the level: the first level rule that may hold surely holds, or
// every rule that may hold before it gives the same level.
func (in *Instrument) levelCertain(st *state) bool {
	// An unanswered item may still be answered when its skip logic may
	// still show it. Skip logic only looks at earlier items, so one pass in
	// item order settles every item.
	var buf [128]bool
	open := buf[:0]
	if len(in.items) > len(buf) {
		open = make([]bool, 0, len(in.items))
	}
	for k := range in.items {
		s := in.items[k].show
		open = append(open, !st.eff[k] && (s == nil || s.eval3(st, open) != triFalse))
	}
	var maybe Level
	for i := range in.levels {
		l := &in.levels[i]
		v := triTrue
		if l.when != nil {
			v = l.when.eval3(st, open)
		}
		if v == triFalse {
			continue
		}
		if maybe != "" && maybe != l.level {
			return false
		}
		maybe = l.level
		if v == triTrue {
			return true
		}
	}
	return false
}
