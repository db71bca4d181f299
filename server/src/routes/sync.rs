//! Sync endpoints. Push applies a batch of a device's changes in one
//! transaction together with the device's last sequence number; pull pages
//! through records by the server's version cursor.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use shared::sync::{
    Change, Entity, PullResponse, PushError, PushRequest, PushResponse, Versioned, PULL_PAGE,
};
use shared::DialogueId;
use shared::{user::in_scope, Dialogue, Opinion, Role, UnitCode};
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};

use crate::auth::CurrentUser;
use crate::body::{JsonBody, Params};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::search::{dialogue_search_text, opinion_search_text};
use crate::AppState;

/// What happened to one received change; kept in `revisions.outcome`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Applied,
    /// Applied, but another device had changed the record since this
    /// device last saw it: both revisions stay visible.
    Concurrent,
    /// Not applied: the minutes were already finalised. Kept as a revision.
    RefusedLocked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Concurrent => "concurrent",
            Self::RefusedLocked => "refused_locked",
        }
    }
}

pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    user.require(Role::can_capture)?;
    req.validate().map_err(|e| match e {
        PushError::TooManyChanges => AppError::client(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_changes",
            format!(
                "Mỗi lần đồng bộ tối đa {} thay đổi",
                shared::sync::MAX_BATCH_CHANGES
            ),
            format!(
                "At most {} changes per push",
                shared::sync::MAX_BATCH_CHANGES
            ),
        ),
        PushError::BadSequence => AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_sequence",
            "Số thứ tự thay đổi không liên tục",
            "Change sequence numbers must start at 1 and increase by one",
        ),
        PushError::Invalid(e) => e.into(),
    })?;
    match apply_push(&state, &user, &req).await {
        // A concurrent push of the same batch lost the race: nothing was stored.
        Err(AppError::Internal(detail)) if detail.starts_with("unique:") => Err(AppError::client(
            StatusCode::CONFLICT,
            "retry",
            "Thay đổi đang được ghi, vui lòng đồng bộ lại",
            "The same changes are being stored; sync again",
        )),
        other => other.map(Json),
    }
}

async fn apply_push(
    state: &AppState,
    user: &CurrentUser,
    req: &PushRequest,
) -> AppResult<PushResponse> {
    let mut tx = state.pool.begin().await?;
    // First statement: take the clock row's write lock. It serialises pushes, so
    // versions commit in order and a pull cursor never skips one.
    let reserved = req.changes.len() as i64;
    let top: i64 =
        sqlx::query("UPDATE sync_clock SET version = version + $1 WHERE id = 1 RETURNING version")
            .bind(reserved)
            .fetch_one(&mut *tx)
            .await?
            .try_get("version")?;
    let device = req.device_id.to_string();
    let known = sqlx::query("SELECT user_id, last_seq FROM devices WHERE device_id = $1")
        .bind(&device)
        .fetch_optional(&mut *tx)
        .await?;
    let last_seq = match known {
        Some(row) => {
            if row.try_get::<String, _>("user_id")? != user.id.to_string() {
                return Err(AppError::forbidden());
            }
            row.try_get::<i64, _>("last_seq")? as u64
        }
        None => 0,
    };
    let pending: Vec<&Change> = req.changes.iter().filter(|c| c.seq > last_seq).collect();
    let Some(first) = pending.first() else {
        // A replay of changes already stored: nothing to do, say where we are.
        return Ok(PushResponse {
            last_seq,
            applied: 0,
            conflicts: 0,
        });
    };
    if first.seq != last_seq + 1 {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "out_of_order",
            format!(
                "Thiếu thay đổi trước số {}; máy chủ đã nhận đến số {last_seq}",
                first.seq
            ),
            format!(
                "Changes before {} are missing; the server has up to {last_seq}",
                first.seq
            ),
        ));
    }
    let now = now_ms();
    let mut batch = Batch {
        tx,
        user,
        device: device.clone(),
        now,
        units_in_scope: HashSet::new(),
        dialogues: HashMap::new(),
    };
    let mut conflicts = 0;
    let mut version = top - reserved;
    for change in &pending {
        version += 1;
        let outcome = batch.apply(change, version).await?;
        if outcome != Outcome::Applied {
            conflicts += 1;
        }
        let key = change.entity.key();
        sqlx::query(
            "INSERT INTO revisions (version, entity_type, entity_id, dialogue_id, device_id, seq, user_id, base_version, outcome, data, client_time, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(version)
        .bind(key.kind.as_str())
        .bind(key.id)
        .bind(change.entity.dialogue_id().to_string())
        .bind(&device)
        .bind(change.seq as i64)
        .bind(user.id.to_string())
        .bind(change.base_version)
        .bind(outcome.as_str())
        .bind(entity_json(&change.entity))
        .bind(change.client_time)
        .bind(now)
        .execute(&mut *batch.tx)
        .await
        .map_err(unique_as_retry)?;
    }
    let new_last = pending.last().map_or(last_seq, |c| c.seq);
    sqlx::query(
        "INSERT INTO devices (device_id, user_id, last_seq, last_push_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (device_id) DO UPDATE SET last_seq = $3, last_push_at = $4",
    )
    .bind(&device)
    .bind(user.id.to_string())
    .bind(new_last as i64)
    .bind(now)
    .execute(&mut *batch.tx)
    .await?;
    batch.tx.commit().await?;
    Ok(PushResponse {
        last_seq: new_last,
        applied: pending.len() as u32,
        conflicts,
    })
}

