//! Login attempts, limited by client address and user name together, in the
//! database so every instance counts the same. After `MAX_FAILURES` wrong
//! passwords for one user from one client, that client waits out the
//! window for that user; the owner, from another address, still logs in:
//! nobody can lock an account from afar. One client failing for many user
//! names (password spraying) waits after `MAX_CLIENT_FAILURES` in all.

use crate::db::Pool;

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
