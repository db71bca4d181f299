//! The province's compliance view (issue 12): per commune and year, did it
//! plan and hold its periodic dialogues, announce them in time, issue its
//! conclusion notices, get its replies, publish its results. Each figure
//! is a [`Measure`] of one dialogue's [`DialogueFacts`]: the table sums it,
//! the list behind a figure is the dialogues it counts, and the export
//! writes the same sums, so the three never disagree.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dialogue::DialogueKind;
use crate::follow_up::Item;
use crate::ids::{DialogueId, UnitCode};
use crate::Lang;

/// What is known of one dialogue of the year, its deadlines worked out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DialogueFacts {
    pub kind: DialogueKind,
    /// Entered in the year's plan.
    pub planned: bool,
    /// Started by the secretary (held, or finalised).
    pub held: bool,
    /// The announcement came later than the lead days (or never, with the
    /// last day passed): [`crate::plan::announced_late`].
    pub announced_late: bool,
    /// The conclusion notice's due date (from the day it was held) and the
    /// day it was issued.
    pub notice_due: Option<NaiveDate>,
    pub notice_on: Option<NaiveDate>,
    /// The publication's due date and the day it was first published, and
    /// whether a publication is shown now.
    pub publication_due: Option<NaiveDate>,
    pub first_published_on: Option<NaiveDate>,
    pub shown_now: bool,
    /// The items of its conclusion notice.
    pub items: Vec<Item>,
}

/// One figure of the compliance table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    PeriodicPlanned,
    PeriodicHeld,
    AnnouncedLate,
    NoticesLate,
    RepliesLate,
    PublishedLate,
    NotPublished,
}

impl Measure {
    pub const ALL: [Self; 7] = [
        Self::PeriodicPlanned,
        Self::PeriodicHeld,
        Self::AnnouncedLate,
        Self::NoticesLate,
        Self::RepliesLate,
        Self::PublishedLate,
        Self::NotPublished,
    ];

    /// How much one dialogue adds to this figure on `today`: 0 or 1, or
    /// for replies, its late items.
    pub fn count(self, f: &DialogueFacts, today: NaiveDate) -> u32 {
        let periodic = f.kind == DialogueKind::Periodic;
        let late = |due: Option<NaiveDate>, done: Option<NaiveDate>| match (due, done) {
            (Some(due), Some(done)) => done > due,
            (Some(due), None) => today > due,
            (None, _) => false,
        };
        let yes = |b: bool| u32::from(b);
        match self {
            Self::PeriodicPlanned => yes(periodic && f.planned),
            Self::PeriodicHeld => yes(periodic && f.held),
            Self::AnnouncedLate => yes(f.planned && f.announced_late),
            Self::NoticesLate => yes(f.held && late(f.notice_due, f.notice_on)),
            Self::RepliesLate => f.items.iter().filter(|i| i.is_late(today)).count() as u32,
            Self::PublishedLate => yes(f.held
                && f.first_published_on.is_some()
                && late(f.publication_due, f.first_published_on)),
            Self::NotPublished => yes(f.held
                && !f.shown_now
                && f.first_published_on.is_none()
                && late(f.publication_due, None)),
        }
    }

    /// The column's title, as the screen and the export write it.
    pub fn title(self, lang: Lang) -> &'static str {
        let vi = lang == Lang::Vi;
        match self {
            Self::PeriodicPlanned if vi => "Định kỳ theo kế hoạch",
            Self::PeriodicPlanned => "Periodic planned",
            Self::PeriodicHeld if vi => "Định kỳ đã tổ chức",
            Self::PeriodicHeld => "Periodic held",
            Self::AnnouncedLate if vi => "Thông báo trễ",
            Self::AnnouncedLate => "Announced late",
            Self::NoticesLate if vi => "Thông báo kết luận trễ",
            Self::NoticesLate => "Conclusion notices late",
            Self::RepliesLate if vi => "Trả lời trễ hạn",
            Self::RepliesLate => "Replies late",
            Self::PublishedLate if vi => "Công khai trễ",
            Self::PublishedLate => "Published late",
            Self::NotPublished if vi => "Chưa công khai (quá hạn)",
            Self::NotPublished => "Not published (past due)",
        }
    }
}

/// One unit's figures, in [`Measure::ALL`]'s order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub figures: Vec<u32>,
}

impl ComplianceRow {
    pub fn figure(&self, m: Measure) -> u32 {
        let i = Measure::ALL
            .iter()
            .position(|x| *x == m)
            .expect("every measure");
        self.figures.get(i).copied().unwrap_or(0)
    }
}

/// `GET /api/compliance?province=&year=`: the province itself and each of
/// its communes; those with no periodic dialogue held yet first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    pub province_code: UnitCode,
    pub province_name: String,
    pub year: i32,
    /// The day the figures were counted on.
    pub today: NaiveDate,
    pub rows: Vec<ComplianceRow>,
}

/// `GET /api/compliance/list?unit=&year=&measure=`: a figure's dialogues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceLine {
    pub dialogue_id: DialogueId,
    pub topic: String,
    pub kind: DialogueKind,
    pub held_on: Option<NaiveDate>,
    /// What it adds to the figure (late replies: its late items).
    pub count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::follow_up::Stage;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_dialogue_counts_late_once_its_deadline_passed_without_the_act() {
        let today = day("2026-06-30");
        let mut f = DialogueFacts {
            held: true,
            notice_due: Some(day("2026-06-10")),
            publication_due: Some(day("2026-06-10")),
            ..Default::default()
        };
        assert_eq!(Measure::PeriodicHeld.count(&f, today), 1);
        assert_eq!(
            Measure::PeriodicPlanned.count(&f, today),
            0,
            "not in the plan"
        );
        assert_eq!(Measure::NoticesLate.count(&f, today), 1, "never issued");
        assert_eq!(Measure::NotPublished.count(&f, today), 1);
        f.notice_on = Some(day("2026-06-10"));
        f.first_published_on = Some(day("2026-06-11"));
        f.shown_now = true;
        assert_eq!(Measure::NoticesLate.count(&f, today), 0, "on the last day");
        assert_eq!(Measure::PublishedLate.count(&f, today), 1);
        assert_eq!(Measure::NotPublished.count(&f, today), 0);
        assert_eq!(Measure::NoticesLate.count(&f, day("2026-06-01")), 0);
    }

    #[test]
    fn late_replies_count_items_replied_after_their_due_date_or_still_awaited_past_it() {
        let item = |stage, due: &str, replied: Option<&str>| Item {
            stage,
            due: Some(day(due)),
            replied_on: replied.map(day),
            ..Default::default()
        };
        let f = DialogueFacts {
            held: true,
            items: vec![
                item(Stage::Replied, "2026-05-01", Some("2026-05-02")),
                item(Stage::Closed, "2026-05-01", Some("2026-04-30")),
                item(Stage::Assigned, "2026-05-01", None),
                item(Stage::Assigned, "2026-07-01", None),
            ],
            ..Default::default()
        };
        assert_eq!(Measure::RepliesLate.count(&f, day("2026-06-30")), 2);
    }
}
