//! The push's storage, inside its one transaction: the clock's lock, the
//! device's sequence number, stored records and revisions. What to do with
//! each change is decided by `shared::sync::apply`; this module only loads
//! the facts it needs and stores what it says.

use axum::http::StatusCode;
use shared::sync::apply::{decide, Access, Applied, Decision, Facts, StoredRecord};
use shared::sync::{Change, Entity, EntityKey, EntityKind, Outcome};
use shared::user::in_scope;
use shared::{DeviceId, Dialogue, DialogueId, DomainError, ErrorDetail, UnitCode, UserId};
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, placeholders, rows_of, Engine};
use crate::error::{parse_stored, AppError, AppResult};
use crate::search::{dialogue_search_text, opinion_search_text};

/// A stored dialogue or opinion as read for a decision.
#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: String,
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

/// One push being stored. Its records are read in one query per table for
/// the whole batch and kept here as changes apply to them; its writes wait
/// here too and go out as one multi-row statement per table at `commit`.
/// The clock's lock, taken first, keeps other pushes out meanwhile.
pub struct PushStore<'u> {
    pub tx: Transaction<'static, Any>,
    pub user: &'u CurrentUser,
    pub device: DeviceId,
    pub now: i64,
    access: HashMap<UnitCode, Access>,
    /// Records as they stand inside this push (None: not stored).
    records: HashMap<EntityKey, Option<StoredRecord>>,
    /// Records this push changed, written at `commit`, each with its
    /// document, made once (most often the very text its revision keeps).
    changed: BTreeMap<EntityKey, String>,
    revision_rows: Vec<PendingRevision>,
}

