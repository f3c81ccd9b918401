package territory

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Match is a commune found by Find, with a score in (0, 1]: 1 is an exact
// name (or code) match; 0.97 the name without its article, 0.96 the name
// with its words run together, 0.93 a former name; about 0.8 to 0.95 a
// prefix of the name, about 0.7 to 0.8 a word inside it, below 0.7 a name
// within a few typos.
type Match struct {
	Commune Commune `json:"commune"`
	Score   float64 `json:"score"`
}

// DefaultLimit is the number of matches Find returns when asked for 0.
const DefaultLimit = 10

// MaxQueryBytes bounds the text Find and Resolve read: the longest commune
// name has 45 characters, so a longer text is no commune and is not
// searched (which also keeps a hostile input from costing time).
const MaxQueryBytes = 256

// nameIndex finds communes by folded name: the keys sorted for exact and
// prefix search, and a trigram index that brings up candidates for a
// bounded edit distance.
type nameIndex struct {
	folded  []string           // per commune: Fold(name)
	alt     []string           // per commune: folded name without its leading article, "" if none
	former  map[int32][]string // folded former names of the few communes that have one
	keys    []nameKey          // sorted by key: exact and prefix lookups are binary searches
	popRank []float64          // per commune: log10(population+1)/7, in [0, 1]
	// Trigram postings in one flat array: the keys holding trigram g are
	// gramKeys[gramStart[g]:gramStart[g+1]], ascending.
	gramStart []int32
	gramKeys  []int32
	counts    sync.Pool // *[]uint16 of len(keys), all zero when pooled
}

type nameKey struct {
	key     string
	commune int32
	kind    keyKind
}

// keyKind says which name of a commune a key spells.
type keyKind uint8

const (
	currentName    keyKind = iota // the official name, folded
	withoutArticle                // the official name without its leading article
	formerName                    // an earlier official name, folded
)

// penalty keeps a match on a secondary name just below the same match on
// the official name.
func (k keyKind) penalty() float64 {
	switch k {
	case withoutArticle:
		return 0.03
	case formerName:
		return 0.07
	}
	return 0
}

// Trigrams are numbered over a 38-symbol alphabet: a–z, 0–9, space, and
// one symbol for every other byte (rare bytes of non-Latin letters share
// it; that only adds candidates, which scoring then checks).
const (
	gramSymbols = 38
	gramCount   = gramSymbols * gramSymbols * gramSymbols
)

func gramSymbol(b byte) uint32 {
	switch {
	case 'a' <= b && b <= 'z':
		return uint32(b - 'a')
	case '0' <= b && b <= '9':
		return 26 + uint32(b-'0')
	case b == ' ':
		return 36
	}
	return 37
}

func buildNameIndex(communes []Commune) *nameIndex {
	ix := &nameIndex{
		folded:  make([]string, len(communes)),
		alt:     make([]string, len(communes)),
		keys:    make([]nameKey, 0, len(communes)+len(communes)/6),
		popRank: make([]float64, len(communes)),
		former:  map[int32][]string{},
	}
	for i, c := range communes {
		f := Fold(c.Name)
		ix.folded[i] = f
		ix.keys = append(ix.keys, nameKey{key: f, commune: int32(i)})
		if a := stripArticle(f); a != f {
			ix.alt[i] = a
			ix.keys = append(ix.keys, nameKey{key: a, commune: int32(i), kind: withoutArticle})
		}
		for _, old := range c.FormerNames {
			if fo := Fold(old); fo != "" && fo != f && fo != ix.alt[i] && !slices.Contains(ix.former[int32(i)], fo) {
				ix.keys = append(ix.keys, nameKey{key: fo, commune: int32(i), kind: formerName})
				ix.former[int32(i)] = append(ix.former[int32(i)], fo)
			}
		}
		ix.popRank[i] = min(1, math.Log10(float64(max(c.Population, 0))+1)/7)
	}
	sortKeys(ix.keys)
	// Two passes over the keys (count, then fill) build the postings
	// without a map or a growing slice per trigram.
	last := make([]int32, gramCount)
	for g := range last {
		last[g] = -1
	}
	ix.gramStart = make([]int32, gramCount+1)
	for k, e := range ix.keys {
		forEachTrigram(e.key, func(g uint32) {
			if last[g] != int32(k) {
				last[g] = int32(k)
				ix.gramStart[g+1]++
			}
		})
	}
	for g := 1; g <= gramCount; g++ {
		ix.gramStart[g] += ix.gramStart[g-1]
	}
	ix.gramKeys = make([]int32, ix.gramStart[gramCount])
	fill := last // reuse: next free slot per trigram
	copy(fill, ix.gramStart[:gramCount])
	for k, e := range ix.keys {
		forEachTrigram(e.key, func(g uint32) {
			if p := fill[g]; p == ix.gramStart[g] || ix.gramKeys[p-1] != int32(k) {
				ix.gramKeys[p] = int32(k)
				fill[g]++
			}
		})
	}
	n := len(ix.keys)
	ix.counts.New = func() any { s := make([]uint16, n); return &s }
	return ix
}

