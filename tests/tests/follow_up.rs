//! After the meeting: the conclusion notice, each assigned opinion's life
//! to its end, the agency's list and the overdue board, under a fixed
//! clock; roles, scope, protected identities, concurrency and bad input.

mod common;

use common::*;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use shared::follow_up::api::{Board, ItemLine, ItemView, NoticeDraft, NoticeDue};
use shared::follow_up::Stage;
use shared::{AgencyId, Dialogue, Opinion, OpinionKind};

/// The denouncer of the third opinion: must reach only those who handle it.
const DENOUNCER: &str = "Trần Thị Hoa";
const DENOUNCER_ADDRESS: &str = "ngõ Hàng Bạc";

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// A finalised dialogue of Hoàn Kiếm held on Friday 27 February 2026 with
/// three opinions: one answered at the meeting, one for the ward police,
/// and a tố cáo for the city's department of natural resources.
struct Meeting {
    app: TestApp,
    dialogue: Dialogue,
    opinions: Vec<Opinion>,
    police: AgencyId,
    land_office: AgencyId,
    department: AgencyId,
    reviewer: Client,
    police_handler: Client,
    department_handler: Client,
}

async fn finalised_meeting(engine: Engine) -> Meeting {
    let app = TestApp::spawn(engine).await;
    let police = app.agency(HOAN_KIEM, "Công an phường Hoàn Kiếm").await;
    let land_office = app.agency(HOAN_KIEM, "Văn phòng đăng ký đất đai").await;
    let department = app.agency(HANOI, "Sở Nông nghiệp và Môi trường").await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let police_handler = app.handler("congan", HOAN_KIEM, police).await;
    let department_handler = app.handler("sonnmt", HANOI, department).await;

    let mut d = dialogue(HOAN_KIEM);
    d.planned_at = "2026-02-27T08:00".into();
    d.conclusion = "Giao các cơ quan giải quyết dứt điểm trong tháng.".into();
    let answered = opinion(&d, 1, "Hỏi về lịch thu gom rác");
    let mut noise = opinion(&d, 2, "Quán karaoke gây ồn sau 23 giờ");
    noise.speaker_address = "số 7 ngõ Tạm Thương".into();
    noise.speaker_id_number = "001099012345".into();
    noise.refer("công an phường hoàn kiếm");
    let mut denunciation = opinion(&d, 3, "Tố cáo việc lấn chiếm đất công ven hồ");
    denunciation.kind = OpinionKind::Denunciation;
    denunciation.speaker_name = DENOUNCER.into();
    denunciation.speaker_address = DENOUNCER_ADDRESS.into();
    denunciation.refer("Sở Nông nghiệp và Môi trường");
    let opinions = vec![answered, noise, denunciation];
    push_finalised(
        &app.addr,
        &secretary,
        &mut d,
        &opinions,
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    Meeting {
        app,
        dialogue: d,
        opinions,
        police,
        land_office,
        department,
        reviewer,
        police_handler,
        department_handler,
    }
}

impl Meeting {
    fn notice_url(&self) -> String {
        self.app
            .url(&format!("/api/dialogues/{}/notice", self.dialogue.id))
    }

    fn item_url(&self, n: usize) -> String {
        self.app.url(&format!("/api/items/{}", self.opinions[n].id))
    }

    fn notice(&self) -> Value {
        json!({
            "number": "12/TB-UBND",
            "issued_on": "2026-03-02",
            "conclusion": "Giao các cơ quan giải quyết dứt điểm trong tháng.",
            "assignments": [
                { "opinion_id": self.opinions[1].id, "agency_id": self.police, "instructions": "Kiểm tra, xử lý" },
                { "opinion_id": self.opinions[2].id, "agency_id": self.department },
            ],
        })
    }

    async fn issue(&self, client: &Client, body: &Value) -> Response {
        client
            .post(self.notice_url())
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn issued(&self) {
        let issued = self.issue(&self.reviewer, &self.notice()).await;
        assert_eq!(issued.status(), StatusCode::CREATED);
    }

    async fn item(&self, client: &Client, n: usize) -> ItemView {
        get_json(client, &self.item_url(n)).await
    }

    async fn record(&self, client: &Client, n: usize, revision: u32, event: Value) -> Response {
        client
            .post(format!("{}/events", self.item_url(n)))
            .json(&json!({ "revision": revision, "event": event }))
            .send()
            .await
            .unwrap()
    }

    /// Records an event on the item as it is now; the item after it.
    async fn then(&self, client: &Client, n: usize, event: Value) -> ItemView {
        let revision = self.item(client, n).await.revision;
        let answer = self.record(client, n, revision, event.clone()).await;
        assert_eq!(
            answer.status(),
            StatusCode::OK,
            "{event}: {}",
            answer.text().await.unwrap()
        );
        answer.json().await.unwrap()
    }

    async fn board(&self, client: &Client, query: &str) -> Board {
        get_json(
            client,
            &self.app.url(&format!("/api/follow-up/board{query}")),
        )
        .await
    }

    async fn audit_rows(&self) -> i64 {
        self.app.count("audit_log").await
    }

    fn today(&self, date: &str) {
        self.app.clock.set_today(day(date));
    }
}

async fn a_dialogue_goes_from_finalised_minutes_to_closed_items(engine: Engine) {
    let m = finalised_meeting(engine).await;
    let due: Vec<NoticeDue> = get_json(&m.reviewer, &m.app.url("/api/follow-up/notices")).await;
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].held_on, day("2026-02-27"));
    assert_eq!(
        due[0].due,
        day("2026-03-09"),
        "10 days after Friday 27 February is a Monday"
    );
    assert_eq!(due[0].days_left, 7, "the clock says Monday 2 March");

    let audited = m.audit_rows().await;
    let draft: NoticeDraft = get_json(&m.reviewer, &m.notice_url()).await;
    assert_eq!(
        draft.settled.len(),
        1,
        "answered at the meeting: settled, not assigned"
    );
    assert_eq!(draft.settled[0].id, m.opinions[0].id);
    let suggested: Vec<_> = draft.to_assign.iter().map(|t| t.suggested).collect();
    assert_eq!(
        suggested,
        [Some(m.police), Some(m.department)],
        "the proposed agency is matched whatever its case"
    );
    assert_eq!(
        draft.to_assign[1].opinion.speaker, DENOUNCER,
        "the office that assigns handles it"
    );
    assert_eq!(
        m.audit_rows().await,
        audited + 1,
        "and that read is audited"
    );
    assert!(draft.agencies.iter().any(|a| a.id == m.land_office));

    m.issued().await;
    let again = m.issue(&m.reviewer, &m.notice()).await;
    assert_eq!(
        error_code(again).await,
        (StatusCode::CONFLICT, "notice_issued".into())
    );
    let due: Vec<NoticeDue> = get_json(&m.reviewer, &m.app.url("/api/follow-up/notices")).await;
    assert!(due.is_empty(), "the notice is issued");
    let draft: NoticeDraft = get_json(&m.reviewer, &m.notice_url()).await;
    assert_eq!(draft.issued.unwrap().number, "12/TB-UBND");

    let list: Vec<ItemLine> = get_json(&m.police_handler, &m.app.url("/api/agency/items")).await;
    assert_eq!(list.len(), 1, "the police see their item only");
    assert_eq!(list[0].opinion_id, m.opinions[1].id);
    assert_eq!(list[0].due, day("2026-04-01"), "30 days after the notice");
    assert_eq!(list[0].days_left, Some(30));

    let police = &m.police_handler;
    m.then(
        police,
        1,
        json!({ "event": "progress", "note": "Đã làm việc với chủ quán" }),
    )
    .await;
    m.today("2026-03-20");
    let replied = m
        .then(police, 1, json!({ "event": "replied", "number": "45/CAP", "on": "2026-03-20", "summary": "Đã xử phạt, cam kết không tái phạm" }))
        .await;
    assert_eq!(replied.item.stage, Stage::Replied);
    assert_eq!(replied.item.replied_on_time(), Some(true));
    m.then(
        &m.reviewer,
        1,
        json!({ "event": "satisfaction", "satisfied": true }),
    )
    .await;
    let closed = m.then(&m.reviewer, 1, json!({ "event": "closed" })).await;
    assert_eq!(closed.item.stage, Stage::Closed);
    assert_eq!(closed.item.satisfied, Some(true));
    let who: Vec<&str> = closed.history.iter().map(|h| h.by.as_str()).collect();
    assert_eq!(
        who,
        [
            "Cán bộ tonghop",
            "Cán bộ congan",
            "Cán bộ congan",
            "Cán bộ tonghop",
            "Cán bộ tonghop"
        ]
    );
    assert_eq!(
        closed.history[0].agency_name.as_deref(),
        Some("Công an phường Hoàn Kiếm")
    );
    assert_eq!(closed.notice_number, "12/TB-UBND");

    let reopened = m
        .then(
            &m.reviewer,
            1,
            json!({ "event": "reopened", "reason": "Công dân phản ánh vẫn ồn" }),
        )
        .await;
    assert_eq!(reopened.item.stage, Stage::Assigned);
    assert_eq!(reopened.revision, 6);
}

