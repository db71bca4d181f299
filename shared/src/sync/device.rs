//! The device's side of sync: one user's workspace on a tablet (records,
//! outbox, cursor, refused changes) and how it takes in what the server says
//! (pulled pages and push verdicts). `app/` stores it and sends it; the
//! rules are here so the simulation runs them against the server's.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{
    Entity, EntityKey, EntityKind, Outbox, Outcome, PullResponse, PushResponse, Versioned,
};
use crate::error::{DomainError, ErrorDetail};
use crate::ids::{DialogueId, OpinionId};
use crate::{Dialogue, Opinion};

/// The shape of a whole workspace in one stored text: how the first
/// version kept it (see [`super::stored`] for how it is kept now).
pub const WHOLE_WORKSPACE_SCHEMA: u32 = 1;

/// A record with the server version it was last seen at (0: never synced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Local<T> {
    pub item: T,
    pub version: i64,
}

/// A change the server refused, kept on the device with its reason until the
/// user dismisses it: never a silent drop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedChange {
    pub entity: Entity,
    pub reason: ErrorDetail,
    /// When the verdict arrived, by the device's clock.
    pub at: i64,
}

/// One user's data on this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// 1 in memory and in a first-version text (the whole workspace); 2 in
    /// an index or part of the current layout (`super::stored`).
    pub schema: u32,
    pub dialogues: BTreeMap<String, Local<Dialogue>>,
    pub opinions: BTreeMap<String, Local<Opinion>>,
    pub outbox: Outbox,
    /// The pull cursor: the highest server version seen.
    pub cursor: i64,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    /// Device keys holding stored workspaces this version could not read,
    /// set aside whole instead of being overwritten.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
    /// The latest refused change of each record, until dismissed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedChange>,
    /// Dialogues whose stored document changed since the store last wrote
    /// them ([`Workspace::take_touched`]): a keystroke writes one dialogue.
    /// (A list, not a set: a set's code would cost the tablet's bundle
    /// more than the few linear searches here cost in time.)
    #[serde(skip)]
    pub(crate) touched: Vec<String>,
}

impl Default for Workspace {
    fn default() -> Self {
        Self {
            schema: WHOLE_WORKSPACE_SCHEMA,
            dialogues: BTreeMap::new(),
            opinions: BTreeMap::new(),
            outbox: Outbox::default(),
            cursor: 0,
            last_sync_at: None,
            last_error: None,
            kept: Vec::new(),
            refused: Vec::new(),
            touched: Vec::new(),
        }
    }
}

impl Workspace {
    /// Stores a new state of a record locally and queues it for sync. A
    /// state the server would refuse is not taken: the caller shows why.
    pub fn put(&mut self, entity: Entity, now: i64) -> Result<(), DomainError> {
        entity.validate()?;
        self.record(entity, now);
        Ok(())
    }

    /// [`Workspace::put`] without the check: what an older or tampered
    /// client would queue, for the simulation.
    pub(crate) fn record(&mut self, entity: Entity, now: i64) {
        let base = self.version_of(&entity.key());
        self.set_local(entity.clone(), base);
        self.outbox.record(entity, base, now);
    }

    /// The oldest queued changes for a push, marked as sent
    /// ([`Outbox::take_batch`]).
    pub fn take_batch(
        &mut self,
        max: usize,
        max_bytes: usize,
        size_of: impl Fn(&super::Change) -> usize,
    ) -> super::PushRequest {
        let batch = self.outbox.take_batch(max, max_bytes, size_of);
        for change in &batch.changes {
            self.touch(change.entity.dialogue_id());
        }
        batch
    }

    fn touch(&mut self, dialogue: DialogueId) {
        let id = dialogue.to_string();
        if !self.touched.contains(&id) {
            self.touched.push(id);
        }
    }

    /// The dialogues whose stored documents must be written (or removed,
    /// when the dialogue has nothing left on the device), and forgets them.
    pub fn take_touched(&mut self) -> Vec<String> {
        std::mem::take(&mut self.touched)
    }

    /// Marks every dialogue for writing: the store is laid out afresh.
    pub fn touch_all(&mut self) {
        let ids: Vec<DialogueId> = self
            .dialogues
            .values()
            .map(|l| l.item.id)
            .chain(self.opinions.values().map(|l| l.item.dialogue_id))
            .chain(
                self.outbox
                    .entries
                    .iter()
                    .map(|e| e.change.entity.dialogue_id()),
            )
            .collect();
        ids.into_iter().for_each(|id| self.touch(id));
    }

    fn version_of(&self, key: &EntityKey) -> i64 {
        match key.kind {
            EntityKind::Dialogue => self.dialogues.get(&key.id).map_or(0, |l| l.version),
            EntityKind::Opinion => self.opinions.get(&key.id).map_or(0, |l| l.version),
        }
    }

    fn set_local(&mut self, entity: Entity, version: i64) {
        self.touch(entity.dialogue_id());
        match entity {
            Entity::Dialogue(d) => {
                self.dialogues
                    .insert(d.id.to_string(), Local { item: d, version });
            }
            Entity::Opinion(o) => {
                self.opinions
                    .insert(o.id.to_string(), Local { item: o, version });
            }
        }
    }

    /// A record as the server holds it; never one older than the device's
    /// copy (an answer that arrives late must not take a record back).
    fn take_from_server(&mut self, v: Versioned<Entity>) {
        if v.version >= self.version_of(&v.item.key()) {
            self.set_local(v.item, v.version);
        }
    }

