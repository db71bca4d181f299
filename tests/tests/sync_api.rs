//! The sync protocol against the real server, on SQLite and PostgreSQL:
//! storing, replays, lost responses, order, concurrent edits, scope, limits.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use shared::review::{DialoguePage, DialogueView};
use shared::sync::{Entity, Outcome, PullResponse, PushResponse, MAX_BATCH_CHANGES};
use shared::{DeviceId, OpinionKind};

async fn a_pushed_batch_is_stored_and_readable_by_a_reviewer(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let d = dialogue(HOAN_KIEM);
    let texts = [
        "Ông Nguyễn Văn Đức, bản Giàng: đề nghị sửa đường liên thôn bị sạt lở",
        "Bà Lò Thị Mai: phản ánh ô nhiễm suối Nậm Pàn",
        "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất",
    ];
    let mut entities = vec![Entity::Dialogue(d.clone())];
    entities.extend(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Entity::Opinion(opinion(&d, i as i64 + 1, t))),
    );
    let device = DeviceId::new();
    let response = app.push(&secretary, &batch(device, 1, entities)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: PushResponse = response.json().await.unwrap();
    assert_eq!(answer.last_seq, 4);
    assert_eq!(outcomes(&answer), [Outcome::Applied; 4]);

    let view: DialogueView = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view.dialogue, d);
    let contents: Vec<&str> = view
        .opinions
        .iter()
        .map(|o| o.opinion.content.as_str())
        .collect();
    assert_eq!(contents, texts);
    assert_eq!(view.recorded_by, "Cán bộ thuky");
    assert!(view.first_received_at > 0);
    assert!(view.revisions.is_empty());

    // Removing an opinion keeps it (recoverable) but takes it out of the count.
    let mut removed = view.opinions[1].opinion.clone();
    removed.deleted = true;
    app.push(
        &secretary,
        &batch(device, 5, vec![Entity::Opinion(removed)]),
    )
    .await
    .error_for_status()
    .unwrap();
    let list: DialoguePage = get_json(&reviewer, &app.url("/api/dialogues")).await;
    assert_eq!(list.items[0].opinions, 2);
    let view: DialogueView =
        get_json(&reviewer, &app.url(&format!("/api/dialogues/{}", d.id))).await;
    assert_eq!(
        view.opinions.iter().filter(|o| o.opinion.deleted).count(),
        1
    );
}

async fn a_replayed_batch_is_stored_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let push = batch(
        DeviceId::new(),
        1,
        vec![
            Entity::Dialogue(d.clone()),
            Entity::Opinion(opinion(&d, 1, "đất đai")),
        ],
    );
    for round in 0..3 {
        let answer: PushResponse = app.push(&secretary, &push).await.json().await.unwrap();
        assert_eq!(answer.last_seq, 2);
        // A replay is told the same verdicts again.
        assert_eq!(outcomes(&answer), [Outcome::Applied; 2], "round {round}");
    }
    assert_eq!(app.count("dialogues").await, 1);
    assert_eq!(app.count("opinions").await, 1);
    assert_eq!(app.count("revisions").await, 2);
}

async fn a_retry_after_a_lost_response_stores_nothing_twice(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let device = DeviceId::new();
    let d = dialogue(HOAN_KIEM);
    let o1 = opinion(&d, 1, "ý kiến một");
    // The server commits this batch; its response never reaches the tablet.
    let first = batch(
        device,
        1,
        vec![Entity::Dialogue(d.clone()), Entity::Opinion(o1.clone())],
    );
    assert_eq!(app.push(&secretary, &first).await.status(), StatusCode::OK);
    // The tablet retries with what it still holds plus what was typed since.
    let o2 = opinion(&d, 2, "ý kiến hai");
    let retry = batch(
        device,
        1,
        vec![
            Entity::Dialogue(d.clone()),
            Entity::Opinion(o1),
            Entity::Opinion(o2),
        ],
    );
    let answer: PushResponse = app.push(&secretary, &retry).await.json().await.unwrap();
    assert_eq!(answer.last_seq, 3);
    assert_eq!(outcomes(&answer), [Outcome::Applied; 3]);
    assert_eq!(app.count("opinions").await, 2);
    assert_eq!(app.count("revisions").await, 3);
}

