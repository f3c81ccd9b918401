package assessment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func mustBuiltin(t testing.TB, id string) *Instrument {
	t.Helper()
	in, err := Builtin(id)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func mustDecode(t testing.TB, in *Instrument, js string) *AnswerSet {
	t.Helper()
	a, err := in.DecodeAnswers([]byte(js))
	if err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
	return a
}

// ehealsAnswers spreads total over q1..q8 (each 1..5).
func ehealsAnswers(total int) string {
	vals := make([]string, 8)
	rest := total - 8
	for i := range vals {
		v := 1 + min(4, rest)
		rest -= v - 1
		vals[i] = fmt.Sprintf("%q:%d", fmt.Sprintf("q%d", i+1), v)
	}
	return "{" + strings.Join(vals, ",") + "}"
}

func TestEHEALSBandEdges(t *testing.T) {
	in := mustBuiltin(t, "eheals")
	tests := []struct {
		total   int
		band    string
		level   Level
		lowHLit bool
	}{
		{8, "inadequate", LevelBeginner, true},
		{20, "inadequate", LevelBeginner, true},
		{21, "problematic", LevelIntermediate, false},
		{26, "problematic", LevelIntermediate, false},
		{27, "sufficient", LevelAutonomous, false},
		{40, "sufficient", LevelAutonomous, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.total), func(t *testing.T) {
			r, err := in.Score(mustDecode(t, in, ehealsAnswers(tt.total)))
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := r.Score("total"); got != float64(tt.total) {
				t.Errorf("total = %v, want %d", got, tt.total)
			}
			if r.Band != tt.band || r.Level != tt.level || r.HasFlag(FlagLowHealthLiteracy) != tt.lowHLit {
				t.Errorf("got band %q level %q flags %v, want %q %q low health literacy %v", r.Band, r.Level, r.Flags, tt.band, tt.level, tt.lowHLit)
			}
			if r.Completeness != 1 {
				t.Errorf("completeness = %v, want 1", r.Completeness)
			}
			why := r.WhyIn(LangFR)
			if len(why) == 0 || !strings.Contains(why[0], fmt.Sprintf("%d sur 40", tt.total)) {
				t.Errorf("why = %q, want the total in the first line", why)
			}
		})
	}
}

func TestEHEALSMissingItem(t *testing.T) {
	in := mustBuiltin(t, "eheals")
	_, err := in.DecodeAnswers([]byte(`{"q1":5,"q2":5,"q3":5,"q4":5,"q5":5,"q6":5,"q7":5}`))
	var ae *AnswersError
	if !asAnswersError(err, &ae) || len(ae.Problems) != 1 || ae.Problems[0].Item != "q8" || ae.Problems[0].Path != "/q8" {
		t.Fatalf("got %v, want one problem on q8", err)
	}
}

