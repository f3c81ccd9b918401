// Package render turns an evaluation.Report into what people read: JSON
// (the Report's own marshalling, indented and stable), CSV for a French
// spreadsheet (UTF-8 with a byte-order mark, ";" separator, decimal comma,
// one long table) and a standalone HTML page with SVG charts drawn here (bars
// for the actions and the referral funnel, lines over the months, a dot map
// of France from commune centroids).
//
// # Room in the house
//
// evaluation computes; render only reads the Report, so a report computed
// once can be rendered in every format and language. The CLI's
// "passerelle report" calls it.
//
// # What a reader can trust
//
// A masked count (a small number of people, see evaluation.Options) is shown
// as masked in every format, never as a number; a figure that cannot be
// measured (a share of nobody) is shown as not measured, not as zero. An empty
// report says it is empty. A synthetic report (the demo) says so at the top of
// every format. French comes first; English is available (Lang). The HTML
// page has headings, a table beside every chart, text of sufficient contrast
// and a print style, and escapes every text it shows.
package render
