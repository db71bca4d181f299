-- The schema is plain SQL common to both engines; see migrations/postgres for the twin.
-- Units, users, sessions, sync state and the synced records.
-- Flags are BIGINT 0/1 and times are Unix milliseconds so that one set of
-- queries runs unchanged on SQLite and PostgreSQL.
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES units(code),
    division_type TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    source TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_code);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- NULL: the whole country (administrators).
    unit_code TEXT REFERENCES units(code),
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The one row whose lock orders every push: versions are handed out under it.
CREATE TABLE sync_clock (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO sync_clock (id, version) VALUES (1, 0);

CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    last_seq BIGINT NOT NULL,
    last_push_at BIGINT NOT NULL
);

CREATE TABLE dialogues (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    planned_at TEXT NOT NULL,
    data TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    conflict BIGINT NOT NULL,
    last_device TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    first_received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dialogues_version ON dialogues(version);
CREATE INDEX dialogues_unit ON dialogues(unit_code, planned_at);

CREATE TABLE opinions (
    id TEXT PRIMARY KEY,
    dialogue_id TEXT NOT NULL REFERENCES dialogues(id),
    data TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    conflict BIGINT NOT NULL,
    -- Removed from the minutes (recoverable): not counted, still kept.
    deleted BIGINT NOT NULL,
    last_device TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX opinions_dialogue ON opinions(dialogue_id);
CREATE INDEX opinions_version ON opinions(version);

-- Every change ever received, applied or not: nothing is overwritten silently.
CREATE TABLE revisions (
    version BIGINT PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    base_version BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    data TEXT NOT NULL,
    client_time BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX revisions_entity ON revisions(entity_id, version);

-- Who saw a protected identity (tố cáo) and when.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
);
