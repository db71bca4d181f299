-- The trigram index is brought up to date after the writes, not inside
-- them (server/src/search/index.rs), as on SQLite: GIN's pending list cost
-- a push of 50 opinions about 2 ms, and its flush, run by whichever insert
-- found the list full, 25–35 ms (BENCHMARKS.md, `--bench sync`). The
-- indexed text moves to a table of its own, one row per indexed record
-- version; a search joins it to the records by version, so an entry left
-- by a replaced version never matches a record.
DROP INDEX opinions_search;
DROP INDEX dialogues_search;
CREATE TABLE opinions_search (
    version BIGINT PRIMARY KEY,
    search_text TEXT NOT NULL
);
CREATE TABLE dialogues_search (
    version BIGINT PRIMARY KEY,
    search_text TEXT NOT NULL
);

-- Every record version up to this one is in the index.
CREATE TABLE search_indexed (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
-- Versions of indexed records replaced since: removed at the next catch-up.
CREATE TABLE search_stale (
    version BIGINT PRIMARY KEY,
    opinion BIGINT NOT NULL
);
-- Every replaced version is noted, indexed or not, and the trigger takes
-- no lock: a catch-up step removes exactly the notes it read, so a note
-- added while it runs waits for the next step.
CREATE FUNCTION search_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_stale (version, opinion) VALUES (OLD.version, TG_ARGV[0]::BIGINT)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER opinions_search_stale AFTER UPDATE OF version OR DELETE ON opinions
FOR EACH ROW EXECUTE FUNCTION search_mark_stale(1);
CREATE TRIGGER dialogues_search_stale AFTER UPDATE OF version OR DELETE ON dialogues
FOR EACH ROW EXECUTE FUNCTION search_mark_stale(0);

INSERT INTO opinions_search (version, search_text) SELECT version, search_text FROM opinions;
INSERT INTO dialogues_search (version, search_text) SELECT version, search_text FROM dialogues;
INSERT INTO search_indexed (id, version) SELECT 1, version FROM sync_clock WHERE id = 1;
CREATE INDEX opinions_search_text ON opinions_search USING gin (search_text gin_trgm_ops);
CREATE INDEX dialogues_search_text ON dialogues_search USING gin (search_text gin_trgm_ops);
