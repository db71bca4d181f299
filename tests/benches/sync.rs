//! Benchmarks that print figures (recorded in BENCHMARKS.md):
//! sync ingest on SQLite and PostgreSQL next to a bare INSERT loop, time to
//! drain 200 queued changes, bytes on the wire per synced opinion, and the
//! bytes of a first visit to the capture screen.
//!
//! Run: `cargo bench -p tests --bench sync` (PostgreSQL at 127.0.0.1:5432;
//! build the bundle first for the first-visit figure). `SYNC_ENGINE=sqlite`
//! or `=postgres` runs one engine; `SYNC_BENCH=ingest` only the ingest.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use shared::sync::device::Workspace;
use shared::sync::{Entity, PushResponse};
use shared::{DeviceId, Dialogue, Opinion};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCH: usize = 50;
const PUSHES: usize = 100;

/// An opinion whose JSON is about 650 bytes, as in the issue.
fn typical_opinion(d: &Dialogue, position: i64, rng: &mut Rng) -> Opinion {
    let mut o = opinion(d, position, "");
    o.speaker_name = [
        "Ông Nguyễn Văn Đức",
        "Bà Lò Thị Mai",
        "Anh Hoàng Văn Tuấn",
        "Chị Lường Thị Hoa",
    ][rng.next(4)]
    .into();
    o.speaker_address = format!(
        "bản {}",
        ["Giàng", "Nà Phát", "Pá Ban", "Huổi Một"][rng.next(4)]
    );
    o.content = words(rng, 170);
    o.answer = words(rng, 60);
    o
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

async fn push_gzip(
    client: &reqwest::Client,
    url: &str,
    batch: &shared::sync::PushRequest,
) -> PushResponse {
    send_gzipped(client, url, gzip(&serde_json::to_vec(batch).unwrap())).await
}

async fn send_gzipped(client: &reqwest::Client, url: &str, body: Vec<u8>) -> PushResponse {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

async fn ingest(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let url = app.url("/api/sync/push");
    let device = DeviceId::new();
    let d = dialogue(HOAN_KIEM);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    push_gzip(
        &secretary,
        &url,
        &batch(device, 1, vec![Entity::Dialogue(d.clone())]),
    )
    .await;
    // Bodies are made before the clock starts, as the bare loop's rows are:
    // both sides time storing, not making test data.
    let bodies: Vec<Vec<u8>> = (0..PUSHES)
        .map(|p| {
            let entities = (0..BATCH)
                .map(|i| Entity::Opinion(typical_opinion(&d, (p * BATCH + i) as i64, &mut rng)))
                .collect();
            let b = batch(device, 2 + (p * BATCH) as u64, entities);
            gzip(&serde_json::to_vec(&b).unwrap())
        })
        .collect();
    // The floor of any push: the same bodies sent by a reviewer are carried
    // over HTTP, their session checked, unzipped and parsed, then refused
    // (403) before anything is read or written.
    let reviewer = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let floor_started = Instant::now();
    for body in &bodies {
        let refused = reviewer
            .post(&url)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    }
    let floor = floor_started.elapsed() / PUSHES as u32;

    // The same rows, bare: one transaction per 50 INSERTs, no HTTP, no checks.
    sqlx::query("CREATE TABLE bench_bare (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
        .execute(&app.pool)
        .await
        .unwrap();
    let rows: Vec<(String, String)> = (0..PUSHES * BATCH)
        .map(|i| {
            (
                format!("{i:08}"),
                serde_json::to_string(&typical_opinion(&d, i as i64, &mut rng)).unwrap(),
            )
        })
        .collect();
    // Pushes and bare transactions take turns, so both meet the same
    // machine, the same log and the same background work.
    let mut latencies = Vec::new();
    let mut bare_times = Vec::new();
    for (body, chunk) in bodies.into_iter().zip(rows.chunks(BATCH)) {
        let t = Instant::now();
        send_gzipped(&secretary, &url, body).await;
        latencies.push(t.elapsed());
        let t = Instant::now();
        let mut tx = app.pool.begin().await.unwrap();
        for (id, data) in chunk {
            sqlx::query("INSERT INTO bench_bare (id, data) VALUES ($1, $2)")
                .bind(id)
                .bind(data)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        bare_times.push(t.elapsed());
    }
    let bare_total: Duration = bare_times.iter().sum();
    bare_times.sort();
    let total: Duration = latencies.iter().sum();
    latencies.sort();
    let rate = (PUSHES * BATCH) as f64 / total.as_secs_f64();
    let bare_rate = rows.len() as f64 / bare_total.as_secs_f64();
    // Both engines index the pushed text for search after the pushes (a task,
    // or the next search): what is left of that work is timed here and
    // counted in a second rate.
    let indexing = Instant::now();
    server::search::index::catch_up(&app.pool, server::db::Engine::of_pool(&app.pool))
        .await
        .unwrap();
    let indexing = indexing.elapsed();
    let indexed_rate = (PUSHES * BATCH) as f64 / (total + indexing).as_secs_f64();
    let bare_batch_ms = BATCH as f64 / bare_rate * 1e3;
    println!(
        "ingest {engine:?} floor: {:.2} ms per push of {BATCH} carried, authenticated and parsed, refused before storing; the bare loop stores {BATCH} rows in {bare_batch_ms:.2} ms (p50 {:.2}, p99 {:.2})",
        floor.as_secs_f64() * 1e3,
        percentile_ms(&bare_times, 0.5),
        percentile_ms(&bare_times, 0.99),
    );
    // A background step (checkpoint, index catch-up) that falls in one
    // side's turn moves the ratio of totals by itself; the ratio of
    // medians is the typical push against the typical bare transaction.
    println!(
        "ingest {engine:?}: {rate:.0} opinions/s in batches of {BATCH} ({} opinions); push p50 {:.1} ms, p99 {:.1} ms; bare INSERT loop {bare_rate:.0} rows/s; ratio sync/bare {:.2}, of medians {:.2}",
        PUSHES * BATCH,
        percentile_ms(&latencies, 0.5),
        percentile_ms(&latencies, 0.99),
        rate / bare_rate,
        percentile_ms(&bare_times, 0.5) / percentile_ms(&latencies, 0.5),
    );
    println!(
        "ingest {engine:?} with the search index caught up after the pushes ({:.1} ms left to index): {indexed_rate:.0} opinions/s; ratio sync/bare {:.2}",
        indexing.as_secs_f64() * 1e3,
        indexed_rate / bare_rate
    );
}

/// 200 changes wait in a device's outbox; the network returns; how long
/// until the outbox is empty and the pull is done (the client's protocol
/// steps, without its 3-second polling tick).
async fn drain_200(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let mut rng = Rng(7);
    let mut device = Workspace::default();
    device.put(Entity::Dialogue(d.clone()), 1).unwrap();
    for i in 1..200 {
        device
            .put(Entity::Opinion(typical_opinion(&d, i, &mut rng)), 1)
            .unwrap();
    }
    assert_eq!(device.outbox.len(), 200);
    let started = Instant::now();
    let mut requests = 0;
    while !device.outbox.is_empty() {
        let b = device.take_batch(shared::sync::MAX_BATCH_CHANGES, usize::MAX, |_| 0);
        let answer = push_gzip(&secretary, &app.url("/api/sync/push"), &b).await;
        device.take_verdicts(answer, 2);
        requests += 1;
    }
    let outbox = &device.outbox;
    let pulled = secretary
        .get(app.url(&format!(
            "/api/sync/pull?since=0&device={}",
            outbox.device_id
        )))
        .send()
        .await
        .unwrap();
    assert!(pulled.status().is_success());
    requests += 1;
    println!(
        "drain {engine:?}: 200 queued changes synced in {:.1} ms over {requests} requests",
        started.elapsed().as_secs_f64() * 1e3
    );
}

/// A TCP proxy that counts every byte both ways, headers included.
async fn counting_proxy(target: String) -> (String, Arc<AtomicU64>, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (u, dn) = (up.clone(), down.clone());
    let target = target.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        loop {
            let (mut inbound, _) = listener.accept().await.unwrap();
            let target = target.clone();
            let (u, dn) = (u.clone(), dn.clone());
            tokio::spawn(async move {
                let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
                if let Ok((a, b)) = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await
                {
                    u.fetch_add(a, Ordering::SeqCst);
                    dn.fetch_add(b, Ordering::SeqCst);
                }
            });
        }
    });
    (addr, up, down)
}

fn cookie_of(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn wait_counted(up: &AtomicU64, down: &AtomicU64, before: (u64, u64)) -> (u64, u64) {
    // copy_bidirectional reports when the connection closes.
    for _ in 0..100 {
        let now = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
        if now.0 > before.0 && now.1 > before.1 {
            return (now.0 - before.0, now.1 - before.1);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("proxy counted nothing");
}

async fn wire_bytes() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let (proxy, up, down) = counting_proxy(app.addr.clone()).await;
    // A fresh connection per request, so the proxy sees each one close.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let login = client
        .post(format!("{proxy}/api/login"))
        .json(&serde_json::json!({"username": "thuky", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = cookie_of(&login);
    drop(login);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let d = dialogue(HOAN_KIEM);
    let mut rng = Rng(42);
    let device = DeviceId::new();
    let sample = typical_opinion(&d, 0, &mut rng);
    let opinion_json = serde_json::to_vec(&sample).unwrap().len();
    let before = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
    let _ = client
        .post(format!("{proxy}/api/sync/push"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gzip(
            &serde_json::to_vec(&batch(device, 1, vec![Entity::Dialogue(d.clone())])).unwrap(),
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await;
    let _ = wait_counted(&up, &down, before).await;
    let before = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
    let entities: Vec<Entity> = (0..BATCH)
        .map(|i| Entity::Opinion(typical_opinion(&d, i as i64, &mut rng)))
        .collect();
    let raw = serde_json::to_vec(&batch(device, 2, entities.clone())).unwrap();
    let response = client
        .post(format!("{proxy}/api/sync/push"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gzip(&raw))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let _ = response.bytes().await;
    let (sent, received) = wait_counted(&up, &down, before).await;
    println!(
        "wire: push of {BATCH} opinions (about {opinion_json} B of JSON each, {} B raw batch): {sent} B up + {received} B down = {:.0} B per opinion",
        raw.len(),
        (sent + received) as f64 / BATCH as f64
    );
    let before = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
    let response = client
        .get(format!("{proxy}/api/sync/pull?since=0&device={device}"))
        .header("cookie", &cookie)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    let _ = response.bytes().await;
    let (sent, received) = wait_counted(&up, &down, before).await;
    println!(
        "wire: a sync with nothing to send: 1 request (pull), {sent} B up + {received} B down"
    );
}

async fn first_visit() {
    let site = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    if !site.join("manifest.json").exists() {
        println!(
            "first visit: skipped, build the bundle first (cargo run -p xtask --release -- site)"
        );
        return;
    }
    let app = TestApp::spawn_with_site(Engine::Sqlite, site.clone()).await;
    let (proxy, up, down) = counting_proxy(app.addr.clone()).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("manifest.json")).unwrap()).unwrap();
    // The page, its service worker and the app manifest (Chrome fetches it
    // to offer the install), then what the worker precaches at install:
    // the other offline pages and the field bundle.
    let mut paths = vec![
        "/capture".to_owned(),
        "/sw.js".to_owned(),
        "/manifest.webmanifest".to_owned(),
    ];
    paths.extend(
        server::assets::offline_pages()
            .into_iter()
            .filter(|p| *p != "/capture")
            .map(str::to_owned),
    );
    paths.extend(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned()),
    );
    let mut total = 0;
    for path in &paths {
        let before = (up.load(Ordering::SeqCst), down.load(Ordering::SeqCst));
        let response = client
            .get(format!("{proxy}{path}"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        let encoding = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let _ = response.bytes().await;
        let (sent, received) = wait_counted(&up, &down, before).await;
        total += sent + received;
        println!("first visit: {path} {received} B down ({encoding})");
    }
    println!("first visit: {total} B in all, requests and responses with headers");
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let engines = match std::env::var("SYNC_ENGINE").as_deref() {
        Ok("sqlite") => vec![Engine::Sqlite],
        Ok("postgres") => vec![Engine::Postgres],
        _ => vec![Engine::Sqlite, Engine::Postgres],
    };
    let ingest_only = std::env::var("SYNC_BENCH").as_deref() == Ok("ingest");
    rt.block_on(async {
        for engine in &engines {
            ingest(*engine).await;
        }
        if ingest_only {
            return;
        }
        for engine in &engines {
            drain_200(*engine).await;
        }
        wire_bytes().await;
        first_visit().await;
    });
}
