//! The trigram indexes kept current after the writes instead of inside
//! them, on both engines. Indexing a push's 50 opinions was its largest
//! single cost: 1.2–1.7 ms of about 6 on SQLite (FTS5), about 2 ms of 6.6
//! on PostgreSQL (GIN's pending list), whose flush, run by whichever insert
//! found the list full, made a push's p99 25–35 ms. Done here, the same
//! work no longer holds up the device waiting for its verdicts
//! (BENCHMARKS.md, `--bench sync`).
//!
//! Every write of a record takes a new version from the clock, so the
//! index knows what it misses by one number, `search_indexed.version`:
//! every record version up to it is indexed. A record replaced since
//! leaves its old version in `search_stale` (a trigger, migration 0013),
//! removed from the index at the next catch-up. A search catches up first
//! (`Match::current`), so it finds everything committed before it; a task
//! catches up every [`EVERY`] meanwhile, so that a search rarely has much
//! to do.

use std::time::Duration;

use crate::db::{Engine, Pool};

/// How often the background catch-up looks for unindexed records.
pub const EVERY: Duration = Duration::from_secs(1);

/// Versions indexed per transaction: a catch-up after a large import holds
/// the write lock for a short while at a time, so pushes go on meanwhile.
const VERSIONS_AT_ONCE: i64 = 1_000;

/// Between two steps of the background catch-up: a write waiting on
/// SQLite's lock polls it, sleeping 1, 2, 5, 10, 15 ms…, and would find it
/// taken again by the next step without this pause (a push waited 129 ms
/// behind a long catch-up).
const PAUSE: Duration = Duration::from_millis(25);

/// Brings the index up to every record committed when it is called.
/// Cheap when there is nothing to do (one read); safe to run from several
/// tasks or instances at once (each step is a writer's transaction).
pub async fn catch_up(pool: &Pool, engine: Engine) -> Result<(), sqlx::Error> {
    catch_up_pausing(pool, engine, Duration::ZERO).await
}

async fn catch_up_pausing(pool: &Pool, engine: Engine, pause: Duration) -> Result<(), sqlx::Error> {
    // Up to what was committed when it began: under a stream of pushes a
    // search would otherwise chase the clock for ever.
    let (mut indexed, target): (i64, i64) = sqlx::query_as(
        "SELECT i.version, c.version FROM search_indexed i, sync_clock c WHERE i.id = 1 AND c.id = 1",
    )
    .fetch_one(pool)
    .await?;
    while indexed < target {
        indexed = index_some(pool, engine, target).await?;
        tokio::time::sleep(pause).await;
    }
    Ok(())
}

/// One step of a catch-up towards `target`, a writer from its first
/// statement: no other write can come between what it reads and what it
/// writes (on PostgreSQL the watermark's row lock orders the steps of
/// several tasks or instances). Returns the version indexed up to.
async fn index_some(pool: &Pool, engine: Engine, target: i64) -> Result<i64, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let (from,): (i64,) = sqlx::query_as(
        "UPDATE search_indexed SET version = version WHERE id = 1 RETURNING version",
    )
    .fetch_one(&mut *tx)
    .await?;
    // Another task may have gone past `target` meanwhile: never back.
    let until = target.min(from + VERSIONS_AT_ONCE).max(from);
    match engine {
        // The only writer meanwhile: every note read is every note there is.
        Engine::Sqlite => {
            for statement in [
                "DELETE FROM opinions_search WHERE rowid IN (SELECT version FROM search_stale WHERE opinion = 1)",
                "DELETE FROM dialogues_search WHERE rowid IN (SELECT version FROM search_stale WHERE opinion = 0)",
                "DELETE FROM search_stale",
            ] {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
        }
        // A push may note a version while this step runs: one statement
        // (one snapshot) removes exactly the notes it acts on.
        Engine::Postgres => {
            sqlx::query(
                "WITH gone AS (DELETE FROM search_stale RETURNING version, opinion), \
                 o AS (DELETE FROM opinions_search WHERE version IN (SELECT version FROM gone WHERE opinion = 1)) \
                 DELETE FROM dialogues_search WHERE version IN (SELECT version FROM gone WHERE opinion = 0)",
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    // An entry's key: FTS5's rowid on SQLite, a column on PostgreSQL.
    let key = match engine {
        Engine::Sqlite => "rowid",
        Engine::Postgres => "version",
    };
    for (index, records) in [
        ("opinions_search", "opinions"),
        ("dialogues_search", "dialogues"),
    ] {
        let sql = format!(
            "INSERT INTO {index} ({key}, search_text) SELECT version, search_text FROM {records} WHERE version > $1 AND version <= $2"
        );
        // Built from fixed names only.
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(until)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE search_indexed SET version = $1 WHERE id = 1")
        .bind(until)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(until)
}

/// Catches up every [`EVERY`] for as long as the server runs.
pub fn keep_current(pool: Pool, engine: Engine) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = catch_up_pausing(&pool, engine, PAUSE).await {
                // A search catches up itself; the next tick tries again.
                tracing::warn!(error = %e, "search index catch-up failed");
            }
        }
    });
}
