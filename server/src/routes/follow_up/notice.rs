//! The conclusion notice (thông báo kết luận): which finalised dialogues
//! still wait for one and by when, what a dialogue's notice will say, and
//! issuing it, which gives every opinion not settled at the meeting to an
//! agency with its due date by the province's rules.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shared::follow_up::api::{IssuedNotice, NewNotice, NoticeDraft, NoticeDue, ToAssign};
use shared::follow_up::{Event, Item};
use shared::text::{check_required, check_text, fold, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use shared::{AgencyId, Dialogue, DialogueId, DialogueStatus, DomainError, Role};
use std::collections::{HashMap, HashSet};

use super::{agencies_for, audit_identities, dialogue_in_scope, opinions_of};
use crate::auth::CurrentUser;
use crate::body::JsonBody;
use crate::db::{is_unique_violation, now_ms};
use crate::deadlines::Deadlines;
use crate::error::{parse_stored, unknown_agency, AppError, AppResult};
use crate::AppState;

#[derive(sqlx::FromRow)]
struct DueRow {
    id: String,
    data: String,
    unit_code: String,
    unit_name: String,
    parent_code: Option<String>,
}

/// What a finalised dialogue still waits for, with its own deadline.
#[derive(Clone, Copy)]
enum Awaited {
    /// The conclusion notice (the province's `conclusion` period).
    Notice,
    /// Its results made public (the `publication` period): no publication
    /// shown now.
    Publication,
}

/// Finalised dialogues in scope without a notice, the most urgent first.
pub async fn due(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<NoticeDue>>> {
    awaiting(&state, &user, Awaited::Notice).await.map(Json)
}

/// Finalised dialogues in scope whose results are not public, the most
/// urgent first.
pub async fn publications_due(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<NoticeDue>>> {
    awaiting(&state, &user, Awaited::Publication)
        .await
        .map(Json)
}

async fn awaiting(
    state: &AppState,
    user: &CurrentUser,
    what: Awaited,
) -> AppResult<Vec<NoticeDue>> {
    user.require(Role::can_review)?;
    let missing = match what {
        Awaited::Notice => {
            "NOT EXISTS (SELECT 1 FROM conclusion_notices n WHERE n.dialogue_id = d.id)".to_owned()
        }
        Awaited::Publication => {
            format!(
                "NOT EXISTS (SELECT 1 FROM publications p WHERE p.dialogue_id = d.id AND {})",
                crate::routes::publication::SHOWN
            )
        }
    };
    let rows: Vec<DueRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT d.id, d.data, d.unit_code, u.name AS unit_name, u.parent_code \
         FROM dialogues d JOIN units u ON u.code = d.unit_code \
         WHERE d.status = $1 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2) AND {missing}"
    )))
    .bind(DialogueStatus::Finalised.as_str())
    .bind(user.scope_param())
    .fetch_all(&state.pool)
    .await?;
    let today = state.config.clock.today();
    let mut deadlines = Deadlines::new(&state.pool);
    let mut due = Vec::with_capacity(rows.len());
    for r in rows {
        let dialogue: Dialogue = parse_stored(&r.data)?;
        let Some(held_on) = dialogue.held_on() else {
            continue;
        };
        let province = r.parent_code.as_deref().unwrap_or(&r.unit_code);
        let day = match what {
            Awaited::Notice => deadlines.due(province, |r| r.conclusion, held_on).await?,
            Awaited::Publication => deadlines.due(province, |r| r.publication, held_on).await?,
        };
        due.push(NoticeDue {
            dialogue_id: DialogueId::parse(&r.id)
                .map_err(|_| AppError::Corrupt("a stored dialogue id is not a UUID"))?,
            unit_code: dialogue.unit_code,
            unit_name: r.unit_name,
            topic: dialogue.topic,
            held_on,
            due: day,
            days_left: (day - today).num_days(),
        });
    }
    due.sort_by(|a, b| {
        (a.due, &a.unit_name, a.dialogue_id).cmp(&(b.due, &b.unit_name, b.dialogue_id))
    });
    Ok(due)
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    number: String,
    issued_on: String,
    conclusion: String,
    display_name: String,
}

pub async fn issued(
    conn: &mut sqlx::AnyConnection,
    id: &DialogueId,
) -> AppResult<Option<IssuedNotice>> {
    let row: Option<NoticeRow> = sqlx::query_as(
        "SELECT n.number, n.issued_on, n.conclusion, us.display_name \
         FROM conclusion_notices n JOIN users us ON us.id = n.issued_by WHERE n.dialogue_id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(IssuedNotice {
            number: r.number,
            issued_on: r
                .issued_on
                .parse()
                .map_err(|_| AppError::Corrupt("a stored notice date is not a date"))?,
            conclusion: r.conclusion,
            issued_by: r.display_name,
        })
    })
    .transpose()
}

