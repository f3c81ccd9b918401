package mediation

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzActionJSON decodes arbitrary JSON as an Action: validation never
// panics, and an action that validates survives a JSON round trip unchanged
// and still valid (what a store writes is what it reads back).
func FuzzActionJSON(f *testing.F) {
	seed, _ := json.Marshal(validAction())
	f.Add(string(seed))
	f.Add(`{"id":"5d0a4c8e-1f7b-4c3a-9e55-0c6f1b2a9d10","type":"webinaire","date":"2024-12-02T00:00:00Z","remote":true,"people_sensitised":40}`)
	f.Add(`{"type":"permanence","people_sensitised":-1,"participants":{"by_age":{"70_et_plus":3}}}`)
	f.Add(`{"commune":"2A004","departement":"2B","source":"coop"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var a Action
		if json.Unmarshal([]byte(raw), &a) != nil {
			return
		}
		if err := a.ValidateAt(testNow); err != nil {
			if fields(t, err) == nil {
				t.Fatal("an error without problems")
			}
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Action
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatal(err)
		}
		if err := back.ValidateAt(testNow); err != nil {
			t.Fatalf("valid action invalid after a round trip: %v", err)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(out) || !reflect.DeepEqual(normalise(back), normalise(a)) {
			t.Fatalf("round trip changed the action:\n%s\n%s", out, again)
		}
	})
}

// normalise clears what JSON cannot tell apart (an empty map from nil).
func normalise(a Action) Action {
	if len(a.Participants.ByAge) == 0 {
		a.Participants.ByAge = nil
	}
	if len(a.Participants.ByGender) == 0 {
		a.Participants.ByGender = nil
	}
	if len(a.AmbassadorIDs) == 0 {
		a.AmbassadorIDs = nil
	}
	if len(a.Themes) == 0 {
		a.Themes = nil
	}
	a.Date, a.RecordedAt = a.Date.UTC(), a.RecordedAt.UTC()
	return a
}
