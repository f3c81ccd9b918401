package franceservices

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

func FuzzParseDayHours(f *testing.F) {
	for _, s := range []string{"09:00 - 12:00 / 13:30 - 17:00", "00:00 - 00:00", "09:00 - 16:30 / 13:30 - 16:30", "", "9h - 12h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		ivs, _, err := ParseDayHours(cell)
		if err != nil {
			return
		}
		// Intervals are ordered, disjoint, within the day, and print back
		// to a cell that parses to the same intervals.
		var parts []string
		for i, iv := range ivs {
			if iv.Start < 0 || iv.End > 24*60 || iv.End <= iv.Start || i > 0 && iv.Start <= ivs[i-1].End {
				t.Fatalf("%q: bad intervals %v", cell, ivs)
			}
			s := iv.String()
			parts = append(parts, strings.Replace(s, "-", " - ", 1))
		}
		again, notes, err := ParseDayHours(strings.Join(parts, " / "))
		if err != nil || len(notes) != 0 || !sameIntervals(again, ivs) {
			t.Fatalf("%q: %v does not round-trip: %v %v %v", cell, ivs, again, notes, err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile(listFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:2000])
	f.Add([]byte("id_fs,lib_fs,adresse,code_postal,lib_com,h_lundi\n1,x,y,01000,z,09:00 - 12:00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		places, rep, err := Decode(context.Background(), bytes.NewReader(data), Options{File: "2024-08-01.csv"})
		if err != nil {
			return
		}
		if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
			t.Fatalf("bookkeeping: %s", rep)
		}
		for _, p := range places {
			if errs := p.Validate(); len(errs) > 0 {
				t.Fatalf("place breaks the standard: %v", errs)
			}
		}
	})
}
