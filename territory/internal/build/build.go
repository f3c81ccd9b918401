// Package build turns the raw open-data files (COG 2025 communes,
// geo.api centroids, INSEE density grid 2024, départements and régions,
// INSEE population by age 2023) into the one compact text table that
// package territory embeds. It lives apart from the generator command so
// that a test can rebuild the table in memory and compare it with the
// committed file.
package build

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Input file names inside the data folder.
const (
	CommunesFile      = "communes_cog_2025.csv"
	CentroidsFile     = "communes_centroids_geoapi_2025.csv"
	DensityFile       = "grille_densite_7_niveaux_2024.csv"
	AdminFile         = "departements_regions_cog_2025.csv"
	PopulationAgeFile = "insee_estim_pop_dep_age_2023.csv"
)

// Header is the first line of the table; the decoder checks it.
const Header = "passerelle-territory\t2"

// Report says how the joins went, so the generator can print it and
// DATA.md can record it.
type Report struct {
	Communes             int
	Departements         int
	Regions              int
	DensityByCode        int      // density found under the same INSEE code
	DensityByRenamedCode []string // "new<-old": same name, same département, code changed in 2025
	DensityBySplit       []string // "new<-old": restored commune takes the density of the one it left
	DensityUnknown       []string // no density: COM (outside the grid) and anything else unmatched
	PopulationFromGeoAPI []string // the COG had no population: geo.api value used
	PopulationDiffers    int      // communes whose geo.api population differs from the COG one
	NoPopulation         []string // neither source has a population
	Share60Plus          int      // départements with an age breakdown
	FormerNames          int      // communes whose 2024 name (density grid) differs from the 2025 one
}

type table struct {
	name   string
	header map[string]int
	rows   [][]string
}

