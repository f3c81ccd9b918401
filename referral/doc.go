// Package referral sends a person to the right help: declarative regional
// rules turn an assessment and the person's situation into pathways (kinds
// of help), the engine matches each pathway against the directory of
// mediation places, and a Referral record follows the person until they are
// autonomous, or until we know why not.
//
// # Pathways
//
// A Catalogue lists the kinds of help with stable ids (PathwayID), French
// and English names, and what each needs from the directory (PlaceNeeds).
//
// # Rules
//
// A rules document (YAML or JSON, schemas/rules.schema.json, generated from
// RulesDocument) is what a regional team edits without recompiling: a
// version, a bilingual title, an ordered list of rules and test cases.
// Each rule has an id, a bilingual description, a condition (when; none
// means always), the pathways it proposes (then: pathway, priority from 1,
// criteria max_km, required_services, required_labels, preferred_labels
// with the standard's exact French wording) and an optional stop, after
// which later rules are not evaluated.
//
// A condition is one of {all: [...]}, {any: [...]}, {not: {...}},
// {field, op, value} or {expr: "..."}. The fields and their operators:
//
//   - level (no_access, beginner, intermediate, autonomous) and age_band
//     (under_18, 18_24, 25_39, 40_59, 60_69, 70_plus): eq, ne, in,
//     not_in, and lt, le, gt, ge in that order.
//   - flags (the assessment flags, and the flags of regional instruments
//     that the document declares under flags), needs (activate_mes,
//     mes_messaging, teleconsultation, ameli_account, general_skills),
//     constraints (no_travel, needs_accessibility, needs_free,
//     prefers_remote): has, has_any, has_all, has_none.
//   - scores.<dimension> (a number of the assessment) and density (the
//     INSEE class 1 to 7): eq, ne, lt, le, gt, ge; density also in, not_in.
//   - density_group (dense, intermediaire, peu_dense, tres_peu_dense),
//     instrument, departement, region, language (ISO 639-1; "fr" and ""
//     are French): eq, ne, in, not_in.
//
// A value that is unknown for the person (no level, no age band, density
// 0, a score the instrument does not give) satisfies only ne and not_in.
// In YAML, quote values that look like numbers ("60_69", "01"): YAML reads
// 60_69 as 6069.
//
// An expr clause (github.com/expr-lang/expr) says what clauses cannot,
// over the same names plus level_rank and age_rank (scores is a map: a
// missing score reads 0 there). It is compiled and type-checked at load
// and must return a boolean.
//
// LoadRulesBytes (LoadRules, LoadRulesFile) validates the document against
// the schema, then type-checks every field, operator, value, pathway,
// priority, service, label, rule id, expr and test case, and reports every
// problem in one *RulesError with its JSON path and line, with a
// suggestion for near misses. NationalRules compiles the embedded national
// rule set (NationalRulesDocument is its YAML, bilingual, with test cases).
//
// Rules.Evaluate fills a caller's Decision: for each pathway the best
// priority among the rules that fired (the other rules' services and
// labels are united with it), sorted by priority then catalogue order, and
// one RuleTrace per rule with the JSON path of the clause that decided (the
// first failing clause of an all, the first holding clause of an any) and
// why, in French and English. Clause trees are compiled into flat slices,
// enums into ranks and bitsets: with a reused Decision and no expr clause
// (the national rules have none) evaluation allocates nothing. Rules.RunTests
// runs the document's own test cases; ParseTestInput reads one input in
// the same form, for "passerelle rules explain". On the command line:
// "passerelle rules show" prints the national document, "passerelle rules
// test FILE" checks a document and runs its cases (exit 1 on a problem or
// a failing case), "passerelle rules explain --input FILE [--rules FILE]"
// explains a decision rule by rule.
//
// The rules propose; the Engine disposes. "No place within reach" is known
// only once the Engine has searched (and widened) the directory: the
// national rules therefore propose remote mediation and France Services to
// people of low-density communes as fallbacks, at lower priorities, and the
// Engine decides whether they are needed.
//
// # Engine
//
// NewEngine(rules, directory, communes, options) builds an Engine; *Rules
// plug in through Infallible. Engine.Refer resolves the person's commune
// (INSEE code) to its centroid, density, département and région, runs the
// rules, and for each outcome whose pathway needs a place queries the
// mediation.Directory around the centroid: the pathway's needs (any of its
// services, programmes, support modes), the outcome's criteria (radius,
// required services and labels) and, for needs_free, free places only. The
// directory's Services filter is all-of while a pathway's AnyService is
// any-of, so the engine runs one query per alternative and merges them.
//
// Up to Candidates places (4×K) are ranked by a score whose every part is a
// line of the place's Why: distance (40 points at the door, 0 at the
// radius), opening within the coming 7 days (+20, read from the OSM hours;
// -10 when closed all week; nothing when unknown), each preferred label
// (+10, e.g. « Formé à « Mon Espace Santé » »), each constraint or flag
// the place caters for (+10: acceslibre record, foreign language, deafness,
// visual impairment, illiteracy; +15 remote support for no_travel or
// prefers_remote), and load: a place with as many open referrals this week
// as its capacity (EngineOptions.Capacity, CapacityByPlace) loses 30, a
// busy one up to 15, so an equivalent place nearby comes first. The K best
// are proposed; the others are PassedOver with the reason.
//
// When nothing fits within the radius, the search widens step by step
// (WidenSteps, 30 then 60 km, never beyond MaxKm) and says so (Widened);
// when still nothing fits, it falls back to the nearest places that help
// remotely and the nearest France Services, whatever the distance, and says
// so (Remote).
//
// Engine.Batch streams a CSV of people through the same path without the
// texts, with a pool of workers and the output in input order; rejected
// rows carry their line, column and reason. Directory answers are memoized
// per commune and query (EngineOptions.CacheEntries).
//
// # Referrals
//
// A Referral records one person (pseudonymous UUID) sent to one pathway and
// place: who referred (Actor), the assessment summary (instrument, level,
// flags: no answers, no free text), the rules version, and its status
// history. Transition enforces the lifecycle: proposed → accepted |
// declined; accepted → scheduled → attended → completed; scheduled →
// no_show → scheduled again; cancelled and expired from any open status.
// Completion records the autonomy reached on the scale of La Coop de la
// médiation numérique and optionally a follow-up assessment (Progression).
// Expire marks a referral with no news after a delay.
//
// A Store saves referrals (idempotent on id), updates them with optimistic
// concurrency (ErrConflict when the stored Version moved), lists them by
// status, place and period with a cursor, answers the reminder query
// (DueForFollowUp, see FollowUpPolicy.Due) and counts open referrals per
// place for the load ranking (it is a LoadCounter). MemoryStore is the
// in-memory implementation; SQL stores live elsewhere.
//
// # Orientation sheet
//
// Engine.Sheet builds the « fiche d'orientation » for one pathway and
// place: the place's name, address, phone, booking link, the opening slots
// of the coming week and its usual hours in words, the distance from the
// person's commune, and what to bring (carte Vitale, phone, e-mail address,
// the Mon espace santé activation code). RenderSheetHTML (large print,
// print-friendly, every place value escaped) and RenderSheetText write it
// in French or English. A name is printed only when the caller passes one;
// it is never stored.
package referral
