// Package store is where passerelle keeps what it records: referrals, the
// ambassador network, the append-only journal and the outbox of events for
// plugins. It holds the shared types only; the domain packages declare the
// repository interfaces they use (referral.Store, mediation.NetworkStore) and
// Store composes them with the outbox and the journal.
//
// # Implementations
//
// store/memory keeps everything in memory (tests, demos). store/sqlite is
// the embedded default: a file path is all it needs (pure Go, WAL). The
// PostgreSQL store is store/postgres. store/openstore opens any of them from
// a URL. All pass the conformance suite store/storetest.
//
// # Transactions
//
// A write and its outbox event (and its journal entry, for a status change)
// commit together or not at all, so a plugin never hears of a change that
// was rolled back, and never misses one that was committed. Events are
// delivered at least once: Pending then Ack.
//
// # Events
//
// Referrals: referral.created, referral.status_changed (journaled too),
// referral.updated. Network: coordinator.created, ambassador.created,
// ambassador.status_changed (journaled too), ambassador.updated,
// training.recorded, action.recorded, accompaniment.recorded,
// question.asked, question.answered, question.updated. Staff accounts:
// account.created, account.updated (id, roles, région, disabled: never the
// login nor the password hash). A retried save of a known id writes nothing
// and no event.
//
// # Staff accounts
//
// Accounts (part of Store) keeps the sign-ins of a desk's staff:
// teleadvisors, ambassadors, coordinators and administrators, each with
// roles, an optional région and a password hash computed by the caller.
// Logins are unique; updates are versioned; accounts are disabled, never
// deleted, and Purge leaves them alone.
//
// # Streaming reads
//
// Streamer reads every referral, action or accompaniment of a period in
// one pass rather than page by page, for the yearly evaluation over
// millions of records (store/evalsource uses it). The memory store hands
// out its records without a JSON round trip; the SQL stores run one query
// per kind (SQLite with one reader per core) and decode the documents with
// a decoder several times faster than encoding/json that gives the same
// records.
//
// # Retention
//
// Purge deletes referrals whose last change is older than a cutoff,
// actions and accompaniments dated before it, and delivered events written
// before it. Pending events, coordinators, ambassadors, trainings, staff
// accounts and the questions log are kept; the journal is never purged, and each purge adds
// an entry to it with its counts. ParseAge reads a retention age such as "24m"
// (months), "90d" (days), "2y" (years) or "1y6m".
//
// # Privacy
//
// Events and journal entries carry ids, codes, dates and counts: never a
// name, contact detail or free text (no question or answer text, no handle,
// no structure name, no person id).
//
// # SQL schema
//
// The SQL stores share table and column names (store/sqlite/migrations):
// each record is a row with its JSON in doc and the columns queries narrow
// on; times are integer nanoseconds since 1970 UTC; schema_migrations
// records the versions applied.
package store
