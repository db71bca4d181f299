//! A dialogue (buổi đối thoại) and its minutes' header: who held it, where,
//! when, with whom; and the rules of its life: start, end, finalise, lock.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{DialogueId, UnitCode};
use crate::text::{check_required, check_text, LONG_TEXT_MAX, SHORT_TEXT_MAX};

/// Kinds of dialogue (DOMAIN.md, seeds 002–004).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueKind {
    /// Định kỳ: planned in the annual plan.
    #[default]
    Periodic,
    /// Đột xuất / chuyên đề.
    AdHoc,
    /// Theo yêu cầu.
    OnRequest,
    /// Tại nơi xảy ra vụ việc.
    OnSite,
}

impl DialogueKind {
    pub const ALL: [Self; 4] = [Self::Periodic, Self::AdHoc, Self::OnRequest, Self::OnSite];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Periodic => "periodic",
            Self::AdHoc => "ad_hoc",
            Self::OnRequest => "on_request",
            Self::OnSite => "on_site",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Who the dialogue is with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Nhân dân.
    #[default]
    People,
    /// Công chức, viên chức, người lao động.
    Staff,
    /// Doanh nghiệp, nhà đầu tư.
    Businesses,
    /// A named group, e.g. households affected by a land project.
    Group,
}

impl Audience {
    pub const ALL: [Self; 4] = [Self::People, Self::Staff, Self::Businesses, Self::Group];
}

/// Where the dialogue is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueStatus {
    /// Created, the meeting not started yet.
    #[default]
    Planned,
    /// The meeting is on or over; minutes are being written.
    Held,
    /// Minutes signed by secretary and chair: locked.
    Finalised,
}

impl DialogueStatus {
    pub const ALL: [Self; 3] = [Self::Planned, Self::Held, Self::Finalised];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
            Self::Finalised => "finalised",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Names recorded when the minutes are finalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatures {
    pub secretary_name: String,
    pub chair_name: String,
    /// Unix milliseconds, the device's clock at finalisation.
    pub at: i64,
}

/// The dialogue record that is stored, synced and printed as minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    pub id: DialogueId,
    pub unit_code: UnitCode,
    pub kind: DialogueKind,
    pub audience: Audience,
    /// The group's name when `audience` is `Group`.
    #[serde(default)]
    pub audience_group: String,
    pub topic: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub on_site: bool,
    /// Local date and time as typed, `YYYY-MM-DDTHH:MM`, or empty.
    #[serde(default)]
    pub planned_at: String,
    #[serde(default)]
    pub chair_name: String,
    #[serde(default)]
    pub chair_title: String,
    #[serde(default)]
    pub secretary_name: String,
    #[serde(default)]
    pub mttq_representative: String,
    /// Invited agencies, one per line.
    #[serde(default)]
    pub invited_agencies: String,
    #[serde(default)]
    pub citizens_attending: u32,
    /// Unix milliseconds.
    #[serde(default)]
    pub started_at: Option<i64>,
    #[serde(default)]
    pub ended_at: Option<i64>,
    /// The chair's concluding remarks.
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub status: DialogueStatus,
    #[serde(default)]
    pub signatures: Option<Signatures>,
}

/// More citizens than any hall holds: a typing slip, not a meeting.
pub const MAX_CITIZENS: u32 = 100_000;

impl Dialogue {
    /// A new, planned dialogue for a unit.
    pub fn new(unit_code: UnitCode) -> Self {
        Self {
            id: DialogueId::new(),
            unit_code,
            kind: DialogueKind::default(),
            audience: Audience::default(),
            audience_group: String::new(),
            topic: String::new(),
            venue: String::new(),
            on_site: false,
            planned_at: String::new(),
            chair_name: String::new(),
            chair_title: String::new(),
            secretary_name: String::new(),
            mttq_representative: String::new(),
            invited_agencies: String::new(),
            citizens_attending: 0,
            started_at: None,
            ended_at: None,
            conclusion: String::new(),
            status: DialogueStatus::Planned,
            signatures: None,
        }
    }

