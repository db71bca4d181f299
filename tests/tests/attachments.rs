//! Photos of the signed pages and audio notes of a dialogue: declared, sent
//! in chunks that resume where the server stopped after a cut, checked
//! whole against their checksum, read back by those who read the minutes
//! (each read audited), and refused past their limits with the JSON error
//! shape, nothing stored.

mod common;

use common::*;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use shared::attachment::{AttachmentStatus, CHUNK_MAX, PER_DIALOGUE_MAX};
use shared::sync::Entity;
use shared::{DeviceId, Dialogue};

/// A dialogue of Hoàn Kiếm recorded and synced, and its secretary.
async fn recorded(engine: Engine) -> (TestApp, Client, Dialogue) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let d = dialogue(HOAN_KIEM);
    let pushed = secretary
        .post(app.url("/api/sync/push"))
        .json(&batch(
            DeviceId::new(),
            1,
            vec![Entity::Dialogue(d.clone())],
        ))
        .send()
        .await
        .unwrap();
    assert!(pushed.status().is_success());
    (app, secretary, d)
}

/// A photo's bytes (not a real JPEG: the server keeps bytes as sent).
fn photo(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn declare(app: &TestApp, who: &Client, id: &str, d: &Dialogue, bytes: &[u8]) -> Response {
    who.put(app.url(&format!("/api/attachments/{id}")))
        .json(&json!({
            "dialogue_id": d.id, "kind": "photo", "media_type": "image/jpeg",
            "size": bytes.len(), "sha256": sha256(bytes),
        }))
        .send()
        .await
        .unwrap()
}

async fn send(app: &TestApp, who: &Client, id: &str, offset: usize, bytes: &[u8]) -> Response {
    who.put(app.url(&format!("/api/attachments/{id}/bytes?offset={offset}")))
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

async fn status(response: Response) -> AttachmentStatus {
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

async fn a_photo_cut_half_way_resumes_where_the_server_stopped_and_arrives_byte_identical(
    engine: Engine,
) {
    let (app, secretary, d) = recorded(engine).await;
    let office = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let bytes = photo(2 * CHUNK_MAX + 1000);
    let id = uuid::Uuid::now_v7().to_string();
    let declared = declare(&app, &secretary, &id, &d, &bytes).await;
    assert_eq!(declared.status(), StatusCode::CREATED);
    assert_eq!(status(declared).await.received, 0);
    // Declared again (the answer was lost): the same, nothing new.
    assert_eq!(
        status(declare(&app, &secretary, &id, &d, &bytes).await)
            .await
            .received,
        0
    );
    let first = status(send(&app, &secretary, &id, 0, &bytes[..CHUNK_MAX]).await).await;
    assert_eq!((first.received, first.complete), (CHUNK_MAX as u64, false));
    // The answer to that chunk never reached the tablet: it sends the
    // chunk again and is told where the server stands; nothing doubles.
    let again = send(&app, &secretary, &id, 0, &bytes[..CHUNK_MAX]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale");
    assert_eq!(body["current"]["received"], CHUNK_MAX);
    let held: AttachmentStatus =
        get_json(&secretary, &app.url(&format!("/api/attachments/{id}"))).await;
    assert_eq!(held.received, CHUNK_MAX as u64);
    let listed: Vec<AttachmentStatus> = get_json(
        &office,
        &app.url(&format!("/api/dialogues/{}/attachments", d.id)),
    )
    .await;
    assert!(listed.is_empty(), "not listed before it is whole");

    for at in [CHUNK_MAX, 2 * CHUNK_MAX] {
        let end = (at + CHUNK_MAX).min(bytes.len());
        let sent = status(send(&app, &secretary, &id, at, &bytes[at..end]).await).await;
        assert_eq!(sent.received, end as u64);
        assert_eq!(sent.complete, end == bytes.len());
    }
    let listed: Vec<AttachmentStatus> = get_json(
        &office,
        &app.url(&format!("/api/dialogues/{}/attachments", d.id)),
    )
    .await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].sha256, sha256(&bytes));
    assert_eq!(app.count("audit_log").await, 0);
    let file = office
        .get(app.url(&format!("/api/attachments/{id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert_eq!(file.headers()["cache-control"], "no-store");
    assert_eq!(file.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(app.count("audit_log").await, 1, "the read is audited");
}

async fn bytes_that_do_not_match_the_checksum_are_dropped_and_sent_again_whole(engine: Engine) {
    let (app, secretary, d) = recorded(engine).await;
    let bytes = photo(CHUNK_MAX + 10);
    let id = uuid::Uuid::now_v7().to_string();
    declare(&app, &secretary, &id, &d, &bytes).await;
    let mut damaged = bytes.clone();
    damaged[CHUNK_MAX + 3] ^= 0xff;
    status(send(&app, &secretary, &id, 0, &damaged[..CHUNK_MAX]).await).await;
    let last = send(&app, &secretary, &id, CHUNK_MAX, &damaged[CHUNK_MAX..]).await;
    assert_eq!(
        error_code(last).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "checksum_mismatch".into())
    );
    assert_eq!(app.count("attachment_chunks").await, 0);
    status(send(&app, &secretary, &id, 0, &bytes[..CHUNK_MAX]).await).await;
    let whole = status(send(&app, &secretary, &id, CHUNK_MAX, &bytes[CHUNK_MAX..]).await).await;
    assert!(whole.complete);
}

async fn past_their_limits_attachments_get_the_json_error_shape_and_nothing_is_stored(
    engine: Engine,
) {
    let (app, secretary, d) = recorded(engine).await;
    let put = |body: Value| {
        secretary
            .put(app.url(&format!("/api/attachments/{}", uuid::Uuid::now_v7())))
            .header("accept-language", "en")
            .json(&body)
            .send()
    };
    let sha = "0".repeat(64);
    for (body, field) in [
        (
            json!({ "dialogue_id": d.id, "kind": "photo", "media_type": "image/jpeg", "size": 8 * 1024 * 1024 + 1, "sha256": sha }),
            "size",
        ),
        (
            json!({ "dialogue_id": d.id, "kind": "photo", "media_type": "image/png", "size": 10, "sha256": sha }),
            "media_type",
        ),
        (
            json!({ "dialogue_id": d.id, "kind": "audio", "media_type": "audio/webm", "size": 10, "sha256": "xyz" }),
            "sha256",
        ),
    ] {
        let answer = put(body).await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["code"], "out_of_range", "{field}");
        assert!(
            error["error"]["message"].as_str().unwrap().contains(field)
                || error["error"]["message_en"]
                    .as_str()
                    .is_some_and(|m| m.contains(field)),
            "{error}"
        );
    }
    assert_eq!(app.count("attachments").await, 0);

    let bytes = photo(100);
    let id = uuid::Uuid::now_v7().to_string();
    declare(&app, &secretary, &id, &d, &bytes).await;
    let mut other = bytes.clone();
    other[0] ^= 1;
    assert_eq!(
        error_code(declare(&app, &secretary, &id, &d, &other).await).await,
        (StatusCode::CONFLICT, "attachment_conflict".into())
    );
    let too_big = send(&app, &secretary, &id, 0, &photo(CHUNK_MAX + 1)).await;
    assert_eq!(
        error_code(too_big).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into())
    );
    assert_eq!(
        error_code(send(&app, &secretary, &id, 0, &photo(101)).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "out_of_range".into())
    );
    let text = secretary
        .put(app.url(&format!("/api/attachments/{id}/bytes?offset=0")))
        .header("content-type", "text/plain")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(text).await,
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json".into())
    );
    assert_eq!(app.count("attachment_chunks").await, 0);
    for _ in 1..PER_DIALOGUE_MAX {
        let id = uuid::Uuid::now_v7().to_string();
        assert!(declare(&app, &secretary, &id, &d, &bytes)
            .await
            .status()
            .is_success());
    }
    let one_more = declare(
        &app,
        &secretary,
        &uuid::Uuid::now_v7().to_string(),
        &d,
        &bytes,
    )
    .await;
    assert_eq!(
        error_code(one_more).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_attachments".into()
        )
    );
    assert_eq!(app.count("attachments").await, PER_DIALOGUE_MAX);
}

async fn attachments_are_sent_and_read_only_in_the_dialogues_scope(engine: Engine) {
    let (app, secretary, d) = recorded(engine).await;
    let bytes = photo(50);
    let id = uuid::Uuid::now_v7().to_string();
    declare(&app, &secretary, &id, &d, &bytes).await;
    status(send(&app, &secretary, &id, 0, &bytes).await).await;
    let elsewhere = app.user("thuky2", "secretary", CUA_NAM).await;
    let office_elsewhere = app.user("tonghop2", "reviewer", CUA_NAM).await;
    let city = app.user("thanhpho", "reviewer", HANOI).await;
    let police = app.agency(HOAN_KIEM, "Công an phường Hoàn Kiếm").await;
    let handler = app.handler("xuly", HOAN_KIEM, police).await;
    for who in [&elsewhere, &office_elsewhere] {
        for path in [
            format!("/api/attachments/{id}"),
            format!("/api/attachments/{id}/file"),
            format!("/api/dialogues/{}/attachments", d.id),
        ] {
            let answer = who.get(app.url(&path)).send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
        }
    }
    // Bytes from another site's page are refused like its JSON.
    let cross_site = secretary
        .put(app.url(&format!("/api/attachments/{id}/bytes?offset=0")))
        .header("content-type", "application/octet-stream")
        .header("origin", "http://elsewhere.example")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(cross_site).await,
        (StatusCode::FORBIDDEN, "cross_origin".into())
    );
    let other = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        declare(&app, &elsewhere, &other, &d, &bytes).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        declare(&app, &handler, &other, &d, &bytes).await.status(),
        StatusCode::FORBIDDEN
    );
    let file = handler
        .get(app.url(&format!("/api/attachments/{id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::FORBIDDEN);
    let read = city
        .get(app.url(&format!("/api/attachments/{id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(app.count("attachments").await, 1);
}

on_both_engines!(
    a_photo_cut_half_way_resumes_where_the_server_stopped_and_arrives_byte_identical,
    bytes_that_do_not_match_the_checksum_are_dropped_and_sent_again_whole,
    past_their_limits_attachments_get_the_json_error_shape_and_nothing_is_stored,
    attachments_are_sent_and_read_only_in_the_dialogues_scope,
);
