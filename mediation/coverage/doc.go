// Package coverage maps the Mon espace santé ambassador scheme onto the
// territory: who is trained where, how much of the population (and of the
// people aged 60 and over) lives within 10, 20 and 30 km of a trained
// place, how many trained places there are per 10,000 inhabitants, which
// sparsely populated communes are farthest from any trained place, and, per
// département, the referrals asked of mediation places against the places'
// declared weekly capacity.
//
// # Room in the house
//
// territory knows the communes and their population, mediation knows the
// places and the network's records; this package only reads both. It does
// not import referral: the referral counts per place are an input
// (referral.Store.OpenCountsSince gives them), so a coordinator's tool can
// feed them from any store.
//
// # Definitions
//
//   - A trained place holds the label « Formé à « Mon Espace Santé » » or has
//     a Training of that module recorded for its id. Places without
//     coordinates cannot be mapped and are counted apart (Unlocated).
//   - A trained ambassador has a Training of that module and has not left
//     the scheme; it counts in the communes and départements of the places
//     where it acts and of the communes and départements it serves, each once.
//   - A commune is covered within r km when its centroid is within r km
//     (great circle) of a trained place, whichever the région: people cross
//     borders. Its whole municipal population then counts as covered.
//   - People aged 60 and over per commune are estimated as the commune's
//     population times its département's share of people 60+ (INSEE
//     estimates by département; there is no open figure by commune).
//   - Supply against demand: weekly demand is the referrals asked of the
//     département's places divided by the number of weeks they span; supply
//     is the sum of the places' declared weekly capacity. A ratio above 1
//     means the offer is short.
//
// # Speed
//
// The nearest trained place of every commune is found with a k-d tree on
// unit vectors (chord order is great-circle order), exact and in
// about O(log n) per commune, and only the N farthest sparse communes are
// kept while scanning: on this project's 2-core machine the whole country
// (34,969 communes, 3,615 trained places) takes about 0.07 to 0.2 s where a
// brute-force scan takes 2.2 to 2.7 s (BenchmarkComputeNational and its
// BruteForce baseline).
package coverage
