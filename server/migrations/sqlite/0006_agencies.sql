-- The agency directory of each unit (issue 11): who opinions are assigned
-- to. A name is unique within its unit whatever its case or diacritics
-- (`name_folded`), so "Công an xã" is not entered twice.
CREATE TABLE agencies (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (unit_code, name_folded)
);