async fn batches_out_of_order_are_refused_then_applied_in_order(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let device = DeviceId::new();
    let d = dialogue(HOAN_KIEM);
    let early = batch(
        device,
        1,
        vec![
            Entity::Dialogue(d.clone()),
            Entity::Opinion(opinion(&d, 1, "một")),
        ],
    );
    let late = batch(
        device,
        3,
        vec![
            Entity::Opinion(opinion(&d, 2, "hai")),
            Entity::Opinion(opinion(&d, 3, "ba")),
        ],
    );
    let (status, code) = error_code(app.push(&secretary, &late).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "out_of_order")
    );
    assert_eq!(
        app.count("revisions").await,
        0,
        "nothing stored from a batch with a gap"
    );
    assert_eq!(app.push(&secretary, &early).await.status(), StatusCode::OK);
    assert_eq!(app.push(&secretary, &late).await.status(), StatusCode::OK);
    assert_eq!(
        app.push(&secretary, &early).await.status(),
        StatusCode::OK,
        "an old batch replayed late is harmless"
    );
    assert_eq!(app.count("opinions").await, 3);
    assert_eq!(app.count("revisions").await, 4);
}

async fn two_devices_editing_one_opinion_leave_both_revisions_visible(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let tablet_a = app.user("thuky-a", "secretary", HOAN_KIEM).await;
    let tablet_b = app.user("thuky-b", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let (device_a, device_b) = (DeviceId::new(), DeviceId::new());
    let d = dialogue(HOAN_KIEM);
    let o = opinion(&d, 1, "bản gốc");
    app.push(
        &tablet_a,
        &batch(
            device_a,
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(o.clone())],
        ),
    )
    .await
    .error_for_status()
    .unwrap();

    // Tablet B syncs, then both edit the same opinion without seeing each other.
    let pulled: PullResponse = get_json(&tablet_b, &app.url("/api/sync/pull?since=0")).await;
    let seen = pulled
        .opinions
        .iter()
        .find(|v| v.item.id == o.id)
        .expect("B pulls A's opinion");
    let mut from_b = seen.item.clone();
    from_b.content = "sửa trên máy B: đường bị sạt lở nặng hơn".into();
    let mut b_push = batch(device_b, 1, vec![Entity::Opinion(from_b.clone())]);
    b_push.changes[0].base_version = seen.version;
    let mut from_a = o.clone();
    from_a.content = "sửa trên máy A: đề nghị làm kè chống sạt lở".into();
    let mut a_push = batch(device_a, 3, vec![Entity::Opinion(from_a.clone())]);
    a_push.changes[0].base_version = seen.version;
    let b_answer: PushResponse = app.push(&tablet_b, &b_push).await.json().await.unwrap();
    assert_eq!(outcomes(&b_answer), [Outcome::Applied]);
    let a_answer: PushResponse = app.push(&tablet_a, &a_push).await.json().await.unwrap();
    assert_eq!(
        outcomes(&a_answer),
        [Outcome::Concurrent],
        "A edited a version B had already replaced"
    );

    let view: DialogueView = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert!(view.opinions[0].conflict);
    let kept: Vec<(String, String)> = view
        .revisions
        .iter()
        .filter_map(|r| match &r.entity {
            Entity::Opinion(o) => Some((r.user_name.clone(), o.content.clone())),
            _ => None,
        })
        .collect();
    assert!(
        kept.contains(&("Cán bộ thuky-b".into(), from_b.content.clone())),
        "{kept:?}"
    );
    assert!(
        kept.contains(&("Cán bộ thuky-a".into(), from_a.content.clone())),
        "{kept:?}"
    );
    let list: DialoguePage = get_json(&reviewer, &app.url("/api/dialogues")).await;
    assert!(list.items[0].conflict);
}

async fn a_change_out_of_scope_is_refused_alone_and_the_rest_is_stored(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let mine = dialogue(HOAN_KIEM);
    let theirs = dialogue(THUC_PHAN);
    let sibling = dialogue(CUA_NAM);
    let mixed = batch(
        DeviceId::new(),
        1,
        vec![
            Entity::Dialogue(mine.clone()),
            Entity::Dialogue(theirs),
            Entity::Dialogue(sibling),
            Entity::Opinion(opinion(&mine, 1, "đường liên thôn")),
        ],
    );
    let answer: PushResponse = app.push(&secretary, &mixed).await.json().await.unwrap();
    assert_eq!(
        outcomes(&answer),
        [
            Outcome::Applied,
            Outcome::Refused,
            Outcome::Refused,
            Outcome::Applied
        ],
        "another province's ward and a sibling ward are refused, nothing else"
    );
    for v in &answer.verdicts[1..3] {
        assert_eq!(v.reason.as_ref().unwrap().code, "out_of_scope");
        assert!(v.current.is_none(), "nothing of another unit is sent back");
    }
    assert_eq!(answer.last_seq, 4);
    assert_eq!(app.count("dialogues").await, 1);
    assert_eq!(app.count("opinions").await, 1);
    assert_eq!(
        app.count("revisions").await,
        4,
        "the refused ones are kept too"
    );
}

