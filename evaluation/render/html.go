package render

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/passerelle-sante/passerelle/evaluation"
	"github.com/passerelle-sante/passerelle/territory"
)

// HTMLOptions tune the HTML page.
type HTMLOptions struct {
	// Lang is the page's language; "" is French.
	Lang Lang
	// Communes, when given, draws the land under the dot map from the
	// communes' centroids; without it the map shows the dots alone.
	Communes *territory.Reference
	// PlaceNames, when given, names the places of the "by place" table
	// (place id to name); without it the ids are shown.
	PlaceNames map[string]string
}

// page is what the template shows; every string in it is escaped by
// html/template, and the SVG charts are built with esc.
type page struct {
	Lang        Lang
	Title       string
	Synthetic   string
	Empty       string
	Meta        [][2]string
	Threshold   string
	Sections    []section
	Definitions []definition
	DefHeading  string
	NavLabel    string
	Note        string
}

type section struct {
	ID      string
	Heading string
	Blocks  []block
}

type block struct {
	Heading string
	Chart   template.HTML
	Table   *table
	Note    string
}

type table struct {
	Caption string
	Head    []string
	Rows    [][]tcell
}

type tcell struct {
	Text  string
	Class string
	Title string
}

type definition struct{ Term, Text string }

// HTML writes the report as one standalone page (no script, no external
// resource), French unless opts.Lang says otherwise.
func HTML(w io.Writer, r *evaluation.Report, opts *HTMLOptions) error {
	if r == nil {
		return fmt.Errorf("render: no report")
	}
	var o HTMLOptions
	if opts != nil {
		o = *opts
	}
	if o.Lang == "" {
		o.Lang = French
	}
	l := o.Lang
	p := page{Lang: l, Title: word(l, "title"), DefHeading: word(l, "definitions"), NavLabel: word(l, "contents"), Note: word(l, "lang.other")}
	if r.Synthetic {
		p.Synthetic = word(l, "synthetic")
	}
	p.Meta = [][2]string{
		{word(l, "territory"), territoryName(l, r.Territory)},
		{word(l, "period"), periodText(l, r.Period)},
		{word(l, "generated"), dateText(l, r.GeneratedAt)},
	}
	p.Threshold = fmt.Sprintf(word(l, "threshold"), r.MaskThreshold)
	if r.Empty {
		p.Empty = word(l, "empty")
	} else {
		p.Sections = sections(l, r, &o)
	}
	for _, d := range r.Definitions {
		t := d.FR
		if l == English {
			t = d.EN
		}
		p.Definitions = append(p.Definitions, definition{Term: label(l, d.ID), Text: t})
	}
	return pageTemplate.Execute(w, p)
}

func territoryName(l Lang, t evaluation.Territory) string {
	if t.Level == evaluation.LevelFrance || t.Level == "" {
		return word(l, "france")
	}
	level := map[evaluation.TerritoryLevel]text{
		evaluation.LevelRegion:      {"Région", "Région"},
		evaluation.LevelDepartement: {"Département", "Département"},
		evaluation.LevelCommune:     {"Commune", "Commune"},
	}[t.Level].in(l)
	return fmt.Sprintf("%s %s (%s)", level, t.Name, t.Code)
}

// periodText shows the half-open period as the days it covers.
func periodText(l Lang, p evaluation.Period) string {
	last := p.To.AddDate(0, 0, -1)
	if l == English {
		return fmt.Sprintf("%s to %s", dateText(l, p.From), dateText(l, last))
	}
	return fmt.Sprintf("du %s au %s", dateText(l, p.From), dateText(l, last))
}

func dateText(l Lang, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if l == English {
		return t.Format("2 January 2006")
	}
	return t.Format("02/01/2006")
}

// index keys the flattened figures by path and key.
func index(r *evaluation.Report) map[string]cell {
	m := map[string]cell{}
	if r == nil {
		return m
	}
	for _, x := range rows(r) {
		m[x.path+"|"+x.key] = x.cell
	}
	return m
}

func show(l Lang, c cell) tcell {
	switch c.kind {
	case cellMasked:
		return tcell{Text: c.show(l), Class: "masked", Title: word(l, "masked.help")}
	case cellUndefined:
		return tcell{Text: c.show(l), Class: "undefined"}
	}
	return tcell{Text: c.show(l), Class: "num"}
}

