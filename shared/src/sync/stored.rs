//! How a workspace lies in the device's store: an index (device id,
//! sequence counter, cursor, sync status) and one part per dialogue (the
//! dialogue, its opinions, their queued and refused changes). A keystroke
//! rewrites one dialogue's part and the index, not every dialogue on the
//! tablet. Index and parts are [`Workspace`]s themselves, each holding its
//! share, so one parser reads them all (a parser per shape would cost the
//! tablet's bundle more). Pure: the app reads and writes the texts.
//!
//! Writes are not atomic across keys, so the layout tolerates any crash
//! between them: parts are written before the index, a change and its
//! refusal live in the same part, and the sequence counter is never taken
//! below a queued change's number.

use serde::Deserialize;

use super::device::{Workspace, WHOLE_WORKSPACE_SCHEMA};

/// The schema of the index and parts; 1 was one text holding everything.
pub const STORED_SCHEMA: u32 = 2;

/// Only the schema number, read first to pick the right parser.
#[derive(Deserialize)]
struct Schema {
    schema: u32,
}

/// What a stored index text turned out to be.
pub enum ReadIndex {
    /// The current layout: the index, to be completed by the parts.
    Index(Workspace),
    /// The first version's single text: the whole workspace, to lay out
    /// afresh (every dialogue touched).
    Whole(Workspace),
    /// Not readable by this version: set it aside, never overwrite it.
    Unreadable,
}

pub fn read_index(text: &str) -> ReadIndex {
    let Ok(Schema { schema }) = serde_json::from_str(text) else {
        return ReadIndex::Unreadable;
    };
    match (schema, serde_json::from_str::<Workspace>(text)) {
        (STORED_SCHEMA, Ok(index)) => ReadIndex::Index(index),
        (WHOLE_WORKSPACE_SCHEMA, Ok(mut ws)) => {
            ws.touch_all();
            ReadIndex::Whole(ws)
        }
        _ => ReadIndex::Unreadable,
    }
}

/// A stored part: `None` if this version cannot read it.
pub fn read_part(text: &str) -> Option<Workspace> {
    serde_json::from_str::<Workspace>(text)
        .ok()
        .filter(|part| part.schema == STORED_SCHEMA)
}

impl Workspace {
    /// The index: everything but the records and their changes.
    pub fn index(&self) -> Workspace {
        Workspace {
            schema: STORED_SCHEMA,
            cursor: self.cursor,
            last_sync_at: self.last_sync_at,
            last_error: self.last_error.clone(),
            kept: self.kept.clone(),
            ..self.empty_share()
        }
    }

