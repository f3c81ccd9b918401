package lamednum

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	m "github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

var (
	refOnce sync.Once
	ref     *territory.Reference
	refErr  error
)

func communes(t testing.TB) m.CommuneResolver {
	t.Helper()
	refOnce.Do(func() { ref, refErr = territory.Default() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	return m.TerritoryCommunes(ref)
}

func decodeFile(t *testing.T, path string, c m.CommuneResolver) ([]m.Place, *m.ImportReport) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	places, rep, err := Decode(context.Background(), f, Options{File: path, Communes: c})
	if err != nil {
		t.Fatalf("Decode(%s): %v", path, err)
	}
	checkReport(t, places, rep)
	return places, rep
}

// checkReport asserts the report's bookkeeping: every row once, counts
// adding up, a reason for every non-accepted row.
func checkReport(t *testing.T, places []m.Place, rep *m.ImportReport) {
	t.Helper()
	if rep.Accepted+rep.Repaired+rep.Rejected != len(rep.Rows) {
		t.Errorf("counts %d+%d+%d != %d rows", rep.Accepted, rep.Repaired, rep.Rejected, len(rep.Rows))
	}
	if rep.Imported() != len(places) {
		t.Errorf("%d places for %d imported rows", len(places), rep.Imported())
	}
	for i, o := range rep.Rows {
		if o.Row != i+1 {
			t.Errorf("row %d reported as %d", i+1, o.Row)
		}
		if o.Status != m.StatusAccepted && len(o.Reasons) == 0 {
			t.Errorf("row %d %s without reason", o.Row, o.Status)
		}
		if o.Status == m.StatusAccepted && len(o.Reasons) != 0 {
			t.Errorf("row %d accepted with reasons %v", o.Row, o.Reasons)
		}
	}
	for _, p := range places {
		if errs := p.Validate(); len(errs) > 0 {
			t.Errorf("imported place %s breaks the standard: %v", p.ID, errs)
		}
	}
}

func TestDecodeRealFiles(t *testing.T) {
	c := communes(t)
	tests := []struct {
		file                         string
		communes                     m.CommuneResolver
		format                       string
		accepted, repaired, rejected int
		derivedINSEE, suspicious     int
	}{
		{"testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json", c, "lamednum-v0.1-json", 0, 687, 0, 649, 1},
		{"testdata/lmn-v1-charente-2023-07-11.json", c, "lamednum-mixed-json", 1, 187, 0, 166, 1},
		{"testdata/lmn-v1-charente-2023-07-11.json", nil, "lamednum-mixed-json", 2, 186, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			places, rep := decodeFile(t, tt.file, tt.communes)
			if rep.Format != tt.format || rep.Accepted != tt.accepted || rep.Repaired != tt.repaired || rep.Rejected != tt.rejected {
				t.Fatalf("got %s, want %s %d/%d/%d", rep, tt.format, tt.accepted, tt.repaired, tt.rejected)
			}
			var derived, suspicious int
			for _, p := range places {
				if p.HasFlag(m.FlagINSEECodeDerived) {
					derived++
				}
				if p.HasFlag(m.FlagSuspiciousLocation) {
					suspicious++
				}
			}
			// The commune reference improves over time: at least as many
			// INSEE codes derived as when these counts were taken.
			t.Logf("derived INSEE codes: %d", derived)
			if derived < tt.derivedINSEE || suspicious != tt.suspicious {
				t.Errorf("derived INSEE %d, suspicious %d; want >= %d, %d", derived, suspicious, tt.derivedINSEE, tt.suspicious)
			}
		})
	}
}

