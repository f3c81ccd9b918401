package mediation

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/passerelle-sante/passerelle/territory"
)

// Distances used by Merge, in kilometres.
const (
	// MergeNearKm: places this close with similar names are one place.
	MergeNearKm = 0.15
	// mergePivotKm: places sharing a SIRET are one place when this close (a
	// SIRET may cover several sites of one body, e.g. a town's libraries).
	mergePivotKm = 1.0
	// mergeGenericKm: a place with a generic name ("Espace France
	// Services") merges with another only this close, or at the same address.
	mergeGenericKm = 0.05
)

// Rules by which Merge decides two records are the same place.
const (
	RuleSamePivot   = "same_pivot"   // same SIRET, close by
	RuleNearName    = "near_name"    // very close, similar names
	RuleSameAddress = "same_address" // same address and commune, similar names
	RuleSameContact = "same_contact" // same e-mail or phone, close by, similar names
)

func rulePriority(rule string) int {
	switch rule {
	case RuleSamePivot:
		return 0
	case RuleSameAddress:
		return 1
	case RuleNearName:
		return 2
	}
	return 3
}

func overlaps(a, b map[int]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// sharedContact reports whether a and b give the same e-mail or phone.
func sharedContact(a, b Place) bool {
	if a.Phone != "" && a.Phone == b.Phone {
		return true
	}
	for _, e := range a.Emails {
		for _, f := range b.Emails {
			if strings.EqualFold(e, f) {
				return true
			}
		}
	}
	return false
}

// MergeGroup is one merged place and the records it came from.
type MergeGroup struct {
	ID      string   `json:"id"`      // id of the merged place
	Members []string `json:"members"` // "source:id" of every record merged
	Rules   []string `json:"rules"`   // rules that linked them
}

// MergeReport says what Merge did.
type MergeReport struct {
	Input  int          `json:"input"`  // places given
	Output int          `json:"output"` // places returned
	Groups []MergeGroup `json:"groups"` // one per merged place (2+ records)
}

// Merge detects the same place in several feeds and merges it. Records are
// compared only across sets (a feed's own records are distinct places by its
// producer's say), within the same commune or sharing a SIRET. Two records
// are the same place when (RuleSamePivot) they share a real SIRET and lie
// within 1 km, (RuleNearName) they lie within 150 m and their names are
// similar, or (RuleSameAddress) they have the same street address in the
// same commune and similar names. A name made only of generic words
// ("Espace France Services") is similar to any name, but only within 50 m
// or at the same address. Finally (RuleSameContact) records with similar
// names that give the same e-mail or phone and lie in the same commune or
// within 1 km are one place.
//
// A merged place holds at most one record of each feed: links are taken
// strongest first (same SIRET, same address, nearest) and a link that would
// join two records of one feed is skipped.
//
// The merged place takes the values of its most recently updated record,
// fills its empty fields from the others, unions multi-valued fields, keeps
// a precise location over a commune centroid, keeps every Provenance and
// is flagged FlagMerged. Places are returned in input order (first member
// of each group).
func Merge(sets ...[]Place) ([]Place, MergeReport) {
	type rec struct {
		set   int
		place Place
		name  []string
		addr  address
	}
	var recs []rec
	for s, set := range sets {
		for _, p := range set {
			recs = append(recs, rec{set: s, place: p, name: nameTokens(p.Name), addr: parseAddress(p.Address)})
		}
	}
	parent := make([]int, len(recs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	rules := map[int][]string{} // root → rules, filled after unions
	type link struct {
		a, b int
		rule string
		km   float64 // distance, or +Inf when unknown
	}
	var links []link

	// Candidate pairs share a bucket: commune, SIRET, e-mail, phone, or a
	// grid cell of 0.01° (points closer than 0.005° share one of the four
	// cells each is put in).
	buckets := map[string][]int{}
	put := func(key string, i int) { buckets[key] = append(buckets[key], i) }
	for i, r := range recs {
		put("c:"+communeKey(r.place), i)
		if realPivot(r.place.Pivot) {
			put("p:"+r.place.Pivot, i)
		}
		for _, e := range r.place.Emails {
			put("e:"+strings.ToLower(e), i)
		}
		if r.place.Phone != "" {
			put("t:"+r.place.Phone, i)
		}
		if pt, ok := r.place.Location(); ok {
			y, x := int(math.Floor(pt.Lat*100-0.5)), int(math.Floor(pt.Lon*100-0.5))
			for _, c := range [][2]int{{y, x}, {y + 1, x}, {y, x + 1}, {y + 1, x + 1}} {
				put(fmt.Sprintf("g:%d,%d", c[0], c[1]), i)
			}
		}
	}
	keys := make([]string, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		idx := buckets[k]
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				a, b := recs[idx[x]], recs[idx[y]]
				if a.set == b.set {
					continue
				}
				if rule := samePlace(a.place, b.place, a.name, b.name, a.addr, b.addr); rule != "" {
					km := math.Inf(1)
					pa, oka := a.place.Location()
					pb, okb := b.place.Location()
					if oka && okb {
						km = DistanceKm(pa.Lat, pa.Lon, pb.Lat, pb.Lon)
					}
					links = append(links, link{idx[x], idx[y], rule, km})
				}
			}
		}
	}
	// Strongest links first; a link that would put two records of the same
	// feed in one place is skipped (a feed's records are distinct places),
	// so chains A1~B~A2 cannot glue a feed's neighbours together.
	slices.SortStableFunc(links, func(x, y link) int {
		return cmp.Or(cmp.Compare(rulePriority(x.rule), rulePriority(y.rule)), cmp.Compare(x.km, y.km))
	})
	feeds := make([]map[int]bool, len(recs))
	for i, r := range recs {
		feeds[i] = map[int]bool{r.set: true}
	}
	for _, l := range links {
		ra, rb := find(l.a), find(l.b)
		if ra == rb {
			rules[ra] = AppendUnique(rules[ra], l.rule)
			continue
		}
		if overlaps(feeds[ra], feeds[rb]) {
			continue
		}
		root, other := min(ra, rb), max(ra, rb)
		parent[other] = root
		for f := range feeds[other] {
			feeds[root][f] = true
		}
		rules[root] = AppendUnique(append(rules[root], rules[other]...), l.rule)
	}
	members := map[int][]int{}
	var roots []int
	for i := range recs {
		r := find(i)
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	report := MergeReport{Input: len(recs), Groups: []MergeGroup{}}
	out := make([]Place, 0, len(roots))
	for _, r := range roots {
		idx := members[r]
		if len(idx) == 1 {
			out = append(out, recs[idx[0]].place)
			continue
		}
		group := make([]Place, len(idx))
		for k, i := range idx {
			group[k] = recs[i].place
		}
		merged := mergeGroup(group)
		g := MergeGroup{ID: merged.ID, Rules: rules[r]}
		slices.Sort(g.Rules)
		for _, p := range group {
			g.Members = append(g.Members, p.Source+":"+p.ID)
		}
		report.Groups = append(report.Groups, g)
		out = append(out, merged)
	}
	report.Output = len(out)
	return out, report
}

// samePlace returns the rule by which a and b are the same place, or "".
func samePlace(a, b Place, na, nb []string, aa, ab address) string {
	pa, oka := a.Location()
	pb, okb := b.Location()
	precise := oka && okb && !a.HasFlag(FlagApproximateLocation) && !b.HasFlag(FlagApproximateLocation)
	d := -1.0
	if precise {
		d = DistanceKm(pa.Lat, pa.Lon, pb.Lat, pb.Lon)
	}
	sameCommune := communeKey(a) == communeKey(b)
	if realPivot(a.Pivot) && a.Pivot == b.Pivot && (d >= 0 && d <= mergePivotKm || d < 0 && sameCommune) {
		return RuleSamePivot
	}
	generic := len(na) == 0 || len(nb) == 0
	similar := generic || similarTokens(na, nb)
	if similar && d >= 0 && (d <= mergeGenericKm || !generic && d <= MergeNearKm) {
		return RuleNearName
	}
	if similar && sameCommune && aa.same(ab) {
		return RuleSameAddress
	}
	if similar && (sameCommune || d >= 0 && d <= mergePivotKm) && sharedContact(a, b) {
		return RuleSameContact
	}
	return ""
}

// realPivot reports whether pivot identifies a body: not empty, not the
// all-zero placeholder.
func realPivot(pivot string) bool {
	return pivot != "" && strings.Trim(pivot, "0") != ""
}

func communeKey(p Place) string {
	if p.INSEECode != "" {
		return p.INSEECode
	}
	return p.PostalCode + " " + territory.Fold(p.Commune)
}

// genericWords say what kind of place it is, not which one.
var genericWords = map[string]bool{
	"france": true, "services": true, "service": true, "espace": true, "espaces": true,
	"maison": true, "la": true, "le": true, "les": true, "de": true, "du": true, "des": true,
	"d": true, "l": true, "poste": true, "et": true, "a": true, "au": true, "aux": true, "en": true,
}

func nameTokens(name string) []string {
	var out []string
	for _, w := range strings.Fields(territory.Fold(name)) {
		if !genericWords[w] {
			out = AppendUnique(out, w)
		}
	}
	return out
}

// similarTokens: one name's distinctive words contain the other's, or they
// share at least half of their words.
func similarTokens(a, b []string) bool {
	common := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			common++
		}
	}
	if common == 0 {
		return false
	}
	return common == len(a) || common == len(b) || 2*common >= len(a)+len(b)-common
}

