-- Staff accounts of a desk (store.Accounts). doc holds the account's JSON,
-- password hash included (the hash only: the store never sees a password);
-- login is unique. Accounts are disabled, never deleted, and Purge leaves
-- them alone. Names mirror store/sqlite's.

CREATE TABLE accounts (
    id            uuid    PRIMARY KEY,
    login         text    NOT NULL UNIQUE,
    version       integer NOT NULL,
    created_at_ns bigint  NOT NULL,
    updated_at_ns bigint  NOT NULL,
    doc           jsonb   NOT NULL
);
