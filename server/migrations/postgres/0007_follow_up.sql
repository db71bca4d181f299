-- Follow-up after the meeting (issue 11). Handlers belong to one agency.
ALTER TABLE users ADD COLUMN agency_id TEXT REFERENCES agencies(id);

-- The conclusion notice (thông báo kết luận) of a dialogue, once issued.
-- One per dialogue: the primary key is what refuses a second.
CREATE TABLE conclusion_notices (
    dialogue_id TEXT PRIMARY KEY REFERENCES dialogues(id),
    number TEXT NOT NULL,
    -- YYYY-MM-DD.
    issued_on TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users(id),
    issued_at BIGINT NOT NULL
);

-- One item per opinion the notice assigned. Its events are the truth;
-- the state columns are what shared::follow_up::Item derives from them,
-- kept here so the board and the lists read an index instead of histories.
CREATE TABLE follow_items (
    opinion_id TEXT PRIMARY KEY REFERENCES opinions(id),
    dialogue_id TEXT NOT NULL REFERENCES conclusion_notices(dialogue_id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    -- The unit's province (itself for a province): staff of a province see
    -- its communes' items through it.
    province_code TEXT NOT NULL REFERENCES units(code),
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    instructions TEXT NOT NULL,
    stage TEXT NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    -- The notice's date (YYYY-MM-DD, like the other dates): the board's
    -- period filters on it.
    assigned_on TEXT NOT NULL,
    first_due TEXT NOT NULL,
    due TEXT NOT NULL,
    replied_on TEXT,
    forwarded BIGINT NOT NULL,
    -- How many events the item has: a write names it, so a second writer
    -- who did not see the first is refused (409), never silently applied.
    revision BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The lists read by scope (a province's staff, a commune's, an agency's,
-- the whole country) in due order.
CREATE INDEX follow_items_province_due ON follow_items(province_code, stage, due);
CREATE INDEX follow_items_agency_due ON follow_items(agency_id, stage, due);
CREATE INDEX follow_items_due ON follow_items(stage, due);
-- The board counts from these alone (every column it reads, in group
-- order), never from the rows: one for a province's staff, one for a
-- commune's and for the whole country.
CREATE INDEX follow_items_counts_province ON follow_items(
    province_code, unit_code, agency_id, stage, due, first_due, replied_on, forwarded, kind, field, assigned_on
);
CREATE INDEX follow_items_counts_unit ON follow_items(
    unit_code, agency_id, stage, due, first_due, replied_on, forwarded, kind, field, assigned_on
);
CREATE INDEX follow_items_dialogue ON follow_items(dialogue_id);

-- Every event of every item, in order, never changed.
CREATE TABLE follow_events (
    opinion_id TEXT NOT NULL REFERENCES follow_items(opinion_id),
    position BIGINT NOT NULL,
    -- shared::follow_up::Event as JSON.
    event TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    PRIMARY KEY (opinion_id, position)
);
