//! What documents and exports cost (issue 13). Prints:
//! - an XLSX (and a CSV) of `DOCUMENTS_ROWS` rows (100,000 by default) of
//!   the opinions export's twelve columns: time, size, and the process's
//!   peak memory before and after (measured first, before anything else
//!   grows the process);
//! - the minutes of one dialogue with 60 opinions as DOCX and as PDF:
//!   p50/p99 of 20 renders after one warm-up, and the very first PDF
//!   (fonts parsed);
//! - a province's annual report through the API, at about
//!   `DOCUMENTS_ITEMS` follow-up items (100,000 by default): the figures
//!   (open the report), its DOCX and its PDF, p50/p99 of 5 after one.
//!
//! `cargo bench -p tests --bench documents` (PostgreSQL at 127.0.0.1:5432);
//! `DOCUMENTS_ENGINE=sqlite|postgres` runs one engine.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/province.rs"]
mod province;

use common::*;
use province::{fill, province_of_about_100, OPINIONS};
use server::documents::minutes::{minutes, Names, Version};
use server::export::{Cell, Format, Table};
use server::routes::follow_up::StoredOpinion;
use shared::OpinionKind;
use std::time::{Duration, Instant};

/// The process's peak resident memory so far, in MB (Linux `VmHWM`).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn spreadsheet(rows: usize) -> Table {
    let mut rng = Rng(0x5EED);
    Table {
        sheet: "Ý kiến".into(),
        header: [
            "Đơn vị",
            "Loại",
            "Lĩnh vực",
            "Người nêu",
            "Địa chỉ",
            "Nội dung",
            "Cơ quan giải quyết",
            "Tình trạng",
            "Hạn trả lời",
            "Ngày trả lời",
            "Đã chuyển",
            "Số ngày quá hạn",
        ]
        .map(|h| (h, 16.0))
        .to_vec(),
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::from(format!("Xã {}", i % 100)),
                    "Kiến nghị".into(),
                    "Đất đai".into(),
                    "Ông Nguyễn Văn Đức".into(),
                    "Thôn 4".into(),
                    words(&mut rng, 160).into(),
                    "Công an xã".into(),
                    "Đã trả lời".into(),
                    "01/04/2026".into(),
                    "28/03/2026".into(),
                    "".into(),
                    Cell::from((i % 30) as i64),
                ]
            })
            .collect(),
    }
}

fn spreadsheets() {
    let rows = setting("DOCUMENTS_ROWS", 100_000);
    let before = peak_mb();
    let started = Instant::now();
    let table = spreadsheet(rows);
    let built = started.elapsed();
    for format in [Format::Xlsx, Format::Csv] {
        let started = Instant::now();
        let bytes = table.bytes(format).unwrap();
        println!(
            "{format:?} of {rows} rows: {:.2} s to write ({:.2} s to build the rows), {:.1} MB; peak memory {:.0} MB (before {:.0} MB)",
            started.elapsed().as_secs_f64(),
            built.as_secs_f64(),
            bytes.len() as f64 / 1e6,
            peak_mb(),
            before
        );
    }
}

fn p50_p99(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "p50 {:.1} ms, p99 {:.1} ms",
        percentile_ms(&times, 0.5),
        percentile_ms(&times, 0.99)
    )
}

fn minutes_of_60() {
    let mut rng = Rng(60);
    let mut d = dialogue("05200");
    d.topic = "Đối thoại định kỳ về đất đai, môi trường và chính sách xã hội".into();
    d.chair_name = "Nguyễn Văn Đức".into();
    d.citizens_attending = 160;
    d.conclusion = words(&mut rng, 600);
    d.start(1_780_000_000_000).unwrap();
    d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", 1_780_010_000_000)
        .unwrap();
    let opinions: Vec<StoredOpinion> = (0..60)
        .map(|n| {
            let mut o = opinion(&d, n + 1, &words(&mut rng, 300));
            o.answer = words(&mut rng, 200);
            if n % 12 == 5 {
                o.kind = OpinionKind::Denunciation;
            }
            StoredOpinion {
                protected: o.kind == OpinionKind::Denunciation,
                opinion: o,
            }
        })
        .collect();
    let names = Names {
        unit: "Xã Mai Châu",
        province: Some("Phú Thọ"),
    };
    let doc = minutes(&d, &names, &opinions, Version::Outside);
    let started = Instant::now();
    let first = server::documents::pdf::render(&doc).unwrap();
    println!(
        "minutes of 60 opinions, first PDF (fonts parsed): {:.1} ms, {} KB",
        started.elapsed().as_secs_f64() * 1000.0,
        first.len() / 1024
    );
    for (label, render) in [
        (
            "DOCX",
            (|d| server::documents::docx::render(d)) as fn(&_) -> Vec<u8>,
        ),
        ("PDF", |d| server::documents::pdf::render(d).unwrap()),
    ] {
        let size = render(&doc).len();
        let times = (0..20)
            .map(|_| {
                let started = Instant::now();
                render(&doc);
                started.elapsed()
            })
            .collect();
        println!(
            "minutes of 60 opinions as {label}: {}, {} KB",
            p50_p99(times),
            size / 1024
        );
    }
}

async fn annual_report(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let p = province_of_about_100(&app).await;
    // Three items for nine dialogues in ten, each commune `per` dialogues
    // (the first three times as many).
    let target = setting("DOCUMENTS_ITEMS", 100_000);
    let per = target * 10 / (27 * (p.communes.len() + 2));
    let seeded = fill(&app, &p, per).await;
    let (items,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM follow_items")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let opinions = app.count("opinions").await;
    println!(
        "{engine:?}: province {} with {} communes, {items} items, {opinions} opinions ({OPINIONS} a dialogue), seeded in {:.0} s",
        p.code,
        p.communes.len(),
        seeded.as_secs_f64()
    );
    app.clock.set_today("2026-12-20".parse().unwrap());
    let office = app.user("tinh", "reviewer", &p.code).await;
    let created: serde_json::Value = office
        .post(app.url("/api/reports"))
        .json(&serde_json::json!({ "unit_code": p.code, "period": "year", "year": 2026 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("a report").to_owned();
    for (label, path) in [
        ("figures (GET the report)", format!("/api/reports/{id}")),
        ("DOCX", format!("/api/reports/{id}/docx")),
        ("PDF", format!("/api/reports/{id}/pdf")),
    ] {
        let url = app.url(&path);
        let mut times = Vec::new();
        let mut size = 0;
        for run in 0..6 {
            let started = Instant::now();
            let answer = office.get(&url).send().await.unwrap();
            assert!(answer.status().is_success(), "{path}");
            size = answer.bytes().await.unwrap().len();
            if run > 0 {
                times.push(started.elapsed());
            }
        }
        println!(
            "{engine:?}: annual report of the province, {label}: {}, {} KB",
            p50_p99(times),
            size / 1024
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    spreadsheets();
    minutes_of_60();
    let engines = match std::env::var("DOCUMENTS_ENGINE").as_deref() {
        Ok("sqlite") => vec![Engine::Sqlite],
        Ok("postgres") => vec![Engine::Postgres],
        _ => vec![Engine::Sqlite, Engine::Postgres],
    };
    for engine in engines {
        annual_report(engine).await;
    }
}
