//! The domain's failures, each with a stable code and a message in
//! Vietnamese and English. The server sends them in its JSON error shape and
//! the browser shows the same words.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The UI and error languages, Vietnamese first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// Every way a value or a state change can be refused by the domain rules.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("invalid id")]
    InvalidId,
    #[error("invalid unit code")]
    InvalidUnitCode,
    #[error("field `{field}` is required")]
    Required { field: &'static str },
    #[error("field `{field}` is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("field `{field}` is out of range")]
    OutOfRange { field: &'static str },
    #[error("field `{field}` holds a control character")]
    ControlCharacter { field: &'static str },
    #[error("the end time is before the start time")]
    EndBeforeStart,
    #[error("the meeting has not started")]
    NotStarted,
    #[error("the minutes are finalised and can no longer change")]
    Locked,
    #[error("the opinion belongs to another dialogue")]
    WrongDialogue,
    #[error("the opinion's dialogue is not on the server")]
    UnknownDialogue,
    #[error("this unit is outside your scope")]
    OutOfScope,
}

impl DomainError {
    /// A stable machine-readable code, the `code` of the JSON error shape.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidId => "invalid_id",
            Self::InvalidUnitCode => "invalid_unit_code",
            Self::Required { .. } => "required",
            Self::TooLong { .. } => "too_long",
            Self::OutOfRange { .. } => "out_of_range",
            Self::ControlCharacter { .. } => "control_character",
            Self::EndBeforeStart => "end_before_start",
            Self::NotStarted => "not_started",
            Self::Locked => "locked",
            Self::WrongDialogue => "wrong_dialogue",
            Self::UnknownDialogue => "unknown_dialogue",
            Self::OutOfScope => "out_of_scope",
        }
    }

    /// The message a person reads, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Vi => match self {
                Self::InvalidId => "Mã định danh không hợp lệ".into(),
                Self::InvalidUnitCode => "Mã đơn vị hành chính không hợp lệ".into(),
                Self::Required { field } => format!("Chưa điền «{}»", field_vi(field)),
                Self::TooLong { field, max } => {
                    format!("«{}» dài quá {max} ký tự", field_vi(field))
                }
                Self::OutOfRange { field } => {
                    format!("Giá trị của «{}» không hợp lệ", field_vi(field))
                }
                Self::ControlCharacter { field } => {
                    format!(
                        "«{}» chứa ký tự điều khiển không được phép",
                        field_vi(field)
                    )
                }
                Self::EndBeforeStart => "Giờ kết thúc trước giờ bắt đầu".into(),
                Self::NotStarted => "Buổi đối thoại chưa bắt đầu".into(),
                Self::Locked => "Biên bản đã hoàn thành, không thể sửa".into(),
                Self::WrongDialogue => "Ý kiến thuộc buổi đối thoại khác".into(),
                Self::UnknownDialogue => "Ý kiến thuộc buổi đối thoại chưa có trên máy chủ".into(),
                Self::OutOfScope => "Đơn vị này không thuộc phạm vi của bạn".into(),
            },
        }
    }
}

/// A field as a secretary knows it, for messages in Vietnamese; a name the
/// table lacks shows as it is.
fn field_vi(field: &str) -> &str {
    match field {
        "topic" => "Chủ đề",
        "venue" => "Địa điểm",
        "planned_at" => "Thời gian dự kiến",
        "audience_group" => "Tên nhóm",
        "chair_name" => "Chủ trì",
        "chair_title" => "Chức vụ chủ trì",
        "secretary_name" => "Thư ký",
        "mttq_representative" => "Đại diện MTTQ",
        "invited_agencies" => "Cơ quan được mời",
        "citizens_attending" => "Số công dân dự",
        "conclusion" => "Kết luận",
        "signatures" => "Chữ ký",
        "speaker_name" => "Người phát biểu",
        "speaker_address" => "Địa chỉ",
        "speaker_id_number" => "Số định danh",
        "content" => "Nội dung",
        "answer" => "Trả lời",
        "answered_by" => "Người trả lời",
        "proposed_agency" => "Cơ quan đề xuất xử lý",
        "username" => "Tên đăng nhập",
        "password" => "Mật khẩu",
        "display_name" => "Họ tên",
        "unit_code" => "Đơn vị",
        _ => server_field_vi(field),
    }
}

/// Fields only the server checks (the desktop screens show the server's
/// message): left out of the browser bundles, which never name them.
#[cfg(not(target_arch = "wasm32"))]
fn server_field_vi(field: &str) -> &str {
    match field {
        "q" => "Từ khóa tìm kiếm",
        "after" => "Trang tiếp",
        "name" => "Tên",
        "year" => "Năm",
        "month" => "Tháng",
        "means" => "Hình thức thông báo",
        "before" => "Trang kết quả",
        "conclusion_days" => "Hạn thông báo kết luận",
        "reply_days" => "Hạn trả lời",
        "publication_days" => "Hạn công khai",
        "announcement_days" => "Số ngày thông báo trước",
        "ends_on" => "Kỳ báo cáo",
        "number" => "Số văn bản",
        "legal_basis" => "Căn cứ",
        "leadership" => "Công tác lãnh đạo, triển khai",
        "dissemination" => "Công tác tuyên truyền",
        "assessment" => "Đánh giá chung",
        "next_tasks" => "Phương hướng, nhiệm vụ",
        "proposals" => "Đề xuất, kiến nghị",
        "recipients" => "Nơi nhận",
        "signer_authority" => "Thẩm quyền ký",
        "signer_role" => "Chức vụ người ký",
        "signer_name" => "Người ký",
        _ => field,
    }
}

#[cfg(target_arch = "wasm32")]
fn server_field_vi(field: &str) -> &str {
    field
}

/// The API's one error shape: `{"error": {"code", "message", "message_en"}}`.
/// The server writes it for every 4xx and 5xx; the browser reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorDetail {
    /// Stable, for programs: `too_long`, `out_of_scope`, ...
    pub code: String,
    /// Vietnamese, for people.
    pub message: String,
    pub message_en: String,
}

impl ErrorDetail {
    /// A domain failure in both languages.
    pub fn of(e: &DomainError) -> Self {
        Self {
            code: e.code().into(),
            message: e.message(Lang::Vi),
            message_en: e.message(Lang::En),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_fields_as_secretaries_know_them() {
        assert_eq!(
            DomainError::OutOfRange {
                field: "planned_at"
            }
            .message(Lang::Vi),
            "Giá trị của «Thời gian dự kiến» không hợp lệ"
        );
        assert_eq!(
            DomainError::Required { field: "other" }.message(Lang::Vi),
            "Chưa điền «other»"
        );
        let en = DomainError::TooLong {
            field: "content",
            max: 5,
        }
        .message(Lang::En);
        assert_eq!(en, "field `content` is longer than 5 characters");
    }
}
