package mediation

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

var testNow = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fields returns the fields named by a *RecordError, in order.
func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var re *RecordError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *RecordError", err)
	}
	if !errors.Is(err, ErrInvalidRecord) {
		t.Fatalf("error %v does not wrap ErrInvalidRecord", err)
	}
	var out []string
	for _, p := range re.Problems {
		if p.Message == "" || p.MessageFR == "" {
			t.Errorf("problem %+v lacks a message in English or French", p)
		}
		out = append(out, p.Field+":"+p.Code)
	}
	return out
}

func validAmbassador() Ambassador {
	return Ambassador{
		ID: uuid.MustParse("0b9c1a3e-3c55-4f43-9d1f-2a8a7b1c0d01"), Handle: "amb-aveyron-07", Region: "76",
		Kind: KindPharmacist, HostStructure: "Pharmacie du Foirail", Communes: []string{"12203"},
		Departements: []string{"12"}, Languages: []string{"oc"}, Status: AmbassadorActive,
		JoinedAt: day("2024-03-01"), StatusSince: day("2024-03-01"),
	}
}

func TestCoordinatorValidate(t *testing.T) {
	ok := Coordinator{ID: uuid.New(), Region: "76", HostKind: HostGRADeS, HostName: "GRADeS e-santé Occitanie", CreatedAt: day("2023-01-10")}
	tests := []struct {
		name   string
		edit   func(c *Coordinator)
		fields []string
	}{
		{"valid", func(*Coordinator) {}, nil},
		{"missing everything", func(c *Coordinator) { *c = Coordinator{} }, []string{"id:required", "region:required", "host_kind:required", "host_name:required", "created_at:required"}},
		{"bad region and kind", func(c *Coordinator) { c.Region, c.HostKind = "7", "mairie" }, []string{"region:pattern", "host_kind:enum"}},
		{"handle is an e-mail", func(c *Coordinator) { c.Handle = "jeanne.dupont@ars.sante.fr" }, []string{"handle:personal"}},
		{"created tomorrow", func(c *Coordinator) { c.CreatedAt = testNow.Add(24 * time.Hour) }, []string{"created_at:future"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			if got := fields(t, c.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestAmbassadorValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *Ambassador)
		fields []string
	}{
		{"valid", func(*Ambassador) {}, nil},
		{"unknown kind and status", func(a *Ambassador) { a.Kind, a.Status = "medecin", "retired" }, []string{"kind:enum", "status:enum"}},
		{"bad codes", func(a *Ambassador) {
			a.Communes = []string{"1220", "2A004"}
			a.Departements = []string{"96"}
			a.Languages = []string{"French"}
		}, []string{"communes[0]:pattern", "departements[0]:pattern", "languages[0]:pattern"}},
		{"phone in handle", func(a *Ambassador) { a.Handle = "06 12 34 56 78" }, []string{"handle:personal"}},
		{"status before joining", func(a *Ambassador) { a.StatusSince = day("2024-01-01") }, []string{"status_since:mismatch"}},
		{"joined in the future", func(a *Ambassador) { a.JoinedAt, a.StatusSince = day("2025-07-01"), day("2025-07-01") }, []string{"joined_at:future", "status_since:future"}},
		{"handle too long", func(a *Ambassador) { a.Handle = "ambassadrice-du-canton-de-saint-affrique-nord" }, []string{"handle:too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAmbassador()
			tt.edit(&a)
			if got := fields(t, a.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestAmbassadorSetStatus(t *testing.T) {
	a := validAmbassador()
	if err := a.SetStatus(AmbassadorPaused, day("2025-02-01")); err != nil {
		t.Fatal(err)
	}
	if a.Status != AmbassadorPaused || !a.StatusSince.Equal(day("2025-02-01")) {
		t.Errorf("after pause: %s since %s", a.Status, a.StatusSince)
	}
	if err := a.SetStatus(AmbassadorPaused, day("2025-03-01")); err != nil || !a.StatusSince.Equal(day("2025-02-01")) {
		t.Errorf("same status moved the date: %v %s", err, a.StatusSince)
	}
	if err := a.SetStatus("gone", day("2025-03-01")); !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("unknown status: err = %v", err)
	}
}

func TestTrainingValidate(t *testing.T) {
	ok := Training{ID: uuid.New(), PlaceID: "mednum-12-0042", Module: ModuleMonEspaceSante, Date: day("2024-05-14"), Provider: "CPAM de l'Aveyron"}
	tests := []struct {
		name   string
		edit   func(t *Training)
		fields []string
	}{
		{"valid", func(*Training) {}, nil},
		{"nobody trained", func(t *Training) { t.PlaceID = "" }, []string{"ambassador_id:required"}},
		{"pix out of range", func(t *Training) { t.Pix = &PixResult{Score: 2000, Date: day("2024-05-14")} }, []string{"pix.score:range"}},
		{"no module, future date", func(t *Training) { t.Module, t.Date = " ", day("2026-01-01") }, []string{"module:required", "date:future"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := ok
			tt.edit(&tr)
			if got := fields(t, tr.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
	if !ok.MonEspaceSante() {
		t.Error("the Mon espace santé module is not recognised")
	}
}

func validAction() Action {
	return Action{
		ID: ExternalUUID(SourceCoop, "cra-2024-118"), Source: SourceCoop, ExternalID: "cra-2024-118",
		Type: ActionActivationWorkshop, Date: day("2024-11-05"), DurationMinutes: 120,
		Commune: "12202", Departement: "12", Region: "76", Organiser: "Centre social Rodez Nord",
		PeopleSensitised: 9, AccountsActivated: 6, ReferralsMade: 2,
		Participants: ParticipantCounts{ByAge: map[AgeBand]int{Age60To69: 5, Age70Plus: 4}, ByGender: map[Gender]int{GenderFemale: 6, GenderMale: 3}},
		Themes:       []Theme{ThemeHealth},
	}
}

func TestActionValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *Action)
		fields []string
	}{
		{"valid", func(*Action) {}, nil},
		{"remote without commune", func(a *Action) { a.Commune, a.Departement, a.Remote = "", "", true }, nil},
		{"negative counts", func(a *Action) { a.PeopleSensitised, a.AccountsActivated, a.ReferralsMade = -1, 0, -3 },
			[]string{"people_sensitised:negative", "referrals_made:negative"}},
		{"age counts above people", func(a *Action) { a.PeopleSensitised, a.AccountsActivated = 8, 0 }, []string{"participants.by_age:mismatch", "participants.by_gender:mismatch"}},
		{"more accounts than people", func(a *Action) { a.AccountsActivated = 12 }, []string{"accounts_activated:mismatch"}},
		{"date in the future", func(a *Action) { a.Date = day("2025-07-14") }, []string{"date:future"}},
		{"date of year 0 (fuzz)", func(a *Action) { a.Date = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }, []string{"date:range"}},
		{"commune 00000 (fuzz)", func(a *Action) { a.Commune, a.Departement = "00000", "" }, []string{"commune:pattern"}},
		{"nowhere", func(a *Action) { a.Commune, a.Departement = "", "" }, []string{"commune:required"}},
		{"commune not in département", func(a *Action) { a.Departement = "81" }, []string{"departement:mismatch"}},
		{"unknown type and theme", func(a *Action) { a.Type, a.Themes = "kermesse", []Theme{"sante", "jardinage"} }, []string{"type:enum", "themes[1]:enum"}},
		{"id not derived from the external id", func(a *Action) { a.ID = uuid.New() }, []string{"id:mismatch"}},
		{"external id without source", func(a *Action) { a.Source = "" }, []string{"external_id:required"}},
		{"duration of a week", func(a *Action) { a.DurationMinutes = 7 * 24 * 60 }, []string{"duration_minutes:range"}},
		{"negative age count", func(a *Action) { a.Participants.ByAge[AgeUndefined] = -2 }, []string{"participants.by_age.non_communique:negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAction()
			tt.edit(&a)
			if got := fields(t, a.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestAccompanimentValidate(t *testing.T) {
	ok := Accompaniment{
		ID: ExternalUUID(SourceCoop, "cra-2024-7", "1"), ActionID: ExternalUUID(SourceCoop, "cra-2024-7"),
		Source: SourceCoop, ExternalID: "cra-2024-7", Date: day("2024-10-02"), DurationMinutes: 45,
		Channel: ChannelPlace, Commune: "46042", Departement: "46", Themes: []Theme{ThemeHealth, ThemeEmail},
		Equipment: []Equipment{EquipmentPhone}, Autonomy: AutonomyPartial, Redirected: true,
		RedirectedTo: "France services de Cahors", AgeBand: Age70Plus, Gender: GenderFemale, ResidenceCommune: "46102",
	}
	tests := []struct {
		name   string
		edit   func(a *Accompaniment)
		fields []string
	}{
		{"valid", func(*Accompaniment) {}, nil},
		{"at home needs no commune", func(a *Accompaniment) { a.Channel, a.Commune, a.Departement = ChannelHome, "", "" }, nil},
		{"person id is an e-mail", func(a *Accompaniment) { a.PersonID = "marie.martin@example.org" }, []string{"person_id:personal"}},
		{"bad enums", func(a *Accompaniment) {
			a.Autonomy, a.AgeBand, a.Gender, a.Equipment = "3/3", "60+", "F", []Equipment{"minitel"}
		}, []string{"equipment[0]:enum", "autonomy:enum", "age_band:enum", "gender:enum"}},
		{"redirection without redirected", func(a *Accompaniment) { a.Redirected = false }, []string{"redirected_to:mismatch"}},
		{"negative duration", func(a *Accompaniment) { a.DurationMinutes = -5 }, []string{"duration_minutes:negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			if got := fields(t, a.ValidateAt(testNow)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestExternalUUID(t *testing.T) {
	a, b := ExternalUUID(SourceCoop, "cra-1"), ExternalUUID(SourceCoop, "cra-1")
	if a != b {
		t.Error("the same external id gave two ids")
	}
	distinct := []uuid.UUID{a, ExternalUUID(SourceCoop, "cra-2"), ExternalUUID("other", "cra-1"),
		ExternalUUID(SourceCoop, "cra-1", "1"), ExternalUUID(SourceCoop, "cra-1", "2"), ExternalUUID(SourceCoop, "cra-11")}
	for i := range distinct {
		for j := i + 1; j < len(distinct); j++ {
			if distinct[i] == distinct[j] {
				t.Errorf("ids %d and %d collide", i, j)
			}
		}
	}
}

func TestCodes(t *testing.T) {
	for _, tt := range []struct {
		commune, dep string
	}{{"12202", "12"}, {"2A004", "2A"}, {"97411", "974"}, {"98818", "988"}, {"1220", ""}, {"ABCDE", ""}, {"00000", ""}, {"20004", ""}, {"96001", ""}} {
		if got := DepartementOfCommune(tt.commune); got != tt.dep {
			t.Errorf("DepartementOfCommune(%q) = %q, want %q", tt.commune, got, tt.dep)
		}
	}
	for _, r := range []string{"84", "11", "94", "01", "06"} {
		if !ValidRegionCode(r) {
			t.Errorf("région %q refused", r)
		}
	}
	for _, r := range []string{"", "7", "00", "07x", "084"} {
		if ValidRegionCode(r) {
			t.Errorf("région %q accepted", r)
		}
	}
}

// A UUID's groups of digits and dashes once passed for a phone number, so
// about a quarter of random person ids were refused.
func TestLooksPersonalUUIDIsNotAPhone(t *testing.T) {
	for i := range 2000 {
		id := uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i), byte(i >> 8)}).String()
		if looksPersonal(id) {
			t.Fatalf("%s taken for personal data", id)
		}
	}
	for _, s := range []string{"06 12 34 56 78", "+33612345678", "jeanne@example.org", "tel 01.23.45.67.89"} {
		if !looksPersonal(s) {
			t.Errorf("%q not taken for personal data", s)
		}
	}
}
