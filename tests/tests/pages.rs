//! The page shells and the service worker: each page is served with the
//! bundle that hydrates it, and the worker precaches only what works offline.

mod common;

use common::*;
use reqwest::StatusCode;

/// A site with a manifest naming two bundles; the files need not exist.
fn fake_site() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("doithoai-site-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = serde_json::json!({
        "version": "v1",
        "field_bundle": "field.f1",
        "full_bundle": "full.a2",
        "css": "/pkg/style.c3.css",
        "files": ["/pkg/field.f1.js", "/pkg/field.f1_bg.wasm", "/pkg/style.c3.css"],
        "later": ["/pkg/serif-regular.d4.woff2", "/pkg/full.a2.js", "/pkg/full.a2_bg.wasm"],
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    dir
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client().get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn field_pages_load_the_field_bundle_and_the_print_view_and_desktop_pages_the_full_one() {
    let app = TestApp::spawn_with_site(Engine::Sqlite, fake_site()).await;
    for path in ["/", "/login", "/capture", "/capture/edit"] {
        let (status, html) = page(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains(&format!("data-page=\"{path}\"")),
            "{path}: {html}"
        );
        assert!(
            html.contains("/pkg/field.f1.js"),
            "{path} loads the field bundle"
        );
        assert!(
            !html.contains("full.a2"),
            "{path} does not load the full bundle"
        );
        assert!(html.contains("/pkg/style.c3.css"));
    }
    for path in ["/capture/print", "/review", "/review/view", "/admin"] {
        let (status, html) = page(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(&format!("data-page=\"{path}\"")), "{path}");
        assert!(
            html.contains("/pkg/full.a2.js"),
            "{path} loads the full bundle"
        );
        assert!(
            !html.contains("field.f1"),
            "{path} does not load the field bundle"
        );
    }
    let (status, _) = page(&app, "/capture/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_service_worker_precaches_the_offline_pages_and_the_field_bundle_and_keeps_the_rest_later(
) {
    let app = TestApp::spawn_with_site(Engine::Sqlite, fake_site()).await;
    let (status, sw) = page(&app, "/sw.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(sw.contains("const VERSION = \"v1\""), "{sw}");
    assert!(sw.contains(
        r#"const PAGES = ["/","/login","/capture","/capture/edit","/capture/print","/capture/attachments"];"#
    ));
    // What it sends the attachments with, from `shared::attachment`, and
    // no placeholder left unfilled.
    assert!(sw.contains(r#"const FILES_DB = "doithoai-attachments";"#));
    assert!(sw.contains("const CHUNK = 262144;"));
    assert!(sw.contains("const KEEP_SENT_MS = 604800000;"));
    assert!(!sw.contains("__"), "{sw}");
    assert!(sw.contains(
        r#"const FILES = ["/pkg/field.f1.js","/pkg/field.f1_bg.wasm","/pkg/style.c3.css"];"#
    ));
    assert!(sw.contains(
        r#"const LATER = ["/pkg/serif-regular.d4.woff2","/pkg/full.a2.js","/pkg/full.a2_bg.wasm"];"#
    ));
    assert!(!sw.contains("/review") && !sw.contains("/admin"));
}

#[tokio::test]
async fn every_page_links_a_manifest_that_installs_the_app_at_the_capture_list() {
    let app = TestApp::spawn_with_site(Engine::Sqlite, fake_site()).await;
    for path in [
        "/",
        "/login",
        "/capture",
        "/capture/edit",
        "/capture/print",
        "/review",
    ] {
        let (_, html) = page(&app, path).await;
        assert!(
            html.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#),
            "{path}"
        );
    }
    let answer = client()
        .get(app.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()["content-type"],
        "application/manifest+json"
    );
    let manifest: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(manifest["name"], "Đối thoại với Nhân dân");
    assert_eq!(manifest["short_name"], "Đối thoại");
    assert_eq!(manifest["lang"], "vi");
    assert_eq!(manifest["start_url"], "/capture");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["theme_color"], "#8b1a1a");
    // The start page is one the service worker keeps, so it opens offline.
    assert!(server::assets::offline_pages().contains(&"/capture"));
    let icons = manifest["icons"].as_array().unwrap();
    for size in [192, 512] {
        for purpose in ["any", "maskable"] {
            assert!(
                icons
                    .iter()
                    .any(|i| i["sizes"] == format!("{size}x{size}") && i["purpose"] == purpose),
                "{size} {purpose}"
            );
        }
        let png = client()
            .get(app.url(&format!("/icons/icon-{size}.png")))
            .send()
            .await
            .unwrap();
        assert_eq!(png.headers()["content-type"], "image/png");
        let bytes = png.bytes().await.unwrap();
        // The PNG signature, then IHDR's width and height.
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size));
    }
}
