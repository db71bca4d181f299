//! One opinion raised in a dialogue (ý kiến): who said it, what, the answer at
//! the meeting, and the follow-up when it could not be answered there.
//! Denunciations (tố cáo) carry a protected identity (Law on Denunciations).

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{DialogueId, OpinionId};
use crate::text::{check_text, LONG_TEXT_MAX, SHORT_TEXT_MAX};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionKind {
    /// Kiến nghị.
    #[default]
    Proposal,
    /// Phản ánh.
    Report,
    /// Khiếu nại.
    Complaint,
    /// Tố cáo: the speaker's identity is confidential.
    Denunciation,
    /// Góp ý.
    Comment,
}

impl OpinionKind {
    pub const ALL: [Self; 5] = [
        Self::Proposal,
        Self::Report,
        Self::Complaint,
        Self::Denunciation,
        Self::Comment,
    ];
}

/// The field (lĩnh vực) an opinion is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectField {
    /// Đất đai.
    Land,
    /// Môi trường.
    Environment,
    /// Chính sách xã hội.
    SocialPolicy,
    /// Hạ tầng.
    Infrastructure,
    /// Thủ tục hành chính.
    AdministrativeProcedure,
    /// Khác.
    #[default]
    Other,
}

impl SubjectField {
    pub const ALL: [Self; 6] = [
        Self::Land,
        Self::Environment,
        Self::SocialPolicy,
        Self::Infrastructure,
        Self::AdministrativeProcedure,
        Self::Other,
    ];
}

/// Where an opinion's follow-up stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    /// Answered at the meeting: closed there.
    #[default]
    AnsweredAtMeeting,
    /// Needs follow-up by an agency.
    Assigned,
    /// The agency replied in writing.
    Replied,
    /// Sent up to the competent level.
    Forwarded,
    /// Done.
    Closed,
}

/// What happens after the meeting for an opinion not settled there.
/// The fields after `proposed_agency` are filled by later follow-up work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub state: FollowUpState,
    /// The agency proposed at the meeting to handle it.
    #[serde(default)]
    pub proposed_agency: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub reply_number: String,
    #[serde(default)]
    pub reply_summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    pub id: OpinionId,
    pub dialogue_id: DialogueId,
    /// Order in the minutes; reordering changes it.
    pub position: i64,
    pub kind: OpinionKind,
    pub field: SubjectField,
    #[serde(default)]
    pub speaker_name: String,
    #[serde(default)]
    pub speaker_address: String,
    /// Optional citizen ID number.
    #[serde(default)]
    pub speaker_id_number: String,
    #[serde(default)]
    pub on_behalf_of_group: bool,
    #[serde(default)]
    pub content: String,
    /// The answer given at the meeting.
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub answered_by: String,
    /// Set when the item needs follow-up after the meeting.
    #[serde(default)]
    pub needs_follow_up: bool,
    #[serde(default)]
    pub follow_up: FollowUp,
    /// Removed from the minutes; kept so the removal can be undone.
    #[serde(default)]
    pub deleted: bool,
}

/// What an outsider sees instead of a denouncer's name.
pub const PROTECTED_NAME: &str = "Người tố cáo (thông tin được bảo mật)";

