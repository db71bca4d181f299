//! The 6-month and annual reports (báo cáo) of a unit's dialogue work
//! (issue 13; seed 003 is one written by hand): the figures come from the
//! data ([`Counts`], one rule per figure), the narrative parts are the
//! office's words ([`Narrative`]), kept as a draft until the report is
//! issued with its number; an issued report keeps the figures it was
//! issued with.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dialogue::{Audience, Dialogue, DialogueKind, DialogueStatus};
use crate::error::DomainError;
use crate::follow_up::{Item, Stage};
use crate::ids::UnitCode;
use crate::opinion::{Opinion, OpinionKind, SubjectField};
use crate::text::{check_required, check_text, LONG_TEXT_MAX, SHORT_TEXT_MAX};

/// The years a report may be made for.
pub use crate::plan::YEARS;

/// How many notable matters a report lists: the longest overdue first.
pub const NOTABLE_MAX: usize = 20;

/// The period a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    /// 6 tháng đầu năm.
    HalfYear,
    /// Năm.
    Year,
}

impl ReportPeriod {
    pub const ALL: [Self; 2] = [Self::HalfYear, Self::Year];

    /// The days whose figures a report of `year` counts, as Decree
    /// 09/2019/NĐ-CP (Art. 12) fixes them for periodic reports: from 15
    /// December of the year before to 14 June, or to 14 December. The
    /// office may set other days when it opens the report.
    pub fn days(self, year: i32) -> (NaiveDate, NaiveDate) {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let from = day(year - 1, 12, 15);
        match self {
            Self::HalfYear => (from, day(year, 6, 14)),
            Self::Year => (from, day(year, 12, 14)),
        }
    }

    /// "6 tháng đầu năm 2026", "năm 2026": what the title says.
    pub fn words(self, year: i32) -> String {
        match self {
            Self::HalfYear => format!("6 tháng đầu năm {year}"),
            Self::Year => format!("năm {year}"),
        }
    }
}

/// The figures of a report. Each list follows its kind's `ALL` order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Dialogues held in the period.
    pub dialogues: u32,
    pub dialogues_by_kind: [u32; 4],
    pub dialogues_by_audience: [u32; 4],
    /// Citizens who attended them.
    pub participants: u32,
    /// Opinions raised in them (removed ones are not counted).
    pub opinions: u32,
    pub opinions_by_kind: [u32; 5],
    pub opinions_by_field: [u32; 6],
    /// Settled by the answer at the meeting.
    pub answered_at_meeting: u32,
    /// Needing follow-up after the meeting.
    pub needing_follow_up: u32,
    /// Assigned to an agency by a conclusion notice.
    pub assigned: u32,
    /// Replied in writing by the due date in force, or after it.
    pub replied_on_time: u32,
    pub replied_late: u32,
    /// Awaiting the reply past the due date in force.
    pub overdue: u32,
    /// Sent on to another agency.
    pub forwarded: u32,
    /// Neither replied nor closed: with an agency, or awaiting the notice.
    pub still_open: u32,
}

/// What the figures read of one opinion in the minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpinionFacts {
    pub kind: OpinionKind,
    pub field: SubjectField,
    pub needs_follow_up: bool,
}

impl OpinionFacts {
    /// The facts of an opinion still in the minutes (a removed one counts
    /// for nothing).
    pub fn of(opinion: &Opinion) -> Option<Self> {
        (!opinion.deleted).then_some(Self {
            kind: opinion.kind,
            field: opinion.field,
            needs_follow_up: opinion.needs_follow_up,
        })
    }
}

fn index_of<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

impl Counts {
    /// Whether `dialogue` counts in a period of `days`: it was held (the
    /// secretary started it) on one of them.
    pub fn counts_dialogue(dialogue: &Dialogue, days: (NaiveDate, NaiveDate)) -> bool {
        let held = dialogue.status != DialogueStatus::Planned || dialogue.started_at.is_some();
        held && dialogue
            .held_on()
            .is_some_and(|day| (days.0..=days.1).contains(&day))
    }