/// What the notice of a dialogue will say (or said): settled opinions,
/// those to assign with the directory's agency matching the one proposed
/// at the meeting, and the deadline.
pub async fn draft(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<NoticeDraft>> {
    user.require(Role::can_review)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    let held_on = d.dialogue.held_on().ok_or(DomainError::OutOfRange {
        field: "planned_at",
    })?;
    let opinions = opinions_of(&mut tx, &d.id).await?;
    let agencies = agencies_for(&mut tx, &d.dialogue.unit_code, &d.province).await?;
    let issued = issued(&mut tx, &d.id).await?;
    // The office that assigns sees identities (shared::user::handles_identity);
    // observers and administrators here do not.
    let handles = user.role.can_follow_up();
    audit_identities(&mut tx, &user, opinions.iter().map(|o| (o, handles))).await?;
    tx.commit().await?;
    let by_name: HashMap<String, AgencyId> = agencies
        .iter()
        .map(|a| (fold(a.name.trim()), a.id))
        .collect();
    let (to_assign, settled): (Vec<_>, Vec<_>) =
        opinions.iter().partition(|o| o.opinion.needs_follow_up);
    let due = Deadlines::new(&state.pool)
        .due(d.province.as_str(), |r| r.conclusion, held_on)
        .await?;
    Ok(Json(NoticeDraft {
        dialogue_id: d.id,
        unit_code: d.dialogue.unit_code.clone(),
        topic: d.dialogue.topic.clone(),
        held_on,
        due,
        conclusion: d.dialogue.conclusion.clone(),
        settled: settled.iter().map(|o| o.line(handles)).collect(),
        to_assign: to_assign
            .iter()
            .map(|o| ToAssign {
                suggested: by_name
                    .get(&fold(o.opinion.follow_up.proposed_agency.trim()))
                    .copied(),
                opinion: o.line(handles),
            })
            .collect(),
        agencies,
        issued,
    }))
}

fn unassigned(position: i64) -> AppError {
    AppError::client(
        StatusCode::UNPROCESSABLE_ENTITY,
        "unassigned",
        format!("Ý kiến số {position} chưa được giao cơ quan xử lý"),
        format!("Opinion {position} has no agency"),
    )
}

fn not_to_assign() -> AppError {
    AppError::client(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_to_assign",
        "Chỉ giao các ý kiến chưa giải quyết xong tại buổi đối thoại, mỗi ý kiến một lần",
        "Only opinions not settled at the meeting are assigned, each once",
    )
}

/// Issues the notice: one transaction stores it and every item with its
/// first event, or nothing.
pub async fn issue(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(notice): JsonBody<NewNotice>,
) -> AppResult<(StatusCode, Json<IssuedNotice>)> {
    user.require(Role::can_follow_up)?;
    let number = notice.number.trim();
    check_required("number", number, SHORT_TEXT_MAX)?;
    check_required("conclusion", &notice.conclusion, LONG_TEXT_MAX)?;
    for a in &notice.assignments {
        check_text("instructions", &a.instructions, LONG_TEXT_MAX)?;
    }
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let d = dialogue_in_scope(&mut tx, &user, id).await?;
    d.ensure_finalised("chưa thể ra thông báo kết luận", "no conclusion notice yet")?;
    let held_on = d.dialogue.held_on().ok_or(DomainError::OutOfRange {
        field: "planned_at",
    })?;
    let today = state.config.clock.today();
    if notice.issued_on < held_on || notice.issued_on > today {
        return Err(DomainError::OutOfRange { field: "issued_on" }.into());
    }
    let opinions = opinions_of(&mut tx, &d.id).await?;
    let to_assign: HashMap<_, _> = opinions
        .iter()
        .filter(|o| o.opinion.needs_follow_up)
        .map(|o| (o.opinion.id, o))
        .collect();
    let agencies: HashSet<AgencyId> = agencies_for(&mut tx, &d.dialogue.unit_code, &d.province)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut given = HashSet::new();
    for a in &notice.assignments {
        if !to_assign.contains_key(&a.opinion_id) || !given.insert(a.opinion_id) {
            return Err(not_to_assign());
        }
        if !agencies.contains(&a.agency_id) {
            return Err(unknown_agency());
        }
    }
    if let Some(left) = opinions
        .iter()
        .find(|o| o.opinion.needs_follow_up && !given.contains(&o.opinion.id))
    {
        return Err(unassigned(left.opinion.position));
    }
    let due = Deadlines::new(&state.pool)
        .due(d.province.as_str(), |r| r.reply, notice.issued_on)
        .await?;
    let now = now_ms();
    let stored = sqlx::query(
        "INSERT INTO conclusion_notices (dialogue_id, number, issued_on, conclusion, issued_by, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(d.id.to_string())
    .bind(number)
    .bind(notice.issued_on.to_string())
    .bind(notice.conclusion.trim())
    .bind(user.id.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await;
    match stored {
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::client(
                StatusCode::CONFLICT,
                "notice_issued",
                "Buổi đối thoại này đã có thông báo kết luận",
                "This dialogue's conclusion notice is issued already",
            ))
        }
        other => other?,
    };
    for a in &notice.assignments {
        let opinion = &to_assign[&a.opinion_id].opinion;
        let first = Event::Assigned {
            agency: a.agency_id,
            on: notice.issued_on,
            due,
        };
        let item = Item::default().apply(&first)?;
        super::items::insert(
            &mut tx,
            super::items::NewItem {
                opinion,
                province: &d.province,
                instructions: a.instructions.trim(),
                item: &item,
                first: &first,
                by: &user.id,
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedNotice {
            number: number.to_owned(),
            issued_on: notice.issued_on,
            conclusion: notice.conclusion.trim().to_owned(),
            issued_by: user.display_name,
        }),
    ))
}
