//! Sync endpoints. Push gives every change its own verdict and stores the
//! batch in one transaction together with the device's last sequence
//! number; pull pages through records by the server's version cursor. The
//! rules are `shared::sync::apply`'s; these handlers load, call and store.

mod office;
mod store;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use shared::sync::apply::{plan_push, verdict, StoredRecord};
use shared::sync::{
    PullResponse, PushError, PushRequest, PushResponse, Verdict, Versioned, MAX_BATCH_CHANGES,
    PULL_PAGE,
};
use shared::user::sees_identity;
use shared::{Dialogue, ErrorDetail, Opinion, Role, UserId};

use crate::auth::CurrentUser;
use crate::body::{JsonBody, Params};
use crate::db::now_ms;
use crate::error::{parse_stored, AppError, AppResult};
use crate::AppState;
use store::PushStore;

pub use office::OfficeWrite;
pub use store::parse_entity;

/// Pushes one instance lets into the database at once; the rest wait here,
/// in a fair queue holding no connection. Pushes take turns on the clock's
/// lock anyway: a long queue of transactions waiting on that row inside
/// PostgreSQL made two instances' push p99 about 400 ms where this gate
/// keeps it under 100 ms (BENCHMARKS.md, `--bench load`).
pub const PUSHES_AT_ONCE: usize = 4;

impl From<PushError> for AppError {
    fn from(e: PushError) -> Self {
        match e {
            PushError::TooManyChanges => AppError::client(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_changes",
                format!("Mỗi lần đồng bộ tối đa {MAX_BATCH_CHANGES} thay đổi"),
                format!("At most {MAX_BATCH_CHANGES} changes per push"),
            ),
            PushError::BadSequence => AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_sequence",
                "Số thứ tự thay đổi không liên tục",
                "Change sequence numbers must start at 1 and increase by one",
            ),
            PushError::Gap { first, last_seq } => AppError::client(
                StatusCode::CONFLICT,
                "out_of_order",
                format!("Thiếu thay đổi trước số {first}; máy chủ đã nhận đến số {last_seq}"),
                format!("Changes before {first} are missing; the server has up to {last_seq}"),
            ),
        }
    }
}

pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    user.require(Role::can_capture)?;
    // Checked before the clock's lock is taken: nothing to wait for.
    plan_push(u64::MAX, &req)?;
    let _turn = state.push_gate.acquire().await.expect("never closed");
    let (mut store, mut version, last_seq) = PushStore::open(
        &state.pool,
        &user,
        req.device_id,
        req.changes.len(),
        now_ms(),
    )
    .await?;
    let plan = plan_push(last_seq, &req)?;
    let mut verdicts = Vec::with_capacity(req.changes.len());
    // A verdict that sends a denouncer's identity back is an access too.
    let mut identities_shown = Vec::new();
    let mut answer = |v: Verdict, current: Option<StoredRecord>| {
        if let Some(c) = current.filter(|c| c.shows_identity_to(&user.id, user.role)) {
            if v.current.is_some() {
                identities_shown.push(c.entity.key().id);
            }
        }
        verdicts.push(v);
    };
    if let (Some(first), Some(last)) = (plan.stored.first(), plan.stored.last()) {
        // A replay, or a retry after a lost answer: the same verdicts again,
        // with each record as it stands now.
        let kept = store.revisions(first.seq, last.seq).await?;
        for change in plan.stored {
            let rev = kept
                .iter()
                .find(|r| r.seq as u64 == change.seq)
                .ok_or(AppError::Corrupt("a stored change has no revision"))?;
            let current = store.record(&rev.key()).await?;
            let seen = current.as_ref().map(|c| c.as_seen_by(&user.id, user.role));
            answer(verdict(change, rev.outcome(), rev.reason(), seen), current);
        }
    }
    store.load(plan.fresh).await?;
    for change in plan.fresh {
        let (outcome, refusal, current) = store.decide(change, version).await?;
        let reason = refusal.as_ref().map(ErrorDetail::of);
        version += 1;
        let seen = current.as_ref().map(|c| c.as_seen_by(&user.id, user.role));
        answer(verdict(change, outcome, reason, seen), current);
    }
    let new_last = plan.fresh.last().map_or(last_seq, |c| c.seq);
    crate::audit::record_identity_access(&mut store.tx, &user, "push", &identities_shown).await?;
    store.commit(new_last).await?;
    Ok(Json(PushResponse {
        last_seq: new_last,
        verdicts,
    }))
}