    pub fn add_dialogue(&mut self, dialogue: &Dialogue) {
        self.dialogues += 1;
        self.dialogues_by_kind[index_of(&DialogueKind::ALL, &dialogue.kind)] += 1;
        self.dialogues_by_audience[index_of(&Audience::ALL, &dialogue.audience)] += 1;
        self.participants += dialogue.citizens_attending;
    }

    /// One opinion of a counted dialogue, with its item if a conclusion
    /// notice assigned it, as it stands on `today`.
    pub fn add_opinion(&mut self, opinion: &OpinionFacts, item: Option<&Item>, today: NaiveDate) {
        self.opinions += 1;
        self.opinions_by_kind[index_of(&OpinionKind::ALL, &opinion.kind)] += 1;
        self.opinions_by_field[index_of(&SubjectField::ALL, &opinion.field)] += 1;
        if !opinion.needs_follow_up && item.is_none() {
            self.answered_at_meeting += 1;
            return;
        }
        self.needing_follow_up += 1;
        let Some(item) = item else {
            self.still_open += 1;
            return;
        };
        self.assigned += 1;
        match item.replied_on_time() {
            Some(true) => self.replied_on_time += 1,
            Some(false) => self.replied_late += 1,
            None => {}
        }
        self.overdue += u32::from(item.is_overdue(today));
        self.forwarded += u32::from(item.forwarded);
        self.still_open += u32::from(item.stage == Stage::Assigned);
    }

    /// The sum of two units' figures: a province's report is its own and
    /// its communes'.
    pub fn add(&mut self, other: &Counts) {
        fn sum<const N: usize>(a: &mut [u32; N], b: &[u32; N]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.dialogues += other.dialogues;
        sum(&mut self.dialogues_by_kind, &other.dialogues_by_kind);
        sum(
            &mut self.dialogues_by_audience,
            &other.dialogues_by_audience,
        );
        self.participants += other.participants;
        self.opinions += other.opinions;
        sum(&mut self.opinions_by_kind, &other.opinions_by_kind);
        sum(&mut self.opinions_by_field, &other.opinions_by_field);
        self.answered_at_meeting += other.answered_at_meeting;
        self.needing_follow_up += other.needing_follow_up;
        self.assigned += other.assigned;
        self.replied_on_time += other.replied_on_time;
        self.replied_late += other.replied_late;
        self.overdue += other.overdue;
        self.forwarded += other.forwarded;
        self.still_open += other.still_open;
    }
}

/// One unit's figures in a province's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub counts: Counts,
}

/// A matter the report names: an item awaiting its reply past its due
/// date. A denunciation's words are never in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notable {
    pub unit_name: String,
    pub held_on: NaiveDate,
    pub kind: OpinionKind,
    pub field: SubjectField,
    /// The opinion's first words; empty for a denunciation.
    pub summary: String,
    pub agency: String,
    pub due: NaiveDate,
    pub days_late: i64,
}

/// How much of an opinion a notable matter quotes, in characters.
pub const SUMMARY_CHARS: usize = 200;

impl Notable {
    /// The first [`SUMMARY_CHARS`] characters of `content`, on a word
    /// boundary, with "…" when cut; nothing of an opinion that is, or
    /// was, a denunciation (`protected`).
    pub fn summary_of(protected: bool, content: &str) -> String {
        if protected {
            return String::new();
        }
        let content = content.trim();
        match content.char_indices().nth(SUMMARY_CHARS) {
            None => content.to_owned(),
            Some((cut, _)) => {
                let head = &content[..cut];
                let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
                format!("{}…", head.trim_end())
            }
        }
    }
}

/// What the office writes: the parts of seed 003 that are words, not
/// figures, and who signs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// The paragraph of legal grounds before section I.
    pub legal_basis: String,
    /// I. Công tác lãnh đạo, triển khai thực hiện.
    pub leadership: String,
    /// II.1. Công tác tuyên truyền, phổ biến.
    pub dissemination: String,
    /// II.3. Đánh giá chung: what the figures mean.
    pub assessment: String,
    /// III. Phương hướng, nhiệm vụ kỳ tới.
    pub next_tasks: String,
    /// IV. Đề xuất, kiến nghị.
    pub proposals: String,
    /// "Nơi nhận", one per line.
    pub recipients: String,
    /// TM., KT. or Q. with the body or office ("KT. CHÁNH VĂN PHÒNG").
    pub signer_authority: String,
    /// "PHÓ CHÁNH VĂN PHÒNG", "CHỦ TỊCH".
    pub signer_role: String,
    pub signer_name: String,
}

