-- Search at national scale: trigram GIN indexes over the folded text, so a
-- substring query (LIKE '%…%') reads the index instead of every row.
-- pg_trgm is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX opinions_search ON opinions USING gin (search_text gin_trgm_ops);
CREATE INDEX dialogues_search ON dialogues USING gin (search_text gin_trgm_ops);
-- Versions are unique across each table (one clock); say so, as SQLite does.
CREATE UNIQUE INDEX opinions_version_unique ON opinions(version);
DROP INDEX opinions_version;
CREATE UNIQUE INDEX dialogues_version_unique ON dialogues(version);
DROP INDEX dialogues_version;

-- The review list pages by (planned_at DESC, id).
CREATE INDEX dialogues_planned ON dialogues(planned_at DESC, id);

-- A dialogue's page reads its revisions by dialogue; nothing reads them by
-- record alone.
CREATE INDEX revisions_dialogue ON revisions(dialogue_id, entity_id);
DROP INDEX revisions_entity;
