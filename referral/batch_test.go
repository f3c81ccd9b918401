package referral

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
)

const autonomousAnswers = `"{""device"":""computer_connected"",""internet_use"":""daily"",""procedures"":""alone"",""email"":""uses"",""health_accounts"":""ameli_only"",""barriers"":[""none""],""forms_confidence"":""extremely""}"`

func batchEngine(t testing.TB) *Engine {
	outcomes := []Outcome{
		{Pathway: PathwayImmediateAnswer, Priority: 1, Rule: "answer"},
		{Pathway: PathwayMediationPlace, Priority: 2, Rule: "mediation"},
	}
	places := []mediation.Place{placeAt(t, "near", 1, nil), placeAt(t, "far", 9, nil)}
	return newTestEngine(t, outcomes, places, &EngineOptions{K: 1})
}

func TestBatch(t *testing.T) {
	triage, err := assessment.Builtin("triage")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Join([]string{
		"commune,person_id,level,answers,flags,needs,age_band",
		"16015,11111111-1111-4111-8111-111111111111,beginner,,,,",
		"16000,22222222-2222-4222-8222-222222222222,intermediate,,needs_free|hearing_impairment,activate_mes,70_plus",
		"99999,33333333-3333-4333-8333-333333333333,beginner,,,,",
		"16015,44444444-4444-4444-8444-444444444444,expert,,,,",
		"16015,not-a-uuid,beginner,,,,",
		"16015,55555555-5555-4555-8555-555555555555,beginner,,flying,,",
		"16015,66666666-6666-4666-8666-666666666666",
		"16015,77777777-7777-4777-8777-777777777777,,,,,",
		`16015,88888888-8888-4888-8888-888888888888,,` + autonomousAnswers + `,,,`,
		`16015,99999999-9999-4999-8999-999999999999,,"{""device"":""toaster""}",,,`,
		`16015,aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa,beginner,"unterminated`,
	}, "\n") + "\n"
	var out bytes.Buffer
	var progress []int
	sum, err := batchEngine(t).Batch(context.Background(), strings.NewReader(in), &out, &BatchOptions{
		Instrument: triage, Workers: 3, ProgressEvery: 1,
		Progress: func(s BatchSummary) { progress = append(progress, s.Read) },
	})
	if err != nil {
		t.Fatal(err)
	}
	wantOut := `person_id,pathway,place_id,distance_km,rule
11111111-1111-4111-8111-111111111111,immediate_answer,,,answer
11111111-1111-4111-8111-111111111111,mediation_place,near,1.0,mediation
22222222-2222-4222-8222-222222222222,immediate_answer,,,answer
22222222-2222-4222-8222-222222222222,mediation_place,,,mediation
88888888-8888-4888-8888-888888888888,immediate_answer,,,answer
88888888-8888-4888-8888-888888888888,mediation_place,near,1.0,mediation
`
	if out.String() != wantOut {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), wantOut)
	}
	if sum.Read != 11 || sum.Referred != 3 || sum.Rejected != 8 || sum.Rows != 6 {
		t.Errorf("summary = %+v", sum)
	}
	wantRejections := []struct {
		line   int
		column string
		reason string
	}{
		{4, "commune", "unknown_commune"},
		{5, "level", "bad_level"},
		{6, "person_id", "bad_person_id"},
		{7, "flags", "bad_flag"},
		{8, "", "missing_columns"},
		{9, "level", "no_assessment"},
		{11, "answers", "bad_answers"},
		{12, "", "csv_syntax"},
	}
	if len(sum.Rejections) != len(wantRejections) {
		t.Fatalf("rejections = %+v", sum.Rejections)
	}
	for i, w := range wantRejections {
		got := sum.Rejections[i]
		if got.Line != w.line || got.Column != w.column || got.Reason != w.reason || !errors.Is(&got, ErrBadRow) {
			t.Errorf("rejection %d = line %d column %q reason %q (%v), want %+v", i, got.Line, got.Column, got.Reason, got.Err, w)
		}
		if !strings.Contains(got.Error(), fmt.Sprintf("line %d", w.line)) {
			t.Errorf("message %q does not name the line", got.Error())
		}
	}
	if sum.Reasons["unknown_commune"] != 1 {
		t.Errorf("reasons = %v", sum.Reasons)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 11 {
		t.Errorf("progress = %v", progress)
	}
}

func TestBatchHeaderErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty input"},
		{"person_id,level\n", "missing column(s) commune"},
		{"person_id,commune\n", "level or answers"},
		{"person_id,commune,answers\n", "needs an instrument"},
		{"person_id,commune,level,level\n", "appears twice"},
	}
	for _, tt := range tests {
		_, err := batchEngine(t).Batch(context.Background(), strings.NewReader(tt.in), &bytes.Buffer{}, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// syntheticPeople writes n rows over the communes given, deterministic.
func syntheticPeople(n int, communes []string) string {
	var b strings.Builder
	b.WriteString("person_id,commune,level,flags\n")
	levels := assessment.Levels()
	flags := []string{"", "", "needs_free", "hearing_impairment|no_travel", "mes_not_activated"}
	for i := range n {
		id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(i)))
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", id, communes[i%len(communes)], levels[i%len(levels)], flags[i%len(flags)])
	}
	return b.String()
}

func TestBatchOrderedAndStable(t *testing.T) {
	in := syntheticPeople(3000, []string{"16015", "16102", "16000", "99999"})
	var one, four bytes.Buffer
	e := batchEngine(t)
	s1, err := e.Batch(context.Background(), strings.NewReader(in), &one, &BatchOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	s4, err := e.Batch(context.Background(), strings.NewReader(in), &four, &BatchOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), four.Bytes()) {
		t.Error("output differs between 1 and 4 workers")
	}
	if s1.Read != 3000 || s1.Rejected != 750 || s4.Rejected != 750 || s1.Rows != 2*2250 {
		t.Errorf("summary = %+v", s1)
	}
	recs, err := csv.NewReader(&one).ReadAll()
	if err != nil || len(recs) != 1+2*2250 {
		t.Fatalf("output has %d records, %v", len(recs), err)
	}
}

func TestBatchCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := batchEngine(t).Batch(ctx, strings.NewReader(syntheticPeople(5000, []string{"16015"})), &bytes.Buffer{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want canceled", err)
	}
}

// FuzzBatchCSV checks that any input either fails on its header or
// accounts for every row: read = referred + rejected (+ rows that gave no
// pathway), every output line parses as CSV with 5 fields, and every
// output person id is a UUID from the input.
func FuzzBatchCSV(f *testing.F) {
	f.Add(syntheticPeople(4, []string{"16015", "16000", "99999"}))
	f.Add("person_id,commune,level\n11111111-1111-4111-8111-111111111111,16015,beginner\n")
	f.Add("commune,person_id,level,flags,needs\n16015,11111111-1111-4111-8111-111111111111,no_access,needs_free|x,activate_mes\n")
	f.Add("person_id,commune,level\n\"a\"b,16015,beginner\n")
	f.Add("\ufeffperson_id,commune,level\r\n11111111-1111-4111-8111-111111111111,2A004,autonomous\r\n")
	e := batchEngine(f)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		sum, err := e.Batch(context.Background(), strings.NewReader(in), &out, &BatchOptions{Workers: 2})
		if err != nil {
			if sum.Read != 0 {
				t.Fatalf("error %v after reading %d rows", err, sum.Read)
			}
			return
		}
		if sum.Referred+sum.Rejected > sum.Read || sum.Rejected != len(sum.Rejections) {
			t.Fatalf("summary does not add up: %+v", sum)
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v\n%s", err, out.String())
		}
		if len(recs)-1 != sum.Rows {
			t.Fatalf("%d output records, summary says %d", len(recs)-1, sum.Rows)
		}
		fields := inputFields(in)
		for _, r := range recs[1:] {
			if len(r) != 5 {
				t.Fatalf("record %v has %d fields", r, len(r))
			}
			if _, err := uuid.Parse(r[0]); err != nil || !fields[r[0]] {
				t.Fatalf("output person id %q is not an input UUID", r[0])
			}
		}
		for _, re := range sum.Rejections {
			if re.Line < 2 || re.Reason == "" || re.Message == "" {
				t.Fatalf("rejection without line or reason: %+v", re)
			}
		}
	})
}

// inputFields returns every trimmed field of a CSV text, skipping bad rows.
func inputFields(in string) map[string]bool {
	cr := csv.NewReader(strings.NewReader(in))
	cr.FieldsPerRecord = -1
	set := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return set
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return set
		}
		for _, f := range rec {
			set[strings.TrimSpace(f)] = true
		}
	}
}

func TestBatchUsesLoad(t *testing.T) {
	places := []mediation.Place{placeAt(t, "near", 1, nil), placeAt(t, "far", 3, nil)}
	e := newTestEngine(t, mediationOutcome(), places, &EngineOptions{K: 1, Load: loadMap{"near": 50}})
	var out bytes.Buffer
	in := "person_id,commune,level\n11111111-1111-4111-8111-111111111111,16015,beginner\n"
	if _, err := e.Batch(context.Background(), strings.NewReader(in), &out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ",mediation_place,far,") {
		t.Errorf("a full place was chosen:\n%s", out.String())
	}
}
