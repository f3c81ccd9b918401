package coop

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when refused
	}{
		{"12/09/2025", "2025-09-12"},
		{"2/9/2025", "2025-09-02"},
		{"2025-09-12", "2025-09-12"},
		{"12-09-2025", "2025-09-12"},
		{"12/09/2025 14:30", "2025-09-12"},
		{"2025-09-12T00:00:00.000Z", "2025-09-12"},
		{"45912", "2025-09-12"}, // spreadsheet serial
		{"45912.5", "2025-09-12"},
		{"1", "1900-01-01"}, {"61", "1900-03-01"},
		{"0", ""},
		{"-3", ""},
		{"NaN", ""},
		{"31/02/2025", ""},
		{"12/09/25x", ""},
		{"demain", ""},
		{"0001-01-01", ""},
	} {
		got, ok := parseDate(tc.in)
		s := ""
		if ok {
			s = got.Format("2006-01-02")
		}
		if s != tc.want {
			t.Errorf("parseDate(%q) = %q; want %q", tc.in, s, tc.want)
		}
	}
}

func TestParseParticipants(t *testing.T) {
	for _, tc := range []struct {
		in   string
		k, n int
		ok   bool
	}{
		{"1", 1, 1, true}, {"1.0", 1, 1, true}, {"2/7", 2, 7, true}, {"7/7", 7, 7, true}, {" 3 / 4 ", 3, 4, true},
		{"8/7", 0, 0, false}, {"0/7", 0, 0, false}, {"2", 0, 0, false}, {"", 0, 0, false},
		{"1/20000", 0, 0, false}, {"a/b", 0, 0, false}, {"-1/2", 0, 0, false},
	} {
		k, n, ok := parseParticipants(tc.in)
		if k != tc.k || n != tc.n || ok != tc.ok {
			t.Errorf("parseParticipants(%q) = %d, %d, %v; want %d, %d, %v", tc.in, k, n, ok, tc.k, tc.n, tc.ok)
		}
	}
}

func TestParseMinutes(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   int
		reason string // a part of the reason, "" when accepted
	}{
		{"45", 45, ""}, {"90.0", 90, ""}, {"90,0", 90, ""}, {"1440", 1440, ""},
		{"-30", 0, "negative"}, {"0", 0, "at least a minute"}, {"une heure", 0, "not a number"},
		{"", 0, "empty"}, {"1441", 0, "more than a day"}, {"12.5", 0, "whole number"}, {"NaN", 0, "not a number"},
		{"Inf", 0, "not a number"},
	} {
		got, reason := parseMinutes(tc.in)
		if got != tc.want || (tc.reason == "") != (reason == "") || !strings.Contains(reason, tc.reason) {
			t.Errorf("parseMinutes(%q) = %d, %q; want %d, %q", tc.in, got, reason, tc.want, tc.reason)
		}
	}
}

func TestParseAutonomy(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind ActivityKind
		want Autonomy
		ok   bool
	}{
		{"1/3", KindIndividual, AutonomyFullyAssisted, true},
		{"2/3", KindIndividual, AutonomyPartlyAutonomous, true},
		{"3/3", KindIndividual, AutonomyAutonomous, true},
		{"1/3", KindCollective, WorkshopLevelBeginner, true},
		{"3 / 3", KindCollective, WorkshopLevelAdvanced, true},
		{"Partiellement autonome", KindIndividual, AutonomyPartlyAutonomous, true},
		{"ENTIÈREMENT ACCOMPAGNÉ", KindIndividual, AutonomyFullyAssisted, true},
		{"4/3", KindIndividual, "", false},
		{"2/4", KindIndividual, "", false},
	} {
		got, ok := parseAutonomy(tc.in, tc.kind)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseAutonomy(%q, %s) = %q, %v; want %q, %v", tc.in, tc.kind, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFoldHeader(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Thématique(s) d’accompagnement", "THEMATIQUE(S) D'ACCOMPAGNEMENT"},
		{"Tranche d’âge du bénéficiaire", "tranche d'age  du\u00a0beneficiaire "},
		{"\uFEFFDate", "date"},
		{"Durée (min)", "Duree (min)"},
	} {
		if foldHeader(tc.a) != foldHeader(tc.b) {
			t.Errorf("foldHeader(%q) = %q, foldHeader(%q) = %q; want equal", tc.a, foldHeader(tc.a), tc.b, foldHeader(tc.b))
		}
	}
	if foldHeader("Commune") == foldHeader("Commune du bénéficiaire") {
		t.Error("distinct headers fold together")
	}
}

const miniHeader = "Date;Type;Participants;Code Insee;Durée (min);Thématique(s) d’accompagnement;Niveau d’autonomie (ou de l’atelier);Genre du bénéficiaire;Tranche d’âge du bénéficiaire;Statut du bénéficiaire;ID CRA\n"

