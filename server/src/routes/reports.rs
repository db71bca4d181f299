//! The 6-month and annual reports of a unit (issue 13). The office of the
//! unit opens one per period and year, writes its narrative as a draft
//! (each change on the revision it read, else 409 with the report as it
//! is) and issues it with its number; the figures of an issued report are
//! the ones it was issued with. Anyone who reads the unit's dialogues
//! reads its reports and downloads them as DOCX.
//!
//! The figures are worked out from the data on every read of a draft: the
//! dialogues held in the period (a province's and its communes'), their
//! opinions and their items as they stand today, each counted by the one
//! rule in `shared::report::Counts`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use shared::follow_up::{Item, Stage};
use shared::report::{
    Charts, Counts, Figures, IssueReport, Issued, Narrative, NewReport, Notable, OpinionFacts,
    Report, ReportChange, ReportLine, ReportPeriod, UnitCounts, CHART_AGENCIES, NOTABLE_MAX,
};
use shared::text::fold;
use shared::{Dialogue, Opinion, OpinionKind, Role, UnitCode};
use std::collections::HashMap;

use crate::auth::CurrentUser;
use crate::body::{JsonBody, Params};
use crate::db::now_ms;
use crate::error::{parse_stored, parse_tag, AppError, AppResult};
use crate::packed;
use crate::routes::follow_up::ItemStateRow;
use crate::routes::path_uuid;
use crate::routes::units::{
    may_be_held, may_be_held_binds, province_name, unit_in_scope, ScopedUnit, Units,
};
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub unit: UnitCode,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: String,
    unit_code: String,
    period: String,
    year: i64,
    starts_on: String,
    ends_on: String,
    narrative: String,
    revision: i64,
    number: Option<String>,
    issued_on: Option<String>,
    figures: Option<String>,
    updated_at: i64,
}

const REPORT_COLUMNS: &str = "id, unit_code, period, year, starts_on, ends_on, narrative, \
    revision, number, issued_on, figures, updated_at";

fn date(text: &str) -> AppResult<NaiveDate> {
    text.parse()
        .map_err(|_| AppError::Corrupt("a stored date is not a date"))
}

impl ReportRow {
    fn period(&self) -> AppResult<ReportPeriod> {
        parse_tag(&self.period)
    }

    fn issued(&self) -> AppResult<Option<Issued>> {
        match (&self.number, &self.issued_on) {
            (Some(number), Some(on)) => Ok(Some(Issued {
                number: number.clone(),
                issued_on: date(on)?,
            })),
            _ => Ok(None),
        }
    }

    fn line(&self) -> AppResult<ReportLine> {
        Ok(ReportLine {
            id: self.id.clone(),
            unit_code: UnitCode::parse(&self.unit_code)
                .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?,
            period: self.period()?,
            year: self.year as i32,
            issued: self.issued()?,
            updated_at: self.updated_at,
        })
    }
}

/// `GET /api/reports?unit=`: the unit's reports, the latest year first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ListParams>,
) -> AppResult<Json<Vec<ReportLine>>> {
    user.require(Role::can_review)?;
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, &user, &p.unit).await?;
    let rows: Vec<ReportRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE unit_code = $1 ORDER BY year DESC, period DESC"
    )))
    .bind(unit.code.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(ReportRow::line)
        .collect::<AppResult<_>>()
        .map(Json)
}

/// The office of `unit` itself: only it writes the unit's reports (a
/// province's staff read their communes' but do not write them).
fn require_own_office(user: &CurrentUser, unit: &UnitCode) -> AppResult<()> {
    user.require(Role::can_follow_up)?;
    if user.unit_code.as_ref() != Some(unit) {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "not_own_unit",
            "Chỉ văn phòng của chính đơn vị lập và ban hành báo cáo của đơn vị",
            "Only the unit's own office writes and issues its reports",
        ));
    }
    Ok(())
}

