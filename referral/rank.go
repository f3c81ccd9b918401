package referral

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/territory"
)

// Points of the ranking score. The score is a sum of these, so every part
// of it is one line of the place's Why: a teleadvisor can read out why a
// place comes first.
const (
	scoreDistance     = 40.0 // at the door; falls linearly to 0 at the radius
	scoreOpensSoon    = 20.0 // opens within the window (7 days)
	scoreClosedWindow = -10.0
	scorePreferred    = 10.0 // per preferred label held
	scoreFit          = 10.0 // per constraint or flag the place caters for
	scoreRemoteFit    = 15.0 // remote support for someone who cannot travel
	scoreFull         = -30.0
	scoreBusy         = -15.0 // scaled by load/capacity below capacity
)

// candidate is one place found by the directory, shared by the memo.
type candidate struct {
	place *mediation.Place
	km    float64
}

// matcher matches the outcomes of one Refer call.
type matcher struct {
	e     *Engine
	ctx   context.Context
	com   territory.Commune
	in    *Input
	trace []RuleTrace
	load  map[string]int
	at    time.Time
	// explain false skips every Why text and the copy of the place record:
	// a batch keeps only ids, distances and rules.
	explain bool
	// opens caches the opening score per place for a batch, whose clock is
	// fixed for the whole run; nil elsewhere.
	opens map[*mediation.Place]float64
	// batch holds a batch worker's scratch; nil elsewhere.
	batch *batchClock
}

func (m *matcher) has(c Constraint) bool { return slices.Contains(m.in.Person.Constraints, c) }

// match finds and ranks the places of one outcome.
func (m *matcher) match(pw Pathway, o Outcome) (ProposedPathway, error) {
	pp := ProposedPathway{Pathway: pw.ID, Title: pw.Title, Priority: o.Priority, Rule: o.Rule, Places: []RankedPlace{}}
	if m.explain {
		pp.Why = append(pp.Why, m.ruleWhy(o.Rule)...)
	}
	if !pw.Places.NeedsPlace {
		pp.why(m.explain, assessment.Text{
			FR: "Aucun lieu à chercher pour cette aide.",
			EN: "No place to look for with this kind of help.",
		})
		return pp, nil
	}
	radius := o.Criteria.MaxKm
	if radius <= 0 {
		radius = m.e.opts.DefaultMaxKm
	}
	radius = min(radius, m.e.opts.MaxKm)
	found, err := m.search(pw, o.Criteria, radius)
	if err != nil {
		return pp, err
	}
	used := radius
	if len(found) == 0 {
		for _, step := range m.e.opts.WidenSteps {
			if step <= used || step > m.e.opts.MaxKm {
				continue
			}
			if found, err = m.search(pw, o.Criteria, step); err != nil {
				return pp, err
			}
			used = step
			if len(found) > 0 {
				break
			}
		}
		if used > radius {
			pp.Widened = &Widened{FromKm: radius, ToKm: used}
			if len(found) > 0 && m.explain {
				pp.Why = append(pp.Why, assessment.Text{
					FR: fmt.Sprintf("Aucun lieu à moins de %s km : recherche élargie à %s km.", kmFR(radius), kmFR(used)),
					EN: fmt.Sprintf("No place within %s km: search widened to %s km.", kmEN(radius), kmEN(used)),
				})
			}
		}
	}
	if len(found) == 0 {
		if found, err = m.remoteFallback(); err != nil {
			return pp, err
		}
		pp.Remote = true
		pp.why(m.explain, assessment.Text{
			FR: fmt.Sprintf("Aucun lieu adapté à moins de %s km : solutions à distance et France Services les plus proches.", kmFR(used)),
			EN: fmt.Sprintf("No suitable place within %s km: remote options and the nearest France Services instead.", kmEN(used)),
		})
		used = math.Max(used, farthest(found))
	}
	ranked := m.rank(pw, o.Criteria, found, used)
	k := min(m.e.opts.K, len(ranked))
	pp.Places = ranked[:k]
	for _, r := range ranked[k:] {
		if !m.explain {
			break
		}
		pp.PassedOver = append(pp.PassedOver, PassedPlace{ID: r.ID, Name: r.Name, DistanceKm: r.DistanceKm, Reason: m.passReason(r, ranked[k-1])})
	}
	switch {
	case !m.explain:
	case len(pp.Places) == 0:
		pp.Why = append(pp.Why, assessment.Text{
			FR: "Aucun lieu trouvé, même à distance : orienter vers le 3422.",
			EN: "No place found, not even remote: refer to the 3422 desk.",
		})
	case !pp.Remote:
		pp.Why = append(pp.Why, assessment.Text{
			FR: fmt.Sprintf("%d lieu(x) retenu(s) à moins de %s km, classés par distance, ouverture, adaptation et disponibilité.", len(pp.Places), kmFR(used)),
			EN: fmt.Sprintf("%d place(s) chosen within %s km, ranked by distance, opening, fit and availability.", len(pp.Places), kmEN(used)),
		})
	}
	return pp, nil
}