func TestDecodeRows(t *testing.T) {
	for _, tc := range []struct {
		name     string
		body     string
		accepted int
		rejected []string // "row field: reason part"
	}{
		{"straight apostrophes, upper case, tab separated",
			"DATE\tTYPE\tPARTICIPANTS\tCODE INSEE\tDUREE (MIN)\tTHEMATIQUE(S) D'ACCOMPAGNEMENT\tNIVEAU D'AUTONOMIE (OU DE L'ATELIER)\tGENRE DU BENEFICIAIRE\tTRANCHE D'AGE DU BENEFICIAIRE\tSTATUT DU BENEFICIAIRE\tID CRA\n" +
				"12/09/2025\tAccompagnement individuel\t1\t16015\t45\tsante\t1/3\tfeminin\t70 ans ou plus\tretraite\ta\n", 1, nil},
		{"code that lost its leading zero", miniHeader +
			"12/09/2025;Accompagnement individuel;1;1053;45;Santé;1/3;Féminin;70 ans ou plus;Retraité(e);a\n", 1, nil},
		{"Paris arrondissement", miniHeader +
			"12/09/2025;Accompagnement individuel;1;75115;45;Santé;1/3;Féminin;70 ans ou plus;Retraité(e);a\n", 1, nil},
		{"future date", miniHeader +
			"17/10/2025;Accompagnement individuel;1;16015;45;Santé;1/3;Féminin;;;a\n", 0, []string{"2 Date: in the future"}},
		{"today", miniHeader +
			"15/10/2025;Accompagnement individuel;1;97411;45;Santé;1/3;Féminin;;;a\n", 1, nil},
		{"tomorrow", miniHeader +
			"16/10/2025;Accompagnement individuel;1;97411;45;Santé;1/3;Féminin;;;a\n", 0, []string{"2 Date: in the future"}},
		{"every problem of a row", miniHeader +
			"hier;Visite;x;99999;-5;Jardinage;5/3;Autre;12 ans;Chômeur;a\n", 0, []string{
			"2 Date: not a date", "2 Type: not an activity type", "2 Participants: not a participant",
			"2 Code Insee: not the INSEE code", "2 Durée (min): negative", "2 Thématique(s) d’accompagnement: not a theme",
			"2 Niveau d’autonomie (ou de l’atelier): not a level", "2 Genre du bénéficiaire: not a gender",
			"2 Tranche d’âge du bénéficiaire: not an age band", "2 Statut du bénéficiaire: not a status"}},
		{"missing ID CRA", miniHeader +
			"12/09/2025;Accompagnement individuel;1;16015;45;Santé;1/3;Féminin;;;\n", 0, []string{"2 ID CRA: empty"}},
		{"same participant twice", miniHeader +
			"12/09/2025;Atelier collectif;1/2;16015;45;Santé;1/3;;;;w\n12/09/2025;Atelier collectif;1/2;16015;45;Santé;1/3;;;;w\n",
			0, []string{"2 ID CRA: rejected with its row 3", "3 Participants: already on row 2"}},
		{"individual with two participants", miniHeader +
			"12/09/2025;Accompagnement individuel;1/2;16015;45;Santé;1/3;;;;w\n12/09/2025;Accompagnement individuel;2/2;16015;45;Santé;1/3;;;;w\n",
			0, []string{"2 Participants: one participant", "3 ID CRA: rejected with its row 2"}},
		{"rows of one activity at two places", miniHeader +
			"12/09/2025;Atelier collectif;1/2;16015;45;Santé;1/3;;;;w\n12/09/2025;Atelier collectif;2/2;12202;45;Santé;1/3;;;;w\n",
			0, []string{"2 ID CRA: rejected with its row 3", "3 Code Insee: one place"}},
		{"place without commune", miniHeader +
			"12/09/2025;Atelier collectif;1/1;;45;Santé;1/3;;;;w\n", 0, []string{"2 Code Insee: needs the INSEE code"}},
		{"a name typed as the redirection structure", strings.TrimSuffix(miniHeader, "\n") + ";Bénéficiaire réorienté;Structure de redirection\n" +
			"12/09/2025;Accompagnement individuel;1;16015;45;Santé;1/3;;;;a;Oui;Dr Fictif Exemple\n" +
			"12/09/2025;Accompagnement individuel;1;16015;45;Santé;1/3;;;;b;Oui;administration (collectivite locale, prefecture...)\n",
			1, []string{"2 Structure de redirection: not a redirection structure"}},
		{"an older export: workshop level in its own column, the procedure type", strings.TrimSuffix(miniHeader, "\n") + ";Niveau de l’atelier\n" +
			"12/09/2025;Atelier collectif;1;16015;45;Santé;;;;;w;2/3\n" +
			"12/09/2025;Aide aux démarches administratives;1;16015;45;Santé;3/3;;;;i;\n", 2, nil},
		{"blank rows are skipped", miniHeader + ";;;\n\n" +
			"12/09/2025;Atelier collectif;1;16015;45;;;;;;w\n", 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode(context.Background(), strings.NewReader(tc.body), "t.csv", &Options{Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Activities) != tc.accepted || len(res.Rejected) != len(tc.rejected) {
				t.Fatalf("%d accepted, rejected %v; want %d, %v", len(res.Activities), res.Rejected, tc.accepted, tc.rejected)
			}
			for i, r := range res.Rejected {
				row, rest, _ := strings.Cut(tc.rejected[i], " ")
				field, reason, _ := strings.Cut(rest, ": ")
				if itoa(r.Row) != row || r.Field != field || !strings.Contains(r.Reason, reason) {
					t.Errorf("rejection %d: %+v; want %s", i, r, tc.rejected[i])
				}
			}
			checkResult(t, res)
		})
	}
}

