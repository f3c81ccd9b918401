-- Referrals, the outbox of events and the append-only journal.
-- Times are INTEGER nanoseconds since 1970-01-01 UTC (exact, and ordered as
-- the Go times are); ids are lowercase UUID text. Each record's full JSON
-- (the Go type's encoding) is in doc; the other columns are what queries
-- filter and sort on. store/postgres mirrors these names.

CREATE TABLE referrals (
    id            TEXT    PRIMARY KEY,
    created_at_ns INTEGER NOT NULL,
    -- last change (updated_at, or created_at): what retention counts from
    changed_at_ns INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    place_id      TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    doc           TEXT    NOT NULL
);
CREATE INDEX referrals_by_created ON referrals (created_at_ns, id);
CREATE INDEX referrals_by_status ON referrals (status, created_at_ns);
CREATE INDEX referrals_by_changed ON referrals (changed_at_ns);

CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    at_ns      INTEGER NOT NULL,
    payload    TEXT    NOT NULL,
    acked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (acked, seq);

CREATE TABLE journal (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ns   INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL DEFAULT '',
    detail  TEXT    NOT NULL DEFAULT ''
);

-- The journal is append-only, whoever holds the file.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal is append-only');
END;