func TestDecodeLegacySpotCheck(t *testing.T) {
	places, rep := decodeFile(t, "testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json", communes(t))
	p := places[0] // MAISON DE SERVICES AU PUBLIC D'ABONDANCE
	if p.ID != "0" || p.INSEECode != "74001" || !p.HasFlag(m.FlagINSEECodeDerived) || !p.HasFlag(m.FlagLegacyMapped) {
		t.Fatalf("first place: %+v", p)
	}
	wantServices := []m.Service{m.ServiceInternetEquipmentAccess, m.ServiceAdministrativeProcedures}
	if !slices.Equal(p.Services, wantServices) {
		t.Errorf("services %q, want %q", p.Services, wantServices)
	}
	if !slices.Equal(p.Publics, []m.Public{m.PublicFamilies, m.PublicYoung, m.PublicSeniors}) {
		t.Errorf("publics %q", p.Publics)
	}
	if !slices.Equal(p.SpecificSupport, []m.SpecificSupport{m.SupportDeafness, m.SupportMentalDisability, m.SupportIlliteracy, m.SupportVisualImpairment}) {
		t.Errorf("prise en charge %q", p.SpecificSupport)
	}
	if !slices.Equal(p.Fees, []m.Fee{m.FeeFree}) || !slices.Equal(p.SupportModes, []m.SupportMode{m.SupportIndividual}) {
		t.Errorf("fees %q, modes %q", p.Fees, p.SupportModes)
	}
	// The health service of v0.1 is reported as mapped with its reason.
	var sawHealth, sawAdults bool
	for _, r := range rep.Rows[0].Reasons {
		if r.Field == "services" && strings.Contains(r.Message, "Accompagner les démarches de santé") && r.Code == m.CodeMapped {
			sawHealth = true
		}
		if r.Field == "publics_accueillis" && strings.Contains(r.Message, "Adultes") && r.Code == m.CodeDropped {
			sawAdults = true
		}
	}
	if !sawHealth || !sawAdults {
		t.Errorf("reasons of row 1 miss the health mapping or the Adultes drop: %v", rep.Rows[0].Reasons)
	}
}

func TestDecodeMixedSpotCheck(t *testing.T) {
	places, _ := decodeFile(t, "testdata/lmn-v1-charente-2023-07-11.json", nil)
	p := places[0] // Médiathèque chateaubernard: labels_nationaux "CNFS;France Services"
	if !slices.Equal(p.Programs, []m.Program{m.ProgramDigitalAdvisers, m.ProgramFranceServices}) {
		t.Errorf("programs %q", p.Programs)
	}
	if p.Accessibility == "" || p.Typology[0] != "RFS" || p.Fees[0] != m.FeeFree {
		t.Errorf("first place: %+v", p)
	}
}

// fakeCommunes knows Reims only.
type fakeCommunes struct{}

var reims = m.CommuneInfo{Code: "51454", Name: "Reims", Lat: 49.2484, Lon: 4.0415}

func (fakeCommunes) CommuneByCode(code string) (m.CommuneInfo, bool) {
	return reims, code == reims.Code
}
func (fakeCommunes) ResolveCommune(cp, name string) (m.CommuneInfo, bool) {
	return reims, cp == "51100" && strings.EqualFold(name, "reims")
}

func TestDecodeBadRows(t *testing.T) {
	places, rep := decodeFile(t, "testdata/bad-rows.csv", fakeCommunes{})
	want := []struct {
		status m.Status
		field  string // a field named in the reasons
		code   string
	}{
		{m.StatusRepaired, "latitude", m.CodeRepaired}, // r1: no coordinates → centroid
		{m.StatusRejected, "nom", m.CodeRequired},      // r2: no name
		{m.StatusRepaired, "latitude", m.CodeRepaired}, // r3: swapped
		{m.StatusRepaired, "latitude", m.CodeRepaired}, // r4: far away, kept and flagged
		{m.StatusRejected, "date_maj", m.CodePattern},  // r5: bad date
		{m.StatusRejected, "id", m.CodeDuplicateID},    // r1 again
		{m.StatusRejected, "line 8", m.CodeType},       // short row
	}
	if len(rep.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rep.Rows), len(want), rep.Rows)
	}
	for i, w := range want {
		o := rep.Rows[i]
		found := false
		for _, r := range o.Reasons {
			found = found || (r.Field == w.field && r.Code == w.code)
		}
		if o.Status != w.status || !found {
			t.Errorf("row %d: %s %v; want %s with %s/%s", o.Row, o.Status, o.Reasons, w.status, w.field, w.code)
		}
	}
	byID := map[string]m.Place{}
	for _, p := range places {
		byID[p.ID] = p
	}
	if p := byID["r1"]; !p.HasFlag(m.FlagApproximateLocation) || p.Latitude != reims.Lat || p.Phone != "+33326000000" {
		t.Errorf("r1: %+v", p)
	}
	if p := byID["r3"]; !p.HasFlag(m.FlagCoordinatesSwapped) || p.Latitude != 49.25 || p.Longitude != 4.03 {
		t.Errorf("r3: %+v", p)
	}
	if p := byID["r3"]; !slices.Equal(p.Services, []m.Service{m.ServiceEverydayTools}) || !p.HasFlag(m.FlagValuesDropped) {
		t.Errorf("r3 services: %q flags %q", p.Services, p.Flags)
	}
	if p := byID["r4"]; !p.HasFlag(m.FlagSuspiciousLocation) || p.Latitude != 43.3 {
		t.Errorf("r4: %+v", p)
	}
}

