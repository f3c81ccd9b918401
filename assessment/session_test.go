package assessment

import (
	"errors"
	"testing"
)

// candidates are the answers the path walk tries for an item.
func candidates(it Item) []Value {
	switch it.Type {
	case AnswerBoolean:
		return []Value{Bool(true), Bool(false)}
	case AnswerChoice:
		var vs []Value
		for _, o := range it.Options {
			vs = append(vs, Choice(o.Value))
		}
		return vs
	case AnswerMulti:
		var vs []Value
		for _, o := range it.Options {
			vs = append(vs, Choices(o.Value))
		}
		if len(it.Options) > 2 && !it.Options[0].Exclusive && !it.Options[1].Exclusive {
			vs = append(vs, Choices(it.Options[0].Value, it.Options[1].Value))
		}
		return vs
	default:
		return []Value{Int(*it.Min), Int(*it.Max)}
	}
}

type step struct {
	id string
	v  Value
}

// TestTriageEveryPath walks every path of the triage session (every option
// of every question asked) and checks its length, that it ends complete,
// and that the level it stopped on is certain: no answer to the questions
// it left out changes it.
func TestTriageEveryPath(t *testing.T) {
	in := mustBuiltin(t, "triage")
	paths, longest := 0, 0
	lengthByLevel := map[Level]int{}
	var walk func(prefix []step)
	walk = func(prefix []step) {
		s := NewSession(in)
		for _, st := range prefix {
			if err := s.Answer(st.id, st.v); err != nil {
				t.Fatalf("replay %v: %v", prefix, err)
			}
		}
		it, ok := s.Next()
		if ok {
			if len(prefix) >= 12 {
				t.Fatalf("path longer than 12 questions: %v", prefix)
			}
			for _, v := range candidates(it) {
				walk(append(prefix[:len(prefix):len(prefix)], step{it.ID, v}))
			}
			return
		}
		paths++
		longest = max(longest, len(prefix))
		lengthByLevel[s.Result().Level] = max(lengthByLevel[s.Result().Level], len(prefix))
		r := s.Result()
		if r.Completeness != 1 {
			t.Errorf("path %v ends with completeness %v", prefix, r.Completeness)
		}
		checkCertain(t, in, prefix, r.Level)
	}
	walk(nil)
	if paths < 100 {
		t.Fatalf("only %d paths walked", paths)
	}
	if longest > 8 {
		t.Errorf("longest path asks %d questions, want at most 8", longest)
	}
	t.Logf("%d paths, longest %d questions, longest per level %v", paths, longest, lengthByLevel)
	// A person without a device is told apart quickly: at most the device
	// question plus the four questions on help, accounts, barriers and forms.
	if lengthByLevel[LevelNoAccess] > 5 {
		t.Errorf("no_access paths ask up to %d questions, want at most 5", lengthByLevel[LevelNoAccess])
	}
}

// checkCertain tries every answer to the level questions a path left out
// and fails if one changes the level.
func checkCertain(t *testing.T, in *Instrument, prefix []step, level Level) {
	t.Helper()
	answered := map[string]bool{}
	for _, st := range prefix {
		answered[st.id] = true
	}
	var left []Item
	for k, it := range in.Items() {
		if !answered[it.ID] && in.skippable(k) {
			left = append(left, it)
		}
	}
	var try func(i int, extra []step)
	try = func(i int, extra []step) {
		if i == len(left) {
			a := in.NewAnswers()
			for _, st := range append(append([]step{}, prefix...), extra...) {
				if err := a.Set(st.id, st.v); err != nil {
					t.Fatal(err)
				}
			}
			r, err := in.Score(a)
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != level {
				t.Errorf("path %v stopped at %s, but answering %v gives %s", prefix, level, extra, r.Level)
			}
			return
		}
		try(i+1, extra)
		for _, v := range candidates(left[i]) {
			try(i+1, append(extra[:len(extra):len(extra)], step{left[i].ID, v}))
		}
	}
	try(0, nil)
}

func TestSessionTypicalPaths(t *testing.T) {
	in := mustBuiltin(t, "triage")
	tests := []struct {
		name    string
		answers []step
		asked   []string
		level   Level
	}{
		{"no device", []step{{"device", Choice("no_device")}, {"helper", Choice("relative")}, {"health_accounts", Choice("neither")}, {"barriers", Choices("none")}, {"forms_confidence", Choice("somewhat")}},
			[]string{"device", "helper", "health_accounts", "barriers", "forms_confidence"}, LevelNoAccess},
		{"autonomous", []step{{"device", Choice("computer_connected")}, {"internet_use", Choice("daily")}, {"procedures", Choice("alone")}, {"email", Choice("uses")}, {"health_accounts", Choice("ameli_and_mes")}, {"barriers", Choices("none")}, {"forms_confidence", Choice("extremely")}},
			[]string{"device", "internet_use", "procedures", "email", "health_accounts", "barriers", "forms_confidence"}, LevelAutonomous},
		{"with help: e-mail decides", []step{{"device", Choice("smartphone_only")}, {"internet_use", Choice("weekly")}, {"procedures", Choice("with_help")}, {"email", Choice("uses")}, {"helper", Choice("relative")}, {"health_accounts", Choice("ameli_only")}, {"barriers", Choices("none")}, {"forms_confidence", Choice("extremely")}},
			[]string{"device", "internet_use", "procedures", "email", "helper", "health_accounts", "barriers", "forms_confidence"}, LevelIntermediate},
		{"never online: the rest of the level questions are skipped", []step{{"device", Choice("smartphone_only")}, {"internet_use", Choice("never")}, {"helper", Choice("caregiver")}, {"health_accounts", Choice("neither")}, {"barriers", Choices("reading")}, {"forms_confidence", Choice("not_at_all")}},
			[]string{"device", "internet_use", "helper", "health_accounts", "barriers", "forms_confidence"}, LevelBeginner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSession(in)
			var asked []string
			for i := 0; ; i++ {
				if r := s.Result(); i > 0 && r.Completeness >= 1 && !s.Done() {
					t.Errorf("completeness 1 with questions left")
				}
				it, ok := s.Next()
				if !ok {
					break
				}
				asked = append(asked, it.ID)
				if i >= len(tt.answers) || tt.answers[i].id != it.ID {
					t.Fatalf("asked %v, want %v", asked, tt.asked)
				}
				if err := s.Answer(it.ID, tt.answers[i].v); err != nil {
					t.Fatal(err)
				}
			}
			if len(asked) != len(tt.asked) {
				t.Errorf("asked %v, want %v", asked, tt.asked)
			}
			if r := s.Result(); r.Level != tt.level || r.Completeness != 1 {
				t.Errorf("result %s completeness %v, want %s 1", r.Level, r.Completeness, tt.level)
			}
		})
	}
}

