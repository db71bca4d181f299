//! Passwords (argon2), session cookies and the logged-in user extractor.
//! A session lasts 30 days so a tablet keeps working offline between syncs.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::{AgencyId, Role, UnitCode, UserId};
use sqlx::Row;

use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::AppState;

pub const COOKIE_NAME: &str = "dt_session";
pub const SESSION_DAYS: i64 = 30;
const SESSION_MS: i64 = SESSION_DAYS * 24 * 3600 * 1000;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with defaults")
        .to_string()
}

/// A hash no password of any user matches, verified against when the user
/// name is unknown.
pub static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&new_token()));

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A random token for the cookie; only its hash is stored.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new session and returns its token and expiry.
pub async fn create_session(state: &AppState, user_id: UserId) -> AppResult<(String, i64)> {
    let token = new_token();
    let now = now_ms();
    let expires = now + SESSION_MS;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id.to_string())
        .bind(now)
        .bind(expires)
        .execute(&state.pool)
        .await?;
    Ok((token, expires))
}

pub async fn delete_session(state: &AppState, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&state.pool)
        .await?;
    Ok(())
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = SESSION_MS / 1000;
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

pub fn token_from(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE_NAME && !value.is_empty()).then(|| value.to_owned())
        })
}

/// The user behind a valid session cookie.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// None: the whole country.
    pub unit_code: Option<UnitCode>,
    /// A handler's agency.
    pub agency_id: Option<AgencyId>,
    pub expires_at: i64,
}

impl CurrentUser {
    /// The scope as bound into queries: a unit code, or `*` for everything.
    pub fn scope_param(&self) -> String {
        self.unit_code
            .as_ref()
            .map_or_else(|| "*".to_owned(), |u| u.to_string())
    }
    pub fn require(&self, allowed: fn(Role) -> bool) -> AppResult<()> {
        if allowed(self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = token_from(parts).ok_or_else(AppError::unauthorized)?;
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.unit_code, u.agency_id, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash(&token))
        .bind(now_ms())
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(AppError::unauthorized)?;
        user_from_row(&row)
    }
}

pub fn user_from_row(row: &sqlx::any::AnyRow) -> AppResult<CurrentUser> {
    let bad = |what: &'static str| AppError::Corrupt(what);
    let unit: Option<String> = row.try_get("unit_code")?;
    let agency: Option<String> = row.try_get("agency_id")?;
    Ok(CurrentUser {
        id: UserId::parse(&row.try_get::<String, _>("id")?).map_err(|_| bad("id"))?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&row.try_get::<String, _>("role")?).ok_or_else(|| bad("role"))?,
        unit_code: unit
            .map(|u| UnitCode::parse(&u))
            .transpose()
            .map_err(|_| bad("unit"))?,
        agency_id: agency
            .map(|a| AgencyId::parse(&a))
            .transpose()
            .map_err(|_| bad("agency"))?,
        expires_at: row.try_get("expires_at").unwrap_or(0),
    })
}