async fn the_board_counts_overdue_and_due_soon_by_the_clock(engine: Engine) {
    let m = finalised_meeting(engine).await;
    m.issued().await;
    let board = m.board(&m.reviewer, "").await;
    assert_eq!(
        (board.total.open, board.total.due_soon, board.total.overdue),
        (2, 0, 0)
    );

    m.today("2026-03-26");
    let board = m.board(&m.reviewer, "").await;
    assert_eq!(board.total.due_soon, 2, "due 1 April: 6 days left");
    assert_eq!(board.items[0].days_left, Some(6));

    m.today("2026-04-02");
    let board = m.board(&m.reviewer, "").await;
    assert_eq!((board.total.due_soon, board.total.overdue), (0, 2));
    assert!(board
        .items
        .iter()
        .all(|i| i.overdue && i.days_left == Some(-1)));

    // The department writes that the matter is complex: a new due date.
    let extended = m
        .then(&m.department_handler, 2, json!({ "event": "extended", "due": "2026-04-30", "reason": "Cần đo đạc lại hiện trạng" }))
        .await;
    assert_eq!(
        (extended.item.first_due, extended.item.due),
        (Some(day("2026-04-01")), Some(day("2026-04-30"))),
        "an extension keeps both dates"
    );
    m.then(&m.police_handler, 1, json!({ "event": "replied", "number": "45/CAP", "on": "2026-04-02", "summary": "Đã xử lý" }))
        .await;
    let board = m.board(&m.reviewer, "").await;
    let t = &board.total;
    assert_eq!(
        (t.overdue, t.open, t.replied_late, t.replied_on_time),
        (0, 1, 1, 0)
    );
    let police = board
        .by_agency
        .iter()
        .find(|r| r.key == m.police.to_string())
        .unwrap();
    assert_eq!(police.counts.replied_late, 1);
    assert_eq!(board.by_unit.len(), 1);
    assert_eq!(board.by_unit[0].counts.total, 2);

    m.today("2026-04-20");
    m.then(&m.department_handler, 2, json!({ "event": "replied", "number": "9/SNNMT", "on": "2026-04-20", "summary": "Đã kiểm tra" }))
        .await;
    let t = m.board(&m.reviewer, "").await.total;
    assert_eq!(
        (t.replied_on_time, t.replied_on_first_due, t.replied_late),
        (1, 0, 1),
        "on time against the extension, late against the first due date"
    );

    // The city's staff see their wards; a neighbouring ward's see nothing.
    let city = m.app.user("tonghop_hn", "reviewer", HANOI).await;
    assert_eq!(m.board(&city, "").await.total.total, 2);
    let neighbour = m.app.user("tonghop_cn", "reviewer", CUA_NAM).await;
    assert_eq!(m.board(&neighbour, "").await.total.total, 0);
    // Filters.
    let police_only = m.board(&m.reviewer, &format!("?agency={}", m.police)).await;
    assert_eq!(police_only.total.total, 1);
    assert_eq!(
        m.board(&m.reviewer, "?kind=denunciation").await.total.total,
        1
    );
    assert_eq!(m.board(&m.reviewer, "?q=karaoke").await.total.total, 1);
    assert_eq!(
        m.board(&m.reviewer, "?q=LAN%20CHIEM").await.total.total,
        1,
        "diacritic-free search"
    );
    assert_eq!(
        m.board(&m.reviewer, "?from=2026-03-03").await.total.total,
        0
    );
}

