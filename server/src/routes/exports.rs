//! The lists staff work from, as CSV and XLSX with the filters on screen:
//! the review list's dialogues, the opinions with their follow-up state
//! (the board's filters), and the overdue list. A denouncer's name and
//! address are the protected label unless the exporting user handles the
//! item (`shared::user::handles_identity`); then the export is audited, in
//! the transaction that read it.

use axum::extract::State;
use axum::response::Response;
use shared::follow_up::Stage;
use shared::opinion::PROTECTED_NAME;
use shared::text::tag;
use shared::{Lang, OpinionKind, SubjectField};

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::error::AppResult;
use crate::export::{too_many_rows, Format, Table, MAX_ROWS};
use crate::routes::dialogues::{summaries, ListParams};
use crate::routes::follow_up::board::{filter, BoardParams, Filter};
use crate::routes::follow_up::items::{LineRow, LINE_COLUMNS, LINE_JOINS};
use crate::AppState;

fn kind(k: OpinionKind) -> &'static str {
    app::i18n::labels::opinion(k, Lang::Vi)
}

fn field(f: SubjectField) -> &'static str {
    app::i18n::labels::field(f, Lang::Vi)
}

fn date(d: chrono::NaiveDate) -> String {
    app::pages::follow_up::date(d)
}

async fn dialogues(
    state: AppState,
    user: CurrentUser,
    p: ListParams,
    format: Format,
) -> AppResult<Response> {
    let rows = summaries(&state, &user, p, MAX_ROWS + 1).await?;
    if rows.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    let table = Table {
        sheet: "Buổi đối thoại".into(),
        header: vec![
            ("Đơn vị", 28.0),
            ("Thời gian", 18.0),
            ("Hình thức", 18.0),
            ("Chủ đề", 48.0),
            ("Tình trạng", 16.0),
            ("Số ý kiến", 10.0),
            ("Người ghi", 24.0),
        ],
        rows: rows
            .into_iter()
            .map(|d| {
                vec![
                    d.unit_name.into(),
                    d.planned_at.replace('T', " ").into(),
                    app::i18n::labels::kind(d.kind, Lang::Vi).into(),
                    d.topic.into(),
                    app::i18n::labels::status(d.status, Lang::Vi).into(),
                    d.opinions.into(),
                    d.recorded_by.into(),
                ]
            })
            .collect(),
    };
    table.download("buoi-doi-thoai", format)
}

/// `GET /api/exports/dialogues.csv` with the review list's filters.
pub async fn dialogues_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ListParams>,
) -> AppResult<Response> {
    dialogues(state, user, p, Format::Csv).await
}

/// `GET /api/exports/dialogues.xlsx` with the review list's filters.
pub async fn dialogues_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ListParams>,
) -> AppResult<Response> {
    dialogues(state, user, p, Format::Xlsx).await
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    #[sqlx(flatten)]
    line: LineRow,
    protected: i64,
}

/// Which items: all that match the filters, or those overdue among them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    All,
    Overdue,
}

async fn items(
    state: AppState,
    user: CurrentUser,
    p: BoardParams,
    which: Which,
    format: Format,
) -> AppResult<Response> {
    let today = state.config.clock.today();
    let Filter { sql, mut binds, .. } = filter(&state, &user, p).await?;
    let mut sql =
        format!("SELECT {LINE_COLUMNS}, o.protected FROM follow_items i {LINE_JOINS} WHERE {sql}");
    if which == Which::Overdue {
        binds.extend([tag(&Stage::Assigned), today.to_string()]);
        sql.push_str(&format!(
            " AND i.stage = ${} AND i.due < ${}",
            binds.len() - 1,
            binds.len()
        ));
    }
    sql.push_str(&format!(
        " ORDER BY i.due, i.opinion_id LIMIT {}",
        MAX_ROWS + 1
    ));
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let mut query = sqlx::query_as::<_, ItemRow>(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(&mut *tx).await?;
    if rows.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    let mut named = Vec::new();
    let mut table = Table {
        sheet: match which {
            Which::All => "Ý kiến",
            Which::Overdue => "Quá hạn",
        }
        .into(),
        header: vec![
            ("Đơn vị", 24.0),
            ("Loại", 12.0),
            ("Lĩnh vực", 18.0),
            ("Người nêu", 24.0),
            ("Địa chỉ", 24.0),
            ("Nội dung", 60.0),
            ("Cơ quan giải quyết", 28.0),
            ("Tình trạng", 14.0),
            ("Hạn trả lời", 12.0),
            ("Ngày trả lời", 12.0),
            ("Đã chuyển", 10.0),
            ("Số ngày quá hạn", 10.0),
        ],
        rows: Vec::with_capacity(rows.len()),
    };
    for row in rows {
        let (line, opinion) = row.line.into_parts(today)?;
        let protected = row.protected != 0 || opinion.is_denunciation();
        let handles =
            shared::user::handles_identity(user.role, user.agency_id.as_ref(), &line.agency_id);
        let (speaker, address) = match (protected, handles) {
            (true, false) => (PROTECTED_NAME.to_owned(), String::new()),
            (true, true) => {
                named.push(line.opinion_id.to_string());
                (opinion.speaker_name, opinion.speaker_address)
            }
            (false, _) => (opinion.speaker_name, opinion.speaker_address),
        };
        table.rows.push(vec![
            line.unit_name.into(),
            kind(line.kind).into(),
            field(line.field).into(),
            speaker.into(),
            address.into(),
            opinion.content.into(),
            line.agency_name.into(),
            app::pages::follow_up::stage(line.stage, Lang::Vi).into(),
            date(line.due).into(),
            line.replied_on.map(date).into(),
            (if line.forwarded { "Có" } else { "" }).into(),
            line.days_left.filter(|d| *d < 0).map(|d| -d).into(),
        ]);
    }
    crate::audit::record_identity_access(&mut tx, &user, "export", &named).await?;
    tx.commit().await?;
    let name = match which {
        Which::All => format!("y-kien-{today}"),
        Which::Overdue => format!("qua-han-{today}"),
    };
    table.download(&name, format)
}

/// `GET /api/exports/items.csv` with the board's filters.
pub async fn items_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Response> {
    items(state, user, p, Which::All, Format::Csv).await
}

/// `GET /api/exports/items.xlsx` with the board's filters.
pub async fn items_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Response> {
    items(state, user, p, Which::All, Format::Xlsx).await
}

/// `GET /api/exports/overdue.csv` with the board's filters.
pub async fn overdue_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Response> {
    items(state, user, p, Which::Overdue, Format::Csv).await
}

/// `GET /api/exports/overdue.xlsx` with the board's filters.
pub async fn overdue_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Response> {
    items(state, user, p, Which::Overdue, Format::Xlsx).await
}
