-- Photos of the signed pages and audio notes of a dialogue (issue 14).
-- Kept in the database, beside the minutes: every server instance sees
-- them, and one backup holds both. The bytes arrive in chunks at the
-- offset reached so far (`received`); `complete` once they are all there
-- and match `sha256`.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    dialogue_id TEXT NOT NULL REFERENCES dialogues(id),
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    received BIGINT NOT NULL,
    complete BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_dialogue ON attachments(dialogue_id);

CREATE TABLE attachment_chunks (
    attachment_id TEXT NOT NULL REFERENCES attachments(id),
    at_byte BIGINT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (attachment_id, at_byte)
);