async fn a_forward_moves_the_item_and_keeps_its_history(engine: Engine) {
    let m = finalised_meeting(engine).await;
    m.issued().await;
    let answer = m
        .then(
            &m.police_handler,
            1,
            json!({ "event": "forwarded", "to": m.department }),
        )
        .await;
    assert!(answer.item.forwarded);
    let police: Vec<ItemLine> = get_json(&m.police_handler, &m.app.url("/api/agency/items")).await;
    assert!(police.is_empty(), "the item left the police's list");
    let department: Vec<ItemLine> =
        get_json(&m.department_handler, &m.app.url("/api/agency/items")).await;
    assert_eq!(department.len(), 2);
    let moved = m.item(&m.department_handler, 1).await;
    assert_eq!(
        moved.item.first_due,
        Some(day("2026-04-01")),
        "the first due date stays"
    );
    let names: Vec<_> = moved
        .history
        .iter()
        .map(|h| h.agency_name.clone())
        .collect();
    assert_eq!(
        names,
        [
            Some("Công an phường Hoàn Kiếm".into()),
            Some("Sở Nông nghiệp và Môi trường".into())
        ]
    );
    let lost = m.police_handler.get(m.item_url(1)).send().await.unwrap();
    assert_eq!(lost.status(), StatusCode::NOT_FOUND);
    let to_itself = m
        .record(
            &m.department_handler,
            1,
            moved.revision,
            json!({ "event": "forwarded", "to": m.department }),
        )
        .await;
    assert_eq!(
        error_code(to_itself).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "same_agency".into())
    );
    let elsewhere = m
        .record(
            &m.department_handler,
            1,
            moved.revision,
            json!({ "event": "forwarded", "to": AgencyId::new() }),
        )
        .await;
    assert_eq!(
        error_code(elsewhere).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_agency".into())
    );
}

