package referral

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// fakeDecider returns fixed outcomes: the engine is tested apart from the
// rules.
type fakeDecider struct {
	outcomes []Outcome
	err      error
}

func (f fakeDecider) Evaluate(in *Input, d *Decision) error {
	if f.err != nil {
		return f.err
	}
	d.RulesVersion = f.Version()
	d.Outcomes = append(d.Outcomes, f.outcomes...)
	for _, o := range f.outcomes {
		d.Trace = append(d.Trace, RuleTrace{Rule: o.Rule, Fired: true, Why: assessment.Text{FR: "niveau " + string(in.Assessment.Level), EN: "level " + string(in.Assessment.Level)}})
	}
	return nil
}

func (fakeDecider) Version() string { return "fake-1" }

// Angoulême: the test places sit due north of its centroid.
const testCommune = "16015"

var (
	refOnce sync.Once
	refVal  *territory.Reference
	refErr  error
)

func testRef(t testing.TB) *territory.Reference {
	t.Helper()
	refOnce.Do(func() { refVal, refErr = territory.Default() })
	if refErr != nil {
		t.Fatal(refErr)
	}
	return refVal
}

// testNow is a Monday at 10:00 in Paris.
var testNow = time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)

// placeAt returns a mediation place km north of the test commune with the
// everyday-tools service and individual support.
func placeAt(t testing.TB, id string, km float64, edit func(*mediation.Place)) mediation.Place {
	c, ok := testRef(t).Commune(testCommune)
	if !ok {
		t.Fatal("no test commune")
	}
	p := mediation.Place{
		ID: id, Name: "Lieu " + id, Commune: "Angoulême", PostalCode: "16000", INSEECode: testCommune,
		Address: "1 rue de la Paix", Latitude: c.Lat + km/111.195, Longitude: c.Lon,
		Services:     []mediation.Service{mediation.ServiceEverydayTools},
		SupportModes: []mediation.SupportMode{mediation.SupportIndividual},
		Hours:        "Mo-Fr 09:00-12:00",
		UpdatedAt:    "2024-01-01",
	}
	if edit != nil {
		edit(&p)
	}
	return p
}

func newTestEngine(t testing.TB, outcomes []Outcome, places []mediation.Place, opts *EngineOptions) *Engine {
	t.Helper()
	ix, err := mediation.NewIndex(places, nil)
	if err != nil {
		t.Fatal(err)
	}
	if opts == nil {
		opts = &EngineOptions{}
	}
	opts.Now = func() time.Time { return testNow }
	e, err := NewEngine(fakeDecider{outcomes: outcomes}, ix, testRef(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mediationOutcome() []Outcome {
	return []Outcome{{Pathway: PathwayMediationPlace, Priority: 1, Rule: "beginner-mediation"}}
}

func ids(ps []RankedPlace) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.ID)
	}
	return strings.Join(s, ",")
}

func whyFR(ts []assessment.Text) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.FR)
	}
	return strings.Join(s, " | ")
}

type loadMap map[string]int

func (l loadMap) OpenCountsSince(context.Context, time.Time) (map[string]int, error) { return l, nil }

