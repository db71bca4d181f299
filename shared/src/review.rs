//! What the reviewer's API returns: dialogue summaries for the list, and one
//! dialogue in full with the kept revisions of concurrently edited records.

use serde::{Deserialize, Serialize};

use crate::dialogue::{Dialogue, DialogueKind, DialogueStatus};
use crate::error::ErrorDetail;
use crate::opinion::Opinion;
use crate::sync::{Entity, Outcome};

/// One page of the review list, latest planned first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialoguePage {
    pub items: Vec<DialogueSummary>,
    /// Where the next page starts (the `after` of the next request); None
    /// on the last page.
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueSummary {
    pub id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub kind: DialogueKind,
    pub status: DialogueStatus,
    pub topic: String,
    pub planned_at: String,
    /// Opinions not removed.
    pub opinions: i64,
    pub conflict: bool,
    pub recorded_by: String,
    /// When the server first received it (server clock, Unix ms).
    pub received_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionView {
    pub opinion: Opinion,
    pub version: i64,
    pub conflict: bool,
}

/// One received change as the server kept it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub version: i64,
    pub device_id: String,
    pub user_name: String,
    pub outcome: Outcome,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ErrorDetail>,
    /// Server clock, Unix ms.
    pub received_at: i64,
    pub client_time: i64,
    pub entity: Entity,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueView {
    pub dialogue: Dialogue,
    pub unit_name: String,
    pub recorded_by: String,
    pub first_received_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub conflict: bool,
    pub opinions: Vec<OpinionView>,
    /// Every revision of records edited concurrently or refused.
    pub revisions: Vec<Revision>,
}
