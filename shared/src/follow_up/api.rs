//! The follow-up API's messages: conclusion notices due, the notice of a
//! dialogue, one item with its history, an agency's list and the overdue
//! board. The server and the desktop screens share them; the tablet never
//! sees them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Event, Item, Stage};
use crate::admin::Agency;
use crate::{AgencyId, DialogueId, OpinionId, OpinionKind, SubjectField, UnitCode};

/// A finalised dialogue whose conclusion notice is not issued yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDue {
    pub dialogue_id: DialogueId,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub topic: String,
    pub held_on: NaiveDate,
    pub due: NaiveDate,
    /// Negative: days late.
    pub days_left: i64,
}

/// One opinion as the follow-up screens show it. The speaker is the
/// protected label for a tố cáo unless the reader handles it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionLine {
    pub id: OpinionId,
    pub position: i64,
    pub kind: OpinionKind,
    pub field: SubjectField,
    pub speaker: String,
    pub content: String,
    pub answer: String,
    /// The agency the meeting proposed, as the secretary wrote it.
    pub proposed_agency: String,
}

/// An opinion the notice must give to an agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToAssign {
    pub opinion: OpinionLine,
    /// The directory's agency whose name matches the proposed one.
    pub suggested: Option<AgencyId>,
}

/// `GET /api/dialogues/{id}/notice`: what the notice will say, or said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDraft {
    pub dialogue_id: DialogueId,
    pub unit_code: UnitCode,
    pub topic: String,
    pub held_on: NaiveDate,
    /// The last day to issue the notice.
    pub due: NaiveDate,
    /// The chair's conclusion in the minutes.
    pub conclusion: String,
    /// Answered at the meeting: listed as settled, not assigned.
    pub settled: Vec<OpinionLine>,
    pub to_assign: Vec<ToAssign>,
    /// The agencies an item may go to: the unit's and its province's.
    pub agencies: Vec<Agency>,
    pub issued: Option<IssuedNotice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedNotice {
    /// `12/TB-UBND`.
    pub number: String,
    pub issued_on: NaiveDate,
    pub conclusion: String,
    pub issued_by: String,
}

/// `POST /api/dialogues/{id}/notice`: every opinion not settled at the
/// meeting gets its agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNotice {
    pub number: String,
    pub issued_on: NaiveDate,
    pub conclusion: String,
    pub assignments: Vec<Assignment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub opinion_id: OpinionId,
    pub agency_id: AgencyId,
    #[serde(default)]
    pub instructions: String,
}

/// `POST /api/items/{id}/events`. `revision` is the number of events the
/// writer saw: if another came in between, the answer is 409 with the
/// item as it now is, and nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    pub revision: u32,
    pub event: Event,
}

/// One event of an item's history: who, what, when by the server's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub event: Event,
    /// The name of the agency an assignment or a forward names.
    pub agency_name: Option<String>,
    pub by: String,
    /// Unix milliseconds.
    pub at: i64,
}

/// `GET /api/items/{id}`: one item whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub opinion: OpinionLine,
    pub dialogue_id: DialogueId,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub topic: String,
    pub notice_number: String,
    pub instructions: String,
    pub item: Item,
    pub agency_name: String,
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// Events so far: what the next write names as its `revision`.
    pub revision: u32,
    pub history: Vec<HistoryEntry>,
    /// Where the item may be forwarded: its unit's and its province's
    /// agencies.
    pub agencies: Vec<Agency>,
}

/// One item in an agency's list and on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLine {
    pub opinion_id: OpinionId,
    pub dialogue_id: DialogueId,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub agency_id: AgencyId,
    pub agency_name: String,
    pub kind: OpinionKind,
    pub field: SubjectField,
    /// The opinion's first words.
    pub summary: String,
    pub stage: Stage,
    pub first_due: NaiveDate,
    pub due: NaiveDate,
    pub replied_on: Option<NaiveDate>,
    pub forwarded: bool,
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// The board's counts for one unit or agency (or all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub overdue: u64,
    /// Awaiting the reply, due within [`super::DUE_SOON_DAYS`].
    pub due_soon: u64,
    /// Awaiting the reply (overdue ones included).
    pub open: u64,
    pub replied_on_time: u64,
    pub replied_late: u64,
    /// Replied on or before the first due date, extensions aside.
    pub replied_on_first_due: u64,
    pub forwarded: u64,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    /// A unit code or an agency id.
    pub key: String,
    pub name: String,
    pub counts: Counts,
}

/// `GET /api/follow-up/board`: counts per unit and per agency, and the
/// items that need attention first (overdue, then soonest due).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub today: NaiveDate,
    pub total: Counts,
    pub by_unit: Vec<BoardRow>,
    pub by_agency: Vec<BoardRow>,
    pub items: Vec<ItemLine>,
}
