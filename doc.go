// Package passerelle is an embeddable library for digital inclusion in French
// health care: it lets health-insurance funds (CPAM), regional e-health groups
// (GRADeS), regional health agencies (ARS) and mediation networks run the
// « Mon espace santé » inclusion scheme inside their own systems.
//
// This package holds no code: it is the map of the library. The work is done
// by the sub-packages below, each usable on its own.
//
// # The flow
//
//	answers ──assessment.Score──▶ Result{Level, Flags, Scores, Why}
//	Result + Person{commune, age band, needs, constraints}
//	        ──referral.Engine.Refer──▶ rules ▶ pathways ▶ Directory.Nearby ▶ ranked places
//	        ──▶ Referral{ID, pathway, place, status=proposed, why}
//	Referral ──Store.Save──▶ record + outbox event ──▶ event-sink plugins
//	Store ──evaluation.Compute──▶ Report ──▶ JSON / CSV / HTML
//
// # Packages
//
//   - assessment: how far a person is from digital health. Instruments are
//     data (the phone triage, eHEALS, Eurostat's Digital Skills Indicator 2.0,
//     Pix results); scoring gives a Level, Flags, per-dimension Scores and the
//     lines that explain the level, in French or English.
//   - territory: French communes, départements and régions, with postal
//     codes, centroids, population and INSEE density class; forgiving name
//     search.
//   - mediation: the national standard of digital-mediation places
//     (LaMednum standard-mediation-num v1.0.2), importers of the formats found
//     in the wild, opening hours, and a spatial index of places.
//
// # Privacy
//
// People served here are vulnerable and the data is health-adjacent. The
// library identifies people only by pseudonymous identifiers (UUIDs) and
// never puts a name, a phone number, an e-mail address or free text into
// events, exports or reports.
package passerelle
