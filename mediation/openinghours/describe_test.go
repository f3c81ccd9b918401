package openinghours

import "testing"

func TestDescribe(t *testing.T) {
	tests := []struct{ in, fr, en string }{
		{"Mo-Fr 09:00-12:00,14:00-17:00; We off; PH off",
			"du lundi au vendredi : 09:00-12:00, 14:00-17:00 ; mercredi : fermé ; jours fériés : fermé",
			"Monday to Friday: 09:00-12:00, 14:00-17:00; Wednesday: closed; public holidays: closed"},
		{"24/7", "ouvert 24 h/24, 7 j/7", "open 24 hours a day, 7 days a week"},
		{`"sur rendez-vous"`, "« sur rendez-vous »", `"sur rendez-vous"`},
		{`Mo-Fr 09:00-12:00 || "sur rendez-vous"`,
			"du lundi au vendredi : 09:00-12:00 ; sinon « sur rendez-vous »",
			`Monday to Friday: 09:00-12:00; otherwise "sur rendez-vous"`},
		{"Dec 24-Jan 02 off", "du 24 décembre au 2 janvier : fermé", "December 24 to January 2: closed"},
		{"2025 Dec 24-26 off", "du 24 décembre au 26 décembre 2025 : fermé", "December 24 to December 26, 2025: closed"},
		{"Jan 01 off", "1er janvier : fermé", "January 1: closed"},
		{"easter +1 day off", "Pâques + 1 jour : fermé", "Easter + 1 day: closed"},
		{"easter -2 days-easter +1 day off", "de Pâques - 2 jours à Pâques + 1 jour : fermé", "Easter - 2 days to Easter + 1 day: closed"},
		{"Jan-Mar Mo,We,Fr 10:00-12:00",
			"de janvier à mars, lundi, mercredi et vendredi : 10:00-12:00",
			"January to March, Monday, Wednesday and Friday: 10:00-12:00"},
		{"Sa[1,3] 10:00-12:00", "samedi (1er et 3e du mois) : 10:00-12:00", "Saturday (1st and 3rd of the month): 10:00-12:00"},
		{"Su[-1] 10:00-12:00", "dimanche (dernier du mois) : 10:00-12:00", "Sunday (last of the month): 10:00-12:00"},
		{"week 01-10/2 Mo 10:00-11:00", "semaines de 1 à 10 (une sur 2), lundi : 10:00-11:00", "weeks 1 to 10 (every other week), Monday: 10:00-11:00"},
		{"PH Mo-Fr 10:00-12:00", "jours fériés tombant du lundi au vendredi : 10:00-12:00", "public holidays falling Monday to Friday: 10:00-12:00"},
		{"Fr 22:00-26:00", "vendredi : 22:00-02:00", "Friday: 22:00-02:00"},
		{"18:00+", "tous les jours : à partir de 18:00", "every day: from 18:00"},
		{"(sunset-01:00)-sunset", "tous les jours : (coucher du soleil-01:00)-coucher du soleil", "every day: (sunset-01:00)-sunset"},
		{`Mo 10:00-12:00, Tu 14:00-16:00 "atelier"`,
			"lundi : 10:00-12:00 ; et aussi mardi : 14:00-16:00 (« atelier »)",
			`Monday: 10:00-12:00; and also Tuesday: 14:00-16:00 ("atelier")`},
		{"Sa", "samedi : ouvert toute la journée", "Saturday: open all day"},
		{"2024-2030/2 Jan 01 off", "de 2024 à 2030 (tous les 2 ans), 1er janvier : fermé", "2024 to 2030 (every 2 years), January 1: closed"},
		{"Mo 10:00-12:00 unknown", "lundi : 10:00-12:00 (horaires non précisés)", "Monday: 10:00-12:00 (hours not given)"},
	}
	for _, tt := range tests {
		s := MustParse(tt.in)
		if got := s.Describe(French); got != tt.fr {
			t.Errorf("Describe(%q, fr) = %q, want %q", tt.in, got, tt.fr)
		}
		if got := s.Describe(English); got != tt.en {
			t.Errorf("Describe(%q, en) = %q, want %q", tt.in, got, tt.en)
		}
	}
	if got := MustParse("Sa").Describe("de"); got != "samedi : ouvert toute la journée" {
		t.Errorf("unknown language should fall back to French, got %q", got)
	}
}

func TestDescribeRealData(t *testing.T) {
	// Every real value gets a non-empty description in both languages.
	for _, v := range realHours(t) {
		s := MustParse(v)
		if s.Describe(French) == "" || s.Describe(English) == "" {
			t.Errorf("%q: empty description", v)
		}
	}
}
