package assessment

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"
)

// FuzzDecodeAnswers checks that decoding any input never panics, that a
// rejection is always an *AnswersError with at least one problem, and that
// accepted answers round-trip through MarshalJSON and score without error.
func FuzzDecodeAnswers(f *testing.F) {
	for _, s := range benchAnswers {
		f.Add("triage", []byte(s))
		f.Add("eheals", []byte(s))
		f.Add("dsi", []byte(s))
		f.Add("pix", []byte(s))
	}
	f.Add("triage", []byte(`{"device":"no_device","barriers":["none","sight"],"x":null}`))
	f.Add("eheals", []byte(`{"q1":1e400,"q2":-0,"q3":3.0}`))
	f.Add("dsi", []byte(`{"internet_use_3m":false,"info_news":true}`))
	f.Fuzz(func(t *testing.T, id string, data []byte) {
		in, err := Builtin(id)
		if err != nil {
			return
		}
		a, err := in.DecodeAnswers(data)
		if err != nil {
			var ae *AnswersError
			if !errors.As(err, &ae) || len(ae.Problems) == 0 {
				t.Fatalf("rejection without problems: %v", err)
			}
			return
		}
		out, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b, err := in.DecodeAnswers(out)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		again, _ := b.MarshalJSON()
		if !bytes.Equal(out, again) {
			t.Fatalf("round trip changed %s into %s", out, again)
		}
		r, err := in.Score(a)
		if err != nil {
			t.Fatalf("accepted answers fail to score: %v", err)
		}
		if !r.Level.Valid() || r.Completeness < 0 || r.Completeness > 1 || len(r.Why) != 1+len(r.Flags) {
			t.Fatalf("bad result %+v", r)
		}
	})
}

// FuzzLoadInstrument checks that loading any file never panics, that a
// rejection lists its problems, and that an accepted instrument can score
// an empty answer set or report what is missing.
func FuzzLoadInstrument(f *testing.F) {
	files, _ := fs.Glob(builtinFiles, "instruments/*.json")
	for _, name := range files {
		data, _ := builtinFiles.ReadFile(name)
		f.Add(data)
	}
	f.Add([]byte(base))
	f.Add([]byte("id: x\nitems: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := LoadBytes(data, "fuzz")
		if err != nil {
			var ie *InstrumentError
			if errors.As(err, &ie) && len(ie.Problems) == 0 {
				t.Fatalf("rejection without problems: %v", err)
			}
			return
		}
		_, err = in.Score(in.NewAnswers())
		if err != nil && !errors.Is(err, ErrInvalidAnswers) {
			t.Fatalf("scoring empty answers: %v", err)
		}
		// A session with no answers must still give a result with a level.
		s := NewSession(in)
		s.Next()
		if r := s.Result(); !r.Level.Valid() {
			t.Fatalf("session result without a level: %+v", r)
		}
	})
}
