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
	order := make([]int32, len(communes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if communes[a].Lat != communes[b].Lat {
			if communes[a].Lat < communes[b].Lat {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	ix := &latIndex{lat: make([]float64, len(order)), lon: make([]float64, len(order)), idx: order}
	for k, i := range order {
		ix.lat[k], ix.lon[k] = communes[i].Lat, communes[i].Lon
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
