//! The province's compliance view: a seeded year in Hà Nội whose figures
//! this test works out by hand from the law's periods (notice 10 days,
//! publication 10 days, announcement 7 days ahead, reply 30 days), on both
//! engines: the table, its order, the dialogues behind a figure, the CSV
//! and the XLSX,
//! and who may read it.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::compliance::{Compliance, ComplianceLine, ComplianceRow, Measure};
use shared::plan::PlanLine;
use shared::{AgencyId, Dialogue, DialogueId, DialogueKind};

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

struct Year {
    app: TestApp,
    office: Client,
    /// Hoàn Kiếm's planned periodic dialogue: announced in time, held,
    /// notice late, its item unanswered, published late.
    planned_and_held: DialogueId,
    /// Hoàn Kiếm's unplanned ad hoc dialogue: all in time, not published.
    ad_hoc: DialogueId,
}

async fn plan(app: &TestApp, office: &Client, unit: &str, month: u32, at: &str) -> PlanLine {
    let answer = office
        .post(app.url("/api/plan"))
        .json(
            &json!({ "unit_code": unit, "year": 2026, "month": month, "kind": "periodic",
                       "topic": format!("Đối thoại định kỳ tháng {month}"), "planned_at": at }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    answer.json().await.unwrap()
}

async fn announce(app: &TestApp, office: &Client, line: &PlanLine, on: &str) {
    let answer = office
        .put(app.url(&format!("/api/plan/{}/announcement", line.dialogue_id)))
        .json(&json!({ "on": on, "means": ["notice_board"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

/// Pushes `d` (a plan's dialogue, or a new one) held and finalised on `held`.
async fn hold(app: &TestApp, secretary: &Client, mut d: Dialogue, held: &str) -> Dialogue {
    let o = opinion(&d, 1, "Đề nghị nạo vét mương thoát nước");
    let mut o = o;
    o.refer("Công an phường");
    push_finalised(&app.addr, secretary, &mut d, &[o], hanoi_ms(held, 8)).await;
    d
}

async fn issue(app: &TestApp, office: &Client, d: &Dialogue, on: &str, agency: AgencyId) {
    app.clock.set_today(day(on));
    let view: Value = get_json(office, &app.url(&format!("/api/dialogues/{}/notice", d.id))).await;
    let opinion = view["to_assign"][0]["opinion"]["id"].clone();
    let answer = office
        .post(app.url(&format!("/api/dialogues/{}/notice", d.id)))
        .json(
            &json!({ "number": "1/TB-UBND", "issued_on": on, "conclusion": "Giao xử lý",
                       "assignments": [{ "opinion_id": opinion, "agency_id": agency }] }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::CREATED,
        "{}",
        answer.text().await.unwrap()
    );
}

async fn seeded_year(engine: Engine) -> Year {
    let app = TestApp::spawn(engine).await;
    let police = app.agency(HOAN_KIEM, "Công an phường").await;
    let handler = app.handler("congan", HOAN_KIEM, police).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let ward_office = app.user("cuanam", "reviewer", CUA_NAM).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let secretary_2 = app.user("thuky2", "secretary", CUA_NAM).await;
    app.clock.set_today(day("2026-01-05"));

    // Hoàn Kiếm, A: planned for 20 February, announced 10 February (the
    // last day was the 13th), held; notice on 10 March (due 2 March);
    // its item due 9 April, never answered; published 5 March (due 2 March).
    let a = plan(&app, &office, HOAN_KIEM, 2, "2026-02-20T08:00").await;
    announce(&app, &office, &a, "2026-02-10").await;
    // B: planned for September, no day yet: counts as planned only.
    plan(&app, &office, HOAN_KIEM, 9, "").await;
    let pulled: shared::sync::PullResponse =
        get_json(&secretary, &app.url("/api/sync/pull?since=0")).await;
    let planned = pulled.dialogues[0].item.clone();
    let a = hold(&app, &secretary, planned, "2026-02-20").await;
    app.clock.set_today(day("2026-03-05"));
    let published = office
        .post(app.url(&format!("/api/dialogues/{}/publication", a.id)))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), StatusCode::CREATED);
    issue(&app, &office, &a, "2026-03-10", police).await;

    // C: ad hoc, unplanned, held 4 May; notice 8 May (due 14 May); replied
    // 20 May (due 7 June); never published (due 14 May).
    let mut c = dialogue(HOAN_KIEM);
    c.kind = DialogueKind::AdHoc;
    c.planned_at = "2026-05-04T08:00".into();
    let c = hold(&app, &secretary, c, "2026-05-04").await;
    issue(&app, &office, &c, "2026-05-08", police).await;
    app.clock.set_today(day("2026-05-20"));
    let items: Vec<Value> = get_json(&handler, &app.url("/api/agency/items")).await;
    let item = items
        .iter()
        .find(|i| i["dialogue_id"] == json!(c.id))
        .expect("C's item on the agency's list");
    let replied = handler
        .post(app.url(&format!("/api/items/{}/events", item["opinion_id"].as_str().unwrap())))
        .json(&json!({ "revision": 1, "event": { "event": "replied", "number": "9/CAP", "on": "2026-05-20", "summary": "Đã nạo vét" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        replied.status(),
        StatusCode::OK,
        "{}",
        replied.text().await.unwrap()
    );

    // Cửa Nam, D: planned 10 June, announced 5 June (last day the 3rd).
    // E: planned 20 July, not announced by the 13th. Neither held yet.
    app.clock.set_today(day("2026-06-01"));
    let d = plan(&app, &ward_office, CUA_NAM, 6, "2026-06-10T08:00").await;
    announce(&app, &ward_office, &d, "2026-06-05").await;
    plan(&app, &ward_office, CUA_NAM, 7, "2026-07-20T08:00").await;
    // And one of 2025, whose missing notice is not 2026's concern.
    let mut old = dialogue(CUA_NAM);
    old.kind = DialogueKind::AdHoc;
    old.planned_at = "2025-11-10T08:00".into();
    hold(&app, &secretary_2, old, "2025-11-10").await;

    app.clock.set_today(day("2026-07-15"));
    Year {
        app,
        office,
        planned_and_held: a.id,
        ad_hoc: c.id,
    }
}

fn figures(row: &ComplianceRow) -> Vec<(Measure, u32)> {
    Measure::ALL
        .into_iter()
        .map(|m| (m, row.figure(m)))
        .collect()
}

async fn the_table_counts_what_the_law_asks_per_commune(engine: Engine) {
    let y = seeded_year(engine).await;
    let province = y.app.user("tinh", "reviewer", HANOI).await;
    let table: Compliance = get_json(
        &province,
        &y.app
            .url(&format!("/api/compliance?province={HANOI}&year=2026")),
    )
    .await;
    assert_eq!(table.today, day("2026-07-15"));
    let row = |code: &str| {
        table
            .rows
            .iter()
            .find(|r| r.unit_code.as_str() == code)
            .unwrap()
    };
    use Measure::*;
    assert_eq!(
        figures(row(HOAN_KIEM)),
        [
            (PeriodicPlanned, 2),
            (PeriodicHeld, 1),
            (AnnouncedLate, 0),
            (NoticesLate, 1),
            (RepliesLate, 1),
            (PublishedLate, 1),
            (NotPublished, 1),
        ]
    );
    assert_eq!(
        figures(row(CUA_NAM)),
        [
            (PeriodicPlanned, 2),
            (PeriodicHeld, 0),
            (AnnouncedLate, 2),
            (NoticesLate, 0),
            (RepliesLate, 0),
            (PublishedLate, 0),
            (NotPublished, 0),
        ]
    );
    assert!(row(HANOI).figures.iter().all(|f| *f == 0));
    assert_eq!(
        table.rows.last().unwrap().unit_code.as_str(),
        HOAN_KIEM,
        "the only unit that held its periodic dialogue comes last"
    );

    let behind = |unit: &str, measure: &str| {
        let url = y.app.url(&format!(
            "/api/compliance/list?unit={unit}&year=2026&measure={measure}"
        ));
        let who = province.clone();
        async move { get_json::<Vec<ComplianceLine>>(&who, &url).await }
    };
    let late_notices = behind(HOAN_KIEM, "notices_late").await;
    assert_eq!(
        late_notices
            .iter()
            .map(|l| l.dialogue_id)
            .collect::<Vec<_>>(),
        [y.planned_and_held]
    );
    let unpublished = behind(HOAN_KIEM, "not_published").await;
    assert_eq!(unpublished[0].dialogue_id, y.ad_hoc);
    assert_eq!(behind(CUA_NAM, "announced_late").await.len(), 2);
    assert!(
        behind(CUA_NAM, "notices_late").await.is_empty(),
        "2025's is not 2026's"
    );

    let csv = province
        .get(
            y.app
                .url(&format!("/api/compliance/csv?province={HANOI}&year=2026")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("tuan-thu-01-2026.csv"));
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel's UTF-8 mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Mã đơn vị,Đơn vị,Định kỳ theo kế hoạch,Định kỳ đã tổ chức,Thông báo trễ,Thông báo kết luận trễ,Trả lời trễ hạn,Công khai trễ,Chưa công khai (quá hạn)"
    );
    assert_eq!(lines.clone().count(), table.rows.len());
    assert!(
        text.contains(&format!("{HOAN_KIEM},Phường Hoàn Kiếm,2,1,0,1,1,1,1")),
        "{text}"
    );

    let xlsx = province
        .get(
            y.app
                .url(&format!("/api/compliance/xlsx?province={HANOI}&year=2026")),
        )
        .send()
        .await
        .unwrap();
    let (strings, sheet) = common::docx::workbook(xlsx).await;
    for expected in [
        "Phường Hoàn Kiếm",
        "Định kỳ đã tổ chức",
        "Chưa công khai (quá hạn)",
    ] {
        assert!(strings.contains(expected), "«{expected}» in the workbook");
    }
    assert_eq!(sheet.matches("<row ").count(), table.rows.len() + 1);
    assert!(
        sheet.contains(&format!(
            r#"<autoFilter ref="A1:I{}"/>"#,
            table.rows.len() + 1
        )),
        "filters on every column"
    );
    drop(y.office);
}

async fn only_the_provinces_staff_and_observers_read_its_table(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let table = app.url(&format!("/api/compliance?province={HANOI}&year=2026"));
    let csv = app.url(&format!("/api/compliance/csv?province={HANOI}&year=2026"));
    let xlsx = app.url(&format!("/api/compliance/xlsx?province={HANOI}&year=2026"));
    let list = app.url(&format!(
        "/api/compliance/list?unit={HOAN_KIEM}&year=2026&measure=notices_late"
    ));
    let cases = [
        (
            app.user("tinh", "reviewer", HANOI).await,
            StatusCode::OK,
            StatusCode::OK,
        ),
        (
            app.user("mttq", "observer", HANOI).await,
            StatusCode::OK,
            StatusCode::OK,
        ),
        (
            app.user("phuong", "reviewer", HOAN_KIEM).await,
            StatusCode::FORBIDDEN,
            StatusCode::OK,
        ),
        (
            app.user("caobang", "reviewer", CAO_BANG).await,
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        (
            app.user("cuanam", "observer", CUA_NAM).await,
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        (
            app.user("thuky", "secretary", HOAN_KIEM).await,
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
    ];
    for (who, whole, own) in &cases {
        for url in [&table, &csv, &xlsx] {
            assert_eq!(
                who.get(url.as_str()).send().await.unwrap().status(),
                *whole,
                "{url}"
            );
        }
        assert_eq!(who.get(&list).send().await.unwrap().status(), *own);
    }
    let reviewer = &cases[0].0;
    for (url, code) in [
        (
            format!("/api/compliance?province={HANOI}&year=1999"),
            "out_of_range",
        ),
        (
            format!("/api/compliance?province={HOAN_KIEM}&year=2026"),
            "not_a_province",
        ),
        (
            format!("/api/compliance/list?unit={HOAN_KIEM}&year=2026&measure=everything"),
            "invalid_query",
        ),
    ] {
        let answer = reviewer.get(app.url(&url)).send().await.unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, code.into()),
            "{url}"
        );
    }
}

on_both_engines!(
    the_table_counts_what_the_law_asks_per_commune,
    only_the_provinces_staff_and_observers_read_its_table,
);