/// A revision waiting for `commit`.
struct PendingRevision {
    version: i64,
    key: EntityKey,
    dialogue_id: String,
    seq: i64,
    base_version: i64,
    outcome: Outcome,
    reason: Option<String>,
    data: String,
    client_time: i64,
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
        let mut tx = crate::db::begin_write(pool).await?;
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
            records: HashMap::new(),
            changed: BTreeMap::new(),
            revision_rows: Vec::new(),
        };
        Ok((store, top - count as i64 + 1, last_seq))
    }

    /// Reads every record of `changes`, and the dialogue of every opinion,
    /// that this push has not read yet: one query per table.
    pub async fn load(&mut self, changes: &[Change]) -> AppResult<()> {
        let mut wanted: BTreeSet<EntityKey> = BTreeSet::new();
        for change in changes {
            wanted.insert(change.entity.key());
            if let Entity::Opinion(o) = &change.entity {
                wanted.insert(dialogue_key(o.dialogue_id));
            }
        }
        wanted.retain(|k| !self.records.contains_key(k));
        for kind in [EntityKind::Dialogue, EntityKind::Opinion] {
            let ids: Vec<&str> = wanted
                .iter()
                .filter(|k| k.kind == kind)
                .map(|k| k.id.as_str())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let sql = match kind {
                EntityKind::Dialogue => "SELECT id, version, conflict, last_device, created_by, 0 AS protected, data FROM dialogues WHERE id IN ",
                EntityKind::Opinion => "SELECT id, version, conflict, last_device, created_by, protected, data FROM opinions WHERE id IN ",
            };
            let sql = format!(
                "{sql}({})",
                placeholders(Engine::of(&self.tx), 1, ids.len())
            );
            // Built from a fixed statement and placeholders only.
            let mut query = sqlx::query_as::<_, DecisionRow>(sqlx::AssertSqlSafe(sql));
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *self.tx).await? {
                let key = EntityKey {
                    kind,
                    id: row.id.clone(),
                };
                self.records.insert(key, Some(row.into_stored(kind)?));
            }
        }
        for key in wanted {
            self.records.entry(key).or_insert(None);
        }
        Ok(())
    }

    /// A record as it stands in this push.
    pub async fn record(&mut self, key: &EntityKey) -> AppResult<Option<StoredRecord>> {
        if !self.records.contains_key(key) {
            let sql = match key.kind {
                EntityKind::Dialogue => "SELECT id, version, conflict, last_device, created_by, 0 AS protected, data FROM dialogues WHERE id = $1",
                EntityKind::Opinion => "SELECT id, version, conflict, last_device, created_by, protected, data FROM opinions WHERE id = $1",
            };
            let row: Option<DecisionRow> = sqlx::query_as(sql)
                .bind(&key.id)
                .fetch_optional(&mut *self.tx)
                .await?;
            let stored = row.map(|r| r.into_stored(key.kind)).transpose()?;
            self.records.insert(key.clone(), stored);
        }
        Ok(self.records[key].clone())
    }

    /// The dialogue an opinion belongs to, as it stands in this push.
    async fn dialogue(&mut self, id: DialogueId) -> AppResult<Option<Dialogue>> {
        Ok(match self.record(&dialogue_key(id)).await? {
            Some(StoredRecord {
                entity: Entity::Dialogue(d),
                ..
            }) => Some(d),
            _ => None,
        })
    }

    /// Looks up the scope of each unit a decision may ask about.
    async fn resolve_access(&mut self, units: &[UnitCode]) -> AppResult<()> {
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
    fn access(&self, unit: &UnitCode) -> Access {
        self.access.get(unit).copied().unwrap_or(Access::Unknown)
    }

    /// Decides one fresh change on the records as they stand in this push
    /// (`shared::sync::apply::decide`), applies it at `version` and keeps
    /// its revision: the outcome, a refusal's reason, and the record as it
    /// stands after.
    pub async fn decide(
        &mut self,
        change: &Change,
        version: i64,
    ) -> AppResult<(Outcome, Option<DomainError>, Option<StoredRecord>)> {
        let stored = self.record(&change.entity.key()).await?;
        let dialogue = match &change.entity {
            Entity::Opinion(o) => self.dialogue(o.dialogue_id).await?,
            Entity::Dialogue(_) => None,
        };
        self.resolve_access(&Facts::units(change, stored.as_ref(), dialogue.as_ref()))
            .await?;
        let decision = decide(&Facts {
            user: &self.user.id,
            role: self.user.role,
            device: self.device,
            change,
            stored: stored.as_ref(),
            dialogue: dialogue.as_ref(),
            access: &|unit| self.access(unit),
        });
        let sent = entity_json(&change.entity);
        let (outcome, reason, current) = match decision {
            Decision::Apply(applied) => {
                let json = if applied.entity == change.entity {
                    sent.clone()
                } else {
                    entity_json(&applied.entity)
                };
                let written = self.write(&applied, stored.as_ref(), version, json);
                (applied.outcome(), None, Some(written))
            }
            Decision::Refuse(e) => (Outcome::Refused, Some(e), stored),
        };
        let detail = reason.as_ref().map(ErrorDetail::of);
        self.keep_revision(version, change, outcome, detail.as_ref(), sent);
        Ok((outcome, reason, current))
    }

    /// Makes an applied change the record's new state at `version`; `json`
    /// is its document.
    fn write(
        &mut self,
        applied: &Applied,
        stored: Option<&StoredRecord>,
        version: i64,
        json: String,
    ) -> StoredRecord {
        let written = StoredRecord {
            version,
            conflict: applied.concurrent || stored.is_some_and(|s| s.conflict),
            last_device: self.device,
            recorded_by: Some(applied.recorded_by),
            protected: applied.protected,
            entity: applied.entity.clone(),
        };
        let key = applied.entity.key();
        self.changed.insert(key.clone(), json);
        self.records.insert(key, Some(written.clone()));
        written
    }

    /// Keeps what the device sent (`sent`, its document), with the verdict
    /// it was given.
    fn keep_revision(
        &mut self,
        version: i64,
        change: &Change,
        outcome: Outcome,
        reason: Option<&ErrorDetail>,
        sent: String,
    ) {
        self.revision_rows.push(PendingRevision {
            version,
            key: change.entity.key(),
            dialogue_id: change.entity.dialogue_id().to_string(),
            seq: change.seq as i64,
            base_version: change.base_version,
            outcome,
            reason: reason.map(|r| serde_json::to_string(r).expect("serialises")),
            data: sent,
            client_time: change.client_time,
        });
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

    /// Writes what the push changed, moves the device's sequence number and
    /// commits.
    pub async fn commit(mut self, last_seq: u64) -> AppResult<()> {
        self.flush().await?;
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

    /// Writes what the push changed so far, in its transaction: what is
    /// stored beside a record (a plan entry) may then refer to it.
    pub async fn flush(&mut self) -> AppResult<()> {
        let (dialogues, opinions) = std::mem::take(&mut self.changed)
            .into_iter()
            .partition(|(key, _)| key.kind == EntityKind::Dialogue);
        self.write_records(EntityKind::Dialogue, dialogues).await?;
        self.write_records(EntityKind::Opinion, opinions).await?;
        self.write_revisions().await?;
        Ok(())
    }

    /// Every changed record of one table (`changed`, with their documents)
    /// in its last state, one statement. (Dialogues go first: an opinion's
    /// dialogue must exist.)
    async fn write_records(
        &mut self,
        kind: EntityKind,
        changed: Vec<(EntityKey, String)>,
    ) -> AppResult<()> {
        let records: Vec<(&StoredRecord, String)> = changed
            .into_iter()
            .filter_map(|(key, json)| Some((self.records[&key].as_ref()?, json)))
            .collect();
        if records.is_empty() {
            return Ok(());
        }
        // `conflict` is what this push read and added to; CASE keeps a flag
        // set by anything else meanwhile.
        let (columns, width, update) = match kind {
            EntityKind::Dialogue => (
                "dialogues (id, unit_code, kind, status, planned_at, data, search_text, version, conflict, last_device, created_by, first_received_at, updated_at)",
                13,
                "unit_code = excluded.unit_code, kind = excluded.kind, status = excluded.status, planned_at = excluded.planned_at, \
                 data = excluded.data, search_text = excluded.search_text, version = excluded.version, \
                 conflict = CASE WHEN excluded.conflict = 1 THEN 1 ELSE dialogues.conflict END, \
                 last_device = excluded.last_device, updated_at = excluded.updated_at",
            ),
            EntityKind::Opinion => (
                "opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted, created_by, protected)",
                11,
                "data = excluded.data, search_text = excluded.search_text, version = excluded.version, \
                 conflict = CASE WHEN excluded.conflict = 1 THEN 1 ELSE opinions.conflict END, \
                 last_device = excluded.last_device, updated_at = excluded.updated_at, deleted = excluded.deleted, protected = excluded.protected",
            ),
        };
        let sql = format!(
            "INSERT INTO {columns} VALUES {} ON CONFLICT (id) DO UPDATE SET {update}",
            rows_of(Engine::of(&self.tx), records.len(), width)
        );
        // Built from fixed clauses and placeholders only.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let device = self.device.to_string();
        for (r, json) in records {
            let recorded_by = r.recorded_by.map(|u| u.to_string());
            query = match &r.entity {
                Entity::Dialogue(d) => query
                    .bind(d.id.to_string())
                    .bind(d.unit_code.as_str().to_owned())
                    .bind(d.kind.as_str())
                    .bind(d.status.as_str())
                    .bind(d.planned_at.clone())
                    .bind(json)
                    .bind(dialogue_search_text(d))
                    .bind(r.version)
                    .bind(i64::from(r.conflict))
                    .bind(device.clone())
                    .bind(recorded_by)
                    .bind(self.now)
                    .bind(self.now),
                Entity::Opinion(o) => query
                    .bind(o.id.to_string())
                    .bind(o.dialogue_id.to_string())
                    .bind(json)
                    .bind(opinion_search_text(o, r.protected))
                    .bind(r.version)
                    .bind(i64::from(r.conflict))
                    .bind(device.clone())
                    .bind(self.now)
                    .bind(i64::from(o.deleted))
                    .bind(recorded_by)
                    .bind(i64::from(r.protected)),
            };
        }
        query.execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Every revision of the push, one statement. The unique
    /// `(device_id, seq)` stops a change being stored twice even by two
    /// pushes racing on two connections: the loser is asked to retry.
    async fn write_revisions(&mut self) -> AppResult<()> {
        let rows = std::mem::take(&mut self.revision_rows);
        if rows.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO revisions (version, entity_type, entity_id, dialogue_id, device_id, seq, user_id, base_version, outcome, reason, data, client_time, received_at) VALUES {}",
            rows_of(Engine::of(&self.tx), rows.len(), 13)
        );
        // Built from a fixed statement and placeholders only.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let (device, user) = (self.device.to_string(), self.user.id.to_string());
        for r in rows {
            query = query
                .bind(r.version)
                .bind(r.key.kind.as_str())
                .bind(r.key.id)
                .bind(r.dialogue_id)
                .bind(device.clone())
                .bind(r.seq)
                .bind(user.clone())
                .bind(r.base_version)
                .bind(r.outcome.as_str())
                .bind(r.reason)
                .bind(r.data)
                .bind(r.client_time)
                .bind(self.now);
        }
        query.execute(&mut *self.tx).await.map_err(|e| {
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
}

pub fn dialogue_key(id: DialogueId) -> EntityKey {
    EntityKey {
        kind: EntityKind::Dialogue,
        id: id.to_string(),
    }
}