func readCSV(dir, name string, want ...string) (*table, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	t := &table{name: name, header: map[string]int{}}
	for i, h := range head {
		t.header[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, w := range want {
		if _, ok := t.header[w]; !ok {
			return nil, fmt.Errorf("%s: header: missing column %q", name, w)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

func (t *table) get(row []string, col string) string { return row[t.header[col]] }

type commune struct {
	code, name, dep, region, zone, postal string
	lat, lon                              string
	pop                                   int
	dens                                  int
}

// Build reads the data folder and returns the uncompressed table and a
// report of the joins. The output is deterministic: rows sorted by code.
func Build(dir string) ([]byte, Report, error) {
	var rep Report
	cog, err := readCSV(dir, CommunesFile, "code_insee", "nom", "departement", "region", "zone", "codes_postaux", "population")
	if err != nil {
		return nil, rep, err
	}
	cen, err := readCSV(dir, CentroidsFile, "code_insee", "lat", "lon", "population")
	if err != nil {
		return nil, rep, err
	}
	den, err := readCSV(dir, DensityFile, "CODGEO", "LIBGEO", "DENS")
	if err != nil {
		return nil, rep, err
	}
	adm, err := readCSV(dir, AdminFile, "kind", "code", "nom", "region", "zone")
	if err != nil {
		return nil, rep, err
	}
	age, err := readCSV(dir, PopulationAgeFile, "dep", "pop_60_74", "pop_75_plus", "pop_total")
	if err != nil {
		return nil, rep, err
	}

	type centroid struct {
		lat, lon, pop string
	}
	centroids := map[string]centroid{}
	for i, row := range cen.rows {
		c := centroid{cen.get(row, "lat"), cen.get(row, "lon"), cen.get(row, "population")}
		for _, v := range []string{c.lat, c.lon} {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return nil, rep, fmt.Errorf("%s: row %d: lat/lon %q: %w", cen.name, i+2, v, err)
			}
		}
		centroids[cen.get(row, "code_insee")] = c
	}
	type grid struct {
		name string
		dens int
	}
	densities := map[string]grid{}
	for i, row := range den.rows {
		d, err := strconv.Atoi(den.get(row, "DENS"))
		if err != nil || d < 1 || d > 7 {
			return nil, rep, fmt.Errorf("%s: row %d: DENS %q is not 1..7", den.name, i+2, den.get(row, "DENS"))
		}
		densities[den.get(row, "CODGEO")] = grid{den.get(row, "LIBGEO"), d}
	}

	var communes []commune
	inCOG := map[string]string{} // code -> name
	for i, row := range cog.rows {
		c := commune{
			code: cog.get(row, "code_insee"), name: cog.get(row, "nom"),
			dep: cog.get(row, "departement"), region: cog.get(row, "region"),
			zone: cog.get(row, "zone"), postal: cog.get(row, "codes_postaux"),
		}
		if len(c.code) != 5 || c.name == "" || c.dep == "" {
			return nil, rep, fmt.Errorf("%s: row %d: incomplete commune %q", cog.name, i+2, c.code)
		}
		for _, f := range []string{c.name, c.postal} {
			if strings.ContainsAny(f, "\t\n\r") {
				return nil, rep, fmt.Errorf("%s: row %d: tab or newline in %q", cog.name, i+2, f)
			}
		}
		ce, ok := centroids[c.code]
		if !ok {
			return nil, rep, fmt.Errorf("%s: commune %s has no centroid in %s", cog.name, c.code, cen.name)
		}
		c.lat, c.lon = ce.lat, ce.lon
		// The COG population is primary: it is counted in 2025 boundaries,
		// while geo.api still serves the pre-merger figure of the communes
		// merged or split on 1/1/2025 (Hesdin-la-Forêt 2,225 instead of
		// 4,480). geo.api only fills a gap.
		switch pop := cog.get(row, "population"); {
		case pop != "":
			if c.pop, err = strconv.Atoi(pop); err != nil {
				return nil, rep, fmt.Errorf("%s: row %d: population %q: %w", cog.name, i+2, pop, err)
			}
		case ce.pop != "":
			if c.pop, err = strconv.Atoi(ce.pop); err != nil {
				return nil, rep, fmt.Errorf("%s: commune %s: population %q: %w", cen.name, c.code, ce.pop, err)
			}
			rep.PopulationFromGeoAPI = append(rep.PopulationFromGeoAPI, c.code)
		default:
			rep.NoPopulation = append(rep.NoPopulation, c.code)
		}
		if ce.pop != "" && atoiOrZero(ce.pop) != c.pop {
			rep.PopulationDiffers++
		}
		inCOG[c.code] = c.name
		communes = append(communes, c)
	}
	sort.Slice(communes, func(i, j int) bool { return communes[i].code < communes[j].code })

	// Density joins. 1: same code. 2: a grid code that vanished in 2025
	// under the same name and département (the commune changed code).
	// 3: a commune restored in 2025 takes the density of the commune it
	// was split from, found as the nearest grid commune of the same
	// département whose code survives but whose name changed (the
	// remainder of the dissolved commune nouvelle).
	vanished := map[string]string{}   // dep+"|"+folded name -> grid code
	renamed := map[string][]string{}  // dep -> grid codes still in COG under another name
	formerName := map[string]string{} // code -> 2024 name, when it changed
	for code, g := range densities {
		name, ok := inCOG[code]
		dep := depOfCode(code)
		switch {
		case !ok:
			vanished[dep+"|"+fold(g.name)] = code
		case fold(name) != fold(g.name) && cleanName(g.name):
			renamed[dep] = append(renamed[dep], code)
			formerName[code] = g.name
			rep.FormerNames++
		}
	}
	pos := map[string][2]float64{}
	for _, c := range communes {
		lat, _ := strconv.ParseFloat(c.lat, 64)
		lon, _ := strconv.ParseFloat(c.lon, 64)
		pos[c.code] = [2]float64{lat, lon}
	}
	for i := range communes {
		c := &communes[i]
		if g, ok := densities[c.code]; ok {
			c.dens = g.dens
			rep.DensityByCode++
			continue
		}
		if old, ok := vanished[c.dep+"|"+fold(c.name)]; ok {
			c.dens = densities[old].dens
			rep.DensityByRenamedCode = append(rep.DensityByRenamedCode, c.code+"<-"+old)
			continue
		}
		if c.zone != "com" {
			best, bestD := "", math.Inf(1)
			cands := renamed[c.dep]
			sort.Strings(cands)
			for _, old := range cands {
				if d := planarDist(pos[c.code], pos[old]); d < bestD {
					best, bestD = old, d
				}
			}
			// A restored commune lies next to its former partner: 0.5° is
			// a generous bound that still rejects an unrelated rename.
			if best != "" && bestD < 0.5 {
				c.dens = densities[best].dens
				rep.DensityBySplit = append(rep.DensityBySplit, c.code+"<-"+best)
				continue
			}
		}
		rep.DensityUnknown = append(rep.DensityUnknown, c.code)
	}

	var b bytes.Buffer
	b.WriteString(Header + "\n")
	depsSeen := map[string]bool{}
	for i, row := range adm.rows {
		kind, code, name := adm.get(row, "kind"), adm.get(row, "code"), adm.get(row, "nom")
		zone := adm.get(row, "zone")
		switch kind {
		case "region":
			fmt.Fprintf(&b, "R\t%s\t%s\t%s\n", code, name, zone)
			rep.Regions++
		case "departement":
			depsSeen[code] = true
		default:
			return nil, rep, fmt.Errorf("%s: row %d: unknown kind %q", adm.name, i+2, kind)
		}
	}
	type ages struct{ total, old int }
	byDep := map[string]ages{}
	for i, row := range age.rows {
		var a ages
		var a1, a2 int
		var e1, e2, e3 error
		a1, e1 = strconv.Atoi(age.get(row, "pop_60_74"))
		a2, e2 = strconv.Atoi(age.get(row, "pop_75_plus"))
		a.total, e3 = strconv.Atoi(age.get(row, "pop_total"))
		if err := errors.Join(e1, e2, e3); err != nil {
			return nil, rep, fmt.Errorf("%s: row %d: %w", age.name, i+2, err)
		}
		a.old = a1 + a2
		if !depsSeen[age.get(row, "dep")] {
			return nil, rep, fmt.Errorf("%s: row %d: unknown département %q", age.name, i+2, age.get(row, "dep"))
		}
		byDep[age.get(row, "dep")] = a
	}
	type depInfo struct{ region, zone string }
	depOf := map[string]depInfo{}
	for _, row := range adm.rows {
		if adm.get(row, "kind") != "departement" {
			continue
		}
		code := adm.get(row, "code")
		a := byDep[code]
		if a.total > 0 {
			rep.Share60Plus++
		}
		depOf[code] = depInfo{adm.get(row, "region"), adm.get(row, "zone")}
		fmt.Fprintf(&b, "D\t%s\t%s\t%s\t%s\t%d\t%d\n", code, adm.get(row, "nom"), adm.get(row, "region"), adm.get(row, "zone"), a.total, a.old)
		rep.Departements++
	}
	// A commune record leaves out what its code already says: the
	// département is the code's prefix, the région and zone are the
	// département's. Checked here so the table stays faithful.
	for _, c := range communes {
		d, ok := depOf[c.dep]
		switch {
		case !ok:
			return nil, rep, fmt.Errorf("%s: commune %s: unknown département %q", cog.name, c.code, c.dep)
		case depOfCode(c.code) != c.dep:
			return nil, rep, fmt.Errorf("%s: commune %s: département %q is not its code's prefix", cog.name, c.code, c.dep)
		case d.region != c.region || d.zone != c.zone:
			return nil, rep, fmt.Errorf("%s: commune %s: région/zone %s/%s differ from its département's %s/%s", cog.name, c.code, c.region, c.zone, d.region, d.zone)
		}
		lat, err := fixed4(c.lat)
		if err != nil {
			return nil, rep, fmt.Errorf("%s: commune %s: lat: %w", cen.name, c.code, err)
		}
		lon, err := fixed4(c.lon)
		if err != nil {
			return nil, rep, fmt.Errorf("%s: commune %s: lon: %w", cen.name, c.code, err)
		}
		fmt.Fprintf(&b, "C\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", c.code, c.name, c.postal, lat, lon, c.pop, c.dens, formerName[c.code])
		rep.Communes++
	}
	return b.Bytes(), rep, nil
}

// fixed4 turns a coordinate with at most 4 decimals into an integer of
// 1e-4 degrees, refusing any value that would not come back exactly.
func fixed4(v string) (int64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, err
	}
	n := int64(math.Round(f * 1e4))
	if float64(n)/1e4 != f {
		return 0, fmt.Errorf("%q has more than 4 decimals", v)
	}
	return n, nil
}

// atoiOrZero reads a number already known to parse, 0 otherwise.
func atoiOrZero(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

// Compress gzips the table at the best compression level.
func Compress(table []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(table); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func depOfCode(code string) string {
	if strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98") {
		return code[:3]
	}
	return code[:2]
}

// cleanName rejects the few grid names damaged in the source (an Excel
// round trip turned some accented letters into "‚", "Š" or "Œ", and two
// names into "0"): they are no use as former names.
func cleanName(name string) bool {
	if strings.ContainsAny(name, "‚Š") || strings.Contains(name, "Œle") {
		return false
	}
	return strings.IndexFunc(name, unicode.IsLetter) >= 0
}

// planarDist is enough to pick the nearest neighbour inside a département.
func planarDist(a, b [2]float64) float64 {
	dlat := a[0] - b[0]
	dlon := (a[1] - b[1]) * math.Cos(a[0]*math.Pi/180)
	return math.Hypot(dlat, dlon)
}

// fold compares names across the two vintages: case, accents and
// punctuation differences are not a change of name.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case strings.ContainsRune("àâä", r):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("îï", r):
			b.WriteByte('i')
		case strings.ContainsRune("ôö", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùûü", r):
			b.WriteByte('u')
		case r == 'ç':
			b.WriteByte('c')
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
