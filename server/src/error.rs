//! One error type for the HTTP edge. Every failure leaves as
//! `{ "error": { "code", "message", "message_en" } }` with a fitting status.
//! Failures on our side wrap their source (axum's error-handling example):
//! they are logged in the request's span, never sent, and never with
//! stored text in them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::{DomainError, ErrorBody, ErrorDetail, Lang};

#[derive(Debug)]
pub enum AppError {
    /// A domain rule refused the input.
    Domain(DomainError),
    /// Any other client mistake, with its code and messages.
    Client {
        status: StatusCode,
        code: &'static str,
        vi: String,
        en: String,
    },
    /// The database failed.
    Database(sqlx::Error),
    /// A stored record this version cannot read.
    StoredRecord(serde_json::Error),
    /// Stored data breaks a rule the code relies on: which one.
    Corrupt(&'static str),
    /// A blocking task (password hashing) died.
    Task(tokio::task::JoinError),
    /// A document's layout failed (the template's fault).
    Render(crate::documents::pdf::RenderError),
    /// Someone else changed the thing first: 409 with how it now is, as
    /// `current` beside the error, so the screen shows it and nothing is
    /// overwritten.
    Stale(serde_json::Value),
}

/// Reads a record stored as JSON.
pub fn parse_stored<T: serde::de::DeserializeOwned>(data: &str) -> AppResult<T> {
    serde_json::from_str(data).map_err(AppError::StoredRecord)
}

/// Reads an enum stored in a column as its tag (`shared::text::tag`).
pub fn parse_tag<T: serde::de::DeserializeOwned>(tag: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(tag.to_owned()))
        .map_err(AppError::StoredRecord)
}

impl AppError {
    pub fn client(
        status: StatusCode,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::Client {
            status,
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }
    pub fn unauthorized() -> Self {
        Self::client(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Bạn cần đăng nhập",
            "You must log in",
        )
    }
    pub fn forbidden() -> Self {
        Self::client(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Bạn không có quyền thực hiện việc này",
            "You are not allowed to do this",
        )
    }
    pub fn out_of_scope() -> Self {
        Self::client(
            StatusCode::FORBIDDEN,
            "out_of_scope",
            "Đơn vị này không thuộc phạm vi của bạn",
            "This unit is outside your scope",
        )
    }
    pub fn not_found() -> Self {
        Self::client(
            StatusCode::NOT_FOUND,
            "not_found",
            "Không tìm thấy",
            "Not found",
        )
    }
    pub fn not_json() -> Self {
        Self::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "Dữ liệu phải ở dạng JSON",
            "The body must be JSON (Content-Type: application/json)",
        )
    }
    pub fn method_not_allowed() -> Self {
        Self::client(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Phương thức không được hỗ trợ ở địa chỉ này",
            "This method is not allowed here",
        )
    }
    pub fn too_large() -> Self {
        Self::client(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Dữ liệu gửi lên quá lớn",
            "The request body is too large",
        )
    }
    pub fn invalid_json(detail: &str) -> Self {
        Self::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            format!("Dữ liệu không đúng định dạng: {detail}"),
            format!("The data is malformed: {detail}"),
        )
    }
}

/// An agency id that is not in the directory where the request needs one.
pub fn unknown_agency() -> AppError {
    AppError::client(
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_agency",
        "Cơ quan không có trong danh bạ của đơn vị",
        "The agency is not in the unit's directory",
    )
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        Self::Domain(e)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Task(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut current = None;
        let (status, code, vi, en) = match self {
            Self::Domain(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code(),
                e.message(Lang::Vi),
                e.message(Lang::En),
            ),
            Self::Client {
                status,
                code,
                vi,
                en,
            } => (status, code, vi, en),
            Self::Database(e) => internal(format_args!("database: {e}")),
            // serde's message may quote the stored text: its kind and place only.
            Self::StoredRecord(e) => internal(format_args!(
                "stored record unreadable: {:?} at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            )),
            Self::Corrupt(what) => internal(format_args!("stored data: {what}")),
            Self::Task(e) => internal(format_args!("task: {e}")),
            Self::Render(e) => internal(format_args!("document layout: {}", e.0)),
            Self::Stale(now) => {
                current = Some(now);
                (
                    StatusCode::CONFLICT,
                    "stale",
                    "Người khác vừa cập nhật mục này; đây là trạng thái mới nhất, xin xem lại rồi làm tiếp".into(),
                    "Someone else updated this first; here is how it is now, please check and try again".into(),
                )
            }
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message: vi,
                message_en: en,
            },
        };
        match current {
            None => (status, Json(body)).into_response(),
            Some(current) => (
                status,
                Json(serde_json::json!({ "error": body.error, "current": current })),
            )
                .into_response(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Logs a failure on our side (queries bind every value, so SQL errors
/// carry no personal data) and says so to the client.
fn internal(detail: std::fmt::Arguments) -> (StatusCode, &'static str, String, String) {
    tracing::error!(%detail, "internal error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Lỗi máy chủ, vui lòng thử lại".into(),
        "Server error, please try again".into(),
    )
}
