package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/store"
	"github.com/passerelle-sante/passerelle/territory"
)

// The coverage screen of a coordinator: where the places and ambassadors
// trained in Mon espace santé are, how much of the population lives near
// one, which sparse communes are farthest, and, per département, the
// referrals asked of the places against their weekly capacity.

// Defaults and bounds of the coverage screen's parameters.
const (
	defaultCoverageWeeks = 12
	maxCoverageWeeks     = 104
	coverageFarthest     = 15
)

// coordinatorError is a bad parameter of a coordinator screen: the status
// to answer and the message, already in the visitor's language, saying
// which parameter is wrong and why.
type coordinatorError struct {
	status  int
	message string
}

func (e *coordinatorError) Error() string { return e.message }

func badParam(status int, lang assessment.Lang, key string, args ...any) error {
	return &coordinatorError{status: status, message: tr(lang, key, args...)}
}

// failParam answers err: a coordinatorError with its status and message,
// anything else as an internal error.
func (s *Server) failParam(w http.ResponseWriter, r *http.Request, err error) {
	var ce *coordinatorError
	if errors.As(err, &ce) {
		s.fail(w, r, ce.status, ce.message)
		return
	}
	s.internal(w, r, err)
}

// regionChoice is one entry of the région menu.
type regionChoice struct {
	Code, Name string
	Selected   bool
}

// coordinatorRegion reads the région a coordinator screen covers: a
// coordinator whose account names a région sees that région only (asking
// for another is 403); the others choose with ?region= ("" is France).
// It returns the région code and the menu to show (nil when the account
// is held to its région).
func (s *Server) coordinatorRegion(r *http.Request) (string, []regionChoice, error) {
	lang := langOf(r.Context())
	asked := strings.TrimSpace(r.URL.Query().Get("region"))
	var acc *store.Account
	if ss, ok := s.sessionOf(r); ok {
		acc = ss.account()
	}
	if acc != nil && acc.Region != "" && !acc.Has(store.RoleAdmin) {
		if asked != "" && asked != acc.Region {
			own, _ := s.communes.Region(acc.Region)
			return "", nil, badParam(http.StatusForbidden, lang, "coord.err.region.scope", acc.Region, own.Name, asked)
		}
		return acc.Region, nil, nil
	}
	if asked != "" {
		if _, ok := s.communes.Region(asked); !ok {
			return "", nil, badParam(http.StatusBadRequest, lang, "coord.err.region", asked)
		}
	}
	return asked, s.regionMenu(asked), nil
}