func TestDecodeLimitsAndContext(t *testing.T) {
	body := miniHeader + strings.Repeat("12/09/2025;Atelier collectif;1;16015;45;;;;;;w\n", 50)
	_, err := Decode(context.Background(), strings.NewReader(body), "t.csv", &Options{Now: fixtureNow, MaxRows: 10})
	if !errors.Is(err, ErrNoHeader) && !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxRows: %v", err)
	}
	_, err = Decode(context.Background(), strings.NewReader(body), "t.csv", &Options{Now: fixtureNow, MaxBytes: 100})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxBytes: %v; want ErrTooLarge", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := miniHeader + strings.Repeat("12/09/2025;Atelier collectif;1;16015;45;;;;;;w\n", 3000)
	if _, err := Decode(ctx, strings.NewReader(big), "t.csv", &Options{Now: fixtureNow}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v; want context.Canceled", err)
	}
}

func TestPersonIDDeterministicAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for k := 1; k <= 500; k++ {
		id := PersonID(craWorkshop, k)
		if id != PersonID(craWorkshop, k) {
			t.Fatal("PersonID is not deterministic")
		}
		if seen[id.String()] {
			t.Fatalf("participant %d: id %s repeats", k, id)
		}
		seen[id.String()] = true
	}
}

// TestDecodeWindows1252 reads the semicolon CSV as Excel in French saves
// it: Windows-1252, no BOM.
func TestDecodeWindows1252(t *testing.T) {
	reverse := map[rune]byte{}
	for i, r := range windows1252High {
		reverse[r] = byte(0x80 + i)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "mediator-export-semicolon-bom.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var latin []byte
	for _, r := range strings.TrimPrefix(string(data), "\uFEFF") {
		switch b, ok := reverse[r]; {
		case r < 0x80 || (r >= 0xA0 && r < 0x100):
			latin = append(latin, byte(r))
		case ok:
			latin = append(latin, b)
		default:
			t.Fatalf("%q has no Windows-1252 byte", r)
		}
	}
	res, err := Decode(context.Background(), bytes.NewReader(latin), "cp1252.csv", &Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Activities) != 4 || len(res.Rejected) != 8 {
		t.Fatalf("%d activities, %d rejected; want 4, 8: %v", len(res.Activities), len(res.Rejected), res.Rejected)
	}
	checkGoodActivities(t, res.Activities)
	if _, err := Decode(context.Background(), bytes.NewReader([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")), "old.xls", nil); !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), ".xls") {
		t.Errorf("an .xls file: %v; want ErrUnreadable naming .xls", err)
	}
}

func TestDecodeOlderExport(t *testing.T) {
	body := strings.TrimSuffix(miniHeader, "\n") + ";Niveau de l’atelier\n" +
		"12/09/2025;Atelier collectif;1;16015;45;Santé;;;;;w;2/3\n" +
		"12/09/2025;Aide aux démarches administratives;1;16015;45;Santé;3/3;;;;i;\n"
	res, err := Decode(context.Background(), strings.NewReader(body), "old.csv", &Options{Now: fixtureNow})
	if err != nil || len(res.Activities) != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	if w, i := res.Activities[0], res.Activities[1]; w.WorkshopLevel != WorkshopLevelIntermediate || i.Kind != KindIndividual || i.People[0].Autonomy != AutonomyAutonomous {
		t.Errorf("workshop level %q, procedure kind %q autonomy %q; want intermediaire, individuel, autonome", w.WorkshopLevel, i.Kind, i.People[0].Autonomy)
	}
}