impl Narrative {
    /// A first draft in the words offices use, for the report of `body`
    /// ("UBND Xã Mai Châu") for `period` of `year`: every part there to be
    /// changed.
    pub fn first_draft(body: &str, period: ReportPeriod, year: i32) -> Self {
        let next = match period {
            ReportPeriod::HalfYear => format!("6 tháng cuối năm {year}"),
            ReportPeriod::Year => format!("năm {}", year + 1),
        };
        Self {
            legal_basis: "Thực hiện Luật Thực hiện dân chủ ở cơ sở năm 2022; Luật Tổ chức chính quyền \
                địa phương; Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị về trách nhiệm của \
                người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những \
                phản ánh, kiến nghị của dân; Kế hoạch tổ chức đối thoại của đơn vị."
                .into(),
            leadership: format!(
                "{body} ban hành Kế hoạch tổ chức đối thoại trực tiếp với Nhân dân {}; phân công \
                 Văn phòng chủ trì, phối hợp với Ủy ban MTTQ Việt Nam cùng cấp chuẩn bị nội dung, \
                 thông báo và ghi biên bản các buổi đối thoại.",
                period.words(year)
            ),
            dissemination: "Thông báo thời gian, địa điểm, nội dung đối thoại được niêm yết tại trụ sở, \
                nhà văn hóa và phát trên hệ thống loa truyền thanh trước ngày đối thoại; kết quả giải \
                quyết được công khai."
                .into(),
            assessment: "Các buổi đối thoại được tổ chức đúng kế hoạch, dân chủ, công khai; các ý kiến \
                của Nhân dân được tiếp thu, trả lời hoặc giao cơ quan chuyên môn giải quyết."
                .into(),
            next_tasks: format!(
                "Tiếp tục tổ chức đối thoại định kỳ và đột xuất theo kế hoạch {next}; đôn đốc các cơ \
                 quan giải quyết dứt điểm các ý kiến còn tồn đọng, trả lời công dân bằng văn bản \
                 đúng thời hạn."
            ),
            proposals: "Không.".into(),
            recipients: "Ban Dân vận cấp ủy (báo cáo);\nỦy ban MTTQ Việt Nam cùng cấp;\nLưu: VT.".into(),
            signer_authority: "TM. ỦY BAN NHÂN DÂN".into(),
            signer_role: "CHỦ TỊCH".into(),
            signer_name: String::new(),
        }
    }

    /// Every part within its length, the recipients and the signer's
    /// lines present.
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, value) in [
            ("legal_basis", &self.legal_basis),
            ("leadership", &self.leadership),
            ("dissemination", &self.dissemination),
            ("assessment", &self.assessment),
            ("next_tasks", &self.next_tasks),
            ("proposals", &self.proposals),
            ("recipients", &self.recipients),
        ] {
            check_text(field, value, LONG_TEXT_MAX)?;
        }
        check_text("signer_authority", &self.signer_authority, SHORT_TEXT_MAX)?;
        check_required("signer_role", &self.signer_role, SHORT_TEXT_MAX)?;
        check_text("signer_name", &self.signer_name, SHORT_TEXT_MAX)
    }
}

/// `POST /api/reports`: open a unit's report for a period; the days default
/// to [`ReportPeriod::days`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub unit_code: UnitCode,
    pub period: ReportPeriod,
    pub year: i32,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
}

impl NewReport {
    /// The days it covers: in order, within the year before and the year.
    pub fn days(&self) -> Result<(NaiveDate, NaiveDate), DomainError> {
        if !YEARS.contains(&self.year) {
            return Err(DomainError::OutOfRange { field: "year" });
        }
        let (from, to) = self.period.days(self.year);
        let (from, to) = (self.starts_on.unwrap_or(from), self.ends_on.unwrap_or(to));
        if to < from || from.year() < self.year - 1 || to.year() > self.year {
            return Err(DomainError::OutOfRange { field: "ends_on" });
        }
        Ok((from, to))
    }
}

