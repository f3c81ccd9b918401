package territory

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -data ../../shared/data -out territory.tsv.gz

// Commune is one current French commune.
type Commune struct {
	Code        string       `json:"code"` // INSEE code, e.g. "12208"
	Name        string       `json:"nom"`
	PostalCodes []string     `json:"codes_postaux"`
	Departement string       `json:"departement"` // code, e.g. "12", "2A", "971"
	Region      string       `json:"region"`      // code, e.g. "76"; COM carry their own code
	Zone        string       `json:"zone"`        // metro, drom, com
	Lat         float64      `json:"lat"`         // centroid (IGN, via geo.api.gouv.fr)
	Lon         float64      `json:"lon"`
	Population  int          `json:"population"` // municipal population; 0 when unknown
	Density     DensityClass `json:"densite"`
	// FormerNames are earlier official names of the commune bearing this
	// code (e.g. "Hesdin" for 62447 Hesdin-la-Forêt, merged on 1/1/2025):
	// data files written before a merger still use them.
	FormerNames []string `json:"anciens_noms,omitempty"`
	// Indicators carries extra per-commune figures a Source may supply
	// (e.g. a digital-fragility index); nil in the embedded reference.
	Indicators map[string]float64 `json:"indicateurs,omitempty"`
}

// Departement is a département (or a COM, listed like one by the COG).
type Departement struct {
	Code             string  `json:"code"`
	Name             string  `json:"nom"`
	Region           string  `json:"region"`
	Zone             string  `json:"zone"`
	Population       int     `json:"population"`         // INSEE estimate; 0 when unknown
	Population60Plus int     `json:"population_60_plus"` // people aged 60 and over
	Share60Plus      float64 `json:"part_60_plus"`       // Population60Plus / Population; 0 when unknown
}

// Region is a région (or a COM, listed like one by the COG).
type Region struct {
	Code string `json:"code"`
	Name string `json:"nom"`
	Zone string `json:"zone"`
}

// Source supplies a reference. The embedded data is one Source
// ([Embedded]); a plugin or an integrator may supply another (a newer
// year, extra indicators) and pass it to [Load].
type Source interface {
	Communes(ctx context.Context) ([]Commune, error)
	Departements(ctx context.Context) ([]Departement, error)
	Regions(ctx context.Context) ([]Region, error)
}

//go:embed territory.tsv.gz
var embedded []byte

// Embedded returns the reference compiled into the package as a Source.
// Each call decodes the data afresh; use [Default] for the shared,
// decoded-once reference.
func Embedded() Source { return newTableSource(embedded) }

// EmbeddedSize is the size in bytes of the compressed embedded table.
func EmbeddedSize() int { return len(embedded) }

// tableSource decodes the generator's gzip'd tab-separated table once,
// on the first of its three calls.
type tableSource struct {
	decode func() (*decoded, error)
}

func newTableSource(gz []byte) tableSource {
	return tableSource{decode: sync.OnceValues(func() (*decoded, error) { return decodeTable(gz) })}
}

func (s tableSource) Communes(ctx context.Context) ([]Commune, error) {
	d, err := s.decode()
	if err != nil {
		return nil, err
	}
	return d.communes, nil
}

func (s tableSource) Departements(ctx context.Context) ([]Departement, error) {
	d, err := s.decode()
	if err != nil {
		return nil, err
	}
	return d.departements, nil
}

func (s tableSource) Regions(ctx context.Context) ([]Region, error) {
	d, err := s.decode()
	if err != nil {
		return nil, err
	}
	return d.regions, nil
}

type decoded struct {
	communes     []Commune
	departements []Departement
	regions      []Region
}

const tableHeader = "passerelle-territory\t2"

// decodeTable reads the whole table as one string and slices fields out of
// it, so names and codes cost no allocation of their own.
func decodeTable(gz []byte) (*decoded, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptData, err)
	}
	var buf strings.Builder
	buf.Grow(2_200_000)
	if _, err := io.Copy(&buf, zr); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptData, err)
	}
	return parseTable(buf.String())
}

