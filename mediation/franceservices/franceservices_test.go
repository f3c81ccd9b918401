package franceservices

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	m "github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/openinghours"
	"github.com/passerelle-sante/passerelle/territory"
)

const listFile = "testdata/france-services-2024-08-01.csv"

func decodeList(t *testing.T, c m.CommuneResolver) ([]m.Place, *m.ImportReport) {
	t.Helper()
	f, err := os.Open(listFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	places, rep, err := Decode(context.Background(), f, Options{File: listFile, Communes: c})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
		t.Fatalf("bookkeeping: %s, %d rows, %d places", rep, len(rep.Rows), len(places))
	}
	return places, rep
}

func TestDecodeRealList(t *testing.T) {
	ref, err := territory.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                         string
		communes                     m.CommuneResolver
		accepted, repaired, rejected int
		hoursRepaired, unparsed      int
		suspicious                   int
	}{
		{"no communes", nil, 2778, 67, 0, 67, 0, 0},
		{"territory", m.TerritoryCommunes(ref), 2777, 68, 0, 67, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			places, rep := decodeList(t, tt.communes)
			if rep.Accepted != tt.accepted || rep.Repaired != tt.repaired || rep.Rejected != tt.rejected {
				t.Fatalf("got %s, want %d/%d/%d", rep, tt.accepted, tt.repaired, tt.rejected)
			}
			var hoursRepaired, unparsed, suspicious int
			for _, o := range rep.Rows {
				for _, r := range o.Reasons {
					if r.Field == "horaires" && r.Code == m.CodeRepaired {
						hoursRepaired++
					}
				}
			}
			for _, p := range places {
				if p.HasFlag(m.FlagHoursUnparsed) {
					unparsed++
				}
				if p.HasFlag(m.FlagSuspiciousLocation) {
					suspicious++
				}
				if errs := p.Validate(); len(errs) > 0 {
					t.Errorf("%s: %v", p.ID, errs)
				}
			}
			if hoursRepaired != tt.hoursRepaired || unparsed != tt.unparsed || suspicious != tt.suspicious {
				t.Errorf("hours repaired %d, unparsed %d, suspicious %d; want %d, %d, %d",
					hoursRepaired, unparsed, suspicious, tt.hoursRepaired, tt.unparsed, tt.suspicious)
			}
		})
	}
}

func TestDecodeSpotCheck(t *testing.T) {
	places, _ := decodeList(t, nil)
	p := places[0]
	want := m.Place{
		ID: "france-services-1", Name: "France services de Valserhône", Commune: "Valserhône",
		PostalCode: "01200", INSEECode: "01033", Phone: "+33450568749", UpdatedAt: "2024-08-01",
		Hours: "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00",
	}
	if p.ID != want.ID || p.Name != want.Name || p.Commune != want.Commune || p.PostalCode != want.PostalCode ||
		p.INSEECode != want.INSEECode || p.Phone != want.Phone || p.UpdatedAt != want.UpdatedAt || p.Hours != want.Hours {
		t.Fatalf("got %+v", p)
	}
	if !p.HasProgram(m.ProgramFranceServices) || !p.HasService(m.ServiceAdministrativeProcedures) || p.Source != Source {
		t.Errorf("programme/services/source: %+v", p)
	}
	if p.Provenance[0].SourceID != "1" || p.Provenance[0].Row != 1 {
		t.Errorf("provenance %+v", p.Provenance)
	}
	var itinerant int
	for _, p := range places {
		if slices.Contains(p.Itinerance, m.ItineranceMobile) {
			itinerant++
		}
	}
	if itinerant != 134+29 {
		t.Errorf("%d itinerant sites, want 163 (Bus_équivalent + Itinérante)", itinerant)
	}
}

// Every converted hours string must be valid OSM opening_hours for the
// project's own parser.
func TestHoursParseAsOpeningHours(t *testing.T) {
	places, _ := decodeList(t, nil)
	n := 0
	for _, p := range places {
		if p.Hours == "" {
			continue
		}
		n++
		if _, err := openinghours.Parse(p.Hours); err != nil {
			t.Errorf("%s: %q: %v", p.ID, p.Hours, err)
		}
	}
	if n < 2700 {
		t.Errorf("only %d sites with hours", n)
	}
}

func TestParseDayHours(t *testing.T) {
	tests := []struct {
		cell  string
		want  string // intervals joined, or "error"
		notes int
	}{
		{"", "", 0},
		{"09:00 - 12:00 / 13:30 - 17:00", "09:00-12:00,13:30-17:00", 0},
		{"13:30 - 17:00", "13:30-17:00", 0},
		{"00:00 - 00:00", "", 1},
		{"09:00 - 16:30 / 13:30 - 16:30", "09:00-16:30", 1},
		{"13:30 - 17:00 / 09:00 - 12:00", "09:00-12:00,13:30-17:00", 1},
		{"09:00 - 12:00 / 09:00 - 12:00", "09:00-12:00", 1},
		{"9h00 - 12h00", "09:00-12:00", 0},
		{"12:00 - 09:00", "error", 0},
		{"09:00 - 25:00", "error", 0},
		{"09:60 - 10:00", "error", 0},
		{"matin", "error", 0},
		{"09:00", "error", 0},
	}
	for _, tt := range tests {
		ivs, notes, err := ParseDayHours(tt.cell)
		got := ""
		if err != nil {
			got = "error"
		} else {
			var parts []string
			for _, iv := range ivs {
				parts = append(parts, iv.String())
			}
			got = strings.Join(parts, ",")
		}
		if got != tt.want || len(notes) != tt.notes {
			t.Errorf("ParseDayHours(%q) = %q, %d notes (%v); want %q, %d", tt.cell, got, len(notes), err, tt.want, tt.notes)
		}
	}
}

func TestOpeningHours(t *testing.T) {
	am := []Interval{{540, 720}}
	full := []Interval{{540, 720}, {810, 1020}}
	tests := []struct {
		week [][]Interval
		want string
	}{
		{nil, ""},
		{[][]Interval{full, full, full, full, full, am}, "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00"},
		{[][]Interval{full, full, nil, full, full, nil}, "Mo,Tu 09:00-12:00,13:30-17:00; Th,Fr 09:00-12:00,13:30-17:00"},
		{[][]Interval{nil, nil, nil, nil, nil, am}, "Sa 09:00-12:00"},
	}
	for _, tt := range tests {
		if got := OpeningHours(tt.week); got != tt.want {
			t.Errorf("OpeningHours = %q, want %q", got, tt.want)
		}
	}
}

func TestDecodeNotAList(t *testing.T) {
	_, _, err := Decode(context.Background(), strings.NewReader("id,nom\n1,x\n"), Options{File: "x.csv"})
	if !errors.Is(err, m.ErrUnreadable) || !strings.Contains(err.Error(), "lib_fs") {
		t.Fatalf("err = %v", err)
	}
}
