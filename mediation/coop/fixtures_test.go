package coop

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The fixtures in testdata are written by this file: run
//
//	go test ./mediation/coop -run TestFixturesUpToDate -update
//
// after changing them. Every person, mediator and place below is invented
// (obviously fake names, so a test can prove they never reach a record);
// the communes are real (INSEE codes of the 2025 reference).
var update = flag.Bool("update", false, "rewrite the fixtures in testdata")

// fixtureRow is one row of an export, every column of both flavours.
type fixtureRow struct {
	date                                 any // time.Time, or a string for bad rows
	mediatorFirst, mediatorLast, role    string
	conum                                string
	kind, participants, beneficiary      string
	channel, place, address, commune, cp string
	insee, minutes, workshop, equipment  string
	themes, tags, procedure, autonomy    string
	redirected, redirection              string
	bCommune, bCP, bINSEE                string
	gender, age, status, notes, source   string
	craID                                string
}

// Header cells as La Coop writes them (typographic apostrophes).
func fixtureHeader(coordinator bool) []string {
	h := []string{"Date", "Enregistré le", "Dernière modification le"}
	if coordinator {
		h = append(h, "Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum")
	}
	h = append(h, "Type", "Participants")
	if !coordinator {
		h = append(h, "Bénéficiaire")
	}
	h = append(h, "Canaux d’accompagnement", "Nom du lieu", "Adresse", "Commune", "Code postal",
		"Code Insee", "Durée (min)", "Nom de l’atelier", "Matériel numérique utilisé",
		"Thématique(s) d’accompagnement", "Tags", "Nom de la démarche administrative",
		"Niveau d’autonomie (ou de l’atelier)", "Bénéficiaire réorienté", "Structure de redirection",
		"Commune du bénéficiaire", "Code postal du bénéficiaire", "Code Insee du bénéficiaire",
		"Genre du bénéficiaire", "Tranche d’âge du bénéficiaire", "Statut du bénéficiaire")
	if !coordinator {
		h = append(h, "Notes supplémentaires")
	}
	return append(h, "Source de la donnée", "ID CRA")
}