func TestReferRanking(t *testing.T) {
	free := func(p *mediation.Place) { p.Fees = []mediation.Fee{mediation.FeeFree} }
	tests := []struct {
		name      string
		places    []mediation.Place
		person    Person
		flags     []assessment.Flag
		opts      *EngineOptions
		want      string // place ids, best first
		passed    string // ids passed over, in rank order
		whyHas    string // a FR line of the first place's why
		pathWhy   string // a FR line of the pathway's why
		widened   *Widened
		remote    bool
		firstKm   float64
		firstLoad int
	}{
		{
			name: "nearest first, K=3, the rest passed over",
			places: []mediation.Place{
				placeAt(t, "d", 8, nil), placeAt(t, "a", 1, nil), placeAt(t, "c", 5, nil), placeAt(t, "b", 3, nil),
			},
			want: "a,b,c", passed: "d", whyHas: "À 1 km.", pathWhy: "3 lieu(x) retenu(s) à moins de 15 km", firstKm: 1,
		},
		{
			name: "a full place yields to an equivalent one nearby",
			places: []mediation.Place{
				placeAt(t, "busy", 1, nil), placeAt(t, "calm", 2, nil),
			},
			opts:   &EngineOptions{K: 1, Load: loadMap{"busy": 12}},
			want:   "calm",
			passed: "busy",
		},
		{
			name:      "a busy place below capacity keeps its rank when it is much nearer",
			places:    []mediation.Place{placeAt(t, "near", 1, nil), placeAt(t, "far", 12, nil)},
			opts:      &EngineOptions{K: 1, Load: loadMap{"near": 2}},
			want:      "near",
			passed:    "far",
			whyHas:    "Déjà 2 orientation(s) cette semaine pour 10 places.",
			firstLoad: 2,
		},
		{
			name:      "capacity per place overrides the default",
			places:    []mediation.Place{placeAt(t, "small", 1, nil), placeAt(t, "big", 2, nil)},
			opts:      &EngineOptions{K: 1, Load: loadMap{"small": 2, "big": 2}, CapacityByPlace: map[string]int{"small": 2}},
			want:      "big",
			passed:    "small",
			firstLoad: 2,
		},
		{
			name:    "nothing within 15 km: widened to 30",
			places:  []mediation.Place{placeAt(t, "far", 25, nil)},
			want:    "far",
			widened: &Widened{FromKm: 15, ToKm: 30},
			pathWhy: "Aucun lieu à moins de 15 km : recherche élargie à 30 km.",
		},
		{
			name: "nothing within 60 km: remote fallback",
			places: []mediation.Place{
				placeAt(t, "remote", 200, func(p *mediation.Place) {
					p.SupportModes = []mediation.SupportMode{mediation.SupportRemote}
				}),
				placeAt(t, "toofar", 100, nil),
			},
			want:    "remote",
			widened: &Widened{FromKm: 15, ToKm: 60},
			remote:  true,
			pathWhy: "Aucun lieu adapté à moins de 60 km : solutions à distance et France Services les plus proches.",
		},
		{
			name:   "needs_free keeps free places only",
			places: []mediation.Place{placeAt(t, "paid", 1, func(p *mediation.Place) { p.Fees = []mediation.Fee{mediation.FeePaid} }), placeAt(t, "free", 4, free)},
			person: Person{Constraints: []Constraint{ConstraintNeedsFree}},
			want:   "free",
			whyHas: "Gratuit.",
		},
		{
			name: "trained in Mon espace santé ranks higher",
			places: []mediation.Place{placeAt(t, "plain", 2, nil), placeAt(t, "mes", 4, func(p *mediation.Place) {
				p.Labels = []mediation.Label{mediation.LabelFormeMonEspaceSante}
			})},
			want: "mes,plain", whyHas: "Formé à Mon espace santé.",
		},
		{
			name:   "open soon beats unknown hours at the same distance",
			places: []mediation.Place{placeAt(t, "nohours", 2, func(p *mediation.Place) { p.Hours = "" }), placeAt(t, "open", 2, nil)},
			want:   "open,nohours", whyHas: "Ouvert en ce moment.",
		},
		{
			name:   "closed all week ranks below open",
			places: []mediation.Place{placeAt(t, "closed", 1, func(p *mediation.Place) { p.Hours = "off" }), placeAt(t, "open", 3, func(p *mediation.Place) { p.Hours = "Tu 14:00-17:00" })},
			want:   "open,closed", whyHas: "Ouvre demain à 14:00.",
		},
		{
			name:   "any-of services: administrative procedures alone is enough",
			places: []mediation.Place{placeAt(t, "admin", 2, func(p *mediation.Place) { p.Services = []mediation.Service{mediation.ServiceAdministrativeProcedures} }), placeAt(t, "other", 1, func(p *mediation.Place) { p.Services = []mediation.Service{mediation.ServiceParenting} })},
			want:   "admin",
		},
		{
			name:   "no travel: remote support ranks first",
			places: []mediation.Place{placeAt(t, "onsite", 1, nil), placeAt(t, "hybrid", 3, func(p *mediation.Place) { p.SupportModes = append(p.SupportModes, mediation.SupportRemote) })},
			person: Person{Constraints: []Constraint{ConstraintNoTravel}},
			want:   "hybrid,onsite", whyHas: "Accompagne aussi à distance.",
		},
		{
			name:   "hearing impairment: deaf-friendly place first",
			places: []mediation.Place{placeAt(t, "plain", 1, nil), placeAt(t, "lsf", 2, func(p *mediation.Place) { p.SpecificSupport = []mediation.SpecificSupport{mediation.SupportDeafness} })},
			flags:  []assessment.Flag{assessment.FlagHearingImpairment},
			want:   "lsf,plain", whyHas: "Accueille les personnes sourdes ou malentendantes.",
		},
		{
			name:   "English speaker",
			places: []mediation.Place{placeAt(t, "plain", 1, nil), placeAt(t, "en", 2, func(p *mediation.Place) { p.SpecificSupport = []mediation.SpecificSupport{mediation.SupportEnglish} })},
			person: Person{Language: "en"},
			want:   "en,plain", whyHas: "Accueil en langue étrangère.",
		},
		{
			name:   "accessibility: acceslibre record first",
			places: []mediation.Place{placeAt(t, "plain", 1, nil), placeAt(t, "acces", 2, func(p *mediation.Place) { p.Accessibility = "https://acceslibre.beta.gouv.fr/x" })},
			person: Person{Constraints: []Constraint{ConstraintNeedsAccessibility}},
			want:   "acces,plain", whyHas: "Accessibilité décrite sur acceslibre.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, mediationOutcome(), tt.places, tt.opts)
			tt.person.Commune = testCommune
			p, err := e.Refer(context.Background(), Request{Assessment: assessment.Result{Level: assessment.LevelBeginner, Flags: tt.flags}, Person: tt.person})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Pathways) != 1 {
				t.Fatalf("pathways = %d, want 1", len(p.Pathways))
			}
			pp := p.Pathways[0]
			if got := ids(pp.Places); got != tt.want {
				t.Errorf("places = %s, want %s\n%+v", got, tt.want, pp.Places)
			}
			var passed []string
			for _, x := range pp.PassedOver {
				passed = append(passed, x.ID)
				if x.Reason.FR == "" || x.Reason.EN == "" {
					t.Errorf("passed over %s without a bilingual reason", x.ID)
				}
			}
			if tt.passed != "" && strings.Join(passed, ",") != tt.passed {
				t.Errorf("passed over = %v, want %s", passed, tt.passed)
			}
			if tt.whyHas != "" && !strings.Contains(whyFR(pp.Places[0].Why), tt.whyHas) {
				t.Errorf("first place why = %q, want it to contain %q", whyFR(pp.Places[0].Why), tt.whyHas)
			}
			if tt.pathWhy != "" && !strings.Contains(whyFR(pp.Why), tt.pathWhy) {
				t.Errorf("pathway why = %q, want %q", whyFR(pp.Why), tt.pathWhy)
			}
			if fmt.Sprint(pp.Widened) != fmt.Sprint(tt.widened) {
				t.Errorf("widened = %v, want %v", pp.Widened, tt.widened)
			}
			if pp.Remote != tt.remote {
				t.Errorf("remote = %v, want %v", pp.Remote, tt.remote)
			}
			if tt.firstKm > 0 && math.Abs(pp.Places[0].DistanceKm-tt.firstKm) > 0.15 {
				t.Errorf("first distance = %v, want %v", pp.Places[0].DistanceKm, tt.firstKm)
			}
			if pp.Places[0].Load != tt.firstLoad {
				t.Errorf("first load = %d, want %d", pp.Places[0].Load, tt.firstLoad)
			}
			for _, r := range pp.Places {
				for _, w := range r.Why {
					if w.FR == "" || w.EN == "" {
						t.Errorf("place %s has a why line without both languages: %+v", r.ID, w)
					}
				}
			}
		})
	}
}

