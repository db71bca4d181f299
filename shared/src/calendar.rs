//! Deadlines on the Vietnamese working calendar, counted as the Civil Code
//! 2015 (Art. 147–148) says: a period of days starts the day after the
//! event; in calendar days, a last day that is not a working day moves to
//! the next working day; in working days, weekends and days off are not
//! counted. [`Calendar::due`] is the one function the server, the screens
//! and the tests use.
//!
//! A working day is Monday to Friday, except the days off (public holidays,
//! compensatory days, swapped days), plus the weekend days worked instead
//! of a swapped day. The table comes from `server/data/holidays.tsv`
//! (`scripts/gen_holidays.py`), stored in the database and edited by the
//! administrator each year.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a period's days are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    Calendar,
    Working,
}

/// A period of days, e.g. "10 days" for the conclusion notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub days: u32,
    pub count: DayCount,
}

impl Period {
    /// The longest period a rule may set: a year.
    pub const MAX_DAYS: u32 = 366;

    pub fn calendar(days: u32) -> Self {
        Self {
            days,
            count: DayCount::Calendar,
        }
    }

    pub fn working(days: u32) -> Self {
        Self {
            days,
            count: DayCount::Working,
        }
    }
}

/// Whether a day in the table is a day off or a weekend day worked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    DayOff,
    Working,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DayOff => "day_off",
            Self::Working => "working",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day_off" => Some(Self::DayOff),
            "working" => Some(Self::Working),
            _ => None,
        }
    }
}

/// One day of the stored table, as the administrator sees and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// `PUT /api/admin/calendar/{day}`: what the day becomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayChange {
    pub kind: DayKind,
    pub name: String,
}

/// A province's deadlines. The defaults are Hòa Bình's Quy chế 07-QC/TU
/// (seed 002) and the Law on Local Government 2025, Art. 43: the conclusion
/// notice within 10 days of the dialogue, the written reply within 30 days
/// of the notice, results published within 10 days, a commune dialogue
/// announced at least 7 days ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRules {
    pub conclusion: Period,
    pub reply: Period,
    pub publication: Period,
    pub announcement_lead: Period,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        Self {
            conclusion: Period::calendar(10),
            reply: Period::calendar(30),
            publication: Period::calendar(10),
            announcement_lead: Period::calendar(7),
        }
    }
}