/// Defect: one refused change blocked the queue for ever. A five-digit year
/// (Chrome's date-time field lets one through) is refused alone; the topic
/// and opinions typed after it are stored, the device is told which change
/// was refused and why, a retry after a lost answer is told the same, and
/// the corrected date goes through.
async fn a_refused_change_never_blocks_the_changes_after_it(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let device = DeviceId::new();
    let mut d = dialogue(HOAN_KIEM);
    app.push(
        &secretary,
        &batch(device, 1, vec![Entity::Dialogue(d.clone())]),
    )
    .await
    .error_for_status()
    .unwrap();
    let mut bad = d.clone();
    bad.planned_at = "20266-11-20T08:00".into();
    bad.topic = "Đường liên thôn bản Giàng".into();
    let offline = batch(
        device,
        2,
        vec![
            Entity::Dialogue(bad.clone()),
            Entity::Opinion(opinion(&d, 1, "một")),
            Entity::Opinion(opinion(&d, 2, "hai")),
            Entity::Opinion(opinion(&d, 3, "ba")),
        ],
    );
    for attempt in ["first", "retry after a lost answer"] {
        let response = app.push(&secretary, &offline).await;
        assert_eq!(response.status(), StatusCode::OK, "{attempt}");
        let answer: PushResponse = response.json().await.unwrap();
        assert_eq!(answer.last_seq, 5, "{attempt}: the queue moves past it");
        assert_eq!(
            outcomes(&answer),
            [
                Outcome::Refused,
                Outcome::Applied,
                Outcome::Applied,
                Outcome::Applied
            ],
            "{attempt}"
        );
        let refused = &answer.verdicts[0];
        let reason = refused.reason.as_ref().unwrap();
        assert_eq!(reason.code, "out_of_range", "{attempt}");
        assert_eq!(
            reason.message, "Giá trị của «Thời gian dự kiến» không hợp lệ",
            "{attempt}: which field, in plain Vietnamese"
        );
        assert!(reason.message_en.contains("planned_at"));
        assert_eq!(
            refused.current.as_ref().map(|c| &c.item),
            Some(&Entity::Dialogue(d.clone())),
            "{attempt}: the device is given the server's record"
        );
    }
    assert_eq!(app.count("opinions").await, 3);
    d.planned_at = "2026-11-20T08:00".into();
    d.topic = bad.topic.clone();
    let fixed: PushResponse = app
        .push(
            &secretary,
            &batch(device, 6, vec![Entity::Dialogue(d.clone())]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcomes(&fixed), [Outcome::Applied]);
    let view: DialogueView = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view.dialogue, d);
    let kept = view
        .revisions
        .iter()
        .find(|r| r.outcome == Outcome::Refused)
        .expect("the refused change is kept for reviewers");
    assert_eq!(kept.entity, Entity::Dialogue(bad));
}

/// Defect: a tablet that edited minutes another tablet had finalised was
/// told "all synced" and kept showing its own text. Now each refused change
/// comes back with the server's record.
async fn a_tablet_that_edited_locked_minutes_is_given_the_servers_record(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let tablet_a = app.user("thuky-a", "secretary", HOAN_KIEM).await;
    let tablet_b = app.user("thuky-b", "secretary", HOAN_KIEM).await;
    let (device_a, device_b) = (DeviceId::new(), DeviceId::new());
    let mut d = dialogue(HOAN_KIEM);
    let o = opinion(&d, 1, "bản của máy A");
    app.push(
        &tablet_a,
        &batch(
            device_a,
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(o.clone())],
        ),
    )
    .await
    .error_for_status()
    .unwrap();
    let seen: PullResponse = get_json(&tablet_b, &app.url("/api/sync/pull?since=0")).await;
    d.start(1).unwrap();
    d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", 2).unwrap();
    app.push(
        &tablet_a,
        &batch(device_a, 3, vec![Entity::Dialogue(d.clone())]),
    )
    .await
    .error_for_status()
    .unwrap();
    // B edited both offline, on the versions it had pulled.
    let mut b_dialogue = seen.dialogues[0].item.clone();
    b_dialogue.conclusion = "kết luận của máy B".into();
    let mut b_opinion = seen.opinions[0].item.clone();
    b_opinion.content = "bản của máy B".into();
    let mut push = batch(
        device_b,
        1,
        vec![Entity::Dialogue(b_dialogue), Entity::Opinion(b_opinion)],
    );
    push.changes[0].base_version = seen.dialogues[0].version;
    push.changes[1].base_version = seen.opinions[0].version;
    let answer: PushResponse = app.push(&tablet_b, &push).await.json().await.unwrap();
    assert_eq!(outcomes(&answer), [Outcome::Refused, Outcome::Refused]);
    let current: Vec<Entity> = answer
        .verdicts
        .iter()
        .map(|v| {
            assert_eq!(v.reason.as_ref().unwrap().code, "locked");
            v.current
                .clone()
                .expect("the server's record comes back")
                .item
        })
        .collect();
    assert_eq!(current, [Entity::Dialogue(d), Entity::Opinion(o)]);
}

