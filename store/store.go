package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/referral"
)

// Store is everything the domain packages need kept, in one value. Each
// implementation (store/memory, store/sqlite, store/postgres) passes the
// same conformance suite, store/storetest.
//
// Every write of a domain record enqueues its Event in the outbox in the
// same transaction as the record, and every status change, purge and export
// is journaled in that transaction too: a failed write leaves neither record,
// event nor journal entry.
type Store interface {
	referral.Store
	ReferralBatch
	mediation.NetworkStore
	Outbox
	Journal
	// Accounts keeps the desk's staff accounts; Purge leaves them alone
	// (they are disabled, never deleted).
	Accounts
	// Purge deletes the records older than the cutoff (see PurgeReport for
	// what each kind of record means by "older"), and journals the purge
	// (action "purge", with the counts) in the same transaction.
	Purge(ctx context.Context, req PurgeRequest) (PurgeReport, error)
	// SchemaVersion returns the version of the schema the store holds (the
	// memory store returns the code's latest version).
	SchemaVersion(ctx context.Context) (int, error)
	// Close releases the store. Other methods must not be called after it.
	Close() error
}

// ReferralBatch saves many referrals at once.
type ReferralBatch interface {
	// SaveReferrals saves every referral as referral.Store.Save does, in one
	// transaction: all or nothing. Ids already stored are skipped (no event),
	// so a retried batch is harmless.
	SaveReferrals(ctx context.Context, rs []referral.Referral) error
}

// Event kinds written to the outbox. Wire values.
const (
	KindReferralCreated       = "referral.created"
	KindReferralStatusChanged = "referral.status_changed"
	KindReferralUpdated       = "referral.updated" // a change that is not a status change
)

// Event is one change, for the plugins that listen to them (delivered at
// least once). The payload carries ids, codes and counts, never a name,
// contact detail or free text.
type Event struct {
	ID uuid.UUID `json:"id"`
	// Kind says what happened, e.g. "referral.created".
	Kind string `json:"kind"`
	// Subject is the id of the record concerned.
	Subject string          `json:"subject"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Outbox holds the events not yet delivered, oldest first.
type Outbox interface {
	// Pending returns at most limit (0: 100) events not yet acknowledged,
	// in the order they were written.
	Pending(ctx context.Context, limit int) ([]Event, error)
	// Ack marks events delivered; unknown or already acknowledged ids are
	// ignored, so a retried Ack is harmless.
	Ack(ctx context.Context, ids ...uuid.UUID) error
}

// Journal actions. Wire values.
const (
	JournalPurge        = "purge"
	JournalExport       = "export"
	JournalStatusChange = "status_change"
)

// JournalEntry is one line of the append-only journal of sensitive
// operations: who did what to which record, with codes and counts only.
type JournalEntry struct {
	// Seq is given by the store on append: 1, 2, 3, ... with no reuse.
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	// Actor is a role or a pseudonymous id (e.g. "system", "desk").
	Actor string `json:"actor"`
	// Action is what was done: "purge", "export", "status_change", ...
	Action string `json:"action"`
	// Subject is the record concerned, or "" for a whole-store action.
	Subject string `json:"subject,omitempty"`
	// Detail is a JSON object of codes and counts (never free text).
	Detail json.RawMessage `json:"detail,omitempty"`
}

// Journal is append-only: there is no method to change or delete an entry,
// and Purge does not touch it.
type Journal interface {
	// Append writes e (Seq is ignored and assigned) and returns the entry
	// as stored. At defaults to now; Action must not be empty.
	Append(ctx context.Context, e JournalEntry) (JournalEntry, error)
	// Entries returns at most limit (0: 100) entries with Seq > after, in
	// Seq order.
	Entries(ctx context.Context, after int64, limit int) ([]JournalEntry, error)
}

// PurgeRequest says what to purge.
type PurgeRequest struct {
	// Before is the cutoff: records older than it go.
	Before time.Time
	// Actor is who asked, for the journal ("system" when empty).
	Actor string
	// At is the time written in the journal (now when zero).
	At time.Time
}

// PurgeReport counts what a purge deleted.
type PurgeReport struct {
	Before time.Time `json:"before"`
	// Referrals whose last change (updated_at, or created_at when never
	// updated) is before the cutoff.
	Referrals int `json:"referrals"`
	// Actions and Accompaniments whose date is before the cutoff.
	Actions        int `json:"actions"`
	Accompaniments int `json:"accompaniments"`
	// Events acknowledged and written before the cutoff. Pending events are
	// kept whatever their age: they were never delivered.
	Events int `json:"events"`
	// Seq is the journal entry that records the purge.
	Seq int64 `json:"journal_seq"`
}

// Errors of the stores. Referral lookups and conflicts use referral.ErrNotFound
// and referral.ErrConflict, so domain code needs no import of this package.
var (
	// ErrSchemaTooNew: the database was migrated by a newer passerelle;
	// opening it with this one could corrupt it.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this program")
	// ErrMigration: a migration failed; the database is left as it was.
	ErrMigration = errors.New("store: migration failed")
	// ErrInvalid: a bad argument (an empty journal action, a bad URL, a bad age).
	ErrInvalid = errors.New("store: invalid argument")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store: closed")
)
