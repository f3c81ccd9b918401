// Package openinghours parses and evaluates the OpenStreetMap
// opening_hours syntax, the format of the horaires field of the national
// standard of digital-mediation places. The directory uses it to say
// whether a place is open, when it opens next, and to list its slots;
// importers use Weekly to write hours they receive in other shapes.
//
// # Using it
//
//	s, err := openinghours.Parse("Mo-Fr 09:00-12:00,14:00-17:00; We off; PH off")
//	s.IsOpen(t)            // open at t?
//	s.NextOpen(t)          // t itself, or when it next opens (within Horizon)
//	s.Slots(from, to)      // open periods, merged and sorted
//	s.Describe(French)     // "du lundi au vendredi : 09:00-12:00, ..." for people
//
// A Schedule is immutable and safe for concurrent use. Parse errors are
// *SyntaxError values giving the byte offset and what was expected, e.g.
// `opening_hours: at offset 11: expected "-" after "09:00"`. Data loaded
// from files should go through ParseLenient, which never fails: the raw
// value is kept with its error, so one bad value does not stop an import.
//
// # Time zone and holidays
//
// Evaluation happens in Europe/Paris (the IANA data is embedded) unless
// ParseIn, Options.Location or Schedule.In give another zone, as overseas
// places need (America/Guadeloupe, Indian/Reunion, Pacific/Noumea...).
// PH resolves through the Holidays interface; the default FrenchHolidays
// is the metropolitan calendar, and HolidaysForDepartement gives the
// Alsace-Moselle and overseas calendars (Good Friday, 26 December, the
// abolition-of-slavery days, 24 September in Nouvelle-Calédonie...).
// ForDepartement gives both the zone and the calendar of a place from its
// département code, e.g. ParseLenientWith(horaires, ForDepartement("974")).
//
// Times are wall-clock times. On the spring DST change a span inside the
// missing hour does not exist (Su 02:00-03:00 is closed that day) and a
// span that starts inside it opens at the change; on the autumn change a
// span in the repeated hour is open both times.
//
// # Supported syntax
//
//   - rules separated by ";" (a later rule replaces earlier ones on the days
//     it matches), "," (an additional rule, adding to earlier ones) and
//     "||" (a fallback, used at instants no earlier rule covers);
//   - 24/7; years (2025, 2024-2030/2, 2024+); months and dates (Jan-Mar,
//     Dec, Dec 24-26, Dec 24-Jan 02, 2025 Dec 24-2026 Jan 02), easter, and
//     day offsets (easter +1 day, easter -2 days-easter +1 day), with an
//     optional ":" after them; ISO week numbers (week 01-10/2);
//   - weekdays (Mo-Fr, Mo,We,Fr, Fr-Mo), nth weekday of the month (Sa[1],
//     Su[-1], Mo[1,3], Sa[2-3]), PH and SH, joined with "," (either) or
//     written "PH Mo-Fr" (holidays on those weekdays);
//   - times (09:00-12:00, several with ","), past midnight (22:00-02:00,
//     22:00-26:00, up to 48:00), 24:00, open ends (18:00+);
//   - modifiers open, closed, off, unknown, and "comments".
//
// A rule without times covers whole days; a rule with only a comment is
// unknown (e.g. `"sur rendez-vous"`). An off rule with times cuts those
// times out of the day ("Mo-Fr 08:00-18:00; We 12:00-14:00 off"); without
// times it closes the day. A span past midnight runs into the next day
// unless a later ";" rule matches that day, as the specification says:
// "Fr 22:00-02:00; Sa 10:00-12:00" is closed at 01:00 on Saturday, while
// "Fr 22:00-02:00, Sa 10:00-12:00" is open.
// IsOpen is false in the unknown state; State tells the three states
// apart and gives the comment of the rule that decided.
//
// # Approximated, flagged, unsupported
//
// Schedule.Flags says what was approximated or accepted leniently:
//
//   - FlagSunApproximated: sunrise, sunset, dawn and dusk (with offsets such
//     as "(sunset-01:00)") are fixed at 07:00, 19:00, 06:30 and 19:30;
//   - FlagSchoolHolidays: SH is parsed but never matches (no school
//     calendar is embedded);
//   - FlagOpenEnd: "18:00+" is open until midnight, "18:00-20:00+" until 20:00;
//   - FlagUnknown: some rule is unknown;
//   - FlagLenient: spellings outside the specification that French data
//     contains were accepted: one-digit hours (9:00), "h" as separator
//     (9h, 9h30), lower-case names, French and English day names (Lu-Ve,
//     lundi, Mon, Friday), spans separated by a blank, " / " or " et "
//     instead of ",", en dashes, non-breaking spaces, a ":" after the
//     weekdays, empty or trailing rules (";;", "...;").
//
// Schedule.Warnings lists valid rules that are probably mistakes
// (overlapping spans, "Fr 19:00-11:00", a ";" rule without days that
// replaces all earlier ones, a rule replaced by a later one for the same
// days), with messages in French and English for the data's owners.
//
// String always gives the canonical form (09:00, "; "), so a lenient value
// can be normalised by printing it.
//
// "Mar Su[-1]" reads as the last Sunday of March. Rejected as unsupported
// (errors.Is(err, ErrUnsupported)): day offsets on holidays and weekdays
// ("PH +1 day", "Su[-1] -2 days"), repeating times ("10:00-16:00/01:00"),
// comments as selectors. Date ranges bounded by weekdays ("Mar Su[-1]-Oct Su[-1]") and
// point times without an end ("Mo 12:00") are syntax errors.
package openinghours