    /// Checks every field against its limits and the record's invariants.
    /// A draft may have an empty topic; finalising requires more.
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, value) in [
            ("audience_group", &self.audience_group),
            ("topic", &self.topic),
            ("venue", &self.venue),
            ("chair_name", &self.chair_name),
            ("chair_title", &self.chair_title),
            ("secretary_name", &self.secretary_name),
            ("mttq_representative", &self.mttq_representative),
        ] {
            check_text(field, value, SHORT_TEXT_MAX)?;
        }
        check_text("invited_agencies", &self.invited_agencies, LONG_TEXT_MAX)?;
        check_text("conclusion", &self.conclusion, LONG_TEXT_MAX)?;
        if !self.planned_at.is_empty() && !is_local_datetime(&self.planned_at) {
            return Err(DomainError::OutOfRange {
                field: "planned_at",
            });
        }
        if self.citizens_attending > MAX_CITIZENS {
            return Err(DomainError::OutOfRange {
                field: "citizens_attending",
            });
        }
        match (self.started_at, self.ended_at) {
            (None, Some(_)) => return Err(DomainError::NotStarted),
            (Some(start), Some(end)) if end < start => return Err(DomainError::EndBeforeStart),
            _ => {}
        }
        match (&self.status, &self.signatures) {
            (DialogueStatus::Finalised, None) => Err(DomainError::Required {
                field: "signatures",
            }),
            (DialogueStatus::Finalised, Some(s)) => {
                check_required("topic", &self.topic, SHORT_TEXT_MAX)?;
                check_required("secretary_name", &s.secretary_name, SHORT_TEXT_MAX)?;
                check_required("chair_name", &s.chair_name, SHORT_TEXT_MAX)
            }
            (_, Some(_)) => Err(DomainError::OutOfRange {
                field: "signatures",
            }),
            (_, None) => Ok(()),
        }
    }

    /// The day the dialogue took place: the day it started, by Vietnam's
    /// clock, or else the planned day. Deadlines count from it.
    pub fn held_on(&self) -> Option<chrono::NaiveDate> {
        self.started_at
            .and_then(crate::calendar::vietnam_date)
            .or_else(|| self.planned_at.get(..10)?.parse().ok())
    }

    pub fn is_locked(&self) -> bool {
        self.status == DialogueStatus::Finalised
    }

    /// Refuses any change once the minutes are finalised.
    pub fn ensure_editable(&self) -> Result<(), DomainError> {
        if self.is_locked() {
            Err(DomainError::Locked)
        } else {
            Ok(())
        }
    }

    /// Marks the start of the meeting.
    pub fn start(&mut self, at: i64) -> Result<(), DomainError> {
        self.ensure_editable()?;
        if let Some(end) = self.ended_at {
            if end < at {
                return Err(DomainError::EndBeforeStart);
            }
        }
        self.started_at = Some(at);
        self.status = DialogueStatus::Held;
        Ok(())
    }

    /// Marks the end of the meeting.
    pub fn end(&mut self, at: i64) -> Result<(), DomainError> {
        self.ensure_editable()?;
        let start = self.started_at.ok_or(DomainError::NotStarted)?;
        if at < start {
            return Err(DomainError::EndBeforeStart);
        }
        self.ended_at = Some(at);
        Ok(())
    }

    /// Signs and locks the minutes with the names of secretary and chair.
    pub fn finalise(&mut self, secretary: &str, chair: &str, at: i64) -> Result<(), DomainError> {
        self.ensure_editable()?;
        let mut signed = self.clone();
        signed.status = DialogueStatus::Finalised;
        signed.signatures = Some(Signatures {
            secretary_name: secretary.trim().to_owned(),
            chair_name: chair.trim().to_owned(),
            at,
        });
        signed.validate()?;
        *self = signed;
        Ok(())
    }
}

