//! The overdue board: per unit and per agency, how many items are overdue,
//! due within a week, awaiting a reply, replied on time or late, and
//! forwarded; and the items awaiting a reply, the most urgent first.
//! Counted in the database over the item rows' state columns.

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use shared::follow_up::api::{Board, BoardRow, Counts};
use shared::follow_up::{Stage, DUE_SOON_DAYS};
use shared::text::{check_text, fold};
use shared::{AgencyId, OpinionKind, Role, SubjectField, UnitCode};

use super::items::{tag, LineRow, LINE_COLUMNS, LINE_JOINS};
use crate::auth::CurrentUser;
use crate::body::Params;
use crate::error::AppResult;
use crate::search::like_pattern;
use crate::AppState;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BoardParams {
    pub unit: Option<UnitCode>,
    pub agency: Option<AgencyId>,
    pub kind: Option<OpinionKind>,
    pub field: Option<SubjectField>,
    /// Items assigned from this day on…
    pub from: Option<NaiveDate>,
    /// …to this day.
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
}

/// Items listed on the board.
const BOARD_ITEMS: usize = 200;

#[derive(sqlx::FromRow)]
struct CountRow {
    key: String,
    name: String,
    overdue: i64,
    due_soon: i64,
    open: i64,
    replied_on_time: i64,
    replied_late: i64,
    replied_on_first_due: i64,
    forwarded: i64,
    total: i64,
}

impl CountRow {
    fn into_row(self) -> BoardRow {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        BoardRow {
            key: self.key,
            name: self.name,
            counts: Counts {
                overdue: n(self.overdue),
                due_soon: n(self.due_soon),
                open: n(self.open),
                replied_on_time: n(self.replied_on_time),
                replied_late: n(self.replied_late),
                replied_on_first_due: n(self.replied_on_first_due),
                forwarded: n(self.forwarded),
                total: n(self.total),
            },
        }
    }
}

fn add(counts: &mut Counts, row: &Counts) {
    counts.overdue += row.overdue;
    counts.due_soon += row.due_soon;
    counts.open += row.open;
    counts.replied_on_time += row.replied_on_time;
    counts.replied_late += row.replied_late;
    counts.replied_on_first_due += row.replied_on_first_due;
    counts.forwarded += row.forwarded;
    counts.total += row.total;
}

pub async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Json<Board>> {
    user.require(Role::can_review)?;
    let today = state.config.clock.today();
    let soon = today + chrono::Days::new(DUE_SOON_DAYS as u64);
    let mut filter = String::from("($1 = '*' OR i.unit_code = $1 OR i.province_code = $1)");
    let mut binds: Vec<String> = vec![user.scope_param()];
    let mut and = |clause: &str, value: String| {
        binds.push(value);
        filter.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(unit) = p.unit {
        and(" AND i.unit_code = ?", unit.to_string());
    }
    if let Some(agency) = p.agency {
        and(" AND i.agency_id = ?", agency.to_string());
    }
    if let Some(kind) = p.kind {
        and(" AND i.kind = ?", tag(&kind));
    }
    if let Some(field) = p.field {
        and(" AND i.field = ?", tag(&field));
    }
    if let Some(from) = p.from {
        and(" AND i.assigned_on >= ?", from.to_string());
    }
    if let Some(to) = p.to {
        and(" AND i.assigned_on <= ?", to.to_string());
    }
    if let Some(q) = p.q.filter(|q| !q.trim().is_empty()) {
        check_text("q", &q, 200)?;
        and(
            " AND o.search_text LIKE ? ESCAPE '\\'",
            like_pattern(&fold(q.trim())),
        );
    }
    let n = binds.len();
    let (assigned, today_at, soon_at) = (n + 1, n + 2, n + 3);
    binds.extend([tag(&Stage::Assigned), today.to_string(), soon.to_string()]);
    let sums = format!(
        "SUM(CASE WHEN i.stage = ${assigned} AND i.due < ${today_at} THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN i.stage = ${assigned} AND i.due >= ${today_at} AND i.due <= ${soon_at} THEN 1 ELSE 0 END) AS due_soon, \
         SUM(CASE WHEN i.stage = ${assigned} THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on <= i.due THEN 1 ELSE 0 END) AS replied_on_time, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on > i.due THEN 1 ELSE 0 END) AS replied_late, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on <= i.first_due THEN 1 ELSE 0 END) AS replied_on_first_due, \
         SUM(CASE WHEN i.forwarded = 1 THEN 1 ELSE 0 END) AS forwarded, COUNT(*) AS total"
    );
    let from = "FROM follow_items i JOIN opinions o ON o.id = i.opinion_id";
    let grouped = |key: &str, name: &str, join: &str| {
        format!(
            "SELECT {key} AS key, {name} AS name, {sums} {from} {join} WHERE {filter} \
             GROUP BY {key}, {name} ORDER BY {name}, {key}"
        )
    };
    let by_unit = grouped(
        "i.unit_code",
        "u.name",
        "JOIN units u ON u.code = i.unit_code",
    );
    let by_agency = grouped(
        "i.agency_id",
        "a.name",
        "JOIN agencies a ON a.id = i.agency_id",
    );
    let items = format!(
        "SELECT {LINE_COLUMNS} FROM follow_items i {LINE_JOINS} WHERE {filter} AND i.stage = ${assigned} \
         ORDER BY i.due, i.opinion_id LIMIT {BOARD_ITEMS}"
    );
    let counts = |sql: String| {
        let mut query = sqlx::query_as::<_, CountRow>(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            query = query.bind(b.clone());
        }
        query.fetch_all(&state.pool)
    };
    let by_unit: Vec<BoardRow> = counts(by_unit)
        .await?
        .into_iter()
        .map(CountRow::into_row)
        .collect();
    let by_agency: Vec<BoardRow> = counts(by_agency)
        .await?
        .into_iter()
        .map(CountRow::into_row)
        .collect();
    // Only the filters' binds and the stage: the items' query names no dates.
    let mut query = sqlx::query_as::<_, LineRow>(sqlx::AssertSqlSafe(items));
    for b in &binds[..assigned] {
        query = query.bind(b.clone());
    }
    let items = query
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|r| r.into_line(today))
        .collect::<AppResult<Vec<_>>>()?;
    let mut total = Counts::default();
    for row in &by_unit {
        add(&mut total, &row.counts);
    }
    Ok(Json(Board {
        today,
        total,
        by_unit,
        by_agency,
        items,
    }))
}