func (r fixtureRow) cells(coordinator bool, csvDates bool) []any {
	date := r.date
	if t, ok := date.(time.Time); ok && csvDates {
		date = t.Format("02/01/2006")
	}
	c := []any{date, "02/10/2025 à 18:04", ""}
	if coordinator {
		c = append(c, r.mediatorFirst, r.mediatorLast, r.role, r.conum)
	}
	c = append(c, r.kind, r.participants)
	if !coordinator {
		c = append(c, r.beneficiary)
	}
	c = append(c, r.channel, r.place, r.address, r.commune, r.cp, r.insee, r.minutes, r.workshop,
		r.equipment, r.themes, r.tags, r.procedure, r.autonomy, r.redirected, r.redirection,
		r.bCommune, r.bCP, r.bINSEE, r.gender, r.age, r.status)
	if !coordinator {
		c = append(c, r.notes)
	}
	return append(c, r.source, r.craID)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Fake names that must never reach a record or a report.
var fakeNames = []string{
	"Fictif-Testeur", "Jeannine", "Exemplaire", "Bidon", "Imaginaire", "Zébulon",
	"Camille Factice", "Factice", "06 00 00 00 00", "Appelle sa fille",
}

const (
	craStand     = "3f1e2d4c-0a7b-4c51-9e2a-1b6d8f0c7a11" // individual, Angoulême
	craRemote    = "8c2b7e90-5d43-4a1f-b6e8-2f9a0d3c5e22" // individual, remote
	craWorkshop  = "d4a6f1b2-9e3c-47d8-a5b0-6c1e2f8d9b33" // 7 participants, Rodez
	craDuo       = "1b9e8d7c-6a5f-4e3d-8c2b-0a9f8e7d6c44" // 2 participants, Guéret
	craFuture    = "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c55"
	craNegative  = "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d66"
	craWords     = "7a6f5e4d-3c2b-4a1f-8e9d-8c7b6a5f4e77"
	craUnknown   = "8b7a6f5e-4d3c-4b2a-9f0e-9d8c7b6a5f88"
	craShort     = "9c8b7a6f-5e4d-4c3b-8a1f-0e9d8c7b6a99"
	craWithThird = "ac9b8a7f-6e5d-4d4c-9b2a-1f0e9d8c7baa"
)

// goodRows are the activities every flavour carries.
func goodRows() []fixtureRow {
	mediator := fixtureRow{mediatorFirst: "Zébulon", mediatorLast: "Imaginaire", role: "Conseiller Numérique", conum: "64f0c0ffee0000000000abcd"}
	ind := mediator
	ind.date, ind.kind, ind.participants = day(2025, 9, 12), "Accompagnement individuel", "1"
	ind.beneficiary = "Jeannine Fictif-Testeur"
	ind.channel, ind.place, ind.address = "Lieu d’activité", "Espace numérique des Remparts (fictif)", "1 rue de l’Exemple"
	ind.commune, ind.cp, ind.insee, ind.minutes = "Angoulême", "16000", "16015", "45"
	ind.equipment, ind.themes = "Téléphone", "Santé\nE-mail"
	ind.procedure, ind.autonomy, ind.redirected = "", "2/3", "Non"
	ind.bCommune, ind.bCP, ind.bINSEE = "Angoulême", "16000", "16015"
	ind.gender, ind.age, ind.status = "Féminin", "60 - 69 ans", "Retraité(e)"
	ind.notes, ind.source, ind.craID = "Appelle sa fille au 06 00 00 00 00 pour l’activation", "La Coop de la médiation numérique (V2)", craStand

	remote := mediator
	remote.date, remote.kind, remote.participants = day(2025, 9, 18), "Accompagnement individuel", "1"
	remote.beneficiary = "Marcel Bidon"
	remote.channel, remote.minutes = "À distance", "30"
	remote.equipment, remote.themes = "Ordinateur", "Santé\nAide aux démarches administratives\nSocial - Santé"
	remote.autonomy, remote.redirected, remote.redirection = "1/3", "Oui", "Structure de médiation numérique"
	remote.bCommune, remote.bCP, remote.bINSEE = "Mende", "48000", "48095"
	remote.gender, remote.age, remote.status = "Masculin", "70 ans ou plus", "Retraité(e)"
	remote.source, remote.craID = "La Coop de la médiation numérique (V2)", craRemote

	rows := []fixtureRow{ind, remote}
	ages := []string{"60 - 69 ans", "70 ans ou plus", "40 - 59 ans", "25 - 39 ans", "70 ans ou plus", "18 - 24 ans", "Non communiqué"}
	genders := []string{"Féminin", "Masculin", "Féminin", "Féminin", "Non communiqué", "Masculin", "Féminin"}
	statuses := []string{"Retraité(e)", "Retraité(e)", "En emploi", "Sans emploi", "Non communiqué ou hétérogène", "Scolarisé(e)", "Sans emploi"}
	for k := 1; k <= 7; k++ {
		w := mediator
		w.date, w.kind, w.participants = day(2025, 9, 23), "Atelier collectif", fmt.Sprintf("%d/7", k)
		w.beneficiary = fmt.Sprintf("Participant%d Exemplaire", k)
		w.channel, w.place, w.address = "Lieu d’activité", "Médiathèque du Faubourg (fictive)", "12 avenue Imaginaire"
		w.commune, w.cp, w.insee, w.minutes = "Rodez", "12000", "12202", "120"
		w.workshop, w.equipment = "Activer Mon espace santé", "Ordinateur\nTablette"
		w.themes, w.tags, w.autonomy = "Santé\nNavigation sur internet", "Mon espace santé", "1/3"
		w.bCommune, w.bCP, w.bINSEE = "Rodez", "12000", "12202"
		w.gender, w.age, w.status = genders[k-1], ages[k-1], statuses[k-1]
		w.source, w.craID = "La Coop de la médiation numérique (V2)", craWorkshop
		if k == 1 {
			w.notes = "Camille Factice viendra la prochaine fois"
		}
		rows = append(rows, w)
	}
	for k := 1; k <= 2; k++ {
		w := mediator
		w.date, w.kind, w.participants = day(2025, 10, 2), "Atelier collectif", fmt.Sprintf("%d/2", k)
		w.beneficiary = fmt.Sprintf("Duo%d Factice", k)
		w.channel, w.place = "Autre lieu", "Salle des fêtes (fictive)"
		w.commune, w.cp, w.insee, w.minutes = "Guéret", "23000", "23096", "90"
		w.equipment, w.themes, w.autonomy = "Tablette", "Santé\nPrévention en sécurité numérique", "2/3"
		w.gender, w.age, w.status = "Masculin", "60 - 69 ans", "Retraité(e)"
		w.source, w.craID = "Espace coop (V1)", craDuo
		rows = append(rows, w)
	}
	return rows
}

// badRows are rows the import must refuse, each for one reason.
func badRows() []fixtureRow {
	base := goodRows()[0]
	future := base
	future.date, future.craID = day(2099, 1, 5), craFuture
	negative := base
	negative.minutes, negative.craID = "-30", craNegative
	words := base
	words.minutes, words.craID = "une heure", craWords
	unknown := base
	unknown.insee, unknown.craID = "99999", craUnknown
	// A workshop of 3 whose third row is missing from the file.
	short1, short2 := goodRows()[2], goodRows()[3]
	short1.participants, short2.participants = "1/3", "2/3"
	short1.craID, short2.craID = craShort, craShort
	// A workshop whose second row has another date than its first.
	third1, third2 := goodRows()[2], goodRows()[3]
	third1.participants, third2.participants = "1/2", "2/2"
	third1.craID, third2.craID = craWithThird, craWithThird
	third2.date = day(2025, 9, 24)
	return []fixtureRow{future, negative, words, unknown, short1, short2, third1, third2}
}

// metadataRows are what La Coop writes above the table.
func metadataRows(coordinator bool) [][]any {
	by := "Jeannine Fictif-Testeur"
	if coordinator {
		by = "Camille Factice (coordinatrice)"
	}
	return [][]any{
		{"Export des accompagnements — La Coop de la médiation numérique"},
		{"Exporté par", by},
		{"Date d’export", "15/10/2025"},
		{"Nombre d’accompagnements", "21"},
		{},
		{"Filtres"},
		{"Période", "01/09/2025 - 15/10/2025"},
		{"Type", "Tous"},
		{},
	}
}

type fixture struct {
	name        string
	coordinator bool
	sep         rune // 0 for XLSX
	bom         bool
	bad         bool // include badRows
	header      func([]string) []string
}

func fixtures() []fixture {
	drop := func(cols ...string) func([]string) []string {
		return func(h []string) []string {
			var out []string
		next:
			for _, c := range h {
				for _, d := range cols {
					if c == d {
						continue next
					}
				}
				out = append(out, c)
			}
			return out
		}
	}
	return []fixture{
		{name: "coordinator-export.xlsx", coordinator: true, bad: true},
		{name: "mediator-export.xlsx"},
		{name: "mediator-export-semicolon-bom.csv", sep: ';', bom: true, bad: true},
		{name: "coordinator-export-comma.csv", coordinator: true, sep: ','},
		{name: "missing-columns.csv", sep: ';', header: drop("Durée (min)", "ID CRA")},
		{name: "missing-columns.xlsx", header: drop("Genre du bénéficiaire")},
	}
}

func (fx fixture) build(t testing.TB) []byte {
	rows := goodRows()
	if fx.bad {
		rows = append(rows, badRows()...)
	}
	return fx.buildRows(t, rows)
}

func (fx fixture) buildRows(t testing.TB, rows []fixtureRow) []byte {
	header := fixtureHeader(fx.coordinator)
	full := fixtureHeader(fx.coordinator)
	keep := header
	if fx.header != nil {
		keep = fx.header(header)
	}
	project := func(cells []any) []any {
		var out []any
		for i, h := range full {
			for _, k := range keep {
				if h == k {
					out = append(out, cells[i])
					break
				}
			}
		}
		return out
	}
	var table [][]any
	table = append(table, metadataRows(fx.coordinator)...)
	headerCells := make([]any, len(keep))
	for i, h := range keep {
		headerCells[i] = h
	}
	table = append(table, headerCells)
	for _, r := range rows {
		table = append(table, project(r.cells(fx.coordinator, fx.sep != 0)))
	}
	if fx.sep != 0 {
		var b bytes.Buffer
		if fx.bom {
			b.WriteString("\uFEFF")
		}
		w := csv.NewWriter(&b)
		w.Comma = fx.sep
		w.UseCRLF = true
		for _, row := range table {
			rec := make([]string, len(row))
			for i, c := range row {
				rec[i] = fmt.Sprint(c)
			}
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		return b.Bytes()
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Activités"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	dateFmt := "dd/mm/yyyy"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range table {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
		if len(row) > 0 {
			if _, isDate := row[0].(time.Time); isDate {
				if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestFixturesUpToDate rewrites the fixtures with -update; otherwise it
// checks the CSV fixtures are byte for byte what this file generates (XLSX
// carries timestamps, so it is checked through Decode in other tests).
func TestFixturesUpToDate(t *testing.T) {
	for _, fx := range fixtures() {
		path := filepath.Join("testdata", fx.name)
		data := fx.build(t)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if fx.sep != 0 && !bytes.Equal(got, data) {
			t.Errorf("%s is stale: run go test -run TestFixturesUpToDate -update", path)
		}
	}
}
