package assessment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeAnswersProblems(t *testing.T) {
	tri := mustBuiltin(t, "triage")
	eh := mustBuiltin(t, "eheals")
	tests := []struct {
		name  string
		in    *Instrument
		input string
		want  []Problem // item, path and a fragment of the message
	}{
		{"not json", tri, `{"device":`, []Problem{{Item: "device", Path: "/device", Message: "not JSON"}}},
		{"not an object", tri, `["device"]`, []Problem{{Message: "want a JSON object"}}},
		{"trailing data", tri, `{"device":"no_device"} {}`, []Problem{{Message: "unexpected data"}}},
		{"every problem at once", tri, `{"devise":"x","internet_use":3,"procedures":"sometimes","barriers":["none","sight"],"email":["uses"]}`, []Problem{
			{Item: "devise", Path: "/devise", Message: "unknown item"},
			{Item: "internet_use", Path: "/internet_use", Message: "want one of"},
			{Item: "procedures", Path: "/procedures", Message: "not an option"},
			{Item: "barriers", Path: "/barriers", Message: "exclusive"},
			{Item: "email", Path: "/email", Message: "want one of"},
		}},
		{"missing required", tri, `{"internet_use":"daily"}`, []Problem{{Item: "device", Path: "/device", Message: "missing required"}}},
		{"answered twice", tri, `{"device":"no_device","device":"no_device"}`, []Problem{{Item: "device", Path: "/device", Message: "twice"}}},
		{"out of range and wrong type", eh, `{"q1":0,"q2":6,"q3":2.5,"q4":"5","q5":true,"q6":3,"q7":3,"q8":null}`, []Problem{
			{Item: "q1", Path: "/q1", Message: "out of range"},
			{Item: "q2", Path: "/q2", Message: "out of range"},
			{Item: "q3", Path: "/q3", Message: "out of range"},
			{Item: "q4", Path: "/q4", Message: "want an integer"},
			{Item: "q5", Path: "/q5", Message: "want an integer"},
		}},
		{"null leaves a required item missing", eh, `{"q1":1,"q2":1,"q3":1,"q4":1,"q5":1,"q6":1,"q7":1,"q8":null}`, []Problem{{Item: "q8", Path: "/q8", Message: "missing required"}}},
		{"escaped path", tri, `{"a/b":1}`, []Problem{{Item: "a/b", Path: "/a~1b", Message: "unknown item"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.DecodeAnswers([]byte(tt.input))
			if !errors.Is(err, ErrInvalidAnswers) {
				t.Fatalf("err = %v, want ErrInvalidAnswers", err)
			}
			var ae *AnswersError
			if !errors.As(err, &ae) {
				t.Fatalf("err %T is not *AnswersError", err)
			}
			if len(ae.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ae.Problems), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := ae.Problems[i]
				if g.Item != w.Item || (w.Path != "" && g.Path != w.Path) || !strings.Contains(g.Message, w.Message) {
					t.Errorf("problem %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestDecodeAnswersRoundTrip(t *testing.T) {
	in := mustBuiltin(t, "triage")
	a := mustDecode(t, in, `{"barriers":["sight","language"],"device":"smartphone_only","internet_use":"weekly"}`)
	b, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"device":"smartphone_only","internet_use":"weekly","barriers":["language","sight"]}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	if v, ok := a.Get("barriers"); !ok || v.String() != `["language","sight"]` {
		t.Errorf("Get = %v %v", v, ok)
	}
}

// base is a small valid instrument that the cases below break.
const base = `{
  "id": "mini", "version": "1", "title": {"fr": "Mini"}, "source": "test",
  "items": [
    {"id": "a", "text": {"fr": "A ?"}, "type": "boolean"},
    {"id": "b", "text": {"fr": "B ?"}, "type": "integer", "min": 0, "max": 3, "show_if": {"item": "a", "is": true}}
  ],
  "scoring": {"method": "sum",
    "dimensions": [{"id": "d", "text": {"fr": "D"}, "items": ["a", "b"]}],
    "levels": [{"when": {"score": "d", "min": 3}, "level": "autonomous", "why": {"fr": "ok"}},
               {"level": "beginner", "why": {"fr": "non"}}]}
}`

func TestLoadInstrumentProblems(t *testing.T) {
	if _, err := LoadBytes([]byte(base), "mini.json"); err != nil {
		t.Fatalf("base instrument rejected: %v", err)
	}
	tests := []struct {
		name      string
		old, new  string
		wantPaths []string
		wantMsg   string
	}{
		{"unknown key", `"source": "test",`, `"source": "test", "sauce": 1,`, []string{""}, "sauce"},
		{"wrong type", `"max": 3`, `"max": "3"`, []string{"/items/1/max"}, "string"},
		{"bad enum", `"type": "boolean"`, `"type": "yesno"`, []string{"/items/0/type", "/items/1/show_if/is"}, "yesno"},
		{"duplicate id", `{"id": "b", "text"`, `{"id": "a", "text"`, []string{"/items/1/id", "/scoring/dimensions/0/items/1"}, "duplicate"},
		{"min above max", `"min": 0, "max": 3`, `"min": 4, "max": 3`, []string{"/items/1/min"}, "greater"},
		{"show_if on a later item", `"show_if": {"item": "a", "is": true}`, `"show_if": {"item": "b", "min": 1}`, []string{"/items/1/show_if/item"}, "earlier"},
		{"unknown level", `"level": "beginner"`, `"level": "expert"`, []string{"/scoring/levels/1/level"}, ""},
		{"unknown dimension", `"score": "d"`, `"score": "e"`, []string{"/scoring/levels/0/when/score"}, "unknown dimension"},
		{"last rule conditional", `{"level": "beginner", "why": {"fr": "non"}}`, `{"when": {"item": "a", "is": false}, "level": "beginner", "why": {"fr": "non"}}`, []string{"/scoring/levels/1/when"}, "last level rule"},
		{"empty in list", `"levels": [{"when": {"score": "d", "min": 3}`, `"levels": [{"when": {"category": []}`, []string{"/scoring/levels/0/when/category"}, "empty"},
		{"score in skip logic", `"show_if": {"item": "a", "is": true}`, `"show_if": {"any": [{"item": "a", "is": true}, {"item": "a", "answered": true}, {"score": "d", "min": 1}]}`, []string{"/items/1/show_if/any/2/score"}, "only scoring rules"},
		{"two problems", `"items": ["a", "b"]`, `"items": ["a", "zz", "yy"]`, []string{"/scoring/dimensions/0/items/1", "/scoring/dimensions/0/items/2"}, "unknown item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatal("test case does not change the instrument")
			}
			_, err := LoadBytes([]byte(src), "mini.json")
			var ie *InstrumentError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInstrument) {
				t.Fatalf("err = %v, want *InstrumentError", err)
			}
			var paths []string
			for _, p := range ie.Problems {
				paths = append(paths, p.Path)
			}
			if strings.Join(paths, " ") != strings.Join(tt.wantPaths, " ") {
				t.Errorf("paths %v, want %v\n%v", paths, tt.wantPaths, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "mini.json") {
				t.Errorf("error %q does not say %q and the file name", err, tt.wantMsg)
			}
		})
	}
}

func TestLoadYAMLFile(t *testing.T) {
	yml := `id: mini
version: "1"
title: {fr: Mini, en: Mini}
source: test
items:
  - id: a
    text: {fr: "A ?"}
    type: choice
    options:
      - {value: "yes", text: {fr: Oui}, points: 1}
      - {value: "no", text: {fr: Non}}
scoring:
  method: sum
  dimensions: [{id: d, text: {fr: D}, items: [a]}]
  levels:
    - {when: {item: a, in: ["yes"]}, level: autonomous, why: {fr: oui}}
    - {level: beginner, why: {fr: non}}
`
	path := filepath.Join(t.TempDir(), "mini.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := in.Score(mustDecode(t, in, `{"a":"yes"}`))
	if err != nil || r.Level != LevelAutonomous {
		t.Errorf("got %v %v", r.Level, err)
	}
	if _, err := LoadBytes([]byte("id: [unclosed"), "bad.yaml"); !errors.Is(err, ErrInvalidInstrument) {
		t.Errorf("bad YAML: %v", err)
	}
}

func TestBuiltinUnknown(t *testing.T) {
	if _, err := Builtin("phq9"); !errors.Is(err, ErrUnknownInstrument) {
		t.Errorf("err = %v, want ErrUnknownInstrument", err)
	}
}

func TestCompare(t *testing.T) {
	in := mustBuiltin(t, "eheals")
	before, _ := in.Score(mustDecode(t, in, ehealsAnswers(18)))
	after, _ := in.Score(mustDecode(t, in, ehealsAnswers(29)))
	p, err := Compare(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if p.Direction != DirectionUp || p.Steps != 2 || len(p.Dimensions) != 1 || p.Dimensions[0].Delta != 11 {
		t.Errorf("got %+v", p)
	}
	if len(p.FlagsCleared) != 1 || p.FlagsCleared[0] != FlagLowHealthLiteracy || len(p.FlagsRaised) != 0 {
		t.Errorf("flags raised %v cleared %v", p.FlagsRaised, p.FlagsCleared)
	}
	back, _ := Compare(after, before)
	if back.Direction != DirectionDown || back.Steps != -2 {
		t.Errorf("reverse: %+v", back)
	}
	same, _ := Compare(before, before)
	if same.Direction != DirectionSame || same.Dimensions[0].Delta != 0 {
		t.Errorf("same: %+v", same)
	}
	pix := mustBuiltin(t, "pix")
	other, _ := pix.Score(mustDecode(t, pix, `{"global_score": 10}`))
	if _, err := Compare(before, other); !errors.Is(err, ErrDifferentInstruments) {
		t.Errorf("err = %v, want ErrDifferentInstruments", err)
	}
}
