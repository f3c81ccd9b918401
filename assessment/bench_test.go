package assessment

import "testing"

var benchAnswers = map[string]string{
	"eheals": `{"q1":4,"q2":3,"q3":4,"q4":2,"q5":3,"q6":2,"q7":3,"q8":4}`,
	"triage": `{"device":"smartphone_only","internet_use":"weekly","procedures":"never","email":"uses","helper":"relative","health_accounts":"ameli_only","barriers":["sight","reading"],"forms_confidence":"somewhat"}`,
	"dsi":    `{"internet_use_3m":true,"info_health":true,"info_news":true,"com_email":true,"com_calls":true,"cc_copy_files":true,"saf_cookies":true,"ps_banking":true,"ps_buy_online":true}`,
	"pix":    `{"global_score":300,"c1_1":3,"c2_1":2}`,
}

// BenchmarkScore scores one full answer set. Score allocates the result's
// slices; ScoreInto reuses a Result and should not allocate at all.
func BenchmarkScore(b *testing.B) {
	for _, id := range []string{"eheals", "triage", "dsi", "pix"} {
		in := mustBuiltin(b, id)
		a := mustDecode(b, in, benchAnswers[id])
		b.Run(id+"/Score", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := in.Score(a); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(id+"/ScoreInto", func(b *testing.B) {
			var r Result
			b.ReportAllocs()
			for b.Loop() {
				if err := in.ScoreInto(&r, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScoreBaseline is the floor the data-driven scoring is measured
// against: eHEALS scored by hand-written code on a fixed array (sum, band,
// level), and, as the other end, decoding the JSON answers every time.
func BenchmarkScoreBaseline(b *testing.B) {
	b.Run("eheals/handwritten", func(b *testing.B) {
		vals := [8]int{4, 3, 4, 2, 3, 2, 3, 4}
		var level Level
		b.ReportAllocs()
		for b.Loop() {
			sum := 0
			for _, v := range vals {
				sum += v
			}
			switch {
			case sum >= 27:
				level = LevelAutonomous
			case sum >= 21:
				level = LevelIntermediate
			default:
				level = LevelBeginner
			}
		}
		if level != LevelIntermediate { // 4+3+4+2+3+2+3+4 = 25
			b.Fatal(level)
		}
	})
	for _, id := range []string{"eheals", "triage"} {
		in := mustBuiltin(b, id)
		data := []byte(benchAnswers[id])
		b.Run(id+"/decode+Score", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a, err := in.DecodeAnswers(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := in.Score(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSessionNext is one step of the phone triage: the adaptive
// certainty check runs here.
func BenchmarkSessionNext(b *testing.B) {
	in := mustBuiltin(b, "triage")
	s := NewSession(in)
	for _, st := range []step{{"device", Choice("smartphone_only")}, {"internet_use", Choice("weekly")}, {"procedures", Choice("never")}} {
		if err := s.Answer(st.id, st.v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if it, ok := s.Next(); !ok || it.ID != "email" {
			b.Fatal(it.ID)
		}
	}
}