/// `POST /api/reports`: opens the unit's report for a period, with a first
/// draft of its narrative; a second one for the same period is 409.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(new): JsonBody<NewReport>,
) -> AppResult<(StatusCode, Json<Report>)> {
    let days = new.days()?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let unit = unit_in_scope(&mut tx, &user, &new.unit_code).await?;
    require_own_office(&user, &unit.code)?;
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT id FROM reports WHERE unit_code = $1 AND period = $2 AND year = $3")
            .bind(unit.code.as_str())
            .bind(shared::text::tag(&new.period))
            .bind(i64::from(new.year))
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((id,)) = exists {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "report_exists",
            format!("Đơn vị đã có báo cáo kỳ này (mã {id}); hãy mở báo cáo đó"),
            format!("The unit has a report for this period already (id {id}); open it"),
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let narrative = Narrative::first_draft(
        &format!("UBND {}", crate::documents::full_name(&unit.name)),
        new.period,
        new.year,
    );
    sqlx::query(
        "INSERT INTO reports (id, unit_code, period, year, starts_on, ends_on, narrative, revision, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)",
    )
    .bind(&id)
    .bind(unit.code.as_str())
    .bind(shared::text::tag(&new.period))
    .bind(i64::from(new.year))
    .bind(days.0.to_string())
    .bind(days.1.to_string())
    .bind(serde_json::to_string(&narrative).expect("serialises"))
    .bind(user.id.to_string())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let report = read(&state, &user, &id).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

/// `GET /api/reports/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Json<Report>> {
    read(&state, &user, &path_uuid(id)?).await.map(Json)
}

/// `PUT /api/reports/{id}`: the narrative changed, while the report is a
/// draft, on the revision the office read.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(change): JsonBody<ReportChange>,
) -> AppResult<Json<Report>> {
    change.narrative.validate()?;
    let id = path_uuid(id)?;
    let narrative = serde_json::to_string(&change.narrative).expect("serialises");
    write_draft(&state, &user, &id, change.revision, |tx_id, revision| {
        sqlx::query(
            "UPDATE reports SET narrative = $1, revision = revision + 1, updated_at = $2 \
             WHERE id = $3 AND revision = $4",
        )
        .bind(narrative.clone())
        .bind(now_ms())
        .bind(tx_id.to_owned())
        .bind(revision)
    })
    .await?;
    read(&state, &user, &id).await.map(Json)
}

/// `POST /api/reports/{id}/issue`: the draft as read at `revision` issued
/// with its number, today, and its figures as they are today kept with it.
pub async fn issue(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    JsonBody(issue): JsonBody<IssueReport>,
) -> AppResult<Json<Report>> {
    issue.validate()?;
    let id = path_uuid(id)?;
    let draft = read(&state, &user, &id).await?;
    let figures = serde_json::to_string(&draft.figures).expect("serialises");
    let today = state.config.clock.today().to_string();
    let number = issue.number.trim().to_owned();
    let by = user.id.to_string();
    write_draft(&state, &user, &id, issue.revision, |tx_id, revision| {
        sqlx::query(
            "UPDATE reports SET number = $1, issued_on = $2, figures = $3, issued_by = $4, \
             revision = revision + 1, updated_at = $5 WHERE id = $6 AND revision = $7",
        )
        .bind(number.clone())
        .bind(today.clone())
        .bind(figures.clone())
        .bind(by.clone())
        .bind(now_ms())
        .bind(tx_id.to_owned())
        .bind(revision)
    })
    .await?;
    read(&state, &user, &id).await.map(Json)
}

