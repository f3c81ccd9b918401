package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A miniature of the five source files with each join case: a commune
// found by code, one whose code changed (Conques-en-Rouergue), one restored
// out of a dissolved commune nouvelle (Celles out of Neussargues), one
// without a geo.api population, and a COM outside the grid and without a
// COG population.
var miniature = map[string]string{
	CommunesFile: `code_insee,nom,departement,region,zone,codes_postaux,population
12208,Saint-Affrique,12,76,metro,12400,7941
12218,Conques-en-Rouergue,12,76,metro,12320,1540
15031,Celles,15,84,metro,15170,217
15141,Neussargues-Moissac,15,84,metro,15170,824
97502,Saint-Pierre,975,975,com,97500,
`,
	CentroidsFile: `code_insee,nom,dep,lat,lon,population
12208,Saint-Affrique,12,43.9571,2.8533,7924
12218,Conques-en-Rouergue,12,44.5992,2.3986,1549
15031,Celles,15,45.1023,2.9554,
15141,Neussargues-Moissac,15,45.1366,2.9772,810
97502,Saint-Pierre,975,46.7811,-56.1764,5194
`,
	DensityFile: `CODGEO,LIBGEO,DENS,LIBDENS,PMUN21
12208,Saint-Affrique,3,Petites villes,7900
12076,Conques-en-Rouergue,6,Rural à habitat dispersé,1500
15141,Neussargues en Pinatelle,7,Rural à habitat très dispersé,1653
`,
	AdminFile: `kind,code,nom,region,zone
region,76,Occitanie,,metro
region,84,Auvergne-Rhône-Alpes,,metro
region,975,Saint-Pierre-et-Miquelon,,com
departement,12,Aveyron,76,metro
departement,15,Cantal,84,metro
departement,975,Saint-Pierre-et-Miquelon,975,com
`,
	PopulationAgeFile: `dep,nom,pop_0_19,pop_20_39,pop_40_59,pop_60_74,pop_75_plus,pop_total
12,Aveyron,54728,52359,71383,60413,40621,279504
15,Cantal,27000,26000,36000,30000,22000,141000
`,
}

func writeMiniature(t *testing.T, change func(map[string]string)) string {
	t.Helper()
	files := map[string]string{}
	for k, v := range miniature {
		files[k] = v
	}
	if change != nil {
		change(files)
	}
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildJoins(t *testing.T) {
	table, rep, err := Build(writeMiniature(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(table), "\n"), "\n")
	if lines[0] != Header {
		t.Fatalf("header %q", lines[0])
	}
	want := []string{
		"R\t76\tOccitanie\tmetro",
		"D\t12\tAveyron\t76\tmetro\t279504\t101034",
		"D\t975\tSaint-Pierre-et-Miquelon\t975\tcom\t0\t0",
		"C\t12208\tSaint-Affrique\t12400\t439571\t28533\t7941\t3\t",
		"C\t12218\tConques-en-Rouergue\t12320\t445992\t23986\t1540\t6\t",
		"C\t15031\tCelles\t15170\t451023\t29554\t217\t7\t",
		"C\t15141\tNeussargues-Moissac\t15170\t451366\t29772\t824\t7\tNeussargues en Pinatelle",
		"C\t97502\tSaint-Pierre\t97500\t467811\t-561764\t5194\t0\t",
	}
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("table lacks %q:\n%s", w, table)
		}
	}
	if rep.Communes != 5 || rep.DensityByCode != 2 || rep.FormerNames != 1 ||
		!slices.Equal(rep.DensityByRenamedCode, []string{"12218<-12076"}) ||
		!slices.Equal(rep.DensityBySplit, []string{"15031<-15141"}) ||
		!slices.Equal(rep.DensityUnknown, []string{"97502"}) ||
		!slices.Equal(rep.PopulationFromGeoAPI, []string{"97502"}) || rep.PopulationDiffers != 3 {
		t.Errorf("report = %+v", rep)
	}
}

func TestBuildErrorsSayWhere(t *testing.T) {
	tests := []struct {
		name   string
		change func(map[string]string)
		want   string
	}{
		{"missing file", func(f map[string]string) { delete(f, DensityFile) }, DensityFile},
		{"missing column", func(f map[string]string) {
			f[CentroidsFile] = strings.Replace(f[CentroidsFile], "lat,", "latitude,", 1)
		}, `communes_centroids_geoapi_2025.csv: header: missing column "lat"`},
		{"bad density", func(f map[string]string) {
			f[DensityFile] = strings.Replace(f[DensityFile], "12208,Saint-Affrique,3", "12208,Saint-Affrique,9", 1)
		}, `grille_densite_7_niveaux_2024.csv: row 2: DENS "9"`},
		{"bad coordinate", func(f map[string]string) {
			f[CentroidsFile] = strings.Replace(f[CentroidsFile], "43.9571", "43,9571", 1)
		}, "communes_centroids_geoapi_2025.csv"},
		{"too precise", func(f map[string]string) {
			f[CentroidsFile] = strings.Replace(f[CentroidsFile], "43.9571", "43.95712", 1)
		}, "commune 12208: lat"},
		{"no centroid", func(f map[string]string) {
			f[CentroidsFile] = strings.Replace(f[CentroidsFile], "12208,", "12209,", 1)
		}, "commune 12208 has no centroid"},
		{"unknown département", func(f map[string]string) {
			f[CommunesFile] = strings.Replace(f[CommunesFile], "12208,Saint-Affrique,12,", "12208,Saint-Affrique,13,", 1)
		}, `commune 12208: unknown département "13"`},
		{"région mismatch", func(f map[string]string) {
			f[CommunesFile] = strings.Replace(f[CommunesFile], "12208,Saint-Affrique,12,76", "12208,Saint-Affrique,12,84", 1)
		}, "commune 12208: région/zone"},
		{"bad age row", func(f map[string]string) {
			f[PopulationAgeFile] = strings.Replace(f[PopulationAgeFile], "279504", "many", 1)
		}, "insee_estim_pop_dep_age_2023.csv: row 2"},
	}
	for _, tt := range tests {
		_, _, err := Build(writeMiniature(t, tt.change))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}
