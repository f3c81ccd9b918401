-- Referrals, the outbox of events and the append-only journal. Names and
-- time columns mirror store/sqlite's: times are bigint nanoseconds since
-- 1970-01-01 UTC (exact, where timestamptz would round to microseconds,
-- and ordered as the Go times are); each record's full JSON is in doc, and
-- the other columns are what queries filter and sort on.

CREATE TABLE referrals (
    id            uuid    PRIMARY KEY,
    created_at_ns bigint  NOT NULL,
    -- last change (updated_at, or created_at): what retention counts from
    changed_at_ns bigint  NOT NULL,
    status        text    NOT NULL,
    -- the status before the last update: the UPDATE sets it from the old
    -- row, so one statement knows whether the status moved
    prev_status   text    NOT NULL DEFAULT '',
    place_id      text    NOT NULL DEFAULT '',
    version       integer NOT NULL,
    doc           jsonb   NOT NULL
);
CREATE INDEX referrals_by_created ON referrals (created_at_ns, id);
CREATE INDEX referrals_by_status ON referrals (status, created_at_ns);
CREATE INDEX referrals_by_changed ON referrals (changed_at_ns);

CREATE TABLE outbox (
    seq      bigserial PRIMARY KEY,
    id       uuid      NOT NULL UNIQUE,
    kind     text      NOT NULL,
    subject  text      NOT NULL,
    at_ns    bigint    NOT NULL,
    payload  jsonb     NOT NULL,
    acked    boolean   NOT NULL DEFAULT false
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE NOT acked;

-- The journal's seq comes from journal_counter, whose one row each
-- appender locks until commit: no gap, and seq follows commit order, so a
-- reader paging by seq never skips an entry committed late.
CREATE TABLE journal_counter (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    last  bigint  NOT NULL
);
INSERT INTO journal_counter (one, last) VALUES (true, 0);

CREATE TABLE journal (
    seq      bigint PRIMARY KEY,
    at_ns    bigint NOT NULL,
    actor    text   NOT NULL,
    action   text   NOT NULL,
    subject  text   NOT NULL DEFAULT '',
    detail   jsonb
);

-- The journal is append-only for everyone, not only for this code.
CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal is append-only';
END $$;
CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
