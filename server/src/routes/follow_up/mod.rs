//! Follow-up after the meeting (issue 11): the conclusion notice of a
//! dialogue, then each assigned opinion's life as events, an agency's list
//! and the overdue board. Staff (`reviewer`) act on the units in their
//! scope, a `handler` on its agency's items, an `observer` only reads; a
//! denouncer's identity reaches only those who handle the item, and each
//! such read is audited in its transaction.

pub mod board;
pub mod items;
pub mod notice;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::StatusCode;
use chrono::NaiveDate;
use shared::admin::Agency;
use shared::follow_up::api::OpinionLine;
use shared::follow_up::{FollowUpError, Item};
use shared::{AgencyId, Dialogue, DialogueId, Opinion, UnitCode};
use sqlx::AnyConnection;

use crate::auth::CurrentUser;
use crate::error::{parse_stored, parse_tag, AppError, AppResult};
use crate::routes::agencies::AgencyRow;

impl From<FollowUpError> for AppError {
    fn from(e: FollowUpError) -> Self {
        AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.code(),
            e.message_vi(),
            e.to_string(),
        )
    }
}

/// A dialogue as follow-up reads it.
pub struct ScopedDialogue {
    pub id: DialogueId,
    pub dialogue: Dialogue,
    pub unit_name: String,
    /// The province the unit is in (itself for a province).
    pub province: UnitCode,
}

#[derive(sqlx::FromRow)]
struct ScopedRow {
    data: String,
    unit_name: String,
    unit_code: String,
    parent_code: Option<String>,
}

/// The dialogue of the path, if it is in the user's scope; any other id,
/// malformed or unknown or out of scope, is 404 (no probing).
pub async fn dialogue_in_scope(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<ScopedDialogue> {
    let Ok(Path(id)) = id else {
        return Err(AppError::not_found());
    };
    let id = DialogueId::parse(&id).map_err(|_| AppError::not_found())?;
    let row: ScopedRow = sqlx::query_as(
        "SELECT d.data, u.name AS unit_name, u.code AS unit_code, u.parent_code \
         FROM dialogues d JOIN units u ON u.code = d.unit_code \
         WHERE d.id = $1 AND ($2 = '*' OR d.unit_code = $2 OR u.parent_code = $2)",
    )
    .bind(id.to_string())
    .bind(user.scope_param())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    let province = row.parent_code.unwrap_or(row.unit_code);
    Ok(ScopedDialogue {
        id,
        dialogue: parse_stored(&row.data)?,
        unit_name: row.unit_name,
        province: UnitCode::parse(&province)
            .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?,
    })
}

impl ScopedDialogue {
    /// The minutes are finalised, else `422 not_finalised` saying what waits
    /// for them (`vi`, `en`).
    pub fn ensure_finalised(&self, vi: &str, en: &str) -> AppResult<()> {
        if self.dialogue.status == shared::DialogueStatus::Finalised {
            return Ok(());
        }
        Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_finalised",
            format!("Biên bản chưa hoàn thành, {vi}"),
            format!("The minutes are not finalised: {en}"),
        ))
    }
}

