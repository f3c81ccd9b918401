// Package evaluation computes the yearly evaluation of the Mon espace santé
// inclusion scheme: the ambassador network, the actions, the referral funnel,
// the progression of the people helped, equity by age, density and
// département, coverage, targets and year over year, over one period and one
// territory (France, a région, a département or a commune).
//
// # Room in the house
//
// It reads the records the other packages keep (mediation's network records,
// referral's Referral) through a Source that streams them, so it never holds
// the records in memory. store/evalsource makes any store.Store a Source;
// Records is a Source over slices. Renderers (JSON, CSV, HTML) live in
// evaluation/render and read only the Report; evaluation/demo writes a
// synthetic year into a store.
//
// # Computing
//
// Compute checks the options (ErrEmptyPeriod, ErrUnknownTerritory,
// ErrInvalidOptions), then reads the referrals, the actions, the
// accompaniments and the network records concurrently, once, over the period
// and the previous one, each stream into its own Accumulator, and merges them.
// An Accumulator takes records in any order and ignores those outside its
// period or territory; accumulators of the same Options merge into the
// accumulator of the union of their records, so a report computed in one
// pass, by région then merged, or in parallel shards is the same, byte for
// byte (TestOnePassMergedParallel). Network records (ambassadors, coordinators,
// trainings) are kept by id, so one seen in two partitions counts once.
//
// A report whose period and territory hold no referral, action nor
// accompaniment has Empty set: renderings say there is no data rather than
// show zeros as if they had been measured. Shares of nothing are
// {"undefined": true}, never 0.
//
// # Definitions
//
// Every definition is also in the report itself (Report.Definitions, French
// and English), under the id of the figure.
//
// Territory. A referral belongs to the territory of the person's commune of
// residence (Referral.Commune); an action and an accompaniment to the
// commune, else the département, else the région they record; a referral
// without a commune counts only in the national report. An ambassador belongs
// to its région, to the départements it serves (directly or through a
// commune) and to the communes it serves. Coordinators belong to their
// région.
//
// Network. Active ambassadors were active ("actif") at some time in the
// period: joined before its end, with a stretch of active status, read from
// the record's status history (mediation.Ambassador.ActiveDuring), that
// overlaps the period; a record without history is taken as active from
// joining until its last status change. New ambassadors joined during the
// period; departed ones left ("parti") during it. Trained: active
// ambassadors with a training of the Mon espace santé module dated before the
// end of the period. Breakdowns by kind and by région.
//
// Actions. Actions dated in the period: their count by type and by month,
// the people sensitised and accounts activated they report, and the hours
// given: each action's duration times the ambassadors who took part (at least
// one). Per ambassador: divided by the active ambassadors, plus the active
// ambassadors who took part in at least one action and the median number of
// actions per active ambassador. Accompaniments are
// counted apart, with their hours when they are not part of a collective
// action (a participant's time is the action's) and the autonomy reached.
//
// Referrals. The cohort is the referrals created in the period. The funnel
// counts those that reached each step (proposed, accepted, scheduled,
// attended, completed) at any time up to the computation, read from the
// status history; a no-show counts as scheduled. Conversion is each step over
// the step before it. No-shows are referrals with at least one missed
// appointment; declined ones were ever declined; expired and cancelled are
// final statuses. The median days to attendance is the median of whole days
// from creation to the first attendance (exact: a histogram of days,
// mergeable). By pathway and by place, the same funnel.
//
// Progression. Among completed referrals with a follow-up assessment, the
// share whose level (assessment.Level.Rank) is above the level at referral;
// completed referrals by the autonomy reached on La Coop de la médiation
// numérique's scale (entièrement accompagné, partiellement autonome,
// autonome).
//
// Equity. Referred, attended, completed, attendance rate and accompaniments
// by age band (referral's bands; La Coop's bands of accompaniments are mapped
// onto them: under 12 and 12-17 are under_18), by INSEE density class of the
// commune of residence (1 large urban centres to 7 very dispersed rural; an
// accompaniment without a residence commune takes its place's) and by
// département of residence. Participants of actions come from the anonymous
// counts by age band that actions record (ParticipantCounts.ByAge), placed at
// the action's commune for density and département.
//
// Coverage. Options.Coverage, a mediation/coverage report, is summarised:
// trained places and ambassadors, trained places per 10,000 inhabitants,
// population and people 60+ within each radius, supply against demand by
// département and the farthest sparse communes. Options.Places and the
// referrals put places, trained places and referrals on the communes'
// centroids (Report.Map).
//
// Targets. Options.Targets name a figure (TargetIndicators lists them) and a
// value; the report gives the figure reached and the share of the target.
//
// Year over year. Report.Previous is the same report over PreviousPeriod:
// the same calendar months a year (or N months) earlier when the period runs
// from a first of the month to a first of the month, else the same duration
// just before.
//
// # Small counts
//
// A count of people from 1 to Options.MaskThreshold-1 (default 5) is masked:
// it marshals as {"masked": true}, its value is not in the Report at all,
// and the shares, medians and per-ambassador ratios computed from it are
// masked too, so no one can be singled out. Zero is shown: it singles out no
// one. Counts of actions are events, not people, and are not masked.
//
// A breakdown whose total the report also gives (the tables by age band,
// density and département, by pathway and by place, by autonomy, by kind and
// région of ambassador) gets secondary suppression, column by column: while
// its masked cells are fewer than two or add up to fewer than the threshold,
// the smallest shown cell is masked too, so a masked cell cannot be found by
// subtracting the shown ones from the total. Differences between two steps of
// one funnel (proposed 6, accepted 5) are not protected: a threshold is a
// floor, not a guarantee against every differencing.
//
// # Speed
//
// On this project's shared 2-core machine, 10 million generated records (60 %
// referrals with their histories, 25 % accompaniments, 15 % actions) streamed
// by a generating Source give the national report with the previous year in
// 4.4 to 7.6 s depending on the machine's load, of which 1.4 to 3.8 s is
// generating the records (BenchmarkComputeBaseline), with a peak heap of
// about 38 MB (BenchmarkCompute with EVAL_BENCH_RECORDS=10000000).
// Accumulating allocates nothing per record.
//
// From a store (BenchmarkNationalReportStore, PASSERELLE_BENCH_10M=1, which
// generates the stores and checks each report byte for byte against the
// generator's): the same 10 million records in a memory store give the
// report in 5.5 s of wall time and 8.5 s of CPU, with 10 MB of heap beyond
// the store's own records; from a SQLite file (7.7 GB) in 111 s of wall time
// and 58 s of CPU with a peak RSS of 100 MB, because reading and decoding one
// row of the pure-Go SQLite costs about 4 µs. Stores stream through
// store.Streamer (one pass per kind of record) rather than pages; see
// store/evalsource.
package evaluation
