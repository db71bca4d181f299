//! Downloading a dialogue's documents (issue 13): its minutes as DOCX, the
//! version sent outside for anyone who reads the dialogue, the version kept
//! on file (every denouncer named) for the office that handles it, each
//! such download audited in its transaction.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::{DialogueStatus, Role};

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::documents::docx;
use crate::documents::minutes::{minutes, Names, Version};
use crate::error::{AppError, AppResult};
use crate::routes::follow_up::{dialogue_in_scope, opinions_of};
use crate::AppState;

/// The DOCX media type.
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesParams {
    #[serde(default)]
    pub version: Version,
}

/// `GET /api/dialogues/{id}/minutes.docx[?version=outside|full]`.
pub async fn minutes_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    Params(p): Params<MinutesParams>,
) -> AppResult<Response> {
    user.require(Role::can_review)?;
    if p.version == Version::Full {
        // Kept on file by the office that assigns its items (DOMAIN.md).
        user.require(Role::can_follow_up)?;
    }
    let mut tx = state.pool.begin().await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    if d.dialogue.status != DialogueStatus::Finalised {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_finalised",
            "Biên bản chưa hoàn thành, chưa thể in để ký",
            "The minutes are not finalised: nothing to sign yet",
        ));
    }
    let opinions = opinions_of(&mut tx, &d.id).await?;
    let province: Option<(String,)> = if d.province != d.dialogue.unit_code {
        sqlx::query_as("SELECT name FROM units WHERE code = $1")
            .bind(d.province.as_str())
            .fetch_optional(&mut *tx)
            .await?
    } else {
        None
    };
    let names = Names {
        unit: &d.unit_name,
        province: province.as_ref().map(|(n,)| n.as_str()),
    };
    let document = minutes(&d.dialogue, &names, &opinions, p.version);
    if p.version == Version::Full {
        let named: Vec<String> = opinions
            .iter()
            .filter(|o| o.is_protected())
            .map(|o| o.opinion.id.to_string())
            .collect();
        crate::audit::record_identity_access(&mut tx, &user, "minutes_docx", &named).await?;
    }
    tx.commit().await?;
    let file = format!(
        "attachment; filename=\"bien-ban-{}-{}.docx\"",
        d.dialogue
            .held_on()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        match p.version {
            Version::Full => "luu-ho-so",
            Version::Outside => "gui-ra-ngoai",
        }
    );
    Ok((
        [(CONTENT_TYPE, DOCX.to_owned()), (CONTENT_DISPOSITION, file)],
        docx::render(&document),
    )
        .into_response())
}
