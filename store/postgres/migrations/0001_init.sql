-- Referrals: the record itself is kept whole in JSON; the columns beside it
-- are what queries filter and sort on. created_ns keeps the nanoseconds that
-- timestamptz would round away, so pages and bounds match the other stores.
CREATE TABLE referrals (
    id          uuid PRIMARY KEY,
    person_id   text        NOT NULL,
    place_id    text        NOT NULL DEFAULT '',
    pathway     text        NOT NULL,
    status      text        NOT NULL,
    -- prev_status is the status before the last update: the UPDATE sets
    -- it from the old row, so one statement knows whether the status moved.
    prev_status text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    created_ns  bigint      NOT NULL,
    -- updated_at is the last change (created_at until the first one).
    updated_at  timestamptz NOT NULL,
    version     integer     NOT NULL,
    record      jsonb       NOT NULL
);
CREATE INDEX referrals_created ON referrals (created_ns, id);
CREATE INDEX referrals_place_created ON referrals (place_id, created_ns);
CREATE INDEX referrals_status ON referrals (status);
CREATE INDEX referrals_updated ON referrals (updated_at);

-- Outbox: seq gives the writing order; acked_at is set once delivered.
CREATE TABLE outbox (
    seq       bigserial   PRIMARY KEY,
    id        uuid        NOT NULL UNIQUE,
    kind      text        NOT NULL,
    subject   text        NOT NULL,
    at        timestamptz NOT NULL,
    payload   jsonb,
    acked_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;

-- Journal: seq comes from journal_counter, whose single row is locked by
-- each appender until commit, so seq has no gap and follows commit order
-- (a reader paging by seq never skips an entry committed late).
CREATE TABLE journal_counter (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    last  bigint  NOT NULL
);
INSERT INTO journal_counter (one, last) VALUES (true, 0);

CREATE TABLE journal (
    seq      bigint      PRIMARY KEY,
    at       timestamptz NOT NULL,
    actor    text        NOT NULL,
    action   text        NOT NULL,
    subject  text        NOT NULL DEFAULT '',
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
