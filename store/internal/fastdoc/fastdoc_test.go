package fastdoc

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

var day = time.Date(2025, 3, 2, 9, 30, 0, 0, time.UTC)

func sampleReferral() referral.Referral {
	appt := day.Add(72 * time.Hour)
	return referral.Referral{
		ID: uuid.MustParse("6f1c2a8e-3b1d-4c5e-9f00-0123456789ab"), PersonID: "p-7c1e", Commune: "12202", AgeBand: "75_plus",
		CreatedAt: day, By: referral.ActorDesk, Pathway: referral.PathwayMediationPlace, PlaceID: "place-1",
		Assessment:   referral.AssessmentRef{Instrument: "triage", Version: "1", Level: assessment.LevelBeginner, Flags: []assessment.Flag{"mes_not_activated", "no_device"}},
		RulesVersion: "2025-1", Rule: "beginner_to_place", Status: referral.StatusCompleted, UpdatedAt: day.Add(240*time.Hour + 123456789),
		History: []referral.StatusChange{
			{To: referral.StatusProposed, At: day, By: referral.ActorDesk},
			{From: referral.StatusProposed, To: referral.StatusAccepted, At: day.Add(24 * time.Hour), By: referral.ActorPerson},
			{From: referral.StatusAccepted, To: referral.StatusScheduled, At: day.Add(48 * time.Hour), By: referral.ActorMediator, Reason: "phone"},
		},
		Appointment: &appt, Autonomy: referral.AutonomyAutonomous, Version: 4,
	}
}

func sampleAction() mediation.Action {
	return mediation.Action{
		ID: uuid.New(), Source: "coop", ExternalID: "CRA-12", Type: mediation.ActionActivationWorkshop, Date: day, DurationMinutes: 90,
		PlaceID: "place-2", Commune: "12208", Departement: "12", Region: "76", Remote: true, Organiser: "CPAM de l'Aveyron",
		CoordinatorID: uuid.New(), AmbassadorIDs: []uuid.UUID{uuid.New(), uuid.New()}, PeopleSensitised: 12, AccountsActivated: 3, ReferralsMade: 1,
		Participants: mediation.ParticipantCounts{ByAge: map[mediation.AgeBand]int{"60_69": 4}}, Themes: []mediation.Theme{"sante"}, RecordedAt: day.Add(time.Hour),
	}
}

func sampleAccompaniment() mediation.Accompaniment {
	return mediation.Accompaniment{
		ID: uuid.New(), ActionID: uuid.New(), Source: "coop", ExternalID: "x1", PersonID: "p-1", AmbassadorID: uuid.New(), Date: day,
		DurationMinutes: 30, Channel: "en_presentiel", PlaceID: "place-3", Commune: "31555", Departement: "31", Region: "76",
		Themes: []mediation.Theme{"sante", "papiers"}, Equipment: []mediation.Equipment{"smartphone"}, Autonomy: mediation.AutonomyPartial,
		Redirected: true, RedirectedTo: "France services", AgeBand: "70_79", Gender: "femme", ResidenceCommune: "31069", RecordedAt: day,
	}
}

// pgStyle rewrites a document the way PostgreSQL's jsonb gives it back:
// a space after every ':' and ',' (and keys in another order, which the
// decoder does not mind; the spaces are what differs).
func pgStyle(b []byte) []byte {
	var out bytes.Buffer
	in := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		out.WriteByte(c)
		switch {
		case c == '\\' && in:
			i++
			out.WriteByte(b[i])
		case c == '"':
			in = !in
		case !in && (c == ':' || c == ','):
			out.WriteByte(' ')
		}
	}
	return out.Bytes()
}

// same decodes b with the fast decoder (into a record holding another
// record's values, to check reuse) and with encoding/json, and compares.
func same[T any](t *testing.T, b []byte, fast func(*Decoder, []byte, *T) error, dirty T) {
	t.Helper()
	var want T
	werr := json.Unmarshal(b, &want)
	var d Decoder
	got := dirty
	gerr := fast(&d, b, &got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%s: encoding/json error %v, fast error %v", b, werr, gerr)
	}
	if werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n fast %+v\n json %+v", b, got, want)
	}
}

