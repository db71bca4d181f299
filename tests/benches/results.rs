//! The public results and the province's compliance view at a province's
//! scale, through the real API. A province of about 100 communes (the one
//! of the official list nearest to 100) gets a year of data per commune:
//! `RESULTS_PER_COMMUNE` dialogues (24 by default, two of them periodic
//! and in the plan; the first commune three times as many), five opinions
//! each, notices, items with replies on time and late, most results
//! published. Prints:
//! - the compliance table of the province for 2026 (p50/p99) and its CSV;
//! - a commune's public page and the province's: bytes on the wire as
//!   sent (identity, gzip, br) and time to first byte (p50/p99).
//!
//! `cargo bench -p tests --bench results` (PostgreSQL at 127.0.0.1:5432);
//! `RESULTS_ENGINE=sqlite|postgres` runs one engine.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/province.rs"]
mod province;

use common::*;
use province::{fill, province_of_about_100};
use shared::compliance::Compliance;
use std::time::{Duration, Instant};

const RUNS: usize = 20;

/// p50 and p99 of `RUNS` timed calls after one warm-up.
async fn timed<F, Fut>(mut call: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    call().await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        times.push(call().await);
    }
    times.sort();
    (percentile_ms(&times, 0.5), percentile_ms(&times, 0.99))
}

/// The public page at `path`: bytes as sent for each encoding, and the
/// time to the first byte (the answer's head) with br. Each encoding is
/// read from its own client address, under the public limit.
async fn public_page(app: &TestApp, label: &str, path: &str) {
    let mut sizes = Vec::new();
    for (n, encoding) in [(21_u8, "identity"), (22, "gzip"), (23, "br")] {
        // No decoding here: the length is what travels.
        let reader = reqwest::Client::builder()
            .no_gzip()
            .local_address(std::net::IpAddr::from([127, 0, 0, n]))
            .build()
            .unwrap();
        let url = app.url(path);
        let answer = reader
            .get(&url)
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        sizes.push(format!(
            "{encoding} {} B",
            answer.bytes().await.unwrap().len()
        ));
        if encoding == "br" {
            let (p50, p99) = timed(|| async {
                let started = Instant::now();
                let answer = reader
                    .get(&url)
                    .header("accept-encoding", "br")
                    .send()
                    .await
                    .unwrap();
                let first_byte = started.elapsed();
                answer.bytes().await.unwrap();
                first_byte
            })
            .await;
            println!(
                "  {label}: {}; time to first byte p50 {p50:.1} ms, p99 {p99:.1} ms",
                sizes.join(", ")
            );
        }
    }
}

async fn run(engine: Engine, per_commune: usize) {
    let app = TestApp::spawn(engine).await;
    app.clock.set_today("2026-12-20".parse().unwrap());
    let province = province_of_about_100(&app).await;
    let loaded = fill(&app, &province, per_commune).await;
    println!(
        "results {engine:?}: province {} with {} communes × {per_commune} dialogues of 2026 (loaded in {:.0} s):",
        province.code,
        province.communes.len(),
        loaded.as_secs_f64()
    );
    let staff = app.user("tinh", "reviewer", &province.code).await;
    let table_url = app.url(&format!(
        "/api/compliance?province={}&year=2026",
        province.code
    ));
    let rows = get_json::<Compliance>(&staff, &table_url).await.rows.len();
    let (p50, p99) = timed(|| async {
        let started = Instant::now();
        get_json::<Compliance>(&staff, &table_url).await;
        started.elapsed()
    })
    .await;
    println!("  compliance table ({rows} rows): p50 {p50:.1} ms, p99 {p99:.1} ms");
    let csv_url = app.url(&format!(
        "/api/compliance/csv?province={}&year=2026",
        province.code
    ));
    let (p50, p99) = timed(|| async {
        let started = Instant::now();
        staff
            .get(&csv_url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        started.elapsed()
    })
    .await;
    println!("  compliance CSV: p50 {p50:.1} ms, p99 {p99:.1} ms");
    public_page(
        &app,
        "a commune's public page (its year)",
        &format!("/public?unit={}", province.communes[1].0),
    )
    .await;
    public_page(
        &app,
        "the busiest commune's public page (a full page)",
        &format!("/public?unit={}", province.communes[0].0),
    )
    .await;
    public_page(
        &app,
        "the province's public page (its communes listed)",
        &format!("/public?unit={}", province.code),
    )
    .await;
}

#[tokio::main]
async fn main() {
    let per_commune = setting("RESULTS_PER_COMMUNE", 24);
    let engines = match std::env::var("RESULTS_ENGINE").as_deref() {
        Ok("sqlite") => vec![Engine::Sqlite],
        Ok("postgres") => vec![Engine::Postgres],
        _ => vec![Engine::Sqlite, Engine::Postgres],
    };
    for engine in engines {
        run(engine, per_commune).await;
    }
}
