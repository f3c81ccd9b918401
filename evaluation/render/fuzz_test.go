package render

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/passerelle-sante/passerelle/evaluation"
)

// FuzzRender puts arbitrary text where the data puts keys (a place id, a
// département, a territory name) and checks the properties every rendering
// promises: the page shows the text escaped only, the CSV reads back with the
// same key in the same column, and the JSON reads back.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"16015", "2A", "mediation-numerique-conseiller-numerique-63d29db4e6d6a806f256459a", `<script>alert(1)</script>`,
		"Saint-Étienne;Loire", "a\"b\r\nc", "]]></svg>", "&amp;", "\ufeff"} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, key string, count int) {
		if !utf8.ValidString(key) {
			return
		}
		r := fixture()
		r.Referrals.ByPlace = []evaluation.FunnelRow{{Key: key, Funnel: evaluation.Funnel{Proposed: evaluation.Count{N: count}}}}
		r.Network.ByKind = []evaluation.KeyCount{{Key: key, Count: evaluation.Count{N: count}}}
		r.Territory.Name = key
		var h bytes.Buffer
		if err := HTML(&h, r, nil); err != nil {
			t.Fatal(err)
		}
		// The same page with a harmless key has as many tags: the key
		// added none.
		plain := fixture()
		plain.Referrals.ByPlace = []evaluation.FunnelRow{{Key: "k", Funnel: evaluation.Funnel{Proposed: evaluation.Count{N: count}}}}
		plain.Network.ByKind = []evaluation.KeyCount{{Key: "k", Count: evaluation.Count{N: count}}}
		plain.Territory.Name = "k"
		var p bytes.Buffer
		if err := HTML(&p, plain, nil); err != nil {
			t.Fatal(err)
		}
		if a, b := strings.Count(h.String(), "<"), strings.Count(p.String(), "<"); a != b {
			t.Fatalf("the key %q put %d tags in the page", key, a-b)
		}
		var c bytes.Buffer
		if err := CSV(&c, r, French); err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.String(), bom)))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not read back: %v", err)
		}
		found := false
		for _, rec := range recs {
			if len(rec) != 8 {
				t.Fatalf("a CSV row has %d fields: %q", len(rec), rec)
			}
			if rec[1] == "network.by_kind.count" && rec[3] == strings.ReplaceAll(key, "\r\n", "\n") {
				found = true
			}
		}
		if !found && !strings.Contains(key, "\r") {
			t.Fatalf("the key %q is not in the CSV", key)
		}
		var j bytes.Buffer
		if err := JSON(&j, r); err != nil {
			t.Fatal(err)
		}
	})
}
