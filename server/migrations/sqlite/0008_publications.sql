-- Results made public (issue 12). Each publication of a dialogue is a
-- snapshot of exactly what the public sees (shared::public::PublicDialogue
-- as JSON), numbered 1, 2, … so what changed between them stays on record;
-- the latest one not withdrawn is the one shown.
CREATE TABLE publications (
    dialogue_id TEXT NOT NULL REFERENCES dialogues(id),
    revision BIGINT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    snapshot TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES users(id),
    published_at BIGINT NOT NULL,
    withdrawn_by TEXT REFERENCES users(id),
    withdrawn_at BIGINT,
    withdraw_reason TEXT,
    PRIMARY KEY (dialogue_id, revision)
);
CREATE INDEX publications_unit ON publications(unit_code, published_at);