fn unique_as_retry(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::Internal("unique: revision already stored".into())
    } else {
        e.into()
    }
}

fn entity_json(entity: &Entity) -> String {
    match entity {
        Entity::Dialogue(d) => serde_json::to_string(d),
        Entity::Opinion(o) => serde_json::to_string(o),
    }
    .expect("domain types always serialise")
}

#[derive(Clone, Copy)]
enum Table {
    Dialogues,
    Opinions,
}

struct Current {
    version: i64,
    last_device: String,
    data: String,
}

fn parse_stored<T: serde::de::DeserializeOwned>(data: &str) -> AppResult<T> {
    serde_json::from_str(data)
        .map_err(|e| AppError::Internal(format!("stored record unreadable: {e}")))
}

/// Two devices edited the same record when the stored version is not the one
/// this change was made on, and the stored version came from another device
/// (a device's own successive edits are never concurrent).
fn is_concurrent(stored: &Current, change: &Change, device: &str) -> bool {
    stored.version != change.base_version && stored.last_device != device
}

/// One push being applied: its transaction, and what it has looked up
/// already, so 50 opinions of one dialogue check the dialogue and its unit once.
struct Batch<'u> {
    tx: Transaction<'static, Any>,
    user: &'u CurrentUser,
    device: String,
    now: i64,
    units_in_scope: HashSet<UnitCode>,
    /// Dialogues as they stand inside this transaction.
    dialogues: HashMap<DialogueId, Dialogue>,
}

