//! The annual plan of dialogues (kế hoạch tổ chức đối thoại; seeds 000, 003
//! and 004) and how each planned dialogue was announced. A plan entry is a
//! planned [`Dialogue`] (so it reaches the unit's secretaries' tablets by
//! the ordinary pull, like any record) plus what only the plan knows: its
//! month, and its announcement, which the law wants made at least the
//! province's lead days ahead ([`announced_late`]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Period;
use crate::dialogue::{Audience, Dialogue, DialogueKind, DialogueStatus};
use crate::error::DomainError;
use crate::ids::{DialogueId, UnitCode};

/// The years a plan may be made for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2020..=2100;

/// What the office enters for one planned dialogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub unit_code: UnitCode,
    pub year: i32,
    /// 1 to 12; the month of `planned_at` when that is set.
    pub month: u32,
    pub kind: DialogueKind,
    #[serde(default)]
    pub audience: Audience,
    #[serde(default)]
    pub audience_group: String,
    pub topic: String,
    /// The day and time when fixed, `YYYY-MM-DDTHH:MM`, else empty.
    #[serde(default)]
    pub planned_at: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub chair_name: String,
    #[serde(default)]
    pub chair_title: String,
}

impl PlanEntry {
    /// The entry as the planned dialogue `d` it fills in (a new one, or the
    /// one entered before), checked by the dialogue's own rules too.
    pub fn fill(&self, d: &mut Dialogue) -> Result<(), DomainError> {
        if !YEARS.contains(&self.year) {
            return Err(DomainError::OutOfRange { field: "year" });
        }
        if !(1..=12).contains(&self.month) {
            return Err(DomainError::OutOfRange { field: "month" });
        }
        crate::text::check_required("topic", &self.topic, crate::text::SHORT_TEXT_MAX)?;
        d.kind = self.kind;
        d.audience = self.audience;
        d.audience_group = self.audience_group.trim().to_owned();
        d.topic = self.topic.trim().to_owned();
        d.planned_at = self.planned_at.trim().to_owned();
        d.venue = self.venue.trim().to_owned();
        d.chair_name = self.chair_name.trim().to_owned();
        d.chair_title = self.chair_title.trim().to_owned();
        d.validate()?;
        match d.held_on() {
            Some(day) if (day.year(), day.month()) != (self.year, self.month) => {
                Err(DomainError::OutOfRange {
                    field: "planned_at",
                })
            }
            _ => Ok(()),
        }
    }
}

/// `PUT /api/plan/{id}`: the entry as changed, on the version it was read
/// at (a change on an older version is refused, never applied over
/// another's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    pub version: i64,
    pub entry: PlanEntry,
}

/// How a dialogue was made known (Law 10/2022 Art. 32; seed 004).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    /// Niêm yết tại trụ sở, nhà văn hóa.
    NoticeBoard,
    /// Loa truyền thanh.
    Loudspeaker,
    /// Giấy mời.
    Invitation,
    /// Báo, đài, cổng thông tin điện tử.
    Media,
}

impl Means {
    pub const ALL: [Self; 4] = [
        Self::NoticeBoard,
        Self::Loudspeaker,
        Self::Invitation,
        Self::Media,
    ];
}

/// When and how a planned dialogue was announced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    pub on: NaiveDate,
    /// At least one; each once.
    pub means: Vec<Means>,
}

impl Announcement {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut means = self.means.clone();
        means.sort();
        means.dedup();
        if means.is_empty() || means.len() != self.means.len() {
            return Err(DomainError::Required { field: "means" });
        }
        Ok(())
    }
}

/// Whether an announcement is late: made after `announce_by` (the last day
/// the lead allows, from the day of the dialogue), or still not made once
/// that day has passed. No day fixed yet: nothing is late.
pub fn announced_late(
    announcement: Option<&Announcement>,
    announce_by: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    match (announce_by, announcement) {
        (None, _) => false,
        (Some(by), Some(a)) => a.on > by,
        (Some(by), None) => today > by,
    }
}

/// One planned dialogue as the plan screen shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    pub dialogue_id: DialogueId,
    /// The dialogue's version: a change names it.
    pub version: i64,
    pub entry: PlanEntry,
    /// Where the dialogue is: planned until a secretary starts it.
    pub status: DialogueStatus,
    /// The day it was held, or is planned for.
    pub held_on: Option<NaiveDate>,
    pub announcement: Option<Announcement>,
    /// The last day to announce it, once its day is fixed.
    pub announce_by: Option<NaiveDate>,
    pub announced_late: bool,
    /// Whether the office may still change it: no secretary has recorded
    /// anything in it yet (after that the minutes are theirs).
    pub editable: bool,
}

/// `GET /api/plan?unit=&year=`: a unit's plan for a year, by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub year: i32,
    /// How far ahead a dialogue is announced, by the province's rule.
    pub lead: Period,
    pub entries: Vec<PlanLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> PlanEntry {
        PlanEntry {
            unit_code: UnitCode::parse("05200").unwrap(),
            year: 2026,
            month: 6,
            kind: DialogueKind::Periodic,
            audience: Audience::People,
            audience_group: String::new(),
            topic: "Đối thoại định kỳ 6 tháng đầu năm".into(),
            planned_at: String::new(),
            venue: String::new(),
            chair_name: "Chủ tịch UBND xã".into(),
            chair_title: String::new(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_plan_entry_fills_a_planned_dialogue_and_its_day_must_fall_in_its_month() {
        let mut e = entry();
        let mut d = Dialogue::new(e.unit_code.clone());
        e.fill(&mut d).unwrap();
        assert_eq!(
            (d.status, d.topic.as_str()),
            (DialogueStatus::Planned, "Đối thoại định kỳ 6 tháng đầu năm")
        );
        e.planned_at = "2026-07-02T08:00".into();
        assert_eq!(
            e.fill(&mut d),
            Err(DomainError::OutOfRange {
                field: "planned_at"
            })
        );
        e.month = 13;
        assert_eq!(
            e.fill(&mut d),
            Err(DomainError::OutOfRange { field: "month" })
        );
        let mut e = entry();
        e.topic = "  ".into();
        assert_eq!(
            e.fill(&mut d),
            Err(DomainError::Required { field: "topic" })
        );
    }

    #[test]
    fn an_announcement_is_late_after_its_last_day_or_missing_once_that_day_passed() {
        let by = Some(day("2026-06-03"));
        let on = |s: &str| Announcement {
            on: day(s),
            means: vec![Means::Loudspeaker],
        };
        let today = day("2026-06-01");
        assert!(!announced_late(Some(&on("2026-06-03")), by, today));
        assert!(announced_late(Some(&on("2026-06-04")), by, today));
        assert!(!announced_late(None, by, today), "still time");
        assert!(announced_late(None, by, day("2026-06-04")));
        assert!(
            !announced_late(None, None, day("2027-01-01")),
            "no day fixed"
        );
    }

    #[test]
    fn an_announcement_names_each_means_once_and_at_least_one() {
        let a = |means: Vec<Means>| Announcement {
            on: day("2026-06-01"),
            means,
        };
        assert!(a(vec![Means::NoticeBoard, Means::Invitation])
            .validate()
            .is_ok());
        assert!(a(vec![]).validate().is_err());
        assert!(a(vec![Means::Media, Means::Media]).validate().is_err());
    }
}