#[derive(Deserialize)]
pub struct PullParams {
    #[serde(default)]
    pub since: i64,
    /// The pulling device: records it changed last are not sent back.
    #[serde(default)]
    pub device: Option<shared::DeviceId>,
}

/// A stored record as pulls and the review screens read it.
#[derive(sqlx::FromRow)]
pub struct RecordRow {
    pub data: String,
    pub version: i64,
    pub conflict: i64,
    pub created_by: Option<String>,
    /// Always 0 for a dialogue.
    pub protected: i64,
}

/// Records in the user's scope changed after `since`, oldest first, each as
/// this user may see it: a denouncer's identity only for whoever recorded it.
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
    // One transaction: the audit rows of the identities this pull delivers
    // are written with the read that delivers them.
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (clock,): (i64,) = sqlx::query_as("SELECT version FROM sync_clock WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let window = PullWindow {
        since: params.since,
        clock,
        limit,
        scope: &scope,
        device: &device,
    };
    let dialogue_rows = window
        .fetch(
            &mut tx,
            "SELECT d.data, d.version, d.conflict, d.created_by, 0 AS protected FROM dialogues d JOIN units u ON u.code = d.unit_code \
             WHERE d.version > $1 AND d.version <= $4 AND d.last_device <> $5 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2) \
             ORDER BY d.version LIMIT $3",
        )
        .await?;
    let opinion_rows = window
        .fetch(
            &mut tx,
            "SELECT o.data, o.version, o.conflict, o.created_by, o.protected FROM opinions o JOIN dialogues d ON d.id = o.dialogue_id JOIN units u ON u.code = d.unit_code \
             WHERE o.version > $1 AND o.version <= $4 AND o.last_device <> $5 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2) \
             ORDER BY o.version LIMIT $3",
        )
        .await?;
    // Each list is read one row past a page. Where one has more, stop at
    // the lower of those lists' last versions in the page, so nothing
    // between the two is skipped, and say more exists: `has_more` is never
    // true of a last page, which would cost the device an empty request.
    let full_last =
        |rows: &[RecordRow]| (rows.len() as i64 > limit).then(|| rows[limit as usize - 1].version);
    let cut = [full_last(&dialogue_rows), full_last(&opinion_rows)]
        .into_iter()
        .flatten()
        .min();
    let kept = |rows: Vec<RecordRow>| {
        rows.into_iter()
            .filter(move |r| cut.is_none_or(|c| r.version <= c))
    };
    let mut dialogues: Vec<Versioned<Dialogue>> = Vec::new();
    for row in kept(dialogue_rows) {
        let item: Dialogue = parse_stored(&row.data)?;
        dialogues.push(Versioned {
            version: row.version,
            conflict: row.conflict != 0,
            item,
        });
    }
    let mut opinions: Vec<Versioned<Opinion>> = Vec::new();
    let mut identities_shown = Vec::new();
    for row in kept(opinion_rows) {
        let recorded_by = row
            .created_by
            .as_deref()
            .and_then(|u| UserId::parse(u).ok());
        let sees = sees_identity(&user.id, user.role, recorded_by.as_ref());
        let opinion: Opinion = parse_stored(&row.data)?;
        let protected = row.protected != 0 || opinion.is_denunciation();
        if protected && sees {
            identities_shown.push(opinion.id.to_string());
        }
        opinions.push(Versioned {
            version: row.version,
            conflict: row.conflict != 0,
            item: opinion.as_seen(protected, sees),
        });
    }
    let cursor = cut.unwrap_or(clock).max(params.since);
    crate::audit::record_identity_access(&mut tx, &user, "pull", &identities_shown).await?;
    tx.commit().await?;
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
    async fn fetch(
        &self,
        conn: &mut sqlx::AnyConnection,
        sql: &'static str,
    ) -> AppResult<Vec<RecordRow>> {
        Ok(sqlx::query_as(sql)
            .bind(self.since)
            .bind(self.scope)
            .bind(self.limit + 1)
            .bind(self.clock)
            .bind(self.device)
            .fetch_all(conn)
            .await?)
    }
}