// regionMenu lists the régions that hold départements, by name.
func (s *Server) regionMenu(selected string) []regionChoice {
	seen := map[string]bool{}
	var out []regionChoice
	for _, d := range s.communes.Departements() {
		if d.Region == "" || seen[d.Region] {
			continue
		}
		seen[d.Region] = true
		if reg, ok := s.communes.Region(d.Region); ok {
			out = append(out, regionChoice{Code: reg.Code, Name: reg.Name, Selected: reg.Code == selected})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// regionLabel names the scope of a screen: the région's name and code, or
// France.
func (s *Server) regionLabel(lang assessment.Lang, region string) string {
	if region == "" {
		return tr(lang, "coord.scope.france")
	}
	reg, _ := s.communes.Region(region)
	return tr(lang, "coord.scope.region", reg.Name, region)
}

// basePlaces are the places of the embedded demo directory, read once; a
// Directory that can list its places (a Places method) gives its own.
var basePlaces = sync.OnceValues(demo.Places)

type placeLister interface {
	Places() []mediation.Place
}

// coveragePlaces returns the desk's places, with the label « Formé à
// « Mon Espace Santé » » added to those the network's trainings (dated
// before until) say were trained, as the coverage counts them. The slice is
// a copy: the caller may keep it.
func (s *Server) coveragePlaces(trainings []mediation.Training, until time.Time) ([]mediation.Place, error) {
	var places []mediation.Place
	if pl, ok := s.dir.(placeLister); ok && s.cfg.Directory != nil {
		places = slices.Clone(pl.Places())
	} else {
		all, err := basePlaces()
		if err != nil {
			return nil, fmt.Errorf("coverage: the demo places: %w", err)
		}
		places = slices.Clone(all)
	}
	mediation.LabelTrainedPlaces(places, trainings, until)
	return places, nil
}

// networkRecords reads every training and ambassador of the store, page by
// page.
func (s *Server) networkRecords(ctx context.Context) ([]mediation.Training, []mediation.Ambassador, error) {
	trainings, err := store.All(ctx, func(c string) ([]mediation.Training, string, error) {
		return s.st.ListTrainings(ctx, mediation.TrainingFilter{Limit: mediation.MaxPageSize, Cursor: c})
	})
	if err != nil {
		return nil, nil, err
	}
	ambassadors, err := store.All(ctx, func(c string) ([]mediation.Ambassador, string, error) {
		return s.st.ListAmbassadors(ctx, mediation.AmbassadorFilter{Limit: mediation.MaxPageSize, Cursor: c})
	})
	if err != nil {
		return nil, nil, err
	}
	return trainings, ambassadors, nil
}

// referralsPerPlace counts the referrals created in [from, to) per place:
// what was asked of each place, whatever became of it.
func (s *Server) referralsPerPlace(ctx context.Context, from, to time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := store.Pages(ctx, func(c string) ([]referral.Referral, string, error) {
		return s.st.List(ctx, referral.Filter{From: from, To: to, Limit: 1000, Cursor: c})
	}, func(page []referral.Referral) error {
		for _, r := range page {
			if r.PlaceID != "" {
				out[r.PlaceID]++
			}
		}
		return nil
	})
	return out, err
}

// computeCoverage computes the coverage of region ("" France) by the
// places trained before to, with the referrals of [from, to) as the demand
// and the engine's capacities as the supply.
func (s *Server) computeCoverage(ctx context.Context, region string, from, to time.Time) (*coverage.Report, []mediation.Place, error) {
	trainings, ambassadors, err := s.networkRecords(ctx)
	if err != nil {
		return nil, nil, err
	}
	places, err := s.coveragePlaces(trainings, to)
	if err != nil {
		return nil, nil, err
	}
	demand, err := s.referralsPerPlace(ctx, from, to)
	if err != nil {
		return nil, nil, err
	}
	eo := s.engine.Options()
	rep, err := coverage.Compute(ctx, coverage.Input{
		Reference: s.communes, Places: places, Trainings: trainings, Ambassadors: ambassadors,
		Region: region, Farthest: coverageFarthest, Referrals: demand, Weeks: to.Sub(from).Hours() / 24 / 7,
		WeeklyCapacity: eo.CapacityByPlace, DefaultWeeklyCapacity: eo.Capacity,
	})
	if err != nil {
		return nil, nil, err
	}
	return rep, places, nil
}

// coverageData is the coverage page's content.
type coverageData struct {
	Region      string
	Scope       string
	Regions     []regionChoice
	Weeks       int
	Capacity    int
	Report      *coverage.Report
	Map         *coverageMap
	Departments []coverageDeptRow
	Balances    []coverageBalanceRow
	Far         []coverageFarRow
	Radii       []string
	Bands       []coverageBand
	Per10000    string
	// Population and Population60 are the scope's people, grouped.
	Population, Population60 string
	JSONLink                 string
}

type coverageBand struct{ Radius, Share, Share60 string }

type coverageDeptRow struct {
	Code, Name     string
	Places, Ambass int
	Per10000       string
	Shares         []string
}

type coverageBalanceRow struct {
	Code, Name                string
	Places, Capacity, Demands int
	Weekly, Ratio, State      string
	Short, Unknown            bool
}

type coverageFarRow struct {
	Code, Name, Departement, Density, Population, Km string
}

// coverageParams reads ?region= and ?weeks=.
func (s *Server) coverageParams(r *http.Request) (string, []regionChoice, int, error) {
	region, menu, err := s.coordinatorRegion(r)
	if err != nil {
		return "", nil, 0, err
	}
	weeks, err := parseWeeks(langOf(r.Context()), r.URL.Query().Get("weeks"))
	if err != nil {
		return "", nil, 0, err
	}
	return region, menu, weeks, nil
}

// parseWeeks reads how many weeks of referrals count as the demand: a
// whole number from 1 to maxCoverageWeeks, defaultCoverageWeeks when empty.
func parseWeeks(lang assessment.Lang, s string) (int, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return defaultCoverageWeeks, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxCoverageWeeks {
		return 0, badParam(http.StatusBadRequest, lang, "coord.err.weeks", v, maxCoverageWeeks)
	}
	return n, nil
}

// coveragePage shows /coverage.
func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	region, menu, weeks, err := s.coverageParams(r)
	if err != nil {
		s.failParam(w, r, err)
		return
	}
	now := s.now()
	rep, _, err := s.computeCoverage(r.Context(), region, now.AddDate(0, 0, -7*weeks), now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := coverageData{Region: region, Scope: s.regionLabel(lang, region), Regions: menu, Weeks: weeks,
		Capacity: s.engine.Options().Capacity, Report: rep}
	d.Map, err = drawCoverageMap(rep, s.communes,
		func(c territory.Commune, a coverage.Area) string {
			return tr(lang, "coord.map.dot", c.Name, c.Code, a.TrainedPlaces, a.TrainedAmbassadors)
		},
		func(c territory.Commune, f coverage.FarCommune) string {
			return tr(lang, "coord.map.far", c.Name, c.Code, frNumber(lang, f.DistanceKm, 1))
		})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Per10000 = frNumber(lang, rep.PlacesPer10000, 3)
	d.Population, d.Population60 = count(lang, rep.Population), count(lang, rep.Population60Plus)
	for _, b := range rep.Coverage {
		radius := frNumber(lang, b.RadiusKm, 0)
		d.Radii = append(d.Radii, radius)
		d.Bands = append(d.Bands, coverageBand{Radius: radius, Share: percent(lang, b.Share), Share60: percent(lang, b.Share60Plus)})
	}
	for _, a := range rep.Departements {
		row := coverageDeptRow{Code: a.Code, Name: a.Name, Places: a.TrainedPlaces, Ambass: a.TrainedAmbassadors,
			Per10000: frNumber(lang, a.PlacesPer10000, 3)}
		for _, b := range a.Coverage {
			row.Shares = append(row.Shares, percent(lang, b.Share))
		}
		d.Departments = append(d.Departments, row)
	}
	for _, b := range rep.Balances {
		row := coverageBalanceRow{Code: b.Departement, Name: b.Name, Places: b.Places, Capacity: b.Capacity,
			Demands: b.Referrals, Weekly: frNumber(lang, b.WeeklyDemand, 1), Ratio: frNumber(lang, b.Ratio, 2),
			Short: b.Short, Unknown: b.CapacityUnknown}
		switch {
		case b.CapacityUnknown:
			row.State, row.Ratio = tr(lang, "coord.sd.unknown"), "—"
		case b.Short:
			row.State = tr(lang, "coord.sd.short")
		default:
			row.State = tr(lang, "coord.sd.ok")
		}
		d.Balances = append(d.Balances, row)
	}
	for _, f := range rep.Farthest {
		d.Far = append(d.Far, coverageFarRow{Code: f.Code, Name: f.Name, Departement: f.Departement,
			Density: f.Density.Label(string(lang)), Population: count(lang, f.Population), Km: frNumber(lang, f.DistanceKm, 1)})
	}
	d.JSONLink = "/api/v1/coverage?" + coverageQuery(region, weeks)
	s.render(w, r, http.StatusOK, "coordinator_coverage", s.page(r, "coord.coverage.title", "coverage", d))
}

// apiCoverage answers GET /api/v1/coverage with the coverage report.
func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request) {
	region, _, weeks, err := s.coverageParams(r)
	if err != nil {
		s.failParam(w, r, err)
		return
	}
	now := s.now()
	rep, _, err := s.computeCoverage(r.Context(), region, now.AddDate(0, 0, -7*weeks), now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Weeks int `json:"weeks"`
		*coverage.Report
	}{weeks, rep})
}

func coverageQuery(region string, weeks int) string {
	q := "weeks=" + strconv.Itoa(weeks)
	if region != "" {
		q = "region=" + region + "&" + q
	}
	return q
}

// frNumber writes v with digits decimals, with a decimal comma in French.
func frNumber(lang assessment.Lang, v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if lang != assessment.LangEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// count writes a whole number with its thousands grouped: a narrow
// no-break space in French (12 345), a comma in English (12,345).
func count(lang assessment.Lang, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "\u202f"
	if lang == assessment.LangEN {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percent writes a share (0..1) as a percentage with one decimal.
func percent(lang assessment.Lang, share float64) string {
	if lang == assessment.LangEN {
		return frNumber(lang, share*100, 1) + "%"
	}
	return frNumber(lang, share*100, 1) + "\u00a0%"
}
