-- What a report counts of an opinion (its kind, its field, whether it
-- needs follow-up), read by the database from the opinion's document: a
-- province's year is a hundred thousand opinions, and reading their whole
-- documents (the citizen's words) to count them was most of a report's
-- time. Derived, so no write path can let them drift from the document;
-- STORED (PostgreSQL 15 has no virtual generated columns).
ALTER TABLE opinions ADD COLUMN kind TEXT
    GENERATED ALWAYS AS ((data::jsonb) ->> 'kind') STORED;
ALTER TABLE opinions ADD COLUMN field TEXT
    GENERATED ALWAYS AS ((data::jsonb) ->> 'field') STORED;
ALTER TABLE opinions ADD COLUMN needs_follow_up BIGINT
    GENERATED ALWAYS AS (CASE WHEN ((data::jsonb) ->> 'needs_follow_up') = 'true' THEN 1 ELSE 0 END) STORED;
