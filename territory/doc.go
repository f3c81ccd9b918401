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
// [Load]; [WithIndicators] adds per-commune figures to any Source. A
// [Reference] is immutable once loaded and safe for concurrent use.
//
// The name index (for Find and Resolve) and the point index (for Nearest)
// are built on first use, so a caller that only looks codes up does not
// pay for them.
//
// # Names
//
// Name matching goes through [Fold], which removes case, accents, hyphens
// and apostrophes and spells out "St"/"Ste"; on top of it, [Reference.Find]
// tolerates a missing article ("Isle-sur-la-Sorgue"), names run together
// ("Chateau Bernard" for Châteaubernard), former names of merged or
// renamed communes ("Hesdin" for Hesdin-la-Forêt) and typos (a bounded
// edit distance over a trigram index). Scores keep the tiers apart: exact
// name 1, prefix about 0.8 to 0.95, word inside the name about 0.7 to 0.8,
// typo below 0.7; within a tier, larger communes come first.
//
// [Reference.Resolve] is stricter, because an importer writes its answer
// into data: it accepts an exact name (or a typo) only among the communes
// of the postal code, or an exact name unique in the postal code's
// département, and refuses anything ambiguous.
package territory
