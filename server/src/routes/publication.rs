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
use shared::{OpinionId, Role, UnitCode};
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
    snapshot: String,
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
        "SELECT p.revision, us.display_name, p.published_at, p.withdrawn_at, p.withdraw_reason, p.snapshot \
         FROM publications p JOIN users us ON us.id = p.published_by WHERE p.dialogue_id = $1 ORDER BY p.revision",
    )
    .bind(d.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut history = Vec::with_capacity(rows.len());
    let mut earlier: Option<PublicDialogue> = None;
    for r in rows {
        let snapshot: PublicDialogue = parse_stored(&r.snapshot)?;
        history.push(PublicationEntry {
            revision: r.revision,
            published_by: r.display_name,
            published_at: r.published_at,
            withdrawn_at: r.withdrawn_at,
            withdraw_reason: r.withdraw_reason,
            changes: earlier
                .as_ref()
                .map(|e| snapshot.changes_since(e))
                .unwrap_or_default(),
        });
        earlier = Some(snapshot);
    }
    // Latest first, as the office reads it.
    history.reverse();
    Ok(Json(PublicationView { preview, history }))
}

/// Publishes what the preview shows as the next numbered snapshot.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<(StatusCode, Json<PublicDialogue>)> {
    user.require(Role::can_follow_up)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    d.ensure_finalised("chưa thể công khai kết quả", "nothing to publish yet")?;
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
    let mut tx = crate::db::begin_write(&state.pool).await?;
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

/// Published results per page of a unit: a commune's page stays well
/// under 50 KB on the wire (BENCHMARKS.md, `--bench results`).
pub const PUBLIC_PAGE: usize = 30;

/// `?before=`: a page of results starts after this one, the last of the
/// page before (published at, dialogue): `1767225600000.0190…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Before {
    published_at: i64,
    dialogue: shared::DialogueId,
}

impl std::str::FromStr for Before {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, AppError> {
        let bad = || AppError::from(shared::DomainError::OutOfRange { field: "before" });
        let (at, id) = s.split_once('.').ok_or_else(bad)?;
        Ok(Self {
            published_at: at.parse().map_err(|_| bad())?,
            dialogue: shared::DialogueId::parse(id).map_err(|_| bad())?,
        })
    }
}

impl std::fmt::Display for Before {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.published_at, self.dialogue)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    pub before: Option<String>,
}

/// One page of a unit's published results, and where the next one starts.
pub struct ResultsPage {
    pub results: Vec<PublicDialogue>,
    pub next: Option<Before>,
}

/// `GET /api/public/units/{code}[?before=]`: a unit's published results,
/// latest first, for anyone: the same for every reader, so cacheable. A
/// further page is named in `Link: <…>; rel="next"`.
pub async fn unit_results(
    State(state): State<AppState>,
    headers: HeaderMap,
    code: Result<Path<String>, PathRejection>,
    crate::body::Params(p): crate::body::Params<PageParams>,
) -> AppResult<Response> {
    let Ok(Path(code)) = code else {
        return Err(AppError::not_found());
    };
    let code = UnitCode::parse(&code).map_err(|_| AppError::not_found())?;
    let before = p.before.as_deref().map(str::parse).transpose()?;
    let page = shown_results(&state.pool, &code, before.as_ref()).await?;
    let body = serde_json::to_string(&page.results).expect("public results serialise");
    let mut answer = crate::cacheable::answer(&headers, "application/json", body);
    if let Some(next) = page.next {
        let link = format!("</api/public/units/{code}?before={next}>; rel=\"next\"");
        answer.headers_mut().insert(
            axum::http::header::LINK,
            link.parse().expect("codes and cursors are header-safe"),
        );
    }
    Ok(answer)
}

/// The publication `p` shown for its dialogue: the latest, unless withdrawn.
pub const SHOWN: &str = "p.withdrawn_at IS NULL \
    AND p.revision = (SELECT MAX(q.revision) FROM publications q WHERE q.dialogue_id = p.dialogue_id)";

#[derive(sqlx::FromRow)]
struct ShownRow {
    snapshot: String,
    published_at: i64,
    dialogue_id: String,
}

/// A page of a unit's results as shown to the public, latest published
/// first (then by dialogue, so a page never splits a tie twice).
pub async fn shown_results(
    pool: &crate::db::Pool,
    unit: &UnitCode,
    before: Option<&Before>,
) -> AppResult<ResultsPage> {
    let (at, id) = before.map_or((i64::MAX, String::new()), |b| {
        (b.published_at, b.dialogue.to_string())
    });
    let mut rows: Vec<ShownRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT p.snapshot, p.published_at, p.dialogue_id FROM publications p WHERE p.unit_code = $1 AND {SHOWN} \
         AND (p.published_at < $2 OR (p.published_at = $2 AND p.dialogue_id < $3)) \
         ORDER BY p.published_at DESC, p.dialogue_id DESC LIMIT $4"
    )))
    .bind(unit.as_str())
    .bind(at)
    .bind(id)
    .bind(PUBLIC_PAGE as i64 + 1)
    .fetch_all(pool)
    .await?;
    let more = rows.len() > PUBLIC_PAGE;
    rows.truncate(PUBLIC_PAGE);
    let next = match rows.last() {
        Some(last) if more => Some(Before {
            published_at: last.published_at,
            dialogue: shared::DialogueId::parse(&last.dialogue_id)
                .map_err(|_| AppError::Corrupt("a stored dialogue id is not a UUID"))?,
        }),
        _ => None,
    };
    Ok(ResultsPage {
        results: rows
            .iter()
            .map(|r| parse_stored::<PublicDialogue>(&r.snapshot))
            .collect::<AppResult<_>>()?,
        next,
    })
}
