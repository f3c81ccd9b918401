package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runCommunes(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestCommunesFindJSON(t *testing.T) {
	tests := []struct {
		args      []string
		firstCode string
		firstName string
		n         int // expected count, 0 = do not check
		group     string
	}{
		{[]string{"communes", "find", "St Afrique", "--format", "json"}, "12208", "Saint-Affrique", 1, "intermediaire"},
		{[]string{"communes", "find", "--format", "json", "Saint-Affrique", "12400"}, "12208", "Saint-Affrique", 1, "intermediaire"},
		{[]string{"communes", "find", "12400", "--format", "json", "--limit", "3"}, "12208", "Saint-Affrique", 3, "intermediaire"},
		{[]string{"communes", "find", "75015", "--format", "json"}, "75056", "Paris", 1, "dense"},
		{[]string{"communes", "find", "isle sur la sorgue", "--format", "json", "--limit", "1"}, "84054", "L'Isle-sur-la-Sorgue", 1, ""},
	}
	for _, tt := range tests {
		code, out, errOut := runCommunes(t, tt.args...)
		if code != exitOK {
			t.Errorf("%v: exit %d, stderr %s", tt.args, code, errOut)
			continue
		}
		var doc struct {
			Communes []struct {
				Code        string   `json:"code"`
				Name        string   `json:"nom"`
				PostalCodes []string `json:"codes_postaux"`
				Lat         float64  `json:"lat"`
				Lon         float64  `json:"lon"`
				Departement string   `json:"departement"`
				Population  int      `json:"population"`
				Score       *float64 `json:"score"`
				Density     struct {
					Class int    `json:"classe"`
					Label string `json:"libelle"`
					Group string `json:"groupe"`
				} `json:"densite"`
			} `json:"communes"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Errorf("%v: output is not JSON: %v\n%s", tt.args, err, out)
			continue
		}
		if len(doc.Communes) == 0 {
			t.Errorf("%v: no communes", tt.args)
			continue
		}
		first := doc.Communes[0]
		if first.Code != tt.firstCode || first.Name != tt.firstName {
			t.Errorf("%v: first = %s %s, want %s %s", tt.args, first.Code, first.Name, tt.firstCode, tt.firstName)
		}
		if tt.n != 0 && len(doc.Communes) != tt.n {
			t.Errorf("%v: %d communes, want %d", tt.args, len(doc.Communes), tt.n)
		}
		if tt.group != "" && first.Density.Group != tt.group {
			t.Errorf("%v: groupe = %q, want %q", tt.args, first.Density.Group, tt.group)
		}
		if first.Score == nil || *first.Score <= 0 || first.Lat == 0 || first.Lon == 0 || len(first.PostalCodes) == 0 || first.Population == 0 || first.Density.Label == "" {
			t.Errorf("%v: incomplete commune %+v", tt.args, first)
		}
	}
}

func TestCommunesFindText(t *testing.T) {
	code, out, _ := runCommunes(t, "communes", "find", "saint affrique")
	if code != exitOK || !strings.HasPrefix(out, "12208  Saint-Affrique") || !strings.Contains(out, "Petites villes") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCommunesShow(t *testing.T) {
	code, out, errOut := runCommunes(t, "communes", "show", "12208", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Commune     struct{ Code, Nom string }
		Departement struct {
			Nom         string  `json:"nom"`
			Share60Plus float64 `json:"part_60_plus"`
		}
		Region struct {
			Nom string `json:"nom"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Commune.Code != "12208" || doc.Departement.Nom != "Aveyron" || doc.Region.Nom != "Occitanie" || doc.Departement.Share60Plus < 0.3 {
		t.Errorf("show 12208 = %+v", doc)
	}
	code, out, _ = runCommunes(t, "communes", "show", "2a004")
	if code != exitOK || !strings.Contains(out, "Ajaccio") || !strings.Contains(out, "Corse-du-Sud") {
		t.Errorf("show 2a004: exit %d\n%s", code, out)
	}
}

func TestCommunesErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"communes", "find", "zzzzqqq"}, exitRejected, `no commune matches "zzzzqqq"`},
		{[]string{"communes", "find"}, exitUsage, "needs a TEXT"},
		{[]string{"communes", "find", "x", "--limit", "0"}, exitUsage, "--limit"},
		{[]string{"communes", "find", "x", "--format", "xml"}, exitUsage, "not one of"},
		{[]string{"communes", "show", "99999"}, exitRejected, `no commune has INSEE code "99999"`},
		{[]string{"communes", "show"}, exitUsage, "exactly one INSEE code"},
		{[]string{"communes", "fnd"}, exitUsage, `did you mean "find"`},
		{[]string{"communes"}, exitUsage, "needs a subcommand"},
	}
	for _, tt := range tests {
		code, _, errOut := runCommunes(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
	code, out, _ := runCommunes(t, "communes", "find", "--help")
	if code != exitOK || !strings.Contains(out, "--limit") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
