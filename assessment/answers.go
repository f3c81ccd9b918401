package assessment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Value is one answer: a boolean, a number, a choice or a set of choices.
// Build it with Bool, Int, Choice or Choices.
type Value struct {
	kind valueKind
	num  float64
	str  []string
}

type valueKind uint8

const (
	valueNone valueKind = iota
	valueBool
	valueNumber
	valueChoice
	valueChoices
)

// Bool is the answer to a boolean item.
func Bool(b bool) Value {
	if b {
		return Value{kind: valueBool, num: 1}
	}
	return Value{kind: valueBool}
}

// Int is the answer to an integer or likert item.
func Int(n int) Value { return Value{kind: valueNumber, num: float64(n)} }

// Choice is the answer to a choice item: one option value.
func Choice(option string) Value { return Value{kind: valueChoice, str: []string{option}} }

// Choices is the answer to a multi item: option values, at least one.
func Choices(options ...string) Value { return Value{kind: valueChoices, str: options} }

func (v Value) String() string {
	switch v.kind {
	case valueBool:
		return strconv.FormatBool(v.num == 1)
	case valueNumber:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case valueChoice:
		return strconv.Quote(v.str[0])
	case valueChoices:
		b, _ := json.Marshal(v.str)
		return string(b)
	}
	return "null"
}

// slot is one item's recorded answer. bits holds the chosen options of a
// choice or multi item; num holds a boolean as 0/1, a number, or the index
// of a chosen option.
type slot struct {
	set  bool
	num  float64
	bits uint64
}

// AnswerSet holds one person's answers to one instrument, indexed like the
// instrument's items so that scoring does not look anything up. Reuse it
// with Reset; it is not safe for concurrent use.
type AnswerSet struct {
	in    *Instrument
	slots []slot
}

// NewAnswers returns an empty answer set for in.
func (in *Instrument) NewAnswers() *AnswerSet {
	return &AnswerSet{in: in, slots: make([]slot, len(in.items))}
}

// Instrument is the instrument the answers are for.
func (a *AnswerSet) Instrument() *Instrument { return a.in }

// Reset forgets every answer.
func (a *AnswerSet) Reset() { clear(a.slots) }

// Len is how many items are answered.
func (a *AnswerSet) Len() int {
	n := 0
	for _, s := range a.slots {
		if s.set {
			n++
		}
	}
	return n
}

// Set records the answer to item id, after checking its type and range.
// The error names the item and says what is wrong; it wraps
// ErrInvalidAnswers.
func (a *AnswerSet) Set(id string, v Value) error {
	k, ok := a.in.index[id]
	if !ok {
		return &AnswersError{Instrument: a.in.def.ID, Problems: []Problem{{Item: id, Path: pointer(id), Message: "unknown item"}}}
	}
	s, msg := a.in.items[k].check(v)
	if msg != "" {
		return &AnswersError{Instrument: a.in.def.ID, Problems: []Problem{{Item: id, Path: pointer(id), Message: msg}}}
	}
	a.slots[k] = s
	return nil
}

// Clear forgets the answer to item id, if any.
func (a *AnswerSet) Clear(id string) {
	if k, ok := a.in.index[id]; ok {
		a.slots[k] = slot{}
	}
}

// Get returns the answer to item id.
func (a *AnswerSet) Get(id string) (Value, bool) {
	k, ok := a.in.index[id]
	if !ok || !a.slots[k].set {
		return Value{}, false
	}
	return a.in.items[k].value(a.slots[k]), true
}

// check validates v for the item and returns its slot, or a message.
func (it *citem) check(v Value) (slot, string) {
	switch it.typ {
	case AnswerBoolean:
		if v.kind != valueBool {
			return slot{}, fmt.Sprintf("want true or false, got %s", v)
		}
		return slot{set: true, num: v.num}, ""
	case AnswerInteger, AnswerLikert:
		if v.kind != valueNumber {
			return slot{}, fmt.Sprintf("want an integer from %v to %v, got %s", it.min, it.max, v)
		}
		if v.num != math.Trunc(v.num) || v.num < it.min || v.num > it.max {
			return slot{}, fmt.Sprintf("%s is out of range: want an integer from %v to %v", v, it.min, it.max)
		}
		return slot{set: true, num: v.num}, ""
	case AnswerChoice:
		if v.kind != valueChoice {
			return slot{}, fmt.Sprintf("want one of %s, got %s", quoteList(it.options), v)
		}
		j := slices.Index(it.options, v.str[0])
		if j < 0 {
			return slot{}, fmt.Sprintf("%s is not an option: want one of %s", v, quoteList(it.options))
		}
		return slot{set: true, num: float64(j), bits: 1 << j}, ""
	case AnswerMulti:
		if v.kind != valueChoices && v.kind != valueChoice {
			return slot{}, fmt.Sprintf("want a list of options among %s, got %s", quoteList(it.options), v)
		}
		if len(v.str) == 0 {
			return slot{}, "an empty list: choose at least one option"
		}
		var bits uint64
		for _, o := range v.str {
			j := slices.Index(it.options, o)
			if j < 0 {
				return slot{}, fmt.Sprintf("%q is not an option: want options among %s", o, quoteList(it.options))
			}
			if bits&(1<<j) != 0 {
				return slot{}, fmt.Sprintf("option %q is listed twice", o)
			}
			bits |= 1 << j
		}
		if bits&it.exclMask != 0 && bits&^it.exclMask != 0 || bits&it.exclMask&(bits&it.exclMask-1) != 0 {
			return slot{}, "an exclusive option (such as \"none\") cannot be combined with other options"
		}
		return slot{set: true, num: float64(len(v.str)), bits: bits}, ""
	}
	return slot{}, "item has no answer type"
}

