//! The annual plan: an entry the office makes reaches the unit's
//! secretaries by the ordinary pull, exactly once, and is theirs once they
//! start recording it; announcements later than the province's lead days
//! are flagged by the injected clock; two offices editing one entry get one
//! 409; bad input is refused with nothing stored; nobody reaches another
//! unit's plan.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::plan::{Plan, PlanLine};
use shared::sync::{Entity, PullResponse};
use shared::{DeviceId, DialogueStatus};

fn entry(unit: &str, month: u32, planned_at: &str, topic: &str) -> Value {
    json!({
        "unit_code": unit, "year": 2026, "month": month, "kind": "periodic",
        "audience": "people", "topic": topic, "planned_at": planned_at,
        "venue": "Hội trường UBND phường", "chair_name": "Nguyễn Văn Bình",
        "chair_title": "Chủ tịch UBND phường",
    })
}

async fn create(app: &TestApp, office: &Client, body: &Value) -> PlanLine {
    let answer = office
        .post(app.url("/api/plan"))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    answer.json().await.unwrap()
}

async fn plan(app: &TestApp, who: &Client, unit: &str) -> Plan {
    get_json(who, &app.url(&format!("/api/plan?unit={unit}&year=2026"))).await
}

async fn pull(app: &TestApp, who: &Client, since: i64) -> PullResponse {
    get_json(who, &app.url(&format!("/api/sync/pull?since={since}"))).await
}