func (pp *ProposedPathway) why(explain bool, t assessment.Text) {
	if explain {
		pp.Why = append(pp.Why, t)
	}
}

// ruleWhy returns the explanation of the rule that proposed an outcome.
func (m *matcher) ruleWhy(rule string) []assessment.Text {
	out := []assessment.Text{{FR: "Proposé par la règle « " + rule + " ».", EN: "Proposed by rule “" + rule + "”."}}
	for _, t := range m.trace {
		if t.Rule == rule && t.Fired && t.Why.FR != "" {
			out = append(out, t.Why)
			break
		}
	}
	return out
}

func farthest(cs []candidate) float64 {
	f := 0.0
	for _, c := range cs {
		f = math.Max(f, c.km)
	}
	return f
}

// search returns the candidate places of a pathway within radius km,
// nearest first.
//
// The directory's Services filter is "all of" while a pathway's AnyService
// is "any of": search runs one query per alternative service and merges
// the answers by place id. Filtering one wider query (4×K) with
// Pathway.Matches is exact only when K of its places match. Measured on
// the demo directory: at the directory alone the single filtered query is
// about 4 times faster (BenchmarkAnyService), but every one of the 4×K
// results is copied and interned, and in the whole batch (BenchmarkBatch,
// with its memo of answers per commune) the two showed no difference
// beyond the ±10 % noise of a shared machine: the exact, simpler one stays.
func (m *matcher) search(pw Pathway, c PlaceCriteria, radius float64) ([]candidate, error) {
	free := m.has(ConstraintNeedsFree)
	q := mediation.Query{
		Lat: m.com.Lat, Lon: m.com.Lon,
		K:            m.e.opts.Candidates,
		MaxKm:        radius,
		Services:     c.RequiredServices,
		Labels:       c.RequiredLabels,
		Programs:     pw.Places.AnyProgram,
		SupportModes: pw.Places.AnySupportMode,
	}
	if free {
		q.Fees = []mediation.Fee{mediation.FeeFree, mediation.FeeFreeConditional}
	}
	key := searchKey(m.com.Code, pw.ID, c, radius, free)
	return m.e.memoized(key, func() ([]candidate, error) {
		if len(pw.Places.AnyService) == 0 {
			return m.e.query(m.ctx, q)
		}
		var all []candidate
		for _, s := range pw.Places.AnyService {
			qs := q
			qs.Services = append(slices.Clip(c.RequiredServices), s)
			cs, err := m.e.query(m.ctx, qs)
			if err != nil {
				return nil, err
			}
			for _, x := range cs {
				if !slices.ContainsFunc(all, func(y candidate) bool { return y.place.ID == x.place.ID }) {
					all = append(all, x)
				}
			}
		}
		slices.SortStableFunc(all, func(a, b candidate) int { return cmp.Compare(a.km, b.km) })
		return all[:min(len(all), q.K)], nil
	})
}

