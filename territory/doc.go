// Package territory is the map of France the rest of passerelle stands on:
// every current commune (metropole, DROM and COM) with its INSEE code, name,
// postal codes, département, région, centroid, municipal population and
// INSEE density class, plus the names of départements and régions and the
// share of people aged 60 and over per département.
//
// A teleadvisor hears "I live in Saint-Affrique, 12400"; [Reference.Find]
// turns that into a commune, [Reference.Nearest] turns a point back into a
// commune, and the mediation packages use the centroid to find help places
// around it. Importers use [Reference.Resolve] to derive a missing INSEE
// code from a postal code and a commune name as written in a data file.
//
// # Data
//
// [Default] returns the embedded reference built from the 2025 Code
// officiel géographique (34,969 communes), geo.api.gouv.fr centroids, the
// INSEE 7-level density grid (2024 geography) and INSEE population
// estimates by age (2023). DATA.md in this folder records the sources,
// their licences and how the files were joined; the embedded file is
// rebuilt with "go generate ./territory".
//
// # Other references
//
// A plugin or an integrator may supply another reference (a newer year,
// extra indicators per commune) by implementing [Source] and calling
// [Load]. A [Reference] is immutable once loaded and safe for concurrent
// use.
//
// # Names
//
// Name matching goes through [Fold], which removes case, accents, hyphens
// and apostrophes and spells out "St"/"Ste"; on top of it, [Reference.Find]
// tolerates a missing article ("Isle-sur-la-Sorgue") and typos (a bounded
// edit distance over a trigram index).
package territory
