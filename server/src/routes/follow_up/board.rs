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
use shared::text::{check_text, fold, tag};
use shared::{AgencyId, OpinionKind, Role, SubjectField, UnitCode};
use std::collections::BTreeMap;

use super::items::{LineRow, LINE_COLUMNS, LINE_JOINS};
use crate::auth::CurrentUser;
use crate::body::Params;
use crate::db::Engine;
use crate::error::AppResult;
use crate::search::Match;
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

/// One group's counts: the items of one unit with one agency.
#[derive(sqlx::FromRow)]
struct CountRow {
    unit_code: String,
    unit_name: String,
    agency_id: String,
    agency_name: String,
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
    fn counts(&self) -> Counts {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Counts {
            overdue: n(self.overdue),
            due_soon: n(self.due_soon),
            open: n(self.open),
            replied_on_time: n(self.replied_on_time),
            replied_late: n(self.replied_late),
            replied_on_first_due: n(self.replied_on_first_due),
            forwarded: n(self.forwarded),
            total: n(self.total),
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

/// Sums groups into rows by `key`, in the order of their folded names.
fn rows_by(groups: &[(String, String, Counts)]) -> Vec<BoardRow> {
    let mut rows: BTreeMap<(String, String), BoardRow> = BTreeMap::new();
    for (key, name, counts) in groups {
        let row = rows
            .entry((fold(name), key.clone()))
            .or_insert_with(|| BoardRow {
                key: key.clone(),
                name: name.clone(),
                counts: Counts::default(),
            });
        add(&mut row.counts, counts);
    }
    rows.into_values().collect()
}

/// Where the user's items are: a province's staff see the province's and
/// its communes' (by `province_code`), a commune's its own (`unit_code`),
/// administrators everything. One column each, so each has its index.
async fn scope_clause(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Option<(&'static str, String)>> {
    let Some(unit) = &user.unit_code else {
        return Ok(None);
    };
    let parent: Option<(Option<String>,)> =
        sqlx::query_as("SELECT parent_code FROM units WHERE code = $1")
            .bind(unit.as_str())
            .fetch_optional(&state.pool)
            .await?;
    let column = match parent {
        Some((None,)) => "i.province_code = ?",
        _ => "i.unit_code = ?",
    };
    Ok(Some((column, unit.to_string())))
}

/// The groups' counts, by `sql` with `binds`.
async fn count_groups(
    state: &AppState,
    sql: String,
    binds: Vec<String>,
) -> AppResult<Vec<CountRow>> {
    let mut tx = state.pool.begin().await?;
    if state.engine == Engine::Postgres {
        // PostgreSQL plans the grouping by its estimate of groups, far
        // above the real few thousand: with the default memory it sorts on
        // disk, and compiles the plan (JIT) for longer than it runs. Both
        // for this transaction only (BENCHMARKS.md: the nation's board).
        sqlx::query("SET LOCAL work_mem = '32MB'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
    }
    let mut query = sqlx::query_as::<_, CountRow>(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let groups = query.fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(groups)
}

/// The board's filters (and the user's scope) as one SQL condition over
/// `follow_items i`, with its binds: the board and the exports read the
/// same items.
pub struct Filter {
    pub sql: String,
    pub binds: Vec<String>,
    /// No scope and no unit: the whole country's items.
    pub whole_country: bool,
}

pub async fn filter(state: &AppState, user: &CurrentUser, p: BoardParams) -> AppResult<Filter> {
    user.require(Role::can_review)?;
    let mut clauses: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut and = |clause: &str, value: String| {
        binds.push(value);
        clauses.push(clause.replace('?', &format!("${}", binds.len())));
    };
    let scope = scope_clause(state, user).await?;
    let whole_country = scope.is_none() && p.unit.is_none();
    if let Some((clause, value)) = scope {
        and(clause, value);
    }
    if let Some(unit) = p.unit {
        and("i.unit_code = ?", unit.to_string());
    }
    if let Some(agency) = p.agency {
        and("i.agency_id = ?", agency.to_string());
    }
    if let Some(kind) = p.kind {
        and("i.kind = ?", tag(&kind));
    }
    if let Some(field) = p.field {
        and("i.field = ?", tag(&field));
    }
    if let Some(from) = p.from {
        and("i.assigned_on >= ?", from.to_string());
    }
    if let Some(to) = p.to {
        and("i.assigned_on <= ?", to.to_string());
    }
    if let Some(q) = p.q.filter(|q| !q.trim().is_empty()) {
        check_text("q", &q, 200)?;
        let found = Match::current(state, &q).await?;
        and(found.item_clause(), found.item_value());
    }
    Ok(Filter {
        sql: if clauses.is_empty() {
            "1 = 1".to_owned()
        } else {
            clauses.join(" AND ")
        },
        binds,
        whole_country,
    })
}

pub async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<BoardParams>,
) -> AppResult<Json<Board>> {
    let today = state.config.clock.today();
    let soon = today + chrono::Days::new(DUE_SOON_DAYS as u64);
    let Filter {
        sql: filter,
        mut binds,
        whole_country,
    } = filter(&state, &user, p).await?;
    let n = binds.len();
    let (assigned, today_at, soon_at) = (n + 1, n + 2, n + 3);
    binds.extend([tag(&Stage::Assigned), today.to_string(), soon.to_string()]);
    // One pass over the items, grouped by unit and agency; names joined to
    // the groups, not to every item.
    let counts = format!(
        "SELECT g.*, u.name AS unit_name, a.name AS agency_name FROM (SELECT i.unit_code, i.agency_id, \
         SUM(CASE WHEN i.stage = ${assigned} AND i.due < ${today_at} THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN i.stage = ${assigned} AND i.due >= ${today_at} AND i.due <= ${soon_at} THEN 1 ELSE 0 END) AS due_soon, \
         SUM(CASE WHEN i.stage = ${assigned} THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on <= i.due THEN 1 ELSE 0 END) AS replied_on_time, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on > i.due THEN 1 ELSE 0 END) AS replied_late, \
         SUM(CASE WHEN i.replied_on IS NOT NULL AND i.replied_on <= i.first_due THEN 1 ELSE 0 END) AS replied_on_first_due, \
         SUM(CASE WHEN i.forwarded = 1 THEN 1 ELSE 0 END) AS forwarded, COUNT(*) AS total \
         FROM follow_items i WHERE {filter} GROUP BY i.unit_code, i.agency_id) g \
         JOIN units u ON u.code = g.unit_code JOIN agencies a ON a.id = g.agency_id"
    );
    let groups = if whole_country && state.engine == Engine::Sqlite {
        // The one big read: two halves of the country at once, split at
        // the median unit code, so both cores scan (PostgreSQL scans in
        // parallel by itself; BENCHMARKS.md has the nation's board).
        let (median,): (String,) = sqlx::query_as(
            "SELECT code FROM units ORDER BY code LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM units)",
        )
        .fetch_one(&state.pool)
        .await?;
        let split = binds.len() + 1;
        let half = |op: &str| {
            counts.replace(
                "GROUP BY i.unit_code",
                &format!("AND i.unit_code {op} ${split} GROUP BY i.unit_code"),
            )
        };
        let with_median = || {
            binds
                .iter()
                .cloned()
                .chain([median.clone()])
                .collect::<Vec<_>>()
        };
        let (mut low, high) = tokio::try_join!(
            count_groups(&state, half("<"), with_median()),
            count_groups(&state, half(">="), with_median()),
        )?;
        low.extend(high);
        low
    } else {
        count_groups(&state, counts, binds.clone()).await?
    };
    let (mut units, mut agencies) = (Vec::new(), Vec::new());
    let mut total = Counts::default();
    for g in groups {
        let counts = g.counts();
        add(&mut total, &counts);
        units.push((g.unit_code, g.unit_name, counts.clone()));
        agencies.push((g.agency_id, g.agency_name, counts));
    }
    let items = format!(
        "SELECT {LINE_COLUMNS} FROM follow_items i {LINE_JOINS} WHERE {filter} AND i.stage = ${assigned} \
         ORDER BY i.due, i.opinion_id LIMIT {BOARD_ITEMS}"
    );
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
    Ok(Json(Board {
        today,
        total,
        by_unit: rows_by(&units),
        by_agency: rows_by(&agencies),
        items,
    }))
}
