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
    /// The engine a connection talks to.
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }

    /// The engine a pool was opened on.
    pub fn of_pool(pool: &Pool) -> Self {
        let url = pool.connect_options().database_url.to_string();
        Self::of_url(&url).unwrap_or(Self::Postgres)
    }

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
                // A file on this machine is not a link that can drop: no
                // ping before each use (a round trip to SQLite's thread).
                .test_before_acquire(false)
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
        Engine::Sqlite => {
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            checkpoint_in_background(pool.clone());
        }
        Engine::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// How often SQLite's write-ahead log is copied back into the database.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// WAL for concurrent readers; FULL sync because an acknowledged push must
/// survive a power cut; a busy timeout instead of immediate lock errors; no
/// checkpoint inside a commit ([`checkpoint_in_background`] does them).
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in [
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 10000",
        "PRAGMA wal_autocheckpoint = 0",
    ] {
        sqlx::query(pragma).execute(&mut *conn).await?;
    }
    conn.ping().await
}

/// Copies SQLite's write-ahead log back into the database file every
/// [`CHECKPOINT_EVERY`], from a task of its own. Left to SQLite, the commit
/// that crosses 1,000 pages of log does it, copy and fsync included, and
/// the push waiting on that commit took 15–20 ms instead of 5
/// (BENCHMARKS.md). Commits are as durable either way: each one's log is
/// synced before it is acknowledged. A passive checkpoint never waits for
/// readers or writers; it stops when the pool is closed.
fn checkpoint_in_background(pool: Pool) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !pool.is_closed() {
            ticks.tick().await;
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                if !pool.is_closed() {
                    tracing::warn!(error = %e, "checkpoint failed");
                }
            }
        }
    });
}

/// Opens a transaction that writes. On SQLite it is a writer from its first
/// statement (`BEGIN IMMEDIATE`): one that read first and wrote later was
/// refused (`SQLITE_BUSY_SNAPSHOT`, which no busy timeout retries)
/// whenever another write committed in between, and a task now writes
/// every second (the search index). Read-only transactions use `begin`.
pub async fn begin_write(
    pool: &Pool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Engine::of_pool(pool) {
        Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => pool.begin().await,
    }
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

/// `n` placeholders for the statement's parameters `first` to
/// `first + n - 1`, which must follow the ones before them in the text: `$3,
/// $4` on PostgreSQL; `?, ?` on SQLite, where sqlx looks every numbered
/// placeholder up by name in a list SQLite walks from its start, a cost
/// that grows with the square of a statement's placeholders (a third of
/// the SQLite thread's time in a push of 50 opinions, BENCHMARKS.md).
pub fn placeholders(engine: Engine, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| match engine {
            Engine::Sqlite => "?".to_owned(),
            Engine::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4)`: the VALUES of a multi-row INSERT of `rows` rows of
/// `width` columns, its only parameters. Both engines take thousands of
/// placeholders per statement (SQLite 32,766, PostgreSQL 65,535); a push
/// stays far below.
pub fn rows_of(engine: Engine, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(engine, r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_values_number_their_placeholders_in_order() {
        assert_eq!(placeholders(Engine::Postgres, 3, 2), "$3, $4");
        assert_eq!(
            rows_of(Engine::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(rows_of(Engine::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }
}
