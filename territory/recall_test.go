package territory

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFindOwnNames: every commune is found by its exact name, with score 1
// (homonyms share the top; most populous first).
func TestFindOwnNames(t *testing.T) {
	r := mustDefault(t)
	step := 5
	if testing.Short() || raceEnabled {
		step = 61
	}
	for i := 0; i < len(r.communes); i += step {
		c := r.communes[i]
		got := r.Find(c.Name, 400)
		k := slices.IndexFunc(got, func(m Match) bool { return m.Commune.Code == c.Code })
		if k < 0 || got[k].Score != 1 {
			t.Errorf("Find(%q) misses %s or scores it below 1", c.Name, c.Code)
		}
	}
}

// typo applies one random edit (delete, insert, substitute, swap) to a
// lower-case ASCII name.
func typo(rng *rand.Rand, s string) string {
	b := []byte(s)
	i := rng.IntN(len(b))
	letter := byte('a' + rng.IntN(26))
	switch rng.IntN(4) {
	case 0:
		return string(slices.Delete(b, i, i+1))
	case 1:
		return string(slices.Insert(b, i, letter))
	case 2:
		b[i] = letter
		return string(b)
	default:
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		}
		return string(b)
	}
}

// TestFindTypoRecall: a name with one typo still finds its commune among
// the first 10 matches (or a homonym of it). Names of 5 letters or more;
// a typo can turn a short name into another real name, so recall is
// measured, and must stay high.
func TestFindTypoRecall(t *testing.T) {
	r := mustDefault(t)
	rng := rand.New(rand.NewPCG(7, 11))
	names := r.names()
	var tried, found int
	stride := 17
	if raceEnabled {
		stride = 71
	}
	for i := 0; i < len(r.communes); i += stride {
		f := names.folded[i]
		if len(f) < 5 {
			continue
		}
		q := typo(rng, f)
		tried++
		hit := false
		for _, m := range r.Find(q, 10) {
			if Fold(m.Commune.Name) == f {
				hit = true
				break
			}
		}
		if hit {
			found++
		} else {
			t.Logf("typo %q of %q: not in the first 10", q, f)
		}
	}
	recall := float64(found) / float64(tried)
	t.Logf("one-typo recall@10: %d/%d = %.3f", found, tried, recall)
	if recall < 0.98 || tried < 400 {
		t.Errorf("one-typo recall@10 = %.3f, want >= 0.98 over at least 400 names (%d)", recall, tried)
	}
}

// TestFindTwoTypoRecall: two typos in a name of 8 letters or more.
func TestFindTwoTypoRecall(t *testing.T) {
	r := mustDefault(t)
	rng := rand.New(rand.NewPCG(3, 5))
	names := r.names()
	stride := 17
	if raceEnabled {
		stride = 71
	}
	var tried, found int
	for i := 0; i < len(r.communes); i += stride {
		f := names.folded[i]
		if len(f) < 8 {
			continue
		}
		q := typo(rng, typo(rng, f))
		tried++
		if slices.ContainsFunc(r.Find(q, 10), func(m Match) bool { return Fold(m.Commune.Name) == f }) {
			found++
		} else {
			t.Logf("typos %q of %q: not in the first 10", q, f)
		}
	}
	recall := float64(found) / float64(tried)
	t.Logf("two-typo recall@10: %d/%d = %.3f", found, tried, recall)
	if recall < 0.95 || tried < 300 {
		t.Errorf("two-typo recall@10 = %.3f, want >= 0.95 over at least 300 names (%d)", recall, tried)
	}
}