// address is a street address reduced for comparison: its number and the
// distinctive words of the street.
type address struct {
	number string
	words  []string
}

var streetWords = map[string]bool{
	"rue": true, "r": true, "avenue": true, "av": true, "ave": true, "boulevard": true, "bd": true,
	"place": true, "pl": true, "route": true, "rte": true, "chemin": true, "ch": true, "allee": true,
	"impasse": true, "imp": true, "quai": true, "cours": true, "de": true, "du": true, "des": true,
	"la": true, "le": true, "les": true, "d": true, "l": true, "b": true, "bis": true, "ter": true,
}

func parseAddress(s string) address {
	var a address
	for _, w := range strings.Fields(territory.Fold(s)) {
		switch {
		case a.number == "" && isDigits(w):
			a.number = w
		case !streetWords[w]:
			a.words = AppendUnique(a.words, w)
		}
	}
	return a
}

func (a address) same(b address) bool {
	if len(a.words) == 0 || len(b.words) == 0 || a.number != b.number {
		return false
	}
	return similarTokens(a.words, b.words)
}

// mergeGroup merges records of one place, most recently updated first.
func mergeGroup(group []Place) Place {
	order := slices.Clone(group)
	slices.SortStableFunc(order, func(a, b Place) int { return cmp.Compare(b.UpdatedAt, a.UpdatedAt) })
	m := order[0]
	m.Provenance = nil
	m.Flags = nil
	for _, p := range order {
		fill(&m.Pivot, p.Pivot, PivotPlaceholder)
		fill(&m.INSEECode, p.INSEECode, "")
		fill(&m.AddressComplement, p.AddressComplement, "")
		fill(&m.Phone, p.Phone, "")
		fill(&m.Hours, p.Hours, "")
		fill(&m.Summary, p.Summary, "")
		fill(&m.Detail, p.Detail, "")
		fill(&m.ParentStructure, p.ParentStructure, "")
		fill(&m.Accessibility, p.Accessibility, "")
		fill(&m.Booking, p.Booking, "")
		m.Typology = AppendUnique(m.Typology, p.Typology...)
		m.Emails = AppendUnique(m.Emails, p.Emails...)
		m.Websites = AppendUnique(m.Websites, p.Websites...)
		m.Itinerance = AppendUnique(m.Itinerance, p.Itinerance...)
		m.Services = AppendUnique(m.Services, p.Services...)
		m.Publics = AppendUnique(m.Publics, p.Publics...)
		m.SpecificSupport = AppendUnique(m.SpecificSupport, p.SpecificSupport...)
		m.Fees = AppendUnique(m.Fees, p.Fees...)
		m.Programs = AppendUnique(m.Programs, p.Programs...)
		m.Labels = AppendUnique(m.Labels, p.Labels...)
		m.OtherLabels = AppendUnique(m.OtherLabels, p.OtherLabels...)
		m.AccessModes = AppendUnique(m.AccessModes, p.AccessModes...)
		m.SupportModes = AppendUnique(m.SupportModes, p.SupportModes...)
		m.Provenance = append(m.Provenance, p.Provenance...)
		if len(p.Provenance) == 0 {
			m.Provenance = append(m.Provenance, Provenance{Source: p.Source, SourceID: p.ID})
		}
	}
	// Location: the most recent precise one, else the most recent at all.
	for _, p := range order {
		if p.HasLocation() && !p.HasFlag(FlagApproximateLocation) {
			m.Latitude, m.Longitude = p.Latitude, p.Longitude
			break
		}
	}
	approx := true
	for _, p := range order {
		if p.HasLocation() && !p.HasFlag(FlagApproximateLocation) {
			approx = false
		}
	}
	for _, p := range order {
		for _, f := range p.Flags {
			if f == FlagApproximateLocation && !approx || f == FlagMerged {
				continue
			}
			m.AddFlag(f)
		}
	}
	m.AddFlag(FlagMerged)
	return m
}

func fill(dst *string, v, empty string) {
	if (*dst == "" || *dst == empty) && v != "" && v != empty {
		*dst = v
	}
}
