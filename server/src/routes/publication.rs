//! Publishing a dialogue's results (issue 12): the office previews exactly
//! what the public will see ([`PublicDialogue::of`], the one allow-list),
//! publishes it as a numbered snapshot, or withdraws the one shown with a
//! reason; anyone reads a unit's published results without logging in.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use shared::follow_up::{Event, Item};
use shared::public::{
    FollowUpFacts, PublicDialogue, PublicationEntry, PublicationView, Withdrawal,
};
use shared::text::{check_required, LONG_TEXT_MAX};
use shared::{DialogueStatus, OpinionId, Role, UnitCode};
use sqlx::AnyConnection;
use std::collections::HashMap;

use crate::auth::CurrentUser;
use crate::body::JsonBody;
use crate::error::{parse_stored, AppError, AppResult};
use crate::routes::follow_up::{dialogue_in_scope, opinions_of, ScopedDialogue};
use crate::AppState;

#[derive(sqlx::FromRow)]
struct FactRow {
    opinion_id: String,
    agency_name: String,
}

/// The public view of the dialogue as it stands, follow-up included.
async fn preview(conn: &mut AnyConnection, d: &ScopedDialogue) -> AppResult<PublicDialogue> {
    let opinions = opinions_of(conn, &d.id).await?;
    let facts: Vec<FactRow> = sqlx::query_as(
        "SELECT i.opinion_id, a.name AS agency_name FROM follow_items i JOIN agencies a ON a.id = i.agency_id \
         WHERE i.dialogue_id = $1",
    )
    .bind(d.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut lives: HashMap<OpinionId, (Item, String, Vec<Event>)> = HashMap::new();
    for f in facts {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT event FROM follow_events WHERE opinion_id = $1 ORDER BY position",
        )
        .bind(&f.opinion_id)
        .fetch_all(&mut *conn)
        .await?;
        let events = rows
            .iter()
            .map(|(e,)| parse_stored::<Event>(e))
            .collect::<AppResult<Vec<_>>>()?;
        let item = Item::from_events(&events)
            .map_err(|_| AppError::Corrupt("a stored history breaks the item's rules"))?;
        let id = OpinionId::parse(&f.opinion_id)
            .map_err(|_| AppError::Corrupt("a stored opinion id is not a UUID"))?;
        lives.insert(id, (item, f.agency_name, events));
    }
    Ok(PublicDialogue::of(
        &d.dialogue,
        &d.unit_name,
        opinions.iter().map(|o| {
            let facts = lives
                .get(&o.opinion.id)
                .map(|(item, agency, events)| FollowUpFacts {
                    item,
                    agency,
                    events,
                });
            (&o.opinion, facts)
        }),
    ))
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    revision: i64,
    display_name: String,
    published_at: i64,
    withdrawn_at: Option<i64>,
    withdraw_reason: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<PublicationView>> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let d = dialogue_in_scope(&mut conn, &user, id).await?;
    let preview = preview(&mut conn, &d).await?;
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT p.revision, us.display_name, p.published_at, p.withdrawn_at, p.withdraw_reason \
         FROM publications p JOIN users us ON us.id = p.published_by WHERE p.dialogue_id = $1 ORDER BY p.revision DESC",
    )
    .bind(d.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(PublicationView {
        preview,
        history: rows
            .into_iter()
            .map(|r| PublicationEntry {
                revision: r.revision,
                published_by: r.display_name,
                published_at: r.published_at,
                withdrawn_at: r.withdrawn_at,
                withdraw_reason: r.withdraw_reason,
            })
            .collect(),
    }))
}

/// Publishes what the preview shows as the next numbered snapshot.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<(StatusCode, Json<PublicDialogue>)> {
    user.require(Role::can_follow_up)?;
    let mut tx = state.pool.begin().await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    if d.dialogue.status != DialogueStatus::Finalised {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_finalised",
            "Biên bản chưa hoàn thành, chưa thể công khai kết quả",
            "The minutes are not finalised: nothing to publish yet",
        ));
    }
    let snapshot = preview(&mut tx, &d).await?;
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(revision) FROM publications WHERE dialogue_id = $1")
            .bind(d.id.to_string())
            .fetch_one(&mut *tx)
            .await?;
    // Two offices publishing at once: the primary key takes one; the other
    // fails whole and may publish again.
    sqlx::query(
        "INSERT INTO publications (dialogue_id, revision, unit_code, snapshot, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(d.id.to_string())
    .bind(last.unwrap_or(0) + 1)
    .bind(d.dialogue.unit_code.as_str())
    .bind(serde_json::to_string(&snapshot).expect("snapshots serialise"))
    .bind(user.id.to_string())
    .bind(state.config.clock.now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(snapshot)))
}

/// Withdraws the publication shown, with a reason; the history keeps it.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(w): JsonBody<Withdrawal>,
) -> AppResult<StatusCode> {
    user.require(Role::can_follow_up)?;
    check_required("reason", &w.reason, LONG_TEXT_MAX)?;
    let mut tx = state.pool.begin().await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    let done = sqlx::query(
        "UPDATE publications SET withdrawn_by = $1, withdrawn_at = $2, withdraw_reason = $3 \
         WHERE dialogue_id = $4 AND withdrawn_at IS NULL \
         AND revision = (SELECT MAX(revision) FROM publications WHERE dialogue_id = $4)",
    )
    .bind(user.id.to_string())
    .bind(state.config.clock.now_ms())
    .bind(w.reason.trim())
    .bind(d.id.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "not_published",
            "Kết quả buổi đối thoại này đang không được công khai",
            "This dialogue's results are not published now",
        ));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Published results kept per unit page.
const PUBLIC_PAGE: i64 = 100;

/// `GET /api/public/units/{code}`: a unit's published results, latest
/// first, for anyone: the same for every reader, so cacheable.
pub async fn unit_results(
    State(state): State<AppState>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    let Ok(Path(code)) = code else {
        return Err(AppError::not_found());
    };
    let code = UnitCode::parse(&code).map_err(|_| AppError::not_found())?;
    let results = shown_results(&state.pool, &code).await?;
    let body = serde_json::to_string(&results).expect("public results serialise");
    Ok(crate::cacheable::answer(&headers, "application/json", body))
}

/// The publication `p` shown for its dialogue: the latest, unless withdrawn.
pub const SHOWN: &str = "p.withdrawn_at IS NULL \
    AND p.revision = (SELECT MAX(q.revision) FROM publications q WHERE q.dialogue_id = p.dialogue_id)";

/// A unit's results as shown to the public, latest published first.
pub async fn shown_results(
    pool: &crate::db::Pool,
    unit: &UnitCode,
) -> AppResult<Vec<PublicDialogue>> {
    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT p.snapshot FROM publications p WHERE p.unit_code = $1 AND {SHOWN} \
         ORDER BY p.published_at DESC LIMIT $2"
    )))
    .bind(unit.as_str())
    .bind(PUBLIC_PAGE)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|(s,)| parse_stored::<PublicDialogue>(s))
        .collect()
}