func TestDecodeUnreadable(t *testing.T) {
	for _, f := range []string{"testdata/bad-object.json", "testdata/bad-text.txt"} {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = Decode(context.Background(), fh, Options{File: f})
		fh.Close()
		if !errors.Is(err, m.ErrUnreadable) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: err = %v, want ErrUnreadable naming the file", f, err)
		}
	}
}

func TestDecodeTruncatedJSON(t *testing.T) {
	places, rep := decodeFile(t, "testdata/bad-truncated.json", nil)
	if len(places) != 1 || rep.Rejected != 1 || rep.Rows[1].Reasons[0].Field != "$[1]" {
		t.Fatalf("places %d, report %+v", len(places), rep)
	}
}

func TestDecodeMissingColumns(t *testing.T) {
	_, rep := decodeFile(t, "testdata/missing-columns.csv", nil)
	if rep.Rejected != 1 {
		t.Fatalf("report %+v", rep)
	}
	var fields []string
	for _, r := range rep.Rows[0].Reasons {
		fields = append(fields, r.Field)
	}
	for _, f := range []string{"commune", "code_postal", "adresse", "date_maj"} {
		if !slices.Contains(fields, f) {
			t.Errorf("missing %s not reported: %v", f, fields)
		}
	}
}

// officialPatterns are the constraints of standard-mediation-num v1.0.1
// (schema.json, "pattern" of each constrained column), applied to the
// exported CSV independently of the package's own enumerations.
var officialPatterns = map[string]string{
	"pivot":                           `^[a-zA-Z0-9]{9,14}$`,
	"code_postal":                     `^\d{5}$`,
	"code_insee":                      `^([013-9]\d|2[AB1-9])\d{3}$`,
	"telephone":                       `^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$`,
	"itinerance":                      `(?:(?:^|\|)(Itinérant|Fixe))+$`,
	"services":                        `(?:(?:^|\|)(Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Insertion professionnelle via le numérique|Utilisation sécurisée du numérique|Parentalité et éducation avec le numérique|Loisirs et créations numériques|Compréhension du monde numérique|Accès internet et matériel informatique|Acquisition de matériel informatique à prix solidaire))+$`,
	"publics_specifiquement_adresses": `(?:(?:^|\|)(Jeunes|Étudiants|Familles et/ou enfants|Seniors|Femmes))+$`,
	"prise_en_charge_specifique":      `(?:(?:^|\|)(Surdité|Handicaps moteurs|Handicaps mentaux|Illettrisme|Langues étrangères \(anglais\)|Langues étrangères \(autres\)|Déficience visuelle))+$`,
	"frais_a_charge":                  `(?:(?:^|\|)(Gratuit|Gratuit sous condition|Payant))+$`,
	"dispositif_programmes_nationaux": `(?:(?:^|\|)(Aidants Connect|Bibliothèques numérique de référence|Certification PIX|Conseillers numériques|Emmaüs Connect|France Services|Grande école du numérique|La Croix Rouge|Point d'accès numérique CAF|Promeneurs du net|Relais numérique \(Emmaüs Connect\)))+$`,
	"formations_labels":               `(?:(?:^|\|)(Formé à « Mon Espace Santé »|Formé à « DUPLEX » \(illettrisme\)|Arnia/MedNum BFC \(Bourgogne-Franche-Comté\)|Collectif ressources et acteurs réemploi \(Normandie\)|Fabriques de Territoire|Les Éclaireurs du numérique \(Drôme\)|Mes Papiers \(Métropole de Lyon\)|ORDI 3.0|SUD LABS \(PACA\)))+$`,
	"modalites_acces":                 `(?:(?:^|\|)(Se présenter|Téléphoner|Contacter par mail|Prendre un RDV en ligne|Ce lieu n'accueille pas de public|Envoyer un mail avec une fiche de prescription))+$`,
	"modalites_accompagnement":        `(?:(?:^|\|)(En autonomie|Accompagnement individuel|Dans un atelier collectif|À distance))+$`,
	"date_maj":                        `^\d{4}-\d{2}-\d{2}$`,
}

