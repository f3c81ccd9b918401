-- The ambassador scheme's records (mediation.NetworkStore). As for
-- referrals, doc holds the record's JSON and the other columns are what
-- lists filter on; the rest of a filter is applied to the decoded record.
-- Nil uuids are stored as the nil uuid, not NULL, so "=" always works.

CREATE TABLE coordinators (
    id     uuid  PRIMARY KEY,
    region text  NOT NULL,
    doc    jsonb NOT NULL
);
CREATE INDEX coordinators_by_region ON coordinators (region, id);

CREATE TABLE ambassadors (
    id             uuid    PRIMARY KEY,
    region         text    NOT NULL,
    coordinator_id uuid    NOT NULL,
    status         text    NOT NULL,
    kind           text    NOT NULL,
    version        integer NOT NULL,
    doc            jsonb   NOT NULL
);
CREATE INDEX ambassadors_by_region ON ambassadors (region, id);

CREATE TABLE trainings (
    id            uuid  PRIMARY KEY,
    ambassador_id uuid  NOT NULL,
    place_id      text  NOT NULL,
    module        text  NOT NULL,
    date_ns       bigint NOT NULL,
    doc           jsonb NOT NULL
);
CREATE INDEX trainings_by_ambassador ON trainings (ambassador_id);

CREATE TABLE actions (
    id             uuid   PRIMARY KEY,
    source         text   NOT NULL,
    external_id    text   NOT NULL,
    type           text   NOT NULL,
    date_ns        bigint NOT NULL,
    region         text   NOT NULL,
    departement    text   NOT NULL,
    coordinator_id uuid   NOT NULL,
    doc            jsonb  NOT NULL
);
CREATE INDEX actions_by_region ON actions (region, departement, id);
CREATE INDEX actions_by_date ON actions (date_ns);
-- An imported activity is stored once per source.
CREATE UNIQUE INDEX actions_by_external ON actions (source, external_id) WHERE external_id <> '';

CREATE TABLE accompaniments (
    id            uuid   PRIMARY KEY,
    action_id     uuid   NOT NULL,
    ambassador_id uuid   NOT NULL,
    date_ns       bigint NOT NULL,
    region        text   NOT NULL,
    departement   text   NOT NULL,
    doc           jsonb  NOT NULL
);
CREATE INDEX accompaniments_by_action ON accompaniments (action_id);
CREATE INDEX accompaniments_by_date ON accompaniments (date_ns);
CREATE INDEX accompaniments_by_region ON accompaniments (region, departement, id);

CREATE TABLE questions (
    id             uuid    PRIMARY KEY,
    region         text    NOT NULL,
    coordinator_id uuid    NOT NULL,
    status         text    NOT NULL,
    version        integer NOT NULL,
    doc            jsonb   NOT NULL
);
CREATE INDEX questions_by_status ON questions (status, id);