// sortKeys orders keys by key, then commune. It sorts small records led by
// the first 8 bytes of each key as a number, so most comparisons are one
// integer compare in cache rather than a string compare through a
// pointer; that halves the cost of building the index.
func sortKeys(keys []nameKey) {
	type item struct {
		head uint64
		at   int32
	}
	items := make([]item, len(keys))
	for k, e := range keys {
		var h uint64
		for i := range 8 {
			h <<= 8
			if i < len(e.key) {
				h |= uint64(e.key[i])
			}
		}
		items[k] = item{h, int32(k)}
	}
	slices.SortFunc(items, func(a, b item) int {
		if a.head != b.head {
			return cmp.Compare(a.head, b.head)
		}
		ka, kb := &keys[a.at], &keys[b.at]
		if c := strings.Compare(ka.key, kb.key); c != 0 {
			return c
		}
		return cmp.Compare(ka.commune, kb.commune)
	})
	sorted := make([]nameKey, len(keys))
	for k, it := range items {
		sorted[k] = keys[it.at]
	}
	copy(keys, sorted)
}

// postings returns the keys holding trigram g.
func (ix *nameIndex) postings(g uint32) []int32 {
	return ix.gramKeys[ix.gramStart[g]:ix.gramStart[g+1]]
}

// exact returns the indexes into keys whose key is exactly f.
func (ix *nameIndex) exact(f string) []int32 {
	start := sort.Search(len(ix.keys), func(k int) bool { return ix.keys[k].key >= f })
	var out []int32
	for k := start; k < len(ix.keys) && ix.keys[k].key == f; k++ {
		out = append(out, int32(k))
	}
	return out
}

// stripArticle drops a leading French article: "l isle sur la sorgue" →
// "isle sur la sorgue", so both spellings find the commune.
func stripArticle(f string) string {
	for _, a := range [...]string{"l ", "le ", "la ", "les "} {
		if rest, ok := strings.CutPrefix(f, a); ok && rest != "" {
			return rest
		}
	}
	return f
}

// forEachTrigram calls fn with the number of every byte trigram of
// " key ".
func forEachTrigram(key string, fn func(uint32)) {
	a, b := gramSymbol(' '), uint32(0)
	for i := 0; i <= len(key); i++ {
		c := gramSymbol(' ')
		if i < len(key) {
			c = gramSymbol(key[i])
		}
		if i == 0 {
			b = c
			continue
		}
		fn((a*gramSymbols+b)*gramSymbols + c)
		a, b = b, c
	}
}

// maxEdits is how many typos a folded query of n bytes may carry: one in
// a short name, two in most, three only in long ones, where the trigram
// filter stays selective.
func maxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	case n <= 16:
		return 2
	}
	return 3
}

// keyScore scores folded query q against folded key; 0 is no match.
// popRank (0..1) orders communes inside a tier without crossing tiers.
func keyScore(q, key string, kind keyKind, popRank float64) float64 {
	var s float64
	ratio := float64(len(q)) / float64(max(len(key), 1))
	switch {
	case key == q:
		s = 1
	case strings.HasPrefix(key, q):
		s = 0.80 + 0.10*ratio + 0.05*popRank
	case equalIgnoringSpaces(q, key):
		// "Châteaubernard" typed as "Chateau Bernard", or the reverse.
		s = 0.96
	case containsWord(key, q):
		s = 0.70 + 0.05*ratio + 0.04*popRank
	default:
		limit := maxEdits(len(q))
		if limit == 0 || abs(len(key)-len(q)) > limit {
			return 0
		}
		if letterBound(q, key) > limit {
			return 0
		}
		d := editDistance(q, key, limit)
		if d > limit {
			return 0
		}
		s = 0.40 + 0.25*(1-float64(d)/float64(len(q)+1)) + 0.04*popRank
	}
	return s - kind.penalty()
}

