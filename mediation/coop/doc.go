// Package coop imports the activity export of La Coop de la médiation
// numérique, the tool digital mediators already use to record what they do,
// so that they never type an activity twice into passerelle.
//
// # The file
//
// The "accompagnements" export has one row per person helped; rows sharing
// an ID CRA are one activity (an individual accompaniment, or a collective
// workshop whose rows say "1/7", "2/7", ...). Decode reads it as the XLSX
// workbook La Coop produces (a few metadata and filter rows sit above the
// table) or the same table saved as CSV (";" or "," separated, UTF-8 with or
// without BOM, or Windows-1252 as Excel saves CSV in French). It finds the header row by its labels, whatever the case,
// the accents or the apostrophe (’ or '), in a mediator's own export (with
// a Bénéficiaire column) or a coordinator's (with the mediators' columns).
//
// # What is kept
//
// Never read: the beneficiary's name (Bénéficiaire), the mediator's first
// and last name, role and ID - Conum, the notes (Notes supplémentaires),
// the place's street address, the workshop title, tags and the name of the
// administrative procedure (free text). Persons get a pseudonymous id
// (PersonID) derived from the ID CRA and their position in the activity.
//
// A collective workshop becomes one mediation.Action (type
// atelier_collectif) with anonymous counts by age band and gender; an
// individual activity becomes one mediation.Accompaniment. Labels map to
// the network's enums: autonomy "1/3", "2/3", "3/3" → entierement_accompagne,
// partiellement_autonome, autonome (for a workshop the same column is its
// level: débutant, intermédiaire, avancé); « Santé » → sante, and
// « Social - Santé » counts as both an administrative procedure and health.
// The redirection structure is one of La Coop's closed list (anything else,
// such as a name typed in, is refused). The social status of a beneficiary
// is read and checked (Person.Status) but the network's records have no
// field for it. La Coop's current « Mineur(e) » band is counted in the
// network's 12_18 band, which has no under-18 band of its own.
//
// # Rejections and idempotence
//
// A file without a recognisable header is ErrNoHeader; a header without the
// required columns is a *MissingColumnsError naming them. Every bad row is a
// Rejection (row, column, reason): a date in the future, a negative, zero
// or non-numeric duration, an INSEE code that is no current commune, an
// unknown label, rows of one activity that disagree or are incomplete. An
// activity with one bad row is rejected whole: nothing partial is imported.
//
// Records carry Source "coop" and the ID CRA as ExternalID, and their ids
// are derived from it (mediation.ExternalUUID): saving the same file twice
// stores nothing new. Options.Known lets a caller count activities already
// stored before saving.
package coop
