//! One item's life: reading it whole with its history, adding an event
//! (each role its own), and an agency's list. The events are the truth;
//! the item's row keeps what [`Item`] derives from them, and its
//! `revision` (the number of events) is what a writer names, so of two
//! people acting at once the second gets 409 with the item as it is now.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use serde::de::DeserializeOwned;
use shared::follow_up::api::{HistoryEntry, ItemLine, ItemView, NewEvent};
use shared::follow_up::{Event, Item, Stage};
use shared::text::tag;
use shared::user::handles_identity;
use shared::{AgencyId, DialogueId, DomainError, Opinion, OpinionId, Role, UnitCode, UserId};
use sqlx::AnyConnection;
use std::collections::HashMap;

use super::StoredOpinion;
use crate::auth::CurrentUser;
use crate::body::JsonBody;
use crate::db::{is_unique_violation, now_ms};
use crate::error::{parse_stored, unknown_agency, AppError, AppResult};
use crate::AppState;

/// The value a [`tag`] names.
pub fn untag<T: DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| AppError::Corrupt("a stored tag is unknown"))
}

fn day(text: &str) -> AppResult<chrono::NaiveDate> {
    text.parse()
        .map_err(|_| AppError::Corrupt("a stored date is not a date"))
}

pub struct NewItem<'a> {
    pub opinion: &'a Opinion,
    pub province: &'a UnitCode,
    pub instructions: &'a str,
    pub item: &'a Item,
    pub first: &'a Event,
    pub by: &'a UserId,
    pub at: i64,
}

/// Stores a new item with its first event (the assignment).
pub async fn insert(conn: &mut AnyConnection, new: NewItem<'_>) -> AppResult<()> {
    let (Some(agency), Some(on), Some(due)) = (new.item.agency, new.item.assigned_on, new.item.due)
    else {
        return Err(AppError::Corrupt("a new item must be assigned"));
    };
    let dialogue_unit: (String,) = sqlx::query_as("SELECT unit_code FROM dialogues WHERE id = $1")
        .bind(new.opinion.dialogue_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO follow_items (opinion_id, dialogue_id, unit_code, province_code, kind, field, instructions, \
         stage, agency_id, assigned_on, first_due, due, replied_on, forwarded, revision, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, 0, 0, $13)",
    )
    .bind(new.opinion.id.to_string())
    .bind(new.opinion.dialogue_id.to_string())
    .bind(dialogue_unit.0)
    .bind(new.province.as_str())
    .bind(tag(&new.opinion.kind))
    .bind(tag(&new.opinion.field))
    .bind(new.instructions)
    .bind(tag(&new.item.stage))
    .bind(agency.to_string())
    .bind(on.to_string())
    .bind(due.to_string())
    .bind(due.to_string())
    .bind(new.at)
    .execute(&mut *conn)
    .await?;
    append(
        conn,
        &new.opinion.id,
        0,
        new.first,
        new.item,
        new.by,
        new.at,
    )
    .await
}