impl DeadlineRules {
    /// Every period is 1 to [`Period::MAX_DAYS`] days.
    pub fn validate(&self) -> Result<(), crate::DomainError> {
        let periods = [
            ("conclusion_days", self.conclusion),
            ("reply_days", self.reply),
            ("publication_days", self.publication),
            ("announcement_days", self.announcement_lead),
        ];
        match periods
            .into_iter()
            .find(|(_, p)| p.days == 0 || p.days > Period::MAX_DAYS)
        {
            Some((field, _)) => Err(crate::DomainError::OutOfRange { field }),
            None => Ok(()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    days_off: BTreeSet<NaiveDate>,
    weekend_worked: BTreeSet<NaiveDate>,
}

/// A line of the holiday table that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of the holiday table is not `date<TAB>kind<TAB>name`")]
pub struct BadHolidayLine {
    pub line: usize,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        let mut calendar = Self::default();
        for (day, kind) in days {
            match kind {
                DayKind::DayOff => calendar.days_off.insert(day),
                DayKind::Working => calendar.weekend_worked.insert(day),
            };
        }
        calendar
    }

    /// Reads `holidays.tsv`: `YYYY-MM-DD<TAB>day_off|working<TAB>name`
    /// lines; `#` starts a comment line.
    pub fn from_tsv(text: &str) -> Result<Vec<(NaiveDate, DayKind, String)>, BadHolidayLine> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
            .map(|(i, l)| {
                let bad = BadHolidayLine { line: i + 1 };
                let mut cols = l.split('\t');
                let day = cols.next().and_then(|d| d.parse::<NaiveDate>().ok());
                let kind = cols.next().and_then(DayKind::parse);
                match (day, kind, cols.next()) {
                    (Some(day), Some(kind), Some(name)) => Ok((day, kind, name.to_owned())),
                    _ => Err(bad),
                }
            })
            .collect()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.weekend_worked.contains(&day) {
            return true;
        }
        !self.days_off.contains(&day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// `day` itself if it is a working day, else the next one.
    pub fn working_day_from(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.is_working_day(day) {
            day = next(day);
        }
        day
    }

    /// The last day of `period` after `event`: the deadline.
    pub fn due(&self, event: NaiveDate, period: Period) -> NaiveDate {
        match period.count {
            DayCount::Calendar => self.working_day_from(
                event
                    .checked_add_days(Days::new(period.days.into()))
                    .unwrap_or(NaiveDate::MAX),
            ),
            DayCount::Working => {
                let mut day = event;
                for _ in 0..period.days {
                    day = self.working_day_from(next(day));
                }
                // A period of no working days ends on a working day too.
                self.working_day_from(day)
            }
        }
    }
}

impl Calendar {
    /// The last day on which something that must come `period` ahead of
    /// `event` may be done (a dialogue announced "at least 7 days before"):
    /// `period` days counted back from `event`, in calendar days as they
    /// fall, in working days skipping the days off. Nothing moves forward
    /// here, as [`Calendar::due`] does: an announcement on a Sunday counts.
    pub fn lead_ends(&self, event: NaiveDate, period: Period) -> NaiveDate {
        match period.count {
            DayCount::Calendar => event
                .checked_sub_days(Days::new(period.days.into()))
                .unwrap_or(NaiveDate::MIN),
            DayCount::Working => {
                let mut day = event;
                for _ in 0..period.days {
                    day = previous(day);
                    while !self.is_working_day(day) {
                        day = previous(day);
                    }
                }
                day
            }
        }
    }
}

/// Vietnam's clocks: UTC+7 all year.
const VIETNAM_OFFSET_MS: i64 = 7 * 3600 * 1000;

/// The date and time on Vietnam's clocks at `ms` Unix milliseconds.
pub fn vietnam_time(ms: i64) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::from_timestamp_millis(ms.checked_add(VIETNAM_OFFSET_MS)?)
        .map(|t| t.naive_utc())
}

/// The date in Vietnam at `ms` Unix milliseconds.
pub fn vietnam_date(ms: i64) -> Option<NaiveDate> {
    vietnam_time(ms).map(|t| t.date())
}

fn next(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(NaiveDate::MAX)
}

fn previous(day: NaiveDate) -> NaiveDate {
    day.pred_opt().unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vietnam() -> Calendar {
        let table = Calendar::from_tsv(include_str!("../../server/data/holidays.tsv")).unwrap();
        Calendar::new(table.into_iter().map(|(day, kind, _)| (day, kind)))
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_conclusion_due_over_tet_binh_ngo_moves_past_the_holidays() {
        let cal = vietnam();
        // 10 days after Friday 6 February 2026 is Monday 16 February, the
        // lunar New Year's Eve: off until Friday 20, then a weekend.
        assert_eq!(
            cal.due(date("2026-02-06"), Period::calendar(10)),
            date("2026-02-23")
        );
        // Counted in working days, Tết's five days are not counted.
        assert_eq!(
            cal.due(date("2026-02-06"), Period::working(10)),
            date("2026-02-27")
        );
    }

    #[test]
    fn an_announcement_lead_counts_back_and_skips_tet_in_working_days() {
        let cal = vietnam();
        // A Sunday dialogue, 7 calendar days ahead: the Sunday before, as
        // it falls (an announcement may be posted on a weekend).
        assert_eq!(
            cal.lead_ends(date("2026-03-01"), Period::calendar(7)),
            date("2026-02-22")
        );
        // 5 working days before Monday 23 February 2026: Tết (16–20) and
        // the weekends are not counted.
        assert_eq!(
            cal.lead_ends(date("2026-02-23"), Period::working(5)),
            date("2026-02-09")
        );
    }

    #[test]
    fn a_deadline_on_30_april_moves_past_1_may_and_the_weekend() {
        let cal = vietnam();
        assert_eq!(
            cal.due(date("2026-04-20"), Period::calendar(10)),
            date("2026-05-04")
        );
    }

    #[test]
    fn a_swapped_saturday_of_2025_is_worked_and_its_friday_is_off() {
        let cal = vietnam();
        // Saturday 26 April 2025 was worked in exchange for Friday 2 May.
        assert!(cal.is_working_day(date("2025-04-26")));
        assert!(!cal.is_working_day(date("2025-05-02")));
        assert_eq!(
            cal.due(date("2025-04-16"), Period::calendar(10)),
            date("2025-04-26")
        );
        assert_eq!(
            cal.due(date("2025-04-22"), Period::calendar(10)),
            date("2025-05-05")
        );
    }

    #[test]
    fn counting_starts_the_day_after_the_event() {
        let cal = Calendar::default();
        // Monday + 1 calendar day is Tuesday; + 1 working day too.
        assert_eq!(
            cal.due(date("2026-11-23"), Period::calendar(1)),
            date("2026-11-24")
        );
        assert_eq!(
            cal.due(date("2026-11-23"), Period::working(1)),
            date("2026-11-24")
        );
        // Friday + 1 working day is Monday.
        assert_eq!(
            cal.due(date("2026-11-27"), Period::working(1)),
            date("2026-11-30")
        );
    }

    #[test]
    fn deadline_rules_are_one_day_to_a_year() {
        let mut rules = DeadlineRules::default();
        assert_eq!(rules.validate(), Ok(()));
        rules.reply.days = 0;
        assert_eq!(
            rules.validate(),
            Err(crate::DomainError::OutOfRange {
                field: "reply_days"
            })
        );
        rules.reply.days = Period::MAX_DAYS + 1;
        assert!(rules.validate().is_err());
    }

    #[test]
    fn a_table_line_that_is_not_three_columns_is_named() {
        assert_eq!(
            Calendar::from_tsv("# c\n2026-01-01\tday_off\tTết\n2026-13-01\tday_off\tx\n"),
            Err(BadHolidayLine { line: 3 })
        );
    }

    /// Random dates from 2020 to 2040 and random periods, by a fixed seed.
    #[test]
    fn every_due_date_is_a_working_day_no_earlier_than_the_plain_count_and_monotonic() {
        let cal = vietnam();
        let first = date("2020-01-01");
        let mut seed: u64 = 0x2026_0217;
        let mut next_random = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..20_000 {
            let event = first + Days::new(next_random(7_600));
            let days = next_random(60) as u32;
            let period = if next_random(2) == 0 {
                Period::calendar(days)
            } else {
                Period::working(days)
            };
            let due = cal.due(event, period);
            assert!(cal.is_working_day(due), "{event} {period:?} → {due}");
            assert!(
                due >= event + Days::new(days.into()),
                "{event} {period:?} → {due}"
            );
            let later = event + Days::new(1 + next_random(30));
            assert!(
                cal.due(later, period) >= due,
                "{event} / {later} {period:?}"
            );
        }
    }
}