/// `PUT /api/reports/{id}`: the narrative as changed, on the revision it
/// was read at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportChange {
    pub revision: i64,
    pub narrative: Narrative,
}

/// `POST /api/reports/{id}/issue`: issue the report as read at `revision`
/// with its number ("05/BC-UBND").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueReport {
    pub revision: i64,
    pub number: String,
}

impl IssueReport {
    pub fn validate(&self) -> Result<(), DomainError> {
        check_required("number", &self.number, 40)
    }
}

/// The figures as of one day: live for a draft, frozen in an issued report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The day the follow-up states are counted on.
    pub as_of: NaiveDate,
    pub total: Counts,
    /// Each unit's own figures (a commune's report: itself alone).
    pub units: Vec<UnitCounts>,
    pub notable: Vec<Notable>,
}

/// When and as what a report was issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub number: String,
    pub issued_on: NaiveDate,
}

/// One report, as its screen and its document read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub period: ReportPeriod,
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub revision: i64,
    pub narrative: Narrative,
    pub issued: Option<Issued>,
    pub figures: Figures,
}

/// What a leader reads at a glance on the reports screen: a unit's (with
/// its communes') calendar year in charts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charts {
    pub unit_name: String,
    pub year: i32,
    /// Dialogues held, January to December.
    pub dialogues_per_month: [u32; 12],
    pub opinions_by_kind: [u32; 5],
    pub opinions_by_field: [u32; 6],
    /// Opinions needing follow-up by where they stand: awaiting the
    /// notice, with the agency, replied, closed.
    pub items_by_stage: [u32; 4],
    /// Items awaiting their reply past due, by agency, the most first.
    pub overdue_by_agency: Vec<(String, u32)>,
}

/// How many agencies the overdue chart names.
pub const CHART_AGENCIES: usize = 10;

