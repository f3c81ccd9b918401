package mediation

import (
	"math"
	"strings"
	"testing"
)

func validPlace() Place {
	return Place{
		ID: "structure-1", Pivot: "43493312300029", Name: "Anonymal", Commune: "Reims",
		PostalCode: "51100", INSEECode: "51454", Address: "12 BIS RUE DE LECLERCQ",
		Latitude: 49.25, Longitude: 4.03, UpdatedAt: "2022-06-02",
		Services: []Service{ServiceEverydayTools}, Labels: []Label{LabelFormeMonEspaceSante},
		Phone: "+33180059880",
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Place)
		fields []string // fields expected in error, in order
	}{
		{"valid", func(*Place) {}, nil},
		{"missing required", func(p *Place) { p.ID, p.Name, p.UpdatedAt = "", "", "" }, []string{"id", "nom", "date_maj"}},
		{"bad postal code", func(p *Place) { p.PostalCode = "5110" }, []string{"code_postal"}},
		{"bad insee", func(p *Place) { p.INSEECode = "20123" }, []string{"code_insee"}},
		{"corsica insee ok", func(p *Place) { p.INSEECode = "2A004" }, nil},
		{"bad pivot", func(p *Place) { p.Pivot = "123" }, []string{"pivot"}},
		{"rna pivot ok", func(p *Place) { p.Pivot = "W123456789" }, nil},
		{"bad phone", func(p *Place) { p.Phone = "01 80 05 98 80" }, []string{"telephone"}},
		{"bad date", func(p *Place) { p.UpdatedAt = "02/06/2022" }, []string{"date_maj"}},
		{"impossible date", func(p *Place) { p.UpdatedAt = "2022-13-40" }, []string{"date_maj"}},
		{"lat out of range", func(p *Place) { p.Latitude = 91 }, []string{"latitude"}},
		{"lon NaN", func(p *Place) { p.Longitude = math.NaN() }, []string{"longitude"}},
		{"unknown service", func(p *Place) { p.Services = append(p.Services, "Accompagner les démarches de santé") }, []string{"services"}},
		{"unknown label", func(p *Place) { p.Labels = []Label{"Formé à Mon Espace Santé"} }, []string{"formations_labels"}},
		{"summary too long", func(p *Place) { p.Summary = strings.Repeat("é", 281) }, []string{"presentation_resume"}},
		{"bad itinerance", func(p *Place) { p.Itinerance = []Itinerance{"Mobile"} }, []string{"itinerance"}},
		{"hours not OSM", func(p *Place) { p.Hours = "lundi matin" }, []string{"horaires"}},
		{"hours OSM", func(p *Place) { p.Hours = "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlace()
			tt.edit(&p)
			errs := p.Validate()
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
				if e.Message == "" || e.Code == "" {
					t.Errorf("error without code or message: %+v", e)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields in error = %v, want %v (%v)", got, tt.fields, errs)
			}
		})
	}
}

func TestEnumerationsAreValid(t *testing.T) {
	counts := map[string]int{
		"services": len(AllServices()), "publics": len(AllPublics()), "prise_en_charge": len(AllSpecificSupports()),
		"frais": len(AllFees()), "dispositifs": len(AllPrograms()), "labels": len(AllLabels()),
		"acces": len(AllAccessModes()), "accompagnement": len(AllSupportModes()), "itinerance": len(AllItinerances()),
	}
	want := map[string]int{"services": 9, "publics": 5, "prise_en_charge": 7, "frais": 3, "dispositifs": 11,
		"labels": 9, "acces": 6, "accompagnement": 4, "itinerance": 2}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d values, want %d", k, counts[k], n)
		}
	}
	for _, s := range AllServices() {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	if Service("Aide aux demarches administratives").Valid() {
		t.Error("Valid must be strict about accents")
	}
	if string(LabelFormeMonEspaceSante) != "Formé à « Mon Espace Santé »" {
		t.Errorf("label wording changed: %q", LabelFormeMonEspaceSante)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		raw  string
		want Service
		ok   bool
	}{
		{"Aide aux démarches administratives", ServiceAdministrativeProcedures, true},
		{"  aide aux DEMARCHES  administratives ", ServiceAdministrativeProcedures, true},
		{"Comprehension du monde numérique", ServiceDigitalCulture, true},
		{"Accompagner les démarches de santé", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.raw, AllServices())
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
	if a, ok := Lookup("Ce lieu n’accueille pas de public", AllAccessModes()); !ok || a != AccessNoPublic {
		t.Errorf("curly apostrophe: got %q %v", a, ok)
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		lat, lon float64
		ok       bool
	}{{45.7, 4.8, true}, {0, 0, false}, {91, 4, false}, {45, 181, false}, {math.NaN(), 1, false}, {-21.1, 55.5, true}}
	for _, tt := range tests {
		p := Place{Latitude: tt.lat, Longitude: tt.lon}
		pt, ok := p.Location()
		if ok != tt.ok || ok != p.HasLocation() {
			t.Errorf("(%v,%v): ok=%v HasLocation=%v, want %v", tt.lat, tt.lon, ok, p.HasLocation(), tt.ok)
		}
		if ok && (pt.Lat != tt.lat || pt.Lon != tt.lon) {
			t.Errorf("Location = %+v", pt)
		}
	}
}

func TestImportReportCounts(t *testing.T) {
	var r ImportReport
	for _, s := range []Status{StatusAccepted, StatusRepaired, StatusRejected, StatusAccepted} {
		r.Add(RowOutcome{Row: len(r.Rows) + 1, Status: s})
	}
	if r.Accepted != 2 || r.Repaired != 1 || r.Rejected != 1 || r.Imported() != 3 || len(r.Rejections()) != 1 {
		t.Fatalf("counts: %+v", r)
	}
}

func TestFieldErrorsAreBilingual(t *testing.T) {
	p := Place{Latitude: 100, Summary: strings.Repeat("x", 300), Pivot: "?", PostalCode: "1", Phone: "x", UpdatedAt: "x",
		Services: []Service{"x"}}
	for _, e := range p.Validate() {
		if e.MessageFR == "" || e.MessageFR == e.Message || e.Text("fr") != e.MessageFR || e.Text("en") != e.Message {
			t.Errorf("%s: en %q fr %q", e.Field, e.Message, e.MessageFR)
		}
	}
}
