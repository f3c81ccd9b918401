package render

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
)

// The charts are drawn as SVG text here, so the page needs no script and
// prints as it shows. Every text placed in the SVG goes through esc.

func esc(s string) string { return html.EscapeString(s) }

// Colours meet WCAG AA contrast on white for text (≥ 4.5:1) and for shapes
// (≥ 3:1).
const (
	colourBar      = "#000091" // blue France
	colourMasked   = "#6a6a6a"
	colourLine2    = "#b34000"
	colourPlace    = "#929292"
	colourTrained  = "#000091"
	colourReferral = "#c24c00"
	colourLand     = "#e8e8ee"
	colourText     = "#1e1e1e"
)

// bar is one bar of a bar chart.
type bar struct {
	label string
	cell  cell
}

// svgOpen starts an accessible SVG: role img, a title and a description
// that screen readers announce; the table beside the chart has the figures.
func svgOpen(b *strings.Builder, id string, w, h int, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`, w, h, w, h, esc(id), esc(id))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// barChart draws horizontal bars, one per line, the value written at the end
// of each bar; a masked bar is drawn hatched at no length with the word
// "masked", an undefined one with "not measurable".
func barChart(l Lang, id, title, desc string, bars []bar) string {
	const (
		width  = 720
		labelW = 260
		rowH   = 28
		valueW = 90
	)
	h := rowH*len(bars) + 10
	var b strings.Builder
	svgOpen(&b, id, width, h, title, desc)
	maxV := 0.0
	for _, x := range bars {
		if x.cell.kind == cellNumber {
			maxV = math.Max(maxV, x.cell.value)
		}
	}
	span := float64(width - labelW - valueW)
	for i, x := range bars {
		y := 5 + i*rowH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="%s">%s</text>`, labelW-8, y+18, colourText, esc(truncate(x.label, 38)))
		w := 0.0
		if x.cell.kind == cellNumber && maxV > 0 {
			w = span * x.cell.value / maxV
		}
		switch x.cell.kind {
		case cellNumber:
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, labelW, y+4, w, rowH-8, colourBar)
		case cellMasked:
			fmt.Fprintf(&b, `<rect class="masked" x="%d" y="%d" width="12" height="%d" fill="none" stroke="%s" stroke-dasharray="3 2"/>`, labelW, y+4, rowH-8, colourMasked)
			w = 12
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="13" fill="%s">%s</text>`, float64(labelW)+w+6, y+18, colourText, esc(x.cell.show(l)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// series is one line of a line chart.
type series struct {
	name   string
	colour string
	points []cell
}

// lineChart draws lines over the months (labels along the x axis). A masked
// or undefined month breaks the line and is marked by a hollow circle on the
// axis, so a gap never reads as a zero.
func lineChart(l Lang, id, title, desc string, labels []string, ss []series) string {
	const (
		width, height = 720, 300
		left, right   = 60, 20
		top, bottom   = 20, 60
	)
	var b strings.Builder
	svgOpen(&b, id, width, height, title, desc)
	maxV := 0.0
	for _, s := range ss {
		for _, p := range s.points {
			if p.kind == cellNumber {
				maxV = math.Max(maxV, p.value)
			}
		}
	}
	if maxV == 0 {
		maxV = 1
	}
	maxV = niceCeil(maxV)
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 {
		if len(labels) < 2 {
			return float64(left) + plotW/2
		}
		return float64(left) + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return float64(top) + plotH*(1-v/maxV) }
	for k := 0; k <= 4; k++ {
		v := maxV * float64(k) / 4
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#d0d0d0"/>`, left, y(v), width-right, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="12" fill="%s">%s</text>`, left-6, y(v)+4, colourText, esc(number(l, v, 0)))
	}
	for i, lab := range labels {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="12" fill="%s">%s</text>`, x(i), height-bottom+18, colourText, esc(lab))
	}
	for _, s := range ss {
		var path strings.Builder
		pen := false
		for i, p := range s.points {
			if p.kind != cellNumber {
				pen = false
				fmt.Fprintf(&b, `<circle class="gap" cx="%.1f" cy="%.1f" r="4" fill="white" stroke="%s"><title>%s</title></circle>`, x(i), y(0), s.colour, esc(p.show(l)))
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(p.value))
			pen = true
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, x(i), y(p.value), s.colour)
		}
		if path.Len() > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.TrimSpace(path.String()), s.colour)
		}
	}
	for i, s := range ss {
		lx := left + i*220
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/><text x="%d" y="%d" font-size="13" fill="%s">%s</text>`,
			lx, height-22, s.colour, lx+20, height-16, colourText, esc(s.name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, for the axis.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// dot is one commune of the dot map.
type dot struct {
	lat, lon      float64
	places        int
	trainedPlaces int
	referrals     cell
	label         string
}

// Metropolitan France (Corsica included) in degrees; overseas communes are
// listed in the table instead.
const (
	mapWest, mapEast   = -5.3, 9.7
	mapSouth, mapNorth = 41.3, 51.2
)

func inMetropole(lat, lon float64) bool {
	return lat >= mapSouth && lat <= mapNorth && lon >= mapWest && lon <= mapEast
}

// dotMap draws metropolitan France as the communes' centroids on an
// equirectangular projection corrected for the latitude: land (a grid of
// cells holding a commune, when given), places, trained places and referrals.
func dotMap(l Lang, id, title, desc string, land [][2]float64, dots []dot) string {
	const width = 640
	kx := math.Cos((mapSouth + mapNorth) / 2 * math.Pi / 180)
	scale := float64(width) / ((mapEast - mapWest) * kx)
	height := int(math.Ceil((mapNorth - mapSouth) * scale))
	px := func(lon float64) float64 { return (lon - mapWest) * kx * scale }
	py := func(lat float64) float64 { return (mapNorth - lat) * scale }
	var b strings.Builder
	svgOpen(&b, id, width, height, title, desc)
	if len(land) > 0 {
		fmt.Fprintf(&b, `<g fill="%s">`, colourLand)
		cell := landCell * scale
		for _, c := range land {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, px(c[1]), py(c[0]+landCell), cell*kx+0.3, cell+0.3)
		}
		b.WriteString(`</g>`)
	}
	// Largest referral dots first, so small ones stay visible on top.
	ds := slices.Clone(dots)
	slices.SortStableFunc(ds, func(a, b dot) int {
		return -cmpFloat(a.referrals.value, b.referrals.value)
	})
	maxR := 1.0
	for _, d := range ds {
		if d.referrals.kind == cellNumber {
			maxR = math.Max(maxR, d.referrals.value)
		}
	}
	for _, d := range ds {
		if !inMetropole(d.lat, d.lon) {
			continue
		}
		x, y := px(d.lon), py(d.lat)
		switch {
		case d.referrals.kind == cellMasked:
			fmt.Fprintf(&b, `<circle class="referrals masked" cx="%.1f" cy="%.1f" r="3" fill="none" stroke="%s" stroke-dasharray="2 1"><title>%s</title></circle>`, x, y, colourReferral, esc(d.label+" : "+d.referrals.show(l)))
		case d.referrals.kind == cellNumber && d.referrals.value > 0:
			r := 2 + 10*math.Sqrt(d.referrals.value/maxR)
			fmt.Fprintf(&b, `<circle class="referrals" cx="%.1f" cy="%.1f" r="%.1f" fill="%s" fill-opacity="0.55"><title>%s</title></circle>`, x, y, r, colourReferral, esc(d.label+" : "+d.referrals.show(l)))
		}
	}
	for _, d := range ds {
		if !inMetropole(d.lat, d.lon) || d.places == 0 {
			continue
		}
		colour, class := colourPlace, "place"
		if d.trainedPlaces > 0 {
			colour, class = colourTrained, "place trained"
		}
		fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="1.8" fill="%s"/>`, class, px(d.lon), py(d.lat), colour)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// landCell is the side, in degrees, of the cells drawn as land.
const landCell = 0.1

// landCells returns the south-west corners of the cells of side landCell
// that hold at least one of the points, in metropolitan France.
func landCells(points [][2]float64) [][2]float64 {
	seen := map[[2]int]bool{}
	var out [][2]float64
	for _, p := range points {
		if !inMetropole(p[0], p[1]) {
			continue
		}
		k := [2]int{int(math.Floor(p[0] / landCell)), int(math.Floor(p[1] / landCell))}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, [2]float64{float64(k[0]) * landCell, float64(k[1]) * landCell})
	}
	slices.SortFunc(out, func(a, b [2]float64) int {
		if c := cmpFloat(a[0], b[0]); c != 0 {
			return c
		}
		return cmpFloat(a[1], b[1])
	})
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