/// Runs `update` (an UPDATE guarded by `revision`) on a draft of the user's
/// own unit: 409 `report_issued` once issued, 409 with the report as it is
/// when someone else wrote first.
async fn write_draft<'q>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    revision: i64,
    update: impl FnOnce(&str, i64) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
) -> AppResult<()> {
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let row = row_in_scope(&mut tx, user, id).await?;
    require_own_office(user, &row.1.code)?;
    if row.0.number.is_some() {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "report_issued",
            "Báo cáo đã ban hành, không sửa được nữa",
            "The report is issued and can no longer change",
        ));
    }
    let done = update(id, revision).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        drop(tx);
        let current = read(state, user, id).await?;
        return Err(AppError::Stale(
            serde_json::to_value(current).expect("serialises"),
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// `GET /api/reports/{id}/docx`: the report as the office signs it.
pub async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    format: crate::documents::Format,
    id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    let (report, unit) = read_with_unit(&state, &user, &path_uuid(id)?).await?;
    let mut conn = state.pool.acquire().await?;
    let province = province_name(&mut conn, &unit.code, &unit.province).await?;
    let today = state.config.clock.today();
    let document = crate::documents::report::report(&report, province.as_deref(), today);
    crate::documents::download(
        &format!(
            "bao-cao-doi-thoai-{}-{}-{}",
            report.unit_code,
            shared::text::tag(&report.period).replace('_', "-"),
            report.year
        ),
        document,
        format,
    )
    .await
}

/// The report and its unit, if the unit is in the user's scope; else 404.
async fn row_in_scope(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(ReportRow, ScopedUnit)> {
    user.require(Role::can_review)?;
    let row: ReportRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(AppError::not_found)?;
    let code = UnitCode::parse(&row.unit_code)
        .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
    let unit = unit_in_scope(conn, user, &code)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok((row, unit))
}

async fn read(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Report> {
    read_with_unit(state, user, id)
        .await
        .map(|(report, _)| report)
}

/// The report and its unit as the scope check found it.
async fn read_with_unit(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(Report, ScopedUnit)> {
    let mut conn = state.pool.acquire().await?;
    let (row, unit) = row_in_scope(&mut conn, user, id).await?;
    drop(conn);
    let days = (date(&row.starts_on)?, date(&row.ends_on)?);
    let figures = match &row.figures {
        Some(frozen) => parse_stored(frozen)?,
        None => figures(state, &unit, days, state.config.clock.today()).await?,
    };
    let report = Report {
        id: row.id.clone(),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        period: row.period()?,
        year: row.year as i32,
        starts_on: days.0,
        ends_on: days.1,
        revision: row.revision,
        narrative: parse_stored(&row.narrative)?,
        issued: row.issued()?,
        figures,
    };
    Ok((report, unit))
}

#[derive(sqlx::FromRow)]
struct DialogueRow {
    unit_code: String,
    data: String,
}

/// What the figures read of an opinion, packed ([`crate::packed`]): its
/// dialogue, its id, and the columns the database derives from its
/// document (migration 0012), not the document, whose words a count does
/// not need (a province's year is a hundred thousand opinions).
const OPINION_FACTS: [&str; 6] = [
    "o.dialogue_id",
    "o.id",
    "COALESCE(o.kind, '')",
    "COALESCE(o.field, '')",
    "o.needs_follow_up",
    "o.protected",
];

/// An opinion's facts and whether it is, or was, a denunciation.
fn opinion_facts(
    [kind, field, needs_follow_up, protected]: [&str; 4],
) -> AppResult<(OpinionFacts, bool)> {
    let flag = |text: &str| text != "0";
    let facts = OpinionFacts {
        kind: parse_tag(kind)?,
        field: parse_tag(field)?,
        needs_follow_up: flag(needs_follow_up),
    };
    let protected = flag(protected) || facts.kind == OpinionKind::Denunciation;
    Ok((facts, protected))
}

/// What a unit's (and its communes') period holds: its units by name, the
/// dialogues held in it, their opinions and those opinions' items.
struct Loaded {
    /// The province itself first, then its communes by name.
    names: Vec<(String, String)>,
    /// By id: the unit's code and the dialogue.
    dialogues: HashMap<String, (String, Dialogue)>,
    /// Each in the minutes (not removed): its dialogue's id, its id, its
    /// facts, and whether it is, or was, a denunciation.
    opinions: Vec<(String, String, OpinionFacts, bool)>,
    /// By opinion id.
    items: HashMap<String, ItemStateRow>,
}

impl Loaded {
    async fn read(
        state: &AppState,
        unit: &ScopedUnit,
        days: (NaiveDate, NaiveDate),
    ) -> AppResult<Self> {
        let units = Units::of(unit);
        let window = may_be_held_binds(days);
        let held = format!("{} AND {}", units.clause("d.unit_code"), may_be_held(2));
        let names_sql = format!(
            "SELECT code, name FROM units WHERE {}",
            units.clause("code")
        );
        let dialogues_sql = format!("SELECT d.unit_code, d.data FROM dialogues d WHERE {held}");
        let opinions_sql = format!(
            "SELECT {} FROM opinions o \
             JOIN dialogues d ON d.id = o.dialogue_id WHERE o.deleted = 0 AND {held}",
            packed::select(&OPINION_FACTS)
        );
        let items_sql = format!(
            "SELECT {} FROM follow_items i WHERE {}",
            ItemStateRow::packed(),
            match units {
                Units::Province(_) => "i.province_code = $1".to_owned(),
                Units::One(_) => units.clause("i.unit_code"),
            }
        );
        // Four reads at once, each on a connection of its own: at a
        // province's year (a hundred thousand rows) reading rows is most of
        // the time, and a server has more than one core.
        let (mut names, dialogues, opinions, items) = tokio::try_join!(
            sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(names_sql))
                .bind(units.code())
                .fetch_all(&state.pool),
            sqlx::query_as::<_, DialogueRow>(sqlx::AssertSqlSafe(dialogues_sql))
                .bind(units.code())
                .bind(&window.0)
                .bind(&window.1)
                .bind(window.2)
                .fetch_all(&state.pool),
            sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(opinions_sql))
                .bind(units.code())
                .bind(&window.0)
                .bind(&window.1)
                .bind(window.2)
                .fetch_one(&state.pool),
            sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(items_sql))
                .bind(units.code())
                .fetch_one(&state.pool),
        )?;
        names.sort_by_cached_key(|(code, name)| (*code != units.code(), fold(name)));

        let mut held = HashMap::new();
        for r in dialogues {
            let d: Dialogue = parse_stored(&r.data)?;
            if Counts::counts_dialogue(&d, days) {
                held.insert(d.id.to_string(), (r.unit_code, d));
            }
        }
        let mut kept = Vec::new();
        for row in packed::rows(&opinions) {
            let [dialogue_id, id, kind, field, needs_follow_up, protected] = row?;
            if held.contains_key(dialogue_id) {
                let (facts, protected) = opinion_facts([kind, field, needs_follow_up, protected])?;
                kept.push((dialogue_id.to_owned(), id.to_owned(), facts, protected));
            }
        }
        let mut kept_items = HashMap::new();
        for row in packed::rows(&items) {
            let item = ItemStateRow::unpacked(row?)?;
            if held.contains_key(&item.dialogue_id) {
                kept_items.insert(item.opinion_id.clone(), item);
            }
        }
        let items = kept_items;
        Ok(Self {
            names,
            dialogues: held,
            opinions: kept,
            items,
        })
    }

    /// Each opinion with its dialogue and its item.
    fn each_opinion(&self) -> impl Iterator<Item = AppResult<Said<'_>>> {
        self.opinions
            .iter()
            .filter_map(|(dialogue_id, id, facts, protected)| {
                let (unit_code, dialogue) = self.dialogues.get(dialogue_id)?;
                let item = match self.items.get(id) {
                    Some(row) => match row.item() {
                        Ok(item) => Some((row, item)),
                        Err(e) => return Some(Err(e)),
                    },
                    None => None,
                };
                Some(Ok(Said {
                    id,
                    facts,
                    protected: *protected,
                    unit_code,
                    dialogue,
                    item,
                }))
            })
    }

    fn unit_name(&self, code: &str) -> String {
        self.names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

/// One opinion of a counted dialogue, as the figures and charts read it.
struct Said<'a> {
    id: &'a str,
    facts: &'a OpinionFacts,
    /// It is, or was, a denunciation.
    protected: bool,
    unit_code: &'a str,
    dialogue: &'a Dialogue,
    /// Its item's row and state, once a notice assigned it.
    item: Option<(&'a ItemStateRow, Item)>,
}

/// Agency names by id, for the few a report or chart names.
async fn agency_names(state: &AppState, ids: Vec<String>) -> AppResult<HashMap<String, String>> {
    let mut names = HashMap::new();
    for id in ids {
        if names.contains_key(&id) {
            continue;
        }
        let name: Option<(String,)> = sqlx::query_as("SELECT name FROM agencies WHERE id = $1")
            .bind(&id)
            .fetch_optional(&state.pool)
            .await?;
        names.insert(id, name.map(|(n,)| n).unwrap_or_default());
    }
    Ok(names)
}

/// The figures of `unit` (with its communes, for a province) over `days`,
/// the follow-up counted as it stands on `today`.
pub async fn figures(
    state: &AppState,
    unit: &ScopedUnit,
    days: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> AppResult<Figures> {
    let loaded = Loaded::read(state, unit, days).await?;
    let mut by_unit: HashMap<String, Counts> = HashMap::new();
    for (code, d) in loaded.dialogues.values() {
        by_unit.entry(code.clone()).or_default().add_dialogue(d);
    }
    let mut notable = Vec::new();
    for each in loaded.each_opinion() {
        let Said {
            id,
            facts: o,
            protected,
            unit_code: code,
            dialogue: d,
            item,
        } = each?;
        by_unit.entry(code.to_owned()).or_default().add_opinion(
            o,
            item.as_ref().map(|(_, i)| i),
            today,
        );
        let Some((row, item)) = item else { continue };
        if let (true, Some(due), Some(held_on)) = (item.is_overdue(today), item.due, d.held_on()) {
            // Its words are read once it is among the few listed.
            notable.push((
                (row.agency_id.clone(), id.to_owned(), protected),
                Notable {
                    unit_name: loaded.unit_name(code),
                    held_on,
                    kind: o.kind,
                    field: o.field,
                    summary: String::new(),
                    agency: String::new(),
                    due,
                    days_late: (today - due).num_days(),
                },
            ));
        }
    }
    notable.sort_by(|a, b| {
        (b.1.days_late, &a.1.unit_name, a.1.held_on).cmp(&(
            a.1.days_late,
            &b.1.unit_name,
            b.1.held_on,
        ))
    });
    notable.truncate(NOTABLE_MAX);
    let agencies = agency_names(
        state,
        notable.iter().map(|((a, _, _), _)| a.clone()).collect(),
    )
    .await?;
    let mut listed = Vec::with_capacity(notable.len());
    for ((agency, id, protected), n) in notable {
        let summary = if protected {
            String::new()
        } else {
            let (data,): (String,) = sqlx::query_as("SELECT data FROM opinions WHERE id = $1")
                .bind(&id)
                .fetch_one(&state.pool)
                .await?;
            let opinion: Opinion = parse_stored(&data)?;
            Notable::summary_of(false, &opinion.content)
        };
        listed.push(Notable {
            agency: agencies.get(&agency).cloned().unwrap_or_default(),
            summary,
            ..n
        });
    }
    let notable = listed;

    let mut total = Counts::default();
    let mut units = Vec::with_capacity(loaded.names.len());
    for (code, name) in &loaded.names {
        let counts = by_unit.remove(code.as_str()).unwrap_or_default();
        total.add(&counts);
        units.push(UnitCounts {
            unit_code: UnitCode::parse(code)
                .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?,
            unit_name: name.clone(),
            counts,
        });
    }
    Ok(Figures {
        as_of: today,
        total,
        units,
        notable,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartParams {
    pub unit: UnitCode,
    pub year: i32,
}

/// `GET /api/reports/charts?unit=&year=`: the unit's calendar year (with
/// its communes', for a province) in charts, as it stands today.
pub async fn charts(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<ChartParams>,
) -> AppResult<Json<Charts>> {
    user.require(Role::can_review)?;
    if !shared::report::YEARS.contains(&p.year) {
        return Err(shared::DomainError::OutOfRange { field: "year" }.into());
    }
    let mut conn = state.pool.acquire().await?;
    let unit = unit_in_scope(&mut conn, &user, &p.unit).await?;
    drop(conn);
    let day = |m, d| NaiveDate::from_ymd_opt(p.year, m, d).expect("a day of the year");
    let loaded = Loaded::read(&state, &unit, (day(1, 1), day(12, 31))).await?;
    let today = state.config.clock.today();
    let mut charts = Charts {
        unit_name: unit.name.clone(),
        year: p.year,
        ..Charts::default()
    };
    for (_, d) in loaded.dialogues.values() {
        if let Some(held_on) = d.held_on() {
            charts.dialogues_per_month[held_on.month0() as usize] += 1;
        }
    }
    let mut overdue: HashMap<String, u32> = HashMap::new();
    let mut counts = Counts::default();
    for each in loaded.each_opinion() {
        let Said { facts: o, item, .. } = each?;
        counts.add_opinion(o, item.as_ref().map(|(_, i)| i), today);
        let stage = match &item {
            None if !o.needs_follow_up => continue,
            None => 0,
            Some((row, item)) => {
                if item.is_overdue(today) {
                    *overdue.entry(row.agency_id.clone()).or_default() += 1;
                }
                match item.stage {
                    Stage::New => 0,
                    Stage::Assigned => 1,
                    Stage::Replied => 2,
                    Stage::Closed => 3,
                }
            }
        };
        charts.items_by_stage[stage] += 1;
    }
    charts.opinions_by_kind = counts.opinions_by_kind;
    charts.opinions_by_field = counts.opinions_by_field;
    let names = agency_names(&state, overdue.keys().cloned().collect()).await?;
    let mut by_agency: Vec<(String, u32)> = overdue
        .into_iter()
        .map(|(id, n)| (names.get(&id).cloned().unwrap_or_default(), n))
        .collect();
    by_agency.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| fold(&a.0).cmp(&fold(&b.0))));
    by_agency.truncate(CHART_AGENCIES);
    charts.overdue_by_agency = by_agency;
    Ok(Json(charts))
}
