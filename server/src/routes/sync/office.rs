//! A change the office makes from the server to a record the tablets hold
//! (a planned dialogue of the annual plan). It is stored as a push of one
//! change from the office user's own device: the same rules
//! (`shared::sync::apply`), the same version clock and the same kept
//! revisions as a tablet's, so the ordinary pull carries it to the unit's
//! secretaries exactly once, and a secretary's later change meets it as it
//! would meet another tablet's.

use shared::sync::apply::StoredRecord;
use shared::sync::{Change, Entity, Outcome};
use shared::{DeviceId, Dialogue, DialogueId, Role};
use sqlx::AnyConnection;

use super::store::{dialogue_key, PushStore};
use crate::auth::CurrentUser;
use crate::db::{now_ms, Pool};
use crate::error::{AppError, AppResult};

/// One office change in its transaction: open, read, write once, commit.
pub struct OfficeWrite<'u> {
    store: PushStore<'u>,
    seq: u64,
    version: i64,
}

impl<'u> OfficeWrite<'u> {
    /// Opens the change: the clock's lock first, as every push.
    pub async fn open(pool: &Pool, user: &'u CurrentUser) -> AppResult<Self> {
        let device = office_device(pool, user).await?;
        let (store, version, last_seq) = PushStore::open(pool, user, device, 1, now_ms()).await?;
        Ok(Self {
            store,
            seq: last_seq + 1,
            version,
        })
    }

    /// The transaction, for what the office stores beside the record.
    pub fn tx(&mut self) -> &mut AnyConnection {
        &mut self.store.tx
    }

    /// The dialogue as stored now.
    pub async fn stored(&mut self, id: DialogueId) -> AppResult<Option<StoredRecord>> {
        self.store.record(&dialogue_key(id)).await
    }

    /// Whether a secretary's device made the record's last change: the
    /// minutes are being recorded, and are theirs.
    pub async fn touched_by_secretary(&mut self, record: &StoredRecord) -> AppResult<bool> {
        let owner: Option<(String,)> = sqlx::query_as(
            "SELECT u.role FROM devices v JOIN users u ON u.id = v.user_id WHERE v.device_id = $1",
        )
        .bind(record.last_device.to_string())
        .fetch_optional(&mut *self.store.tx)
        .await?;
        Ok(owner.is_none_or(|(role,)| role == Role::Secretary.as_str()))
    }

    /// Stores `dialogue` as changed from `base_version` (0: new), in the
    /// transaction; the domain's refusal, if any, is the answer.
    pub async fn write(
        &mut self,
        dialogue: Dialogue,
        base_version: i64,
    ) -> AppResult<StoredRecord> {
        let change = Change {
            seq: self.seq,
            base_version,
            client_time: self.store.now,
            entity: Entity::Dialogue(dialogue),
        };
        let (outcome, refusal, current) = self.store.decide(&change, self.version).await?;
        match (outcome, refusal, current) {
            (_, Some(refused), _) => Err(AppError::Domain(refused)),
            (Outcome::Refused, None, _) | (_, _, None) => Err(AppError::Corrupt(
                "an office change was neither stored nor refused",
            )),
            (_, None, Some(written)) => {
                self.store.flush().await?;
                Ok(written)
            }
        }
    }

    pub async fn commit(self) -> AppResult<()> {
        self.store.commit(self.seq).await
    }
}

/// The device the office user's changes are stored from: theirs, made on
/// their first change. (Office roles never push from a tablet.)
async fn office_device(pool: &Pool, user: &CurrentUser) -> AppResult<DeviceId> {
    let known: Option<(String,)> = sqlx::query_as(
        "SELECT device_id FROM devices WHERE user_id = $1 ORDER BY device_id LIMIT 1",
    )
    .bind(user.id.to_string())
    .fetch_optional(pool)
    .await?;
    match known {
        Some((id,)) => {
            DeviceId::parse(&id).map_err(|_| AppError::Corrupt("a stored device id is not a UUID"))
        }
        None => Ok(DeviceId::new()),
    }
}
