-- The 6-month and annual reports of a unit (issue 13). One per unit,
-- period and year: the unique key is what refuses a second. The office's
-- words are a draft (shared::report::Narrative as JSON) changed on the
-- revision it was read at; once issued, the number, the day and the
-- figures as they were that day (shared::report::Figures as JSON) are
-- kept and nothing changes again.
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code),
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    -- YYYY-MM-DD: the days whose figures it counts.
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    narrative TEXT NOT NULL,
    revision BIGINT NOT NULL,
    number TEXT,
    issued_on TEXT,
    figures TEXT,
    issued_by TEXT REFERENCES users(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    UNIQUE (unit_code, period, year)
);
