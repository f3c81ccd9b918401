package desk

import (
	"net/http"

	"github.com/passerelle-sante/passerelle/store"
)

// coordinatorRoutes registers the coordinator's screens (/coverage,
// /report), the report's downloads, their JSON API and their style sheet.
// Every route but the style sheet needs the coordinator role (admins hold
// every role); a coordinator whose account names a région sees only that
// région.
func (s *Server) coordinatorRoutes(mux *http.ServeMux) {
	coord := store.RoleCoordinator
	s.handle(mux, "GET /coverage", s.needs(s.coveragePage, coord))
	s.handle(mux, "GET /report", s.needs(s.reportPage, coord))
	s.handle(mux, "GET /report.csv", s.needs(s.reportDownload("csv"), coord))
	s.handle(mux, "GET /report.json", s.needs(s.reportDownload("json"), coord))
	s.handle(mux, "GET /report.html", s.needs(s.reportDownload("html"), coord))
	s.handle(mux, "GET /api/v1/coverage", s.needs(s.apiCoverage, coord))
	s.handle(mux, "GET /api/v1/report", s.needs(s.apiReport, coord))
	s.handle(mux, "GET /coordinator.css", http.HandlerFunc(serveCoordinatorCSS))
}

// serveCoordinatorCSS serves the style of the coverage map and of the
// report shown in the page (the classes evaluation/render writes).
func serveCoordinatorCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(coordinatorCSS))
}

// coordinatorCSS styles the coordinator screens. Colours keep a contrast
// of at least 4.5:1 on white: #000091 (14:1), #1e1e1e, #3a3a3a (11:1),
// #8f2c00 (7.6:1), #18753c (5.3:1).
const coordinatorCSS = `.coord-form{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:flex-end;margin:.5rem 0 1rem}
.coord-form label{display:flex;flex-direction:column;font-weight:bold;gap:.2rem}
.coord-form input,.coord-form select{font-size:1rem;padding:.3rem .4rem}
.coord-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.6rem;margin:.5rem 0 1rem;padding:0;list-style:none}
.coord-figures li{border:1px solid #c8c8c8;padding:.5rem .8rem}
.coord-figures strong{display:block;font-size:1.6rem;color:#000091}
.coord-map{max-width:100%;height:auto;border:1px solid #c8c8c8;background:#fff}
.coord-legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0}
.coord-legend .swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:50%;vertical-align:middle;margin-right:.3rem}
.swatch.trained{background:#000091}.swatch.amb{background:#18753c}.swatch.far{border:2px solid #8f2c00;background:#fff}
.coord table,.report table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:50%}
.coord caption,.report caption{text-align:left;font-weight:bold;padding:.3rem 0}
.coord th,.coord td,.report th,.report td{border:1px solid #c8c8c8;padding:.25rem .6rem;text-align:left}
.coord thead th,.report thead th{background:#f2f2f9}
.coord td.num,.report td.num{text-align:right;font-variant-numeric:tabular-nums}
.coord td.short,.report td.short{color:#8f2c00;font-weight:bold}
.report td.masked,.report td.undefined{text-align:right;font-style:italic;color:#3a3a3a}
.report .synthetic{border:3px solid #b34000;background:#fff4ec;color:#5c2000;padding:.6rem 1rem;font-weight:bold}
.report .empty{border:2px solid #000091;background:#f0f0ff;padding:1rem;font-size:1.1rem}
.report dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
.report dl.meta dt{font-weight:bold}.report dl.meta dd{margin:0}
.report svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
.report .note,.coord .note{color:#3a3a3a;font-size:.95rem}
.report ul.toc{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0}
.report ul.toc a{color:#000091}
.report figure{margin:0 0 1rem;break-inside:avoid}
.downloads{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;list-style:none;padding:0}
.downloads a{font-weight:bold;color:#000091}
@media print{.coord-form,.downloads,.report nav{display:none}}
`
