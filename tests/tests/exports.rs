//! Exports (issue 13): the review list's dialogues, the opinions with their
//! follow-up state and the overdue list as CSV (UTF-8 with Excel's mark)
//! and XLSX, each holding exactly the rows the same filters show on
//! screen; a denouncer named only to those who handle the item, and each
//! such export audited; nothing outside the reader's scope.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use shared::opinion::PROTECTED_NAME;
use shared::OpinionKind;

const DENOUNCER: &str = "Trần Thị Hoa";
const DENOUNCER_ADDRESS: &str = "số 9 ngõ Hàng Bạc";

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

struct Seeded {
    app: TestApp,
    city: Client,
}

/// Hoàn Kiếm: a report of noise (to the ward's police) and a denunciation
/// (to the city's inspectors); Cửa Nam: a proposal (to its police). All
/// assigned on 2 March, due 1 April.
async fn seeded(engine: Engine) -> Seeded {
    let app = TestApp::spawn(engine).await;
    app.clock.set_today(day("2026-03-02"));
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let cua_nam_secretary = app.user("thukycn", "secretary", CUA_NAM).await;
    let ward = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let cua_nam = app.user("tonghopcn", "reviewer", CUA_NAM).await;
    let city = app.user("tonghoptp", "reviewer", HANOI).await;
    let police = app.agency(HOAN_KIEM, "Công an phường Hoàn Kiếm").await;
    let inspectors = app.agency(HANOI, "Thanh tra thành phố").await;
    let cn_police = app.agency(CUA_NAM, "Công an phường Cửa Nam").await;

    let mut a = dialogue(HOAN_KIEM);
    a.topic = "Trật tự khu phố cổ".into();
    let mut noise = opinion(&a, 1, "Quán karaoke gây ồn sau 23 giờ");
    noise.kind = OpinionKind::Report;
    noise.refer("Công an phường");
    let mut denunciation = opinion(&a, 2, "Tố cáo việc thu tiền trông xe trái phép");
    denunciation.kind = OpinionKind::Denunciation;
    denunciation.speaker_name = DENOUNCER.into();
    denunciation.speaker_address = DENOUNCER_ADDRESS.into();
    denunciation.refer("Thanh tra");
    push_finalised(
        &app.addr,
        &secretary,
        &mut a,
        &[noise.clone(), denunciation.clone()],
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    issue_notice(
        &app,
        &ward,
        &a,
        "2026-03-02",
        &[(&noise, police), (&denunciation, inspectors)],
    )
    .await;

    let mut c = dialogue(CUA_NAM);
    c.topic = "Vỉa hè phố Hàng Bông".into();
    let mut proposal = opinion(&c, 1, "Đề nghị lắp đèn ngõ 12");
    proposal.refer("Công an phường");
    push_finalised(
        &app.addr,
        &cua_nam_secretary,
        &mut c,
        &[proposal.clone()],
        hanoi_ms("2026-02-26", 8),
    )
    .await;
    issue_notice(&app, &cua_nam, &c, "2026-03-02", &[(&proposal, cn_police)]).await;
    Seeded { app, city }
}

/// The CSV's rows after its header, checking Excel's byte-order mark.
async fn csv_rows(client: &Client, url: &str) -> Vec<String> {
    let answer = client.get(url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{url}");
    assert_eq!(answer.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = answer.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with its mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

async fn audited(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    n
}

async fn an_export_holds_exactly_the_rows_the_same_filters_show_on_screen(engine: Engine) {
    let s = seeded(engine).await;
    let url = |path: &str| s.app.url(path);
    let dialogues = csv_rows(&s.city, &url("/api/exports/dialogues.csv")).await;
    assert_eq!(dialogues.len(), 2);
    let ward = csv_rows(
        &s.city,
        &url(&format!("/api/exports/dialogues.csv?unit={HOAN_KIEM}")),
    )
    .await;
    assert_eq!(ward.len(), 1);
    assert!(ward[0].contains("Trật tự khu phố cổ") && ward[0].contains("Phường Hoàn Kiếm"));
    let searched = csv_rows(&s.city, &url("/api/exports/dialogues.csv?q=hang%20bong")).await;
    assert_eq!(searched.len(), 1, "'hang bong' finds 'Hàng Bông'");
    assert!(searched[0].contains("Vỉa hè phố Hàng Bông"));

    let items = csv_rows(&s.city, &url("/api/exports/items.csv")).await;
    assert_eq!(items.len(), 3);
    let hk = csv_rows(
        &s.city,
        &url(&format!("/api/exports/items.csv?unit={HOAN_KIEM}")),
    )
    .await;
    assert_eq!(hk.len(), 2);
    let denunciations = csv_rows(&s.city, &url("/api/exports/items.csv?kind=denunciation")).await;
    assert_eq!(denunciations.len(), 1);
    assert!(denunciations[0].contains("Thanh tra thành phố"));

    // Overdue: none on 1 April, the due day; all three on the 2nd.
    s.app.clock.set_today(day("2026-04-01"));
    assert!(csv_rows(&s.city, &url("/api/exports/overdue.csv"))
        .await
        .is_empty());
    s.app.clock.set_today(day("2026-04-02"));
    let overdue = csv_rows(&s.city, &url("/api/exports/overdue.csv")).await;
    assert_eq!(overdue.len(), 3);
    assert!(
        overdue.iter().all(|r| r.ends_with(",1")),
        "one day late: {overdue:?}"
    );

    let xlsx = s
        .city
        .get(url(&format!("/api/exports/items.xlsx?unit={HOAN_KIEM}")))
        .send()
        .await
        .unwrap();
    let (strings, sheet) = common::docx::workbook(xlsx).await;
    for expected in [
        "Phường Hoàn Kiếm",
        "Quán karaoke gây ồn sau 23 giờ",
        "Cơ quan giải quyết",
    ] {
        assert!(strings.contains(expected), "«{expected}» in the workbook");
    }
    assert_eq!(sheet.matches("<row ").count(), 3, "a header and two items");
}

async fn a_denouncer_is_named_only_to_those_who_handle_the_item_and_each_export_is_audited(
    engine: Engine,
) {
    let s = seeded(engine).await;
    let url = s.app.url("/api/exports/items.csv?kind=denunciation");
    let before = audited(&s.app).await;
    let office = csv_rows(&s.city, &url).await;
    assert!(office[0].contains(DENOUNCER) && office[0].contains(DENOUNCER_ADDRESS));
    assert_eq!(
        audited(&s.app).await,
        before + 1,
        "the office's export is audited"
    );

    let observer = s.app.user("mttq", "observer", HANOI).await;
    let admin = &s.app.admin;
    for who in [&observer, admin] {
        for path in [
            "/api/exports/items.csv",
            "/api/exports/items.xlsx",
            "/api/exports/overdue.csv",
        ] {
            let body = who
                .get(s.app.url(path))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let text = String::from_utf8_lossy(&body);
            assert!(
                !text.contains(DENOUNCER) && !text.contains(DENOUNCER_ADDRESS),
                "{path}"
            );
        }
        let rows = csv_rows(who, &url).await;
        assert!(rows[0].contains(PROTECTED_NAME), "{rows:?}");
    }
    assert_eq!(
        audited(&s.app).await,
        before + 1,
        "nobody named: nothing audited"
    );

    // Another province sees none of these rows; a secretary, no export.
    let elsewhere = s.app.user("caobang", "reviewer", CAO_BANG).await;
    assert!(csv_rows(&elsewhere, &s.app.url("/api/exports/items.csv"))
        .await
        .is_empty());
    assert!(
        csv_rows(&elsewhere, &s.app.url("/api/exports/dialogues.csv"))
            .await
            .is_empty()
    );
    let secretary = signed_in(&s.app.addr, "thuky").await;
    for path in [
        "/api/exports/items.csv",
        "/api/exports/dialogues.xlsx",
        "/api/exports/overdue.xlsx",
    ] {
        let answer = secretary.get(s.app.url(path)).send().await.unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{path}"
        );
    }
    let bad = s
        .city
        .get(s.app.url("/api/exports/items.csv?kind=rumour"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_engines!(
    an_export_holds_exactly_the_rows_the_same_filters_show_on_screen,
    a_denouncer_is_named_only_to_those_who_handle_the_item_and_each_export_is_audited,
);
