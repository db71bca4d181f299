//! The annual plan (issue 12): a unit's planned dialogues for a year, each
//! entered by the office as a planned dialogue that reaches the unit's
//! secretaries' tablets through the ordinary pull ([`OfficeWrite`]), and
//! how each was announced, flagged when later than the province's lead
//! days allow. The office changes an entry until a secretary starts
//! recording it; after that the dialogue is the secretary's.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use shared::plan::{announced_late, Announcement, Plan, PlanChange, PlanEntry, PlanLine};
use shared::sync::apply::StoredRecord;
use shared::sync::Entity;
use shared::{Dialogue, DialogueId, Role, UnitCode};
use sqlx::AnyConnection;

use crate::auth::CurrentUser;
use crate::body::{JsonBody, Params};
use crate::db::now_ms;
use crate::deadlines::Deadlines;
use crate::error::{parse_stored, AppError, AppResult};
use crate::routes::sync::OfficeWrite;
use crate::routes::units::{province_name, unit_in_scope, ScopedUnit};
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanParams {
    pub unit: UnitCode,
    pub year: i32,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    year: i64,
    month: i64,
    announced_on: Option<String>,
    announced_means: Option<String>,
    data: String,
    version: i64,
    last_role: Option<String>,
}

const ENTRY_COLUMNS: &str = "p.year, p.month, p.announced_on, p.announced_means, \
    d.data, d.version, (SELECT us.role FROM devices v JOIN users us ON us.id = v.user_id \
    WHERE v.device_id = d.last_device) AS last_role \
    FROM plan_entries p JOIN dialogues d ON d.id = p.dialogue_id";

/// `GET /api/plan?unit=&year=`: the plan, by month, for anyone who reads
/// the unit's dialogues.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<PlanParams>,
) -> AppResult<Json<Plan>> {
    read(&state, &user, &p).await.map(Json)
}

/// `GET /api/plan/docx?unit=&year=`: the plan as the office's kế hoạch.
pub async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    format: crate::documents::Format,
    Params(p): Params<PlanParams>,
) -> AppResult<axum::response::Response> {
    let plan = read(&state, &user, &p).await?;
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, &user, &p.unit).await?;
    let province = province_name(&mut conn, &unit.code, &unit.province).await?;
    let document = crate::documents::plan::plan(
        &plan.unit_name,
        province.as_deref(),
        plan.year,
        &plan.entries,
        state.config.clock.today(),
    );
    crate::documents::download(
        &format!("ke-hoach-doi-thoai-{}-{}", plan.unit_code, plan.year),
        document,
        format,
    )
    .await
}

async fn read(state: &AppState, user: &CurrentUser, p: &PlanParams) -> AppResult<Plan> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, user, &p.unit).await?;
    let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLUMNS} WHERE p.unit_code = $1 AND p.year = $2 ORDER BY p.month, d.planned_at, p.created_at"
    )))
    .bind(unit.code.as_str())
    .bind(i64::from(p.year))
    .fetch_all(&mut *conn)
    .await?;
    let mut deadlines = Deadlines::new(&state.pool);
    let today = state.config.clock.today();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.push(line(&mut deadlines, &unit, row, today).await?);
    }
    Ok(Plan {
        lead: deadlines
            .rules(unit.province.as_str())
            .await?
            .announcement_lead,
        unit_code: unit.code,
        unit_name: unit.name,
        year: p.year,
        entries,
    })
}

/// An announcement as `plan_entries` keeps it: its day and its means (a
/// JSON list), both or neither.
pub fn stored_announcement(
    on: &Option<String>,
    means: &Option<String>,
) -> AppResult<Option<Announcement>> {
    match (on, means) {
        (Some(on), Some(means)) => Ok(Some(Announcement {
            on: on
                .parse()
                .map_err(|_| AppError::Corrupt("a stored announcement date is not a date"))?,
            means: parse_stored(means)?,
        })),
        _ => Ok(None),
    }
}

async fn line(
    deadlines: &mut Deadlines<'_>,
    unit: &ScopedUnit,
    row: EntryRow,
    today: chrono::NaiveDate,
) -> AppResult<PlanLine> {
    let d: Dialogue = parse_stored(&row.data)?;
    let announcement = stored_announcement(&row.announced_on, &row.announced_means)?;
    let held_on = d.held_on();
    let announce_by = match held_on {
        Some(day) => Some(
            deadlines
                .lead_ends(unit.province.as_str(), |r| r.announcement_lead, day)
                .await?,
        ),
        None => None,
    };
    let untouched = row
        .last_role
        .as_deref()
        .is_some_and(|r| r != Role::Secretary.as_str());
    Ok(PlanLine {
        dialogue_id: d.id,
        version: row.version,
        entry: PlanEntry {
            unit_code: d.unit_code.clone(),
            year: row.year as i32,
            month: row.month as u32,
            kind: d.kind,
            audience: d.audience,
            audience_group: d.audience_group.clone(),
            topic: d.topic.clone(),
            planned_at: d.planned_at.clone(),
            venue: d.venue.clone(),
            chair_name: d.chair_name.clone(),
            chair_title: d.chair_title.clone(),
        },
        status: d.status,
        held_on,
        announced_late: announced_late(announcement.as_ref(), announce_by, today),
        announcement,
        announce_by,
        editable: untouched && !d.is_locked() && d.started_at.is_none(),
    })
}

