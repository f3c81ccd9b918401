package coop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixtureNow is the clock of the fixtures: the export date.
func fixtureNow() time.Time { return time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC) }

func decodeFile(t *testing.T, name string, opts *Options) (*Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if opts == nil {
		opts = &Options{}
	}
	if opts.Now == nil {
		opts.Now = fixtureNow
	}
	return Decode(context.Background(), bytes.NewReader(data), name, opts)
}

func TestDecodeFixtures(t *testing.T) {
	good := []struct {
		name        string
		format      Format
		coordinator bool
		headerRow   int
		rows        int
		rejected    []string // "row field" of each rejection
	}{
		{"coordinator-export.xlsx", FormatXLSX, true, 10, 19, []string{
			"22 Date", "23 Durée (min)", "24 Durée (min)", "25 Code Insee",
			"26 Participants", "27 ID CRA", "28 ID CRA", "29 Date"}},
		{"mediator-export.xlsx", FormatXLSX, false, 10, 11, nil},
		// Multi-line cells push the CSV lines down: rows are file lines.
		{"mediator-export-semicolon-bom.csv", FormatCSV, false, 10, 19, []string{
			"41 Date", "43 Durée (min)", "45 Durée (min)", "47 Code Insee",
			"49 Participants", "52 ID CRA", "55 ID CRA", "58 Date"}},
		{"coordinator-export-comma.csv", FormatCSV, true, 10, 11, nil},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			res, err := decodeFile(t, tc.name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tc.format || res.Header.Row != tc.headerRow || res.Header.Coordinator != tc.coordinator || res.Rows != tc.rows {
				t.Errorf("format %s header row %d coordinator %v rows %d; want %s %d %v %d",
					res.Format, res.Header.Row, res.Header.Coordinator, res.Rows, tc.format, tc.headerRow, tc.coordinator, tc.rows)
			}
			var got []string
			for _, r := range res.Rejected {
				got = append(got, strings.Join([]string{itoa(r.Row), r.Field}, " "))
			}
			if strings.Join(got, "|") != strings.Join(tc.rejected, "|") {
				t.Errorf("rejected %q; want %q\n%v", got, tc.rejected, res.Rejected)
			}
			if len(res.Activities) != 4 || len(res.Accompaniments) != 2 || len(res.Actions) != 2 {
				t.Fatalf("%d activities, %d accompaniments; want 4, 2", len(res.Activities), len(res.Accompaniments))
			}
			checkGoodActivities(t, res.Activities)
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// checkGoodActivities checks what goodRows holds came through.
func checkGoodActivities(t *testing.T, as []Activity) {
	t.Helper()
	stand, remote, workshop, duo := as[0], as[1], as[2], as[3]
	if stand.CRAID != craStand || stand.Kind != KindIndividual || stand.Minutes != 45 || stand.CommuneINSEE != "16015" ||
		!stand.Date.Equal(day(2025, 9, 12)) || stand.Channel != ChannelPlace {
		t.Errorf("stand: %+v", stand)
	}
	if p := stand.People[0]; p.Autonomy != AutonomyPartlyAutonomous || p.Gender != GenderFemale || p.AgeBand != Age60To69 ||
		p.Status != StatusRetired || p.Redirected == nil || *p.Redirected || p.ID != PersonID(craStand, 1) {
		t.Errorf("stand person: %+v", p)
	}
	if !equalThemes(stand.Themes, ThemeHealth, ThemeEmail) {
		t.Errorf("stand themes %v", stand.Themes)
	}
	if remote.Channel != ChannelRemote || remote.CommuneINSEE != "" || !equalThemes(remote.Themes, ThemeHealth, ThemeAdministrative, ThemeAdminSocialHealth) {
		t.Errorf("remote: %+v", remote)
	}
	if p := remote.People[0]; p.Autonomy != AutonomyFullyAssisted || p.Redirected == nil || !*p.Redirected ||
		p.RedirectionStructure != RedirectionMediation || p.CommuneINSEE != "48095" || p.AgeBand != Age70Plus {
		t.Errorf("remote person: %+v", p)
	}
	if workshop.Kind != KindCollective || len(workshop.People) != 7 || workshop.WorkshopLevel != WorkshopLevelBeginner ||
		workshop.Minutes != 120 || workshop.CommuneINSEE != "12202" || len(workshop.Equipment) != 2 {
		t.Errorf("workshop: %+v", workshop)
	}
	counts := map[AgeBand]int{}
	for i, p := range workshop.People {
		counts[p.AgeBand]++
		if p.ID != PersonID(craWorkshop, i+1) || p.Autonomy != "" {
			t.Errorf("workshop person %d: %+v", i+1, p)
		}
	}
	if counts[Age70Plus] != 2 || counts[AgeUnknown] != 1 || counts[Age18To24] != 1 {
		t.Errorf("workshop age bands %v", counts)
	}
	if duo.Channel != ChannelOther || len(duo.People) != 2 || duo.WorkshopLevel != WorkshopLevelIntermediate {
		t.Errorf("duo: %+v", duo)
	}
}

func equalThemes(got []Theme, want ...Theme) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestDecodeDropsNames proves the names and notes of the fixtures reach
// neither the result nor its rejections.
func TestDecodeDropsNames(t *testing.T) {
	for _, fx := range fixtures() {
		res, err := decodeFile(t, fx.name, nil)
		if err != nil {
			continue
		}
		out, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range fakeNames {
			if bytes.Contains(out, []byte(name)) {
				t.Errorf("%s: %q found in the result", fx.name, name)
			}
		}
	}
}

func TestDecodeMissingColumns(t *testing.T) {
	for _, tc := range []struct {
		name    string
		row     int
		columns []string
	}{
		{"missing-columns.csv", 10, []string{"Durée (min)", "ID CRA"}},
		{"missing-columns.xlsx", 10, []string{"Genre du bénéficiaire"}},
	} {
		_, err := decodeFile(t, tc.name, nil)
		var me *MissingColumnsError
		if !errors.Is(err, ErrMissingColumns) || !errors.As(err, &me) {
			t.Fatalf("%s: err %v; want ErrMissingColumns", tc.name, err)
		}
		if me.Row != tc.row || strings.Join(me.Columns, "|") != strings.Join(tc.columns, "|") {
			t.Errorf("%s: row %d columns %q; want %d %q", tc.name, me.Row, me.Columns, tc.row, tc.columns)
		}
		if !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.columns[0]) {
			t.Errorf("%s: error %q does not name the file and the column", tc.name, err)
		}
	}
}

func TestDecodeKnownIsIdempotent(t *testing.T) {
	first, err := decodeFile(t, "coordinator-export.xlsx", nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, a := range first.Activities {
		stored[a.CRAID] = true
	}
	known := func(id string) bool { return stored[id] }
	// The same activities saved as CSV by a mediator: all already known.
	again, err := decodeFile(t, "mediator-export-semicolon-bom.csv", &Options{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Activities) != 0 || again.AlreadyKnown != 4 || len(again.Rejected) != len(first.Rejected) {
		t.Errorf("second import: %d activities, %d known, %d rejected; want 0, 4, %d",
			len(again.Activities), again.AlreadyKnown, len(again.Rejected), len(first.Rejected))
	}
}

func TestDecodeUnreadable(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrNoHeader},
		{"text", "bonjour\nau revoir\n", ErrNoHeader},
		{"broken zip", "PK\x03\x04garbage", ErrUnreadable},
		{"metadata only", "Export des accompagnements\nDate d’export;15/10/2025\n", ErrNoHeader},
	} {
		_, err := Decode(context.Background(), strings.NewReader(tc.data), tc.name, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v; want %v", tc.name, err, tc.want)
		}
	}
}