/// Defect: on PostgreSQL a NUL character anywhere answered 500. The domain
/// refuses control characters other than tab and newline, the same on both
/// engines: 422 in the JSON shape, or a refused change in a push.
async fn text_with_a_nul_character_is_refused_the_same_on_both_engines(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    assert_eq!(
        error_code(app.login(&client(), "thu\0ky", PASSWORD).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "control_character".into())
    );
    let d = dialogue(HOAN_KIEM);
    let mut nul = opinion(&d, 1, "đường\0liên thôn");
    nul.speaker_name = "Lò\u{7}Văn".into();
    let answer: PushResponse = app
        .push(
            &secretary,
            &batch(
                DeviceId::new(),
                1,
                vec![
                    Entity::Dialogue(d.clone()),
                    Entity::Opinion(nul),
                    Entity::Opinion(opinion(&d, 2, "một\tcột\nhai dòng")),
                ],
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        outcomes(&answer),
        [Outcome::Applied, Outcome::Refused, Outcome::Applied]
    );
    assert_eq!(
        answer.verdicts[1].reason.as_ref().unwrap().code,
        "control_character"
    );
    let new_user = json!({ "username": "moi", "password": PASSWORD, "display_name": "Cán bộ\0mới", "role": "secretary", "unit_code": HOAN_KIEM });
    let created = app
        .admin
        .post(app.url("/api/admin/users"))
        .json(&new_user)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(created).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "control_character".into())
    );
    for (param, value) in [("q", "đất\0đai"), ("unit", "000\u{0}70")] {
        let response = reviewer
            .get(app.url("/api/dialogues"))
            .query(&[(param, value)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response).await.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{param}"
        );
    }
    assert_eq!(app.count("opinions").await, 1);
}

async fn oversized_and_invalid_payloads_get_a_json_error_and_store_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let device = DeviceId::new();
    let push_url = app.url("/api/sync/push");

    let too_many = batch(
        device,
        1,
        (0..=MAX_BATCH_CHANGES as i64)
            .map(|i| Entity::Opinion(opinion(&d, i, "x")))
            .collect(),
    );
    assert_eq!(
        error_code(app.push(&secretary, &too_many).await).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "too_many_changes".into())
    );

    let huge = format!(
        "{{\"device_id\":\"{device}\",\"changes\":[],\"pad\":\"{}\"}}",
        "x".repeat(shared::sync::MAX_PUSH_BYTES)
    );
    let response = secretary
        .post(&push_url)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into())
    );

    let malformed = secretary
        .post(&push_url)
        .header("content-type", "application/json")
        .body("{\"device_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(malformed).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json".into())
    );

    // Tampered JSON: an unknown enum value, a wrong type.
    for (field, value) in [
        ("kind", json!("picnic")),
        ("citizens_attending", json!("năm mươi")),
    ] {
        let mut tampered =
            serde_json::to_value(batch(device, 1, vec![Entity::Dialogue(d.clone())])).unwrap();
        tampered["changes"][0]["entity"]["dialogue"][field] = value;
        let response = secretary
            .post(&push_url)
            .json(&tampered)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json".into()),
            "{field}"
        );
    }

    let not_json = secretary
        .post(&push_url)
        .body("device_id=1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(not_json).await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    // Query strings too answer in the JSON error shape.
    for url in [
        "/api/sync/pull?since=abc",
        "/api/sync/pull?device=not-a-uuid",
    ] {
        let response = secretary.get(app.url(url)).send().await.unwrap();
        assert_eq!(
            error_code(response).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_query".into()),
            "{url}"
        );
    }

    for table in ["dialogues", "opinions", "revisions", "devices"] {
        assert_eq!(app.count(table).await, 0, "{table} must stay empty");
    }
}

