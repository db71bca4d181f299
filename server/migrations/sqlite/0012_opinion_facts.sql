-- What a report counts of an opinion (its kind, its field, whether it
-- needs follow-up), read by the database from the opinion's document: a
-- province's year is a hundred thousand opinions, and reading their whole
-- documents (the citizen's words) to count them was most of a report's
-- time. Derived, so no write path can let them drift from the document;
-- VIRTUAL (computed when read) is what ALTER TABLE can add in SQLite.
ALTER TABLE opinions ADD COLUMN kind TEXT
    GENERATED ALWAYS AS (json_extract(data, '$.kind')) VIRTUAL;
ALTER TABLE opinions ADD COLUMN field TEXT
    GENERATED ALWAYS AS (json_extract(data, '$.field')) VIRTUAL;
ALTER TABLE opinions ADD COLUMN needs_follow_up BIGINT
    GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.needs_follow_up'), 0)) VIRTUAL;
