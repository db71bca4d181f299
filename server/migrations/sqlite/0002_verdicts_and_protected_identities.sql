-- Per-change verdicts and protected identities (the same in both engines).

-- Why a change was refused, as its device was told: the JSON error detail
-- {code, message, message_en}; NULL when it was applied.
ALTER TABLE revisions ADD COLUMN reason TEXT;
UPDATE revisions
SET outcome = 'refused',
    reason = '{"code":"locked","message":"Biên bản đã hoàn thành, không thể sửa","message_en":"the minutes are finalised and can no longer change"}'
WHERE outcome = 'refused_locked';

-- Who first recorded an opinion: of the secretaries, only they see a
-- denouncer's identity.
ALTER TABLE opinions ADD COLUMN created_by TEXT;
UPDATE opinions SET created_by = (
    SELECT r.user_id FROM revisions r
    WHERE r.entity_id = opinions.id ORDER BY r.version LIMIT 1
);

-- An opinion that is, or ever was, a denunciation (tố cáo) stays protected:
-- its identity is redacted in every revision, for everyone else.
ALTER TABLE opinions ADD COLUMN protected BIGINT NOT NULL DEFAULT 0;
UPDATE opinions SET protected = 1 WHERE EXISTS (
    SELECT 1 FROM revisions r
    WHERE r.entity_id = opinions.id AND r.data LIKE '%"kind":"denunciation"%'
);