// remoteFallback returns the nearest places that accompany remotely and
// the nearest France Services, whatever the distance.
func (m *matcher) remoteFallback() ([]candidate, error) {
	free := m.has(ConstraintNeedsFree)
	key := "fallback|" + m.com.Code + "|" + strconv.FormatBool(free)
	return m.e.memoized(key, func() ([]candidate, error) {
		var all []candidate
		for _, q := range []mediation.Query{
			{SupportModes: []mediation.SupportMode{mediation.SupportRemote}},
			{Programs: []mediation.Program{mediation.ProgramFranceServices}},
		} {
			q.Lat, q.Lon, q.K = m.com.Lat, m.com.Lon, m.e.opts.K
			if free {
				q.Fees = []mediation.Fee{mediation.FeeFree, mediation.FeeFreeConditional}
			}
			cs, err := m.e.query(m.ctx, q)
			if err != nil {
				return nil, err
			}
			for _, x := range cs {
				if !slices.ContainsFunc(all, func(y candidate) bool { return y.place.ID == x.place.ID }) {
					all = append(all, x)
				}
			}
		}
		return all, nil
	})
}

func searchKey(commune string, pw PathwayID, c PlaceCriteria, radius float64, free bool) string {
	var b strings.Builder
	b.WriteString(commune)
	b.WriteByte('|')
	b.WriteString(string(pw))
	b.WriteByte('|')
	b.WriteString(strconv.FormatFloat(radius, 'g', -1, 64))
	if free {
		b.WriteString("|free")
	}
	for _, s := range c.RequiredServices {
		b.WriteString("|s:")
		b.WriteString(string(s))
	}
	for _, l := range c.RequiredLabels {
		b.WriteString("|l:")
		b.WriteString(string(l))
	}
	return b.String()
}

// query asks the directory and interns the places found.
func (e *Engine) query(ctx context.Context, q mediation.Query) ([]candidate, error) {
	rs, err := e.dir.Nearby(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("referral: directory: %w", err)
	}
	out := make([]candidate, len(rs))
	for i := range rs {
		out[i] = candidate{place: e.intern(&rs[i].Place), km: rs[i].DistanceKm}
	}
	return out, nil
}

// rank scores candidates for this person and sorts them, best first.
func (m *matcher) rank(pw Pathway, c PlaceCriteria, cs []candidate, radius float64) []RankedPlace {
	preferred := pw.Places.PreferredLabels
	if len(c.PreferredLabels) > 0 {
		preferred = mediation.AppendUnique(slices.Clone(preferred), c.PreferredLabels...)
	}
	if !m.explain {
		return m.rankTop(preferred, cs, radius)
	}
	out := make([]RankedPlace, 0, len(cs))
	for _, cd := range cs {
		p := cd.place
		r := RankedPlace{ID: p.ID, Name: p.Name, DistanceKm: math.Round(cd.km*10) / 10, explain: m.explain}
		if m.explain {
			r.Commune, r.PostalCode, r.Address = p.Commune, p.PostalCode, p.Address
			r.Phone, r.Hours, r.Booking, r.Place = p.Phone, p.Hours, p.Booking, *p
			r.add(0, assessment.Text{FR: "À " + kmFR(cd.km) + " km.", EN: kmEN(cd.km) + " km away."})
		}
		r.Score += scoreDistance * math.Max(0, 1-cd.km/math.Max(radius, 0.1))
		m.scoreOpening(&r, p)
		for _, l := range preferred {
			if p.HasLabel(l) {
				r.add(scorePreferred, labelWhy(l))
			}
		}
		m.scoreFit(&r, p)
		m.scoreLoad(&r, p)
		r.Score = math.Round(r.Score*10) / 10
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b RankedPlace) int { return compareRanked(&a, &b) })
	return out
}

