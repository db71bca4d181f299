//! What every answer carries against browser-side attacks, and what a
//! request that changes state must show: found by a sweep of every endpoint,
//! tried as an attacker would.

mod common;

use common::*;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use reqwest::StatusCode;
use serde_json::json;
use shared::sync::Entity;
use shared::DeviceId;

#[tokio::test]
async fn every_page_has_a_policy_naming_its_script_nonce_and_no_eval() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    for path in ["/", "/capture", "/capture/edit", "/review", "/admin"] {
        let response = client().get(app.url(path)).send().await.unwrap();
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        let policy = headers[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        let nonce = html
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the hydration script has a nonce");
        assert!(
            policy.contains(&format!("'nonce-{nonce}'")),
            "{path}: {policy}"
        );
        assert!(!policy.contains("'unsafe-eval'") && !policy.contains("'unsafe-inline'"));
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
    }
    let api = app.admin.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(api.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert!(api.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn a_cross_site_form_post_with_the_session_cookie_does_nothing() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let me = app.url("/api/me");
    // A form on another site posting with the cookie the browser attaches.
    for url in ["/api/logout", "/api/admin/units/import"] {
        let forged = app
            .admin
            .post(app.url(url))
            .header("origin", "https://tan-cong.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a=1")
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(forged).await,
            (StatusCode::FORBIDDEN, "cross_origin".into()),
            "{url}"
        );
    }
    // From this origin but not JSON: what a same-site form could send.
    let form = app
        .admin
        .post(app.url("/api/logout"))
        .header("origin", app.addr.clone())
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(form).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.admin.get(&me).send().await.unwrap().status(),
        StatusCode::OK,
        "still logged in"
    );
    // The app's own request: this origin, JSON.
    let own = app
        .admin
        .post(app.url("/api/logout"))
        .header("origin", app.addr.clone())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.admin.get(&me).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_body_in_an_encoding_the_server_does_not_decode_is_refused_not_read() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let push = batch(
        DeviceId::new(),
        1,
        vec![Entity::Dialogue(dialogue(HOAN_KIEM))],
    );
    let response = secretary
        .post(app.url("/api/sync/push"))
        .header("content-type", "application/json")
        .header("content-encoding", "br")
        .body(serde_json::to_vec(&push).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_encoding".into()
        )
    );
    assert_eq!(app.count("dialogues").await, 0);
}

#[tokio::test]
async fn a_wrong_method_and_a_path_that_is_not_utf8_answer_in_the_json_shape() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let wrong = reviewer.delete(app.url("/api/login")).send().await.unwrap();
    assert_eq!(
        error_code(wrong).await,
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".into())
    );
    let garbled = reviewer
        .get(app.url("/api/dialogues/%FF%FE"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(garbled).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}
