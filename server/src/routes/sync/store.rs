//! The push's storage, inside its one transaction: the clock's lock, the
//! device's sequence number, stored records and revisions. What to do with
//! each change is decided by `shared::sync::apply`; this module only loads
//! the facts it needs and stores what it says.

use axum::http::StatusCode;
use shared::sync::apply::{Access, Applied, StoredRecord};
use shared::sync::{Change, Entity, EntityKey, EntityKind, Outcome};
use shared::user::in_scope;
use shared::{DeviceId, Dialogue, DialogueId, ErrorDetail, UnitCode, UserId};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

use crate::auth::CurrentUser;
use crate::db::is_unique_violation;
use crate::error::{parse_stored, AppError, AppResult};
use crate::search::{dialogue_search_text, opinion_search_text};

/// A stored dialogue or opinion as read for a decision.
#[derive(sqlx::FromRow)]
struct DecisionRow {
    version: i64,
    conflict: i64,
    last_device: String,
    created_by: Option<String>,
    protected: i64,
    data: String,
}

impl DecisionRow {
    fn into_stored(self, kind: EntityKind) -> AppResult<StoredRecord> {
        Ok(StoredRecord {
            version: self.version,
            conflict: self.conflict != 0,
            last_device: DeviceId::parse(&self.last_device)
                .map_err(|_| AppError::Corrupt("a stored device id is not a UUID"))?,
            recorded_by: self.created_by.and_then(|u| UserId::parse(&u).ok()),
            protected: self.protected != 0,
            entity: parse_entity(kind, &self.data)?,
        })
    }
}

/// A kept revision, read back to answer a replayed change.
#[derive(sqlx::FromRow)]
pub struct RevisionRow {
    pub seq: i64,
    pub entity_type: String,
    pub entity_id: String,
    pub outcome: String,
    pub reason: Option<String>,
}

impl RevisionRow {
    pub fn key(&self) -> EntityKey {
        let kind = match self.entity_type.as_str() {
            "dialogue" => EntityKind::Dialogue,
            _ => EntityKind::Opinion,
        };
        EntityKey {
            kind,
            id: self.entity_id.clone(),
        }
    }
    pub fn outcome(&self) -> Outcome {
        Outcome::parse(&self.outcome).unwrap_or(Outcome::Refused)
    }
    pub fn reason(&self) -> Option<ErrorDetail> {
        self.reason
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
    }
}

pub fn parse_entity(kind: EntityKind, data: &str) -> AppResult<Entity> {
    Ok(match kind {
        EntityKind::Dialogue => Entity::Dialogue(parse_stored(data)?),
        EntityKind::Opinion => Entity::Opinion(parse_stored(data)?),
    })
}

pub fn entity_json(entity: &Entity) -> String {
    match entity {
        Entity::Dialogue(d) => serde_json::to_string(d),
        Entity::Opinion(o) => serde_json::to_string(o),
    }
    .expect("domain types always serialise")
}

/// One push being stored, with what it has looked up already, so 50
/// opinions of one dialogue read the dialogue and its unit once.
pub struct PushStore<'u> {
    pub tx: Transaction<'static, Any>,
    pub user: &'u CurrentUser,
    pub device: DeviceId,
    pub now: i64,
    access: HashMap<UnitCode, Access>,
    /// Dialogues as they stand inside this transaction (None: not stored).
    dialogues: HashMap<DialogueId, Option<Dialogue>>,
}