func TestReferPathways(t *testing.T) {
	outcomes := []Outcome{
		{Pathway: PathwayImmediateAnswer, Priority: 1, Rule: "autonomous-answer"},
		{Pathway: PathwayFranceServices, Priority: 2, Rule: "fs", Criteria: PlaceCriteria{MaxKm: 5}},
	}
	places := []mediation.Place{
		placeAt(t, "fs", 3, func(p *mediation.Place) { p.Programs = []mediation.Program{mediation.ProgramFranceServices} }),
		placeAt(t, "fs-far", 8, func(p *mediation.Place) { p.Programs = []mediation.Program{mediation.ProgramFranceServices} }),
		placeAt(t, "med", 1, nil),
	}
	e := newTestEngine(t, outcomes, places, nil)
	p, err := e.Refer(context.Background(), Request{Assessment: assessment.Result{Level: assessment.LevelAutonomous}, Person: Person{Commune: testCommune}})
	if err != nil {
		t.Fatal(err)
	}
	if p.RulesVersion != "fake-1" || p.Commune.Name != "Angoulême" || p.Commune.Departement != "16" {
		t.Errorf("proposal header = %q %+v", p.RulesVersion, p.Commune)
	}
	if len(p.Pathways) != 2 || p.Pathways[0].Pathway != PathwayImmediateAnswer || len(p.Pathways[0].Places) != 0 {
		t.Fatalf("pathways = %+v", p.Pathways)
	}
	if w := whyFR(p.Pathways[0].Why); !strings.Contains(w, "Aucun lieu à chercher") || !strings.Contains(w, "niveau autonomous") {
		t.Errorf("why of a pathway without place = %q", w)
	}
	if got := ids(p.Pathways[1].Places); got != "fs" {
		t.Errorf("france services within the rule's 5 km = %s, want fs", got)
	}
}