/// One report in a unit's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub id: String,
    pub unit_code: UnitCode,
    pub period: ReportPeriod,
    pub year: i32,
    pub issued: Option<Issued>,
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DialogueId;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn opinion(kind: OpinionKind, needs_follow_up: bool) -> Opinion {
        Opinion {
            id: crate::OpinionId::new(),
            dialogue_id: DialogueId::new(),
            position: 0,
            kind,
            field: SubjectField::Land,
            speaker_name: String::new(),
            speaker_address: String::new(),
            speaker_id_number: String::new(),
            on_behalf_of_group: false,
            content: "Đường ngập".into(),
            answer: String::new(),
            answered_by: String::new(),
            needs_follow_up,
            follow_up: Default::default(),
            deleted: false,
        }
    }

    fn facts(kind: OpinionKind, needs_follow_up: bool) -> OpinionFacts {
        OpinionFacts::of(&opinion(kind, needs_follow_up)).unwrap()
    }

    fn item(stage: Stage, due: &str, replied_on: Option<&str>, forwarded: bool) -> Item {
        Item {
            stage,
            due: Some(day(due)),
            first_due: Some(day(due)),
            replied_on: replied_on.map(day),
            forwarded,
            ..Item::default()
        }
    }

    #[test]
    fn report_periods_run_from_the_fifteenth_of_december_as_decree_09_fixes_them() {
        assert_eq!(
            ReportPeriod::HalfYear.days(2026),
            (day("2025-12-15"), day("2026-06-14"))
        );
        assert_eq!(
            ReportPeriod::Year.days(2026),
            (day("2025-12-15"), day("2026-12-14"))
        );
        assert_eq!(ReportPeriod::HalfYear.words(2026), "6 tháng đầu năm 2026");
        let mut new = NewReport {
            unit_code: UnitCode::parse("05200").unwrap(),
            period: ReportPeriod::Year,
            year: 2026,
            starts_on: Some(day("2026-01-01")),
            ends_on: Some(day("2026-12-31")),
        };
        assert_eq!(new.days(), Ok((day("2026-01-01"), day("2026-12-31"))));
        new.ends_on = Some(day("2025-12-31"));
        assert!(new.days().is_err(), "ends before it starts");
        new.ends_on = Some(day("2027-01-01"));
        assert!(new.days().is_err(), "past the year");
    }

    #[test]
    fn each_opinion_counts_once_by_where_its_follow_up_stands() {
        let today = day("2026-11-25");
        let mut c = Counts::default();
        c.add_opinion(&facts(OpinionKind::Proposal, false), None, today);
        c.add_opinion(&facts(OpinionKind::Complaint, true), None, today);
        let on_time = item(Stage::Closed, "2026-10-01", Some("2026-09-30"), false);
        c.add_opinion(&facts(OpinionKind::Report, true), Some(&on_time), today);
        let late = item(Stage::Replied, "2026-10-01", Some("2026-10-02"), true);
        c.add_opinion(&facts(OpinionKind::Report, true), Some(&late), today);
        let overdue = item(Stage::Assigned, "2026-11-24", None, false);
        c.add_opinion(
            &facts(OpinionKind::Denunciation, true),
            Some(&overdue),
            today,
        );
        let mut removed = opinion(OpinionKind::Proposal, false);
        removed.deleted = true;
        assert!(
            OpinionFacts::of(&removed).is_none(),
            "a removed opinion counts for nothing"
        );
        assert_eq!(
            (c.opinions, c.opinions_by_kind, c.opinions_by_field[0]),
            (5, [1, 2, 1, 1, 0], 5)
        );
        assert_eq!(
            (
                c.answered_at_meeting,
                c.needing_follow_up,
                c.assigned,
                c.replied_on_time,
                c.replied_late,
                c.overdue,
                c.forwarded,
                c.still_open
            ),
            (1, 4, 3, 1, 1, 1, 1, 2)
        );
        let mut twice = c.clone();
        twice.add(&c);
        assert_eq!((twice.opinions, twice.still_open), (10, 4));
    }

    #[test]
    fn a_dialogue_counts_when_it_was_held_on_a_day_of_the_period() {
        let days = (day("2025-12-15"), day("2026-06-14"));
        let mut d = Dialogue::new(UnitCode::parse("05200").unwrap());
        d.planned_at = "2026-03-02T08:00".into();
        assert!(!Counts::counts_dialogue(&d, days), "only planned");
        d.status = DialogueStatus::Held;
        assert!(Counts::counts_dialogue(&d, days));
        d.planned_at = "2026-06-15T08:00".into();
        assert!(!Counts::counts_dialogue(&d, days), "the day after");
        d.citizens_attending = 120;
        let mut c = Counts::default();
        c.add_dialogue(&d);
        assert_eq!(
            (c.dialogues, c.dialogues_by_kind[0], c.participants),
            (1, 1, 120)
        );
    }

    #[test]
    fn a_notable_matter_quotes_the_first_words_and_nothing_of_a_denunciation() {
        let long = "Đất ".repeat(100);
        let s = Notable::summary_of(false, &long);
        assert!(s.ends_with('…') && s.chars().count() <= SUMMARY_CHARS + 1);
        assert!(!s.contains("  ") && s.starts_with("Đất Đất"));
        assert_eq!(Notable::summary_of(false, " Ngắn "), "Ngắn");
        assert_eq!(Notable::summary_of(true, "Ông A nhận hối lộ"), "");
    }

    #[test]
    fn a_narrative_keeps_its_limits_and_a_signer() {
        let mut n = Narrative::first_draft("UBND Xã Mai Châu", ReportPeriod::Year, 2026);
        assert!(n.validate().is_ok());
        assert!(n.next_tasks.contains("năm 2027"));
        n.signer_role = " ".into();
        assert_eq!(
            n.validate(),
            Err(DomainError::Required {
                field: "signer_role"
            })
        );
        n.signer_role = "CHỦ TỊCH".into();
        n.proposals = "x".repeat(LONG_TEXT_MAX + 1);
        assert!(n.validate().is_err());
    }
}
