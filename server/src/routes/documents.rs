//! Downloading a dialogue's documents (issue 13) as DOCX or PDF (the
//! path's extension says which): its minutes, the
//! version sent outside for anyone who reads the dialogue, the version kept
//! on file (every denouncer named) for the office that handles it, each
//! such download audited in its transaction; its conclusion notice as
//! issued; the invitation to it; and the office's reminder to an agency.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shared::follow_up::Event;
use shared::Role;

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::documents::invitation::invitation;
use crate::documents::minutes::{minutes, Names, Version};
use crate::documents::notice::{notice, Assigned};
use crate::documents::reminder::{reminder, Owed};
use crate::documents::{download, Format};
use crate::error::{parse_stored, AppError, AppResult};
use crate::routes::follow_up::{agencies_for, dialogue_in_scope, opinions_of};
use crate::routes::units::{province_name, unit_in_scope};
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesParams {
    #[serde(default)]
    pub version: Version,
}

/// `GET /api/dialogues/{id}/minutes.docx[?version=outside|full]`.
pub async fn minutes_document(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    format: Format,
    Params(p): Params<MinutesParams>,
) -> AppResult<Response> {
    user.require(Role::can_review)?;
    if p.version == Version::Full {
        // Kept on file by the office that assigns its items (DOMAIN.md).
        user.require(Role::can_follow_up)?;
    }
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    d.ensure_finalised("chưa thể in để ký", "nothing to sign yet")?;
    let opinions = opinions_of(&mut tx, &d.id).await?;
    let province = province_name(&mut tx, &d.dialogue.unit_code, &d.province).await?;
    let names = Names {
        unit: &d.unit_name,
        province: province.as_deref(),
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
    let name = format!(
        "bien-ban-{}-{}",
        d.dialogue
            .held_on()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        match p.version {
            Version::Full => "luu-ho-so",
            Version::Outside => "gui-ra-ngoai",
        }
    );
    download(&name, document, format).await
}

#[derive(sqlx::FromRow)]
struct AssignedRow {
    opinion_id: String,
    first_due: String,
    event: String,
}

/// `GET /api/dialogues/{id}/notice.docx`: the conclusion notice as issued.
pub async fn notice_document(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    format: Format,
) -> AppResult<Response> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let d = dialogue_in_scope(&mut conn, &user, id).await?;
    let issued = crate::routes::follow_up::notice::issued(&mut conn, &d.id)
        .await?
        .ok_or_else(|| {
            AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_notice",
                "Buổi đối thoại này chưa có thông báo kết luận",
                "This dialogue has no conclusion notice yet",
            )
        })?;
    let opinions = opinions_of(&mut conn, &d.id).await?;
    let agencies = agencies_for(&mut conn, &d.dialogue.unit_code, &d.province).await?;
    // Each item as the notice set it: its first event, and first due date.
    let rows: Vec<AssignedRow> = sqlx::query_as(
        "SELECT i.opinion_id, i.first_due, e.event FROM follow_items i \
         JOIN follow_events e ON e.opinion_id = i.opinion_id AND e.position = 0 WHERE i.dialogue_id = $1",
    )
    .bind(d.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let Event::Assigned { agency, .. } = parse_stored::<Event>(&r.event)? else {
            return Err(AppError::Corrupt(
                "an item's first event is not its assignment",
            ));
        };
        let Some(o) = opinions
            .iter()
            .find(|o| o.opinion.id.to_string() == r.opinion_id)
        else {
            continue;
        };
        items.push(Assigned {
            position: o.opinion.position,
            protected: o.is_protected(),
            content: o.opinion.content.clone(),
            agency: agencies
                .iter()
                .find(|a| a.id == agency)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            due: r
                .first_due
                .parse()
                .map_err(|_| AppError::Corrupt("a stored due date is not a date"))?,
        });
    }
    items.sort_by_key(|a| a.position);
    let province = province_name(&mut conn, &d.dialogue.unit_code, &d.province).await?;
    let document = notice(
        &d.dialogue,
        &d.unit_name,
        province.as_deref(),
        &issued,
        &items,
    );
    download(
        &format!("thong-bao-ket-luan-{}", issued.issued_on),
        document,
        format,
    )
    .await
}

/// `GET /api/dialogues/{id}/invitation.docx`: the invitation to a planned
/// dialogue, dated today.
pub async fn invitation_document(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    format: Format,
) -> AppResult<Response> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let d = dialogue_in_scope(&mut conn, &user, id).await?;
    let province = province_name(&mut conn, &d.dialogue.unit_code, &d.province).await?;
    let today = state.config.clock.today();
    let document = invitation(&d.dialogue, &d.unit_name, province.as_deref(), today);
    download(
        &format!("giay-moi-{}", d.dialogue.held_on().unwrap_or(today)),
        document,
        format,
    )
    .await
}

#[derive(sqlx::FromRow)]
struct OwedRow {
    dialogue: String,
    opinion: String,
    due: String,
}

/// `GET /api/agencies/{id}/reminder.docx`: a letter from the office to an
/// agency about its items in the office's scope that are overdue or due
/// within the week.
pub async fn reminder_document(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    format: Format,
) -> AppResult<Response> {
    user.require(Role::can_follow_up)?;
    let Ok(Path(id)) = id else {
        return Err(AppError::not_found());
    };
    let agency_id = shared::AgencyId::parse(&id).map_err(|_| AppError::not_found())?;
    let mut conn = state.pool.acquire().await?;
    let (agency,): (String,) = sqlx::query_as("SELECT name FROM agencies WHERE id = $1")
        .bind(agency_id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(AppError::not_found)?;
    let office = user.unit_code.clone().ok_or_else(AppError::forbidden)?;
    let office = unit_in_scope(&mut conn, &user, &office).await?;
    let today = state.config.clock.today();
    let soon = today + chrono::Days::new(shared::follow_up::DUE_SOON_DAYS as u64);
    let rows: Vec<OwedRow> = sqlx::query_as(
        "SELECT d.data AS dialogue, o.data AS opinion, i.due FROM follow_items i \
         JOIN dialogues d ON d.id = i.dialogue_id JOIN opinions o ON o.id = i.opinion_id \
         JOIN units u ON u.code = i.unit_code \
         WHERE i.agency_id = $1 AND i.stage = $2 AND i.due <= $3 AND (i.unit_code = $4 OR u.parent_code = $4) \
         ORDER BY i.due, o.id",
    )
    .bind(agency_id.to_string())
    .bind(shared::text::tag(&shared::follow_up::Stage::Assigned))
    .bind(soon.to_string())
    .bind(office.code.as_str())
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing_owed",
            "Cơ quan này không có việc nào quá hạn hoặc sắp đến hạn trong phạm vi của bạn",
            "This agency has no item overdue or due within the week in your scope",
        ));
    }
    let mut owed = Vec::with_capacity(rows.len());
    for r in rows {
        let d: shared::Dialogue = parse_stored(&r.dialogue)?;
        let o: shared::Opinion = parse_stored(&r.opinion)?;
        owed.push(Owed {
            topic: d.topic.clone(),
            held_on: d.held_on(),
            position: o.position,
            kind: o.kind,
            content: o.content,
            due: r
                .due
                .parse()
                .map_err(|_| AppError::Corrupt("a stored due date is not a date"))?,
        });
    }
    let province = province_name(&mut conn, &office.code, &office.province).await?;
    let document = reminder(&office.name, province.as_deref(), &agency, &owed, today);
    download(&format!("cong-van-don-doc-{today}"), document, format).await
}