impl<'u> PushStore<'u> {
    /// Opens the push: takes the clock row's write lock first (it serialises
    /// pushes, so versions commit in order and a pull cursor never skips
    /// one), reserving `count` versions; reads the device's last sequence
    /// number. Returns the store, the first reserved version and that number.
    pub async fn open(
        pool: &crate::db::Pool,
        user: &'u CurrentUser,
        device: DeviceId,
        count: usize,
        now: i64,
    ) -> AppResult<(Self, i64, u64)> {
        let mut tx = pool.begin().await?;
        let (top,): (i64,) = sqlx::query_as(
            "UPDATE sync_clock SET version = version + $1 WHERE id = 1 RETURNING version",
        )
        .bind(count as i64)
        .fetch_one(&mut *tx)
        .await?;
        let known: Option<(String, i64)> =
            sqlx::query_as("SELECT user_id, last_seq FROM devices WHERE device_id = $1")
                .bind(device.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let last_seq = match known {
            Some((owner, _)) if owner != user.id.to_string() => return Err(AppError::forbidden()),
            Some((_, last)) => last as u64,
            None => 0,
        };
        let store = Self {
            tx,
            user,
            device,
            now,
            access: HashMap::new(),
            dialogues: HashMap::new(),
        };
        Ok((store, top - count as i64 + 1, last_seq))
    }

    pub async fn record(&mut self, key: &EntityKey) -> AppResult<Option<StoredRecord>> {
        let sql = match key.kind {
            EntityKind::Dialogue => "SELECT version, conflict, last_device, created_by, 0 AS protected, data FROM dialogues WHERE id = $1",
            EntityKind::Opinion => "SELECT version, conflict, last_device, created_by, protected, data FROM opinions WHERE id = $1",
        };
        let row: Option<DecisionRow> = sqlx::query_as(sql)
            .bind(&key.id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| r.into_stored(key.kind)).transpose()
    }

    /// The dialogue an opinion belongs to, as it stands in this transaction.
    pub async fn dialogue(&mut self, id: DialogueId) -> AppResult<Option<Dialogue>> {
        if let Some(known) = self.dialogues.get(&id) {
            return Ok(known.clone());
        }
        let stored = self
            .record(&EntityKey {
                kind: EntityKind::Dialogue,
                id: id.to_string(),
            })
            .await?;
        let dialogue = match stored.map(|s| s.entity) {
            Some(Entity::Dialogue(d)) => Some(d),
            _ => None,
        };
        self.dialogues.insert(id, dialogue.clone());
        Ok(dialogue)
    }

    /// Looks up the scope of each unit a decision may ask about.
    pub async fn resolve_access(&mut self, units: &[UnitCode]) -> AppResult<()> {
        for unit in units {
            if self.access.contains_key(unit) {
                continue;
            }
            let row: Option<(Option<String>,)> =
                sqlx::query_as("SELECT parent_code FROM units WHERE code = $1")
                    .bind(unit.as_str())
                    .fetch_optional(&mut *self.tx)
                    .await?;
            let access = match row {
                None => Access::Unknown,
                Some((parent,)) => {
                    let parent = parent.and_then(|p| UnitCode::parse(&p).ok());
                    match &self.user.unit_code {
                        Some(own) if !in_scope(own, unit, parent.as_ref()) => Access::OutOfScope,
                        _ => Access::InScope,
                    }
                }
            };
            self.access.insert(unit.clone(), access);
        }
        Ok(())
    }

    /// The scope of a unit resolved before (unknown otherwise).
    pub fn access(&self, unit: &UnitCode) -> Access {
        self.access.get(unit).copied().unwrap_or(Access::Unknown)
    }

    /// Stores an applied change as the record's new state at `version`.
    pub async fn write(
        &mut self,
        applied: &Applied,
        stored: Option<&StoredRecord>,
        version: i64,
    ) -> AppResult<StoredRecord> {
        let concurrent = i64::from(applied.concurrent);
        let json = entity_json(&applied.entity);
        match &applied.entity {
            Entity::Dialogue(d) => {
                sqlx::query(
                    "INSERT INTO dialogues (id, unit_code, kind, status, planned_at, data, search_text, version, conflict, last_device, created_by, first_received_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
                     ON CONFLICT (id) DO UPDATE SET unit_code = $2, kind = $3, status = $4, planned_at = $5, data = $6, search_text = $7, \
                     version = $8, conflict = CASE WHEN $9 = 1 THEN 1 ELSE dialogues.conflict END, last_device = $10, updated_at = $12",
                )
                .bind(d.id.to_string())
                .bind(d.unit_code.as_str())
                .bind(d.kind.as_str())
                .bind(d.status.as_str())
                .bind(&d.planned_at)
                .bind(json)
                .bind(dialogue_search_text(d))
                .bind(version)
                .bind(concurrent)
                .bind(self.device.to_string())
                .bind(applied.recorded_by.to_string())
                .bind(self.now)
                .execute(&mut *self.tx)
                .await?;
                self.dialogues.insert(d.id, Some(d.clone()));
            }
            Entity::Opinion(o) => {
                sqlx::query(
                    "INSERT INTO opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted, created_by, protected) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (id) DO UPDATE SET data = $3, search_text = $4, version = $5, \
                     conflict = CASE WHEN $6 = 1 THEN 1 ELSE opinions.conflict END, last_device = $7, updated_at = $8, deleted = $9, protected = $11",
                )
                .bind(o.id.to_string())
                .bind(o.dialogue_id.to_string())
                .bind(json)
                .bind(opinion_search_text(o, applied.protected))
                .bind(version)
                .bind(concurrent)
                .bind(self.device.to_string())
                .bind(self.now)
                .bind(i64::from(o.deleted))
                .bind(applied.recorded_by.to_string())
                .bind(i64::from(applied.protected))
                .execute(&mut *self.tx)
                .await?;
            }
        }
        Ok(StoredRecord {
            version,
            conflict: applied.concurrent || stored.is_some_and(|s| s.conflict),
            last_device: self.device,
            recorded_by: Some(applied.recorded_by),
            protected: applied.protected,
            entity: applied.entity.clone(),
        })
    }

    /// Keeps what the device sent, with the verdict it was given. The unique
    /// `(device_id, seq)` stops a change being stored twice even by two
    /// pushes racing on two connections: the loser is asked to retry.
    pub async fn keep_revision(
        &mut self,
        version: i64,
        change: &Change,
        outcome: Outcome,
        reason: Option<&ErrorDetail>,
    ) -> AppResult<()> {
        let key = change.entity.key();
        sqlx::query(
            "INSERT INTO revisions (version, entity_type, entity_id, dialogue_id, device_id, seq, user_id, base_version, outcome, reason, data, client_time, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(version)
        .bind(key.kind.as_str())
        .bind(key.id)
        .bind(change.entity.dialogue_id().to_string())
        .bind(self.device.to_string())
        .bind(change.seq as i64)
        .bind(self.user.id.to_string())
        .bind(change.base_version)
        .bind(outcome.as_str())
        .bind(reason.map(|r| serde_json::to_string(r).expect("serialises")))
        .bind(entity_json(&change.entity))
        .bind(change.client_time)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::client(
                    StatusCode::CONFLICT,
                    "retry",
                    "Thay đổi đang được ghi, vui lòng đồng bộ lại",
                    "The same changes are being stored; sync again",
                )
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The kept revisions of this device from `first` to `last`.
    pub async fn revisions(&mut self, first: u64, last: u64) -> AppResult<Vec<RevisionRow>> {
        Ok(sqlx::query_as(
            "SELECT seq, entity_type, entity_id, outcome, reason FROM revisions \
             WHERE device_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq",
        )
        .bind(self.device.to_string())
        .bind(first as i64)
        .bind(last as i64)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    /// Moves the device's sequence number and commits the push.
    pub async fn commit(mut self, last_seq: u64) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO devices (device_id, user_id, last_seq, last_push_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (device_id) DO UPDATE SET last_seq = $3, last_push_at = $4",
        )
        .bind(self.device.to_string())
        .bind(self.user.id.to_string())
        .bind(last_seq as i64)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(())
    }
}