// compareRanked orders places best first: score, then distance, then id.
func compareRanked(a, b *RankedPlace) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DistanceKm, b.DistanceKm); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// rankTop is rank without explanations, keeping only the K best: the
// batch's path, with the same scores and order as rank. The winners are
// kept as small values and turned into RankedPlace at the end: copying a
// whole RankedPlace per candidate showed in the batch's profile.
func (m *matcher) rankTop(preferred []mediation.Label, cs []candidate, radius float64) []RankedPlace {
	k := m.e.opts.K
	var top []topEntry
	if m.batch != nil {
		top = m.batch.top[:0]
	}
	var r RankedPlace // scratch for the scoring methods
	for _, cd := range cs {
		p := cd.place
		r.Score, r.Load, r.ID = 0, 0, p.ID
		km := math.Round(cd.km*10) / 10
		r.Score = scoreDistance * math.Max(0, 1-cd.km/math.Max(radius, 0.1))
		m.scoreOpening(&r, p)
		for _, l := range preferred {
			if p.HasLabel(l) {
				r.Score += scorePreferred
			}
		}
		m.scoreFit(&r, p)
		m.scoreLoad(&r, p)
		e := topEntry{score: math.Round(r.Score*10) / 10, km: km, load: r.Load, p: p}
		i := 0
		for i < len(top) && !e.before(&top[i]) {
			i++
		}
		switch {
		case len(top) < k:
			top = slices.Insert(top, i, e)
		case i < k:
			copy(top[i+1:], top[i:k-1])
			top[i] = e
		}
	}
	var out []RankedPlace
	if m.batch != nil {
		m.batch.top = top
		start := len(m.batch.places)
		for _, e := range top {
			m.batch.places = append(m.batch.places, RankedPlace{ID: e.p.ID, Name: e.p.Name, DistanceKm: e.km, Score: e.score, Load: e.load})
		}
		return m.batch.places[start:len(m.batch.places):len(m.batch.places)]
	}
	out = make([]RankedPlace, len(top))
	for i, e := range top {
		out[i] = RankedPlace{ID: e.p.ID, Name: e.p.Name, DistanceKm: e.km, Score: e.score, Load: e.load}
	}
	return out
}

// topEntry is one of the K best places in rankTop.
type topEntry struct {
	score, km float64
	load      int
	p         *mediation.Place
}

// before reports whether a ranks strictly before b (see compareRanked).
func (a *topEntry) before(b *topEntry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.km != b.km {
		return a.km < b.km
	}
	return a.p.ID < b.p.ID
}

func (r *RankedPlace) add(points float64, why assessment.Text) {
	r.Score += points
	if r.explain {
		r.Why = append(r.Why, why)
	}
}

func labelWhy(l mediation.Label) assessment.Text {
	if l == mediation.LabelFormeMonEspaceSante {
		return assessment.Text{FR: "Formé à Mon espace santé.", EN: "Trained in Mon espace santé."}
	}
	return assessment.Text{FR: "Label « " + string(l) + " ».", EN: "Label “" + string(l) + "”."}
}

// scoreOpening rewards a place that opens within the window and says when.
func (m *matcher) scoreOpening(r *RankedPlace, p *mediation.Place) {
	if m.opens != nil {
		pts, ok := m.opens[p]
		if !ok {
			pts = m.openingPoints(p)
			m.opens[p] = pts
		}
		r.Score += pts
		return
	}
	s := m.e.schedule(p)
	if s == nil {
		r.add(0, assessment.Text{
			FR: "Horaires inconnus : appeler avant de se déplacer.",
			EN: "Opening hours unknown: call before going.",
		})
		return
	}
	win := m.e.opts.OpenWindow
	next, ok := s.NextOpen(m.at)
	if !ok || next.Sub(m.at) >= win {
		r.Score += scoreClosedWindow
		if m.explain {
			r.add(0, assessment.Text{
				FR: fmt.Sprintf("Fermé les %d prochains jours.", int(win.Hours()/24)),
				EN: fmt.Sprintf("Closed for the next %d days.", int(win.Hours()/24)),
			})
		}
		return
	}
	r.Score += scoreOpensSoon
	if m.explain {
		r.add(0, opensWhy(m.at.In(s.Location()), next.In(s.Location())))
	}
}

