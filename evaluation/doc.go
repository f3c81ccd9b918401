// Package evaluation computes the yearly evaluation of the Mon espace santé
// inclusion scheme: the ambassador network, the actions, the referral funnel,
// the progression of the people helped, equity by age, density and
// département, coverage, targets and year over year, over one period and one
// territory.
//
// # Room in the house
//
// It reads the records the other packages keep (mediation's network records,
// referral's Referral) through a Source, streaming, so it never holds the
// records in memory; store/evalsource makes any store.Store a Source. Renderers
// (JSON, CSV, HTML) live in evaluation/render and read only the Report.
//
// # Small counts
//
// A count of people from 1 to Options.MaskThreshold-1 (default 5) is masked:
// it marshals as {"masked": true} and the shares computed from it are masked
// too, so no one can be singled out. Zero is shown: it singles out no one.
package evaluation
