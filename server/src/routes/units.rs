//! The administrative units by name: the provinces, or the communes of one
//! province, for pickers that name units instead of asking for codes. The
//! official list is public; any logged-in user may read it.

use axum::extract::State;
use axum::Json;
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use shared::{Unit, UnitCode, UnitLevel};

use crate::auth::CurrentUser;
use crate::body::Params;
use crate::error::{AppError, AppResult};
use crate::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsParams {
    /// A province: its communes. None: the provinces.
    pub parent: Option<UnitCode>,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    code: String,
    name: String,
    parent_code: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    Params(p): Params<UnitsParams>,
) -> AppResult<Json<Vec<Unit>>> {
    let rows: Vec<UnitRow> =
        match &p.parent {
            None => sqlx::query_as(
                "SELECT code, name, parent_code FROM units WHERE parent_code IS NULL ORDER BY code",
            )
            .fetch_all(&state.pool)
            .await?,
            Some(parent) => sqlx::query_as(
                "SELECT code, name, parent_code FROM units WHERE parent_code = $1 ORDER BY code",
            )
            .bind(parent.as_str())
            .fetch_all(&state.pool)
            .await?,
        };
    let corrupt = |_| AppError::Corrupt("a stored unit code is malformed");
    rows.into_iter()
        .map(|r| {
            Ok(Unit {
                code: UnitCode::parse(&r.code).map_err(corrupt)?,
                name: r.name,
                level: if r.parent_code.is_some() {
                    UnitLevel::Commune
                } else {
                    UnitLevel::Province
                },
                parent_code: r
                    .parent_code
                    .map(|c| UnitCode::parse(&c))
                    .transpose()
                    .map_err(corrupt)?,
            })
        })
        .collect::<AppResult<_>>()
        .map(Json)
}

/// A unit the user may act on, with its name and province.
pub struct ScopedUnit {
    pub code: UnitCode,
    pub name: String,
    /// Itself for a province.
    pub province: UnitCode,
}

/// `code` if it is in the user's scope: 404 if no such unit, 403 if
/// another's.
pub async fn unit_in_scope(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    code: &UnitCode,
) -> AppResult<ScopedUnit> {
    let row: UnitRow = sqlx::query_as("SELECT code, name, parent_code FROM units WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(AppError::not_found)?;
    let parent = row
        .parent_code
        .as_deref()
        .map(UnitCode::parse)
        .transpose()
        .map_err(|_| AppError::Corrupt("a stored unit code is malformed"))?;
    if let Some(own) = &user.unit_code {
        if !shared::user::in_scope(own, code, parent.as_ref()) {
            return Err(AppError::out_of_scope());
        }
    }
    Ok(ScopedUnit {
        code: code.clone(),
        name: row.name,
        province: parent.unwrap_or_else(|| code.clone()),
    })
}

/// The name of `unit`'s province, for a commune's document header; None
/// for a province itself.
pub async fn province_name(
    conn: &mut sqlx::AnyConnection,
    unit: &UnitCode,
    province: &UnitCode,
) -> AppResult<Option<String>> {
    if unit == province {
        return Ok(None);
    }
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM units WHERE code = $1")
        .bind(province.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// The units a request covers: a province with its communes, or one unit.
pub enum Units<'a> {
    Province(&'a UnitCode),
    One(&'a UnitCode),
}

impl<'a> Units<'a> {
    /// A province's own and its communes', or a commune's alone.
    pub fn of(unit: &'a ScopedUnit) -> Self {
        if unit.code == unit.province {
            Units::Province(&unit.code)
        } else {
            Units::One(&unit.code)
        }
    }

    /// The SQL condition that `column` (a unit code) is one of the units.
    /// A list of codes, not an `OR` on a join: each table's unit index
    /// is then used on both engines.
    pub fn clause(&self, column: &str) -> String {
        match self {
            Units::Province(_) => format!(
                "{column} IN (SELECT code FROM units WHERE code = $1 UNION ALL SELECT code FROM units WHERE parent_code = $1)"
            ),
            Units::One(_) => format!("{column} = $1"),
        }
    }
    pub fn code(&self) -> &str {
        match self {
            Units::Province(c) | Units::One(c) => c.as_str(),
        }
    }
}

/// Narrows dialogues (as `d`) to those that may have been held on a day
/// of `days`, binding `$first` to `$first + 2` ([`may_be_held_binds`]):
/// planned near those days (indexed), not planned, or changed since the
/// first of them (a meeting started on a day reaches the server that day
/// or later, whatever day it was planned for). `Dialogue::held_on` then
/// decides.
pub fn may_be_held(first: usize) -> String {
    format!(
        "(d.planned_at = '' OR (d.planned_at >= ${first} AND d.planned_at < ${}) OR d.updated_at >= ${})",
        first + 1,
        first + 2
    )
}

/// The values [`may_be_held`] binds, in order.
pub fn may_be_held_binds(days: (NaiveDate, NaiveDate)) -> (String, String, i64) {
    // Planned a month or two from the day it was held is common.
    const SLACK: Days = Days::new(62);
    let first_ms = (days.0 - Days::new(1))
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis());
    (
        (days.0 - SLACK).to_string(),
        (days.1 + SLACK).to_string(),
        first_ms,
    )
}