func TestReferErrors(t *testing.T) {
	ix, _ := mediation.NewIndex(nil, nil)
	boom := errors.New("boom")
	tests := []struct {
		name    string
		decider Decider
		commune string
		want    error
	}{
		{"unknown commune", fakeDecider{}, "99999", ErrUnknownCommune},
		{"postal code is not an INSEE code", fakeDecider{}, "16000", ErrUnknownCommune},
		{"unknown pathway", fakeDecider{outcomes: []Outcome{{Pathway: "teleportation", Rule: "r"}}}, testCommune, ErrUnknownPathway},
		{"rules fail", fakeDecider{err: boom}, testCommune, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEngine(tt.decider, ix, testRef(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Refer(context.Background(), Request{Person: Person{Commune: tt.commune}})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := NewEngine(nil, ix, testRef(t), nil); !errors.Is(err, ErrInvalidEngine) {
		t.Errorf("nil rules: %v", err)
	}
	if _, err := NewEngine(fakeDecider{}, ix, testRef(t), &EngineOptions{DefaultMaxKm: 100, MaxKm: 50}); !errors.Is(err, ErrInvalidEngine) {
		t.Errorf("radius above limit: %v", err)
	}
}

func TestOpensWhy(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 3, 23, 10, 0, 0, 0, paris) // Monday
	tests := []struct {
		next time.Time
		fr   string
		en   string
	}{
		{now, "Ouvert en ce moment.", "Open now."},
		{now.Add(4 * time.Hour), "Ouvre aujourd'hui à 14:00.", "Opens today at 14:00."},
		{now.Add(23 * time.Hour), "Ouvre demain à 09:00.", "Opens tomorrow at 09:00."},
		{now.Add(71 * time.Hour), "Ouvre jeudi à 09:00.", "Opens Thursday at 09:00."},
	}
	for _, tt := range tests {
		got := opensWhy(now, tt.next)
		if got.FR != tt.fr || got.EN != tt.en {
			t.Errorf("opensWhy(%v) = %+v, want %q / %q", tt.next, got, tt.fr, tt.en)
		}
	}
}

func TestReferConcurrent(t *testing.T) {
	var places []mediation.Place
	for i := range 40 {
		places = append(places, placeAt(t, fmt.Sprintf("p%02d", i), float64(i)/2, nil))
	}
	e := newTestEngine(t, mediationOutcome(), places, &EngineOptions{CacheEntries: 2})
	want, err := e.Refer(context.Background(), Request{Person: Person{Commune: testCommune}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := e.Refer(context.Background(), Request{Person: Person{Commune: testCommune}})
				if err != nil || ids(got.Pathways[0].Places) != ids(want.Pathways[0].Places) {
					t.Errorf("concurrent refer = %v, %v", err, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
