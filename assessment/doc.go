// Package assessment measures how far a person is from digital health: the
// first room of the house, before referral. Instruments are data, not code;
// scoring turns one person's answers into a Result: a Level, Flags,
// per-dimension Scores, the instrument's own figures and the lines (Why)
// that explain the level, in French, plain-language French or English.
//
// # Instruments
//
// An instrument file (JSON, or YAML) follows schemas/instrument.schema.json,
// which is generated from the Definition type. It holds the items (id,
// texts, answer type: boolean, choice, multi, integer or likert; skip logic
// in show_if), dimensions (sums of item points), bands, and ordered level and
// flag rules, all written as small declarative conditions. Load, LoadFile and
// LoadBytes validate a file against the schema, then check its meaning
// (duplicate ids, skip logic on a later item, min above max, an unknown
// level, ...), and compile it into index-based structures so that scoring
// looks nothing up. Four instruments are built in (Builtin, Builtins):
//
//   - triage: the phone triage of the desk, adaptive, at most 8 questions
//     (device and connection, internet use, online procedures, e-mail, who can
//     help, ameli and Mon espace santé, barriers, and the single-item
//     health-literacy screener "How confident are you filling out medical
//     forms by yourself?").
//   - eheals: the eHealth Literacy Scale (Norman and Skinner 2006), items q1
//     to q8 valued 1 to 5, total 8 to 40, band inadequate (8-20), problematic
//     (21-26) or sufficient (27-40).
//   - dsi: Eurostat's Digital Skills Indicator 2.0, a checklist of activities
//     done in the last 3 months in five areas, each none, basic or
//     above_basic; overall above_basic, basic, low, narrow, limited, none, or
//     not_assessed when the internet was not used; Illectronisme as INSEE
//     defines it (not assessed, or none).
//   - pix: a Pix result, the global score (0 to 1024) and optionally the 16
//     competence levels; the Pix level comes from the score bands.
//
// # Levels
//
// Every instrument ends in one of four levels (Level), ordered by Rank:
// no_access (no device or connection: equipment first), beginner
// (« débutant », no practice: reinforced accompaniment), intermediate
// (« intermédiaire », has an e-mail address but is not at ease: CPAM
// workshops) and autonomous (a guide is enough). The level rules of the
// built-in instruments map as follows:
//
//   - triage: no device or no connection → no_access; never online, no
//     e-mail address at all, or no online procedure and an e-mail address
//     left unused → beginner (the Assurance Maladie's intermédiaires have an
//     e-mail address, which its workshops need); rarely online, procedures
//     only with help or never, or an unused e-mail address → intermediate;
//     otherwise autonomous. needs_proxy is raised for no_access and
//     beginner: until they are autonomous, someone acts on their behalf.
//   - eheals: sufficient → autonomous, problematic → intermediate,
//     inadequate → beginner (and the flag low_health_literacy). eHEALS alone
//     never says no_access.
//   - dsi: above_basic or basic → autonomous; low or narrow → intermediate;
//     limited, none or not_assessed → beginner.
//   - pix: pre_beginner (0-63) → beginner; beginner_1 and beginner_2
//     (64-255) → intermediate; independent_3 (256) and above → autonomous.
//
// # Flags
//
// Flags run across levels and change how help is given: needs_proxy,
// no_helper, language_barrier, visual_impairment, hearing_impairment,
// reading_difficulty, low_health_literacy, mes_not_activated. Instrument
// files may raise flags of their own.
//
// # Scoring
//
// Instrument.Score scores a whole answer set and allocates only the
// result's slices; Instrument.ScoreInto reuses a Result and allocates
// nothing. Answers are read by Instrument.DecodeAnswers from a JSON object
// {"item id": value}, or set one by one on an AnswerSet. Skip logic wins: an
// answer to an item that its show_if hides is kept but not scored. In a
// checklist (the DSI activities), an item left out of a whole answer set
// means "not done". Result marshals to
// the stable JSON the CLI prints (keys instrument, version, level, flags,
// scores, why, completeness, lang, and band, areas, overall, illectronisme
// or pix_level). Compare tells the progression between two results of the
// same person.
//
// # Sessions
//
// A Session asks the questions one at a time, as on the phone: Next,
// Answer, and Result at any point with its Completeness. Skip logic
// applies. An adaptive instrument (the triage) stops asking the questions
// that only decide the level once no answer still to come can change it;
// questions that raise flags are still asked. A Session is not safe for
// concurrent use; an Instrument is.
//
// # Errors
//
// Rejected answers give an *AnswersError and rejected instrument files an
// *InstrumentError; each lists every problem found (item, JSON pointer,
// message) and wraps ErrInvalidAnswers or ErrInvalidInstrument. Other
// sentinels: ErrUnknownInstrument, ErrNotAskable, ErrDifferentInstruments.
// Nothing panics on bad input.
package assessment