// dsiAnswers builds a DSI answer set from the number of activities per
// area, taken in item order.
func dsiAnswers(in *Instrument, counts map[string]int) string {
	m := map[string]any{"internet_use_3m": true}
	for _, it := range in.Items() {
		if it.Area != "" && counts[it.Area] > 0 {
			m[it.ID] = true
			counts[it.Area]--
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestDSIOverallLevels(t *testing.T) {
	in := mustBuiltin(t, "dsi")
	tests := []struct {
		name    string
		counts  map[string]int // activities per area
		offline bool
		overall string
		illect  bool
		level   Level
	}{
		{"above basic everywhere", map[string]int{"information": 2, "communication": 2, "content_creation": 3, "safety": 3, "problem_solving": 3}, false, "above_basic", false, LevelAutonomous},
		{"basic everywhere", map[string]int{"information": 1, "communication": 1, "content_creation": 1, "safety": 1, "problem_solving": 1}, false, "basic", false, LevelAutonomous},
		{"basic, one above", map[string]int{"information": 4, "communication": 1, "content_creation": 2, "safety": 2, "problem_solving": 2}, false, "basic", false, LevelAutonomous},
		{"low: four areas", map[string]int{"information": 2, "communication": 6, "content_creation": 7, "safety": 6}, false, "low", false, LevelIntermediate},
		{"narrow: three areas", map[string]int{"information": 1, "communication": 1, "problem_solving": 1}, false, "narrow", false, LevelIntermediate},
		{"limited: two areas", map[string]int{"communication": 1, "problem_solving": 3}, false, "limited", false, LevelBeginner},
		{"none: one area", map[string]int{"communication": 2}, false, "none", true, LevelBeginner},
		{"none: no activity", map[string]int{}, false, "none", true, LevelBeginner},
		{"not assessed", nil, true, "not_assessed", true, LevelBeginner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := `{"internet_use_3m": false}`
			if !tt.offline {
				js = dsiAnswers(in, tt.counts)
			}
			r, err := in.Score(mustDecode(t, in, js))
			if err != nil {
				t.Fatal(err)
			}
			if r.Overall != tt.overall || r.Illectronisme != tt.illect || r.Level != tt.level {
				t.Errorf("got overall %q illectronisme %v level %q, want %q %v %q (areas %v)", r.Overall, r.Illectronisme, r.Level, tt.overall, tt.illect, tt.level, r.Areas)
			}
			if tt.offline && len(r.Areas) != 0 {
				t.Errorf("areas %v when not assessed", r.Areas)
			}
			if !tt.offline && len(r.Areas) != 5 {
				t.Errorf("areas %v, want 5", r.Areas)
			}
		})
	}
}

func TestDSIAreaBoundaries(t *testing.T) {
	in := mustBuiltin(t, "dsi")
	tests := []struct {
		area string
		n    int
		want AreaSkill
	}{
		{"information", 0, AreaNone}, {"information", 1, AreaBasic}, {"information", 2, AreaAboveBasic}, {"information", 4, AreaAboveBasic},
		{"communication", 0, AreaNone}, {"communication", 1, AreaBasic}, {"communication", 2, AreaAboveBasic},
		{"content_creation", 1, AreaBasic}, {"content_creation", 2, AreaBasic}, {"content_creation", 3, AreaAboveBasic},
		{"safety", 0, AreaNone}, {"safety", 2, AreaBasic}, {"safety", 3, AreaAboveBasic},
		{"problem_solving", 1, AreaBasic}, {"problem_solving", 2, AreaBasic}, {"problem_solving", 3, AreaAboveBasic}, {"problem_solving", 7, AreaAboveBasic},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.area, tt.n), func(t *testing.T) {
			r, err := in.Score(mustDecode(t, in, dsiAnswers(in, map[string]int{tt.area: tt.n})))
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(r.Areas, func(a AreaLevel) bool { return a.Area == tt.area })
			if i < 0 || r.Areas[i].Skill != tt.want {
				t.Errorf("areas %v, want %s %s", r.Areas, tt.area, tt.want)
			}
			if got, _ := r.Score(tt.area); got != float64(tt.n) {
				t.Errorf("score %v, want %d", got, tt.n)
			}
		})
	}
}

