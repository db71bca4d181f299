//! Log in, log out, and who am I (with the units the user may record for,
//! which the browser keeps for offline work).

use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use shared::{LoginRequest, SessionUser, UnitCode};
use sqlx::Row;
use std::net::SocketAddr;

use crate::auth::{self, CurrentUser};
use crate::body::JsonBody;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::rate_limit;
use crate::AppState;

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    let client = rate_limit::client_address(&state, peer, &headers);
    let key = req.username.trim().to_lowercase();
    shared::text::check_text("username", &key, 100)?;
    shared::text::check_text("password", &req.password, 200)?;
    if !rate_limit::allowed(&state.pool, &client, &key, now_ms()).await? {
        return Err(AppError::client(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau 15 phút",
            "Too many failed logins; try again in 15 minutes",
        ));
    }
    let row = sqlx::query("SELECT id, username, display_name, role, unit_code, agency_id, password_hash FROM users WHERE username = $1")
        .bind(&key)
        .fetch_optional(&state.pool)
        .await?;
    // An unknown user costs the same hashing as a wrong password, so the
    // answer's timing does not tell which user names exist.
    let hash: String = match &row {
        Some(row) => row.try_get("password_hash")?,
        None => auth::DUMMY_HASH.clone(),
    };
    let password = req.password.clone();
    // argon2 is deliberately slow: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
        && row.is_some();
    let Some(row) = row.filter(|_| verified) else {
        rate_limit::failed(&state.pool, &client, &key, now_ms()).await?;
        return Err(AppError::client(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "Sai tên đăng nhập hoặc mật khẩu",
            "Wrong user name or password",
        ));
    };
    rate_limit::succeeded(&state.pool, &client, &key).await?;
    let mut user = auth::user_from_row(&row)?;
    let (token, expires_at) = auth::create_session(&state, user.id).await?;
    user.expires_at = expires_at;
    let body = session_user(&state, &user).await?;
    Ok((
        AppendHeaders([(
            SET_COOKIE,
            auth::session_cookie(&token, state.config.secure_cookies),
        )]),
        Json(body),
    ))
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<impl IntoResponse> {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers;
    if let Some(token) = auth::token_from(&parts) {
        auth::delete_session(&state, &token).await?;
    }
    Ok((
        AppendHeaders([(SET_COOKIE, auth::clear_cookie())]),
        StatusCode::NO_CONTENT,
    ))
}

pub async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<SessionUser>> {
    Ok(Json(session_user(&state, &user).await?))
}

async fn session_user(state: &AppState, user: &CurrentUser) -> AppResult<SessionUser> {
    let rows = sqlx::query(
        "SELECT code, name FROM units WHERE code = $1 OR parent_code = $1 ORDER BY code",
    )
    .bind(user.scope_param())
    .fetch_all(&state.pool)
    .await?;
    let units = rows
        .iter()
        .filter_map(|r| {
            Some((
                UnitCode::parse(&r.try_get::<String, _>("code").ok()?).ok()?,
                r.try_get("name").ok()?,
            ))
        })
        .collect();
    Ok(SessionUser {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        unit_code: user.unit_code.clone(),
        units,
        expires_at: user.expires_at,
        keep_finalised_days: state.config.device_keep_days,
    })
}
