// Package mediation models the places where people get help with digital
// health: the national standard of digital-mediation places (LaMednum
// standard-mediation-num v1), its enumerations with their exact French
// wording, the repairs made on import, the detection and merging of the same
// place seen in several feeds, and the import report that accounts for every
// row read.
//
// # Room in the house
//
// territory knows communes; mediation knows places; referral matches people
// to places. Importers of each feed live in sub-packages (lamednum,
// franceservices, datainclusion, hsds) and only produce []Place plus an
// *ImportReport; this package knows none of them.
//
// # Messages
//
// Every FieldError has an English Message and a French MessageFR;
// FieldError.Text picks one.
//
// # Wire values
//
// Go names are English, but every enumeration value is the standard's French
// text (Service, Public, SpecificSupport, Fee, Program, Label, AccessMode,
// SupportMode, Itinerance). Lookup matches a raw value tolerantly (case,
// accents, curly apostrophes); Valid is strict.
//
// # Repairs
//
// A repair never happens silently: it adds a RepairFlag to the place and a
// FieldError with code "repaired" to the row's outcome in the report.
// Repair needs a CommuneResolver (territory.Reference satisfies it):
//   - no or unusable coordinates: the commune centroid, FlagApproximateLocation;
//   - latitude and longitude swapped: swapped back when the commune proves it,
//     FlagCoordinatesSwapped;
//   - missing code_insee: derived from code_postal and commune,
//     FlagINSEECodeDerived;
//   - missing commune or code_postal: taken from the INSEE code (a postal
//     code only when the commune has a single one), FlagCommuneDerived,
//     FlagPostalCodeDerived;
//   - coordinates more than SuspiciousDistanceKm from the commune: kept,
//     FlagSuspiciousLocation.
//
// Batch applies one policy to every importer: rows missing what the
// standard requires are rejected, values that break it but are not needed
// are dropped (with a reason), and every row gets a RowOutcome, so an
// ImportReport always adds up.
//
// # Duplicates
//
// Merge takes the places of several feeds and merges those that are the same
// place (same SIRET and close; very close with similar names; same address,
// commune and similar name; same e-mail or phone nearby), never two records
// of one feed. The merged place keeps the most recently
// updated values, the union of multi-valued fields, and every Provenance.
//
// # Directory and Index
//
// Directory is what the rest of the library asks for places: Nearby takes a
// Query (a point, k, a maximum distance, and filters on services, publics,
// specific support, fees, programmes, labels, access and support modes,
// opening within a delay, online booking) and returns places nearest first,
// by great-circle distance. Index is the in-memory Directory: immutable,
// safe for concurrent use, and exact (the same places in the same order as
// a brute-force scan, ties broken by id). It keeps a per-node summary of
// the filter values below each node, so a rare filter (the « Formé à « Mon
// Espace Santé » » label, Aidants Connect) prunes whole regions instead of
// walking every near place; opening hours are parsed once, in the time zone
// and holiday calendar of the place's département.
//
// # The ambassador network
//
// The records of the « Mon espace santé » ambassador scheme live here too:
// Coordinator (in a GRADeS, an ARS or a CPAM), Ambassador (kind, host
// structure, places, territory served, languages, status over time),
// Training (« Formé à « Mon Espace Santé » » among them, with an optional
// Pix result), Action (stands, activation workshops, webinars, ... with
// anonymous participant counts by the age bands and genders of La Coop de
// la médiation numérique), Accompaniment (one-to-one help to a pseudonymous
// person, with the autonomy reached) and Question (the mediators' questions
// and their answers, from which SearchFAQ builds a FAQ).
//
// No record names anyone: an ambassador is a pseudonymous ID with, at most,
// a short Handle chosen by the coordinator, and Validate refuses handles and
// texts that hold an e-mail address or a phone number. Each record's
// Validate lists every problem with its field, in English and French.
//
// NetworkStore is the repository of these records, declared here where it
// is used and implemented by store/memory, store/sqlite and store/postgres.
// Saves are idempotent on the record's ID (importers derive IDs from the
// source's own ids with ExternalUUID, so importing a file twice stores
// nothing new), batches are all-or-nothing, and updates use optimistic
// concurrency on Version. The sub-package coverage computes who is trained
// where, the share of people within reach of a trained place, and supply
// against demand.
package mediation