    /// The part of one dialogue (by its id's text); empty when nothing of
    /// it is left on the device.
    pub fn part(&self, id: &str) -> Workspace {
        let mine = |d: crate::DialogueId| d.to_string() == id;
        let mut part = self.empty_share();
        part.dialogues.extend(
            self.dialogues
                .iter()
                .filter(|(k, _)| k.as_str() == id)
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        part.opinions.extend(
            self.opinions
                .iter()
                .filter(|(_, l)| mine(l.item.dialogue_id))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        part.outbox.entries = self
            .outbox
            .entries
            .iter()
            .filter(|e| mine(e.change.entity.dialogue_id()))
            .cloned()
            .collect();
        part.refused = self
            .refused
            .iter()
            .filter(|r| mine(r.entity.dialogue_id()))
            .cloned()
            .collect();
        part
    }

    /// Nothing of a dialogue is left in this part: its key is removed.
    pub fn is_empty_part(&self) -> bool {
        self.dialogues.is_empty()
            && self.opinions.is_empty()
            && self.outbox.is_empty()
            && self.refused.is_empty()
    }

    fn empty_share(&self) -> Workspace {
        let mut share = Workspace {
            schema: STORED_SCHEMA,
            ..Workspace::default()
        };
        share.outbox.device_id = self.outbox.device_id;
        share.outbox.next_seq = self.outbox.next_seq;
        share
    }

    /// Puts a workspace together from its index and parts.
    pub fn from_parts(index: Workspace, parts: Vec<Workspace>) -> Self {
        let mut ws = index;
        for part in parts {
            ws.dialogues.extend(part.dialogues);
            ws.opinions.extend(part.opinions);
            // Each part holds its share in order: insert, not sort (a
            // sort's code would cost the tablet's bundle some 15 KB).
            for entry in part.outbox.entries {
                let at = ws
                    .outbox
                    .entries
                    .partition_point(|e| e.change.seq < entry.change.seq);
                ws.outbox.entries.insert(at, entry);
            }
            for refused in part.refused {
                let at = ws.refused.partition_point(|r| r.at <= refused.at);
                ws.refused.insert(at, refused);
            }
        }
        // A part written just before a crash may hold a change the index's
        // counter does not know yet: never hand its number out again.
        let after_queued = ws.outbox.entries.last().map_or(1, |e| e.change.seq + 1);
        ws.outbox.next_seq = ws.outbox.next_seq.max(after_queued);
        ws
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{Entity, PushResponse, Verdict};
    use crate::{Dialogue, Opinion, UnitCode};

    const DAY: i64 = 24 * 3600 * 1000;

    fn minutes(ws: &mut Workspace, topic: &str) -> Dialogue {
        let mut d = Dialogue::new(UnitCode::parse("00070").unwrap());
        d.topic = topic.into();
        ws.put(Entity::Dialogue(d.clone()), 1).unwrap();
        d
    }

    /// What the app's store does: the touched parts, then the index.
    fn store(ws: &mut Workspace) -> (String, Vec<(String, String)>) {
        let parts = ws
            .take_touched()
            .into_iter()
            .map(|id| (id.clone(), serde_json::to_string(&ws.part(&id)).unwrap()))
            .collect();
        (serde_json::to_string(&ws.index()).unwrap(), parts)
    }

    #[test]
    fn a_keystroke_rewrites_only_its_own_dialogue() {
        let mut ws = Workspace::default();
        let a = minutes(&mut ws, "Đường liên thôn");
        let mut b = minutes(&mut ws, "Nước sạch");
        store(&mut ws);
        b.venue = "Nhà văn hóa bản Giàng".into();
        ws.put(Entity::Dialogue(b.clone()), 2).unwrap();
        let (index, parts) = store(&mut ws);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0, b.id.to_string());
        assert!(!index.contains("Nước sạch"), "the index holds no records");
        let ReadIndex::Index(index) = read_index(&index) else {
            panic!("readable")
        };
        let back = Workspace::from_parts(index, vec![read_part(&parts[0].1).unwrap()]);
        assert_eq!(back.dialogue(&b.id), Some(&b));
        assert_eq!(back.dialogue(&a.id), None, "only the part given");
        assert_eq!(back.outbox.entries.len(), 1, "b's queued change");
    }

    #[test]
    fn a_first_version_workspace_is_read_whole_and_laid_out_afresh() {
        let mut ws = Workspace::default();
        let d = minutes(&mut ws, "Đất đai");
        ws.put(Entity::Opinion(Opinion::new(d.id, 1)), 2).unwrap();
        ws.take_touched();
        let whole = serde_json::to_string(&ws).unwrap();
        let ReadIndex::Whole(mut read) = read_index(&whole) else {
            panic!("a first-version text is read whole")
        };
        assert_eq!(read.outbox, ws.outbox);
        assert_eq!(read.take_touched(), vec![d.id.to_string()]);
        assert!(matches!(
            read_index("{\"schema\":9}"),
            ReadIndex::Unreadable
        ));
        assert!(matches!(
            read_index("không phải JSON"),
            ReadIndex::Unreadable
        ));
    }

    #[test]
    fn finalised_minutes_leave_the_tablet_only_synced_and_old_enough() {
        let mut ws = Workspace::default();
        let mut d = minutes(&mut ws, "Chủ đề");
        d.finalise("Thư ký", "Chủ tọa", 10 * DAY).unwrap();
        ws.put(Entity::Dialogue(d.clone()), 3).unwrap();
        ws.put(Entity::Opinion(Opinion::new(d.id, 1)), 4).unwrap();
        assert_eq!(ws.prune(100 * DAY, 30 * DAY), 0, "changes still queued");
        let batch = ws.take_batch(10, usize::MAX, |_| 0);
        let verdicts = batch
            .changes
            .iter()
            .map(|c| Verdict {
                seq: c.seq,
                outcome: crate::sync::Outcome::Applied,
                reason: None,
                current: None,
            })
            .collect();
        ws.take_verdicts(
            PushResponse {
                last_seq: 2,
                verdicts,
            },
            5,
        );
        ws.take_touched();
        assert_eq!(ws.prune(39 * DAY, 30 * DAY), 0, "finalised 29 days ago");
        assert_eq!(ws.prune(41 * DAY, 30 * DAY), 1);
        assert!(ws.dialogues.is_empty() && ws.opinions.is_empty());
        let id = d.id.to_string();
        assert_eq!(ws.take_touched(), vec![id.clone()]);
        assert!(ws.part(&id).is_empty_part(), "its key is removed");
    }
}