var officialRequired = []string{"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"}

func TestExportCSVMeetsOfficialSchema(t *testing.T) {
	for _, file := range []string{"testdata/lmn-v0.1-hinaura-auvergne-rhone-alpes.json", "testdata/lmn-v1-charente-2023-07-11.json"} {
		places, _ := decodeFile(t, file, communes(t))
		var buf bytes.Buffer
		if err := EncodeCSV(context.Background(), &buf, places); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], Columns()) || len(rows) != len(places)+1 {
			t.Fatalf("%s: header %v, %d rows", file, rows[0], len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for name, pat := range officialPatterns {
			re := regexp.MustCompile(pat)
			for r, row := range rows[1:] {
				if v := row[col[name]]; v != "" && !re.MatchString(v) {
					t.Errorf("%s row %d: %s %q breaks the official pattern", file, r+1, name, v)
				}
			}
		}
		for _, name := range officialRequired {
			for r, row := range rows[1:] {
				if row[col[name]] == "" {
					t.Errorf("%s row %d: required %s empty", file, r+1, name)
				}
			}
		}
		// Round trip: the exported file reads back as the same places.
		again, rep, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), Options{File: "export.csv"})
		if err != nil || rep.Rejected != 0 || rep.Format != "lamednum-v1-csv" {
			t.Fatalf("re-import: %v %s", err, rep)
		}
		for i := range places {
			a, b := places[i], again[i]
			a.Provenance, b.Provenance, a.Flags, b.Flags = nil, nil, nil, nil
			if !equalPlaces(a, b) {
				t.Fatalf("%s place %d changed on round trip:\n%+v\n%+v", file, i+1, a, b)
			}
		}
	}
}

func equalPlaces(a, b m.Place) bool {
	var ba, bb bytes.Buffer
	_ = EncodeCSV(context.Background(), &ba, []m.Place{a})
	_ = EncodeCSV(context.Background(), &bb, []m.Place{b})
	return ba.String() == bb.String()
}

func TestLegacyMappingTableIsComplete(t *testing.T) {
	mp := LegacyMapping()
	if n := len(mp["services"]); n != 15 {
		t.Errorf("%d v0.1 services mapped, want 15", n)
	}
	for col, table := range mp {
		for old, target := range table {
			if target == "" {
				t.Errorf("%s %q maps to nothing", col, old)
			}
		}
	}
	if got := mp["services"]["Accompagner les démarches de santé"]; got != "services: Aide aux démarches administratives" {
		t.Errorf("health service maps to %q", got)
	}
}

func TestEncodeJSONRoundTrip(t *testing.T) {
	places, _ := decodeFile(t, "testdata/lmn-v1-charente-2023-07-11.json", communes(t))
	var buf bytes.Buffer
	if err := EncodeJSON(context.Background(), &buf, places); err != nil {
		t.Fatal(err)
	}
	again, rep, err := Decode(context.Background(), &buf, Options{File: "export.json"})
	if err != nil || rep.Format != "lamednum-v1-json" || rep.Accepted != len(places) {
		t.Fatalf("re-import: %v %s", err, rep)
	}
	for i := range places {
		if !equalPlaces(places[i], again[i]) {
			t.Fatalf("place %d changed:\n%+v\n%+v", i+1, places[i], again[i])
		}
	}
}
