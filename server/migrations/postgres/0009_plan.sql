-- The annual plan of dialogues (issue 12). An entry is a planned dialogue
-- (its kind, topic, day, chair are the dialogue record's, which the
-- tablets pull) plus what only the plan knows: the year and month it was
-- planned for, and how and when it was announced.
CREATE TABLE plan_entries (
    dialogue_id TEXT PRIMARY KEY REFERENCES dialogues(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    -- YYYY-MM-DD, and shared::plan::Means as a JSON list; both or neither.
    announced_on TEXT,
    announced_means TEXT,
    announced_by TEXT REFERENCES users(id)
);
CREATE INDEX plan_entries_unit_year ON plan_entries(unit_code, year, month);
