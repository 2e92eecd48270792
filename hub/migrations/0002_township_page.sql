-- The township page: administrators' login sessions, wrong passwords counted for the lockout and the
-- key the page signs its cookies and forms with.
-- Applied in one transaction by hub/migrate.py; never edit a step that has shipped: add a new one.

-- One row: 32 random bytes made by the first `yici-hub serve` (hub/township/keys.py), never by this
-- file (a key written here would be the same on every hub). Kept in the database so every app
-- server behind a load balancer signs alike and a restart logs nobody out.
CREATE TABLE township_key (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    key         bytea NOT NULL CHECK (length(key) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A logged-in administrator. The cookie carries a random token; only its SHA-256 is kept here.
-- `password_mark` is a hash of the password hash at login: a new password ends every session.
CREATE TABLE township_sessions (
    token_hash     text PRIMARY KEY,
    admin_id       bigint NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    password_mark  text NOT NULL,
    address        text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX township_sessions_admin ON township_sessions(admin_id);

-- Wrong passwords, by the name typed (known or not), for the lockout; old rows are removed as
-- new ones come.
CREATE TABLE township_login_failures (
    name  text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX township_login_failures_name ON township_login_failures(name, at);


-- The overview reads a year of records again only for the branches whose revisions came after
-- the last time it looked (hub/township/held.py): found by change number.
CREATE INDEX record_revisions_change ON record_revisions(change);