/// The agencies an item of a dialogue of `unit` may go to: its unit's and its
/// province's, in name order.
pub async fn agencies_for(
    conn: &mut AnyConnection,
    unit: &UnitCode,
    province: &UnitCode,
) -> AppResult<Vec<Agency>> {
    let rows: Vec<AgencyRow> = sqlx::query_as(
        "SELECT id, unit_code, name FROM agencies WHERE unit_code = $1 OR unit_code = $2 \
         ORDER BY CASE WHEN unit_code = $1 THEN 0 ELSE 1 END, name_folded, id",
    )
    .bind(unit.as_str())
    .bind(province.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(AgencyRow::into_agency).collect()
}

/// The columns of `follow_items` (as `i`) that hold an item's state: what
/// [`Item`] derives from its events, kept so lists and counts read rows
/// instead of histories.
pub const ITEM_STATE: &str =
    "i.opinion_id, i.dialogue_id, i.agency_id, i.stage, i.first_due, i.due, i.replied_on, i.forwarded";

/// A row of [`ITEM_STATE`].
#[derive(sqlx::FromRow)]
pub struct ItemStateRow {
    pub opinion_id: String,
    pub dialogue_id: String,
    pub agency_id: String,
    stage: String,
    first_due: String,
    due: String,
    replied_on: Option<String>,
    forwarded: i64,
}

impl ItemStateRow {
    /// [`ITEM_STATE`] packed ([`crate::packed`]), for reads of a province's
    /// year; [`ItemStateRow::unpacked`] reads it back.
    pub fn packed() -> String {
        crate::packed::select(&[
            "i.opinion_id",
            "i.dialogue_id",
            "i.agency_id",
            "i.stage",
            "i.first_due",
            "i.due",
            "COALESCE(i.replied_on, '')",
            "i.forwarded",
        ])
    }

    pub fn unpacked(
        [opinion_id, dialogue_id, agency_id, stage, first_due, due, replied_on, forwarded]: [&str;
            8],
    ) -> AppResult<Self> {
        Ok(Self {
            opinion_id: opinion_id.to_owned(),
            dialogue_id: dialogue_id.to_owned(),
            agency_id: agency_id.to_owned(),
            stage: stage.to_owned(),
            first_due: first_due.to_owned(),
            due: due.to_owned(),
            replied_on: Some(replied_on.to_owned()).filter(|d| !d.is_empty()),
            forwarded: forwarded
                .parse()
                .map_err(|_| AppError::Corrupt("a stored item flag is not a number"))?,
        })
    }

    /// The item's state as the rules read it.
    pub fn item(&self) -> AppResult<Item> {
        let date = |text: &str| {
            text.parse::<NaiveDate>()
                .map_err(|_| AppError::Corrupt("a stored item date is not a date"))
        };
        Ok(Item {
            stage: parse_tag(&self.stage)?,
            agency: Some(
                AgencyId::parse(&self.agency_id)
                    .map_err(|_| AppError::Corrupt("a stored agency id is malformed"))?,
            ),
            first_due: Some(date(&self.first_due)?),
            due: Some(date(&self.due)?),
            replied_on: self.replied_on.as_deref().map(date).transpose()?,
            forwarded: self.forwarded != 0,
            ..Item::default()
        })
    }
}

/// A stored opinion and whether it is, or ever was, a denunciation.
pub struct StoredOpinion {
    pub opinion: Opinion,
    pub protected: bool,
}

#[derive(sqlx::FromRow)]
struct OpinionRow {
    data: String,
    protected: i64,
}

/// The opinions of a dialogue still in the minutes, in their order.
pub async fn opinions_of(
    conn: &mut AnyConnection,
    dialogue: &DialogueId,
) -> AppResult<Vec<StoredOpinion>> {
    let rows: Vec<OpinionRow> = sqlx::query_as(
        "SELECT data, protected FROM opinions WHERE dialogue_id = $1 AND deleted = 0",
    )
    .bind(dialogue.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut opinions = rows
        .into_iter()
        .map(|r| {
            Ok(StoredOpinion {
                opinion: parse_stored(&r.data)?,
                protected: r.protected != 0,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    opinions.sort_by_key(|o| (o.opinion.position, o.opinion.id));
    Ok(opinions)
}

impl StoredOpinion {
    pub fn is_protected(&self) -> bool {
        self.protected || self.opinion.is_denunciation()
    }

    /// The line a reader sees; `handles` from
    /// [`shared::user::handles_identity`].
    pub fn line(&self, handles: bool) -> OpinionLine {
        let o = self.opinion.clone().as_seen(self.protected, handles);
        OpinionLine {
            id: o.id,
            position: o.position,
            kind: o.kind,
            field: o.field,
            speaker: o.speaker_name,
            content: o.content,
            answer: o.answer,
            proposed_agency: o.follow_up.proposed_agency,
        }
    }
}

/// Records, in the reading transaction, that `user` received the identity
/// behind every protected opinion of `shown` it was shown unmasked.
pub async fn audit_identities<'o>(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    shown: impl IntoIterator<Item = (&'o StoredOpinion, bool)>,
) -> AppResult<()> {
    let ids: Vec<String> = shown
        .into_iter()
        .filter(|(o, handles)| *handles && o.is_protected())
        .map(|(o, _)| o.opinion.id.to_string())
        .collect();
    crate::audit::record_identity_access(conn, user, "follow_up", &ids).await?;
    Ok(())
}