// letterBound is a cheap lower bound of the edit distance: a substitution
// changes the byte counts of two symbols, an insertion or deletion of
// one, a transposition of none, so the distance is at least half the L1
// difference of the two byte histograms (over the gram alphabet).
func letterBound(a, b string) int {
	var h [gramSymbols]int16
	for i := 0; i < len(a); i++ {
		h[gramSymbol(a[i])]++
	}
	for i := 0; i < len(b); i++ {
		h[gramSymbol(b[i])]--
	}
	sum := 0
	for _, v := range h {
		sum += abs(int(v))
	}
	return (sum + 1) / 2
}

// containsWord reports whether q occurs in key at the start of a word.
func containsWord(key, q string) bool {
	for from := 0; from < len(key); {
		i := strings.Index(key[from:], q)
		if i < 0 {
			return false
		}
		if at := from + i; at == 0 || key[at-1] == ' ' {
			return true
		}
		from += i + 1
	}
	return false
}

// equalIgnoringSpaces reports whether a and b are equal once their spaces
// are removed, without allocating.
func equalIgnoringSpaces(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i] == ' ' {
			i++
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions, adjacent transpositions, on
// bytes), or limit+1 when it exceeds limit. Only the diagonal band
// |i-j| <= limit can hold a value within the limit, so only it is filled.
func editDistance(a, b string, limit int) int {
	far := limit + 1
	if limit < 0 || abs(len(a)-len(b)) > limit {
		return far
	}
	n := len(b)
	// Three rows: two back for transpositions.
	var buf [3][64]int
	var prev2, prev, cur []int
	if n+1 <= 64 {
		prev2, prev, cur = buf[0][:n+1], buf[1][:n+1], buf[2][:n+1]
	} else {
		prev2, prev, cur = make([]int, n+1), make([]int, n+1), make([]int, n+1)
	}
	for j := range prev {
		prev[j] = min(j, far)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(n, i+limit)
		cur[lo-1] = far
		if lo == 1 {
			cur[0] = min(i, far)
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			v = min(v, far)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < n {
			cur[hi+1] = far
		}
		if rowMin >= far {
			return far
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n]
}

// search scores every commune whose name may match folded query q and
// returns the best score per commune (unsorted).
func (ix *nameIndex) search(q string) map[int32]float64 {
	found := map[int32]float64{}
	add := func(k int32) {
		e := ix.keys[k]
		if s := keyScore(q, e.key, e.kind, ix.popRank[e.commune]); s > found[e.commune] {
			found[e.commune] = s
		}
	}
	if q == "" {
		return found
	}
	// Prefix range (exact keys sort first in it).
	start := sort.Search(len(ix.keys), func(k int) bool { return ix.keys[k].key >= q })
	for k := start; k < len(ix.keys) && strings.HasPrefix(ix.keys[k].key, q); k++ {
		add(int32(k))
	}
	// Trigram candidates: an insertion, deletion or substitution changes at
	// most 3 trigrams and an adjacent transposition at most 4, so a key
	// within the edit limit shares at least total-4·limit of them; a word
	// inside the key shares them all but the first.
	var grams []uint32
	forEachTrigram(q, func(g uint32) {
		if !slices.Contains(grams, g) {
			grams = append(grams, g)
		}
	})
	// The bound holds for any subset of q's trigrams, so the most common
	// ones ("sai", "ain", "int" of the 3,900 Saint-…) are left out while
	// the subset stays selective: that skips most postings.
	limit := maxEdits(len(q))
	slices.SortFunc(grams, func(a, b uint32) int {
		return cmp.Compare(len(ix.postings(a)), len(ix.postings(b)))
	})
	if keep := 4*limit + 3; len(grams) > keep {
		grams = grams[:keep]
	}
	need := max(1, len(grams)-max(1, 4*limit))
	countsP := ix.counts.Get().(*[]uint16)
	counts := *countsP
	var touched []int32
	for _, g := range grams {
		for _, k := range ix.postings(g) {
			if counts[k] == 0 {
				touched = append(touched, k)
			}
			counts[k]++
		}
	}
	for _, k := range touched {
		// Only a key holding every trigram can contain q (prefix or word);
		// any other must be within the edit limit, so near q's length.
		if c := int(counts[k]); c >= len(grams)-1 || (c >= need && abs(len(ix.keys[k].key)-len(q)) <= limit) {
			add(k)
		}
		counts[k] = 0
	}
	ix.counts.Put(countsP)
	return found
}

// query is a search text split into a folded name and code-like tokens.
type query struct {
	name  string   // folded, without codes, CEDEX and arrondissement markers
	codes []string // 5-character tokens that may be postal or INSEE codes
	deps  []string // short numbers that may be a département ("12", "2A", "974")
	// depNamed is set when deps holds a département named in words, which
	// is no arrondissement.
	depNamed bool
}

func parseQuery(text string) query {
	var q query
	var words []string
	fields := strings.Fields(Fold(text))
	for i := 0; i < len(fields); i++ {
		w := fields[i]
		switch {
		case isCodeToken(w):
			q.codes = append(q.codes, strings.ToUpper(w))
		case w == "commune" && i+1 < len(fields) && fields[i+1] == "nouvelle":
			// "Jugon-les-Lacs - Commune nouvelle"
			i++
		case w == "cedex":
			for i+1 < len(fields) && isNumber(fields[i+1]) {
				i++
			}
		case isArrondissementMarker(w):
			// "Paris 15e", "Marseille 8e arrondissement", "Lyon 3": the
			// commune is the city itself. A bare number may also be a
			// département ("Saint-Denis 93"): kept as a hint.
			if dep := departementCode(w); dep != "" {
				q.deps = append(q.deps, dep)
			}
		case w == "2a" || w == "2b":
			q.deps = append(q.deps, strings.ToUpper(w))
		default:
			words = append(words, w)
		}
	}
	q.name = strings.Join(words, " ")
	return q
}

// departementCode reads a bare number as a département code: "1" → "01",
// "12", "974"; "" when it cannot be one.
func departementCode(w string) string {
	if !isNumber(w) {
		return ""
	}
	switch len(w) {
	case 1:
		return "0" + w
	case 2:
		return w
	case 3:
		if w[:2] == "97" || w[:2] == "98" {
			return w
		}
	}
	return ""
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// isCodeToken: "12400", "75056", "2a004".
func isCodeToken(w string) bool {
	if len(w) != 5 {
		return false
	}
	if isNumber(w) {
		return true
	}
	return (w[:2] == "2a" || w[:2] == "2b") && isNumber(w[2:])
}

func isArrondissementMarker(w string) bool {
	switch w {
	case "arrondissement", "arr", "arrdt", "arrt", "er", "eme":
		return true
	}
	digits := len(w) - len(strings.TrimLeft(w, "0123456789"))
	if digits == 0 || digits > 2 {
		return false
	}
	switch w[digits:] {
	case "", "e", "er", "eme", "ieme", "em":
		return true
	}
	return false
}

// match scores the communes q may mean; byCode are those its codes name.
func (r *Reference) match(names *nameIndex, q query, byCode []int32) map[int32]float64 {
	found := map[int32]float64{}
	if q.name == "" {
		for _, i := range byCode {
			found[i] = 1
		}
		return found
	}
	for _, i := range byCode {
		s := keyScore(q.name, names.folded[i], currentName, names.popRank[i])
		if a := names.alt[i]; a != "" {
			s = max(s, keyScore(q.name, a, withoutArticle, names.popRank[i]))
		}
		for _, fo := range names.former[i] {
			s = max(s, keyScore(q.name, fo, formerName, names.popRank[i]))
		}
		if s > 0 {
			found[i] = s
		}
	}
	if len(found) == 0 {
		found = names.search(q.name)
	}
	if len(q.deps) == 0 {
		return found
	}
	// A number after Paris, Lyon or Marseille is an arrondissement, not a
	// département.
	if !q.depNamed && (found[r.cityWithArrondissements("75056")] == 1 ||
		found[r.cityWithArrondissements("69123")] == 1 || found[r.cityWithArrondissements("13055")] == 1) {
		return found
	}
	inDep := map[int32]float64{}
	for i, s := range found {
		if slices.Contains(q.deps, r.communes[i].Departement) {
			inDep[i] = s
		}
	}
	// A number is only a hint: ignored when it leaves nothing. A named
	// département is a requirement.
	if len(inDep) > 0 || q.depNamed {
		return inDep
	}
	return found
}

func bestScore(found map[int32]float64) float64 {
	best := 0.0
	for _, s := range found {
		best = max(best, s)
	}
	return best
}

// cutDepartementName cuts a trailing département name from a folded query
// ("saint denis reunion", "saint affrique aveyron") and returns the rest
// and the département code; the name is kept whole when nothing else
// would remain.
func (r *Reference) cutDepartementName(name string) (string, string) {
	words := strings.Fields(name)
	for k := min(4, len(words)-1); k >= 1; k-- {
		code, ok := r.depByName[strings.Join(words[len(words)-k:], " ")]
		// "Villiers-sur-Marne" with a typo is still no "Villiers" in the Marne.
		if ok && !isLinkWord(words[len(words)-k-1]) {
			return strings.Join(words[:len(words)-k], " "), code
		}
	}
	return name, ""
}

// isLinkWord reports whether w joins a commune's name to a river or a
// region named like a département ("sur", "en", "lès", ...).
func isLinkWord(w string) bool {
	switch w {
	case "sur", "sous", "en", "de", "du", "des", "d", "la", "le", "les", "l", "lez", "aux", "au", "et":
		return true
	}
	return false
}

// cityWithArrondissements returns the index of Paris, Lyon or Marseille,
// or -1 when a custom reference lacks it.
func (r *Reference) cityWithArrondissements(code string) int32 {
	if i, ok := r.index(code); ok {
		return i
	}
	return -1
}

// Find searches communes by name, forgiving accents, case, hyphens,
// apostrophes, "St"/"Saint", a missing article and typos. The text may
// also carry a postal code or an INSEE code: "Saint-Affrique 12400",
// "12400" and "12208" all find Saint-Affrique (an arrondissement code such
// as 75115 finds Paris); with both a name and a
// code, communes of that code whose name matches come first. A trailing
// département code or name ("Saint-Denis 93", "Saint-Denis Réunion")
// narrows the matches to that département. Matches are
// sorted by score, then population; at most limit are returned
// (DefaultLimit when limit <= 0). A text longer than MaxQueryBytes finds
// nothing.
func (r *Reference) Find(text string, limit int) []Match {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(text) > MaxQueryBytes {
		return nil
	}
	q := parseQuery(text)
	names := r.names()
	var byCode []int32
	for _, code := range q.codes {
		if i, ok := r.index(code); ok {
			byCode = append(byCode, i)
		} else if i, ok := r.index(CityOfArrondissement(code)); ok {
			byCode = append(byCode, i)
		}
		byCode = append(byCode, r.byPostal[code]...)
	}
	found := r.match(names, q, byCode)
	// A trailing département name ("saint denis aude") is tried cut off,
	// and wins only if it matches better than the whole text: "Villiers-
	// sur-Marne" stays a name.
	if name, dep := r.cutDepartementName(q.name); dep != "" {
		cut := q
		cut.name, cut.deps, cut.depNamed = name, []string{dep}, true
		if alt := r.match(names, cut, byCode); bestScore(alt) > bestScore(found) {
			found = alt
		}
	}
	out := make([]Match, 0, min(len(found), limit))
	order := make([]int32, 0, len(found))
	for i := range found {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(found[b], found[a]); c != 0 {
			return c
		}
		return r.morePopulous(a, b)
	})
	for _, i := range order[:min(len(order), limit)] {
		out = append(out, Match{Commune: r.communes[i], Score: math.Round(found[i]*1e4) / 1e4})
	}
	return out
}

// Resolve returns the commune meant by a postal code and a commune name as
// written in a data file ("ST AFFRIQUE", "Saint-Affrique",
// "CHÂTEAUBERNARD", "PARIS 15E ARRONDISSEMENT", "X CEDEX"). It is how an
// importer derives a missing INSEE code, so it refuses to guess: it
// returns false when no commune of that postal code bears that name (up to
// a typo or two) or when several do. When the name is exact but the
// postal code is not one of that commune's (a typo, CEDEX or business
// code), the name is accepted if it is unique in the département the code
// points to. A commune nouvelle is found by the name of one of its members
// when that name is part of its own ("Oullins" → Oullins-Pierre-Bénite),
// if no other commune of the postal code matches so. A name that exists
// as written is never bent into another by the typo tolerance.
func (r *Reference) Resolve(postalCode, name string) (Commune, bool) {
	if len(name) > MaxQueryBytes {
		return Commune{}, false
	}
	cp := strings.TrimSpace(postalCode)
	q := parseQuery(name)
	names := r.names()
	cands := r.byPostal[cp]
	if q.name == "" {
		if len(cands) == 1 {
			return r.communes[cands[0]], true
		}
		return Commune{}, false
	}
	qa := stripArticle(q.name)
	sameName := func(i int32) bool {
		f := names.folded[i]
		return f == q.name || stripArticle(f) == qa || equalIgnoringSpaces(stripArticle(f), qa)
	}
	var exact []int32
	for _, i := range cands {
		if sameName(i) {
			exact = append(exact, i)
		}
	}
	if len(exact) == 0 {
		// A name from before a merger or a renaming ("Hesdin", 62140).
		for _, i := range cands {
			if slices.Contains(names.former[i], q.name) || slices.Contains(names.former[i], qa) {
				exact = append(exact, i)
			}
		}
	}
	if len(exact) == 1 {
		return r.communes[exact[0]], true
	}
	if len(exact) > 1 {
		return Commune{}, false
	}
	// The name is exact but the postal code belongs to another commune
	// (a typo in the code, a CEDEX or business code): accept the name if
	// it is unique in the département the code points to.
	deps := departementsOfPostalCode(cp)
	var elsewhere, inDep []int32
	for _, key := range []string{q.name, qa} {
		for _, k := range names.exact(key) {
			i := names.keys[k].commune
			if slices.Contains(elsewhere, i) {
				continue
			}
			elsewhere = append(elsewhere, i)
			if slices.Contains(deps, r.communes[i].Departement) {
				inDep = append(inDep, i)
			}
		}
	}
	if len(inDep) == 1 {
		return r.communes[inDep[0]], true
	}
	// A commune nouvelle named after its members ("Oullins" or
	// "Pierre-Bénite" for Oullins-Pierre-Bénite, "Mosnac" for
	// Mosnac-Saint-Simeux), or a name written with a qualifier the
	// commune's lacks ("Vorey sur Arzon" for Vorey): whole words, and
	// unique among the communes of the postal code.
	if len(qa) >= 4 {
		var within []int32
		for _, i := range cands {
			f := stripArticle(names.folded[i])
			if strings.Contains(" "+f+" ", " "+qa+" ") || strings.HasPrefix(qa, f+" ") {
				within = append(within, i)
			}
		}
		if len(within) == 1 {
			return r.communes[within[0]], true
		}
	}
	// A name that exists as written is not a typo: do not bend it into
	// another commune's name ("Ardres" is not "Andres").
	if len(elsewhere) > 0 {
		return Commune{}, false
	}
	// A typo in the file: unique closest name of that postal code within
	// the edit limit.
	limit := maxEdits(len(qa))
	best, bestD, tie := int32(-1), limit+1, false
	for _, i := range cands {
		d := editDistance(qa, stripArticle(names.folded[i]), limit)
		switch {
		case d < bestD:
			best, bestD, tie = i, d, false
		case d == bestD && d <= limit:
			tie = true
		}
	}
	if best >= 0 && bestD <= limit && !tie {
		return r.communes[best], true
	}
	return Commune{}, false
}

// CityOfArrondissement maps the INSEE code of a municipal arrondissement
// of Paris (75101–75120), Lyon (69381–69389) or Marseille (13201–13216),
// which some files give as a commune code, to the code of its commune
// (75056, 69123, 13055). Any other code is returned unchanged.
func CityOfArrondissement(code string) string {
	if len(code) != 5 || !isNumber(code) {
		return code
	}
	n := 0
	for i := 0; i < 5; i++ {
		n = n*10 + int(code[i]-'0')
	}
	switch {
	case n >= 75101 && n <= 75120:
		return "75056"
	case n >= 69381 && n <= 69389:
		return "69123"
	case n >= 13201 && n <= 13216:
		return "13055"
	}
	return code
}

// departementsOfPostalCode returns the départements a postal code may
// belong to: its first two digits, three overseas, and both Corsican
// départements for 20xxx.
func departementsOfPostalCode(cp string) []string {
	if len(cp) != 5 || !isNumber(cp) {
		return nil
	}
	switch {
	case cp[:2] == "20":
		return []string{"2A", "2B"}
	case cp[:2] == "97" || cp[:2] == "98":
		return []string{cp[:3]}
	}
	return []string{cp[:2]}
}
