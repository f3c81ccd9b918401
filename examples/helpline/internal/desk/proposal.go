package desk

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/territory"
)

// pathwayView is one proposed pathway as the call page shows it.
type pathwayView struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Priority int         `json:"priority"`
	Why      []string    `json:"why"`
	Widened  string      `json:"widened,omitempty"`
	Remote   bool        `json:"remote_fallback,omitempty"`
	Places   []placeView `json:"places"`
	// Choice is the value of the radio button when the pathway has no
	// place (a pathway with places offers one radio per place).
	Choice string `json:"-"`
	// First is true for the first radio button of the page (checked).
	First bool `json:"-"`
}

// placeView is one proposed place.
type placeView struct {
	ID         string   `json:"id"`
	Name       string   `json:"nom"`
	Address    string   `json:"adresse"`
	Phone      string   `json:"telephone,omitempty"`
	Booking    string   `json:"prise_rdv,omitempty"`
	DistanceKm float64  `json:"distance_km"`
	Hours      string   `json:"hours"`
	Why        []string `json:"why"`
	Choice     string   `json:"-"`
	First      bool     `json:"-"`
	// N is the place's number on the map.
	N   int     `json:"-"`
	Lat float64 `json:"latitude"`
	Lon float64 `json:"longitude"`
}

func (s *Server) viewPathways(p *referral.Proposal, lang assessment.Lang) []pathwayView {
	var out []pathwayView
	first := true
	n := 0
	for _, pp := range p.Pathways {
		v := pathwayView{ID: string(pp.Pathway), Title: pp.Title.In(lang), Priority: pp.Priority, Remote: pp.Remote,
			Places: []placeView{}, Why: []string{}}
		for _, w := range pp.Why {
			v.Why = append(v.Why, w.In(lang))
		}
		if pp.Widened != nil {
			v.Widened = tr(lang, "call.widened", pp.Widened.FromKm, pp.Widened.ToKm)
		}
		if len(pp.Places) == 0 {
			v.Choice = string(pp.Pathway) + "|"
			v.First, first = first, false
		}
		for _, rp := range pp.Places {
			n++
			pv := placeView{ID: rp.ID, Name: rp.Name, DistanceKm: rp.DistanceKm, Phone: rp.Phone, Booking: rp.Booking,
				Address: strings.TrimSpace(rp.Address + ", " + rp.PostalCode + " " + rp.Commune),
				Choice:  string(pp.Pathway) + "|" + rp.ID, N: n, Lat: rp.Place.Latitude, Lon: rp.Place.Longitude}
			pv.First, first = first, false
			for _, w := range rp.Why {
				pv.Why = append(pv.Why, w.In(lang))
			}
			pv.Hours = s.hoursInWords(p, pp.Pathway, rp, lang)
			v.Places = append(v.Places, pv)
		}
		out = append(out, v)
	}
	return out
}

// hoursInWords describes the place's usual hours (from the orientation
// sheet), else the raw OSM hours, else "unknown".
func (s *Server) hoursInWords(p *referral.Proposal, pw referral.PathwayID, rp referral.RankedPlace, lang assessment.Lang) string {
	if sh, err := s.engine.Sheet(p, pw, rp.ID, referral.SheetOptions{}); err == nil {
		if h := sh.Hours.In(lang); h != "" {
			return h
		}
	}
	if rp.Hours != "" {
		return rp.Hours
	}
	return tr(lang, "call.hoursunknown")
}

// placeMap is a small SVG map of the proposed places around the commune,
// drawn without tiles (no internet): the commune's centroid, rings at round
// distances, and one numbered dot per place, the numbers of the list.
type placeMap struct {
	SVG template.HTML
}

const (
	mapW, mapH = 480.0, 360.0
	mapPad     = 28.0
)

// drawPlaceMap projects the places on an equirectangular plane centred on
// the commune (x scaled by cos(latitude)), fitted to the farthest place.
func drawPlaceMap(c *territory.Commune, pws []pathwayView, lang assessment.Lang) *placeMap {
	if c == nil {
		return nil
	}
	type dot struct {
		n        int
		x, y     float64
		name     string
		distance float64
	}
	kmPerDegLat := 2 * math.Pi * territory.EarthRadiusKm / 360
	kmPerDegLon := kmPerDegLat * math.Cos(c.Lat*math.Pi/180)
	var dots []dot
	maxKm := 2.0
	seen := map[string]bool{}
	for _, pw := range pws {
		for _, p := range pw.Places {
			if seen[p.ID] || (p.Lat == 0 && p.Lon == 0) {
				continue
			}
			seen[p.ID] = true
			dx, dy := (p.Lon-c.Lon)*kmPerDegLon, (p.Lat-c.Lat)*kmPerDegLat
			if d := math.Hypot(dx, dy); d > maxKm {
				maxKm = d
			}
			dots = append(dots, dot{n: p.N, x: dx, y: dy, name: p.Name, distance: p.DistanceKm})
		}
	}
	scale := (math.Min(mapW, mapH)/2 - mapPad) / maxKm // px per km
	cx, cy := mapW/2, mapH/2
	var b strings.Builder
	title := tr(lang, "map.title", c.Name)
	fmt.Fprintf(&b, `<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="map-title map-desc">`, mapW, mapH)
	fmt.Fprintf(&b, `<title id="map-title">%s</title><desc id="map-desc">%s</desc>`, esc(title), esc(tr(lang, "map.desc", len(dots))))
	for _, ring := range ringSteps(maxKm) {
		r := ring * scale
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="#8a8a8a" stroke-dasharray="4 4"/>`, cx, cy, r)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, cx+r*0.707+2, cy-r*0.707-2, esc(formatKm(ring)))
	}
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="#a4161a"/>`, cx-6, cy-6)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-weight="bold">%s</text>`, cx+9, cy+16, esc(c.Name))
	for _, d := range dots {
		x, y := cx+d.x*scale, cy-d.y*scale
		fmt.Fprintf(&b, `<g class="dot"><title>%d. %s — %s</title><circle cx="%.1f" cy="%.1f" r="10" fill="#0b4f9c"/>`,
			d.n, esc(d.name), esc(formatKm(d.distance)), x, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" class="num">%d</text></g>`, x, y+4, d.n)
	}
	// Scale bar and north.
	bar := ringSteps(maxKm)[0]
	fmt.Fprintf(&b, `<line x1="12" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1b1b" stroke-width="3"/>`, mapH-14, 12+bar*scale, mapH-14)
	fmt.Fprintf(&b, `<text x="12" y="%.1f">%s</text>`, mapH-20, esc(formatKm(bar)))
	fmt.Fprintf(&b, `<text x="%.1f" y="18" text-anchor="middle" font-weight="bold">N ↑</text>`, mapW-20)
	b.WriteString(`</svg>`)
	return &placeMap{SVG: template.HTML(b.String())}
}

// ringSteps picks two or three round distances below maxKm for the rings.
func ringSteps(maxKm float64) []float64 {
	var out []float64
	for _, step := range []float64{0.5, 1, 2, 5, 10, 20, 30, 50, 100, 200, 500} {
		if step <= maxKm {
			out = append(out, step)
		}
	}
	if len(out) == 0 {
		return []float64{maxKm}
	}
	if len(out) > 3 {
		out = out[len(out)-3:]
	}
	return out
}

func formatKm(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.1f km", v)
	}
	return fmt.Sprintf("%.0f km", v)
}

func esc(s string) string { return template.HTMLEscapeString(s) }
