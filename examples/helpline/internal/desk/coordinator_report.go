package desk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/evaluation"
	evaldemo "github.com/passerelle-sante/passerelle/evaluation/demo"
	"github.com/passerelle-sante/passerelle/evaluation/render"
	"github.com/passerelle-sante/passerelle/store/evalsource"
)

// The yearly report of a coordinator: the evaluation of the scheme over a
// period and a région, computed from the desk's store, shown in the page
// and downloadable as CSV, JSON or a standalone HTML page.

// maxReportDays bounds the period of one report (three years and a day):
// enough for any yearly comparison, not a scan of the whole store by
// mistake.
const maxReportDays = 3*366 + 1

// reportParams is a report's period (From ≤ t < To, To the day after the
// last day asked) and région, as read from the query.
type reportParams struct {
	From, To time.Time
	Region   string
	Regions  []regionChoice
}

// Last is the last day of the period, included.
func (p reportParams) Last() time.Time { return p.To.AddDate(0, 0, -1) }

// Query is the query string that gives the same report.
func (p reportParams) Query() string {
	q := url.Values{}
	q.Set("from", p.From.Format(time.DateOnly))
	q.Set("to", p.Last().Format(time.DateOnly))
	if p.Region != "" {
		q.Set("region", p.Region)
	}
	return q.Encode()
}

// fileName is the download's name without its extension.
func (p reportParams) fileName(lang assessment.Lang) string {
	scope := "france"
	if p.Region != "" {
		scope = "region-" + p.Region
	}
	word := "rapport"
	if lang == assessment.LangEN {
		word = "report"
	}
	return fmt.Sprintf("%s-%s-%s-%s", word, scope, p.From.Format(time.DateOnly), p.Last().Format(time.DateOnly))
}

// readReportParams reads ?from=&to= (YYYY-MM-DD, both included; from the
// 1st of January of this year to today by default) and ?region=.
func (s *Server) readReportParams(r *http.Request) (reportParams, error) {
	q := r.URL.Query()
	from, to, err := parseReportPeriod(langOf(r.Context()), q.Get("from"), q.Get("to"), s.now())
	if err != nil {
		return reportParams{}, err
	}
	p := reportParams{From: from, To: to}
	if p.Region, p.Regions, err = s.coordinatorRegion(r); err != nil {
		return reportParams{}, err
	}
	return p, nil
}

// parseReportPeriod reads the first and last days of a report (YYYY-MM-DD,
// both included; empty: the 1st of January of now's year, and now's day)
// and returns the period as From ≤ t < To, To the day after the last. The
// error names the parameter at fault, in lang.
func parseReportPeriod(lang assessment.Lang, fromS, toS string, now time.Time) (from, to time.Time, err error) {
	now = now.UTC()
	from = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, f := range []struct {
		name, value string
		into        *time.Time
	}{{"from", fromS, &from}, {"to", toS, &last}} {
		v := strings.TrimSpace(f.value)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return time.Time{}, time.Time{}, badParam(http.StatusBadRequest, lang, "coord.err.date", f.name, v)
		}
		*f.into = t
	}
	if last.Before(from) {
		return time.Time{}, time.Time{}, badParam(http.StatusBadRequest, lang, "coord.err.order",
			last.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	to = last.AddDate(0, 0, 1)
	if to.Sub(from) > maxReportDays*24*time.Hour {
		return time.Time{}, time.Time{}, badParam(http.StatusBadRequest, lang, "coord.err.span", maxReportDays)
	}
	return from, to, nil
}

// computeReport computes the evaluation over p from the desk's store, with
// the coverage of the period; a store holding a demo year gives a report
// labelled synthetic.
func (s *Server) computeReport(ctx context.Context, p reportParams) (*evaluation.Report, *render.HTMLOptions, error) {
	cov, places, err := s.computeCoverage(ctx, p.Region, p.From, p.To)
	if err != nil {
		return nil, nil, err
	}
	src := evaldemo.Detect(evalsource.New(s.st, 0))
	rep, err := evaluation.Compute(ctx, src, evaluation.Options{
		Period: evaluation.Period{From: p.From, To: p.To}, Region: p.Region, Communes: s.communes,
		Places: places, Coverage: cov, Now: s.now,
	})
	if err != nil {
		return nil, nil, err
	}
	if src.Found() {
		rep.Synthetic = true
		if rep.Previous != nil {
			rep.Previous.Synthetic = true
		}
	}
	names := make(map[string]string, len(places))
	for _, pl := range places {
		names[pl.ID] = pl.Name + ", " + pl.Commune
	}
	return rep, &render.HTMLOptions{Communes: s.communes, PlaceNames: names}, nil
}

// reportData is the report page's content.
type reportData struct {
	Params reportParams
	Scope  string
	From   string
	To     string
	Query  string
	Body   template.HTML
}

// Link is the address of the report downloaded as format.
func (d reportData) Link(format string) string { return "/report." + format + "?" + d.Query }

// reportPage shows /report: the form, the download links and the report.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r.Context())
	p, rep, opts, ok := s.requestedReport(w, r)
	if !ok {
		return
	}
	var page bytes.Buffer
	if err := render.HTML(&page, rep, opts); err != nil {
		s.internal(w, r, err)
		return
	}
	body, err := reportFragment(page.String())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := reportData{Params: p, Scope: s.regionLabel(lang, p.Region), From: p.From.Format(time.DateOnly),
		To: p.Last().Format(time.DateOnly), Query: p.Query(), Body: body}
	s.render(w, r, http.StatusOK, "report", s.page(r, "coord.report.title", "report", d))
}

