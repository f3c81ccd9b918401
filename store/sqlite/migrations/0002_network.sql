-- The ambassador network (package mediation). As for referrals, doc holds
-- the record's JSON and the other columns are what queries narrow on; List
-- methods order by id (as text). store/postgres mirrors these names.

CREATE TABLE coordinators (
    id     TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    doc    TEXT NOT NULL
);
CREATE INDEX coordinators_by_region ON coordinators (region, id);

CREATE TABLE ambassadors (
    id      TEXT    PRIMARY KEY,
    region  TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    version INTEGER NOT NULL,
    doc     TEXT    NOT NULL
);
CREATE INDEX ambassadors_by_region ON ambassadors (region, id);

CREATE TABLE trainings (
    id            TEXT PRIMARY KEY,
    ambassador_id TEXT NOT NULL DEFAULT '',
    place_id      TEXT NOT NULL DEFAULT '',
    date_ns       INTEGER NOT NULL,
    doc           TEXT NOT NULL
);
CREATE INDEX trainings_by_ambassador ON trainings (ambassador_id);

CREATE TABLE actions (
    id          TEXT    PRIMARY KEY,
    date_ns     INTEGER NOT NULL,
    region      TEXT    NOT NULL DEFAULT '',
    departement TEXT    NOT NULL DEFAULT '',
    source      TEXT    NOT NULL DEFAULT '',
    external_id TEXT    NOT NULL DEFAULT '',
    doc         TEXT    NOT NULL
);
CREATE INDEX actions_by_date ON actions (date_ns);
CREATE INDEX actions_by_region ON actions (region, id);
-- An imported activity is stored once per source.
CREATE UNIQUE INDEX actions_by_external ON actions (source, external_id) WHERE external_id <> '';

CREATE TABLE accompaniments (
    id          TEXT    PRIMARY KEY,
    action_id   TEXT    NOT NULL DEFAULT '',
    date_ns     INTEGER NOT NULL,
    region      TEXT    NOT NULL DEFAULT '',
    departement TEXT    NOT NULL DEFAULT '',
    doc         TEXT    NOT NULL
);
CREATE INDEX accompaniments_by_date ON accompaniments (date_ns);
CREATE INDEX accompaniments_by_action ON accompaniments (action_id);

CREATE TABLE questions (
    id      TEXT    PRIMARY KEY,
    region  TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    version INTEGER NOT NULL,
    doc     TEXT    NOT NULL
);
CREATE INDEX questions_by_status ON questions (status, id);