/// `YYYY-MM-DDTHH:MM`, what `<input type="datetime-local">` gives.
fn is_local_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    let num = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    b.len() == 16
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
        && num(11..13) < 24
        && num(14..16) < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Dialogue {
        let mut d = Dialogue::new(UnitCode::parse("00070").unwrap());
        d.topic = "Đường liên thôn".into();
        d
    }

    #[test]
    fn it_is_held_on_the_day_it_started_in_vietnam_else_the_planned_day() {
        let mut d = draft();
        assert_eq!(d.held_on(), None);
        d.planned_at = "2026-03-02T08:00".into();
        assert_eq!(d.held_on(), "2026-03-02".parse().ok());
        // 2026-03-04 18:30 UTC is 01:30 on the 5th in Vietnam.
        d.started_at = Some(1_772_649_000_000);
        assert_eq!(d.held_on(), "2026-03-05".parse().ok());
    }

    #[test]
    fn a_new_dialogue_is_a_valid_planned_draft() {
        let d = draft();
        assert_eq!(d.status, DialogueStatus::Planned);
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn the_meeting_cannot_end_before_it_starts() {
        let mut d = draft();
        assert_eq!(d.end(10), Err(DomainError::NotStarted));
        d.start(100).unwrap();
        assert_eq!(d.status, DialogueStatus::Held);
        assert_eq!(d.end(99), Err(DomainError::EndBeforeStart));
        d.end(200).unwrap();
        d.ended_at = Some(50);
        assert_eq!(d.validate(), Err(DomainError::EndBeforeStart));
    }

    #[test]
    fn finalised_minutes_are_locked() {
        let mut d = draft();
        d.start(1).unwrap();
        d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", 2).unwrap();
        assert!(d.is_locked());
        assert_eq!(d.signatures.as_ref().unwrap().chair_name, "Nguyễn Văn Đức");
        assert_eq!(d.start(3), Err(DomainError::Locked));
        assert_eq!(d.finalise("a", "b", 4), Err(DomainError::Locked));
        assert_eq!(d.ensure_editable(), Err(DomainError::Locked));
    }

    #[test]
    fn finalising_needs_both_names_and_a_topic() {
        let mut d = draft();
        assert_eq!(
            d.finalise(" ", "Chủ tọa", 1),
            Err(DomainError::Required {
                field: "secretary_name"
            })
        );
        assert!(!d.is_locked(), "a refused finalisation changes nothing");
        d.topic.clear();
        assert_eq!(
            d.finalise("A", "B", 1),
            Err(DomainError::Required { field: "topic" })
        );
    }

    #[test]
    fn a_signed_record_must_say_it_is_finalised() {
        let mut d = draft();
        d.signatures = Some(Signatures {
            secretary_name: "A".into(),
            chair_name: "B".into(),
            at: 1,
        });
        assert_eq!(
            d.validate(),
            Err(DomainError::OutOfRange {
                field: "signatures"
            })
        );
    }

    #[test]
    fn fields_have_limits() {
        let mut d = draft();
        d.venue = "x".repeat(SHORT_TEXT_MAX + 1);
        assert_eq!(
            d.validate(),
            Err(DomainError::TooLong {
                field: "venue",
                max: SHORT_TEXT_MAX
            })
        );
        let mut d = draft();
        d.citizens_attending = MAX_CITIZENS + 1;
        assert!(d.validate().is_err());
        let mut d = draft();
        d.planned_at = "2026-13-01T08:00".into();
        assert!(d.validate().is_err());
        d.planned_at = "2026-12-01T08:00".into();
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn unknown_fields_and_enum_values_are_refused() {
        let mut json = serde_json::to_value(draft()).unwrap();
        json["kind"] = "picnic".into();
        assert!(serde_json::from_value::<Dialogue>(json.clone()).is_err());
        json["kind"] = "on_site".into();
        assert!(serde_json::from_value::<Dialogue>(json.clone()).is_ok());
        json["surprise"] = 1.into();
        assert!(serde_json::from_value::<Dialogue>(json).is_err());
    }
}
