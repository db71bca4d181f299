-- The trigram index is brought up to date after the writes, not inside
-- them (server/src/search/index.rs): a push no longer indexes its own
-- opinions. The index becomes contentless with deletes by rowid, because
-- by the time a replaced record's entry is removed its old text is gone;
-- a row is still known in it by its version.
DROP TRIGGER opinions_search_insert;
DROP TRIGGER opinions_search_update;
DROP TRIGGER opinions_search_delete;
DROP TRIGGER dialogues_search_insert;
DROP TRIGGER dialogues_search_update;
DROP TRIGGER dialogues_search_delete;
DROP TABLE opinions_search;
DROP TABLE dialogues_search;
CREATE VIRTUAL TABLE opinions_search USING fts5(
    search_text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE dialogues_search USING fts5(
    search_text, content = '', contentless_delete = 1, tokenize = 'trigram'
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
CREATE TRIGGER opinions_search_stale AFTER UPDATE OF version ON opinions
WHEN old.version <= (SELECT version FROM search_indexed WHERE id = 1) BEGIN
    INSERT OR IGNORE INTO search_stale (version, opinion) VALUES (old.version, 1);
END;
CREATE TRIGGER opinions_search_gone AFTER DELETE ON opinions
WHEN old.version <= (SELECT version FROM search_indexed WHERE id = 1) BEGIN
    INSERT OR IGNORE INTO search_stale (version, opinion) VALUES (old.version, 1);
END;
CREATE TRIGGER dialogues_search_stale AFTER UPDATE OF version ON dialogues
WHEN old.version <= (SELECT version FROM search_indexed WHERE id = 1) BEGIN
    INSERT OR IGNORE INTO search_stale (version, opinion) VALUES (old.version, 0);
END;
CREATE TRIGGER dialogues_search_gone AFTER DELETE ON dialogues
WHEN old.version <= (SELECT version FROM search_indexed WHERE id = 1) BEGIN
    INSERT OR IGNORE INTO search_stale (version, opinion) VALUES (old.version, 0);
END;

INSERT INTO opinions_search (rowid, search_text) SELECT version, search_text FROM opinions;
INSERT INTO dialogues_search (rowid, search_text) SELECT version, search_text FROM dialogues;
INSERT INTO search_indexed (id, version) SELECT 1, version FROM sync_clock WHERE id = 1;
