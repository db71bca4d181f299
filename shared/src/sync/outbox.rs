//! The device's outbox: every change under an increasing sequence number,
//! edits of one record folded while unsent, batches taken oldest first and
//! never rewritten once they may have left the device.

use serde::{Deserialize, Serialize};

use super::{Change, Entity, EntityKey, PushRequest};
use crate::ids::DeviceId;

/// A change waiting in the device's outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub change: Change,
    /// Once a push carrying it has started, it may be on the server already,
    /// so it must never be rewritten.
    pub sent: bool,
}

/// The device's queue of changes not yet acknowledged by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub device_id: DeviceId,
    pub next_seq: u64,
    pub entries: Vec<OutboxEntry>,
}

impl Default for Outbox {
    fn default() -> Self {
        Self::new(DeviceId::new())
    }
}

impl Outbox {
    pub fn new(device_id: DeviceId) -> Self {
        Self {
            device_id,
            next_seq: 1,
            entries: Vec::new(),
        }
    }

    /// Records a new state of a record. Consecutive edits of the same record
    /// (typing in one field) fold into one unsent change, which keeps the
    /// outbox small without reordering anything.
    pub(crate) fn record(&mut self, entity: Entity, base_version: i64, now: i64) {
        if let Some(tail) = self.entries.last_mut() {
            if !tail.sent && tail.change.entity.key() == entity.key() {
                tail.change.entity = entity;
                tail.change.client_time = now;
                return;
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push(OutboxEntry {
            change: Change {
                seq,
                base_version,
                client_time: now,
                entity,
            },
            sent: false,
        });
    }

    /// The oldest changes, marked as sent: at most `max` of them, and only
    /// as many as fit in `max_bytes` measured by `size_of` (the caller's
    /// encoding), so a batch of long texts never passes the server's body
    /// limit and blocks the queue. The first change always goes.
    pub(crate) fn take_batch(
        &mut self,
        max: usize,
        max_bytes: usize,
        size_of: impl Fn(&Change) -> usize,
    ) -> PushRequest {
        let mut changes = Vec::new();
        let mut bytes = 0;
        for entry in self.entries.iter_mut().take(max) {
            bytes += size_of(&entry.change);
            if bytes > max_bytes && !changes.is_empty() {
                break;
            }
            entry.sent = true;
            changes.push(entry.change.clone());
        }
        PushRequest {
            device_id: self.device_id,
            changes,
        }
    }

    /// Drops everything up to `last_seq`.
    #[cfg(test)]
    fn acknowledge(&mut self, last_seq: u64) {
        self.entries.retain(|e| e.change.seq > last_seq);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// When the oldest unsynced change was made (device clock).
    pub fn oldest_change_at(&self) -> Option<i64> {
        self.entries.iter().map(|e| e.change.client_time).min()
    }

    /// How many minutes and how many opinions have changes not yet
    /// acknowledged: what a person counts as unsent.
    pub fn unsent_records(&self) -> (usize, usize) {
        // Quadratic, but an outbox folds typing and stays short; a sort
        // would cost the tablet's bundle more than this loop costs time.
        let (mut minutes, mut opinions) = (0, 0);
        for (i, entry) in self.entries.iter().enumerate() {
            let entity = &entry.change.entity;
            if self.entries[..i]
                .iter()
                .any(|e| e.change.entity.same_record(entity))
            {
                continue;
            }
            match entity {
                Entity::Dialogue(_) => minutes += 1,
                Entity::Opinion(_) => opinions += 1,
            }
        }
        (minutes, opinions)
    }

    /// Whether a record has changes not yet acknowledged.
    pub fn has_pending(&self, key: &EntityKey) -> bool {
        self.entries.iter().any(|e| &e.change.entity.key() == key)
    }

    /// Whether a record has a change queued after `seq`.
    pub fn has_pending_after(&self, seq: u64, key: &EntityKey) -> bool {
        self.entries
            .iter()
            .any(|e| e.change.seq > seq && &e.change.entity.key() == key)
    }

    /// Removes and returns the change with this sequence number, if still
    /// queued: the server has given its verdict on it.
    pub(crate) fn take(&mut self, seq: u64) -> Option<Change> {
        let i = self.entries.iter().position(|e| e.change.seq == seq)?;
        Some(self.entries.remove(i).change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UnitCode;
    use crate::sync::apply::plan_push;
    use crate::sync::PushError;
    use crate::{Dialogue, Opinion};

    fn dialogue() -> Dialogue {
        Dialogue::new(UnitCode::parse("00070").unwrap())
    }

    #[test]
    fn typing_in_one_record_folds_into_one_change() {
        let mut outbox = Outbox::default();
        let mut d = dialogue();
        for (i, word) in ["Đ", "Đư", "Đường"].iter().enumerate() {
            d.topic = (*word).into();
            outbox.record(Entity::Dialogue(d.clone()), 0, i as i64);
        }
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox.entries[0].change.seq, 1);
        assert_eq!(outbox.entries[0].change.entity, Entity::Dialogue(d));
        assert_eq!(outbox.oldest_change_at(), Some(2));
    }

    #[test]
    fn unsent_records_count_each_record_once_however_many_changes_it_has() {
        let mut outbox = Outbox::default();
        let d = dialogue();
        let first = Opinion::new(d.id, 1);
        let second = Opinion::new(d.id, 2);
        outbox.record(Entity::Dialogue(d.clone()), 0, 1);
        outbox.record(Entity::Opinion(first.clone()), 0, 2);
        outbox.record(Entity::Opinion(second), 0, 3);
        outbox.record(Entity::Opinion(first), 0, 4);
        outbox.record(Entity::Dialogue(d), 0, 5);
        assert_eq!(outbox.len(), 5);
        assert_eq!(outbox.unsent_records(), (1, 2));
        assert_eq!(Outbox::default().unsent_records(), (0, 0));
    }

    #[test]
    fn a_sent_change_is_never_rewritten() {
        let mut outbox = Outbox::default();
        let mut d = dialogue();
        outbox.record(Entity::Dialogue(d.clone()), 0, 1);
        let batch = outbox.take_batch(10, usize::MAX, |_| 0);
        d.topic = "sau khi gửi".into();
        outbox.record(Entity::Dialogue(d.clone()), 0, 2);
        assert_eq!(outbox.len(), 2);
        assert_eq!(batch.changes[0].seq, 1);
        assert_eq!(outbox.entries[1].change.seq, 2);
        outbox.acknowledge(1);
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox.entries[0].change.entity, Entity::Dialogue(d));
    }

    #[test]
    fn batches_are_contiguous() {
        let mut outbox = Outbox::default();
        let d = dialogue();
        outbox.record(Entity::Dialogue(d.clone()), 0, 1);
        let mut o = Opinion::new(d.id, 1);
        outbox.record(Entity::Opinion(o.clone()), 0, 2);
        o.content = "nội dung".into();
        outbox.record(Entity::Opinion(o.clone()), 0, 3);
        let batch = outbox.take_batch(10, usize::MAX, |_| 0);
        assert_eq!(
            batch.changes.iter().map(|c| c.seq).collect::<Vec<_>>(),
            [1, 2]
        );
        assert!(plan_push(0, &batch).is_ok());

        let mut gap = batch.clone();
        gap.changes[1].seq = 5;
        assert_eq!(plan_push(0, &gap).map(|_| ()), Err(PushError::BadSequence));
    }

    #[test]
    fn a_batch_stops_before_the_byte_limit_but_always_carries_one_change() {
        let mut outbox = Outbox::default();
        let d = dialogue();
        for position in 1..=5 {
            let mut o = Opinion::new(d.id, position);
            o.content = "đường liên thôn ".repeat(100);
            outbox.record(Entity::Opinion(o), 0, position);
        }
        let size = |c: &Change| match &c.entity {
            Entity::Opinion(o) => o.content.len(),
            Entity::Dialogue(_) => 0,
        };
        let each = size(&outbox.entries[0].change);
        let batch = outbox.take_batch(10, 2 * each + each / 2, size);
        assert_eq!(batch.changes.len(), 2);
        assert_eq!(outbox.entries.iter().filter(|e| e.sent).count(), 2);
        outbox.acknowledge(2);
        // A limit below one change still moves the queue, one at a time.
        let batch = outbox.take_batch(10, 1, size);
        assert_eq!(batch.changes.iter().map(|c| c.seq).collect::<Vec<_>>(), [3]);
    }

    /// Whatever the interleaving of edits, pushes, lost responses and
    /// acknowledgements, the server ends with every record's last state.
    #[test]
    fn any_interleaving_of_edits_and_lost_acks_delivers_the_last_state() {
        use std::collections::HashMap;
        // A small deterministic generator: no extra dependency for this.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _round in 0..300 {
            let mut outbox = Outbox::default();
            let dialogues: Vec<Dialogue> = (0..3).map(|_| dialogue()).collect();
            let mut latest: HashMap<EntityKey, Entity> = HashMap::new();
            let mut server: HashMap<EntityKey, Entity> = HashMap::new();
            let mut server_last_seq = 0u64;
            for step in 0..40 {
                match next(4) {
                    0 | 1 => {
                        let mut d = dialogues[next(3) as usize].clone();
                        d.topic = format!("bản {step}");
                        let e = Entity::Dialogue(d);
                        latest.insert(e.key(), e.clone());
                        outbox.record(e, 0, step);
                    }
                    _ => {
                        // Random count and byte limits, sizes 1..=3 per change.
                        let batch =
                            outbox.take_batch(1 + next(4) as usize, next(8) as usize, |c| {
                                1 + c.seq as usize % 3
                            });
                        // The server's rule: skip what it has, apply the rest in order.
                        for c in &batch.changes {
                            if c.seq == server_last_seq + 1 {
                                server.insert(c.entity.key(), c.entity.clone());
                                server_last_seq = c.seq;
                            }
                        }
                        if next(3) != 0 {
                            outbox.acknowledge(server_last_seq); // else the response was lost
                        }
                    }
                }
            }
            while !outbox.is_empty() {
                for c in outbox.take_batch(5, usize::MAX, |_| 0).changes {
                    if c.seq == server_last_seq + 1 {
                        server.insert(c.entity.key(), c.entity);
                        server_last_seq = c.seq;
                    }
                }
                outbox.acknowledge(server_last_seq);
            }
            assert_eq!(server, latest);
        }
    }
}
