package coop

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func seedFiles(f *testing.F, ext string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*."+ext))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkResult checks the invariants of any successful Decode.
func checkResult(t *testing.T, res *Result) {
	t.Helper()
	accepted := map[int]bool{}
	people := 0
	for _, a := range res.Activities {
		if a.CRAID == "" || len(a.People) == 0 || len(a.People) != len(a.Rows) {
			t.Fatalf("activity %q: %d people, %d rows", a.CRAID, len(a.People), len(a.Rows))
		}
		if a.Kind == KindIndividual && len(a.People) != 1 {
			t.Fatalf("individual activity %q with %d people", a.CRAID, len(a.People))
		}
		if a.Kind == KindIndividual {
			people++
		}
		if a.Minutes <= 0 || a.Minutes > maxMinutes || a.Date.After(fixtureNow().AddDate(0, 0, 1)) {
			t.Fatalf("activity %q: %d min on %s", a.CRAID, a.Minutes, a.Date)
		}
		for _, r := range a.Rows {
			if r <= res.Header.Row || accepted[r] {
				t.Fatalf("row %d accepted twice or above the header (row %d)", r, res.Header.Row)
			}
			accepted[r] = true
		}
	}
	for _, r := range res.Rejected {
		if r.Row <= res.Header.Row || r.Reason == "" || accepted[r.Row] {
			t.Fatalf("rejection %+v (header at %d, accepted %v)", r, res.Header.Row, accepted[r.Row])
		}
	}
	rejected := map[int]bool{}
	for _, r := range res.Rejected {
		rejected[r.Row] = true
	}
	if res.AlreadyKnown == 0 && len(accepted)+len(rejected) != res.Rows {
		t.Fatalf("%d rows read, %d accepted and %d rejected: some row is neither", res.Rows, len(accepted), len(rejected))
	}
	if len(res.Accompaniments) != people {
		t.Fatalf("%d accompaniments for %d persons helped one to one", len(res.Accompaniments), people)
	}
	for i := range res.Actions {
		if err := res.Actions[i].ValidateAt(fixtureNow()); err != nil {
			t.Fatalf("invalid action: %v", err)
		}
	}
	for i := range res.Accompaniments {
		if err := res.Accompaniments[i].ValidateAt(fixtureNow()); err != nil {
			t.Fatalf("invalid accompaniment: %v", err)
		}
	}
}

// FuzzDecodeCSV feeds arbitrary bytes to the CSV path: no panic, a result
// that keeps its invariants, and the same result twice (ids are derived,
// not random).
func FuzzDecodeCSV(f *testing.F) {
	seedFiles(f, "csv")
	f.Add([]byte("Date;Type;Participants;Code Insee;Durée (min);Thématique(s) d’accompagnement;Niveau d’autonomie (ou de l’atelier);Genre du bénéficiaire;Tranche d’âge du bénéficiaire;Statut du bénéficiaire;ID CRA\n45923;Atelier collectif;1/1;16015;1;Santé;3/3;;;;x\n"))
	opts := &Options{Now: fixtureNow, MaxRows: 2000}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			return // the XLSX path
		}
		res, err := Decode(context.Background(), bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		checkResult(t, res)
		again, err := Decode(context.Background(), bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(res)
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatal("two decodings of the same input differ")
		}
	})
}

// FuzzDecodeXLSX feeds arbitrary bytes to the XLSX path (excelize): no
// panic escapes, and a result keeps its invariants.
func FuzzDecodeXLSX(f *testing.F) {
	seedFiles(f, "xlsx")
	opts := &Options{Now: fixtureNow, MaxRows: 2000, MaxBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Decode(context.Background(), bytes.NewReader(data), "fuzz.xlsx", opts)
		if err == nil {
			checkResult(t, res)
		}
	})
}

// FuzzFindHeader: header detection on arbitrary rows never panics, and a
// header it returns has every required column inside its row.
func FuzzFindHeader(f *testing.F) {
	f.Add(strings.Join(fixtureHeader(true), ";"), "Export;x\n\nFiltres")
	f.Add(strings.Join(fixtureHeader(false), ";"), "")
	f.Add("DATE;TYPE;participants;Code INSEE;duree (min);Thematique(s) d'accompagnement;niveau d'autonomie;genre du beneficiaire;tranche d'age du beneficiaire;statut du beneficiaire;id cra", "a;b")
	f.Fuzz(func(t *testing.T, header, above string) {
		var rows [][]string
		for _, line := range strings.Split(above, "\n") {
			rows = append(rows, strings.Split(line, ";"))
		}
		rows = append(rows, strings.Split(header, ";"))
		h, err := FindHeader(rows, 1)
		if err != nil {
			return
		}
		if h.Row < 1 || h.Row > len(rows) {
			t.Fatalf("header row %d of %d", h.Row, len(rows))
		}
		row := rows[h.Row-1]
		for c, s := range columnSpecs {
			i := h.index[c]
			if s.required && (i < 0 || i >= len(row)) {
				t.Fatalf("required column %q at %d of %d cells", s.name, i, len(row))
			}
			if i >= 0 && headerNames[foldHeader(row[i])] != column(c) {
				t.Fatalf("cell %q taken for %q", row[i], s.name)
			}
		}
		for _, cell := range row {
			if ff := foldHeader(cell); foldHeader(ff) != ff {
				t.Fatalf("foldHeader not idempotent on %q", cell)
			}
		}
	})
}

// FuzzNamesNeverKept writes any text into the Bénéficiaire and Notes
// columns of a valid row: it must appear nowhere in the result.
func FuzzNamesNeverKept(f *testing.F) {
	for _, n := range fakeNames {
		f.Add(n)
	}
	f.Add("Jeanne D'Arc; \"la Pucelle\"\n06 12 34 56 78")
	header := []string{"Date", "Type", "Participants", "Bénéficiaire", "Code Insee", "Durée (min)",
		"Thématique(s) d’accompagnement", "Niveau d’autonomie (ou de l’atelier)", "Genre du bénéficiaire",
		"Tranche d’âge du bénéficiaire", "Statut du bénéficiaire", "Notes supplémentaires", "ID CRA"}
	build := func(name string) []byte {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = ';'
		_ = w.Write(header)
		_ = w.Write([]string{"12/09/2025", "Accompagnement individuel", "1", name, "16015", "45", "Santé", "2/3",
			"Féminin", "60 - 69 ans", "Retraité(e)", name, "cra-fuzz"})
		w.Flush()
		return b.Bytes()
	}
	decode := func(t *testing.T, data []byte) []byte {
		res, err := Decode(context.Background(), bytes.NewReader(data), "names.csv", &Options{Now: fixtureNow})
		if err != nil {
			t.Fatalf("a valid file with any name is read: %v", err)
		}
		if len(res.Accompaniments) != 1 {
			t.Fatalf("the row was not kept: %v", res.Rejected)
		}
		out, _ := json.Marshal(res)
		return out
	}
	f.Fuzz(func(t *testing.T, name string) {
		name = strings.TrimSpace(name)
		if !utf8.ValidString(name) || utf8.RuneCountInString(name) < 4 || strings.ContainsRune(name, 0) {
			return
		}
		baseline := decode(t, build("X"))
		got := decode(t, build(name))
		quoted, _ := json.Marshal(name)
		needle := quoted[1 : len(quoted)-1]
		if bytes.Contains(baseline, needle) {
			return // the text is part of what any result holds (a label, a key)
		}
		if bytes.Contains(got, needle) {
			t.Fatalf("%q reached the result", name)
		}
	})
}