/// Appends the event at `position` and brings the item's row to `item`,
/// only if nobody appended one first; otherwise `Stale` (filled in by the
/// caller with the current item).
async fn append(
    conn: &mut AnyConnection,
    opinion: &OpinionId,
    position: u32,
    event: &Event,
    item: &Item,
    by: &UserId,
    at: i64,
) -> AppResult<()> {
    let stale = || AppError::Stale(serde_json::Value::Null);
    let inserted = sqlx::query(
        "INSERT INTO follow_events (opinion_id, position, event, user_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(opinion.to_string())
    .bind(i64::from(position))
    .bind(serde_json::to_string(event).expect("events serialise"))
    .bind(by.to_string())
    .bind(at)
    .execute(&mut *conn)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(stale()),
        other => other?,
    };
    let updated = sqlx::query(
        "UPDATE follow_items SET stage = $1, agency_id = $2, due = $3, replied_on = $4, forwarded = $5, \
         revision = $6, updated_at = $7 WHERE opinion_id = $8 AND revision = $9",
    )
    .bind(tag(&item.stage))
    .bind(item.agency.map(|a| a.to_string()))
    .bind(item.due.map(|d| d.to_string()))
    .bind(item.replied_on.map(|d| d.to_string()))
    .bind(i64::from(item.forwarded))
    .bind(i64::from(position) + 1)
    .bind(at)
    .bind(opinion.to_string())
    .bind(i64::from(position))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 1 {
        Ok(())
    } else {
        Err(stale())
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    opinion_id: String,
    dialogue_id: String,
    unit_code: String,
    unit_name: String,
    province_code: String,
    instructions: String,
    agency_id: String,
    agency_name: String,
    revision: i64,
    topic_data: String,
    opinion_data: String,
    protected: i64,
    notice_number: String,
}

/// The item of the path as `user` may reach it: staff and observers by
/// unit scope, a handler by its agency. Anything else is 404.
async fn item_row(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: &OpinionId,
) -> AppResult<ItemRow> {
    let (scope, agency) = match (user.role, user.agency_id) {
        (Role::Handler, Some(agency)) => ("-".to_owned(), agency.to_string()),
        (Role::Handler, None) => return Err(AppError::not_found()),
        _ => (user.scope_param(), "-".to_owned()),
    };
    sqlx::query_as(
        "SELECT i.opinion_id, i.dialogue_id, i.unit_code, u.name AS unit_name, i.province_code, i.instructions, \
         i.agency_id, a.name AS agency_name, i.revision, d.data AS topic_data, o.data AS opinion_data, o.protected, \
         n.number AS notice_number \
         FROM follow_items i JOIN units u ON u.code = i.unit_code JOIN agencies a ON a.id = i.agency_id \
         JOIN dialogues d ON d.id = i.dialogue_id JOIN opinions o ON o.id = i.opinion_id \
         JOIN conclusion_notices n ON n.dialogue_id = i.dialogue_id \
         WHERE i.opinion_id = $1 AND ($2 = '*' OR i.unit_code = $2 OR i.province_code = $2 OR i.agency_id = $3)",
    )
    .bind(id.to_string())
    .bind(scope)
    .bind(agency)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    event: String,
    display_name: String,
    at: i64,
}

/// The item id of the path; a malformed one is 404 like an unknown one.
fn path_id(id: Result<Path<String>, PathRejection>) -> AppResult<OpinionId> {
    let Ok(Path(id)) = id else {
        return Err(AppError::not_found());
    };
    OpinionId::parse(&id).map_err(|_| AppError::not_found())
}

/// The whole item as `user` may see it, and whether it shows a
/// denouncer's identity (then the answer must be audited: [`audited`]).
async fn view(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    row: ItemRow,
    today: chrono::NaiveDate,
) -> AppResult<(ItemView, bool)> {
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.event, us.display_name, e.at FROM follow_events e JOIN users us ON us.id = e.user_id \
         WHERE e.opinion_id = $1 ORDER BY e.position",
    )
    .bind(&row.opinion_id)
    .fetch_all(&mut *conn)
    .await?;
    let events = events
        .into_iter()
        .map(|e| Ok((parse_stored::<Event>(&e.event)?, e.display_name, e.at)))
        .collect::<AppResult<Vec<_>>>()?;
    let item = Item::from_events(events.iter().map(|(e, _, _)| e))
        .map_err(|_| AppError::Corrupt("a stored history breaks the item's rules"))?;
    let named: Vec<String> = events
        .iter()
        .filter_map(|(e, _, _)| match e {
            Event::Assigned { agency, .. } | Event::Forwarded { to: agency } => {
                Some(agency.to_string())
            }
            _ => None,
        })
        .collect();
    let names = agency_names(conn, &named).await?;
    let agency = AgencyId::parse(&row.agency_id)
        .map_err(|_| AppError::Corrupt("a stored agency id is not a UUID"))?;
    let stored = StoredOpinion {
        opinion: parse_stored(&row.opinion_data)?,
        protected: row.protected != 0,
    };
    let handles = handles_identity(user.role, user.agency_id.as_ref(), &agency);
    let identity = handles && stored.is_protected();
    let dialogue: shared::Dialogue = parse_stored(&row.topic_data)?;
    let unit_code = UnitCode::parse(&row.unit_code)
        .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
    let province = UnitCode::parse(&row.province_code)
        .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
    let agencies = super::agencies_for(conn, &unit_code, &province).await?;
    let view = ItemView {
        opinion: stored.line(handles),
        dialogue_id: DialogueId::parse(&row.dialogue_id)
            .map_err(|_| AppError::Corrupt("a stored dialogue id is not a UUID"))?,
        unit_code,
        unit_name: row.unit_name,
        topic: dialogue.topic,
        notice_number: row.notice_number,
        instructions: row.instructions,
        days_left: item.days_left(today),
        overdue: item.is_overdue(today),
        item,
        agency_name: row.agency_name,
        revision: u32::try_from(row.revision).unwrap_or(u32::MAX),
        history: events
            .into_iter()
            .map(|(event, by, at)| {
                let agency_name = match &event {
                    Event::Assigned { agency, .. } | Event::Forwarded { to: agency } => {
                        names.get(&agency.to_string()).cloned()
                    }
                    _ => None,
                };
                HistoryEntry {
                    event,
                    agency_name,
                    by,
                    at,
                }
            })
            .collect(),
        agencies,
    };
    Ok((view, identity))
}

