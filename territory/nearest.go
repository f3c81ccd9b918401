package territory

import (
	"math"
	"slices"
	"sort"
)

// EarthRadiusKm is the mean Earth radius (IUGG) used by Distance.
const EarthRadiusKm = 6371.0088

// Distance is the great-circle (haversine) distance in km between two
// points given in decimal degrees.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ := (lat2 - lat1) * rad
	dλ := (lon2 - lon1) * rad
	h := sinSq(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*sinSq(dλ/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(1, h)))
}

func sinSq(x float64) float64 { s := math.Sin(x); return s * s }

// latIndex holds the communes sorted by latitude. Along a meridian the
// great-circle distance is R·|Δlat|, and no path between two points is
// shorter than their latitude gap, so a scan outward from the query's
// latitude can stop as soon as that gap alone exceeds the best distance.
// That keeps Nearest exact.
type latIndex struct {
	lat []float64
	lon []float64
	idx []int32 // commune index
}

func buildLatIndex(communes []Commune) *latIndex {
	type point struct {
		lat, lon float64
		idx      int32
	}
	// Sorting compact points rather than indexes into the communes keeps
	// the comparisons in cache.
	pts := make([]point, len(communes))
	for i, c := range communes {
		pts[i] = point{c.Lat, c.Lon, int32(i)}
	}
	slices.SortFunc(pts, func(a, b point) int {
		if a.lat != b.lat {
			if a.lat < b.lat {
				return -1
			}
			return 1
		}
		return int(a.idx - b.idx)
	})
	ix := &latIndex{lat: make([]float64, len(pts)), lon: make([]float64, len(pts)), idx: make([]int32, len(pts))}
	for k, p := range pts {
		ix.lat[k], ix.lon[k], ix.idx[k] = p.lat, p.lon, p.idx
	}
	return ix
}

// nearest returns the commune index closest to (lat, lon) and the
// distance in km; -1 when the index is empty. Ties go to the lower code.
func (ix *latIndex) nearest(lat, lon float64) (int32, float64) {
	best, bestD := int32(-1), math.Inf(1)
	n := len(ix.lat)
	up := sort.SearchFloat64s(ix.lat, lat)
	down := up - 1
	const kmPerDegree = EarthRadiusKm * math.Pi / 180
	consider := func(k int) {
		d := Distance(lat, lon, ix.lat[k], ix.lon[k])
		if d < bestD || (d == bestD && ix.idx[k] < best) {
			best, bestD = ix.idx[k], d
		}
	}
	for up < n || down >= 0 {
		progressed := false
		if up < n && (ix.lat[up]-lat)*kmPerDegree <= bestD+1e-9 {
			consider(up)
			up++
			progressed = true
		}
		if down >= 0 && (lat-ix.lat[down])*kmPerDegree <= bestD+1e-9 {
			consider(down)
			down--
			progressed = true
		}
		if !progressed {
			break
		}
	}
	return best, bestD
}

// Nearest returns the commune whose centroid is closest to (lat, lon) and
// its great-circle distance in km. On an empty reference or a point that
// is not a number it returns the zero Commune and +Inf.
func (r *Reference) Nearest(lat, lon float64) (Commune, float64) {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return Commune{}, math.Inf(1)
	}
	i, d := r.points().nearest(lat, lon)
	if i < 0 {
		return Commune{}, math.Inf(1)
	}
	return r.communes[i], d
}
