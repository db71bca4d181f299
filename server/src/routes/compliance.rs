//! The compliance view of a province for a year (issue 12): per unit, the
//! figures of `shared::compliance` summed over its dialogues of the year,
//! the dialogues behind one figure, and the same table as CSV and XLSX. Staff and
//! observers of the province (or the whole country) read it.
//!
//! One loader reads what the rules need, a few queries per request: the
//! year's dialogues of the units, their plan entries, notices, items and
//! publications; deadlines come from [`Deadlines`], as everywhere.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use shared::compliance::{Compliance, ComplianceLine, ComplianceRow, DialogueFacts, Measure};
use shared::follow_up::Item;
use shared::plan::announced_late;
use shared::text::fold;
use shared::{Dialogue, DialogueStatus, Lang, Role, UnitCode};
use std::collections::HashMap;

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::deadlines::Deadlines;
use crate::error::{parse_stored, AppError, AppResult};
use crate::export::{Cell, Format, Table};
use crate::routes::follow_up::{ItemStateRow, ITEM_STATE};
use crate::routes::units::{may_be_held, may_be_held_binds, unit_in_scope, ScopedUnit, Units};
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableParams {
    pub province: UnitCode,
    pub year: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub unit: UnitCode,
    pub year: i32,
    pub measure: Measure,
}

/// One dialogue of the year with its unit and facts.
struct Counted {
    unit_code: String,
    dialogue: Dialogue,
    facts: DialogueFacts,
}

#[derive(sqlx::FromRow)]
struct DialogueRow {
    id: String,
    unit_code: String,
    data: String,
    province: String,
    plan_year: Option<i64>,
    announced_on: Option<String>,
    announced_means: Option<String>,
    notice_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PublicationRow {
    dialogue_id: String,
    first_at: i64,
    shown: i64,
}

fn date(text: &str) -> AppResult<NaiveDate> {
    text.parse()
        .map_err(|_| AppError::Corrupt("a stored date is not a date"))
}

fn check_year(year: i32) -> AppResult<()> {
    if shared::plan::YEARS.contains(&year) {
        Ok(())
    } else {
        Err(shared::DomainError::OutOfRange { field: "year" }.into())
    }
}

/// Every dialogue of `units` that belongs to `year`: in its plan, or held
/// (or planned, unplanned) on a day of it; with its facts on `today`.
async fn load(state: &AppState, units: Units<'_>, year: i32) -> AppResult<Vec<Counted>> {
    // A dialogue's day is its start, else its planned day: those that may
    // have been held in the year are read and sorted by their day here.
    let window = may_be_held_binds((
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    ));
    let rows: Vec<DialogueRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT d.id, d.unit_code, d.data, COALESCE(u.parent_code, u.code) AS province, \
         p.year AS plan_year, p.announced_on, p.announced_means, n.issued_on AS notice_on \
         FROM dialogues d JOIN units u ON u.code = d.unit_code \
         LEFT JOIN plan_entries p ON p.dialogue_id = d.id \
         LEFT JOIN conclusion_notices n ON n.dialogue_id = d.id \
         WHERE {} AND (p.year = $2 OR (p.year IS NULL AND {}))",
        units.clause("d.unit_code"),
        may_be_held(3)
    )))
    .bind(units.code())
    .bind(i64::from(year))
    .bind(window.0)
    .bind(window.1)
    .bind(window.2)
    .fetch_all(&state.pool)
    .await?;
    let items: Vec<ItemStateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_STATE} FROM follow_items i WHERE {}",
        match units {
            Units::Province(_) => "i.province_code = $1".to_owned(),
            Units::One(_) => units.clause("i.unit_code"),
        }
    )))
    .bind(units.code())
    .fetch_all(&state.pool)
    .await?;
    let publications: Vec<PublicationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT p.dialogue_id, MIN(p.published_at) AS first_at, \
         MAX(CASE WHEN {} THEN 1 ELSE 0 END) AS shown \
         FROM publications p WHERE {} GROUP BY p.dialogue_id",
        crate::routes::publication::SHOWN,
        units.clause("p.unit_code")
    )))
    .bind(units.code())
    .fetch_all(&state.pool)
    .await?;
    let mut items_of: HashMap<String, Vec<Item>> = HashMap::new();
    for i in items {
        let item = i.item()?;
        items_of.entry(i.dialogue_id).or_default().push(item);
    }
    let published: HashMap<String, PublicationRow> = publications
        .into_iter()
        .map(|p| (p.dialogue_id.clone(), p))
        .collect();

    let today = state.config.clock.today();
    let mut deadlines = Deadlines::new(&state.pool);
    let mut counted = Vec::new();
    for r in rows {
        let dialogue: Dialogue = parse_stored(&r.data)?;
        let held_on = dialogue.held_on();
        let in_year = r.plan_year.is_some() || held_on.is_some_and(|d| d.year() == year);
        if !in_year {
            continue;
        }
        let held = dialogue.status != DialogueStatus::Planned || dialogue.started_at.is_some();
        let (notice_due, publication_due, announce_by) = match held_on {
            Some(day) => (
                Some(deadlines.due(&r.province, |x| x.conclusion, day).await?),
                Some(deadlines.due(&r.province, |x| x.publication, day).await?),
                Some(
                    deadlines
                        .lead_ends(&r.province, |x| x.announcement_lead, day)
                        .await?,
                ),
            ),
            None => (None, None, None),
        };
        let announcement =
            crate::routes::plan::stored_announcement(&r.announced_on, &r.announced_means)?;
        let publication = published.get(&r.id);
        let facts = DialogueFacts {
            kind: dialogue.kind,
            planned: r.plan_year.is_some(),
            held,
            announced_late: announced_late(announcement.as_ref(), announce_by, today),
            notice_due,
            notice_on: r.notice_on.as_deref().map(date).transpose()?,
            publication_due,
            first_published_on: publication
                .and_then(|p| shared::calendar::vietnam_date(p.first_at)),
            shown_now: publication.is_some_and(|p| p.shown != 0),
            items: items_of.remove(&r.id).unwrap_or_default(),
        };
        counted.push(Counted {
            unit_code: r.unit_code,
            dialogue,
            facts,
        });
    }
    Ok(counted)
}

