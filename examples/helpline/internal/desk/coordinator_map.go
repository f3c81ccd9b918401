package desk

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/passerelle-sante/passerelle/mediation/coverage"
	"github.com/passerelle-sante/passerelle/territory"
)

// coverageMap is the coverage map of one région (or of metropolitan
// France), drawn from the communes' centroids without any tile: the land is
// the set of grid cells holding a commune centroid, a dark dot marks every
// commune with a trained place (larger with more places), and an orange
// ring marks each of the sparse communes farthest from any trained place.
// The coverage page's template writes it as an inline SVG, with the
// département table beside it as its text alternative.
type coverageMap struct {
	Width, Height int
	// Land is the path of the land cells, one rectangle per run of cells
	// in a row.
	Land string
	// Trained are the communes with a trained place, Far the farthest
	// sparse communes, Ambassadors the communes served only by ambassadors.
	Trained, Far, Ambassadors []mapDot
	// Outside counts the trained communes not drawn (overseas, on the
	// national map).
	Outside int
}

// mapDot is one commune on the map, with the tooltip its <title> gives.
type mapDot struct {
	X, Y, R float64
	Title   string
}

// mapCell is the side of a land cell, in SVG units.
const mapCell = 6

// mapWidth is the width of the map, in SVG units; the height follows the
// territory's shape, at most mapMaxHeight.
const (
	mapWidth     = 640
	mapMaxHeight = 680
)

// drawCoverageMap projects the communes of the report's région (or the
// metropolitan communes when it covers France) with an equirectangular
// projection around the territory's middle latitude, good enough at the
// scale of a région, and places the trained and the far communes on it.
// label formats a dot's tooltip: the commune, its count of trained places
// and ambassadors; far formats a far commune's tooltip with its distance.
func drawCoverageMap(rep *coverage.Report, ref *territory.Reference, label func(c territory.Commune, a coverage.Area) string,
	far func(c territory.Commune, f coverage.FarCommune) string) (*coverageMap, error) {
	inScope := func(c territory.Commune) bool {
		if rep.Region != "" {
			return c.Region == rep.Region
		}
		return c.Zone == "metro"
	}
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	var land []territory.Commune
	for c := range ref.All() {
		if !inScope(c) || (c.Lat == 0 && c.Lon == 0) {
			continue
		}
		land = append(land, c)
		minLat, maxLat = math.Min(minLat, c.Lat), math.Max(maxLat, c.Lat)
		minLon, maxLon = math.Min(minLon, c.Lon), math.Max(maxLon, c.Lon)
	}
	if len(land) == 0 {
		return nil, fmt.Errorf("coverage map: no commune with a centroid in région %q", rep.Region)
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX, spanY := math.Max((maxLon-minLon)*k, 0.01), math.Max(maxLat-minLat, 0.01)
	const pad = 12.0
	scale := (mapWidth - 2*pad) / spanX
	if spanY*scale > mapMaxHeight-2*pad {
		scale = (mapMaxHeight - 2*pad) / spanY
	}
	m := &coverageMap{Width: mapWidth, Height: int(math.Ceil(spanY*scale + 2*pad))}
	project := func(lat, lon float64) (float64, float64) {
		return round1(pad + (lon-minLon)*k*scale), round1(pad + (maxLat-lat)*scale)
	}

	// Land: the cells holding a centroid, one rectangle per horizontal run.
	rows := map[int]map[int]bool{}
	for _, c := range land {
		x, y := project(c.Lat, c.Lon)
		cx, cy := int(x)/mapCell, int(y)/mapCell
		if rows[cy] == nil {
			rows[cy] = map[int]bool{}
		}
		rows[cy][cx] = true
	}
	ys := make([]int, 0, len(rows))
	for y := range rows {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	var b strings.Builder
	for _, y := range ys {
		xs := make([]int, 0, len(rows[y]))
		for x := range rows[y] {
			xs = append(xs, x)
		}
		sort.Ints(xs)
		for i := 0; i < len(xs); {
			j := i
			for j+1 < len(xs) && xs[j+1] == xs[j]+1 {
				j++
			}
			n := (j - i + 1) * mapCell
			fmt.Fprintf(&b, "M%d %dh%dv%dh-%dz", xs[i]*mapCell, y*mapCell, n, mapCell, n)
			i = j + 1
		}
	}
	m.Land = b.String()

	for _, a := range rep.Communes {
		c, ok := ref.Commune(a.Code)
		if !ok || (c.Lat == 0 && c.Lon == 0) {
			continue
		}
		if !inScope(c) {
			if a.TrainedPlaces > 0 {
				m.Outside++
			}
			continue
		}
		x, y := project(c.Lat, c.Lon)
		switch {
		case a.TrainedPlaces > 0:
			m.Trained = append(m.Trained, mapDot{X: x, Y: y, R: round1(3.5 + 1.5*math.Sqrt(float64(a.TrainedPlaces-1))), Title: label(c, a)})
		case a.TrainedAmbassadors > 0:
			m.Ambassadors = append(m.Ambassadors, mapDot{X: x, Y: y, R: 3, Title: label(c, a)})
		}
	}
	// Bigger dots first, so small ones stay visible on top.
	sort.SliceStable(m.Trained, func(i, j int) bool { return m.Trained[i].R > m.Trained[j].R })
	for _, f := range rep.Farthest {
		c, ok := ref.Commune(f.Code)
		if !ok || !inScope(c) || (c.Lat == 0 && c.Lon == 0) {
			continue
		}
		x, y := project(c.Lat, c.Lon)
		m.Far = append(m.Far, mapDot{X: x, Y: y, R: 6, Title: far(c, f)})
	}
	return m, nil
}

// round1 keeps one decimal: enough for a 640-unit map, and a smaller page.
func round1(v float64) float64 { return math.Round(v*10) / 10 }
