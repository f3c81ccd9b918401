package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/referral"
)

// coveragePlaces writes a small places file: two places in the Aveyron, one
// labelled, one trained through a stored training, and one in the Lot.
func coveragePlaces(t *testing.T) string {
	t.Helper()
	doc := `{"places": [
 {"id": "rodez-1", "pivot": "00000000000000", "nom": "Espace numérique", "commune": "Rodez", "code_postal": "12000", "code_insee": "12202",
  "adresse": "1 place", "latitude": 44.3506, "longitude": 2.5750, "date_maj": "2024-01-01",
  "formations_labels": ["Formé à « Mon Espace Santé »"]},
 {"id": "millau-1", "pivot": "00000000000000", "nom": "Médiathèque", "commune": "Millau", "code_postal": "12100", "code_insee": "12145",
  "adresse": "2 rue", "latitude": 44.0986, "longitude": 3.0783, "date_maj": "2024-01-01"},
 {"id": "cahors-1", "pivot": "00000000000000", "nom": "France services", "commune": "Cahors", "code_postal": "46000", "code_insee": "46042",
  "adresse": "3 quai", "latitude": 44.4475, "longitude": 1.4410, "date_maj": "2024-01-01"}
]}`
	path := filepath.Join(t.TempDir(), "places.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCoverageCommand(t *testing.T) {
	f := newFakeNetwork()
	ctx := context.Background()
	amb := mediation.Ambassador{ID: uuid.New(), Region: "76", Kind: mediation.KindPharmacist, PlaceIDs: []string{"cahors-1"},
		Status: mediation.AmbassadorActive, JoinedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), StatusSince: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := f.SaveAmbassador(ctx, amb); err != nil {
		t.Fatal(err)
	}
	for _, tr := range []mediation.Training{
		{ID: uuid.New(), PlaceID: "millau-1", Module: mediation.ModuleMonEspaceSante, Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{ID: uuid.New(), AmbassadorID: amb.ID, Module: mediation.ModuleMonEspaceSante, Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := f.SaveTraining(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	// 30 referrals to Rodez in the last weeks, 2 to Cahors, one too old.
	now := time.Now().UTC()
	save := func(place string, at time.Time) {
		r := referral.Referral{ID: uuid.New(), PersonID: uuid.NewString(), CreatedAt: at, UpdatedAt: at, PlaceID: place,
			Pathway: referral.PathwayMediationPlace, Status: referral.StatusProposed, RulesVersion: "test", By: referral.ActorDesk}
		if err := f.MemoryStore.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		save("rodez-1", now.Add(-time.Duration(i+1)*time.Hour))
	}
	save("cahors-1", now.Add(-48*time.Hour))
	save("cahors-1", now.Add(-72*time.Hour))
	save("cahors-1", now.AddDate(0, -6, 0))

	capFile := filepath.Join(t.TempDir(), "capacity.csv")
	if err := os.WriteFile(capFile, []byte("place_id,weekly_capacity\nrodez-1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	places := coveragePlaces(t)
	code, out, errOut := runNetwork(t, f, "", "coverage", "--places", places, "--region", "76", "--weeks", "4",
		"--capacity-file", capFile, "--default-capacity", "5", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep coverage.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.TrainedPlaces != 2 || rep.TrainedAmbassadors != 1 {
		t.Errorf("trained places %d, ambassadors %d; want 2 and 1", rep.TrainedPlaces, rep.TrainedAmbassadors)
	}
	if len(rep.Coverage) != 3 || rep.Coverage[2].Share <= rep.Coverage[0].Share || rep.Coverage[0].Share <= 0 {
		t.Errorf("coverage bands %+v", rep.Coverage)
	}
	byDep := map[string]coverage.Balance{}
	for _, b := range rep.Balances {
		byDep[b.Departement] = b
	}
	if b := byDep["12"]; b.Referrals != 30 || b.Capacity != 7 || !b.Short {
		t.Errorf("Aveyron balance %+v, want 30 referrals against 7 a week, short", b)
	}
	if b := byDep["46"]; b.Referrals != 2 || b.Capacity != 5 || b.Short {
		t.Errorf("Lot balance %+v, want 2 referrals against 5 a week", b)
	}
	code, out, errOut = runNetwork(t, f, "", "coverage", "--places", places, "--region", "76", "--weeks", "4", "--capacity-file", capFile)
	if code != 0 || !strings.Contains(out, "within 30 km") || !strings.Contains(out, "12 Aveyron") || !strings.Contains(out, "SHORT") {
		t.Errorf("text: exit %d: %s\n%s", code, errOut, out)
	}
}

func TestCoverageCommandRejects(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--region", "99"}, 2, "--region"},
		{[]string{"--weeks", "0"}, 2, "--weeks"},
		{[]string{"--default-capacity", "-1"}, 2, "--default-capacity"},
		{[]string{"--format", "xml"}, 2, "format"},
	} {
		code, _, errOut := runNetwork(t, newFakeNetwork(), "", append([]string{"coverage"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d: %s", tt.args, code, errOut)
		}
	}
	capFile := filepath.Join(t.TempDir(), "capacity.csv")
	if err := os.WriteFile(capFile, []byte("place_id,weekly_capacity\nrodez-1,beaucoup\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runNetwork(t, newFakeNetwork(), "", "coverage", "--places", coveragePlaces(t), "--capacity-file", capFile)
	if code != 1 || !strings.Contains(errOut, "line 2, weekly_capacity") {
		t.Errorf("bad capacity: exit %d: %s", code, errOut)
	}
}

// TestNetworkCommandsOnSQLite runs the commands as a user would, through
// run and the real SQLite store.
func TestNetworkCommandsOnSQLite(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "passerelle.db")
	places := coveragePlaces(t)
	cli := func(args ...string) (int, string, string) {
		var out, errOut strings.Builder
		code := run(context.Background(), append(args, "--store", db), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
		return code, out.String(), errOut.String()
	}
	steps := [][]string{
		{"ambassadors", "add", "--region", "76", "--kind", "pharmacien", "--place", "cahors-1", "--trained", "2024-03-01"},
		{"ambassadors", "train", "--place", "millau-1", "--date", "2024-04-02"},
		{"actions", "add", "--type", "stand_ouverture_compte", "--date", "2024-11-05", "--commune", "12145", "--people", "30", "--accounts", "12"},
	}
	for _, s := range steps {
		if code, out, errOut := cli(s...); code != 0 {
			t.Fatalf("%v: exit %d: %s%s", s, code, out, errOut)
		}
	}
	code, out, errOut := cli("coverage", "--places", places, "--region", "76", "--format", "json")
	if code != 0 {
		t.Fatalf("coverage: exit %d: %s", code, errOut)
	}
	var rep coverage.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.TrainedPlaces != 2 || rep.TrainedAmbassadors != 1 || rep.Coverage[0].Population == 0 {
		t.Errorf("coverage from SQLite: %d trained places, %d ambassadors, %d covered at 10 km", rep.TrainedPlaces, rep.TrainedAmbassadors, rep.Coverage[0].Population)
	}
	code, out, _ = cli("actions", "list", "--format", "json", "--departement", "12")
	if code != 0 || !strings.Contains(out, `"accounts_activated": 12`) {
		t.Errorf("actions list: exit %d\n%s", code, out)
	}
}

// FuzzParseCapacities: a capacity file is read whole or refused with an
// error naming the file; what is read has non-empty ids and capacities ≥ 0.
func FuzzParseCapacities(f *testing.F) {
	f.Add("place_id,weekly_capacity\nrodez-1,2\nmillau-1,12\n")
	f.Add("rodez-1,2\n,3\n")
	f.Add("rodez-1,-2\n")
	f.Add("\ufeffplace_id,weekly_capacity\n\"a,b\",7\n")
	f.Fuzz(func(t *testing.T, data string) {
		caps, err := parseCapacities(strings.NewReader(data), "cap.csv")
		if err != nil {
			if !strings.Contains(err.Error(), "cap.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for id, n := range caps {
			if id == "" || n < 0 {
				t.Fatalf("read %q = %d", id, n)
			}
		}
	})
}