/// The province in the user's scope: a commune's staff do not read their
/// province's table.
async fn province_in_scope(
    state: &AppState,
    user: &CurrentUser,
    code: &UnitCode,
) -> AppResult<ScopedUnit> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, user, code).await?;
    if unit.province != unit.code {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_province",
            "Bảng tuân thủ được lập cho một tỉnh, thành phố",
            "The compliance table is made for a province",
        ));
    }
    Ok(unit)
}

async fn table(state: &AppState, user: &CurrentUser, p: &TableParams) -> AppResult<Compliance> {
    check_year(p.year)?;
    let province = province_in_scope(state, user, &p.province).await?;
    let counted = load(state, Units::Province(&province.code), p.year).await?;
    let today = state.config.clock.today();
    let units: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM units WHERE code = $1 OR parent_code = $1")
            .bind(province.code.as_str())
            .fetch_all(&state.pool)
            .await?;
    let mut figures: HashMap<&str, Vec<u32>> = HashMap::new();
    for c in &counted {
        let sums = figures
            .entry(c.unit_code.as_str())
            .or_insert_with(|| vec![0; Measure::ALL.len()]);
        for (sum, m) in sums.iter_mut().zip(Measure::ALL) {
            *sum += m.count(&c.facts, today);
        }
    }
    let mut rows = units
        .iter()
        .map(|(code, name)| {
            Ok(ComplianceRow {
                unit_code: UnitCode::parse(code)
                    .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?,
                unit_name: name.clone(),
                figures: figures
                    .get(code.as_str())
                    .cloned()
                    .unwrap_or_else(|| vec![0; Measure::ALL.len()]),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    // Those with no periodic dialogue held yet first, then by name.
    rows.sort_by_cached_key(|r| (r.figure(Measure::PeriodicHeld) > 0, fold(&r.unit_name)));
    Ok(Compliance {
        province_code: province.code,
        province_name: province.name,
        year: p.year,
        today,
        rows,
    })
}

/// `GET /api/compliance?province=&year=`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<TableParams>,
) -> AppResult<Json<Compliance>> {
    table(&state, &user, &p).await.map(Json)
}

/// The table for a spreadsheet: a row per unit, the figures as numbers.
fn spreadsheet(t: &Compliance) -> Table {
    let mut header = vec![("Mã đơn vị", 12.0), ("Đơn vị", 32.0)];
    header.extend(Measure::ALL.map(|m| (m.title(Lang::Vi), 14.0)));
    Table {
        sheet: format!("Năm {}", t.year),
        header,
        rows: t
            .rows
            .iter()
            .map(|row| {
                let mut cells: Vec<Cell> =
                    vec![row.unit_code.as_str().into(), row.unit_name.as_str().into()];
                cells.extend(row.figures.iter().map(|f| Cell::from(*f)));
                cells
            })
            .collect(),
    }
}

/// `GET /api/compliance/csv?province=&year=` and `/xlsx`: the table as a
/// download, named by province and year.
async fn download(
    state: AppState,
    user: CurrentUser,
    p: TableParams,
    format: Format,
) -> AppResult<Response> {
    let t = table(&state, &user, &p).await?;
    spreadsheet(&t).download(&format!("tuan-thu-{}-{}", t.province_code, t.year), format)
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<TableParams>,
) -> AppResult<Response> {
    download(state, user, p, Format::Csv).await
}

pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<TableParams>,
) -> AppResult<Response> {
    download(state, user, p, Format::Xlsx).await
}

/// `GET /api/compliance/list?unit=&year=&measure=`: the dialogues behind
/// one figure of one unit, by day.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ListParams>,
) -> AppResult<Json<Vec<ComplianceLine>>> {
    user.require(Role::can_review)?;
    check_year(p.year)?;
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, &user, &p.unit).await?;
    drop(conn);
    let today = state.config.clock.today();
    let mut lines: Vec<ComplianceLine> = load(&state, Units::One(&unit.code), p.year)
        .await?
        .into_iter()
        .filter_map(|c| {
            let count = p.measure.count(&c.facts, today);
            (count > 0).then(|| ComplianceLine {
                dialogue_id: c.dialogue.id,
                held_on: c.dialogue.held_on(),
                topic: c.dialogue.topic,
                kind: c.dialogue.kind,
                count,
            })
        })
        .collect();
    lines.sort_by_key(|l| (l.held_on, l.dialogue_id));
    Ok(Json(lines))
}