// value turns a slot back into a Value.
func (it *citem) value(s slot) Value {
	switch it.typ {
	case AnswerBoolean:
		return Bool(s.num == 1)
	case AnswerInteger, AnswerLikert:
		return Value{kind: valueNumber, num: s.num}
	case AnswerChoice:
		return Choice(it.options[int(s.num)])
	}
	var opts []string
	for j, o := range it.options {
		if s.bits&(1<<j) != 0 {
			opts = append(opts, o)
		}
	}
	return Choices(opts...)
}

// points is what an answer adds to a dimension.
func (it *citem) pointsOf(s slot) float64 {
	switch it.typ {
	case AnswerChoice:
		return it.points[int(s.num)]
	case AnswerMulti:
		var p float64
		for b, j := s.bits, 0; b != 0; b, j = b>>1, j+1 {
			if b&1 != 0 {
				p += it.points[j]
			}
		}
		return p
	}
	return s.num
}

func quoteList(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// MarshalJSON writes the answers as a JSON object {"item id": value}, in
// the instrument's item order: the format DecodeAnswers reads.
func (a *AnswerSet) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for k, s := range a.slots {
		if !s.set {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(a.in.items[k].id)
		b.Write(key)
		b.WriteByte(':')
		it := &a.in.items[k]
		switch it.typ {
		case AnswerBoolean:
			b.WriteString(strconv.FormatBool(s.num == 1))
		case AnswerInteger, AnswerLikert:
			b.WriteString(strconv.FormatFloat(s.num, 'f', -1, 64))
		default:
			v := it.value(s)
			var raw []byte
			if it.typ == AnswerChoice {
				raw, _ = json.Marshal(v.str[0])
			} else {
				raw, _ = json.Marshal(v.str)
			}
			b.Write(raw)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ParseAnswers reads a JSON object {"item id": value} from r; see
// DecodeAnswers.
func (in *Instrument) ParseAnswers(r io.Reader) (*AnswerSet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading answers: %w", err)
	}
	return in.DecodeAnswers(data)
}

// DecodeAnswers reads a JSON object {"item id": value}: true/false for a
// boolean item, an integer for an integer or likert item, an option value
// for a choice item, an array of option values for a multi item; null
// means "not answered". A shown checklist item that is absent is recorded
// as false. Every problem (not JSON, unknown item, duplicate
// item, wrong type, out of range, missing required item) is reported with
// its item and JSON path in one *AnswersError.
func (in *Instrument) DecodeAnswers(data []byte) (*AnswerSet, error) {
	a := in.NewAnswers()
	var problems []Problem
	add := func(item, path, format string, args ...any) {
		problems = append(problems, Problem{Item: item, Path: path, Message: fmt.Sprintf(format, args...)})
	}
	fail := func() error { return &AnswersError{Instrument: in.def.ID, Problems: problems} }

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		add("", "", "not JSON: %v", err)
		return nil, fail()
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		add("", "", "want a JSON object {\"item id\": value}, got %s", describeToken(tok))
		return nil, fail()
	}
	seen := make([]bool, len(in.items))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			add("", "", "not JSON: %v", err)
			return nil, fail()
		}
		id, _ := tok.(string)
		path := pointer(id)
		var raw any
		if err := dec.Decode(&raw); err != nil {
			add(id, path, "not JSON: %v", err)
			return nil, fail()
		}
		k, known := in.index[id]
		if !known {
			add(id, path, "unknown item (the instrument %s has %s)", in.def.ID, quoteList(in.ItemIDs()))
			continue
		}
		if seen[k] {
			add(id, path, "answered twice")
			continue
		}
		seen[k] = true
		if raw == nil {
			continue
		}
		v, msg := jsonValue(raw)
		if msg == "" {
			var s slot
			s, msg = in.items[k].check(v)
			a.slots[k] = s
		}
		if msg != "" {
			add(id, path, "%s", msg)
		}
	}
	if _, err := dec.Token(); err != nil {
		add("", "", "not JSON: %v", err)
		return nil, fail()
	}
	if _, err := dec.Token(); err != io.EOF {
		add("", "", "unexpected data after the answers object")
	}
	if len(problems) == 0 {
		in.untick(a)
		problems = in.missing(a, problems)
	}
	if len(problems) > 0 {
		return nil, fail()
	}
	return a, nil
}

// untick records false for every shown checklist item left out.
func (in *Instrument) untick(a *AnswerSet) {
	var buf [128]bool
	st := newState(in, a, buf[:0])
	for k := range in.items {
		if in.items[k].checklist && !a.slots[k].set && st.shown(k) {
			a.slots[k] = slot{set: true}
			st.eff[k] = true
		}
	}
}

// missing appends a problem for every required item that is shown but not
// answered.
func (in *Instrument) missing(a *AnswerSet, problems []Problem) []Problem {
	var buf [128]bool
	st := newState(in, a, buf[:0])
	for k := range in.items {
		if in.items[k].required && !st.eff[k] && st.shown(k) {
			problems = append(problems, Problem{Item: in.items[k].id, Path: pointer(in.items[k].id), Message: "missing required item"})
		}
	}
	return problems
}

func describeToken(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return string(t)
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// jsonValue turns a decoded JSON value into a Value.
func jsonValue(raw any) (Value, string) {
	switch x := raw.(type) {
	case bool:
		return Bool(x), ""
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsInf(f, 0) {
			return Value{}, fmt.Sprintf("number %s is out of range", x)
		}
		return Value{kind: valueNumber, num: f}, ""
	case string:
		return Choice(x), ""
	case []any:
		ss := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return Value{}, "want a list of option values (strings)"
			}
			ss = append(ss, s)
		}
		return Choices(ss...), ""
	}
	return Value{}, "want true/false, a number, an option value or a list of option values, got an object"
}