/// Every string in a JSON answer, for scanning.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

async fn observers_read_everything_but_identities_and_write_nothing(engine: Engine) {
    let m = finalised_meeting(engine).await;
    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let admin = &m.app.admin;
    let attempt = m.issue(&observer, &m.notice()).await;
    assert_eq!(attempt.status(), StatusCode::FORBIDDEN);
    m.issued().await;
    let audited = m.audit_rows().await;
    for client in [&observer, admin] {
        for url in [
            m.app.url("/api/follow-up/notices"),
            m.notice_url(),
            m.item_url(2),
            m.app.url("/api/follow-up/board"),
            m.app.url(&format!("/api/dialogues/{}", m.dialogue.id)),
        ] {
            let answer = client.get(&url).send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK, "{url}");
            let mut seen = Vec::new();
            strings(&answer.json().await.unwrap(), &mut seen);
            assert!(
                seen.iter()
                    .all(|s| !s.contains(DENOUNCER) && !s.contains(DENOUNCER_ADDRESS)),
                "{url} showed the denouncer"
            );
        }
    }
    assert_eq!(m.audit_rows().await, audited, "nobody saw an identity");
    for event in [
        json!({ "event": "progress", "note": "Giám sát" }),
        json!({ "event": "closed" }),
        json!({ "event": "reminded", "note": "Đôn đốc" }),
        json!({ "event": "replied", "number": "1", "on": "2026-03-02", "summary": "x" }),
        json!({ "event": "forwarded", "to": m.police }),
        json!({ "event": "extended", "due": "2026-05-01", "reason": "x" }),
    ] {
        for client in [&observer, admin] {
            let answer = m.record(client, 2, 1, event.clone()).await;
            assert_eq!(error_code(answer).await.0, StatusCode::FORBIDDEN, "{event}");
        }
    }
    // The department's handler handles it: sees it, and the read is audited.
    let handled = m.item(&m.department_handler, 2).await;
    assert_eq!(handled.opinion.speaker, DENOUNCER);
    assert_eq!(m.audit_rows().await, audited + 1);
    // Writing answers with the item too: one more row for that answer.
    m.then(
        &m.department_handler,
        2,
        json!({ "event": "progress", "note": "Đang xác minh" }),
    )
    .await;
    assert_eq!(
        m.audit_rows().await,
        audited + 3,
        "the read before the write and the write's answer, one row each"
    );
}

