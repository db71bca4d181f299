//! The agency directory: the administrator adds a unit's agencies; staff
//! read those of the units in their scope (their own and its communes).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use shared::admin::{Agency, NewAgency};
use shared::text::{check_required, fold, SHORT_TEXT_MAX};
use shared::user::in_scope;
use shared::{AgencyId, Role, UnitCode};

use crate::auth::CurrentUser;
use crate::body::{JsonBody, Params};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::AppState;

/// An agency as stored; [`AgencyRow::into_agency`] checks its ids.
#[derive(sqlx::FromRow)]
pub struct AgencyRow {
    id: String,
    unit_code: String,
    name: String,
}

impl AgencyRow {
    pub fn into_agency(self) -> AppResult<Agency> {
        Ok(Agency {
            id: AgencyId::parse(&self.id)
                .map_err(|_| AppError::Corrupt("a stored agency id is not a UUID"))?,
            unit_code: UnitCode::parse(&self.unit_code)
                .map_err(|_| AppError::Corrupt("a stored agency's unit code is malformed"))?,
            name: self.name,
        })
    }
}

/// The unit's parent, or 404 when the unit is not stored.
async fn parent_of(state: &AppState, unit: &UnitCode) -> AppResult<Option<UnitCode>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT parent_code FROM units WHERE code = $1")
            .bind(unit.as_str())
            .fetch_optional(&state.pool)
            .await?;
    let (parent,) = row.ok_or_else(AppError::not_found)?;
    Ok(parent.and_then(|p| UnitCode::parse(&p).ok()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitParams {
    pub unit: UnitCode,
}

/// A unit's agencies in name order, for staff of that unit or its parent.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Params(p): Params<UnitParams>,
) -> AppResult<Json<Vec<Agency>>> {
    user.require(Role::can_review)?;
    let parent = parent_of(&state, &p.unit).await?;
    if let Some(own) = &user.unit_code {
        if !in_scope(own, &p.unit, parent.as_ref()) {
            return Err(AppError::not_found());
        }
    }
    let rows: Vec<AgencyRow> = sqlx::query_as(
        "SELECT id, unit_code, name FROM agencies WHERE unit_code = $1 ORDER BY name_folded, id",
    )
    .bind(p.unit.as_str())
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(AgencyRow::into_agency)
            .collect::<AppResult<_>>()?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(new): JsonBody<NewAgency>,
) -> AppResult<(StatusCode, Json<Agency>)> {
    user.require(|r| r == Role::Admin)?;
    let name = new.name.trim().to_owned();
    check_required("name", &name, SHORT_TEXT_MAX)?;
    parent_of(&state, &new.unit_code).await?;
    let agency = Agency {
        id: AgencyId::new(),
        unit_code: new.unit_code,
        name,
    };
    sqlx::query(
        "INSERT INTO agencies (id, unit_code, name, name_folded, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(agency.id.to_string())
    .bind(agency.unit_code.as_str())
    .bind(&agency.name)
    .bind(fold(&agency.name))
    .bind(now_ms())
    .execute(&state.pool)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::client(
                StatusCode::CONFLICT,
                "duplicate",
                "Đơn vị đã có cơ quan này",
                "The unit has this agency already",
            )
        } else {
            e.into()
        }
    })?;
    Ok((StatusCode::CREATED, Json(agency)))
}