/// `POST /api/plan`: a new planned dialogue, on its way to the tablets.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(entry): JsonBody<PlanEntry>,
) -> AppResult<(StatusCode, Json<PlanLine>)> {
    user.require(Role::can_follow_up)?;
    let mut dialogue = Dialogue::new(entry.unit_code.clone());
    entry.fill(&mut dialogue)?;
    let mut write = OfficeWrite::open(&state.pool, &user).await?;
    let unit = unit_in_scope(write.tx(), &user, &entry.unit_code).await?;
    let id = dialogue.id;
    write.write(dialogue, 0).await?;
    sqlx::query(
        "INSERT INTO plan_entries (dialogue_id, unit_code, year, month, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(entry.unit_code.as_str())
    .bind(i64::from(entry.year))
    .bind(i64::from(entry.month))
    .bind(user.id.to_string())
    .bind(now_ms())
    .execute(write.tx())
    .await?;
    write.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(read_line(&state, &unit, id).await?),
    ))
}

/// `PUT /api/plan/{id}`: the entry changed, while no secretary has started
/// it, and only on the version the office read (else 409 with the entry
/// as it now is).
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(change): JsonBody<PlanChange>,
) -> AppResult<Json<PlanLine>> {
    user.require(Role::can_follow_up)?;
    let id = path_id(id)?;
    let mut write = OfficeWrite::open(&state.pool, &user).await?;
    let (unit, stored) = entry_in_scope(&mut write, &user, id).await?;
    let Entity::Dialogue(mut dialogue) = stored.entity.clone() else {
        return Err(AppError::Corrupt("a dialogue key holds another record"));
    };
    if change.entry.unit_code != unit.code {
        return Err(shared::DomainError::OutOfRange { field: "unit_code" }.into());
    }
    if write.touched_by_secretary(&stored).await? || dialogue.started_at.is_some() {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "being_recorded",
            "Thư ký đã bắt đầu ghi biên bản buổi đối thoại này, kế hoạch không sửa được nữa",
            "A secretary has started recording this dialogue: the plan entry can no longer change",
        ));
    }
    if stored.version != change.version {
        drop(write);
        let current = read_line(&state, &unit, id).await?;
        return Err(AppError::Stale(
            serde_json::to_value(current).expect("serialises"),
        ));
    }
    change.entry.fill(&mut dialogue)?;
    write.write(dialogue, stored.version).await?;
    sqlx::query("UPDATE plan_entries SET year = $1, month = $2 WHERE dialogue_id = $3")
        .bind(i64::from(change.entry.year))
        .bind(i64::from(change.entry.month))
        .bind(id.to_string())
        .execute(write.tx())
        .await?;
    write.commit().await?;
    Ok(Json(read_line(&state, &unit, id).await?))
}

/// `PUT /api/plan/{id}/announcement`: when and how it was announced (the
/// office may correct it; the plan shows the latest).
pub async fn announce(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(a): JsonBody<Announcement>,
) -> AppResult<Json<PlanLine>> {
    user.require(Role::can_follow_up)?;
    a.validate()?;
    let id = path_id(id)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let unit = plan_unit(&mut tx, &user, id).await?;
    sqlx::query(
        "UPDATE plan_entries SET announced_on = $1, announced_means = $2, announced_by = $3 WHERE dialogue_id = $4",
    )
    .bind(a.on.to_string())
    .bind(serde_json::to_string(&a.means).expect("serialises"))
    .bind(user.id.to_string())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(read_line(&state, &unit, id).await?))
}

fn path_id(id: Result<Path<String>, PathRejection>) -> AppResult<DialogueId> {
    let Ok(Path(id)) = id else {
        return Err(AppError::not_found());
    };
    DialogueId::parse(&id).map_err(|_| AppError::not_found())
}

/// The unit of a plan entry in the user's scope; any other id is 404.
async fn plan_unit(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: DialogueId,
) -> AppResult<ScopedUnit> {
    let (code,): (String,) =
        sqlx::query_as("SELECT unit_code FROM plan_entries WHERE dialogue_id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(AppError::not_found)?;
    let code =
        UnitCode::parse(&code).map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
    unit_in_scope(conn, user, &code)
        .await
        .map_err(|_| AppError::not_found())
}

async fn entry_in_scope(
    write: &mut OfficeWrite<'_>,
    user: &CurrentUser,
    id: DialogueId,
) -> AppResult<(ScopedUnit, StoredRecord)> {
    let unit = plan_unit(write.tx(), user, id).await?;
    let stored = write
        .stored(id)
        .await?
        .ok_or(AppError::Corrupt("a plan entry has no dialogue"))?;
    Ok((unit, stored))
}

async fn read_line(state: &AppState, unit: &ScopedUnit, id: DialogueId) -> AppResult<PlanLine> {
    let row: EntryRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLUMNS} WHERE p.dialogue_id = $1"
    )))
    .bind(id.to_string())
    .fetch_one(&state.pool)
    .await?;
    let today = state.config.clock.today();
    line(&mut Deadlines::new(&state.pool), unit, row, today).await
}
