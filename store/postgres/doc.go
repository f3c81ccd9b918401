// Package postgres is the store.Store kept in PostgreSQL, for deployments
// where several processes (a phone desk, a batch of imports, a plugin
// host) write at once. It passes the same conformance suite
// (store/storetest) as the memory and SQLite stores: referrals, the
// ambassador network (mediation.NetworkStore), the outbox, the journal and
// purge by age.
//
// # Opening
//
//	s, err := postgres.Open(ctx, "postgres://user@host:5432/db", &postgres.Options{Schema: "passerelle"})
//
// or, as store/openstore passes it, with the schema in the URL:
//
//	postgres://user@host:5432/db?search_path=passerelle
//
// Open applies the embedded migrations (migrations/*.sql, numbered) that
// the database lacks, all in one transaction, under an advisory lock, so
// processes opening the same database at once take turns and the first
// one migrates. A database migrated by a newer program is refused with
// store.ErrSchemaTooNew; a failed migration leaves the database as it was
// (store.ErrMigration).
//
// # Concurrency
//
// Referral updates are optimistic: "UPDATE … WHERE id = $1 AND version =
// $2", and an update made on a stale version fails with
// referral.ErrConflict, whichever process made the other one. Saves are
// idempotent on the id (ON CONFLICT DO NOTHING): a retried save, or a save
// racing another process with the same id, stores one record and one
// event. Each write carries its outbox event and, for a status change, its
// journal entry in the same statement, so neither exists without the other.
//
// The outbox can be read by Pending and Ack (store.Outbox), or consumed by
// Deliver, which locks the events it hands out and skips those locked by
// other consumers (FOR UPDATE SKIP LOCKED): several consumers never
// deliver the same event at the same time. Deliver holds one connection
// while its function runs: with MaxConns 1, that function must not use the
// same store.
//
// Network records (ambassadors, questions) are updated in a transaction
// that reads the stored record FOR UPDATE and compares versions, so their
// writers take turns too, with mediation.ErrConflict for the late one.
// Batches of actions and accompaniments go in one transaction and one
// round trip, all or nothing, each new record with its event.
//
// # Tables
//
// Table and column names mirror store/sqlite's (referrals, outbox,
// journal, coordinators, ambassadors, trainings, actions, accompaniments,
// questions; times as bigint nanoseconds, the record's JSON in doc), so
// both schemas read alike. The connection pool is the package's own small
// one (at most MaxConns connections), as pgxpool's dependency is not in the
// module's go.sum.
//
// The journal's sequence numbers come from a one-row counter locked until
// commit: no gaps, and a reader never sees entry n+1 before entry n. A
// trigger refuses any UPDATE, DELETE or TRUNCATE of the journal table.
//
// # Tests
//
// The tests need a database: set PASSERELLE_TEST_POSTGRES (for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Each test
// works in a fresh schema passerelle_test_<random>, dropped at the end.
// Without the variable the tests are skipped, except when CI is set, where
// they fail.
package postgres