async fn two_people_acting_on_one_item_at_once_get_one_409(engine: Engine) {
    let m = finalised_meeting(engine).await;
    m.issued().await;
    let colleague = m.app.user("tonghop2", "reviewer", HOAN_KIEM).await;
    let (a, b) = tokio::join!(
        m.record(
            &m.reviewer,
            1,
            1,
            json!({ "event": "reminded", "note": "Đôn đốc lần 1" })
        ),
        m.record(
            &colleague,
            1,
            1,
            json!({ "event": "progress", "note": "Đã gọi điện" })
        ),
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let refused = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale");
    assert_eq!(
        body["current"]["revision"], 2,
        "the answer shows the item as it now is"
    );
    let item = m.item(&m.reviewer, 1).await;
    assert_eq!(
        item.history.len(),
        2,
        "one of the two was written, the other not at all"
    );
}

async fn bad_input_is_refused_in_both_languages_and_nothing_is_half_stored(engine: Engine) {
    let m = finalised_meeting(engine).await;
    let mut cases: Vec<(Value, StatusCode, &str)> = Vec::new();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = m.notice();
        f(&mut body);
        body
    };
    cases.push((
        with(&|b| b["assignments"][1]["agency_id"] = json!(AgencyId::new())),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_agency",
    ));
    cases.push((
        with(&|b| b["issued_on"] = json!("2026-02-30")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_json",
    ));
    cases.push((
        with(&|b| b["issued_on"] = json!("2026-02-26")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "out_of_range",
    ));
    cases.push((
        with(&|b| b["issued_on"] = json!("2026-03-03")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "out_of_range",
    ));
    cases.push((
        with(&|b| b["number"] = json!("1".repeat(301))),
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_long",
    ));
    cases.push((
        with(&|b| b["conclusion"] = json!(" ")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "required",
    ));
    cases.push((
        with(&|b| {
            b["assignments"].as_array_mut().unwrap().pop();
        }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unassigned",
    ));
    let settled = m.opinions[0].id;
    cases.push((
        with(&|b| b["assignments"][0]["opinion_id"] = json!(settled)),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_to_assign",
    ));
    for (body, status, code) in cases {
        let answer = m.issue(&m.reviewer, &body).await;
        assert_eq!(error_code(answer).await, (status, code.into()), "{body}");
    }
    let malformed = m
        .reviewer
        .post(m.notice_url())
        .header("content-type", "application/json")
        .body("{\"number\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(malformed).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        m.app.count("conclusion_notices").await,
        0,
        "nothing half-stored"
    );
    assert_eq!(m.app.count("follow_items").await, 0);
    assert_eq!(m.app.count("follow_events").await, 0);

    m.issued().await;
    for (event, code) in [
        (
            json!({ "event": "replied", "number": "1", "on": "2026-03-01", "summary": "Đã trả lời" }),
            "before_assignment",
        ),
        (
            json!({ "event": "replied", "number": "1", "on": "2026-03-05", "summary": "Đã trả lời" }),
            "out_of_range",
        ),
        (
            json!({ "event": "replied", "number": "1", "on": "2026-03-02", "summary": "đ".repeat(20_001) }),
            "too_long",
        ),
        (
            json!({ "event": "extended", "due": "2026-03-31", "reason": "Phức tạp" }),
            "due_not_later",
        ),
        (json!({ "event": "progress", "note": "" }), "required"),
        (
            json!({ "event": "assigned", "agency": m.police, "on": "2026-03-02", "due": "2026-04-01" }),
            "out_of_range",
        ),
        (json!({ "event": "no_such_thing" }), "invalid_json"),
    ] {
        let answer = m.record(&m.police_handler, 1, 1, event.clone()).await;
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, code.into()),
            "{event}"
        );
    }
    assert_eq!(
        m.app.count("follow_events").await,
        2,
        "only the assignments"
    );
}

async fn nobody_reaches_another_units_or_agencys_follow_up(engine: Engine) {
    let m = finalised_meeting(engine).await;
    let elsewhere = m.app.user("tonghop_cb", "reviewer", CAO_BANG).await;
    let other_agency = m.app.agency(CAO_BANG, "Công an tỉnh Cao Bằng").await;
    let other_handler = m.app.handler("congan_cb", CAO_BANG, other_agency).await;
    let secretary = signed_in(&m.app.addr, "thuky").await;
    assert_eq!(
        m.issue(&elsewhere, &m.notice()).await.status(),
        StatusCode::NOT_FOUND
    );
    m.issued().await;
    let event = json!({ "event": "progress", "note": "Thử" });
    for (client, who) in [
        (&elsewhere, "another province's staff"),
        (&other_handler, "another agency's handler"),
    ] {
        for url in [m.notice_url(), m.item_url(1), m.item_url(2)] {
            let status = client.get(&url).send().await.unwrap().status();
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{who}: {url} gave {status}"
            );
        }
        let write = m.record(client, 1, 1, event.clone()).await;
        assert_eq!(write.status(), StatusCode::NOT_FOUND, "{who}");
    }
    // The police handler reaches the police's item, not the department's.
    assert_eq!(
        m.police_handler
            .get(m.item_url(2))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let write = m.record(&m.police_handler, 2, 1, event.clone()).await;
    assert_eq!(write.status(), StatusCode::NOT_FOUND);
    assert_eq!(m.board(&elsewhere, "").await.total.total, 0);
    // The notice is issued, the results are not public yet.
    for (list, own) in [
        ("/api/follow-up/notices", 0),
        ("/api/follow-up/publications", 1),
    ] {
        let seen: Vec<NoticeDue> = get_json(&elsewhere, &m.app.url(list)).await;
        assert!(seen.is_empty(), "{list} showed another province's dialogue");
        let theirs: Vec<NoticeDue> = get_json(&m.reviewer, &m.app.url(list)).await;
        assert_eq!(theirs.len(), own, "{list}: the unit's own staff");
    }
    let unknown = m
        .app
        .url(&format!("/api/items/{}", shared::OpinionId::new()));
    assert_eq!(
        m.reviewer.get(unknown).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let garbage = m
        .reviewer
        .get(m.app.url("/api/items/%FF"))
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::NOT_FOUND);
    for (client, url) in [
        (&other_handler, m.app.url("/api/follow-up/board")),
        (&other_handler, m.app.url("/api/follow-up/notices")),
        (&secretary, m.app.url("/api/follow-up/board")),
        (&secretary, m.item_url(1)),
        (&secretary, m.app.url("/api/follow-up/publications")),
        (
            &other_handler,
            m.app
                .url(&format!("/api/dialogues/{}/publication", m.dialogue.id)),
        ),
        (&m.reviewer, m.app.url("/api/agency/items")),
    ] {
        assert_eq!(
            client.get(&url).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{url}"
        );
    }
    let cross = m
        .record(
            &m.police_handler,
            1,
            1,
            json!({ "event": "forwarded", "to": other_agency }),
        )
        .await;
    assert_eq!(
        error_code(cross).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_agency".into()),
        "an item goes only to its unit's or its province's agencies"
    );
}

async fn a_handler_needs_an_agency_of_their_own_unit(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let police = app.agency(HOAN_KIEM, "Công an phường").await;
    for (role, agency, unit, code) in [
        ("handler", None, HOAN_KIEM, "required"),
        ("handler", Some(police), CUA_NAM, "unknown_agency"),
        ("reviewer", Some(police), HOAN_KIEM, "out_of_range"),
    ] {
        let answer = app
            .admin
            .post(app.url("/api/admin/users"))
            .json(
                &json!({ "username": "canbo", "password": PASSWORD, "display_name": "Cán bộ",
                           "role": role, "unit_code": unit, "agency_id": agency }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(answer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, code.into()),
            "{role} {unit}"
        );
    }
    assert_eq!(app.count("users").await, 1, "only the administrator");
}

async fn the_demo_fills_a_province_with_follow_up_in_every_state(engine: Engine) {
    let url = fresh_database(engine).await;
    let config = server::Config::for_tests(&url, "/nonexistent-site".into());
    let (state, _) = server::prepare(config).await.unwrap();
    let users = server::demo::seed(&state).await.unwrap();
    for role in ["secretary", "reviewer", "handler", "observer"] {
        assert!(
            users.iter().any(|u| u.role.as_str() == role),
            "a demo {role}"
        );
    }
    let count = |sql: &str| {
        let (pool, sql) = (state.pool.clone(), sql.to_owned());
        async move {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap();
            n
        }
    };
    for stage in ["assigned", "replied", "closed"] {
        let sql = format!("SELECT COUNT(*) FROM follow_items WHERE stage = '{stage}'");
        assert!(count(&sql).await > 0, "items {stage}");
    }
    assert!(
        count("SELECT COUNT(*) FROM follow_items WHERE stage = 'assigned' AND due < '2026-03-02'")
            .await
            > 0,
        "overdue items"
    );
    assert!(
        count("SELECT COUNT(*) FROM follow_items WHERE due <> first_due").await > 0,
        "extended items"
    );
    assert!(
        count("SELECT COUNT(*) FROM follow_items WHERE forwarded = 1").await > 0,
        "forwarded items"
    );
    assert!(
        count("SELECT COUNT(*) FROM follow_items WHERE replied_on > due").await > 0,
        "late replies"
    );
    assert!(
        count("SELECT COUNT(*) FROM dialogues d WHERE NOT EXISTS (SELECT 1 FROM conclusion_notices n WHERE n.dialogue_id = d.id)").await > 0,
        "dialogues awaiting their notice"
    );
    assert!(
        count("SELECT COUNT(*) FROM publications").await > 0,
        "published results"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM plan_entries").await,
        count("SELECT COUNT(DISTINCT unit_code) FROM dialogues").await,
        "each unit's next dialogue planned"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM plan_entries WHERE announced_on IS NULL").await,
        1,
        "one not announced"
    );
    assert!(
        server::demo::seed(&state).await.is_err(),
        "only an empty database is filled"
    );

    // `doithoai render-samples`: every document from this demo.
    let dir = std::env::temp_dir().join(format!("samples-{}", shared::DeviceId::new()));
    let made = server::samples::render(&state, &dir).await.unwrap();
    let names: Vec<String> = made
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "bien-ban-gui-ra-ngoai.docx",
        "bien-ban-luu-ho-so.docx",
        "thong-bao-ket-luan.docx",
        "giay-moi.docx",
        "ke-hoach.docx",
        "cong-van-don-doc.docx",
        "bao-cao-nam-xa.docx",
        "bao-cao-nam-tinh.docx",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let words = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        common::docx::words(&common::docx::parts(&bytes).0)
    };
    let outside = words("bien-ban-gui-ra-ngoai.docx");
    let on_file = words("bien-ban-luu-ho-so.docx");
    assert!(outside.contains(shared::opinion::PROTECTED_NAME));
    assert!(
        !on_file.contains(shared::opinion::PROTECTED_NAME),
        "named on file"
    );
    assert!(words("bao-cao-nam-tinh.docx").contains("UBND TỈNH PHÚ THỌ"));
    std::fs::remove_dir_all(&dir).unwrap();

    // A printed password logs in, and the board shows the province.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::run(listener, state, std::future::pending()));
    let office = users.iter().find(|u| u.username == "tonghop0").unwrap();
    let client = client();
    login(&client, &base, &office.username, &office.password)
        .await
        .error_for_status()
        .unwrap();
    let board: Board = get_json(&client, &format!("{base}/api/follow-up/board")).await;
    assert!(
        board.total.overdue > 0 && board.by_unit.len() > 1,
        "{:?}",
        board.total
    );
    // The plan flags the one announced too late.
    let plan: shared::plan::Plan =
        get_json(&client, &format!("{base}/api/plan?unit=25&year=2026")).await;
    assert_eq!(plan.entries.len(), 1);
    let late = users.iter().find(|u| u.username == "tonghop3").unwrap();
    let late_office = common::client();
    login(&late_office, &base, &late.username, &late.password)
        .await
        .error_for_status()
        .unwrap();
    let unit = users
        .iter()
        .find(|u| u.username == "thuky3")
        .unwrap()
        .unit
        .clone();
    let plan: shared::plan::Plan = get_json(
        &late_office,
        &format!("{base}/api/plan?unit={unit}&year=2026"),
    )
    .await;
    assert!(plan.entries[0].announced_late);
}

async fn published_results_name_nobody_and_reach_anyone(engine: Engine) {
    let m = finalised_meeting(engine).await;
    m.issued().await;
    m.then(&m.police_handler, 1, json!({ "event": "replied", "number": "45/CAP", "on": "2026-03-02", "summary": "Đã xử phạt chủ quán" }))
        .await;
    let public_url = m.app.url(&format!("/api/public/units/{HOAN_KIEM}"));
    let anyone = client();
    let shown = || async { anyone.get(&public_url).send().await.unwrap() };
    assert_eq!(
        shown().await.text().await.unwrap(),
        "[]",
        "nothing published yet"
    );
    let publication_url = m
        .app
        .url(&format!("/api/dialogues/{}/publication", m.dialogue.id));
    let observer = m.app.user("mttq", "observer", HOAN_KIEM).await;
    let elsewhere = m.app.user("tonghop_cb", "reviewer", CAO_BANG).await;
    let publish = |who: &Client| who.post(&publication_url).json(&json!({})).send();
    assert_eq!(
        publish(&observer).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        publish(&elsewhere).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let peek = elsewhere.get(&publication_url).send().await.unwrap();
    assert_eq!(
        peek.status(),
        StatusCode::NOT_FOUND,
        "another province's staff"
    );
    let preview: Value = get_json(&m.reviewer, &publication_url).await;
    assert_eq!(preview["history"], json!([]));
    let unpublished = || async {
        get_json::<Vec<NoticeDue>>(&m.reviewer, &m.app.url("/api/follow-up/publications")).await
    };
    let waiting = unpublished().await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        waiting[0].due,
        day("2026-03-09"),
        "published within 10 days of the dialogue"
    );
    assert_eq!(
        publish(&m.reviewer).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert!(unpublished().await.is_empty());

    let answer = shown().await;
    assert_eq!(answer.headers()["cache-control"], "public, max-age=60");
    let body = answer.text().await.unwrap();
    for private in [
        DENOUNCER,
        DENOUNCER_ADDRESS,
        "lấn chiếm đất công",
        "Nguyễn Văn Đức",
        "Lò Thị Mai",
        "số 7 ngõ Tạm Thương",
        "001099012345",
    ] {
        assert!(
            !body.contains(private),
            "the public saw «{private}»: {body}"
        );
    }
    for public in [
        "Quán karaoke gây ồn",
        "Đã xử phạt chủ quán",
        "Hỏi về lịch thu gom rác",
        "Công an phường Hoàn Kiếm",
    ] {
        assert!(body.contains(public), "«{public}» missing: {body}");
    }

    // The page people read: plain HTML, no script, nobody named.
    let page = anyone
        .get(m.app.url(&format!("/public?unit={HOAN_KIEM}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "public, max-age=60");
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script"), "readable without the bundle");
    for private in [
        DENOUNCER,
        DENOUNCER_ADDRESS,
        "lấn chiếm đất công",
        "Nguyễn Văn Đức",
        "Lò Thị Mai",
        "số 7 ngõ Tạm Thương",
        "001099012345",
    ] {
        assert!(
            !html.contains(private),
            "the public page showed «{private}»"
        );
    }
    assert!(html.contains("Quán karaoke gây ồn") && html.contains("Nội dung tố cáo được bảo mật"));
    let found = anyone
        .get(m.app.url("/public?q=hoan%20kiem"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains(&format!("/public?unit={HOAN_KIEM}")),
        "found by name without diacritics"
    );

    let withdraw = |who: &Client, reason: &str| {
        who.post(format!("{publication_url}/withdraw"))
            .json(&json!({ "reason": reason }))
            .send()
    };
    assert_eq!(
        error_code(withdraw(&m.reviewer, " ").await.unwrap()).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "required".into())
    );
    assert_eq!(
        withdraw(&elsewhere, "Sai").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        withdraw(&m.reviewer, "Cần bổ sung kết quả")
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(shown().await.text().await.unwrap(), "[]", "withdrawn");
    assert_eq!(
        unpublished().await.len(),
        1,
        "withdrawn results are due again"
    );
    assert_eq!(
        error_code(withdraw(&m.reviewer, "Lần nữa").await.unwrap()).await,
        (StatusCode::CONFLICT, "not_published".into())
    );
    // Between the two, the office closes the police's item: the second
    // publication says so.
    m.then(&m.reviewer, 1, json!({ "event": "closed" })).await;
    assert_eq!(
        publish(&m.reviewer).await.unwrap().status(),
        StatusCode::CREATED
    );
    let history: Value = get_json(&m.reviewer, &publication_url).await;
    assert_eq!(history["history"][0]["revision"], 2);
    assert_eq!(
        history["history"][0]["changes"],
        json!([{ "what": "follow_up", "position": 2, "stage": "closed" }])
    );
    assert_eq!(history["history"][1]["changes"], json!([]), "the first");
    assert_eq!(
        history["history"][1]["withdraw_reason"],
        "Cần bổ sung kết quả"
    );
    let shown_now: Vec<Value> = shown().await.json().await.unwrap();
    assert_eq!(shown_now.len(), 1, "the second publication is shown");
}

on_both_engines!(
    published_results_name_nobody_and_reach_anyone,
    the_demo_fills_a_province_with_follow_up_in_every_state,
    a_dialogue_goes_from_finalised_minutes_to_closed_items,
    the_board_counts_overdue_and_due_soon_by_the_clock,
    a_forward_moves_the_item_and_keeps_its_history,
    observers_read_everything_but_identities_and_write_nothing,
    two_people_acting_on_one_item_at_once_get_one_409,
    bad_input_is_refused_in_both_languages_and_nothing_is_half_stored,
    nobody_reaches_another_units_or_agencys_follow_up,
    a_handler_needs_an_agency_of_their_own_unit,
);