func parseTable(text string) (*decoded, error) {
	d := &decoded{}
	line, rest, _ := strings.Cut(text, "\n")
	if line != tableHeader {
		return nil, fmt.Errorf("%w: line 1: header %q, want %q", ErrCorruptData, line, tableHeader)
	}
	d.communes = make([]Commune, 0, strings.Count(rest, "\nC\t")+1)
	// One backing array for every postal code list.
	postal := make([]string, 0, len(d.communes)+strings.Count(rest, "|")+8)
	deps := map[string]Departement{}
	var f [9]string
	for n := 2; rest != ""; n++ {
		line, rest, _ = strings.Cut(rest, "\n")
		k := split(line, f[:])
		bad := func(field, v string, err error) error {
			return fmt.Errorf("%w: line %d: %s %q: %v", ErrCorruptData, n, field, v, err)
		}
		switch {
		case k == 4 && f[0] == "R":
			d.regions = append(d.regions, Region{Code: f[1], Name: f[2], Zone: f[3]})
		case k == 7 && f[0] == "D":
			total, err := strconv.Atoi(f[5])
			if err != nil {
				return nil, bad("population", f[5], err)
			}
			old, err := strconv.Atoi(f[6])
			if err != nil {
				return nil, bad("population_60_plus", f[6], err)
			}
			dep := Departement{Code: f[1], Name: f[2], Region: f[3], Zone: f[4], Population: total, Population60Plus: old}
			if total > 0 {
				dep.Share60Plus = float64(old) / float64(total)
			}
			d.departements = append(d.departements, dep)
			deps[dep.Code] = dep
		case k == 9 && f[0] == "C":
			// The département is the code's prefix; région and zone are
			// the département's (the generator checks both).
			if len(f[1]) != 5 {
				return nil, bad("code", f[1], errors.New("not 5 characters"))
			}
			dep, ok := deps[depOfCode(f[1])]
			if !ok {
				return nil, bad("code", f[1], errors.New("no département record for it"))
			}
			c := Commune{Code: f[1], Name: f[2], Departement: dep.Code, Region: dep.Region, Zone: dep.Zone}
			if f[3] != "" {
				start := len(postal)
				for cp := range strings.SplitSeq(f[3], "|") {
					postal = append(postal, cp)
				}
				c.PostalCodes = postal[start:len(postal):len(postal)]
			}
			lat, err := strconv.Atoi(f[4])
			if err != nil {
				return nil, bad("lat", f[4], err)
			}
			lon, err := strconv.Atoi(f[5])
			if err != nil {
				return nil, bad("lon", f[5], err)
			}
			c.Lat, c.Lon = float64(lat)/1e4, float64(lon)/1e4
			if c.Population, err = strconv.Atoi(f[6]); err != nil {
				return nil, bad("population", f[6], err)
			}
			dens, err := strconv.Atoi(f[7])
			if err != nil {
				return nil, bad("densite", f[7], err)
			}
			c.Density = DensityClass(dens)
			if f[8] != "" {
				c.FormerNames = []string{f[8]}
			}
			d.communes = append(d.communes, c)
		case line == "" && rest == "":
		default:
			return nil, fmt.Errorf("%w: line %d: unexpected record %q", ErrCorruptData, n, truncate(line, 40))
		}
	}
	return d, nil
}

// split cuts line at tabs into f and returns the number of fields, or
// len(f)+1 when there are more fields than f holds.
func split(line string, f []string) int {
	k := 0
	for {
		if k == len(f) {
			return k + 1
		}
		i := strings.IndexByte(line, '\t')
		if i < 0 {
			f[k] = line
			return k + 1
		}
		f[k] = line[:i]
		line = line[i+1:]
		k++
	}
}

// depOfCode is the département of an INSEE commune code: three
// characters overseas (971.., 975.., 984..), two elsewhere (12, 2A).
func depOfCode(code string) string {
	if strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98") {
		return code[:3]
	}
	return code[:2]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
