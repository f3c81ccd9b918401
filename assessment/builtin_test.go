package assessment

import (
	"fmt"
	"testing"
)

func TestBuiltinsLoad(t *testing.T) {
	ins, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 4 {
		t.Fatalf("got %d built-ins, want 4", len(ins))
	}
}

// TestBuiltinTextsBilingual: every text a person or a teleadvisor sees in
// the built-in instruments exists in French and in English, and every
// triage question has a plain-language French variant.
func TestBuiltinTextsBilingual(t *testing.T) {
	ins, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		d := in.Definition()
		check := func(where string, tx Text) {
			if tx.FR == "" || tx.EN == "" {
				t.Errorf("%s %s: missing French or English: %+v", d.ID, where, tx)
			}
		}
		check("title", d.Title)
		for _, it := range d.Items {
			check(it.ID, it.Text)
			if d.ID == "triage" && it.Text.FREasy == "" {
				t.Errorf("triage %s: no plain-language French", it.ID)
			}
			for _, o := range it.Options {
				check(it.ID+"/"+o.Value, o.Text)
			}
			for i, l := range it.Labels {
				check(fmt.Sprintf("%s/label %d", it.ID, i), l)
			}
		}
		for i, r := range d.Scoring.Levels {
			check(fmt.Sprintf("level rule %d", i), r.Why)
		}
		for _, r := range d.Scoring.Flags {
			check("flag "+string(r.Flag), r.Why)
		}
		for _, dim := range d.Scoring.Dimensions {
			check("dimension "+dim.ID, dim.Text)
		}
		for _, a := range d.Scoring.Areas {
			check("area "+a.ID, a.Text)
		}
		if d.Scoring.Bands != nil {
			for _, b := range d.Scoring.Bands.Bands {
				check("band "+b.ID, b.Text)
			}
		}
		if d.Source == "" {
			t.Errorf("%s: no source", d.ID)
		}
	}
}
