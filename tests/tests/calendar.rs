//! The working calendar and the provinces' deadline rules, as the
//! administrator keeps them: seeded once, edited each year, read back by
//! the deadline function; closed to every other role.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::calendar::{CalendarDay, DayKind, DeadlineRules, Period};

async fn year(app: &TestApp, client: &reqwest::Client, year: i32) -> Vec<CalendarDay> {
    get_json(
        client,
        &app.url(&format!("/api/admin/calendar?year={year}")),
    )
    .await
}

fn find<'a>(days: &'a [CalendarDay], day: &str) -> Option<&'a CalendarDay> {
    days.iter().find(|d| d.day.to_string() == day)
}

/// Writes carry JSON, a removal too (what the server asks of every write).
async fn put(client: &reqwest::Client, url: String, body: Value) -> reqwest::Response {
    client.put(url).json(&body).send().await.unwrap()
}

async fn the_calendar_is_seeded_once_and_the_administrator_keeps_each_years_changes(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let days = year(&app, &app.admin, 2026).await;
    assert_eq!(
        find(&days, "2026-02-17").map(|d| (d.kind, d.name.as_str())),
        Some((DayKind::DayOff, "Tết Nguyên Đán"))
    );
    assert_eq!(
        find(&days, "2026-08-22").map(|d| d.kind),
        Some(DayKind::Working),
        "a Saturday worked for 31 August"
    );
    assert!(days.windows(2).all(|w| w[0].day < w[1].day), "in order");

    let set = put(
        &app.admin,
        app.url("/api/admin/calendar/2027-05-03"),
        json!({ "kind": "day_off", "name": "Nghỉ bù ngày Quốc tế Lao động" }),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let removed = app
        .admin
        .delete(app.url("/api/admin/calendar/2026-11-24"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let again = app
        .admin
        .delete(app.url("/api/admin/calendar/2026-11-24"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(again).await.0, StatusCode::NOT_FOUND);

    // Another instance starting on this database seeds nothing over them.
    let second = app.another_instance().await;
    let seen: Vec<CalendarDay> = get_json(
        &app.admin,
        &format!("{second}/api/admin/calendar?year=2027"),
    )
    .await;
    assert_eq!(
        find(&seen, "2027-05-03").map(|d| d.name.as_str()),
        Some("Nghỉ bù ngày Quốc tế Lao động")
    );
    assert!(find(&year(&app, &app.admin, 2026).await, "2026-11-24").is_none());
}

async fn deadline_rules_default_to_quy_che_07_and_each_province_sets_its_own(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let rules = |code: &'static str| {
        let app = &app;
        async move {
            get_json::<DeadlineRules>(
                &app.admin,
                &app.url(&format!("/api/admin/deadlines/{code}")),
            )
            .await
        }
    };
    assert_eq!(rules(HANOI).await, DeadlineRules::default());
    assert_eq!(rules(HANOI).await.conclusion, Period::calendar(10));
    let own = DeadlineRules {
        reply: Period::working(20),
        ..DeadlineRules::default()
    };
    let set = app
        .admin
        .put(app.url(&format!("/api/admin/deadlines/{HANOI}")))
        .json(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(rules(HANOI).await, own);
    assert_eq!(
        rules(CAO_BANG).await,
        DeadlineRules::default(),
        "others keep theirs"
    );
    for code in [HOAN_KIEM, "99", "x"] {
        let response = app
            .admin
            .get(app.url(&format!("/api/admin/deadlines/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response).await.0,
            StatusCode::NOT_FOUND,
            "{code}"
        );
    }
}

async fn bad_calendar_and_rule_input_gets_a_json_error_and_changes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let before = year(&app, &app.admin, 2026).await;
    let day = |d: &str| app.url(&format!("/api/admin/calendar/{d}"));
    let cases = [
        (
            day("2026-02-30"),
            json!({ "kind": "day_off", "name": "x" }),
            StatusCode::NOT_FOUND,
        ),
        (
            day("1890-01-01"),
            json!({ "kind": "day_off", "name": "x" }),
            StatusCode::NOT_FOUND,
        ),
        (
            day("2026-03-02"),
            json!({ "kind": "holiday", "name": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            day("2026-03-02"),
            json!({ "kind": "day_off", "name": "  " }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            day("2026-03-02"),
            json!({ "kind": "day_off", "name": "đ".repeat(301) }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            day("2026-03-02"),
            json!({ "kind": "day_off", "name": "x", "extra": 1 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (url, body, status) in cases {
        let response = put(&app.admin, url.clone(), body.clone()).await;
        assert_eq!(error_code(response).await.0, status, "{url} {body}");
    }
    let malformed = app
        .admin
        .put(day("2026-03-02"))
        .header("content-type", "application/json")
        .body("{\"kind\":")
        .send()
        .await
        .unwrap();
    assert!(error_code(malformed).await.0.is_client_error());
    let mut zero = serde_json::to_value(DeadlineRules::default()).unwrap();
    zero["reply"]["days"] = json!(0);
    let refused = put(
        &app.admin,
        app.url(&format!("/api/admin/deadlines/{HANOI}")),
        zero,
    )
    .await;
    assert_eq!(
        error_code(refused).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "out_of_range".into())
    );
    let bad_year = app
        .admin
        .get(app.url("/api/admin/calendar?year=1999"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(bad_year).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        year(&app, &app.admin, 2026).await,
        before,
        "nothing changed"
    );
    assert_eq!(app.count("deadline_rules").await, 0);
}

async fn only_the_administrator_reads_or_changes_the_calendar_and_rules(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let rules = serde_json::to_value(DeadlineRules::default()).unwrap();
    let day = json!({ "kind": "day_off", "name": "Nghỉ" });
    for client in [&reviewer, &secretary] {
        let answers = [
            client
                .get(app.url("/api/admin/calendar?year=2026"))
                .send()
                .await
                .unwrap(),
            put(
                client,
                app.url("/api/admin/calendar/2026-03-02"),
                day.clone(),
            )
            .await,
            client
                .delete(app.url("/api/admin/calendar/2026-02-17"))
                .json(&json!({}))
                .send()
                .await
                .unwrap(),
            client
                .get(app.url(&format!("/api/admin/deadlines/{HANOI}")))
                .send()
                .await
                .unwrap(),
            put(
                client,
                app.url(&format!("/api/admin/deadlines/{HANOI}")),
                rules.clone(),
            )
            .await,
        ];
        for answer in answers {
            assert_eq!(error_code(answer).await.0, StatusCode::FORBIDDEN);
        }
    }
    assert!(find(&year(&app, &app.admin, 2026).await, "2026-02-17").is_some());
    assert!(find(&year(&app, &app.admin, 2026).await, "2026-03-02").is_none());
    assert_eq!(app.count("deadline_rules").await, 0);
}

on_both_engines!(
    the_calendar_is_seeded_once_and_the_administrator_keeps_each_years_changes,
    deadline_rules_default_to_quy_che_07_and_each_province_sets_its_own,
    bad_calendar_and_rule_input_gets_a_json_error_and_changes_nothing,
    only_the_administrator_reads_or_changes_the_calendar_and_rules,
);
