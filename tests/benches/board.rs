//! The overdue board at scale, through the real API: a province with
//! 100,000 follow-up items (Hà Nội's wards), read by the province's staff;
//! and a nation with 1,000,000 items over every province, read by the
//! administrator (the whole country) and by one province's staff. Items
//! are spread over stages, agencies, kinds, fields and two years of due
//! dates around the clock's "today" (2 March 2026). Prints the load time
//! and p50/p99 of the board plain, filtered by kind, and searched.
//!
//! `cargo bench -p tests --bench board` (PostgreSQL at 127.0.0.1:5432).
//! `BOARD_PROVINCE_ITEMS` and `BOARD_NATION_ITEMS` change the sizes;
//! `BOARD_ENGINE=sqlite|postgres` runs one engine.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use shared::follow_up::api::Board;
use shared::text::fold;
use shared::{OpinionKind, SubjectField};
use std::time::{Duration, Instant};

const PER_DIALOGUE: usize = 5;
const RUNS: usize = 20;
const STEP: usize = 50_000;

/// Fills the items over the communes of `provinces` (all when empty).
async fn fill(app: &TestApp, provinces: &[&str], items: usize) -> Duration {
    let started = Instant::now();
    let communes: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, parent_code FROM units WHERE parent_code IS NOT NULL ORDER BY code",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let communes: Vec<(String, String)> = communes
        .into_iter()
        .filter(|(_, p)| provinces.is_empty() || provinces.contains(&p.as_str()))
        .collect();
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let (recorder,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = 'thuky'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Two agencies per commune.
    let agencies: Vec<(String, String)> = communes
        .iter()
        .flat_map(|(c, _)| [0, 1].map(|n| (uuid::Uuid::now_v7().to_string(), format!("{c}-{n}"))))
        .collect();
    insert_rows(
        &app.pool,
        "INSERT INTO agencies (id, unit_code, name, name_folded, created_at)",
        5,
        0..agencies.len(),
        |i, q| {
            let (id, name) = &agencies[i];
            q.bind(id.clone())
                .bind(communes[i / 2].0.clone())
                .bind(format!("Cơ quan {name}"))
                .bind(fold(&format!("Cơ quan {name}")))
                .bind(0_i64)
        },
    )
    .await;
    let mut rng = Rng(0xB0A2D);
    let dialogues = items.div_ceil(PER_DIALOGUE);
    let day = |n: usize| {
        let base: chrono::NaiveDate = "2025-03-01".parse().unwrap();
        (base + chrono::Days::new(n as u64)).to_string()
    };
    for first in (0..dialogues).step_by(STEP / PER_DIALOGUE) {
        let range = first..dialogues.min(first + STEP / PER_DIALOGUE);
        let ds: Vec<shared::Dialogue> = range
            .clone()
            .map(|i| {
                let mut d = dialogue(&communes[i % communes.len()].0);
                d.planned_at = format!("{}T08:00", day(i % 600));
                d
            })
            .collect();
        insert_dialogue_rows(
            &app.pool,
            &ds,
            &recorder,
            1 + range.start as i64,
            Some("finalised"),
            |_| String::new(),
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO conclusion_notices (dialogue_id, number, issued_on, conclusion, issued_by, issued_at)",
            6,
            0..ds.len(),
            |j, q| {
                q.bind(ds[j].id.to_string())
                    .bind("1/TB-UBND")
                    .bind(day((range.start + j) % 600 + 5))
                    .bind("Kết luận")
                    .bind(recorder.clone())
                    .bind(0_i64)
            },
        )
        .await;
        // The items of these dialogues: opinion rows, then item rows.
        let rows: Vec<_> = (0..ds.len() * PER_DIALOGUE)
            .map(|k| {
                let i = range.start * PER_DIALOGUE + k;
                let d = &ds[k / PER_DIALOGUE];
                let unit = communes[(range.start + k / PER_DIALOGUE) % communes.len()].clone();
                let mut o = opinion(d, (k % PER_DIALOGUE) as i64, "");
                o.kind = OpinionKind::ALL[rng.next(OpinionKind::ALL.len())];
                o.field = SubjectField::ALL[rng.next(SubjectField::ALL.len())];
                o.content = words(&mut rng, 160);
                o.needs_follow_up = true;
                let assigned = (range.start + k / PER_DIALOGUE) % 600 + 5;
                let due = assigned + 30;
                let (stage, replied) = match rng.next(10) {
                    0..=2 => ("assigned", None),
                    3..=6 => ("closed", Some(due + rng.next(20) - 10)),
                    _ => ("replied", Some(due + rng.next(20) - 10)),
                };
                let agency = agencies
                    [(range.start + k / PER_DIALOGUE) % communes.len() * 2 + rng.next(2)]
                .0
                .clone();
                (o, unit, agency, stage, assigned, due, replied, i)
            })
            .collect();
        insert_rows(
            &app.pool,
            "INSERT INTO opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted, created_by, protected)",
            11,
            0..rows.len(),
            |j, q| {
                let (o, _, _, _, _, _, _, i) = &rows[j];
                q.bind(o.id.to_string())
                    .bind(o.dialogue_id.to_string())
                    .bind(serde_json::to_string(o).unwrap())
                    .bind(fold(&o.content))
                    .bind((dialogues + i + 1) as i64)
                    .bind(0_i64)
                    .bind("bench")
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(recorder.clone())
                    .bind(0_i64)
            },
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO follow_items (opinion_id, dialogue_id, unit_code, province_code, kind, field, instructions, stage, agency_id, assigned_on, first_due, due, replied_on, forwarded, revision, updated_at)",
            16,
            0..rows.len(),
            |j, q| {
                let (o, (unit, province), agency, stage, assigned, due, replied, i) = &rows[j];
                let tag = |v: serde_json::Value| v.as_str().unwrap().to_owned();
                q.bind(o.id.to_string())
                    .bind(o.dialogue_id.to_string())
                    .bind(unit.clone())
                    .bind(province.clone())
                    .bind(tag(serde_json::to_value(o.kind).unwrap()))
                    .bind(tag(serde_json::to_value(o.field).unwrap()))
                    .bind(String::new())
                    .bind(*stage)
                    .bind(agency.clone())
                    .bind(day(*assigned))
                    .bind(day(*due))
                    .bind(day(due + if i % 10 == 0 { 30 } else { 0 }))
                    .bind(replied.map(day))
                    .bind(i64::from(i % 20 == 0))
                    .bind(1_i64)
                    .bind(0_i64)
            },
        )
        .await;
    }
    if app.database_url.starts_with("postgres") {
        sqlx::query("VACUUM ANALYZE")
            .execute(&app.pool)
            .await
            .unwrap();
    }
    settle_synced_rows(&app.pool).await;
    started.elapsed()
}

async fn measure(app: &TestApp, who: &reqwest::Client, label: &str) {
    for (class, query) in [
        ("plain", ""),
        ("kind filter", "?kind=complaint"),
        ("search", "?q=nam%20pan"),
    ] {
        let mut times = Vec::new();
        let mut total = 0;
        for run in 0..=RUNS {
            let started = Instant::now();
            let board: Board =
                get_json(who, &app.url(&format!("/api/follow-up/board{query}"))).await;
            // The first run warms the caches; it is not counted.
            if run > 0 {
                times.push(started.elapsed());
            }
            total = board.total.total;
        }
        times.sort();
        println!(
            "  {label}, {class}: {total} items counted; p50 {:.1} ms, p99 {:.1} ms",
            percentile_ms(&times, 0.5),
            percentile_ms(&times, 0.99)
        );
    }
}

async fn province(engine: Engine, items: usize) {
    let app = TestApp::spawn(engine).await;
    let loaded = fill(&app, &[HANOI], items).await;
    println!(
        "board {engine:?}, a province of {items} items (loaded in {:.0} s):",
        loaded.as_secs_f64()
    );
    let staff = app.user("tonghop", "reviewer", HANOI).await;
    measure(&app, &staff, "Hà Nội's staff").await;
}

async fn nation(engine: Engine, items: usize) {
    let app = TestApp::spawn(engine).await;
    let loaded = fill(&app, &[], items).await;
    println!(
        "board {engine:?}, a nation of {items} items (loaded in {:.0} s):",
        loaded.as_secs_f64()
    );
    measure(&app, &app.admin, "the administrator (whole country)").await;
    let staff = app.user("tonghop", "reviewer", HANOI).await;
    measure(&app, &staff, "Hà Nội's staff").await;
}

#[tokio::main]
async fn main() {
    let province_items = setting("BOARD_PROVINCE_ITEMS", 100_000);
    let nation_items = setting("BOARD_NATION_ITEMS", 1_000_000);
    let engines = match std::env::var("BOARD_ENGINE").as_deref() {
        Ok("sqlite") => vec![Engine::Sqlite],
        Ok("postgres") => vec![Engine::Postgres],
        _ => vec![Engine::Sqlite, Engine::Postgres],
    };
    for engine in engines {
        province(engine, province_items).await;
        nation(engine, nation_items).await;
    }
}