func TestSessionAnswerRules(t *testing.T) {
	in := mustBuiltin(t, "triage")
	s := NewSession(in)
	if r := s.Result(); r.Completeness != 0 {
		t.Errorf("empty session completeness %v", r.Completeness)
	}
	if err := s.Answer("device", Choice("no_device")); err != nil {
		t.Fatal(err)
	}
	if err := s.Answer("email", Choice("uses")); !errors.Is(err, ErrNotAskable) {
		t.Errorf("email after no_device: %v, want ErrNotAskable", err)
	}
	if err := s.Answer("nope", Bool(true)); !errors.Is(err, ErrNotAskable) {
		t.Errorf("unknown item: %v, want ErrNotAskable", err)
	}
	if err := s.Answer("helper", Choice("sometimes")); !errors.Is(err, ErrInvalidAnswers) {
		t.Errorf("bad option: %v, want ErrInvalidAnswers", err)
	}
	// A correction is allowed and can reopen questions.
	if err := s.Answer("device", Choice("computer_connected")); err != nil {
		t.Fatal(err)
	}
	if it, _ := s.Next(); it.ID != "internet_use" {
		t.Errorf("after correction next is %q, want internet_use", it.ID)
	}
	if err := s.Answer("procedures", Choice("alone")); err != nil {
		t.Fatal(err)
	}
	if err := s.Answer("helper", Choice("relative")); !errors.Is(err, ErrNotAskable) {
		t.Errorf("helper after procedures alone: %v, want ErrNotAskable (skip logic)", err)
	}
}

func TestSessionNonAdaptiveAsksAll(t *testing.T) {
	in := mustBuiltin(t, "eheals")
	s := NewSession(in)
	n := 0
	for {
		it, ok := s.Next()
		if !ok {
			break
		}
		n++
		// All 1s: inadequate is certain after 5 items, yet all 8 are asked.
		if err := s.Answer(it.ID, Int(1)); err != nil {
			t.Fatal(err)
		}
		if want := float64(n) / 8; s.Result().Completeness != want {
			t.Errorf("after %d answers completeness %v, want %v", n, s.Result().Completeness, want)
		}
	}
	if n != 8 {
		t.Errorf("asked %d items, want 8", n)
	}

	dsi := mustBuiltin(t, "dsi")
	s = NewSession(dsi)
	if err := s.Answer("internet_use_3m", Bool(false)); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.Result().Overall != "not_assessed" {
		t.Errorf("DSI without internet use: done %v overall %q", s.Done(), s.Result().Overall)
	}
}

// TestSessionDeepSkipLogicIsLinear: every item's skip logic names every
// earlier item. Settling which items may still be asked must not re-walk
// the chain for each reference (that was exponential before a fix).
func TestSessionDeepSkipLogicIsLinear(t *testing.T) {
	yes := true
	def := Definition{ID: "deep", Version: "1", Title: Text{FR: "Profond"}, Source: "test", Adaptive: true}
	for i := range 60 {
		it := Item{ID: "i" + string(rune('a'+i/26)) + string(rune('a'+i%26)), Text: Text{FR: "?"}, Type: AnswerBoolean}
		if i > 0 {
			var any []Condition
			for _, prev := range def.Items {
				any = append(any, Condition{Item: prev.ID, Is: &yes})
			}
			it.ShowIf = &Condition{Any: any}
		}
		def.Items = append(def.Items, it)
	}
	last := def.Items[len(def.Items)-1].ID
	def.Scoring = Scoring{Method: MethodSum, Levels: []LevelRule{
		{When: &Condition{Item: last, Is: &yes}, Level: LevelAutonomous, Why: Text{FR: "oui"}},
		{Level: LevelBeginner, Why: Text{FR: "non"}},
	}}
	in, err := Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(in)
	// With no answer yet every item may still be shown: the costly case.
	if it, ok := s.Next(); !ok || it.ID != "iaa" {
		t.Fatalf("first question %q %v, want iaa", it.ID, ok)
	}
	if err := s.Answer("iaa", Bool(true)); err != nil {
		t.Fatal(err)
	}
	it, ok := s.Next()
	if !ok || it.ID != "iab" {
		t.Fatalf("next = %q %v, want iab", it.ID, ok)
	}
	if r := s.Result(); r.Completeness >= 1 {
		t.Errorf("completeness %v with 59 items to go", r.Completeness)
	}
}