func TestPixLevels(t *testing.T) {
	in := mustBuiltin(t, "pix")
	tests := []struct {
		score int
		level string
		ours  Level
	}{
		{0, "pre_beginner", LevelBeginner}, {63, "pre_beginner", LevelBeginner},
		{64, "beginner_1", LevelIntermediate}, {127, "beginner_1", LevelIntermediate},
		{128, "beginner_2", LevelIntermediate}, {255, "beginner_2", LevelIntermediate},
		{256, "independent_3", LevelAutonomous}, {383, "independent_3", LevelAutonomous},
		{384, "independent_4", LevelAutonomous}, {511, "independent_4", LevelAutonomous},
		{512, "advanced_5", LevelAutonomous}, {639, "advanced_5", LevelAutonomous},
		{640, "advanced_6", LevelAutonomous}, {767, "advanced_6", LevelAutonomous},
		{768, "expert_7", LevelAutonomous}, {895, "expert_7", LevelAutonomous},
		{896, "expert_8", LevelAutonomous}, {1024, "expert_8", LevelAutonomous},
	}
	for _, tt := range tests {
		r, err := in.Score(mustDecode(t, in, fmt.Sprintf(`{"global_score": %d}`, tt.score)))
		if err != nil {
			t.Fatal(err)
		}
		if r.PixLevel != tt.level || r.Level != tt.ours {
			t.Errorf("score %d: got %q %q, want %q %q", tt.score, r.PixLevel, r.Level, tt.level, tt.ours)
		}
	}
	r, err := in.Score(mustDecode(t, in, `{"global_score": 300, "c1_1": 3, "c1_2": 2, "c1_3": 1, "c5_2": 4}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Score("information"); v != 6 {
		t.Errorf("information = %v, want 6", v)
	}
	if v, _ := r.Score("environment"); v != 4 {
		t.Errorf("environment = %v, want 4", v)
	}
	for _, bad := range []string{`{"global_score": 1025}`, `{"global_score": -1}`, `{"global_score": 12.5}`, `{"global_score": 100, "c2_4": 9}`, `{"c1_1": 2}`} {
		if _, err := in.DecodeAnswers([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestTriageProfiles(t *testing.T) {
	in := mustBuiltin(t, "triage")
	tests := []struct {
		name    string
		answers string
		level   Level
		flags   []Flag
	}{
		{"no device", `{"device":"no_device","helper":"nobody","health_accounts":"neither","barriers":["none"],"forms_confidence":"not_at_all"}`,
			LevelNoAccess, []Flag{FlagNeedsProxy, FlagNoHelper, FlagLowHealthLiteracy, FlagMESNotActivated}},
		{"device but no connection", `{"device":"no_connection","helper":"relative","health_accounts":"ameli_and_mes","barriers":["sight"],"forms_confidence":"extremely"}`,
			LevelNoAccess, []Flag{FlagNeedsProxy, FlagVisualImpairment}},
		{"never online", `{"device":"smartphone_only","internet_use":"never","helper":"caregiver","health_accounts":"dont_know","barriers":["language","reading"],"forms_confidence":"somewhat"}`,
			LevelBeginner, []Flag{FlagNeedsProxy, FlagLanguageBarrier, FlagReadingDifficulty, FlagLowHealthLiteracy}},
		{"no procedures, no e-mail", `{"device":"smartphone_only","internet_use":"daily","procedures":"never","email":"none","helper":"relative","health_accounts":"ameli_only","barriers":["none"],"forms_confidence":"quite_a_bit"}`,
			LevelBeginner, []Flag{FlagNeedsProxy, FlagMESNotActivated}},
		{"e-mail but no procedures", `{"device":"computer_connected","internet_use":"weekly","procedures":"never","email":"uses","helper":"relative","health_accounts":"ameli_only","barriers":["hearing"],"forms_confidence":"quite_a_bit"}`,
			LevelIntermediate, []Flag{FlagHearingImpairment, FlagMESNotActivated}},
		{"procedures with help", `{"device":"computer_connected","internet_use":"daily","procedures":"with_help","email":"uses","helper":"nobody","health_accounts":"ameli_and_mes","barriers":["none"],"forms_confidence":"extremely"}`,
			LevelIntermediate, []Flag{FlagNoHelper}},
		{"autonomous", `{"device":"computer_connected","internet_use":"daily","procedures":"alone","email":"uses","health_accounts":"ameli_and_mes","barriers":["none"],"forms_confidence":"extremely"}`,
			LevelAutonomous, nil},
		{"online, no e-mail address", `{"device":"smartphone_only","internet_use":"rarely","procedures":"with_help","email":"none","helper":"nobody","health_accounts":"neither","barriers":["none"],"forms_confidence":"somewhat"}`,
			LevelBeginner, []Flag{FlagNeedsProxy, FlagNoHelper, FlagLowHealthLiteracy, FlagMESNotActivated}},
		{"alone but rarely online", `{"device":"computer_connected","internet_use":"rarely","procedures":"alone","email":"uses","health_accounts":"mes_only","barriers":["none"],"forms_confidence":"a_little"}`,
			LevelIntermediate, []Flag{FlagLowHealthLiteracy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := in.Score(mustDecode(t, in, tt.answers))
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != tt.level {
				t.Errorf("level %q, want %q (why %q)", r.Level, tt.level, r.WhyIn(LangFR))
			}
			if !slices.Equal(r.Flags, tt.flags) && !(len(r.Flags) == 0 && len(tt.flags) == 0) {
				t.Errorf("flags %v, want %v", r.Flags, tt.flags)
			}
			if r.Completeness != 1 {
				t.Errorf("completeness %v, want 1 for a full path", r.Completeness)
			}
			if len(r.Why) != 1+len(tt.flags) {
				t.Errorf("why has %d lines, want %d", len(r.Why), 1+len(tt.flags))
			}
			for _, lang := range []Lang{LangFR, LangEN} {
				for _, line := range r.WhyIn(lang) {
					if line == "" || strings.Contains(line, "{") {
						t.Errorf("%s why line %q", lang, line)
					}
				}
			}
		})
	}
}

func TestResultJSONKeys(t *testing.T) {
	cases := map[string]struct {
		answers string
		keys    []string
	}{
		"eheals": {ehealsAnswers(30), []string{"band"}},
		"dsi":    {`{"internet_use_3m": true, "com_email": true}`, []string{"areas", "overall", "illectronisme"}},
		"pix":    {`{"global_score": 200}`, []string{"pix_level"}},
		"triage": {`{"device":"no_device","helper":"nobody","health_accounts":"neither","barriers":["none"],"forms_confidence":"extremely"}`, nil},
	}
	for id, c := range cases {
		in := mustBuiltin(t, id)
		r, err := in.Score(mustDecode(t, in, c.answers))
		if err != nil {
			t.Fatal(err)
		}
		r.Lang = LangEN
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range append([]string{"instrument", "version", "level", "flags", "scores", "why", "completeness"}, c.keys...) {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: key %q missing in %s", id, k, b)
			}
		}
		if m["instrument"] != id {
			t.Errorf("%s: instrument = %v", id, m["instrument"])
		}
		why, _ := m["why"].([]any)
		if len(why) == 0 || why[0] != r.WhyIn(LangEN)[0] {
			t.Errorf("%s: why %v is not in English", id, why)
		}
	}
}

func TestScoreIntoReuses(t *testing.T) {
	in := mustBuiltin(t, "triage")
	var r Result
	a := mustDecode(t, in, `{"device":"no_device","helper":"nobody","health_accounts":"neither","barriers":["language","sight"],"forms_confidence":"not_at_all"}`)
	if err := in.ScoreInto(&r, a); err != nil {
		t.Fatal(err)
	}
	b := mustDecode(t, in, `{"device":"computer_connected","internet_use":"daily","procedures":"alone","email":"uses","health_accounts":"ameli_and_mes","barriers":["none"],"forms_confidence":"extremely"}`)
	if err := in.ScoreInto(&r, b); err != nil {
		t.Fatal(err)
	}
	if r.Level != LevelAutonomous || len(r.Flags) != 0 || len(r.Why) != 1 {
		t.Errorf("reused result kept old state: %+v", r)
	}
	other := mustBuiltin(t, "eheals").NewAnswers()
	if err := in.ScoreInto(&r, other); err == nil {
		t.Error("answers of another instrument accepted")
	}
}

func asAnswersError(err error, target **AnswersError) bool {
	ae, ok := err.(*AnswersError)
	if ok {
		*target = ae
	}
	return ok
}

func TestResultJSONRoundTrip(t *testing.T) {
	for _, id := range []string{"dsi", "eheals", "triage", "pix"} {
		in := mustBuiltin(t, id)
		r, err := in.Score(mustDecode(t, in, benchAnswers[id]))
		if err != nil {
			t.Fatal(err)
		}
		r.Lang = LangEN
		b, _ := json.Marshal(r)
		var back Result
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(b) {
			t.Errorf("%s: round trip changed\n%s\ninto\n%s", id, b, again)
		}
		if p, err := Compare(back, r); err != nil || p.Direction != DirectionSame || len(p.Dimensions) != len(r.Scores) {
			t.Errorf("%s: compare with the stored copy: %+v %v", id, p, err)
		}
	}
}

func TestScoreConcurrent(t *testing.T) {
	in := mustBuiltin(t, "triage")
	a := mustDecode(t, in, benchAnswers["triage"])
	want, _ := in.Score(a)
	done := make(chan Result)
	for range 4 {
		go func() {
			var r Result
			for range 200 {
				_ = in.ScoreInto(&r, a)
			}
			done <- r
		}()
	}
	for range 4 {
		if r := <-done; r.Level != want.Level || len(r.Flags) != len(want.Flags) {
			t.Errorf("concurrent result %v %v, want %v %v", r.Level, r.Flags, want.Level, want.Flags)
		}
	}
	if _, err := in.Score(nil); err == nil {
		t.Error("nil answers accepted")
	}
}
