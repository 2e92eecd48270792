-- The hub's first schema: branches and rosters, devices, admins, records with every revision,
-- their audit and attachments, what the township publishes (forms, platform settings).
-- Applied in one transaction by hub/migrate.py; never edit a step that has shipped: add a new one.

-- Every change a laptop may pull gets a number from this sequence (hub/changes.py).
CREATE SEQUENCE hub_changes;

CREATE TABLE branches (
    id          bigserial PRIMARY KEY,
    uid         text NOT NULL UNIQUE,              -- stable across renames; laptops remember it
    name        text NOT NULL UNIQUE,
    code        text,
    secretary   text,
    cadence     jsonb NOT NULL DEFAULT '{}'::jsonb, -- per-form cadence overrides, as on the laptop
    change      bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
    id          bigserial PRIMARY KEY,
    branch_id   bigint NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    name        text NOT NULL,
    role        text NOT NULL DEFAULT '',
    phone       text,
    position    integer NOT NULL DEFAULT 0
);
CREATE INDEX members_branch ON members(branch_id, position);

CREATE TABLE devices (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL,
    code_hash        text UNIQUE,          -- sha256 of the one-time code; NULL once used
    code_expires_at  timestamptz,
    token_hash       text UNIQUE,          -- sha256 of the device token; the token itself is never kept
    joined_as        text,                 -- the name the laptop gave when it joined
    joined_at        timestamptz,
    revoked_at       timestamptz,
    last_seen_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
-- One device of a name at a time; a revoked one keeps its row (and its name) for the record.
CREATE UNIQUE INDEX devices_active_name ON devices(name) WHERE revoked_at IS NULL;

CREATE TABLE device_branches (
    device_id   bigint NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    branch_id   bigint NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    change      bigint NOT NULL,
    PRIMARY KEY (device_id, branch_id)
);

CREATE TABLE admins (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    password_hash  text NOT NULL,           -- argon2id
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Attachments live in PostgreSQL (bytea), content-addressed by SHA-256: one backup (pg_dump)
-- holds everything and a record and its files commit together (docs/HUB.md says why).
CREATE TABLE attachments (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL,
    data        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An upload in progress: the parts received so far, in order, until the whole matches its hash.
CREATE TABLE attachment_uploads (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    total       bigint NOT NULL,
    received    bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE attachment_parts (
    sha256  text NOT NULL REFERENCES attachment_uploads(sha256) ON DELETE CASCADE,
    start   bigint NOT NULL,
    data    bytea NOT NULL,
    PRIMARY KEY (sha256, start)
);

-- The latest revision of each record (what the township page reads).
CREATE TABLE records (
    uuid          text PRIMARY KEY,
    branch_id     bigint NOT NULL REFERENCES branches(id),
    form_id       text NOT NULL,
    revision      integer NOT NULL,
    status        text NOT NULL CHECK (status IN ('final', 'void')),
    occurred_on   date,
    summary       text NOT NULL DEFAULT '',
    change        bigint NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX records_branch_form ON records(branch_id, form_id, occurred_on);

-- Every revision ever pushed, kept forever; (uuid, revision) is what makes a push idempotent.
CREATE TABLE record_revisions (
    uuid           text NOT NULL,
    revision       integer NOT NULL CHECK (revision >= 1),
    base_revision  integer NOT NULL CHECK (base_revision >= 0),
    branch_id      bigint NOT NULL REFERENCES branches(id),
    form_id        text NOT NULL,
    form_version   integer NOT NULL,
    form_source    text,
    status         text NOT NULL CHECK (status IN ('final', 'void')),
    data           jsonb NOT NULL,
    summary        text NOT NULL DEFAULT '',
    occurred_on    date,
    operator       text NOT NULL DEFAULT '',
    finalized_at   text,
    void_reason    text,
    device_id      bigint REFERENCES devices(id),
    change         bigint NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (uuid, revision)
);
CREATE INDEX record_revisions_branch_change ON record_revisions(branch_id, change);

CREATE TABLE record_audit (
    id         bigserial PRIMARY KEY,
    uuid       text NOT NULL,
    revision   integer NOT NULL,
    position   integer NOT NULL,
    at         text NOT NULL,
    operator   text NOT NULL DEFAULT '',
    action     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    FOREIGN KEY (uuid, revision) REFERENCES record_revisions(uuid, revision)
);
CREATE INDEX record_audit_revision ON record_audit(uuid, revision, position);

CREATE TABLE record_attachments (
    uuid       text NOT NULL,
    revision   integer NOT NULL,
    position   integer NOT NULL,
    sha256     text NOT NULL REFERENCES attachments(sha256),
    name       text NOT NULL,
    PRIMARY KEY (uuid, revision, position),
    FOREIGN KEY (uuid, revision) REFERENCES record_revisions(uuid, revision)
);
CREATE INDEX record_attachments_sha256 ON record_attachments(sha256);

-- What the township publishes for the laptops (filled by later steps of the hub's work).
CREATE TABLE forms (
    id            text NOT NULL,
    version       integer NOT NULL,
    source        text NOT NULL,
    print_layout  text,
    change        bigint NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);

CREATE TABLE platform_settings (
    name        text PRIMARY KEY,
    kind        text NOT NULL,
    settings    jsonb NOT NULL DEFAULT '{}'::jsonb,   -- never a secret: those stay on each laptop
    change      bigint NOT NULL
);