impl Batch<'_> {
    /// Refuses a unit outside the user's scope (403) or unknown (422).
    async fn ensure_scope(&mut self, unit: &UnitCode) -> AppResult<()> {
        if self.units_in_scope.contains(unit) {
            return Ok(());
        }
        let row = sqlx::query("SELECT parent_code FROM units WHERE code = $1")
            .bind(unit.as_str())
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or(shared::DomainError::InvalidUnitCode)?;
        let parent: Option<String> = row.try_get("parent_code")?;
        let parent = parent.and_then(|p| UnitCode::parse(&p).ok());
        if let Some(own) = &self.user.unit_code {
            if !in_scope(own, unit, parent.as_ref()) {
                return Err(AppError::out_of_scope());
            }
        }
        self.units_in_scope.insert(unit.clone());
        Ok(())
    }

    async fn current(&mut self, table: Table, id: &str) -> AppResult<Option<Current>> {
        let sql = match table {
            Table::Dialogues => "SELECT version, last_device, data FROM dialogues WHERE id = $1",
            Table::Opinions => "SELECT version, last_device, data FROM opinions WHERE id = $1",
        };
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| {
            Ok(Current {
                version: r.try_get("version")?,
                last_device: r.try_get("last_device")?,
                data: r.try_get("data")?,
            })
        })
        .transpose()
    }

    /// The stored dialogue an opinion belongs to.
    async fn dialogue(&mut self, id: DialogueId) -> AppResult<Dialogue> {
        if let Some(d) = self.dialogues.get(&id) {
            return Ok(d.clone());
        }
        let stored = self
            .current(Table::Dialogues, &id.to_string())
            .await?
            .ok_or_else(|| {
                AppError::client(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_dialogue",
                    "Ý kiến thuộc buổi đối thoại chưa có",
                    "The opinion's dialogue does not exist",
                )
            })?;
        let dialogue: Dialogue = parse_stored(&stored.data)?;
        self.dialogues.insert(id, dialogue.clone());
        Ok(dialogue)
    }

    async fn apply(&mut self, change: &Change, version: i64) -> AppResult<Outcome> {
        match &change.entity {
            Entity::Dialogue(d) => self.apply_dialogue(change, d, version).await,
            Entity::Opinion(o) => self.apply_opinion(change, o, version).await,
        }
    }

    async fn apply_dialogue(
        &mut self,
        change: &Change,
        d: &Dialogue,
        version: i64,
    ) -> AppResult<Outcome> {
        self.ensure_scope(&d.unit_code).await?;
        let id = d.id.to_string();
        let stored = self.current(Table::Dialogues, &id).await?;
        let mut outcome = Outcome::Applied;
        if let Some(stored) = &stored {
            let old: Dialogue = parse_stored(&stored.data)?;
            // Moving a dialogue must not take it out of the scope it came from.
            self.ensure_scope(&old.unit_code).await?;
            if old.is_locked() {
                return Ok(Outcome::RefusedLocked);
            }
            if is_concurrent(stored, change, &self.device) {
                outcome = Outcome::Concurrent;
            }
        }
        sqlx::query(
            "INSERT INTO dialogues (id, unit_code, kind, status, planned_at, data, search_text, version, conflict, last_device, created_by, first_received_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
             ON CONFLICT (id) DO UPDATE SET unit_code = $2, kind = $3, status = $4, planned_at = $5, data = $6, search_text = $7, \
             version = $8, conflict = CASE WHEN $9 = 1 THEN 1 ELSE dialogues.conflict END, last_device = $10, updated_at = $12",
        )
        .bind(&id)
        .bind(d.unit_code.as_str())
        .bind(d.kind.as_str())
        .bind(d.status.as_str())
        .bind(&d.planned_at)
        .bind(entity_json(&change.entity))
        .bind(dialogue_search_text(d))
        .bind(version)
        .bind(i64::from(outcome == Outcome::Concurrent))
        .bind(&self.device)
        .bind(self.user.id.to_string())
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        self.dialogues.insert(d.id, d.clone());
        Ok(outcome)
    }

    async fn apply_opinion(
        &mut self,
        change: &Change,
        o: &Opinion,
        version: i64,
    ) -> AppResult<Outcome> {
        let dialogue = self.dialogue(o.dialogue_id).await?;
        self.ensure_scope(&dialogue.unit_code).await?;
        let id = o.id.to_string();
        let stored = self.current(Table::Opinions, &id).await?;
        let mut outcome = Outcome::Applied;
        if let Some(stored) = &stored {
            let old: Opinion = parse_stored(&stored.data)?;
            if old.dialogue_id != o.dialogue_id {
                return Err(shared::DomainError::WrongDialogue.into());
            }
            if is_concurrent(stored, change, &self.device) {
                outcome = Outcome::Concurrent;
            }
        }
        if dialogue.is_locked() {
            return Ok(Outcome::RefusedLocked);
        }
        sqlx::query(
            "INSERT INTO opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (id) DO UPDATE SET data = $3, search_text = $4, version = $5, \
             conflict = CASE WHEN $6 = 1 THEN 1 ELSE opinions.conflict END, last_device = $7, updated_at = $8, deleted = $9",
        )
        .bind(&id)
        .bind(o.dialogue_id.to_string())
        .bind(entity_json(&change.entity))
        .bind(opinion_search_text(o))
        .bind(version)
        .bind(i64::from(outcome == Outcome::Concurrent))
        .bind(&self.device)
        .bind(self.now)
        .bind(i64::from(o.deleted))
        .execute(&mut *self.tx)
        .await?;
        Ok(outcome)
    }
}