async fn a_plan_entry_reaches_the_units_tablets_once_and_is_theirs_once_started(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let elsewhere = app.user("thuky2", "secretary", CUA_NAM).await;
    let line = create(
        &app,
        &office,
        &entry(
            HOAN_KIEM,
            6,
            "2026-06-20T08:00",
            "Đối thoại định kỳ 6 tháng đầu năm",
        ),
    )
    .await;
    assert_eq!(line.status, DialogueStatus::Planned);
    assert!(line.editable);

    let first = pull(&app, &secretary, 0).await;
    assert_eq!(first.dialogues.len(), 1);
    let pulled = &first.dialogues[0];
    assert_eq!(pulled.item.id, line.dialogue_id);
    assert_eq!(pulled.item.topic, "Đối thoại định kỳ 6 tháng đầu năm");
    assert_eq!(pulled.item.planned_at, "2026-06-20T08:00");
    assert_eq!(pulled.item.status, DialogueStatus::Planned);
    assert!(
        pull(&app, &secretary, first.cursor)
            .await
            .dialogues
            .is_empty(),
        "once"
    );
    assert!(
        pull(&app, &elsewhere, 0).await.dialogues.is_empty(),
        "another ward's tablets"
    );

    // The office moves the day before anyone starts it: the tablet gets it.
    let mut moved = line.entry.clone();
    moved.planned_at = "2026-06-27T08:00".into();
    let changed = office
        .put(app.url(&format!("/api/plan/{}", line.dialogue_id)))
        .json(&json!({ "version": line.version, "entry": moved }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let second = pull(&app, &secretary, first.cursor).await;
    assert_eq!(second.dialogues[0].item.planned_at, "2026-06-27T08:00");

    // The secretary starts recording it on the tablet.
    let mut d = second.dialogues[0].item.clone();
    d.start(hanoi_ms("2026-06-27", 8)).unwrap();
    let mut push = batch(DeviceId::new(), 1, vec![Entity::Dialogue(d)]);
    push.changes[0].base_version = second.dialogues[0].version;
    let pushed = app.push(&secretary, &push).await;
    assert_eq!(pushed.status(), StatusCode::OK);
    let now = plan(&app, &office, HOAN_KIEM).await;
    assert_eq!(now.entries[0].status, DialogueStatus::Held);
    assert!(!now.entries[0].editable);
    let refused = office
        .put(app.url(&format!("/api/plan/{}", line.dialogue_id)))
        .json(&json!({ "version": now.entries[0].version, "entry": moved }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(refused).await,
        (StatusCode::CONFLICT, "being_recorded".into())
    );
    assert_eq!(
        pull(&app, &secretary, 0).await.dialogues[0].item.status,
        DialogueStatus::Held,
        "the secretary's minutes stand"
    );
}

async fn an_announcement_later_than_the_lead_is_flagged(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    // Today is 2 March 2026; Hà Nội's rule: 7 calendar days ahead.
    let fixed = create(
        &app,
        &office,
        &entry(HOAN_KIEM, 3, "2026-03-20T08:00", "Tháng ba"),
    )
    .await;
    assert_eq!(fixed.announce_by, Some("2026-03-13".parse().unwrap()));
    assert!(!fixed.announced_late, "still time");
    let soon = create(
        &app,
        &office,
        &entry(HOAN_KIEM, 3, "2026-03-05T08:00", "Sắp họp"),
    )
    .await;
    assert!(
        soon.announced_late,
        "the last day (26 February) has passed unannounced"
    );
    let open = create(&app, &office, &entry(HOAN_KIEM, 9, "", "Chưa định ngày")).await;
    assert_eq!((open.announce_by, open.announced_late), (None, false));

    let announce = |on: &str| {
        office
            .put(app.url(&format!("/api/plan/{}/announcement", fixed.dialogue_id)))
            .json(&json!({ "on": on, "means": ["notice_board", "loudspeaker"] }))
            .send()
    };
    let late: PlanLine = announce("2026-03-15").await.unwrap().json().await.unwrap();
    assert!(late.announced_late);
    let in_time: PlanLine = announce("2026-03-13").await.unwrap().json().await.unwrap();
    assert!(!in_time.announced_late);
    assert_eq!(in_time.announcement.unwrap().means.len(), 2);

    let whole = plan(&app, &office, HOAN_KIEM).await;
    assert_eq!(whole.lead.days, 7);
    let topics: Vec<&str> = whole
        .entries
        .iter()
        .map(|e| e.entry.topic.as_str())
        .collect();
    assert_eq!(
        topics,
        ["Sắp họp", "Tháng ba", "Chưa định ngày"],
        "by month and day"
    );
}

async fn two_offices_changing_one_entry_get_one_409(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let province = app.user("tinh", "reviewer", HANOI).await;
    let line = create(
        &app,
        &office,
        &entry(HOAN_KIEM, 6, "", "Đối thoại giữa năm"),
    )
    .await;
    let mut a = line.entry.clone();
    a.topic = "Đối thoại về trật tự đô thị".into();
    let mut b = line.entry.clone();
    b.topic = "Đối thoại về môi trường".into();
    let url = app.url(&format!("/api/plan/{}", line.dialogue_id));
    let first = office
        .put(&url)
        .json(&json!({ "version": line.version, "entry": a }))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = province
        .put(&url)
        .json(&json!({ "version": line.version, "entry": b }))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale");
    assert_eq!(
        body["current"]["entry"]["topic"],
        "Đối thoại về trật tự đô thị"
    );
    assert_eq!(
        plan(&app, &office, HOAN_KIEM).await.entries[0].entry.topic,
        "Đối thoại về trật tự đô thị",
        "the first change stands"
    );
}

async fn bad_plan_input_is_refused_in_both_languages_and_nothing_is_stored(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let mut long = entry(HOAN_KIEM, 6, "", "x");
    long["topic"] = json!("đ".repeat(shared::text::SHORT_TEXT_MAX + 1));
    let mut control = entry(HOAN_KIEM, 6, "", "x");
    control["venue"] = json!("hội\u{0}trường");
    let mut extra = entry(HOAN_KIEM, 6, "", "x");
    extra["secret"] = json!(1);
    let cases = [
        (entry(HOAN_KIEM, 13, "", "Tháng mười ba"), "out_of_range"),
        (
            entry(HOAN_KIEM, 6, "2026-07-02T08:00", "Ngày ngoài tháng"),
            "out_of_range",
        ),
        (entry(HOAN_KIEM, 6, "", "  "), "required"),
        (long, "too_long"),
        (control, "control_character"),
        (extra, "invalid_json"),
    ];
    for (body, code) in cases {
        let answer = office
            .post(app.url("/api/plan"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, code.into()),
            "{body}"
        );
    }
    let line = create(&app, &office, &entry(HOAN_KIEM, 6, "", "Hợp lệ")).await;
    for means in [json!([]), json!(["loudspeaker", "loudspeaker"])] {
        let answer = office
            .put(app.url(&format!("/api/plan/{}/announcement", line.dialogue_id)))
            .json(&json!({ "on": "2026-05-01", "means": means }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "required".into())
        );
    }
    assert_eq!(app.count("plan_entries").await, 1);
    assert_eq!(app.count("dialogues").await, 1);
    assert!(plan(&app, &office, HOAN_KIEM).await.entries[0]
        .announcement
        .is_none());
}

async fn nobody_reaches_another_units_plan(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let other_office = app.user("cuanam", "reviewer", CUA_NAM).await;
    let far_office = app.user("caobang", "reviewer", CAO_BANG).await;
    let observer = app.user("mttq", "observer", HOAN_KIEM).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let line = create(&app, &office, &entry(HOAN_KIEM, 6, "", "Giữa năm")).await;
    let entry_url = app.url(&format!("/api/plan/{}", line.dialogue_id));
    let change = json!({ "version": line.version, "entry": line.entry });
    let announcement = json!({ "on": "2026-05-01", "means": ["invitation"] });
    for (who, read, write) in [
        (&other_office, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND),
        (&far_office, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND),
        (&observer, StatusCode::OK, StatusCode::FORBIDDEN),
        (&secretary, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
    ] {
        let got = who
            .get(app.url(&format!("/api/plan?unit={HOAN_KIEM}&year=2026")))
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), read);
        let made = who
            .post(app.url("/api/plan"))
            .json(&entry(HOAN_KIEM, 7, "", "Chen ngang"))
            .send()
            .await
            .unwrap();
        assert!(made.status().is_client_error() && made.status() != StatusCode::CREATED);
        let put = who.put(&entry_url).json(&change).send().await.unwrap();
        assert_eq!(put.status(), write);
        let announced = who
            .put(format!("{entry_url}/announcement"))
            .json(&announcement)
            .send()
            .await
            .unwrap();
        assert_eq!(announced.status(), write);
    }
    assert_eq!(app.count("plan_entries").await, 1);
    assert!(plan(&app, &office, HOAN_KIEM).await.entries[0]
        .announcement
        .is_none());
    let province = app.user("tinh", "reviewer", HANOI).await;
    assert_eq!(
        plan(&app, &province, HOAN_KIEM).await.entries.len(),
        1,
        "the province sees its wards"
    );
}

on_both_engines!(
    a_plan_entry_reaches_the_units_tablets_once_and_is_theirs_once_started,
    an_announcement_later_than_the_lead_is_flagged,
    two_offices_changing_one_entry_get_one_409,
    bad_plan_input_is_refused_in_both_languages_and_nothing_is_stored,
    nobody_reaches_another_units_plan,
);
