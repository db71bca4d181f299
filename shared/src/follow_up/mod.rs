//! The life of one opinion after the meeting (issue 11): an append-only list
//! of events, and the state they lead to. Assigned to an agency with a due
//! date → progress notes → extensions (a complex matter: a new due date,
//! the first kept) → a written reply, or forwarded beyond authority to
//! another agency (which then replies) → closed; reopened with a reason.
//! An event the state does not allow is a typed error; the state is only
//! ever derived from the events, by [`Item::apply`].
//!
//! Follow-up lives on the server: none of it travels in the tablet's sync.

pub mod api;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::{check_required, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use crate::{AgencyId, DomainError};

/// "Due soon" on the board: due within this many days from today.
pub const DUE_SOON_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// By the conclusion notice of `on`.
    Assigned {
        agency: AgencyId,
        on: NaiveDate,
        due: NaiveDate,
    },
    Progress {
        note: String,
    },
    /// The written notice that the matter is complex: a later due date.
    Extended {
        due: NaiveDate,
        reason: String,
    },
    /// The written reply to the citizen.
    Replied {
        number: String,
        on: NaiveDate,
        summary: String,
    },
    /// Beyond the agency's authority: sent on to another.
    Forwarded {
        to: AgencyId,
    },
    Closed,
    Reopened {
        reason: String,
    },
    /// A reminder (đôn đốc) sent to the agency.
    Reminded {
        note: String,
    },
    /// Whether the citizen accepted the reply, when known.
    Satisfaction {
        satisfied: bool,
    },
}

impl Event {
    /// Refuses texts that are empty where the law wants words, or too long.
    pub fn check_texts(&self) -> Result<(), DomainError> {
        match self {
            Self::Progress { note } | Self::Reminded { note } => {
                check_required("note", note, LONG_TEXT_MAX)
            }
            Self::Extended { reason, .. } | Self::Reopened { reason } => {
                check_required("reason", reason, LONG_TEXT_MAX)
            }
            Self::Replied {
                number, summary, ..
            } => {
                check_required("number", number, SHORT_TEXT_MAX)?;
                check_required("summary", summary, LONG_TEXT_MAX)
            }
            Self::Assigned { .. }
            | Self::Forwarded { .. }
            | Self::Closed
            | Self::Satisfaction { .. } => Ok(()),
        }
    }
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Not yet in a conclusion notice.
    New,
    /// With an agency, awaiting its reply.
    Assigned,
    Replied,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("the item is not assigned to an agency yet")]
    NotAssigned,
    #[error("the item is assigned already")]
    AlreadyAssigned,
    #[error("the item is closed")]
    Closed,
    #[error("the item is replied already")]
    AlreadyReplied,
    #[error("the item is open: there is nothing to reopen")]
    NotFinished,
    #[error("the item is with that agency already")]
    SameAgency,
    #[error("a new due date must be later than the one in force")]
    DueNotLater,
    #[error("a date before the assignment")]
    BeforeAssignment,
    #[error("the agency has not replied yet")]
    NotReplied,
}

impl FollowUpError {
    /// The `code` of the JSON error shape.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAssigned => "not_assigned",
            Self::AlreadyAssigned => "already_assigned",
            Self::Closed => "item_closed",
            Self::AlreadyReplied => "already_replied",
            Self::NotFinished => "not_finished",
            Self::SameAgency => "same_agency",
            Self::DueNotLater => "due_not_later",
            Self::BeforeAssignment => "before_assignment",
            Self::NotReplied => "not_replied",
        }
    }

    /// For people, in Vietnamese (English is the `Display`).
    pub fn message_vi(self) -> &'static str {
        match self {
            Self::NotAssigned => "Ý kiến chưa được giao cho cơ quan nào",
            Self::AlreadyAssigned => "Ý kiến đã được giao rồi",
            Self::Closed => "Việc đã kết thúc; hãy mở lại trước",
            Self::AlreadyReplied => "Cơ quan đã trả lời việc này",
            Self::NotFinished => "Việc đang được xử lý, không có gì để mở lại",
            Self::SameAgency => "Việc đang ở chính cơ quan này",
            Self::DueNotLater => "Hạn mới phải sau hạn đang áp dụng",
            Self::BeforeAssignment => "Ngày này trước ngày giao việc",
            Self::NotReplied => "Cơ quan chưa trả lời",
        }
    }
}

