-- Search at national scale: a trigram index over the folded text, so a
-- substring query reads the index instead of every row. The index keeps no
-- copy of the text (external content); a row is known in it by its version,
-- which is unique across the table and, unlike an implicit rowid, never
-- renumbered by VACUUM. Triggers keep it current in the writing transaction.
CREATE UNIQUE INDEX opinions_version_unique ON opinions(version);
DROP INDEX opinions_version;
CREATE UNIQUE INDEX dialogues_version_unique ON dialogues(version);
DROP INDEX dialogues_version;

CREATE VIRTUAL TABLE opinions_search USING fts5(
    search_text, content = 'opinions', content_rowid = 'version', tokenize = 'trigram'
);
INSERT INTO opinions_search (opinions_search) VALUES ('rebuild');
CREATE TRIGGER opinions_search_insert AFTER INSERT ON opinions BEGIN
    INSERT INTO opinions_search (rowid, search_text) VALUES (new.version, new.search_text);
END;
CREATE TRIGGER opinions_search_update AFTER UPDATE OF version, search_text ON opinions BEGIN
    INSERT INTO opinions_search (opinions_search, rowid, search_text) VALUES ('delete', old.version, old.search_text);
    INSERT INTO opinions_search (rowid, search_text) VALUES (new.version, new.search_text);
END;
CREATE TRIGGER opinions_search_delete AFTER DELETE ON opinions BEGIN
    INSERT INTO opinions_search (opinions_search, rowid, search_text) VALUES ('delete', old.version, old.search_text);
END;

CREATE VIRTUAL TABLE dialogues_search USING fts5(
    search_text, content = 'dialogues', content_rowid = 'version', tokenize = 'trigram'
);
INSERT INTO dialogues_search (dialogues_search) VALUES ('rebuild');
CREATE TRIGGER dialogues_search_insert AFTER INSERT ON dialogues BEGIN
    INSERT INTO dialogues_search (rowid, search_text) VALUES (new.version, new.search_text);
END;
CREATE TRIGGER dialogues_search_update AFTER UPDATE OF version, search_text ON dialogues BEGIN
    INSERT INTO dialogues_search (dialogues_search, rowid, search_text) VALUES ('delete', old.version, old.search_text);
    INSERT INTO dialogues_search (rowid, search_text) VALUES (new.version, new.search_text);
END;
CREATE TRIGGER dialogues_search_delete AFTER DELETE ON dialogues BEGIN
    INSERT INTO dialogues_search (dialogues_search, rowid, search_text) VALUES ('delete', old.version, old.search_text);
END;

-- The review list pages by (planned_at DESC, id).
CREATE INDEX dialogues_planned ON dialogues(planned_at DESC, id);

-- A dialogue's page reads its revisions by dialogue; nothing reads them by
-- record alone.
CREATE INDEX revisions_dialogue ON revisions(dialogue_id, entity_id);
DROP INDEX revisions_entity;
