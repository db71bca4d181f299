//! HTTP handlers, one module per area. Handlers are thin: parse, authorise,
//! call the domain, persist, answer.

pub mod admin;
pub mod agencies;
pub mod attachments;
pub mod calendar;
pub mod compliance;
pub mod dialogues;
pub mod documents;
pub mod exports;
pub mod follow_up;
pub mod plan;
pub mod publication;
pub mod reports;
pub mod session;
pub mod sync;
pub mod units;

/// The UUID of a path (`/api/reports/{id}`, `/api/attachments/{id}`) in its
/// stored form; a malformed one is 404, like an unknown one (no probing).
pub fn path_uuid(
    id: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> crate::error::AppResult<String> {
    let Ok(axum::extract::Path(id)) = id else {
        return Err(crate::error::AppError::not_found());
    };
    uuid::Uuid::parse_str(&id)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| crate::error::AppError::not_found())
}