#[derive(Deserialize)]
pub struct PullParams {
    #[serde(default)]
    pub since: i64,
    /// The pulling device: records it changed last are not sent back.
    #[serde(default)]
    pub device: Option<shared::DeviceId>,
}

/// Records in the user's scope changed after `since`, oldest first.
pub async fn pull(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(params): Params<PullParams>,
) -> AppResult<Json<PullResponse>> {
    user.require(Role::can_capture)?;
    let scope = user.scope_param();
    let limit = PULL_PAGE as i64;
    let device = params.device.map(|d| d.to_string()).unwrap_or_default();
    // Read before the pages: every version up to it is committed (pushes
    // commit under the clock's lock), so it is a safe cursor when nothing is left.
    let clock: i64 = sqlx::query("SELECT version FROM sync_clock WHERE id = 1")
        .fetch_one(&state.pool)
        .await?
        .try_get("version")?;
    let window = PullWindow {
        since: params.since,
        clock,
        limit,
        scope: &scope,
        device: &device,
    };
    let mut dialogues: Vec<Versioned<Dialogue>> = window
        .fetch(
            &state.pool,
            "SELECT d.data, d.version, d.conflict FROM dialogues d JOIN units u ON u.code = d.unit_code \
             WHERE d.version > $1 AND d.version <= $4 AND d.last_device <> $5 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2) \
             ORDER BY d.version LIMIT $3",
        )
        .await?;
    let mut opinions: Vec<Versioned<Opinion>> = window
        .fetch(
            &state.pool,
            "SELECT o.data, o.version, o.conflict FROM opinions o JOIN dialogues d ON d.id = o.dialogue_id JOIN units u ON u.code = d.unit_code \
             WHERE o.version > $1 AND o.version <= $4 AND o.last_device <> $5 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2) \
             ORDER BY o.version LIMIT $3",
        )
        .await?;
    // When a page is full, stop at the lower of the full pages' last versions so
    // nothing between the two lists is skipped.
    let full_last = |len: usize, last: Option<i64>| if len as i64 == limit { last } else { None };
    let cut = [
        full_last(dialogues.len(), dialogues.last().map(|v| v.version)),
        full_last(opinions.len(), opinions.last().map(|v| v.version)),
    ]
    .into_iter()
    .flatten()
    .min();
    if let Some(cut) = cut {
        dialogues.retain(|v| v.version <= cut);
        opinions.retain(|v| v.version <= cut);
    }
    let cursor = cut.unwrap_or(clock).max(params.since);
    let protected: Vec<String> = opinions
        .iter()
        .filter(|o| o.item.has_protected_identity())
        .map(|o| o.item.id.to_string())
        .collect();
    crate::audit::record_identity_access(&state.pool, &user, "pull", &protected).await?;
    Ok(Json(PullResponse {
        cursor,
        dialogues,
        opinions,
        has_more: cut.is_some(),
    }))
}

/// What one pull asks of each table; every query binds the same five values.
struct PullWindow<'a> {
    since: i64,
    clock: i64,
    limit: i64,
    scope: &'a str,
    device: &'a str,
}

impl PullWindow<'_> {
    async fn fetch<T: serde::de::DeserializeOwned>(
        &self,
        pool: &crate::db::Pool,
        sql: &'static str,
    ) -> AppResult<Vec<Versioned<T>>> {
        let rows = sqlx::query(sql)
            .bind(self.since)
            .bind(self.scope)
            .bind(self.limit)
            .bind(self.clock)
            .bind(self.device)
            .fetch_all(pool)
            .await?;
        rows.iter().map(versioned).collect()
    }
}

fn versioned<T: serde::de::DeserializeOwned>(row: &sqlx::any::AnyRow) -> AppResult<Versioned<T>> {
    Ok(Versioned {
        version: row.try_get("version")?,
        conflict: row.try_get::<i64, _>("conflict")? != 0,
        item: parse_stored(&row.try_get::<String, _>("data")?)?,
    })
}