async fn a_user_from_another_unit_cannot_read_a_dialogue_by_its_id(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let outsider = app.user("caobang", "reviewer", CAO_BANG).await;
    let d = dialogue(HOAN_KIEM);
    app.push(
        &secretary,
        &batch(DeviceId::new(), 1, vec![Entity::Dialogue(d.clone())]),
    )
    .await
    .error_for_status()
    .unwrap();
    assert_eq!(
        error_code(app.detail(&outsider, &d.id.to_string()).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let list: DialoguePage = get_json(&outsider, &app.url("/api/dialogues")).await;
    assert!(list.items.is_empty());
    let pulled = outsider
        .get(app.url("/api/sync/pull"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pulled.status(),
        StatusCode::FORBIDDEN,
        "reviewers do not pull"
    );
    let anonymous = client()
        .get(app.url(&format!("/api/dialogues/{}", d.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(anonymous).await.0, StatusCode::UNAUTHORIZED);
    let anonymous_push = client()
        .post(app.url("/api/sync/push"))
        .json(&batch(DeviceId::new(), 1, vec![]))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(anonymous_push).await.0, StatusCode::UNAUTHORIZED);
}

async fn finalised_minutes_refuse_later_edits_but_keep_them(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let device = DeviceId::new();
    let mut d = dialogue(HOAN_KIEM);
    let mut o = opinion(&d, 1, "trước khi khóa");
    d.start(1).unwrap();
    d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", 2).unwrap();
    let orphan: PushResponse = app
        .push(
            &secretary,
            &batch(device, 1, vec![Entity::Opinion(o.clone())]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        orphan.verdicts[0].reason.as_ref().unwrap().code,
        "unknown_dialogue"
    );
    app.push(
        &secretary,
        &batch(device, 2, vec![Entity::Dialogue(d.clone())]),
    )
    .await
    .error_for_status()
    .unwrap();
    o.content = "sửa sau khi khóa".into();
    let answer: PushResponse = app
        .push(
            &secretary,
            &batch(DeviceId::new(), 1, vec![Entity::Opinion(o)]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcomes(&answer), [Outcome::Refused]);
    assert_eq!(answer.verdicts[0].reason.as_ref().unwrap().code, "locked");
    let view: DialogueView = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        view.opinions.is_empty(),
        "the locked minutes did not change"
    );
    let reasons: Vec<&str> = view
        .revisions
        .iter()
        .map(|r| r.reason.as_ref().map_or("", |r| r.code.as_str()))
        .collect();
    assert_eq!(
        reasons,
        ["unknown_dialogue", "locked"],
        "both kept, both refused"
    );
}

async fn reviewers_search_without_diacritics_and_never_see_a_denouncer(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let d = dialogue(HOAN_KIEM);
    let mut denunciation = opinion(&d, 1, "Tố cáo cán bộ địa chính nhận tiền");
    denunciation.kind = OpinionKind::Denunciation;
    denunciation.speaker_name = "Trần Thị Quyên".into();
    app.push(
        &secretary,
        &batch(
            DeviceId::new(),
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(denunciation)],
        ),
    )
    .await
    .error_for_status()
    .unwrap();

    let search = |q: &str| {
        reviewer
            .get(app.url("/api/dialogues"))
            .query(&[("q", q)])
            .send()
    };
    let found: DialoguePage = search("dat dai").await.unwrap().json().await.unwrap();
    assert_eq!(found.items.len(), 1, "'dat dai' finds 'đất đai'");
    let found: DialoguePage = search("ĐỊA CHÍNH").await.unwrap().json().await.unwrap();
    assert_eq!(found.items.len(), 1, "opinion text is searched too");
    let found: DialoguePage = search("Quyen").await.unwrap().json().await.unwrap();
    assert!(
        found.items.is_empty(),
        "a denouncer's name is not searchable"
    );
    let filtered: DialoguePage = get_json(&reviewer, &app.url("/api/dialogues?kind=on_site")).await;
    assert!(filtered.items.is_empty());
    let dated: DialoguePage = get_json(
        &reviewer,
        &app.url("/api/dialogues?from=2026-11-20&to=2026-11-20"),
    )
    .await;
    assert_eq!(dated.items.len(), 1);
    let other_unit: DialoguePage = get_json(
        &reviewer,
        &app.url(&format!("/api/dialogues?unit={CUA_NAM}")),
    )
    .await;
    assert!(
        other_unit.items.is_empty(),
        "the unit filter narrows the list"
    );
    let own_unit: DialoguePage = get_json(
        &reviewer,
        &app.url(&format!("/api/dialogues?unit={HOAN_KIEM}")),
    )
    .await;
    assert_eq!(own_unit.items.len(), 1);
    let bad = reviewer
        .get(app.url("/api/dialogues?kind=picnic"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    let view: DialogueView = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        view.opinions[0].opinion.speaker_name,
        shared::opinion::PROTECTED_NAME
    );
    assert!(view.opinions[0].opinion.speaker_address.is_empty());
    // The secretary who recorded it gets it back, and that access is audited.
    let pulled: PullResponse = get_json(&secretary, &app.url("/api/sync/pull")).await;
    assert_eq!(pulled.opinions[0].item.speaker_name, "Trần Thị Quyên");
    assert_eq!(app.count("audit_log").await, 1);
}

async fn pull_pages_through_everything_in_scope(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let device = DeviceId::new();
    let mut seq = 1;
    let total = shared::sync::PULL_PAGE + 50;
    let mut entities = vec![Entity::Dialogue(d.clone())];
    entities
        .extend((0..total).map(|i| Entity::Opinion(opinion(&d, i as i64, &format!("ý kiến {i}")))));
    for chunk in entities.chunks(MAX_BATCH_CHANGES) {
        app.push(&secretary, &batch(device, seq, chunk.to_vec()))
            .await
            .error_for_status()
            .unwrap();
        seq += chunk.len() as u64;
    }
    let (mut since, mut opinions, mut pages) = (0, 0, 0);
    loop {
        let page: PullResponse = get_json(
            &secretary,
            &app.url(&format!("/api/sync/pull?since={since}")),
        )
        .await;
        opinions += page.opinions.len();
        pages += 1;
        assert!(page.cursor >= since);
        since = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!((opinions, pages), (total, 2));
    let empty: PullResponse = get_json(
        &secretary,
        &app.url(&format!("/api/sync/pull?since={since}")),
    )
    .await;
    assert!(empty.dialogues.is_empty() && empty.opinions.is_empty() && !empty.has_more);
    // The device that wrote them is not sent its own records back.
    let own: PullResponse = get_json(
        &secretary,
        &app.url(&format!("/api/sync/pull?since=0&device={device}")),
    )
    .await;
    assert!(own.dialogues.is_empty() && own.opinions.is_empty() && !own.has_more);
    assert_eq!(own.cursor, since, "the cursor still moves past them");
}

async fn a_gzip_compressed_push_is_stored_like_a_plain_one(engine: Engine) {
    use std::io::Write;
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let push = batch(
        DeviceId::new(),
        1,
        vec![
            Entity::Dialogue(d.clone()),
            Entity::Opinion(opinion(&d, 1, "Đề nghị sửa đường liên thôn")),
        ],
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&serde_json::to_vec(&push).unwrap()).unwrap();
    let response = secretary
        .post(app.url("/api/sync/push"))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gz.finish().unwrap())
        .send()
        .await
        .unwrap();
    let answer: PushResponse = response.json().await.unwrap();
    assert_eq!(answer.last_seq, 2);
    assert_eq!(outcomes(&answer), [Outcome::Applied; 2]);
    let broken = secretary
        .post(app.url("/api/sync/push"))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body("not gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(broken).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("opinions").await, 1);
}

async fn logins_are_rate_limited_and_errors_are_json(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let c = client();
    for _ in 0..server::rate_limit::MAX_FAILURES {
        assert_eq!(
            error_code(app.login(&c, "thuky", "sai-mat-khau").await).await,
            (StatusCode::UNAUTHORIZED, "bad_credentials".into())
        );
    }
    assert_eq!(
        error_code(app.login(&c, "thuky", PASSWORD).await).await,
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into())
    );
    let response = app.login(&c, "admin", "admin-password").await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let unknown = app.admin.get(app.url("/api/nope")).send().await.unwrap();
    assert_eq!(error_code(unknown).await.0, StatusCode::NOT_FOUND);
    let short = app.admin.post(app.url("/api/admin/users")).json(&json!({"username": "x", "password": "123", "display_name": "X", "role": "secretary", "unit_code": HOAN_KIEM})).send().await.unwrap();
    assert_eq!(
        error_code(short).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "weak_password".into())
    );
    let not_admin = app.user("tonghop", "reviewer", HANOI).await;
    let refused = not_admin
        .post(app.url("/api/admin/units/import"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(refused).await.0, StatusCode::FORBIDDEN);
}

/// Found by a sweep of every endpoint: revisions of an opinion later made a
/// denunciation kept the identity for reviewers, and every secretary whose
/// scope covered the commune pulled it. Now only the recording secretary
/// sees it, and a tablet shown the label never writes it back.
async fn a_denouncer_stays_hidden_in_every_revision_and_from_other_secretaries(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let recorder = app.user("thuky-a", "secretary", HOAN_KIEM).await;
    let colleague = app.user("thuky-b", "secretary", HOAN_KIEM).await;
    let province = app.user("thuky-tinh", "secretary", HANOI).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let identity = ["Trần Thị Quyên", "số 5 ngõ Huế", "001203004005"];
    let (device_a, device_b) = (DeviceId::new(), DeviceId::new());
    let d = dialogue(HOAN_KIEM);
    let mut o = opinion(&d, 1, "Cán bộ địa chính nhận tiền");
    o.speaker_name = identity[0].into();
    o.speaker_address = identity[1].into();
    o.speaker_id_number = identity[2].into();
    app.push(
        &recorder,
        &batch(
            device_a,
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(o.clone())],
        ),
    )
    .await
    .error_for_status()
    .unwrap();
    // First a proposal: the colleague sees it and edits it.
    let pulled: PullResponse = get_json(&colleague, &app.url("/api/sync/pull?since=0")).await;
    let mut edited = pulled.opinions[0].item.clone();
    edited.answer = "Sẽ kiểm tra".into();
    let mut push = batch(device_b, 1, vec![Entity::Opinion(edited)]);
    push.changes[0].base_version = pulled.opinions[0].version;
    app.push(&colleague, &push)
        .await
        .error_for_status()
        .unwrap();
    // Then the recorder makes it a denunciation, concurrently: every
    // revision is kept and shown to reviewers.
    o.kind = OpinionKind::Denunciation;
    let answer: PushResponse = app
        .push(
            &recorder,
            &batch(device_a, 3, vec![Entity::Opinion(o.clone())]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcomes(&answer), [Outcome::Concurrent]);

    let detail = app
        .detail(&reviewer, &d.id.to_string())
        .await
        .text()
        .await
        .unwrap();
    let view: DialogueView = serde_json::from_str(&detail).unwrap();
    assert_eq!(view.revisions.len(), 3, "all three revisions are shown");
    let pull_url = app.url("/api/sync/pull?since=0");
    let colleague_pull = colleague
        .get(&pull_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let province_pull = province
        .get(&pull_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (who, text) in [
        ("reviewer", &detail),
        ("colleague", &colleague_pull),
        ("province secretary", &province_pull),
    ] {
        for secret in identity {
            assert!(!text.contains(secret), "{who} received {secret}");
        }
        assert!(
            text.contains(shared::opinion::PROTECTED_NAME),
            "{who} sees the label"
        );
    }
    let audited = app.count("audit_log").await;

    // The colleague edits the content holding only the label: the identity stays.
    let seen: PullResponse = serde_json::from_str(&colleague_pull).unwrap();
    let mut relabelled = seen.opinions[0].item.clone();
    relabelled.content = "Bổ sung: nhận tiền hai lần".into();
    let mut push = batch(device_b, 2, vec![Entity::Opinion(relabelled.clone())]);
    push.changes[0].base_version = seen.opinions[0].version;
    let answer: PushResponse = app.push(&colleague, &push).await.json().await.unwrap();
    assert_eq!(outcomes(&answer), [Outcome::Applied]);
    assert!(
        answer.verdicts[0].current.is_none(),
        "as the colleague sees it, nothing differs"
    );

    let own: PullResponse = get_json(&recorder, &pull_url).await;
    let kept = &own.opinions[0].item;
    assert_eq!(
        [
            kept.speaker_name.as_str(),
            &kept.speaker_address,
            &kept.speaker_id_number
        ],
        identity,
        "the recorder still reads the real identity"
    );
    assert_eq!(kept.content, relabelled.content);
    assert_eq!(
        app.count("audit_log").await,
        audited + 1,
        "only the recorder's delivery is audited"
    );

    // A refused change of the recorder's comes back with the identity: that
    // delivery is audited too.
    let mut bad = kept.clone();
    bad.content = "nội dung\0".into();
    let answer: PushResponse = app
        .push(&recorder, &batch(device_a, 4, vec![Entity::Opinion(bad)]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcomes(&answer), [Outcome::Refused]);
    let Some(Entity::Opinion(back)) = answer.verdicts[0].current.as_ref().map(|c| &c.item) else {
        panic!("the server's opinion comes back")
    };
    assert_eq!(back.speaker_name, identity[0]);
    assert_eq!(app.count("audit_log").await, audited + 2);
}

/// A last page that happens to be full says nothing more exists, so a
/// device never spends one more request to learn there is nothing.
async fn a_full_last_page_says_nothing_more_exists(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let mut entities = vec![Entity::Dialogue(d.clone())];
    entities.extend(
        (0..shared::sync::PULL_PAGE).map(|i| Entity::Opinion(opinion(&d, i as i64, "ý kiến"))),
    );
    let (device, mut seq) = (DeviceId::new(), 1);
    for chunk in entities.chunks(MAX_BATCH_CHANGES) {
        app.push(&secretary, &batch(device, seq, chunk.to_vec()))
            .await
            .error_for_status()
            .unwrap();
        seq += chunk.len() as u64;
    }
    let page: PullResponse = get_json(&secretary, &app.url("/api/sync/pull?since=0")).await;
    assert_eq!(page.opinions.len(), shared::sync::PULL_PAGE);
    assert!(!page.has_more, "everything came in one page");
    let next: PullResponse = get_json(
        &secretary,
        &app.url(&format!("/api/sync/pull?since={}", page.cursor)),
    )
    .await;
    assert!(next.opinions.is_empty() && next.dialogues.is_empty());
}

async fn text_typed_in_decomposed_form_is_stored_in_nfc_and_found_as_typed_elsewhere(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let mut d = dialogue(HOAN_KIEM);
    // "Kiến nghị về nước sạch" as some keyboards send it: base letters and
    // combining marks (NFD).
    let decomposed = "Kie\u{0302}\u{0301}n nghi\u{0323} ve\u{0302}\u{0300} nu\u{031B}o\u{031B}\u{0301}c sa\u{0323}ch";
    let composed = "Kiến nghị về nước sạch";
    assert_ne!(decomposed, composed);
    d.topic = decomposed.into();
    let o = opinion(&d, 1, decomposed);
    app.push(
        &secretary,
        &batch(
            DeviceId::new(),
            1,
            vec![Entity::Dialogue(d.clone()), Entity::Opinion(o)],
        ),
    )
    .await
    .error_for_status()
    .unwrap();
    let (stored,): (String,) = sqlx::query_as("SELECT data FROM opinions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.contains(composed), "{stored}");
    assert!(!stored.contains('\u{0302}'), "no combining mark stored");
    let pulled: shared::sync::PullResponse =
        get_json(&secretary, &app.url("/api/sync/pull?since=0")).await;
    assert_eq!(pulled.dialogues[0].item.topic, composed);
    assert_eq!(pulled.opinions[0].item.content, composed);
    let found: DialoguePage = reviewer
        .get(app.url("/api/dialogues"))
        .query(&[("q", "nước sạch")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
}

on_both_engines!(
    a_pushed_batch_is_stored_and_readable_by_a_reviewer,
    text_typed_in_decomposed_form_is_stored_in_nfc_and_found_as_typed_elsewhere,
    a_replayed_batch_is_stored_once,
    a_retry_after_a_lost_response_stores_nothing_twice,
    batches_out_of_order_are_refused_then_applied_in_order,
    two_devices_editing_one_opinion_leave_both_revisions_visible,
    a_change_out_of_scope_is_refused_alone_and_the_rest_is_stored,
    a_refused_change_never_blocks_the_changes_after_it,
    a_tablet_that_edited_locked_minutes_is_given_the_servers_record,
    text_with_a_nul_character_is_refused_the_same_on_both_engines,
    a_denouncer_stays_hidden_in_every_revision_and_from_other_secretaries,
    a_full_last_page_says_nothing_more_exists,
    oversized_and_invalid_payloads_get_a_json_error_and_store_nothing,
    a_user_from_another_unit_cannot_read_a_dialogue_by_its_id,
    finalised_minutes_refuse_later_edits_but_keep_them,
    reviewers_search_without_diacritics_and_never_see_a_denouncer,
    pull_pages_through_everything_in_scope,
    logins_are_rate_limited_and_errors_are_json,
    a_gzip_compressed_push_is_stored_like_a_plain_one,
);
