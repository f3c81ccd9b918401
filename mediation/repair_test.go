package mediation

import (
	"slices"
	"testing"
)

type fakeResolver map[string]CommuneInfo // by code; ResolveCommune by name

func (f fakeResolver) CommuneByCode(code string) (CommuneInfo, bool) { c, ok := f[code]; return c, ok }
func (f fakeResolver) ResolveCommune(_, name string) (CommuneInfo, bool) {
	for _, c := range f {
		if c.Name == name {
			return c, true
		}
	}
	return CommuneInfo{}, false
}

func TestRepair(t *testing.T) {
	communes := fakeResolver{
		"51454": {Code: "51454", Name: "Reims", PostalCodes: []string{"51100"}, Lat: 49.2484, Lon: 4.0415},
		"75056": {Code: "75056", Name: "Paris", Lat: 48.8589, Lon: 2.347},
		"97311": {Code: "97311", Name: "Saint-Laurent-du-Maroni", Lat: 5.0, Lon: -54.0},
	}
	tests := []struct {
		name      string
		place     Place
		flags     []RepairFlag
		lat, lon  float64
		inseeCode string
	}{
		{"fine", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Latitude: 49.25, Longitude: 4.03, Pivot: "x12345678"}, nil, 49.25, 4.03, "51454"},
		{"no coordinates", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Pivot: "x12345678"}, []RepairFlag{FlagApproximateLocation}, 49.2484, 4.0415, "51454"},
		{"out of range", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Latitude: 492.5, Longitude: 4.03, Pivot: "x12345678"}, []RepairFlag{FlagApproximateLocation}, 49.2484, 4.0415, "51454"},
		{"swapped", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Latitude: 4.03, Longitude: 49.25, Pivot: "x12345678"}, []RepairFlag{FlagCoordinatesSwapped}, 49.25, 4.03, "51454"},
		{"far", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Latitude: 43.3, Longitude: 5.4, Pivot: "x12345678"}, []RepairFlag{FlagSuspiciousLocation}, 43.3, 5.4, "51454"},
		{"derived insee", Place{Commune: "Reims", PostalCode: "51100", Latitude: 49.25, Longitude: 4.03, Pivot: "x12345678"}, []RepairFlag{FlagINSEECodeDerived}, 49.25, 4.03, "51454"},
		{"arrondissement kept", Place{INSEECode: "75112", Commune: "Paris", Latitude: 48.84, Longitude: 2.39, Pivot: "x12345678"}, nil, 48.84, 2.39, "75112"},
		{"guiana is wide", Place{INSEECode: "97311", Commune: "Saint-Laurent-du-Maroni", Latitude: 5.48, Longitude: -54.03, Pivot: "x12345678"}, nil, 5.48, -54.03, "97311"},
		{"unknown commune", Place{Commune: "Nulle-Part", Pivot: "x12345678"}, nil, 0, 0, ""},
		{"commune and postal code from the INSEE code", Place{INSEECode: "51454", Latitude: 49.25, Longitude: 4.03, Pivot: "x12345678"},
			[]RepairFlag{FlagCommuneDerived, FlagPostalCodeDerived}, 49.25, 4.03, "51454"},
		{"pivot placeholder", Place{INSEECode: "51454", Commune: "Reims", PostalCode: "51100", Latitude: 49.25, Longitude: 4.03}, []RepairFlag{FlagFieldNormalized}, 49.25, 4.03, "51454"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.place
			reasons := Repair(&p, communes)
			if !slices.Equal(p.Flags, tt.flags) || p.Latitude != tt.lat || p.Longitude != tt.lon || p.INSEECode != tt.inseeCode {
				t.Fatalf("got flags %v (%v, %v) %q; want %v (%v, %v) %q", p.Flags, p.Latitude, p.Longitude, p.INSEECode, tt.flags, tt.lat, tt.lon, tt.inseeCode)
			}
			if len(reasons) != len(tt.flags) {
				t.Errorf("%d reasons for %d flags: %v", len(reasons), len(tt.flags), reasons)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"04 50 56 87 49", "+33450568749"},
		{"04.50.56.87.49", "+33450568749"},
		{"+33 4 50 56 87 49", "+33450568749"},
		{"+33 (0)4 50 56 87 49", "+33450568749"},
		{"0033450568749", "+33450568749"},
		{"0262 12 34 56", "+262262123456"},
		{"06 90 12 34 56", "+590690123456"},
		{"0262 12 34", ""},
		{"3422", ""},
		{"appeler la mairie", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if ok != (tt.want != "") || ok && got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestSplitValues(t *testing.T) {
	got := SplitValues(" Gratuit|Payant ; ;Gratuit sous condition|")
	if !slices.Equal(got, []string{"Gratuit", "Payant", "Gratuit sous condition"}) {
		t.Errorf("SplitValues = %q", got)
	}
}