    fn remove_local(&mut self, key: &EntityKey) {
        let dialogue = match key.kind {
            EntityKind::Dialogue => self.dialogues.get(&key.id).map(|l| l.item.id),
            EntityKind::Opinion => self.opinions.get(&key.id).map(|l| l.item.dialogue_id),
        };
        dialogue.into_iter().for_each(|id| self.touch(id));
        match key.kind {
            EntityKind::Dialogue => keep_only(&mut self.dialogues, |k, _| k != key.id),
            EntityKind::Opinion => keep_only(&mut self.opinions, |k, _| k != key.id),
        }
    }

    /// Takes off the device the minutes finalised more than `keep_ms` ago
    /// (by the time they were signed) with nothing left to send: they stay
    /// on the server, and locked minutes never change there, so no pull
    /// brings them back. Returns how many were taken off.
    pub fn prune(&mut self, now: i64, keep_ms: i64) -> usize {
        let queued: Vec<DialogueId> = self
            .outbox
            .entries
            .iter()
            .map(|e| e.change.entity.dialogue_id())
            .collect();
        let done: Vec<DialogueId> = self
            .dialogues
            .values()
            .map(|l| &l.item)
            .filter(|d| d.is_locked() && !queued.contains(&d.id))
            .filter(|d| d.signatures.as_ref().is_some_and(|s| s.at + keep_ms < now))
            .map(|d| d.id)
            .collect();
        if !done.is_empty() {
            keep_only(&mut self.dialogues, |_, l| !done.contains(&l.item.id));
            keep_only(&mut self.opinions, |_, l| {
                !done.contains(&l.item.dialogue_id)
            });
            done.iter().for_each(|id| self.touch(*id));
        }
        done.len()
    }

    pub fn dialogue(&self, id: &DialogueId) -> Option<&Dialogue> {
        self.dialogues.get(&id.to_string()).map(|l| &l.item)
    }

    pub fn opinion(&self, id: &OpinionId) -> Option<&Opinion> {
        self.opinions.get(&id.to_string()).map(|l| &l.item)
    }

    /// The dialogue's opinions in minutes order, removed ones included.
    pub fn opinions_of(&self, id: &DialogueId) -> Vec<Opinion> {
        let mut list: Vec<Opinion> = self
            .opinions
            .values()
            .filter(|l| &l.item.dialogue_id == id)
            .map(|l| l.item.clone())
            .collect();
        list.sort_by_key(|o| (o.position, o.id));
        list
    }

    /// What this device has taken in from the server for the dialogue and
    /// its opinions: the sum of their versions. It changes whenever a
    /// record arrives from the server (another device's change, or the
    /// server's answer to a refused one) and never for the device's own
    /// accepted edits. A sum, not the highest: an older opinion taken in
    /// after newer minutes must still be noticed.
    pub fn seen_versions(&self, id: &DialogueId) -> i64 {
        let dialogue = self.dialogues.get(&id.to_string()).map_or(0, |l| l.version);
        self.opinions
            .values()
            .filter(|l| &l.item.dialogue_id == id)
            .map(|l| l.version)
            .sum::<i64>()
            + dialogue
    }

    /// Takes in a pulled page. A record with local changes not yet pushed
    /// keeps the local state: the push's verdict settles it (applied, or
    /// refused with the server's record).
    pub fn merge(&mut self, page: PullResponse) {
        let dialogues = page.dialogues.into_iter().map(|v| v.map(Entity::Dialogue));
        let opinions = page.opinions.into_iter().map(|v| v.map(Entity::Opinion));
        for v in dialogues.chain(opinions) {
            if !self.outbox.has_pending(&v.item.key()) {
                self.take_from_server(v);
            }
        }
        self.cursor = self.cursor.max(page.cursor);
    }

    /// Takes in the server's answer to a push. Each verdict is taken once,
    /// while its change is still queued (a repeated answer changes nothing):
    /// a refused change goes to [`Workspace::refused`] with its reason, and
    /// the record becomes the server's (or leaves the device, if the server
    /// has none) unless a later change of it is still queued, whose own
    /// verdict will settle it. A change leaves the outbox only with its own
    /// verdict, so a late or repeated answer can never drop one whose
    /// verdict the user has not had.
    pub fn take_verdicts(&mut self, answer: PushResponse, now: i64) {
        for v in answer.verdicts {
            let Some(change) = self.outbox.take(v.seq) else {
                continue;
            };
            self.touch(change.entity.dialogue_id());
            let key = change.entity.key();
            if v.outcome == Outcome::Refused {
                self.refused.retain(|r| r.entity.key() != key);
                self.refused.push(RefusedChange {
                    entity: change.entity,
                    reason: v.reason.unwrap_or_default(),
                    at: now,
                });
            }
            if self.outbox.has_pending_after(v.seq, &key) {
                continue;
            }
            match v.current {
                Some(current) => self.take_from_server(current),
                None if v.outcome == Outcome::Refused => self.remove_local(&key),
                None => {}
            }
        }
    }

    /// The user has read (and copied) a refused change.
    pub fn dismiss_refused(&mut self, index: usize) {
        if index < self.refused.len() {
            let gone = self.refused.remove(index);
            self.touch(gone.entity.dialogue_id());
        }
    }
}

/// Keeps the entries `keep` says yes to, by rebuilding the map:
/// `BTreeMap::remove` and `retain` bring node-rebalancing code into the
/// tablet's bundle (about 7 KB before compression) for what happens rarely.
fn keep_only<T>(map: &mut BTreeMap<String, Local<T>>, keep: impl Fn(&str, &Local<T>) -> bool) {
    let mut kept = BTreeMap::new();
    for (k, v) in std::mem::take(map) {
        if keep(&k, &v) {
            kept.insert(k, v);
        }
    }
    *map = kept;
}

impl<T> Versioned<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Versioned<U> {
        Versioned {
            version: self.version,
            conflict: self.conflict,
            item: f(self.item),
        }
    }
}
