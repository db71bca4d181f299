//! 500 tablets against one server, each on its own schedule, as the app's
//! sync loop runs them: every 3 seconds a tablet with queued changes pulls
//! and then pushes them; an idle one pulls once a minute. A secretary types
//! in half the ticks (1 to 3 edits of the opinion being written; a new
//! opinion every 20 edits). Five tablets share each of 100 wards, so pulls
//! carry the other tablets' work. Prints requests, errors, p50 and p99 of
//! push and pull, on SQLite and on PostgreSQL.
//!
//! `cargo bench -p tests --bench load` (PostgreSQL at 127.0.0.1:5432).
//! `LOAD_DEVICES` and `LOAD_SECONDS` change the defaults (500, 60);
//! `LOAD_INSTANCES=2` splits the tablets between two server instances on
//! the one database (each tablet keeps to one; a secretary's five tablets
//! are spread over both). `LOAD_ENGINE=sqlite` or `postgres` runs one.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use shared::sync::device::Workspace;
use shared::sync::{Entity, PullResponse, PushResponse, MAX_BATCH_CHANGES};
use shared::UnitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

const TICK: Duration = Duration::from_secs(3);
const IDLE_PULL: Duration = Duration::from_secs(60);
const DEVICES_PER_WARD: usize = 5;

#[derive(Default)]
struct Stats {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    errors: Vec<String>,
    changes: usize,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// One tablet's life until `stop`.
async fn tablet(
    client: reqwest::Client,
    base: String,
    unit: String,
    seed: u64,
    stop: Instant,
    stats: Arc<Mutex<Stats>>,
) {
    let mut rng = Rng(seed);
    let mut ws = Workspace::default();
    let d = dialogue(&unit);
    ws.put(Entity::Dialogue(d.clone()), now_ms()).unwrap();
    let mut writing = opinion(&d, 1, "Đề nghị");
    let mut edits = 0;
    let mut last_pull: Option<Instant> = None;
    tokio::time::sleep(Duration::from_millis(rng.next(3000) as u64)).await;
    while Instant::now() < stop {
        if rng.next(2) == 0 {
            for _ in 0..=rng.next(3) {
                edits += 1;
                if edits % 20 == 0 {
                    writing = opinion(&d, 1 + edits / 20, "Kiến nghị");
                }
                writing.content.push(' ');
                writing.content.push_str(&words(&mut rng, 1));
                ws.put(Entity::Opinion(writing.clone()), now_ms()).unwrap();
            }
        }
        let pending = !ws.outbox.is_empty();
        if pending || last_pull.is_none_or(|at| at.elapsed() > IDLE_PULL) {
            round(&client, &base, &mut ws, &stats).await;
            last_pull = Some(Instant::now());
        }
        tokio::time::sleep(TICK).await;
    }
}

/// One sync round as the app's: pull every page, then push the outbox.
async fn round(client: &reqwest::Client, base: &str, ws: &mut Workspace, stats: &Mutex<Stats>) {
    loop {
        let url = format!(
            "{base}/api/sync/pull?since={}&device={}",
            ws.cursor, ws.outbox.device_id
        );
        let started = Instant::now();
        let page = match client.get(url).send().await {
            Ok(r) if r.status().is_success() => r.json::<PullResponse>().await.ok(),
            Ok(r) => {
                stats
                    .lock()
                    .unwrap()
                    .errors
                    .push(format!("pull {}", r.status()));
                return;
            }
            Err(e) => {
                stats.lock().unwrap().errors.push(format!("pull {e}"));
                return;
            }
        };
        stats.lock().unwrap().pull.push(started.elapsed());
        let Some(page) = page else { return };
        let more = page.has_more;
        ws.merge(page);
        if !more {
            break;
        }
    }
    while !ws.outbox.is_empty() {
        let batch = ws.take_batch(MAX_BATCH_CHANGES, usize::MAX, |_| 0);
        let count = batch.changes.len();
        let started = Instant::now();
        let sent = client
            .post(format!("{base}/api/sync/push"))
            .json(&batch)
            .send()
            .await;
        let answer = match sent {
            Ok(r) if r.status().is_success() => r.json::<PushResponse>().await.ok(),
            Ok(r) => {
                stats
                    .lock()
                    .unwrap()
                    .errors
                    .push(format!("push {}", r.status()));
                return;
            }
            Err(e) => {
                stats.lock().unwrap().errors.push(format!("push {e}"));
                return;
            }
        };
        let mut s = stats.lock().unwrap();
        s.push.push(started.elapsed());
        s.changes += count;
        drop(s);
        let Some(answer) = answer else { return };
        ws.take_verdicts(answer, now_ms());
    }
}

async fn load(engine: Engine, devices: usize, seconds: u64, instances: usize) {
    let app = TestApp::spawn(engine).await;
    let mut bases = vec![app.addr.clone()];
    while bases.len() < instances {
        bases.push(app.another_instance().await);
    }
    let wards: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE level = 'commune' ORDER BY code LIMIT $1")
            .bind(devices.div_ceil(DEVICES_PER_WARD) as i64)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let mut secretaries = Vec::new();
    for (i, (ward,)) in wards.iter().enumerate() {
        UnitCode::parse(ward).unwrap();
        let name = format!("thuky{i}");
        secretaries.push((app.user(&name, "secretary", ward).await, ward.clone()));
    }
    let stats = Arc::new(Mutex::new(Stats::default()));
    let started = Instant::now();
    let stop = started + Duration::from_secs(seconds);
    let tablets: Vec<_> = (0..devices)
        .map(|n| {
            let (client, ward) = secretaries[n / DEVICES_PER_WARD].clone();
            tokio::spawn(tablet(
                client,
                bases[n % bases.len()].clone(),
                ward,
                0x9E37_79B9 + n as u64,
                stop,
                stats.clone(),
            ))
        })
        .collect();
    for t in tablets {
        t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut s = std::mem::take(&mut *stats.lock().unwrap());
    s.push.sort();
    s.pull.sort();
    let stored = app.count("revisions").await;
    println!(
        "load {engine:?}: {devices} tablets on {instances} instance(s) for {elapsed:.0} s: {} pushes ({:.1}/s) p50 {:.1} ms p99 {:.1} ms max {:.1} ms; \
         {} pulls ({:.1}/s) p50 {:.1} ms p99 {:.1} ms max {:.1} ms; {} changes sent, {stored} kept; {} errors{}",
        s.push.len(),
        s.push.len() as f64 / elapsed,
        percentile_ms(&s.push, 0.5),
        percentile_ms(&s.push, 0.99),
        percentile_ms(&s.push, 1.0),
        s.pull.len(),
        s.pull.len() as f64 / elapsed,
        percentile_ms(&s.pull, 0.5),
        percentile_ms(&s.pull, 0.99),
        percentile_ms(&s.pull, 1.0),
        s.changes,
        s.errors.len(),
        s.errors
            .first()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default(),
    );
}

fn main() {
    let devices = setting("LOAD_DEVICES", 500);
    let seconds = setting("LOAD_SECONDS", 60) as u64;
    let instances = setting("LOAD_INSTANCES", 1).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let only = std::env::var("LOAD_ENGINE").unwrap_or_default();
        for engine in [Engine::Sqlite, Engine::Postgres] {
            if only.is_empty() || format!("{engine:?}").eq_ignore_ascii_case(&only) {
                load(engine, devices, seconds, instances).await;
            }
        }
    });
}
