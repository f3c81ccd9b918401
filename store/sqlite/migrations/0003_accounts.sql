-- Staff accounts of a desk (store.Accounts). doc holds the account's JSON,
-- password hash included (the hash only: the store never sees a password);
-- login is unique. Accounts are disabled, never deleted, and Purge leaves
-- them alone. store/postgres mirrors these names.

CREATE TABLE accounts (
    id            TEXT    PRIMARY KEY,
    login         TEXT    NOT NULL UNIQUE,
    version       INTEGER NOT NULL,
    created_at_ns INTEGER NOT NULL,
    updated_at_ns INTEGER NOT NULL,
    doc           TEXT    NOT NULL
);
