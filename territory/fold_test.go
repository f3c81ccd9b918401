package territory

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Saint-Affrique", "saint affrique"},
		{"ST AFFRIQUE", "saint affrique"},
		{"St-Affrique", "saint affrique"},
		{"Ste-Anastasie", "sainte anastasie"},
		{"Stella-Plage", "stella plage"}, // "st" only as a whole word
		{"L'Isle-sur-la-Sorgue", "l isle sur la sorgue"},
		{"L’Haÿ-les-Roses", "l hay les roses"},
		{"Évry-Courcouronnes", "evry courcouronnes"},
		{"CHÂTEAUBERNARD", "chateaubernard"},
		{"Œuilly", "oeuilly"},
		{"Saint-Jean-de-Luz ", "saint jean de luz"},
		{"  Paris   15e  ", "paris 15e"},
		{"Fa\u0301a\u0300\u0101", "faaa"}, // decomposed accents
		{"Faaʻa", "faa a"},
		{"Pont-l'Évêque", "pont l eveque"},
		{"", ""},
		{"---", ""},
		{"\xff\xfe", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldAllCommuneNames(t *testing.T) {
	r := mustDefault(t)
	for c := range r.All() {
		f := Fold(c.Name)
		if f == "" || Fold(f) != f {
			t.Errorf("Fold(%q) = %q is empty or not stable", c.Name, f)
		}
		for i := 0; i < len(f); i++ {
			if b := f[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == ' ') {
				t.Errorf("Fold(%q) = %q keeps byte %q", c.Name, f, b)
				break
			}
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Saint-Affrique", "ST AFFRIQUE", "L'Isle-sur-la-Sorgue", "Évry-Courcouronnes", "Faaʻa", "Ste", "st st", "İstanbul", "ǅ", "\xff", "Œ Æ ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, got, again)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, got)
		}
		if got != strings.ToLower(got) {
			t.Fatalf("Fold(%q) = %q is not lower case", s, got)
		}
	})
}

func FuzzFind(f *testing.F) {
	r := mustDefault(f)
	for _, s := range []string{"Saint-Affrique 12400", "st afrique", "12400", "2A004", "Paris 15e", "ANGOULEME CEDEX 9", "l isle sur la sorge", "e", "99999 zz", "saint saint saint"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, text string, limit int) {
		got := r.Find(text, limit)
		want := limit
		if limit <= 0 {
			want = DefaultLimit
		}
		checkMatches(t, text, got, want)
		// An exact name (score 1) must fold to the query's name part or
		// come from a code in the query.
		q := parseQuery(text)
		for _, m := range got {
			if m.Score == 1 && q.name != "" && Fold(m.Commune.Name) != q.name {
				t.Fatalf("Find(%q): %q scored 1 but its name folds to %q, not %q", text, m.Commune.Name, Fold(m.Commune.Name), q.name)
			}
		}
	})
}

func FuzzParseTable(f *testing.F) {
	f.Add(tableHeader + "\nR\t76\tOccitanie\tmetro\nD\t12\tAveyron\t76\tmetro\t279504\t101034\nC\t12208\tSaint-Affrique\t12400\t439571\t28533\t7924\t3\t\nC\t62447\tHesdin-la-Forêt\t62140\t503780\t20412\t4480\t3\tHesdin\n")
	f.Add(tableHeader + "\nC\t1\t2\n")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := parseTable(text)
		if err != nil {
			if d != nil {
				t.Fatal("decoded data returned with an error")
			}
			return
		}
		// Whatever decodes either loads or is rejected with the sentinel.
		if _, err := Load(t.Context(), memSource{communes: d.communes, deps: d.departements, regions: d.regions}); err != nil && !strings.Contains(err.Error(), "invalid reference") {
			t.Fatalf("Load error without the sentinel: %v", err)
		}
	})
}

// fullEditDistance is the textbook OSA distance, to check the banded one.
func fullEditDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func FuzzEditDistance(f *testing.F) {
	for _, p := range [][2]string{{"saint afrique", "saint affrique"}, {"sanit", "saint"}, {"", "abc"}, {"abcdef", "badcfe"}, {"ca", "abc"}} {
		f.Add(p[0], p[1], 2)
	}
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if len(a) > 80 || len(b) > 80 {
			return
		}
		limit = ((limit % 5) + 5) % 5
		want := min(fullEditDistance(a, b), limit+1)
		if got := editDistance(a, b, limit); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
	})
}
