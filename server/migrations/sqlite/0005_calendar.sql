-- The working calendar and each province's deadline rules (issue 11).

-- Days off (public holidays, compensatory days, swapped days) and weekend
-- days worked instead; every other day is a working day from Monday to
-- Friday. Seeded from data/holidays.tsv on the first start, then edited by
-- the administrator (source 'admin').
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A province's own periods (JSON of shared::calendar::DeadlineRules); a
-- province without a row uses the defaults.
CREATE TABLE deadline_rules (
    province_code TEXT PRIMARY KEY REFERENCES units(code),
    rules TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
