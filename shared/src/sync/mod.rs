//! The sync protocol, whole, in one folder: the messages (here), the
//! device's outbox ([`outbox`]), the device's take-in of pulled records and
//! of the server's verdicts ([`device`]), and the server's rule for a push
//! ([`apply`]), and how the device lays its workspace out in its store
//! ([`stored`]). All pure: `app/` stores and sends, `server/` loads, calls
//! [`apply::decide`] inside its transaction, and stores. A seeded simulation
//! (`simulation.rs`, tests only) runs these same functions against each
//! other under lost answers, replays, restarts and refusals.
//!
//! A device records every change in its outbox under an increasing sequence
//! number and pushes the oldest in batches. The server gives every change
//! its own verdict (applied, concurrent, refused with a reason) and stores
//! it with the device's last sequence number in one transaction, so a
//! replayed batch changes nothing and a refused change never blocks the
//! ones after it. Pulls page through a server-assigned, strictly increasing
//! version cursor.

pub mod apply;
pub mod device;
pub mod outbox;
#[cfg(test)]
mod simulation;
pub mod stored;

use serde::{Deserialize, Serialize};

use crate::dialogue::Dialogue;
use crate::error::ErrorDetail;
use crate::ids::{DeviceId, DialogueId};
use crate::opinion::Opinion;

pub use outbox::{Outbox, OutboxEntry};

/// The most changes one push may carry.
pub const MAX_BATCH_CHANGES: usize = 200;
/// The largest push body the server reads, after decompression.
pub const MAX_PUSH_BYTES: usize = 4 * 1024 * 1024;
/// The most records one pull returns.
pub const PULL_PAGE: usize = 500;

/// A whole record as the device last saw it: changes carry snapshots, so the
/// last change of a record is its state. Externally tagged
/// (`{"opinion": {…}}`): it parses in one pass, which keeps the wasm small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Dialogue(Dialogue),
    Opinion(Opinion),
}

impl Entity {
    pub fn key(&self) -> EntityKey {
        match self {
            Self::Dialogue(d) => EntityKey {
                kind: EntityKind::Dialogue,
                id: d.id.as_uuid().to_string(),
            },
            Self::Opinion(o) => EntityKey {
                kind: EntityKind::Opinion,
                id: o.id.as_uuid().to_string(),
            },
        }
    }
    /// Whether both are states of one record (no key built).
    pub fn same_record(&self, other: &Entity) -> bool {
        match (self, other) {
            (Self::Dialogue(a), Self::Dialogue(b)) => a.id == b.id,
            (Self::Opinion(a), Self::Opinion(b)) => a.id == b.id,
            _ => false,
        }
    }

    pub fn dialogue_id(&self) -> DialogueId {
        match self {
            Self::Dialogue(d) => d.id,
            Self::Opinion(o) => o.dialogue_id,
        }
    }
    pub fn validate(&self) -> Result<(), crate::DomainError> {
        match self {
            Self::Dialogue(d) => d.validate(),
            Self::Opinion(o) => o.validate(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Dialogue,
    Opinion,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dialogue => "dialogue",
            Self::Opinion => "opinion",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey {
    pub kind: EntityKind,
    pub id: String,
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The device's sequence number, from 1, increasing by one per change.
    pub seq: u64,
    /// The server version of the record this change was made on; 0 if new.
    pub base_version: i64,
    /// The device's clock, for information only: the server orders events.
    pub client_time: i64,
    pub entity: Entity,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: DeviceId,
    pub changes: Vec<Change>,
}

/// Why a push is refused whole, before anything is stored. A change the
/// server cannot apply is not one of these: it gets a refused [`Verdict`]
/// and the changes after it go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushError {
    TooManyChanges,
    /// Sequence numbers must start at 1 and increase by one.
    BadSequence,
    /// Changes between the server's last sequence number and this batch's
    /// first are missing.
    Gap {
        first: u64,
        last_seq: u64,
    },
}

/// What the server did with one change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Applied, but another device had changed the record since this device
    /// last saw it: both revisions stay visible to reviewers.
    Concurrent,
    /// Not applied (its reason says why), kept as a refused revision.
    Refused,
}

impl Outcome {
    pub const ALL: [Self; 3] = [Self::Applied, Self::Concurrent, Self::Refused];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Concurrent => "concurrent",
            Self::Refused => "refused",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// The server's verdict on one change of a push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub seq: u64,
    pub outcome: Outcome,
    /// Why it was refused, in both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ErrorDetail>,
    /// The record as the server holds it, as this user may see it: on every
    /// refusal (none: the server has no such record), otherwise only where
    /// it differs from what the change carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Versioned<Entity>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The highest sequence number of this device the server holds.
    pub last_seq: u64,
    /// One verdict per change of the batch the server holds, replays
    /// included (read back from the kept revisions), in sequence order: a
    /// lost answer costs nothing but a retry.
    pub verdicts: Vec<Verdict>,
}

/// A record with its server version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versioned<T> {
    pub version: i64,
    /// Another device changed it concurrently: revisions are kept.
    pub conflict: bool,
    pub item: T,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Pass back as `since` for the next page.
    pub cursor: i64,
    pub dialogues: Vec<Versioned<Dialogue>>,
    pub opinions: Vec<Versioned<Opinion>>,
    pub has_more: bool,
}