func TestSameAsEncodingJSON(t *testing.T) {
	r := sampleReferral()
	rb, _ := json.Marshal(r)
	r.FollowUp = &assessment.Result{Instrument: "triage", Level: assessment.LevelIntermediate}
	rfb, _ := json.Marshal(r)
	ab, _ := json.Marshal(sampleAction())
	cb, _ := json.Marshal(sampleAccompaniment())
	dirtyR, dirtyA, dirtyC := sampleReferral(), sampleAction(), sampleAccompaniment()
	for _, b := range [][]byte{rb, pgStyle(rb), rfb, []byte(`{}`), []byte(`{"history":[],"assessment":{"flags":[]}}`), []byte(`{"id":null}`),
		[]byte(`{"ID":"6f1c2a8e-3b1d-4c5e-9f00-0123456789ab"}`), []byte(`{"status":"a","status":"b"}`), []byte(`{"version":1.5}`),
		[]byte(`{"created_at":"2025-03-02T10:00:00+01:00"}`), []byte(`{"commune":"12\u00202"}`), []byte(`{"x":1}`), []byte(`null`), []byte(`{"id":1}`)} {
		same(t, b, (*Decoder).Referral, dirtyR)
	}
	for _, b := range [][]byte{ab, pgStyle(ab), []byte(`{"ambassador_ids":[null],"themes":[]}`), []byte(`{"participants":{"by_age":{"60_69":1}},"participants":{}}`)} {
		same(t, b, (*Decoder).Action, dirtyA)
	}
	for _, b := range [][]byte{cb, pgStyle(cb), []byte(`{"equipment":[null,"x"],"redirected":false}`), []byte(`{"date":"2025-02-30T00:00:00Z"}`)} {
		same(t, b, (*Decoder).Accompaniment, dirtyC)
	}
}

// The fast path takes the documents the stores write: no fallback, and no
// allocation once the interner and the reused slices are warm.
func TestFastPathAllocations(t *testing.T) {
	rb, _ := json.Marshal(sampleReferral())
	rb = bytes.Replace(rb, []byte(`"p-7c1e"`), []byte(`""`), 1) // a person id is the one string not interned
	var d Decoder
	var r referral.Referral
	if err := d.Referral(rb, &r); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(100, func() {
		if err := d.Referral(rb, &r); err != nil {
			t.Fatal(err)
		}
	})
	if n > 1 { // the appointment pointer
		t.Errorf("%.0f allocations per referral, want at most 1", n)
	}
}

func FuzzReferral(f *testing.F) {
	rb, _ := json.Marshal(sampleReferral())
	f.Add(rb)
	f.Add(pgStyle(rb))
	f.Add([]byte(`{"history":[{"at":"2025-01-01T00:00:00.5Z"}],"version":-0}`))
	f.Fuzz(func(t *testing.T, b []byte) { same(t, b, (*Decoder).Referral, sampleReferral()) })
}

func FuzzAction(f *testing.F) {
	ab, _ := json.Marshal(sampleAction())
	f.Add(ab)
	f.Add(pgStyle(ab))
	f.Fuzz(func(t *testing.T, b []byte) { same(t, b, (*Decoder).Action, sampleAction()) })
}

func FuzzAccompaniment(f *testing.F) {
	cb, _ := json.Marshal(sampleAccompaniment())
	f.Add(cb)
	f.Add(pgStyle(cb))
	f.Fuzz(func(t *testing.T, b []byte) { same(t, b, (*Decoder).Accompaniment, sampleAccompaniment()) })
}

// BenchmarkReferral decodes one stored referral: fast, and encoding/json
// (the baseline) in the same run.
func BenchmarkReferral(b *testing.B) {
	rb, _ := json.Marshal(sampleReferral())
	b.Run("fastdoc", func(b *testing.B) {
		var d Decoder
		var r referral.Referral
		b.SetBytes(int64(len(rb)))
		for b.Loop() {
			if err := d.Referral(rb, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(rb)))
		for b.Loop() {
			var r referral.Referral
			if err := json.Unmarshal(rb, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
