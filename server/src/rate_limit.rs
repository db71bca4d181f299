//! Limits per client. Login attempts, limited by client address and user
//! name together, in the database so every instance counts the same. After `MAX_FAILURES` wrong
//! passwords for one user from one client, that client waits out the
//! window for that user; the owner, from another address, still logs in:
//! nobody can lock an account from afar. One client failing for many user
//! names (password spraying) waits after `MAX_CLIENT_FAILURES` in all.
//!
//! The public results ([`PublicReads`]), read without a session, are
//! limited per client address in each instance's memory: a read costs no
//! write, and a scraper spreading over instances still gets each one's
//! limit only.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::SocketAddr;
use std::num::NonZeroU32;

use crate::db::Pool;
use crate::error::AppError;
use crate::AppState;

pub const MAX_FAILURES: i64 = 5;
pub const MAX_CLIENT_FAILURES: i64 = 20;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Whether `client` may try to log in as `user` at `now`.
pub async fn allowed(pool: &Pool, client: &str, user: &str, now: i64) -> Result<bool, sqlx::Error> {
    let (for_user, in_all): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN username = $2 THEN 1 ELSE 0 END), 0), COUNT(*) \
         FROM login_failures WHERE client = $1 AND at > $3",
    )
    .bind(client)
    .bind(user)
    .bind(now - WINDOW_MS)
    .fetch_one(pool)
    .await?;
    Ok(for_user < MAX_FAILURES && in_all < MAX_CLIENT_FAILURES)
}

pub async fn failed(pool: &Pool, client: &str, user: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - WINDOW_MS)
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO login_failures (client, username, at) VALUES ($1, $2, $3)")
        .bind(client)
        .bind(user)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// The right password: this client's failures for this user are forgotten.
pub async fn succeeded(pool: &Pool, client: &str, user: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE client = $1 AND username = $2")
        .bind(client)
        .bind(user)
        .execute(pool)
        .await?;
    Ok(())
}

/// Who is asking, for the limits: the connection's address, or behind a
/// proxy the deployment trusts (`DOITHOAI_TRUST_FORWARDED`), the address
/// that proxy appended last to `X-Forwarded-For`.
pub fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = state
        .config
        .trust_forwarded
        .then(|| {
            headers
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()
        })
        .flatten()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    forwarded.map_or_else(|| peer.ip().to_string(), str::to_owned)
}

/// Public reads one client may burst, then [`PUBLIC_READS_PER_MINUTE`]: a
/// person reading a commune's page makes a handful; a loop scraping every
/// commune is slowed to a crawl.
pub const PUBLIC_READS_BURST: u32 = 60;
pub const PUBLIC_READS_PER_MINUTE: u32 = 120;
/// Clients remembered before the idle ones are forgotten.
const CLIENTS_KEPT: usize = 10_000;

/// The public reads' limiter, one per instance.
pub struct PublicReads(DefaultKeyedRateLimiter<String>);

impl Default for PublicReads {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(PUBLIC_READS_PER_MINUTE).expect("not zero");
        let burst = NonZeroU32::new(PUBLIC_READS_BURST).expect("not zero");
        Self(RateLimiter::keyed(
            Quota::per_minute(per_minute).allow_burst(burst),
        ))
    }
}

/// Middleware on the public pages and API: a client over its limit gets
/// 429 in the JSON error shape, with `Retry-After`.
pub async fn limit_public_reads(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let limiter = &state.public_reads.0;
    if limiter.len() > CLIENTS_KEPT {
        limiter.retain_recent();
    }
    let client = client_address(&state, peer, request.headers());
    if let Err(wait) = limiter.check_key(&client) {
        let seconds = wait
            .wait_time_from(governor::clock::Clock::now(limiter.clock()))
            .as_secs()
            + 1;
        let mut answer = AppError::client(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            format!("Bạn đã xem quá nhiều trang trong thời gian ngắn, vui lòng thử lại sau {seconds} giây"),
            format!("Too many requests; try again in {seconds} seconds"),
        )
        .into_response();
        answer
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
        return answer;
    }
    next.run(request).await
}
