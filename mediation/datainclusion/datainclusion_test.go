package datainclusion

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	m "github.com/passerelle-sante/passerelle/mediation"
)

func decodeBundle(t *testing.T, opts Options) ([]m.Place, *m.ImportReport) {
	t.Helper()
	f, err := os.Open("testdata/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.File = "testdata/bundle.json"
	places, rep, err := Decode(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
		t.Fatalf("bookkeeping %s", rep)
	}
	return places, rep
}

func TestDecodeBundle(t *testing.T) {
	places, rep := decodeBundle(t, Options{})
	// 4 structures + 1 orphan service: EPN repaired (dropped publics and
	// networks), FS repaired (pivot placeholder), épicerie rejected (no
	// digital offer), association rejected (no date_maj), orphan rejected.
	wantStatus := []m.Status{m.StatusRepaired, m.StatusRepaired, m.StatusRejected, m.StatusRejected, m.StatusRejected}
	var got []m.Status
	for _, o := range rep.Rows {
		got = append(got, o.Status)
	}
	if !slices.Equal(got, wantStatus) {
		t.Fatalf("statuses %v, want %v (%+v)", got, wantStatus, rep.Rows)
	}
	if rep.Rows[3].Reasons[0].Field != "date_maj" || rep.Rows[4].Reasons[0].Field != "services[5].structure_id" {
		t.Errorf("reasons: %+v / %+v", rep.Rows[3].Reasons, rep.Rows[4].Reasons)
	}
	epn := places[0]
	if !slices.Equal(epn.Services, []m.Service{m.ServiceEverydayTools, m.ServiceAdministrativeProcedures}) {
		t.Errorf("services %q", epn.Services)
	}
	if !slices.Equal(epn.SupportModes, []m.SupportMode{m.SupportWorkshop, m.SupportIndividual, m.SupportRemote}) ||
		!slices.Equal(epn.AccessModes, []m.AccessMode{m.AccessWalkIn, m.AccessPhone, m.AccessOnlineBooking}) ||
		epn.Booking != "https://rdv.exemple.fr/epn" || epn.Phone != "+33471000001" || epn.Pivot != "21150014700019" ||
		!slices.Equal(epn.Publics, []m.Public{m.PublicSeniors}) || !slices.Equal(epn.Programs, []m.Program{m.ProgramDigitalAdvisers}) {
		t.Errorf("EPN: %+v", epn)
	}
	fs := places[1]
	if !fs.HasProgram(m.ProgramFranceServices) || !fs.HasService(m.ServiceAdministrativeProcedures) || fs.Pivot != m.PivotPlaceholder {
		t.Errorf("France services: %+v", fs)
	}
	for _, p := range places {
		if errs := p.Validate(); len(errs) > 0 {
			t.Errorf("%s: %v", p.ID, errs)
		}
	}
}

func TestDecodeAllStructures(t *testing.T) {
	places, rep := decodeBundle(t, Options{AllStructures: true})
	if len(places) != 3 || rep.Rejected != 2 {
		t.Fatalf("%d places, %s", len(places), rep)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{"", "not json", `{"structures": 3}`} {
		_, _, err := Decode(context.Background(), strings.NewReader(in), Options{File: "x.json"})
		if !errors.Is(err, m.ErrUnreadable) || !strings.Contains(err.Error(), "x.json") {
			t.Errorf("%q: err %v", in, err)
		}
	}
	places, rep, err := Decode(context.Background(), strings.NewReader(`[{"id":"a","source":"s","nom":"Lieu","commune":"X","code_postal":"15000","adresse":"1 rue","date_maj":"2025-01-01","reseaux_porteurs":["aidants-connect"]}]`), Options{})
	if err != nil || len(places) != 1 || rep.Rows[0].Status != m.StatusRepaired {
		t.Fatalf("array of structures: %v %+v", err, rep)
	}
}

func TestLooks(t *testing.T) {
	data, err := os.ReadFile("testdata/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	if !Looks(data) || Looks([]byte(`[{"id":"1","nom":"x","pivot":"1"}]`)) {
		t.Error("Looks")
	}
}

func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile("testdata/bundle.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"id":"a","latitude":1e400}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		places, rep, err := Decode(context.Background(), strings.NewReader(string(data)), Options{})
		if err != nil {
			if !errors.Is(err, m.ErrUnreadable) {
				t.Fatalf("error not ErrUnreadable: %v", err)
			}
			return
		}
		if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) || rep.Imported() != len(places) {
			t.Fatalf("bookkeeping %s", rep)
		}
		for _, p := range places {
			if errs := p.Validate(); len(errs) > 0 {
				t.Fatalf("%v", errs)
			}
		}
	})
}