/// The state of an item, derived from its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub stage: Stage,
    pub agency: Option<AgencyId>,
    pub assigned_on: Option<NaiveDate>,
    /// The due date of the conclusion notice.
    pub first_due: Option<NaiveDate>,
    /// The due date in force (a later one after an extension).
    pub due: Option<NaiveDate>,
    pub replied_on: Option<NaiveDate>,
    pub forwarded: bool,
    /// The citizen's satisfaction with the reply, when recorded.
    pub satisfied: Option<bool>,
}

impl Default for Item {
    fn default() -> Self {
        Self {
            stage: Stage::New,
            agency: None,
            assigned_on: None,
            first_due: None,
            due: None,
            replied_on: None,
            forwarded: false,
            satisfied: None,
        }
    }
}

impl Item {
    /// The state after every event in order, or the first refused one's
    /// error with its position.
    pub fn from_events<'e>(
        events: impl IntoIterator<Item = &'e Event>,
    ) -> Result<Self, (usize, FollowUpError)> {
        let mut item = Self::default();
        for (i, event) in events.into_iter().enumerate() {
            item = item.apply(event).map_err(|e| (i, e))?;
        }
        Ok(item)
    }

    /// The state after `event`, or why the event may not happen now.
    pub fn apply(&self, event: &Event) -> Result<Self, FollowUpError> {
        use FollowUpError as E;
        let mut next = self.clone();
        match (self.stage, event) {
            (Stage::New, Event::Assigned { agency, on, due }) => {
                if due < on {
                    return Err(E::BeforeAssignment);
                }
                next.stage = Stage::Assigned;
                next.agency = Some(*agency);
                next.assigned_on = Some(*on);
                next.first_due = Some(*due);
                next.due = Some(*due);
            }
            (Stage::New, _) => return Err(E::NotAssigned),
            (_, Event::Assigned { .. }) => return Err(E::AlreadyAssigned),
            (Stage::Closed, Event::Reopened { .. }) | (Stage::Replied, Event::Reopened { .. }) => {
                next.stage = Stage::Assigned;
                next.replied_on = None;
                next.satisfied = None;
            }
            (Stage::Assigned, Event::Reopened { .. }) => return Err(E::NotFinished),
            (Stage::Replied | Stage::Closed, Event::Satisfaction { satisfied }) => {
                next.satisfied = Some(*satisfied);
            }
            (Stage::Assigned, Event::Satisfaction { .. }) => return Err(E::NotReplied),
            (Stage::Closed, _) => return Err(E::Closed),
            (Stage::Assigned | Stage::Replied, Event::Closed) => next.stage = Stage::Closed,
            (Stage::Replied, _) => return Err(E::AlreadyReplied),
            (Stage::Assigned, Event::Progress { .. } | Event::Reminded { .. }) => {}
            (Stage::Assigned, Event::Extended { due, .. }) => {
                if self.due.is_some_and(|current| *due <= current) {
                    return Err(E::DueNotLater);
                }
                next.due = Some(*due);
            }
            (Stage::Assigned, Event::Replied { on, .. }) => {
                if self.assigned_on.is_some_and(|assigned| *on < assigned) {
                    return Err(E::BeforeAssignment);
                }
                next.stage = Stage::Replied;
                next.replied_on = Some(*on);
            }
            (Stage::Assigned, Event::Forwarded { to }) => {
                if self.agency == Some(*to) {
                    return Err(E::SameAgency);
                }
                next.agency = Some(*to);
                next.forwarded = true;
            }
        }
        Ok(next)
    }

    /// Not replied nor closed, and `today` is after the due date in force.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.stage == Stage::Assigned && self.due.is_some_and(|due| today > due)
    }

    /// Days until the due date in force (negative: days late), while the
    /// agency's reply is awaited.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        (self.stage == Stage::Assigned)
            .then_some(self.due?)
            .map(|due| (due - today).num_days())
    }

    /// Awaiting the reply and due within [`DUE_SOON_DAYS`], not yet late.
    pub fn is_due_soon(&self, today: NaiveDate) -> bool {
        self.days_left(today)
            .is_some_and(|left| (0..=DUE_SOON_DAYS).contains(&left))
    }

    /// Replied after the due date in force, or awaiting the reply past it:
    /// late either way.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.is_overdue(today)
            || matches!((self.replied_on, self.due), (Some(on), Some(due)) if on > due)
    }

    /// Replied on or before the first due date.
    pub fn replied_on_time_first(&self) -> Option<bool> {
        Some(self.replied_on? <= self.first_due?)
    }

    /// Replied on or before the due date in force (after extensions).
    pub fn replied_on_time(&self) -> Option<bool> {
        Some(self.replied_on? <= self.due?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FollowUpError as E;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn assigned(agency: AgencyId) -> Event {
        Event::Assigned {
            agency,
            on: date("2026-03-02"),
            due: date("2026-04-01"),
        }
    }

    fn replied(on: &str) -> Event {
        Event::Replied {
            number: "15/UBND-TNMT".into(),
            on: date(on),
            summary: "Đã kiểm tra, cấp giấy chứng nhận".into(),
        }
    }

    fn extended(due: &str) -> Event {
        Event::Extended {
            due: date(due),
            reason: "Vụ việc phức tạp".into(),
        }
    }

    fn progress() -> Event {
        Event::Progress {
            note: "Đã xác minh tại thực địa".into(),
        }
    }

    fn reopened() -> Event {
        Event::Reopened {
            reason: "Công dân chưa đồng ý".into(),
        }
    }

    fn forwarded(to: AgencyId) -> Event {
        Event::Forwarded { to }
    }

    fn reminded() -> Event {
        Event::Reminded {
            note: "Công văn đôn đốc số 3".into(),
        }
    }

    fn satisfied(yes: bool) -> Event {
        Event::Satisfaction { satisfied: yes }
    }

    fn stage_after(events: &[Event]) -> Result<Stage, (usize, FollowUpError)> {
        Item::from_events(events).map(|i| i.stage)
    }

    #[test]
    fn a_whole_life_from_assignment_to_closing_and_back() {
        let (land, province) = (AgencyId::new(), AgencyId::new());
        let life = [
            assigned(land),
            progress(),
            extended("2026-04-20"),
            forwarded(province),
            replied("2026-04-15"),
            Event::Closed,
            reopened(),
            replied("2026-04-25"),
            Event::Closed,
        ];
        let item = Item::from_events(&life).unwrap();
        assert_eq!(item.stage, Stage::Closed);
        assert_eq!(item.agency, Some(province));
        assert!(item.forwarded);
        assert_eq!(item.first_due, Some(date("2026-04-01")));
        assert_eq!(item.due, Some(date("2026-04-20")));
        assert_eq!(item.replied_on_time_first(), Some(false));
        assert_eq!(
            item.replied_on_time(),
            Some(false),
            "the second reply was late"
        );
        let first_reply = Item::from_events(&life[..5]).unwrap();
        assert_eq!(first_reply.replied_on_time_first(), Some(false));
        assert_eq!(
            first_reply.replied_on_time(),
            Some(true),
            "on time against the extension"
        );
    }

    #[test]
    fn every_event_before_assignment_is_refused() {
        let agency = AgencyId::new();
        for event in [
            progress(),
            extended("2026-05-01"),
            replied("2026-03-10"),
            forwarded(agency),
            Event::Closed,
            reopened(),
            reminded(),
            satisfied(true),
        ] {
            assert_eq!(stage_after(&[event]), Err((0, E::NotAssigned)));
        }
    }

    #[test]
    fn illegal_transitions_are_typed_errors() {
        let (a, b) = (AgencyId::new(), AgencyId::new());
        let cases: [(Vec<Event>, E); 13] = [
            (vec![assigned(a), satisfied(true)], E::NotReplied),
            (vec![assigned(a), Event::Closed, reminded()], E::Closed),
            (
                vec![assigned(a), replied("2026-03-10"), reminded()],
                E::AlreadyReplied,
            ),
            (vec![assigned(a), assigned(b)], E::AlreadyAssigned),
            (vec![assigned(a), forwarded(a)], E::SameAgency),
            (vec![assigned(a), extended("2026-04-01")], E::DueNotLater),
            (vec![assigned(a), extended("2026-03-20")], E::DueNotLater),
            (
                vec![assigned(a), replied("2026-03-01")],
                E::BeforeAssignment,
            ),
            (vec![assigned(a), reopened()], E::NotFinished),
            (
                vec![assigned(a), Event::Closed, extended("2026-05-01")],
                E::Closed,
            ),
            (vec![assigned(a), Event::Closed, progress()], E::Closed),
            (
                vec![assigned(a), replied("2026-03-10"), replied("2026-03-11")],
                E::AlreadyReplied,
            ),
            (
                vec![assigned(a), replied("2026-03-10"), forwarded(b)],
                E::AlreadyReplied,
            ),
        ];
        for (events, error) in cases {
            let last = events.len() - 1;
            assert_eq!(stage_after(&events), Err((last, error)), "{events:?}");
        }
        let backwards = Event::Assigned {
            agency: a,
            on: date("2026-03-02"),
            due: date("2026-03-01"),
        };
        assert_eq!(stage_after(&[backwards]), Err((0, E::BeforeAssignment)));
    }

    #[test]
    fn legal_transitions_reach_their_stage() {
        let (a, b) = (AgencyId::new(), AgencyId::new());
        let cases: [(Vec<Event>, Stage); 11] = [
            (vec![assigned(a), reminded(), reminded()], Stage::Assigned),
            (
                vec![assigned(a), replied("2026-03-05"), satisfied(false)],
                Stage::Replied,
            ),
            (
                vec![
                    assigned(a),
                    replied("2026-03-05"),
                    Event::Closed,
                    satisfied(true),
                ],
                Stage::Closed,
            ),
            (vec![], Stage::New),
            (vec![assigned(a)], Stage::Assigned),
            (vec![assigned(a), progress(), progress()], Stage::Assigned),
            (
                vec![assigned(a), extended("2026-04-10"), extended("2026-04-30")],
                Stage::Assigned,
            ),
            (
                vec![assigned(a), forwarded(b), forwarded(a)],
                Stage::Assigned,
            ),
            (vec![assigned(a), replied("2026-03-02")], Stage::Replied),
            (vec![assigned(a), Event::Closed], Stage::Closed),
            (
                vec![assigned(a), replied("2026-03-05"), reopened()],
                Stage::Assigned,
            ),
        ];
        for (events, stage) in cases {
            assert_eq!(stage_after(&events), Ok(stage), "{events:?}");
        }
    }

    #[test]
    fn satisfaction_is_kept_until_the_item_reopens() {
        let a = AgencyId::new();
        let item =
            Item::from_events(&[assigned(a), replied("2026-03-05"), satisfied(false)]).unwrap();
        assert_eq!(item.satisfied, Some(false));
        let reopened = item.apply(&reopened()).unwrap();
        assert_eq!(reopened.satisfied, None, "the next reply is judged anew");
    }

    #[test]
    fn overdue_means_still_open_after_the_due_date_in_force() {
        let a = AgencyId::new();
        let open = Item::from_events(&[assigned(a)]).unwrap();
        assert!(
            !open.is_overdue(date("2026-04-01")),
            "the due date itself is on time"
        );
        assert!(open.is_overdue(date("2026-04-02")));
        let extended = open.apply(&extended("2026-04-20")).unwrap();
        assert!(!extended.is_overdue(date("2026-04-02")));
        let replied = extended.apply(&replied("2026-04-25")).unwrap();
        assert!(
            !replied.is_overdue(date("2026-05-30")),
            "replied late is not overdue"
        );
    }

    #[test]
    fn days_left_count_down_to_the_due_date_and_below() {
        let open = Item::from_events(&[assigned(AgencyId::new())]).unwrap();
        assert_eq!(open.days_left(date("2026-03-25")), Some(7));
        assert!(open.is_due_soon(date("2026-03-25")));
        assert!(!open.is_due_soon(date("2026-03-24")), "8 days left");
        assert_eq!(open.days_left(date("2026-04-03")), Some(-2));
        assert!(!open.is_due_soon(date("2026-04-03")), "late, not soon");
        let replied = open.apply(&replied("2026-03-20")).unwrap();
        assert_eq!(replied.days_left(date("2026-03-25")), None);
    }

    #[test]
    fn an_event_needs_its_words_within_the_limits() {
        assert!(progress().check_texts().is_ok());
        let empty = Event::Reopened { reason: " ".into() };
        assert!(matches!(
            empty.check_texts(),
            Err(DomainError::Required { field: "reason" })
        ));
        let long = Event::Replied {
            number: "1".repeat(SHORT_TEXT_MAX + 1),
            on: date("2026-03-05"),
            summary: "Đã trả lời".into(),
        };
        assert!(matches!(
            long.check_texts(),
            Err(DomainError::TooLong {
                field: "number",
                ..
            })
        ));
    }
}