// requestedReport reads the report's parameters from r and computes the
// report in the request's language; on a bad parameter or a failed
// computation it answers the error itself and returns ok false.
func (s *Server) requestedReport(w http.ResponseWriter, r *http.Request) (reportParams, *evaluation.Report, *render.HTMLOptions, bool) {
	p, err := s.readReportParams(r)
	if err != nil {
		s.failParam(w, r, err)
		return p, nil, nil, false
	}
	rep, opts, err := s.computeReport(r.Context(), p)
	if err != nil {
		s.failReport(w, r, err)
		return p, nil, nil, false
	}
	opts.Lang = renderLang(langOf(r.Context()))
	return p, rep, opts, true
}

// reportDownload answers /report.csv, /report.json and /report.html with
// the report as a file to save.
func (s *Server) reportDownload(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.writeReport(w, r, format, true) }
}

// writeReport computes the report the query asks for and writes it as
// format (csv, json or html), as an attachment when download is set.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, format string, download bool) {
	p, rep, opts, ok := s.requestedReport(w, r)
	if !ok {
		return
	}
	var err error
	var buf bytes.Buffer
	var ctype string
	switch format {
	case "csv":
		ctype, err = "text/csv; charset=utf-8", render.CSV(&buf, rep, opts.Lang)
	case "json":
		ctype, err = "application/json; charset=utf-8", render.JSON(&buf, rep)
	default:
		ctype, err = "text/html; charset=utf-8", render.HTML(&buf, rep, opts)
		// The standalone page carries its own style sheet and runs no
		// script.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	if download {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, p.fileName(langOf(r.Context())), format))
	}
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// apiReport answers GET /api/v1/report: the report as JSON, or with
// ?format=csv|html as CSV or the standalone HTML page.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		s.writeReport(w, r, "json", false)
	case "csv", "html":
		s.writeReport(w, r, f, false)
	default:
		s.fail(w, r, http.StatusBadRequest, tr(langOf(r.Context()), "coord.err.format", f))
	}
}

// failReport answers an error of the evaluation: a bad period or territory
// is the visitor's (400, with the library's message naming it), anything
// else is internal.
func (s *Server) failReport(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, evaluation.ErrEmptyPeriod) || errors.Is(err, evaluation.ErrUnknownTerritory) || errors.Is(err, evaluation.ErrInvalidOptions) {
		s.fail(w, r, http.StatusBadRequest, tr(langOf(r.Context()), "coord.err.report", err.Error()))
		return
	}
	s.internal(w, r, err)
}

func renderLang(l assessment.Lang) render.Lang {
	if l == assessment.LangEN {
		return render.English
	}
	return render.French
}

// reportFragment takes the body of the standalone report page that
// evaluation/render writes and makes it a part of a desk page: its header,
// main and footer become divisions (the desk page has its own landmarks)
// and its headings go one level down (the desk page has its own h1). The
// renderer escapes every text it shows, so the fragment is trusted HTML.
func reportFragment(page string) (template.HTML, error) {
	start := strings.Index(page, "<body>")
	end := strings.LastIndex(page, "</body>")
	if start < 0 || end < start {
		return "", errors.New("report: the rendered page has no <body>")
	}
	body := page[start+len("<body>") : end]
	if !strings.Contains(body, "<main>") || !strings.Contains(body, "</main>") {
		return "", errors.New("report: the rendered page has no <main>")
	}
	body = strings.NewReplacer(
		"<header>", `<div class="report-head">`, "</header>", "</div>",
		"<main>", `<div class="report-main">`, "</main>", "</div>",
		"<footer>", `<div class="report-foot">`, "</footer>", "</div>",
		"<h1>", "<h2>", "</h1>", "</h2>",
		"<h2>", "<h3>", "<h2 ", "<h3 ", "</h2>", "</h3>",
		"<h3>", "<h4>", "<h3 ", "<h4 ", "</h3>", "</h4>",
	).Replace(body)
	return template.HTML(`<div class="report">` + body + `</div>`), nil
}