// figures is a table of indicators beside their previous values.
func figures(l Lang, caption string, cur, prev map[string]cell, paths []string) *table {
	t := &table{Caption: caption, Head: []string{word(l, "indicator"), word(l, "this")}}
	if prev != nil {
		t.Head = append(t.Head, word(l, "previous"))
	}
	for _, path := range paths {
		c, ok := cur[path+"|"]
		if !ok {
			continue
		}
		row := []tcell{{Text: word(l, path)}, show(l, c)}
		if prev != nil {
			pc, ok := prev[path+"|"]
			if !ok {
				pc = cell{kind: cellUndefined}
			}
			row = append(row, show(l, pc))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func keyLabel(l Lang, k string) string {
	if t, ok := densityWords[k]; ok {
		return t.in(l)
	}
	return word(l, k)
}

// keyed is a chart and its table from a list of KeyCounts.
func keyed(l Lang, id, heading string, kcs []evaluation.KeyCount) block {
	var bars []bar
	t := &table{Caption: heading, Head: []string{word(l, "group"), word(l, "value")}}
	for _, kc := range kcs {
		c := countCell(kc.Count)
		bars = append(bars, bar{keyLabel(l, kc.Key), c})
		t.Rows = append(t.Rows, []tcell{{Text: keyLabel(l, kc.Key)}, show(l, c)})
	}
	b := block{Heading: heading, Table: t}
	if len(bars) > 0 {
		b.Chart = template.HTML(barChart(l, id, heading, heading, bars))
	}
	return b
}

func sections(l Lang, r *evaluation.Report, o *HTMLOptions) []section {
	cur := index(r)
	var prev map[string]cell
	if r.Previous != nil && !r.Previous.Empty {
		prev = index(r.Previous)
	}
	var out []section

	key := block{Table: figures(l, word(l, "key_figures"), cur, prev, []string{
		"network.active_ambassadors", "actions.count", "actions.people_sensitised", "actions.accounts_activated",
		"referrals.funnel.proposed", "referrals.funnel.completed", "progression.share_rose",
	})}
	if r.Previous != nil && r.Previous.Empty {
		key.Note = fmt.Sprintf(text{"Période précédente (%s) : aucune donnée enregistrée, donc aucune comparaison.",
			"Previous period (%s): no data recorded, so no comparison."}.in(l), periodText(l, r.Previous.Period))
	}
	out = append(out, section{ID: "chiffres-cles", Heading: word(l, "key_figures"), Blocks: []block{key}})

	net := section{ID: "reseau", Heading: word(l, "network")}
	net.Blocks = append(net.Blocks,
		block{Table: figures(l, word(l, "network"), cur, prev, []string{
			"network.active_ambassadors", "network.coordinators", "network.trained_mon_espace_sante", "network.new", "network.departed"})},
		keyed(l, "network-kind", word(l, "by_kind"), r.Network.ByKind),
		keyed(l, "network-region", word(l, "by_region"), named(r.Network.ByRegion, o.regionName)))
	out = append(out, net)

	act := section{ID: "actions", Heading: word(l, "actions")}
	act.Blocks = append(act.Blocks, block{Table: figures(l, word(l, "actions"), cur, prev, []string{
		"actions.count", "actions.people_sensitised", "actions.accounts_activated", "actions.hours",
		"actions.per_ambassador.actions", "actions.per_ambassador.people_sensitised", "actions.per_ambassador.hours",
		"actions.accompaniments.count", "actions.accompaniments.hours"})})
	var typeBars []bar
	tt := &table{Caption: word(l, "by_type"), Head: []string{word(l, "type"), word(l, "actions.count"), word(l, "actions.people_sensitised"), word(l, "actions.accounts_activated"), word(l, "actions.hours")}}
	for _, x := range r.Actions.ByType {
		typeBars = append(typeBars, bar{word(l, x.Type), countCell(x.Count)})
		tt.Rows = append(tt.Rows, []tcell{{Text: word(l, x.Type)}, show(l, countCell(x.Count)), show(l, countCell(x.PeopleSensitised)), show(l, countCell(x.AccountsActivated)), show(l, measureCell(x.Hours, false))})
	}
	tb := block{Heading: word(l, "by_type"), Table: tt}
	if len(typeBars) > 0 {
		tb.Chart = template.HTML(barChart(l, "actions-type", word(l, "by_type"), word(l, "by_type"), typeBars))
	}
	act.Blocks = append(act.Blocks, tb)
	if len(r.Actions.ByMonth) > 0 {
		mt := &table{Caption: word(l, "by_month"), Head: []string{word(l, "month"), word(l, "actions.count"), word(l, "actions.people_sensitised"), word(l, "referrals"), word(l, "accompaniments")}}
		var labels []string
		sa := series{name: word(l, "actions.count"), colour: colourBar}
		sr := series{name: word(l, "referrals"), colour: colourLine2}
		for _, m := range r.Actions.ByMonth {
			labels = append(labels, monthLabel(l, m.Month))
			sa.points = append(sa.points, countCell(m.Actions))
			sr.points = append(sr.points, countCell(m.Referrals))
			mt.Rows = append(mt.Rows, []tcell{{Text: monthLabel(l, m.Month)}, show(l, countCell(m.Actions)), show(l, countCell(m.PeopleSensitised)), show(l, countCell(m.Referrals)), show(l, countCell(m.Accompaniments))})
		}
		act.Blocks = append(act.Blocks, block{Heading: word(l, "by_month"), Table: mt,
			Chart: template.HTML(lineChart(l, "months", word(l, "by_month"), word(l, "by_month"), labels, []series{sa, sr}))})
	}
	act.Blocks = append(act.Blocks, keyed(l, "accompaniments-autonomy", word(l, "accompaniments")+" – "+word(l, "autonomy"), r.Actions.Accompaniments.ByAutonomy))
	out = append(out, act)

	ref := section{ID: "orientations", Heading: word(l, "referrals")}
	f := r.Referrals.Funnel
	steps := []struct {
		path string
		c    evaluation.Count
		conv *evaluation.Measure
	}{
		{"referrals.funnel.proposed", f.Proposed, nil},
		{"referrals.funnel.accepted", f.Accepted, &r.Referrals.Conversion.Accepted},
		{"referrals.funnel.scheduled", f.Scheduled, &r.Referrals.Conversion.Scheduled},
		{"referrals.funnel.attended", f.Attended, &r.Referrals.Conversion.Attended},
		{"referrals.funnel.completed", f.Completed, &r.Referrals.Conversion.Completed},
	}
	ft := &table{Caption: word(l, "funnel"), Head: []string{word(l, "step"), word(l, "value"), word(l, "conversion")}}
	var fbars []bar
	for _, s := range steps {
		conv := tcell{Text: "—"}
		if s.conv != nil {
			conv = show(l, measureCell(*s.conv, true))
		}
		fbars = append(fbars, bar{word(l, s.path), countCell(s.c)})
		ft.Rows = append(ft.Rows, []tcell{{Text: word(l, s.path)}, show(l, countCell(s.c)), conv})
	}
	ref.Blocks = append(ref.Blocks,
		block{Heading: word(l, "funnel"), Table: ft, Chart: template.HTML(barChart(l, "funnel", word(l, "funnel"), word(l, "funnel"), fbars))},
		block{Table: figures(l, word(l, "referrals"), cur, prev, []string{
			"referrals.funnel.proposed", "referrals.funnel.completed", "referrals.declined", "referrals.no_shows",
			"referrals.expired", "referrals.cancelled", "referrals.median_days_to_attended"})},
		funnelRows(l, word(l, "by_pathway"), r.Referrals.ByPathway, 0),
		funnelRows(l, word(l, "by_place"), byProposed(r.Referrals.ByPlace, o.PlaceNames), 30))
	out = append(out, ref)

	pro := section{ID: "progression", Heading: word(l, "progression")}
	pro.Blocks = append(pro.Blocks,
		block{Table: figures(l, word(l, "progression"), cur, prev, []string{"progression.assessed", "progression.rose", "progression.share_rose"})},
		keyed(l, "autonomy", word(l, "autonomy"), r.Progression.AutonomyAtCompletion))
	out = append(out, pro)

	eq := section{ID: "equite", Heading: word(l, "equity")}
	eq.Blocks = append(eq.Blocks,
		equityRows(l, word(l, "by_age_band"), r.Equity.ByAgeBand),
		equityRows(l, word(l, "by_density"), r.Equity.ByDensity),
		equityRows(l, word(l, "by_departement"), namedEquity(r.Equity.ByDepartement, o.departementName)))
	out = append(out, eq)

	if len(r.Map) > 0 {
		out = append(out, mapSection(l, r, o))
	}
	if c := r.Coverage; c != nil {
		out = append(out, coverageSection(l, c))
	}
	if len(r.Targets) > 0 {
		tg := &table{Caption: word(l, "targets"), Head: []string{word(l, "indicator"), word(l, "target"), word(l, "actual"), word(l, "share")}}
		var bars []bar
		for _, x := range r.Targets {
			name := x.Target.LabelFR
			if l == English && x.Target.LabelEN != "" {
				name = x.Target.LabelEN
			}
			if name == "" {
				name = word(l, x.Target.Indicator)
			}
			share := measureCell(x.Share, true)
			bars = append(bars, bar{name, share})
			tg.Rows = append(tg.Rows, []tcell{{Text: name}, {Text: number(l, x.Target.Value, 0), Class: "num"}, show(l, measureCell(x.Actual, false)), show(l, share)})
		}
		out = append(out, section{ID: "objectifs", Heading: word(l, "targets"), Blocks: []block{{Table: tg,
			Chart: template.HTML(barChart(l, "targets", word(l, "targets"), word(l, "targets"), bars))}}})
	}
	return out
}

func (o *HTMLOptions) regionName(code string) string {
	if o.Communes != nil {
		if r, ok := o.Communes.Region(code); ok {
			return r.Name + " (" + code + ")"
		}
	}
	return code
}

func (o *HTMLOptions) departementName(code string) string {
	if o.Communes != nil {
		if d, ok := o.Communes.Departement(code); ok {
			return d.Name + " (" + code + ")"
		}
	}
	return code
}

// named copies kcs with their codes named.
func named(kcs []evaluation.KeyCount, name func(string) string) []evaluation.KeyCount {
	out := make([]evaluation.KeyCount, len(kcs))
	for i, kc := range kcs {
		out[i] = kc
		if kc.Key != "" {
			out[i].Key = name(kc.Key)
		}
	}
	return out
}

func namedEquity(rs []evaluation.EquityRow, name func(string) string) []evaluation.EquityRow {
	out := make([]evaluation.EquityRow, len(rs))
	for i, x := range rs {
		out[i] = x
		if x.Key != "" {
			out[i].Key = name(x.Key)
		}
	}
	return out
}

// byProposed orders the places by referrals proposed, most first (masked
// counts last), and names them, so the table's first rows are the busiest.
func byProposed(rs []evaluation.FunnelRow, names map[string]string) []evaluation.FunnelRow {
	out := slices.Clone(rs)
	rank := func(c evaluation.Count) int {
		if c.Masked {
			return -1
		}
		return c.N
	}
	slices.SortStableFunc(out, func(a, b evaluation.FunnelRow) int {
		return rank(b.Funnel.Proposed) - rank(a.Funnel.Proposed)
	})
	for i := range out {
		if n, ok := names[out[i].Key]; ok && n != "" {
			out[i].Key = n
		}
	}
	return out
}

func monthLabel(l Lang, m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	if l == English {
		return t.Format("Jan 06")
	}
	return []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}[t.Month()-1] + " " + t.Format("06")
}

func funnelRows(l Lang, heading string, rs []evaluation.FunnelRow, limit int) block {
	t := &table{Caption: heading, Head: []string{word(l, "group"), word(l, "referrals.funnel.proposed"), word(l, "referrals.funnel.accepted"),
		word(l, "referrals.funnel.scheduled"), word(l, "referrals.funnel.attended"), word(l, "referrals.funnel.completed")}}
	b := block{Heading: heading, Table: t}
	if limit > 0 && len(rs) > limit {
		b.Note = fmt.Sprintf(text{"%d premiers sur %d", "first %d of %d"}.in(l), limit, len(rs))
		rs = rs[:limit]
	}
	for _, x := range rs {
		f := x.Funnel
		t.Rows = append(t.Rows, []tcell{{Text: word(l, x.Key)}, show(l, countCell(f.Proposed)), show(l, countCell(f.Accepted)),
			show(l, countCell(f.Scheduled)), show(l, countCell(f.Attended)), show(l, countCell(f.Completed))})
	}
	return b
}

func equityRows(l Lang, heading string, rs []evaluation.EquityRow) block {
	t := &table{Caption: heading, Head: []string{word(l, "group"), word(l, "referred"), word(l, "attended"), word(l, "completed"), word(l, "attendance_rate"), word(l, "accompaniments"), word(l, "participants")}}
	var bars []bar
	for _, x := range rs {
		rate := measureCell(x.AttendanceRate, true)
		bars = append(bars, bar{keyLabel(l, x.Key), rate})
		t.Rows = append(t.Rows, []tcell{{Text: keyLabel(l, x.Key)}, show(l, countCell(x.Referred)), show(l, countCell(x.Attended)),
			show(l, countCell(x.Completed)), show(l, rate), show(l, countCell(x.Accompaniments)), show(l, countCell(x.Participants))})
	}
	b := block{Heading: heading, Table: t}
	if len(bars) > 0 && len(bars) <= 20 {
		b.Chart = template.HTML(barChart(l, "equity-"+strconv.Itoa(len(heading))+"-"+strconv.Itoa(len(bars)), heading+" – "+word(l, "attendance_rate"), heading, bars))
	}
	return b
}

func mapSection(l Lang, r *evaluation.Report, o *HTMLOptions) section {
	var land [][2]float64
	if o.Communes != nil {
		var pts [][2]float64
		for c := range o.Communes.All() {
			pts = append(pts, [2]float64{c.Lat, c.Lon})
		}
		land = landCells(pts)
	}
	dots := make([]dot, 0, len(r.Map))
	outside := 0
	for _, m := range r.Map {
		label := m.Commune
		if o.Communes != nil {
			if c, ok := o.Communes.Commune(m.Commune); ok {
				label = c.Name + " (" + m.Commune + ")"
			}
		}
		if !inMetropole(m.Lat, m.Lon) {
			outside++
		}
		dots = append(dots, dot{lat: m.Lat, lon: m.Lon, places: m.Places, trainedPlaces: m.TrainedPlaces, referrals: countCell(m.Referrals), label: label})
	}
	b := block{Chart: template.HTML(dotMap(l, "map", word(l, "map"), word(l, "map.desc"), land, dots)), Note: word(l, "map.desc")}
	if outside > 0 {
		b.Note += " " + fmt.Sprintf(word(l, "map.outside"), outside)
	}
	// The table alternative lists the communes with the most referrals.
	top := slices.Clone(dots)
	slices.SortStableFunc(top, func(a, b dot) int { return -cmpFloat(a.referrals.value, b.referrals.value) })
	if len(top) > 25 {
		top = top[:25]
	}
	t := &table{Caption: word(l, "map.table"), Head: []string{word(l, "commune"), word(l, "referrals"), word(l, "places"), word(l, "trained_places")}}
	for _, d := range top {
		t.Rows = append(t.Rows, []tcell{{Text: d.label}, show(l, d.referrals), {Text: number(l, float64(d.places), 0), Class: "num"}, {Text: number(l, float64(d.trainedPlaces), 0), Class: "num"}})
	}
	return section{ID: "carte", Heading: word(l, "map"), Blocks: []block{b, {Table: t}}}
}

func coverageSection(l Lang, c *evaluation.Coverage) section {
	s := section{ID: "couverture", Heading: word(l, "coverage")}
	t := &table{Caption: word(l, "coverage"), Head: []string{word(l, "indicator"), word(l, "value")}}
	t.Rows = append(t.Rows,
		[]tcell{{Text: word(l, "trained_places")}, {Text: number(l, float64(c.TrainedPlaces), 0), Class: "num"}},
		[]tcell{{Text: word(l, "network.trained_mon_espace_sante")}, {Text: number(l, float64(c.TrainedAmbassadors), 0), Class: "num"}},
		[]tcell{{Text: text{"Lieux formés pour 10 000 habitants", "Trained places per 10,000 inhabitants"}.in(l)}, {Text: number(l, c.PlacesPer10k, 2), Class: "num"}})
	for _, b := range c.Bands {
		t.Rows = append(t.Rows, []tcell{
			{Text: fmt.Sprintf(text{"Population à moins de %s km d'un lieu formé (60 ans et plus : %s)", "Population within %s km of a trained place (aged 60 and over: %s)"}.in(l),
				number(l, b.RadiusKm, 0), cell{value: b.Share60Plus, share: true}.show(l))},
			{Text: cell{value: b.Share, share: true}.show(l), Class: "num"}})
	}
	s.Blocks = append(s.Blocks, block{Table: t})
	if len(c.SupplyDemand) > 0 {
		sd := &table{Caption: text{"Offre et demande par département", "Supply and demand by département"}.in(l),
			Head: []string{word(l, "by_departement"), word(l, "places"), text{"Capacité hebdomadaire", "Weekly capacity"}.in(l), text{"Demande hebdomadaire", "Weekly demand"}.in(l), text{"Rapport", "Ratio"}.in(l)}}
		for _, x := range c.SupplyDemand {
			ratio := tcell{Text: number(l, x.Ratio, 2), Class: "num"}
			switch {
			case x.CapacityUnknown || x.Capacity <= 0 || x.Ratio < 0 || math.IsNaN(x.Ratio) || math.IsInf(x.Ratio, 0):
				// No declared capacity: the ratio is not measured, and
				// the supply is not said to be short.
				ratio = tcell{Text: text{"capacité inconnue", "capacity unknown"}.in(l), Class: "undefined"}
			case x.Short:
				ratio.Class = "num short"
				ratio.Text += " ⚠"
				ratio.Title = text{"offre insuffisante", "supply short of demand"}.in(l)
			}
			sd.Rows = append(sd.Rows, []tcell{{Text: x.Name + " (" + x.Departement + ")"}, {Text: number(l, float64(x.Places), 0), Class: "num"},
				{Text: number(l, float64(x.Capacity), 0), Class: "num"}, {Text: number(l, x.WeeklyDemand, 1), Class: "num"}, ratio})
		}
		s.Blocks = append(s.Blocks, block{Table: sd})
	}
	if len(c.Farthest) > 0 {
		ft := &table{Caption: text{"Communes peu denses les plus éloignées d'un lieu formé", "Sparse communes farthest from a trained place"}.in(l),
			Head: []string{word(l, "commune"), text{"Distance (km)", "Distance (km)"}.in(l)}}
		for _, x := range c.Farthest {
			ft.Rows = append(ft.Rows, []tcell{{Text: x.Name + " (" + x.Code + ")"}, {Text: number(l, x.DistanceKm, 1), Class: "num"}})
		}
		s.Blocks = append(s.Blocks, block{Table: ft})
	}
	return s
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"Marianne",Arial,Helvetica,sans-serif;color:#1e1e1e;background:#fff;margin:0 auto;max-width:1000px;padding:1rem 1.5rem;line-height:1.45}
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.4rem;border-bottom:2px solid #000091;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.1rem}
.synthetic{border:3px solid #b34000;background:#fff4ec;color:#5c2000;padding:.6rem 1rem;font-weight:bold}
.empty{border:2px solid #000091;background:#f0f0ff;padding:1rem;font-size:1.1rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:50%}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .6rem;text-align:left}th{background:#f2f2f9}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.masked,td.undefined{text-align:right;font-style:italic;color:#555}
td.short{color:#8f2c00;font-weight:bold}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
.note{color:#3a3a3a;font-size:.95rem}
ul.toc{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0}ul.toc a{color:#000091}
section{break-inside:auto}figure{margin:0;break-inside:avoid}
@media print{body{max-width:none;padding:0}nav{display:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
</style>
</head>
<body>
<header>
{{if .Synthetic}}<p class="synthetic" role="note" id="synthetique">{{.Synthetic}}</p>{{end}}
<h1>{{.Title}}</h1>
<dl class="meta">{{range .Meta}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
<p class="note">{{.Threshold}}</p>
</header>
{{if .Sections}}<nav aria-label="{{.NavLabel}}"><ul class="toc">{{range .Sections}}<li><a href="#{{.ID}}">{{.Heading}}</a></li>{{end}}</ul></nav>{{end}}
<main>
{{if .Empty}}<p class="empty" role="status" id="vide">{{.Empty}}</p>{{end}}
{{range .Sections}}<section id="{{.ID}}" aria-labelledby="{{.ID}}-h">
<h2 id="{{.ID}}-h">{{.Heading}}</h2>
{{range .Blocks}}<figure>
{{if .Heading}}<h3>{{.Heading}}</h3>{{end}}
{{if .Chart}}{{.Chart}}{{end}}
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{with .Table}}<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Head}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c.Text}}</th>{{else}}<td{{if $c.Class}} class="{{$c.Class}}"{{end}}{{if $c.Title}} title="{{$c.Title}}"{{end}}>{{$c.Text}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>
</table>{{end}}
</figure>
{{end}}</section>
{{end}}
{{if .Definitions}}<section id="definitions" aria-labelledby="definitions-h">
<h2 id="definitions-h">{{.DefHeading}}</h2>
<dl>{{range .Definitions}}<dt>{{.Term}}</dt><dd>{{.Text}}</dd>{{end}}</dl>
</section>{{end}}
</main>
<footer>{{if .Synthetic}}<p class="synthetic">{{.Synthetic}}</p>{{end}}<p class="note">{{.Note}}</p></footer>
</body>
</html>
`))
