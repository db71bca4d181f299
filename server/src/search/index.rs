//! SQLite's trigram index kept current after the writes instead of inside
//! them, as PostgreSQL's GIN index does with its pending list. Indexing a
//! push's 50 opinions was its largest single cost (1.2–1.7 ms of about 6);
//! done here, the same work (about 20 µs an opinion) no longer holds up
//! the device waiting for its verdicts (BENCHMARKS.md, `--bench sync`).
//!
//! Every write of a record takes a new version from the clock, so the
//! index knows what it misses by one number, `search_indexed.version`:
//! every record version up to it is indexed. A record replaced since
//! leaves its old version in `search_stale` (a trigger, migration 0013),
//! removed from the index at the next catch-up. A search catches up first
//! (`Match::current`), so it finds everything committed before it; a task
//! catches up every [`EVERY`] meanwhile, so that a search rarely has much
//! to do. PostgreSQL's indexes are current by themselves: nothing to do.

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

/// Brings SQLite's index up to every record committed when it is called.
/// Cheap when there is nothing to do (one read); safe to run from several
/// tasks or instances at once (each step is a writer's transaction).
pub async fn catch_up(pool: &Pool, engine: Engine) -> Result<(), sqlx::Error> {
    catch_up_pausing(pool, engine, Duration::ZERO).await
}

async fn catch_up_pausing(pool: &Pool, engine: Engine, pause: Duration) -> Result<(), sqlx::Error> {
    if engine != Engine::Sqlite {
        return Ok(());
    }
    // Up to what was committed when it began: under a stream of pushes a
    // search would otherwise chase the clock for ever.
    let (mut indexed, target): (i64, i64) = sqlx::query_as(
        "SELECT i.version, c.version FROM search_indexed i, sync_clock c WHERE i.id = 1 AND c.id = 1",
    )
    .fetch_one(pool)
    .await?;
    while indexed < target {
        indexed = index_some(pool, target).await?;
        tokio::time::sleep(pause).await;
    }
    Ok(())
}

/// One step of a catch-up towards `target`, a writer from its first
/// statement: no other write can come between what it reads and what it
/// writes. Returns the version indexed up to.
async fn index_some(pool: &Pool, target: i64) -> Result<i64, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let (from,): (i64,) = sqlx::query_as("SELECT version FROM search_indexed WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    // Another task may have gone past `target` meanwhile: never back.
    let until = target.min(from + VERSIONS_AT_ONCE).max(from);
    for statement in [
        "DELETE FROM opinions_search WHERE rowid IN (SELECT version FROM search_stale WHERE opinion = 1)",
        "DELETE FROM dialogues_search WHERE rowid IN (SELECT version FROM search_stale WHERE opinion = 0)",
        "DELETE FROM search_stale",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    for statement in [
        "INSERT INTO opinions_search (rowid, search_text) SELECT version, search_text FROM opinions WHERE version > $1 AND version <= $2",
        "INSERT INTO dialogues_search (rowid, search_text) SELECT version, search_text FROM dialogues WHERE version > $1 AND version <= $2",
    ] {
        sqlx::query(statement)
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

/// Catches up every [`EVERY`] for as long as the server runs (SQLite only).
pub fn keep_current(pool: Pool, engine: Engine) {
    if engine != Engine::Sqlite {
        return;
    }
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
