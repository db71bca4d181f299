//! Photos of the signed pages and audio notes of a dialogue: declared, then
//! sent in chunks at the offset the server has reached, so an upload cut
//! half-way (a dropped link, a killed server) resumes where it stopped and
//! never stores a byte twice; complete once every byte is there and the
//! whole matches its SHA-256. Read back by those who read the minutes, each
//! read audited: a signed page names the people who signed it.

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shared::attachment::{AttachmentStatus, NewAttachment, CHUNK_MAX, PER_DIALOGUE_MAX};
use shared::{DialogueId, Role, UserId};
use sqlx::AnyConnection;

use crate::auth::CurrentUser;
use crate::body::JsonBody;
use crate::db::now_ms;
use crate::error::{parse_tag, AppError, AppResult};
use crate::routes::follow_up::dialogue_in_scope;
use crate::routes::path_uuid;
use crate::AppState;

const COLUMNS: &str = "id, dialogue_id, kind, media_type, size, sha256, received, complete";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    dialogue_id: String,
    kind: String,
    media_type: String,
    size: i64,
    sha256: String,
    received: i64,
    complete: i64,
}

impl Row {
    fn status(&self) -> AppResult<AttachmentStatus> {
        Ok(AttachmentStatus {
            id: self.id.clone(),
            dialogue_id: DialogueId::parse(&self.dialogue_id)
                .map_err(|_| AppError::Corrupt("a stored dialogue id is malformed"))?,
            kind: parse_tag(&self.kind)?,
            media_type: self.media_type.clone(),
            size: self.size as u64,
            sha256: self.sha256.clone(),
            received: self.received as u64,
            complete: self.complete != 0,
        })
    }
}

/// Who sees the attachments: who records or reads the minutes.
fn reads_minutes(role: Role) -> bool {
    role.can_capture() || role.can_review()
}

/// The attachment, if its dialogue is in the user's scope; else 404.
async fn row_in_scope(conn: &mut AnyConnection, user: &CurrentUser, id: &str) -> AppResult<Row> {
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    dialogue_in_scope(conn, user, Ok(Path(row.dialogue_id.clone()))).await?;
    Ok(row)
}

/// `PUT /api/attachments/{id}`: the tablet declares a file (its id is the
/// tablet's). Declaring it again with the same facts answers how much
/// arrived; with other facts, 409.
pub async fn declare(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(new): JsonBody<NewAttachment>,
) -> AppResult<Response> {
    user.require(Role::can_capture)?;
    let id = path_uuid(id)?;
    new.validate()?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let dialogue = new.dialogue_id.to_string();
    dialogue_in_scope(&mut tx, &user, Ok(Path(dialogue.clone()))).await?;
    let kind = shared::text::tag(&new.kind);
    if let Some(row) = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE id = $1"
    )))
    .bind(&id)
    .fetch_optional(&mut *tx)
    .await?
    {
        let same = (
            &row.dialogue_id,
            &row.kind,
            &row.media_type,
            row.size,
            &row.sha256,
        ) == (
            &dialogue,
            &kind,
            &new.media_type,
            new.size as i64,
            &new.sha256,
        );
        if !same {
            return Err(AppError::client(
                StatusCode::CONFLICT,
                "attachment_conflict",
                "Tệp đính kèm này đã được khai báo với nội dung khác",
                "This attachment was declared with other facts",
            ));
        }
        return Ok(Json(row.status()?).into_response());
    }
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM attachments WHERE dialogue_id = $1")
            .bind(&dialogue)
            .fetch_one(&mut *tx)
            .await?;
    if count >= PER_DIALOGUE_MAX {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_attachments",
            format!("Mỗi buổi đối thoại đính kèm tối đa {PER_DIALOGUE_MAX} tệp"),
            format!("A dialogue holds at most {PER_DIALOGUE_MAX} attachments"),
        ));
    }
    sqlx::query(
        "INSERT INTO attachments (id, dialogue_id, kind, media_type, size, sha256, received, \
         complete, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, $8)",
    )
    .bind(&id)
    .bind(&dialogue)
    .bind(&kind)
    .bind(&new.media_type)
    .bind(new.size as i64)
    .bind(&new.sha256)
    .bind(user.id.to_string())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let status = AttachmentStatus {
        id,
        dialogue_id: new.dialogue_id,
        kind: new.kind,
        media_type: new.media_type,
        size: new.size,
        sha256: new.sha256,
        received: 0,
        complete: false,
    };
    Ok((StatusCode::CREATED, Json(status)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChunkParams {
    /// Where these bytes start: must be what the server has received.
    pub offset: u64,
}

/// `PUT /api/attachments/{id}/bytes?offset=N` (`application/octet-stream`,
/// at most `CHUNK_MAX` bytes): the next chunk. At another offset, 409
/// `stale` with what the server holds in `current`, nothing stored.
/// The last chunk is checked with the whole file's SHA-256: a mismatch
/// drops every byte (422 `checksum_mismatch`), to be sent again.
pub async fn chunk(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    Query(at): Query<ChunkParams>,
    body: Body,
) -> AppResult<Json<AttachmentStatus>> {
    user.require(Role::can_capture)?;
    let id = path_uuid(id)?;
    let bytes: Bytes = axum::body::to_bytes(body, CHUNK_MAX)
        .await
        .map_err(|_| AppError::too_large())?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // Two uploads of one file (two tabs, a retry racing its original):
    // the row is locked first, so the second sees the first's offset.
    sqlx::query("UPDATE attachments SET received = received WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let row = row_in_scope(&mut tx, &user, &id).await?;
    if row.complete != 0 {
        return Ok(Json(row.status()?));
    }
    if at.offset != row.received as u64 {
        // The server holds more (or less) than the tablet thought: 409
        // with where it stands, to resume from there.
        return Err(AppError::Stale(
            serde_json::to_value(row.status()?).expect("serialises"),
        ));
    }
    if bytes.is_empty() || at.offset + bytes.len() as u64 > row.size as u64 {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "out_of_range",
            "Phần tệp gửi lên vượt quá kích thước đã khai báo",
            "The bytes go past the declared size",
        ));
    }
    sqlx::query("INSERT INTO attachment_chunks (attachment_id, at_byte, data) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(at.offset as i64)
        .bind(bytes.to_vec())
        .execute(&mut *tx)
        .await?;
    let received = row.received + bytes.len() as i64;
    let complete = received == row.size;
    if complete && hex::encode(file_hash(&mut tx, &id).await?) != row.sha256 {
        sqlx::query("DELETE FROM attachment_chunks WHERE attachment_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE attachments SET received = 0 WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "checksum_mismatch",
            "Tệp nhận được không khớp mã kiểm tra: cần gửi lại từ đầu",
            "The file received does not match its checksum: send it again from the start",
        ));
    }
    sqlx::query("UPDATE attachments SET received = $1, complete = $2 WHERE id = $3")
        .bind(received)
        .bind(complete as i64)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(AttachmentStatus {
        received: received as u64,
        complete,
        ..row.status()?
    }))
}