/// Answers with `view`, writing the audit row first when it shows an
/// identity: one row per answer that shows one, in its transaction.
async fn audited(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    (view, identity): (ItemView, bool),
) -> AppResult<ItemView> {
    if identity {
        let id = view.opinion.id.to_string();
        crate::audit::record_identity_access(conn, user, "follow_up", &[id]).await?;
    }
    Ok(view)
}

async fn agency_names(
    conn: &mut AnyConnection,
    ids: &[String],
) -> AppResult<HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, name FROM agencies WHERE id IN ({})",
        crate::db::placeholders(crate::db::Engine::of(conn), 1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&mut *conn).await?.into_iter().collect())
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<ItemView>> {
    if !(user.role.can_review() || user.role == Role::Handler) {
        return Err(AppError::forbidden());
    }
    let id = path_id(id)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let row = item_row(&mut tx, &user, &id).await?;
    let shown = view(&mut tx, &user, row, state.config.clock.today()).await?;
    let view = audited(&mut tx, &user, shown).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Who may record `event`: the office (close, reopen, remind, the
/// citizen's satisfaction, notes) and the item's handler (notes, the
/// reply, a forward, an extension). An assignment only comes with a notice.
fn may_record(role: Role, event: &Event) -> bool {
    match event {
        Event::Assigned { .. } => false,
        Event::Progress { .. } => matches!(role, Role::Reviewer | Role::Handler),
        Event::Closed
        | Event::Reopened { .. }
        | Event::Reminded { .. }
        | Event::Satisfaction { .. } => role == Role::Reviewer,
        Event::Replied { .. } | Event::Forwarded { .. } | Event::Extended { .. } => {
            role == Role::Handler
        }
    }
}

/// Adds one event. The row is locked first (an UPDATE that changes
/// nothing), so on both engines a second writer waits, then finds the
/// revision moved and gets 409 with the item as it is now.
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(new): JsonBody<NewEvent>,
) -> AppResult<Json<ItemView>> {
    if !(user.role.can_follow_up() || user.role == Role::Handler) {
        return Err(AppError::forbidden());
    }
    if matches!(new.event, Event::Assigned { .. }) {
        return Err(DomainError::OutOfRange { field: "event" }.into());
    }
    if !may_record(user.role, &new.event) {
        return Err(AppError::forbidden());
    }
    new.event.check_texts()?;
    let today = state.config.clock.today();
    let opinion = path_id(id)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    sqlx::query("UPDATE follow_items SET revision = revision WHERE opinion_id = $1")
        .bind(opinion.to_string())
        .execute(&mut *tx)
        .await?;
    let row = item_row(&mut tx, &user, &opinion).await?;
    let (current, identity) = view(&mut tx, &user, row, today).await?;
    if new.revision != current.revision {
        // Committed: the answer shows the item, with its audit row.
        let current = audited(&mut tx, &user, (current, identity)).await?;
        tx.commit().await?;
        return Err(AppError::Stale(
            serde_json::to_value(&current).expect("views serialise"),
        ));
    }
    match &new.event {
        Event::Replied { on, .. } if *on > today => {
            return Err(DomainError::OutOfRange { field: "on" }.into());
        }
        Event::Forwarded { to } if !current.agencies.iter().any(|a| a.id == *to) => {
            return Err(unknown_agency());
        }
        _ => {}
    }
    let next = current.item.apply(&new.event)?;
    append(
        &mut tx,
        &opinion,
        current.revision,
        &new.event,
        &next,
        &user.id,
        now_ms(),
    )
    .await?;
    // Read back through the same rules (a handler who forwarded the item
    // no longer reaches it: it answers with what was written).
    let row = item_row(&mut tx, &user, &opinion).await;
    let shown = match row {
        Ok(row) => view(&mut tx, &user, row, today).await?,
        Err(_) => (
            ItemView {
                item: next.clone(),
                revision: current.revision + 1,
                days_left: next.days_left(today),
                overdue: next.is_overdue(today),
                ..current
            },
            identity,
        ),
    };
    let answer = audited(&mut tx, &user, shown).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

#[derive(sqlx::FromRow)]
pub struct LineRow {
    opinion_id: String,
    dialogue_id: String,
    unit_code: String,
    unit_name: String,
    agency_id: String,
    agency_name: String,
    kind: String,
    field: String,
    opinion_data: String,
    stage: String,
    first_due: String,
    due: String,
    replied_on: Option<String>,
    forwarded: i64,
}

/// The columns a [`LineRow`] reads, over `follow_items i` joined as below.
pub const LINE_COLUMNS: &str = "i.opinion_id, i.dialogue_id, i.unit_code, u.name AS unit_name, i.agency_id, \
    a.name AS agency_name, i.kind, i.field, o.data AS opinion_data, i.stage, i.first_due, i.due, i.replied_on, i.forwarded";
pub const LINE_JOINS: &str =
    "JOIN units u ON u.code = i.unit_code JOIN agencies a ON a.id = i.agency_id \
    JOIN opinions o ON o.id = i.opinion_id";

/// How many characters of an opinion a list shows.
const SUMMARY_CHARS: usize = 120;

impl LineRow {
    pub fn into_line(self, today: chrono::NaiveDate) -> AppResult<ItemLine> {
        self.into_parts(today).map(|(line, _)| line)
    }

    /// The line, and the opinion it was made from.
    pub fn into_parts(self, today: chrono::NaiveDate) -> AppResult<(ItemLine, Opinion)> {
        let corrupt = |_| AppError::Corrupt("a stored follow-up id is malformed");
        let opinion: Opinion = parse_stored(&self.opinion_data)?;
        let stage: Stage = untag(&self.stage)?;
        let due = day(&self.due)?;
        let days_left = (stage == Stage::Assigned).then(|| (due - today).num_days());
        let line = ItemLine {
            opinion_id: OpinionId::parse(&self.opinion_id).map_err(corrupt)?,
            dialogue_id: DialogueId::parse(&self.dialogue_id).map_err(corrupt)?,
            unit_code: UnitCode::parse(&self.unit_code).map_err(corrupt)?,
            unit_name: self.unit_name,
            agency_id: AgencyId::parse(&self.agency_id).map_err(corrupt)?,
            agency_name: self.agency_name,
            kind: untag(&self.kind)?,
            field: untag(&self.field)?,
            summary: opinion.content.chars().take(SUMMARY_CHARS).collect(),
            stage,
            first_due: day(&self.first_due)?,
            due,
            replied_on: self.replied_on.as_deref().map(day).transpose()?,
            forwarded: self.forwarded != 0,
            overdue: days_left.is_some_and(|left| left < 0),
            days_left,
        };
        Ok((line, opinion))
    }
}

/// Rows of an agency's list.
const AGENCY_LIST: usize = 500;

/// The handler's agency's items: awaiting a reply first, soonest due
/// first; then the replied and closed ones, latest first.
pub async fn agency_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<ItemLine>>> {
    let (Role::Handler, Some(agency)) = (user.role, user.agency_id) else {
        return Err(AppError::forbidden());
    };
    let rows: Vec<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LINE_COLUMNS} FROM follow_items i {LINE_JOINS} WHERE i.agency_id = $1 \
         ORDER BY CASE WHEN i.stage = $2 THEN 0 ELSE 1 END, \
         CASE WHEN i.stage = $2 THEN i.due ELSE '' END, i.updated_at DESC, i.opinion_id LIMIT {AGENCY_LIST}"
    )))
    .bind(agency.to_string())
    .bind(tag(&Stage::Assigned))
    .fetch_all(&state.pool)
    .await?;
    let today = state.config.clock.today();
    Ok(Json(
        rows.into_iter()
            .map(|r| r.into_line(today))
            .collect::<AppResult<_>>()?,
    ))
}