impl Opinion {
    pub fn new(dialogue_id: DialogueId, position: i64) -> Self {
        Self {
            id: OpinionId::new(),
            dialogue_id,
            position,
            kind: OpinionKind::default(),
            field: SubjectField::default(),
            speaker_name: String::new(),
            speaker_address: String::new(),
            speaker_id_number: String::new(),
            on_behalf_of_group: false,
            content: String::new(),
            answer: String::new(),
            answered_by: String::new(),
            needs_follow_up: false,
            follow_up: FollowUp::default(),
            deleted: false,
        }
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, value) in [
            ("speaker_name", &self.speaker_name),
            ("speaker_address", &self.speaker_address),
            ("answered_by", &self.answered_by),
            ("proposed_agency", &self.follow_up.proposed_agency),
            ("reply_number", &self.follow_up.reply_number),
        ] {
            check_text(field, value, SHORT_TEXT_MAX)?;
        }
        check_text("content", &self.content, LONG_TEXT_MAX)?;
        check_text("answer", &self.answer, LONG_TEXT_MAX)?;
        check_text(
            "reply_summary",
            &self.follow_up.reply_summary,
            LONG_TEXT_MAX,
        )?;
        let id = &self.speaker_id_number;
        if !(id.is_empty() || (id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))) {
            return Err(DomainError::OutOfRange {
                field: "speaker_id_number",
            });
        }
        let due = self.follow_up.due_date.as_bytes();
        let due_ok = due.is_empty()
            || (due.len() == 10
                && due[4] == b'-'
                && due[7] == b'-'
                && due
                    .iter()
                    .enumerate()
                    .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit()));
        if !due_ok {
            return Err(DomainError::OutOfRange { field: "due_date" });
        }
        Ok(())
    }

    /// A denunciation (tố cáo): the speaker's identity is protected by the
    /// Law on Denunciations. An opinion that ever was one stays protected
    /// (the server keeps that fact; see [`Opinion::as_seen`]).
    pub fn is_denunciation(&self) -> bool {
        self.kind == OpinionKind::Denunciation
    }

    /// The opinion with the speaker's identity replaced by the protected label.
    pub fn without_identity(mut self) -> Self {
        self.speaker_name = PROTECTED_NAME.to_owned();
        self.speaker_address.clear();
        self.speaker_id_number.clear();
        self
    }

    /// The opinion as one viewer may see it: `protected` when it is or ever
    /// was a denunciation, `sees_identity` from
    /// [`crate::user::sees_identity`]. The one rule for pulls, verdicts,
    /// review screens and revisions.
    pub fn as_seen(self, protected: bool, sees_identity: bool) -> Self {
        if (protected || self.is_denunciation()) && !sees_identity {
            self.without_identity()
        } else {
            self
        }
    }

    /// Takes the speaker's identity from the stored record: a device that
    /// was only ever shown the protected label must never write that label
    /// over the real identity when it edits the rest of the opinion.
    pub fn keep_identity_of(&mut self, stored: &Opinion) {
        self.speaker_name.clone_from(&stored.speaker_name);
        self.speaker_address.clone_from(&stored.speaker_address);
        self.speaker_id_number.clone_from(&stored.speaker_id_number);
    }

    /// Marks the item for follow-up by a proposed agency.
    pub fn refer(&mut self, agency: &str) {
        self.needs_follow_up = true;
        self.follow_up.state = FollowUpState::Assigned;
        self.follow_up.proposed_agency = agency.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denouncer_is_hidden_from_outsiders() {
        let mut o = Opinion::new(DialogueId::new(), 1);
        o.kind = OpinionKind::Denunciation;
        o.speaker_name = "Trần Thị Hoa".into();
        o.speaker_address = "bản Giàng".into();
        o.speaker_id_number = "012345678901".into();
        let r = o.clone().as_seen(false, false);
        assert_eq!(r.speaker_name, PROTECTED_NAME);
        assert!(r.speaker_address.is_empty() && r.speaker_id_number.is_empty());
        assert_eq!(r.content, o.content);
        assert_eq!(o.clone().as_seen(false, true), o, "the recorder sees it");
    }

    #[test]
    fn an_opinion_that_once_was_a_denunciation_stays_protected() {
        let mut o = Opinion::new(DialogueId::new(), 1);
        o.speaker_name = "Ông Nguyễn Văn Đức".into();
        assert_eq!(o.clone().as_seen(false, false), o, "not protected");
        let seen = o.clone().as_seen(true, false);
        assert_eq!(seen.speaker_name, PROTECTED_NAME);
        let mut edited = seen;
        edited.content = "sửa nội dung".into();
        edited.keep_identity_of(&o);
        assert_eq!(edited.speaker_name, "Ông Nguyễn Văn Đức");
    }

    #[test]
    fn opinion_fields_are_checked() {
        let mut o = Opinion::new(DialogueId::new(), 1);
        o.speaker_id_number = "12ab".into();
        assert_eq!(
            o.validate(),
            Err(DomainError::OutOfRange {
                field: "speaker_id_number"
            })
        );
        o.speaker_id_number = "001203004005".into();
        o.content = "x".repeat(LONG_TEXT_MAX + 1);
        assert!(matches!(
            o.validate(),
            Err(DomainError::TooLong {
                field: "content",
                ..
            })
        ));
        o.content = "đề nghị sửa đường".into();
        o.refer("Phòng Kinh tế");
        o.follow_up.due_date = "2026-12-31".into();
        assert_eq!(o.validate(), Ok(()));
        assert_eq!(o.follow_up.state, FollowUpState::Assigned);
        o.follow_up.due_date = "31/12/2026".into();
        assert!(o.validate().is_err());
    }
}