/// The chunks of a file in order.
async fn chunks(conn: &mut AnyConnection, id: &str) -> AppResult<Vec<Vec<u8>>> {
    let rows: Vec<(Vec<u8>,)> = sqlx::query_as(
        "SELECT data FROM attachment_chunks WHERE attachment_id = $1 ORDER BY at_byte",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(data,)| data).collect())
}

async fn file_hash(conn: &mut AnyConnection, id: &str) -> AppResult<Vec<u8>> {
    let mut hash = Sha256::new();
    for chunk in chunks(conn, id).await? {
        hash.update(&chunk);
    }
    Ok(hash.finalize().to_vec())
}

/// `GET /api/attachments/{id}`: what the server holds (where to resume).
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<AttachmentStatus>> {
    user.require(reads_minutes)?;
    let id = path_uuid(id)?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(row_in_scope(&mut conn, &user, &id).await?.status()?))
}

/// `GET /api/dialogues/{id}/attachments`: the complete ones, oldest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<Vec<AttachmentStatus>>> {
    user.require(reads_minutes)?;
    let mut conn = state.pool.acquire().await?;
    let d = dialogue_in_scope(&mut conn, &user, id).await?;
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM attachments WHERE dialogue_id = $1 AND complete = 1 \
         ORDER BY created_at, id"
    )))
    .bind(d.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(Row::status)
        .collect::<AppResult<_>>()
        .map(Json)
}

/// `GET /api/attachments/{id}/file`: the file, once complete, to those who
/// read the minutes; the read audited in its transaction.
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    user.require(reads_minutes)?;
    let id = path_uuid(id)?;
    // A writer from the start (`begin_write`): the audit row is written
    // after the reads, in the same transaction.
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let row = row_in_scope(&mut tx, &user, &id).await?;
    if row.complete == 0 {
        return Err(AppError::not_found());
    }
    sqlx::query(
        "INSERT INTO audit_log (id, at, user_id, action, target) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(UserId::new().to_string())
    .bind(now_ms())
    .bind(user.id.to_string())
    .bind("attachment_read")
    .bind(format!("attachment:{id}"))
    .execute(&mut *tx)
    .await?;
    let bytes = chunks(&mut tx, &id).await?.concat();
    tx.commit().await?;
    let media = HeaderValue::from_str(&row.media_type)
        .map_err(|_| AppError::Corrupt("a stored media type is malformed"))?;
    Ok((
        [
            (CONTENT_TYPE, media),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}