// openingPoints is the opening part of the score, without the text.
func (m *matcher) openingPoints(p *mediation.Place) float64 {
	s := m.e.schedule(p)
	if s == nil {
		return 0
	}
	next, ok := s.NextOpen(m.at)
	if !ok || next.Sub(m.at) >= m.e.opts.OpenWindow {
		return scoreClosedWindow
	}
	return scoreOpensSoon
}

var (
	weekdaysFR = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	weekdaysEN = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// opensWhy says when a place opens, relative to now: "open now", "opens
// today at 14:00", "opens tomorrow at 09:00", "opens Monday at 09:00".
func opensWhy(now, next time.Time) assessment.Text {
	if !next.After(now) {
		return assessment.Text{FR: "Ouvert en ce moment.", EN: "Open now."}
	}
	hm := next.Format("15:04")
	y1, m1, d1 := now.Date()
	day0 := time.Date(y1, m1, d1, 0, 0, 0, 0, now.Location())
	y2, m2, d2 := next.Date()
	days := int(math.Round(time.Date(y2, m2, d2, 0, 0, 0, 0, next.Location()).Sub(day0).Hours() / 24))
	switch days {
	case 0:
		return assessment.Text{FR: "Ouvre aujourd'hui à " + hm + ".", EN: "Opens today at " + hm + "."}
	case 1:
		return assessment.Text{FR: "Ouvre demain à " + hm + ".", EN: "Opens tomorrow at " + hm + "."}
	}
	wd := next.Weekday()
	return assessment.Text{FR: "Ouvre " + weekdaysFR[wd] + " à " + hm + ".", EN: "Opens " + weekdaysEN[wd] + " at " + hm + "."}
}

// scoreFit rewards a place that caters for the person's constraints,
// language and assessment flags.
func (m *matcher) scoreFit(r *RankedPlace, p *mediation.Place) {
	if m.has(ConstraintNeedsFree) {
		r.add(0, assessment.Text{FR: "Gratuit.", EN: "Free of charge."})
	}
	if m.has(ConstraintNeedsAccessibility) {
		switch {
		case p.Accessibility != "":
			r.add(scoreFit, assessment.Text{FR: "Accessibilité décrite sur acceslibre.", EN: "Accessibility described on acceslibre."})
		case p.HasSpecificSupport(mediation.SupportMotorDisability):
			r.add(scoreFit, assessment.Text{FR: "Accueille les personnes en situation de handicap moteur.", EN: "Caters for people with motor disabilities."})
		default:
			r.add(0, assessment.Text{FR: "Accessibilité non renseignée : vérifier par téléphone.", EN: "Accessibility not stated: check by phone."})
		}
	}
	if (m.has(ConstraintNoTravel) || m.has(ConstraintPrefersRemote)) && p.HasSupportMode(mediation.SupportRemote) {
		r.add(scoreRemoteFit, assessment.Text{FR: "Accompagne aussi à distance.", EN: "Also helps remotely."})
	}
	if lang := m.in.Person.Language; lang != "" && lang != "fr" {
		want := mediation.SupportOtherLanguages
		if lang == "en" {
			want = mediation.SupportEnglish
		}
		if p.HasSpecificSupport(want) {
			r.add(scoreFit, assessment.Text{FR: "Accueil en langue étrangère.", EN: "Help in a foreign language."})
		}
	}
	for _, f := range flagSupports {
		if m.in.Assessment.HasFlag(f.flag) && p.HasSpecificSupport(f.support) {
			r.add(scoreFit, f.why)
		}
	}
}

var flagSupports = []struct {
	flag    assessment.Flag
	support mediation.SpecificSupport
	why     assessment.Text
}{
	{assessment.FlagHearingImpairment, mediation.SupportDeafness, assessment.Text{FR: "Accueille les personnes sourdes ou malentendantes.", EN: "Caters for deaf or hard-of-hearing people."}},
	{assessment.FlagVisualImpairment, mediation.SupportVisualImpairment, assessment.Text{FR: "Accueille les personnes malvoyantes.", EN: "Caters for visually impaired people."}},
	{assessment.FlagReadingDifficulty, mediation.SupportIlliteracy, assessment.Text{FR: "Accompagne les personnes en difficulté avec la lecture.", EN: "Helps people who struggle with reading."}},
}

// capacity returns the weekly capacity of a place.
func (e *Engine) capacity(id string) int {
	if c, ok := e.opts.CapacityByPlace[id]; ok && c > 0 {
		return c
	}
	return e.opts.Capacity
}

// scoreLoad ranks a busy place lower: a full one loses more than its
// opening is worth, so an equivalent place nearby comes first.
func (m *matcher) scoreLoad(r *RankedPlace, p *mediation.Place) {
	n := m.load[p.ID]
	if n == 0 {
		return
	}
	r.Load = n
	cp := m.e.capacity(p.ID)
	if n >= cp {
		r.Score += scoreFull
	} else {
		r.Score += scoreBusy * float64(n) / float64(cp)
	}
	if m.explain {
		r.add(0, assessment.Text{
			FR: fmt.Sprintf("Déjà %d orientation(s) cette semaine pour %d places.", n, cp),
			EN: fmt.Sprintf("Already %d referral(s) this week for %d slots.", n, cp),
		})
	}
}

// passReason says why a ranked place was not among the K proposed.
func (m *matcher) passReason(r, last RankedPlace) assessment.Text {
	if r.Load >= m.e.capacity(r.ID) {
		return assessment.Text{
			FR: fmt.Sprintf("Complet cette semaine (%d orientations).", r.Load),
			EN: fmt.Sprintf("Full this week (%d referrals).", r.Load),
		}
	}
	return assessment.Text{
		FR: fmt.Sprintf("Moins bien classé (score %s contre %s pour le dernier retenu).", numFR(r.Score), numFR(last.Score)),
		EN: fmt.Sprintf("Ranked lower (score %s against %s for the last one chosen).", numEN(r.Score), numEN(last.Score)),
	}
}

func kmFR(km float64) string { return numFR(math.Round(km*10) / 10) }
func kmEN(km float64) string { return numEN(math.Round(km*10) / 10) }

func numEN(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
func numFR(v float64) string { return strings.Replace(numEN(v), ".", ",", 1) }

// queryMemo remembers directory answers by commune and query. It is
// cleared when full rather than evicting one by one: a batch walks
// communes in no order, and a clear costs one rebuild per key.
type queryMemo struct {
	mu      sync.RWMutex
	max     int
	entries map[string][]candidate
	places  map[string]*mediation.Place
}

func newQueryMemo(max int) *queryMemo {
	return &queryMemo{max: max, entries: map[string][]candidate{}, places: map[string]*mediation.Place{}}
}

// memoized returns the memo's answer for key, or computes and keeps it.
func (e *Engine) memoized(key string, compute func() ([]candidate, error)) ([]candidate, error) {
	if e.memo == nil {
		return compute()
	}
	e.memo.mu.RLock()
	cs, ok := e.memo.entries[key]
	e.memo.mu.RUnlock()
	if ok {
		return cs, nil
	}
	cs, err := compute()
	if err != nil {
		return nil, err
	}
	e.memo.mu.Lock()
	if len(e.memo.entries) >= e.memo.max {
		clear(e.memo.entries)
	}
	e.memo.entries[key] = cs
	e.memo.mu.Unlock()
	return cs, nil
}

// intern returns one shared copy of a place per id, so memo entries hold
// pointers rather than copies of whole records.
func (e *Engine) intern(p *mediation.Place) *mediation.Place {
	if e.memo == nil {
		cp := *p
		return &cp
	}
	e.memo.mu.RLock()
	q, ok := e.memo.places[p.ID]
	e.memo.mu.RUnlock()
	if ok {
		return q
	}
	cp := *p
	e.memo.mu.Lock()
	if q, ok := e.memo.places[p.ID]; ok {
		e.memo.mu.Unlock()
		return q
	}
	e.memo.places[p.ID] = &cp
	e.memo.mu.Unlock()
	return &cp
}
