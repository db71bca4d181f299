//! Reading synced minutes: the filtered list and one dialogue in full, with
//! every kept revision of records two devices edited. Read only, scoped to
//! the user's unit; denouncers are pseudonymised.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use shared::review::{DialoguePage, DialogueSummary, DialogueView, OpinionView, Revision};
use shared::sync::{Entity, EntityKind, Outcome};
use shared::user::sees_identity;
use shared::{Dialogue, DialogueId, DialogueKind, DialogueStatus, Opinion, Role, UserId};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::error::{parse_stored, AppError, AppResult};
use crate::routes::sync::{parse_entity, RecordRow};
use crate::search::Match;
use crate::AppState;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub unit: Option<String>,
    /// `YYYY-MM-DD`, compared with the planned date.
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    /// The `next` of the page before.
    pub after: Option<String>,
}

/// Rows per page of the review list.
pub const LIST_PAGE: usize = 50;

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ListParams>,
) -> AppResult<Json<DialoguePage>> {
    // One row past the page says whether another page exists.
    let summaries = summaries(&state, &user, p, LIST_PAGE + 1).await?;
    Ok(Json(page_of(summaries)))
}

/// The review list's rows that match `p`, newest first, at most `limit`:
/// the list's page and the export read the same rows.
pub async fn summaries(
    state: &AppState,
    user: &CurrentUser,
    p: ListParams,
    limit: usize,
) -> AppResult<Vec<DialogueSummary>> {
    user.require(Role::can_review)?;
    let mut sql = String::from(
        "SELECT d.id, d.unit_code, u.name AS unit_name, d.data, d.first_received_at, us.display_name, \
         d.conflict + (SELECT COUNT(*) FROM opinions o WHERE o.dialogue_id = d.id AND o.conflict = 1) AS conflict, \
         (SELECT COUNT(*) FROM opinions o WHERE o.dialogue_id = d.id AND o.deleted = 0) AS n \
         FROM dialogues d JOIN units u ON u.code = d.unit_code JOIN users us ON us.id = d.created_by \
         WHERE ($1 = '*' OR d.unit_code = $1 OR u.parent_code = $1)",
    );
    let mut binds: Vec<String> = vec![user.scope_param()];
    let mut add = |clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace("?", &format!("${}", binds.len())));
    };
    let bad = |field: &'static str| AppError::from(shared::DomainError::OutOfRange { field });
    if let Some(unit) = p.unit.filter(|s| !s.is_empty()) {
        add(
            " AND d.unit_code = ?",
            shared::UnitCode::parse(&unit)?.to_string(),
        );
    }
    if let Some(from) = p.from.filter(|s| !s.is_empty()) {
        if !is_date(&from) {
            return Err(bad("from"));
        }
        add(" AND d.planned_at >= ?", from);
    }
    if let Some(to) = p.to.filter(|s| !s.is_empty()) {
        if !is_date(&to) {
            return Err(bad("to"));
        }
        // planned_at is `YYYY-MM-DDTHH:MM`; every time of that day sorts below `T~`.
        add(" AND d.planned_at <= ?", format!("{to}T~"));
    }
    if let Some(kind) = p.kind.filter(|s| !s.is_empty()) {
        DialogueKind::parse(&kind).ok_or_else(|| bad("kind"))?;
        add(" AND d.kind = ?", kind);
    }
    if let Some(status) = p.status.filter(|s| !s.is_empty()) {
        DialogueStatus::parse(&status).ok_or_else(|| bad("status"))?;
        add(" AND d.status = ?", status);
    }
    if let Some(q) = p.q.filter(|s| !s.trim().is_empty()) {
        shared::text::check_text("q", &q, 200)?;
        let found = Match::current(state, &q).await?;
        let common = found.is_common(&state.pool).await?;
        add(found.clause(common), found.value(common));
    }
    if let Some(after) = p.after.filter(|s| !s.is_empty()) {
        let (planned_at, id) = parse_cursor(&after).ok_or_else(|| bad("after"))?;
        // Both placeholders of the first clause take `planned_at`.
        add(
            " AND (d.planned_at < ? OR (d.planned_at = ?",
            planned_at.to_owned(),
        );
        add(" AND d.id > ?))", id);
    }
    sql.push_str(&format!(" ORDER BY d.planned_at DESC, d.id LIMIT {limit}"));
    // Built only from fixed clauses; every value is bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(&state.pool).await?;
    rows.iter()
        .map(|r| {
            let d: Dialogue = parse_stored(&r.try_get::<String, _>("data")?)?;
            Ok(DialogueSummary {
                id: r.try_get("id")?,
                unit_code: r.try_get("unit_code")?,
                unit_name: r.try_get("unit_name")?,
                kind: d.kind,
                status: d.status,
                topic: d.topic,
                planned_at: d.planned_at,
                opinions: r.try_get("n")?,
                conflict: r.try_get::<i64, _>("conflict")? != 0,
                recorded_by: r.try_get("display_name")?,
                received_at: r.try_get("first_received_at")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()
}

/// The first `LIST_PAGE` rows, and where the next page starts if more exist.
fn page_of(mut items: Vec<DialogueSummary>) -> DialoguePage {
    let more = items.len() > LIST_PAGE;
    items.truncate(LIST_PAGE);
    let next = more
        .then(|| items.last().map(|s| format!("{}|{}", s.planned_at, s.id)))
        .flatten();
    DialoguePage { items, next }
}

/// `planned_at|id`, as `page_of` writes it.
fn parse_cursor(cursor: &str) -> Option<(&str, String)> {
    let (planned_at, id) = cursor.split_once('|')?;
    let plain = planned_at.len() <= 16
        && planned_at
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'-' || c == b'T' || c == b':');
    let id = DialogueId::parse(id).ok()?;
    plain.then(|| (planned_at, id.to_string()))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    version: i64,
    entity_type: String,
    entity_id: String,
    device_id: String,
    outcome: String,
    reason: Option<String>,
    received_at: i64,
    client_time: i64,
    data: String,
    display_name: String,
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<DialogueView>> {
    user.require(Role::can_review)?;
    // A malformed (even not UTF-8) or unknown id and one out of scope all
    // answer 404: no probing.
    let Ok(Path(id)) = id else {
        return Err(AppError::not_found());
    };
    let id = DialogueId::parse(&id)
        .map_err(|_| AppError::not_found())?
        .to_string();
    let row = sqlx::query(
        "SELECT d.data, d.version, d.conflict, d.first_received_at, d.updated_at, u.name AS unit_name, us.display_name \
         FROM dialogues d JOIN units u ON u.code = d.unit_code JOIN users us ON us.id = d.created_by \
         WHERE d.id = $1 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2)",
    )
    .bind(&id)
    .bind(user.scope_param())
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(AppError::not_found)?;
    let opinion_rows: Vec<RecordRow> = sqlx::query_as(
        "SELECT data, version, conflict, created_by, protected FROM opinions WHERE dialogue_id = $1",
    )
    .bind(&id)
    .fetch_all(&state.pool)
    .await?;
    let revision_rows: Vec<RevisionRow> = sqlx::query_as(
        "SELECT r.version, r.entity_type, r.entity_id, r.device_id, r.outcome, r.reason, r.received_at, r.client_time, r.data, us.display_name \
         FROM revisions r JOIN users us ON us.id = r.user_id \
         WHERE r.dialogue_id = $1 AND r.entity_id IN (SELECT entity_id FROM revisions WHERE dialogue_id = $1 AND outcome <> 'applied') \
         ORDER BY r.version",
    )
    .bind(&id)
    .fetch_all(&state.pool)
    .await?;
    let revisions = revision_rows
        .into_iter()
        .map(|r| {
            let kind = if r.entity_type == "opinion" {
                EntityKind::Opinion
            } else {
                EntityKind::Dialogue
            };
            Ok((r.entity_id.clone(), parse_entity(kind, &r.data)?, r))
        })
        .collect::<AppResult<Vec<_>>>()?;
    // An identity is protected in every revision of an opinion that is, or
    // ever was, a denunciation: by its stored flag, or by any kept revision.
    let mut recorders: HashMap<String, Option<UserId>> = HashMap::new();
    let mut protected: HashSet<String> = HashSet::new();
    let mut opinions = Vec::with_capacity(opinion_rows.len());
    for r in opinion_rows {
        let o: Opinion = parse_stored(&r.data)?;
        let id = o.id.to_string();
        if r.protected != 0 || o.is_denunciation() {
            protected.insert(id.clone());
        }
        recorders.insert(
            id,
            r.created_by.as_deref().and_then(|u| UserId::parse(u).ok()),
        );
        opinions.push((o, r.version, r.conflict != 0));
    }
    for (entity_id, entity, _) in &revisions {
        if matches!(entity, Entity::Opinion(o) if o.is_denunciation()) {
            protected.insert(entity_id.clone());
        }
    }
    let seen = |o: Opinion| {
        let id = o.id.to_string();
        let recorded_by = recorders.get(&id).cloned().flatten();
        o.as_seen(
            protected.contains(&id),
            sees_identity(&user.id, user.role, recorded_by.as_ref()),
        )
    };
    let mut opinions: Vec<OpinionView> = opinions
        .into_iter()
        .map(|(o, version, conflict)| OpinionView {
            opinion: seen(o),
            version,
            conflict,
        })
        .collect();
    opinions.sort_by_key(|v| (v.opinion.position, v.opinion.id));
    let revisions = revisions
        .into_iter()
        .map(|(_, entity, r)| Revision {
            version: r.version,
            device_id: r.device_id,
            user_name: r.display_name,
            outcome: Outcome::parse(&r.outcome).unwrap_or(Outcome::Refused),
            reason: r.reason.and_then(|text| serde_json::from_str(&text).ok()),
            received_at: r.received_at,
            client_time: r.client_time,
            entity: match entity {
                Entity::Opinion(o) => Entity::Opinion(seen(o)),
                dialogue => dialogue,
            },
        })
        .collect();
    Ok(Json(DialogueView {
        dialogue: parse_stored(&row.try_get::<String, _>("data")?)?,
        unit_name: row.try_get("unit_name")?,
        recorded_by: row.try_get("display_name")?,
        first_received_at: row.try_get("first_received_at")?,
        updated_at: row.try_get("updated_at")?,
        version: row.try_get("version")?,
        conflict: row.try_get::<i64, _>("conflict")? != 0,
        opinions,
        revisions,
    }))
}
