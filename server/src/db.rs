//! The connection pool. The URL's scheme picks the engine: `sqlite:` (the
//! embedded default) or `postgres:`. Queries are written once, with `$N`
//! placeholders that both engines accept, and run through sqlx's `Any` driver.

use sqlx::any::AnyPoolOptions;
use sqlx::AnyConnection;
use sqlx::{AnyPool, Connection};
use std::time::Duration;

pub type Pool = AnyPool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// Opens the pool and applies the migrations of the URL's engine.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let engine = Engine::of_url(url).ok_or_else(|| {
        sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into())
    })?;
    let pool = match engine {
        Engine::Sqlite => {
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn).await }))
                .connect(&url)
                .await?
        }
        Engine::Postgres => {
            AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?
        }
    };
    match engine {
        Engine::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Engine::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// WAL for concurrent readers; FULL sync because an acknowledged push must
/// survive a power cut; a busy timeout instead of immediate lock errors.
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in [
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 10000",
    ] {
        sqlx::query(pragma).execute(&mut *conn).await?;
    }
    conn.ping().await
}

/// Whether an error is a unique-constraint violation, on either engine.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// Unix milliseconds by the server's clock: the clock that orders events.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `$first, $first+1, …`: `n` numbered placeholders, for an `IN (…)` list.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4)`: the VALUES of a multi-row INSERT of `rows` rows of
/// `width` columns. Both engines take thousands of placeholders per
/// statement (SQLite 32,766, PostgreSQL 65,535); a push stays far below.
pub fn rows_of(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_values_number_their_placeholders_in_order() {
        assert_eq!(placeholders(3, 2), "$3, $4");
        assert_eq!(rows_of(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
