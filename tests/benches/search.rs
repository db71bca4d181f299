//! Search of the review list at national scale: 50,000 dialogues of 20
//! opinions each (1,000,000 opinions of about 650 bytes) in 100 wards of
//! one province, searched by the province's reviewer through the real API.
//! Query classes: a rare phrase (100 opinions), a middling one (4,000), a
//! common word and a common name (hundreds of thousands), nothing found,
//! and two letters (too short for a trigram). Prints the load time and
//! p50/p99 of each class, and p99 over every query of three letters or
//! more, on SQLite and on PostgreSQL.
//!
//! `cargo bench -p tests --bench search` (PostgreSQL at 127.0.0.1:5432).
//! `SEARCH_OPINIONS` changes the size (default 1,000,000);
//! `SEARCH_ENGINE=sqlite|postgres` runs one engine.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use shared::review::DialoguePage;
use shared::text::fold;
use shared::{Dialogue, UnitCode};
use std::time::{Duration, Instant};

const PER_DIALOGUE: usize = 20;
const RUNS: usize = 20;

const RARE: &str = "nhà máy gạch tuynel";
const MIDDLING: &str = "trạm bơm Nà Lừa";

async fn fill(app: &TestApp, opinions: usize) -> Duration {
    let wards: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM units WHERE parent_code = $1 ORDER BY code LIMIT 100")
            .bind(HANOI)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let (recorder,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = 'thuky'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let started = Instant::now();
    let count = opinions / PER_DIALOGUE;
    let mut rng = Rng(0x5EED);
    let dialogues: Vec<Dialogue> = (0..count)
        .map(|i| {
            let mut d = dialogue(&wards[i % wards.len()].0);
            UnitCode::parse(d.unit_code.as_str()).unwrap();
            d.planned_at = format!(
                "20{:02}-{:02}-{:02}T08:00",
                25 + i % 2,
                1 + rng.next(12),
                1 + rng.next(28)
            );
            d.topic = words(&mut rng, 60);
            d
        })
        .collect();
    let search: Vec<String> = dialogues
        .iter()
        .map(|d| fold(&format!("{}\n{}", d.topic, d.venue)))
        .collect();
    insert_dialogue_rows(&app.pool, &dialogues[..count], &recorder, 1, None, |i| {
        search[i].clone()
    })
    .await;
    let step = 50_000;
    for first in (0..opinions).step_by(step) {
        let batch: Vec<(String, String, String, String)> = (first..opinions.min(first + step))
            .map(|i| {
                let d = &dialogues[i / PER_DIALOGUE];
                let mut o = opinion(d, (i % PER_DIALOGUE) as i64, "");
                o.speaker_name = [
                    "Nguyễn Văn Đức",
                    "Lò Thị Mai",
                    "Hoàng Văn Tuấn",
                    "Lường Thị Hoa",
                ][rng.next(4)]
                .into();
                o.content = words(&mut rng, 400);
                if i % 10_000 == 7 {
                    o.content.push_str(RARE);
                }
                if i % 250 == 3 {
                    o.content.push_str(MIDDLING);
                }
                o.answer = words(&mut rng, 100);
                let text = fold(&format!("{}\n{}\n{}", o.speaker_name, o.content, o.answer));
                (
                    o.id.to_string(),
                    d.id.to_string(),
                    serde_json::to_string(&o).unwrap(),
                    text,
                )
            })
            .collect();
        insert_rows(
            &app.pool,
            "INSERT INTO opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted, created_by, protected)",
            11,
            0..batch.len(),
            |j, q| {
                let (id, dialogue, data, text) = &batch[j];
                q.bind(id.clone())
                    .bind(dialogue.clone())
                    .bind(data.clone())
                    .bind(text.clone())
                    .bind((count + first + j + 1) as i64)
                    .bind(0_i64)
                    .bind("bench")
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(recorder.clone())
                    .bind(0_i64)
            },
        )
        .await;
    }
    if app.database_url.starts_with("postgres") {
        sqlx::query("ANALYZE").execute(&app.pool).await.unwrap();
    }
    settle_synced_rows(&app.pool).await;
    started.elapsed()
}

async fn search(engine: Engine, opinions: usize) {
    let app = TestApp::spawn(engine).await;
    let loaded = fill(&app, opinions).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    println!(
        "search {engine:?}: {opinions} opinions in {} dialogues loaded in {:.0} s",
        opinions / PER_DIALOGUE,
        loaded.as_secs_f64()
    );
    let classes = [
        ("rare phrase", RARE),
        ("middling phrase", MIDDLING),
        ("common word", "đất"),
        ("common name", "nguyen van duc"),
        ("nothing found", "xyzzy quux"),
        ("two letters", "bả"),
    ];
    let mut indexed = Vec::new();
    for (class, q) in classes {
        let mut times = Vec::new();
        let mut found = 0;
        for run in 0..=RUNS {
            let started = Instant::now();
            let page: DialoguePage = reviewer
                .get(app.url("/api/dialogues"))
                .query(&[("q", q)])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            // The first run warms the caches; it is not counted.
            if run > 0 {
                times.push(started.elapsed());
            }
            found = page.items.len();
        }
        times.sort();
        println!(
            "  {class:>15} «{q}»: {found} on the first page; p50 {:.1} ms, p99 {:.1} ms",
            percentile_ms(&times, 0.5),
            percentile_ms(&times, 0.99)
        );
        if class != "two letters" {
            indexed.extend(times);
        }
    }
    indexed.sort();
    println!(
        "search {engine:?}: every query of three letters or more: p50 {:.1} ms, p99 {:.1} ms over {} queries",
        percentile_ms(&indexed, 0.5),
        percentile_ms(&indexed, 0.99),
        indexed.len()
    );
}

fn main() {
    let opinions = setting("SEARCH_OPINIONS", 1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let engines = match std::env::var("SEARCH_ENGINE").as_deref() {
            Ok("sqlite") => vec![Engine::Sqlite],
            Ok("postgres") => vec![Engine::Postgres],
            _ => vec![Engine::Sqlite, Engine::Postgres],
        };
        for engine in engines {
            search(engine, opinions).await;
        }
    });
}
