//! Every page as its users see it, in headless Chromium: one `h1`, and
//! nothing axe-core finds against WCAG 2.1 A and AA. The review page of
//! the minutes shows the photo of their signed page; the tablet's page of
//! attachments shows one it keeps.

mod browser;
mod common;

use browser::*;
use common::*;
use sha2::Digest;
use std::time::Duration;

const SECRETARY: (&str, &str, &str) = ("thuky", "secretary", HOAN_KIEM);
const OFFICE: (&str, &str, &str) = ("tonghop", "reviewer", HANOI);

/// Each page's path, as the user who opens it.
const PAGES: [(&str, &str); 20] = [
    ("", "/login"),
    ("thuky", "/"),
    ("thuky", "/capture"),
    ("thuky", "/capture/edit?d={d}"),
    ("thuky", "/capture/print?d={d}"),
    ("thuky", "/capture/attachments?d={d}"),
    ("tonghop", "/review"),
    ("tonghop", "/review/view?d={d}"),
    ("tonghop", "/follow-up"),
    ("tonghop", "/follow-up/notice"),
    ("tonghop", "/follow-up/item"),
    ("tonghop", "/follow-up/publish"),
    ("tonghop", "/overdue"),
    ("tonghop", "/plan"),
    ("tonghop", "/compliance"),
    ("tonghop", "/reports"),
    ("tonghop", "/reports/view"),
    ("admin", "/admin"),
    ("admin", "/settings"),
    ("", "/public"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_one_main_heading_and_no_accessibility_violation() {
    let (field, server) = Field::start(&[SECRETARY, OFFICE]).await;
    let base = field.base.clone();
    let mut found = Vec::new();
    let mut who = Some("thuky");
    // Minutes recorded on the tablet and synced, for the pages of one.
    let mut driver = field.another_device().await;
    log_in(&driver, &base, SECRETARY.0).await;
    click(&driver, "new-dialogue").await;
    type_into(&driver, "topic", "Đối thoại về đường liên thôn").await;
    click(&driver, "add-opinion").await;
    type_into(&driver, "content", "Đề nghị sửa đường").await;
    wait_synced(&driver, "the minutes synced", Duration::from_secs(30)).await;
    let d = dialogue_in_url(&driver).await;
    // A photo of the signed page, sent by the tablet's API, for the
    // review page to show.
    let page = std::fs::read(fixture("signed-page.jpg")).unwrap();
    let tablet = signed_in(&base, SECRETARY.0).await;
    let photo = uuid::Uuid::now_v7();
    let declared = tablet
        .put(format!("{base}/api/attachments/{photo}"))
        .json(&serde_json::json!({
            "dialogue_id": d, "kind": "photo", "media_type": "image/jpeg",
            "size": page.len(), "sha256": hex::encode(sha2::Sha256::digest(&page)),
        }))
        .send()
        .await
        .unwrap();
    assert!(declared.status().is_success());
    let sent = tablet
        .put(format!("{base}/api/attachments/{photo}/bytes?offset=0"))
        .header("content-type", "application/octet-stream")
        .body(page)
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_success());
    // The check itself finds a field nobody can name.
    js(
        &driver,
        "document.body.appendChild(document.createElement('input'))",
    )
    .await;
    let unlabelled = accessibility_violations(&driver).await;
    assert!(
        unlabelled.iter().any(|v| v.starts_with("label:")),
        "{unlabelled:?}"
    );
    for (user, path) in PAGES {
        let path = path.replace("{d}", &d);
        if who != Some(user) {
            driver.quit().await.unwrap();
            driver = field.another_device().await;
            match user {
                "" => {}
                "admin" => submit_login(&driver, &base, "admin", "admin-password").await,
                name => submit_login(&driver, &base, name, PASSWORD).await,
            }
            if !user.is_empty() {
                // Logged in: the top bar names the user.
                wait_for("the login", Duration::from_secs(20), || async {
                    !text_of(&driver, "who").await.is_empty()
                })
                .await;
            }
            who = Some(user);
        }
        driver.goto(format!("{base}{path}")).await.unwrap();
        if path.starts_with("/capture/attachments") {
            // A photo kept on the tablet, shown with its state.
            by_testid(&driver, "take-photo")
                .await
                .send_keys(fixture("signed-page.jpg").display().to_string())
                .await
                .unwrap();
            by_testid(&driver, "file").await;
        }
        // Settled: hydrated and what it loads loaded.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let h1 = headings_h1(&driver).await;
        if h1 != 1 {
            found.push(format!("{path}: {h1} h1"));
        }
        for v in accessibility_violations(&driver).await {
            found.push(format!("{path}: {v}"));
        }
        if path.starts_with("/review/view") {
            // Every photo is shown, decoded: the bytes arrived whole (the
            // tablet's too, once it has sent it; photos load together, and
            // each read is audited). Brought into view first: they load lazily.
            wait_for(
                "the signed pages' photos",
                Duration::from_secs(15),
                || async { js(&driver, EVERY_PHOTO_SHOWN).await == serde_json::json!(true) },
            )
            .await;
        }
    }
    driver.quit().await.unwrap();
    server.kill();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The review page's photos, each decoded at the fixture's 160 px.
const EVERY_PHOTO_SHOWN: &str =
    "const photos = [...document.querySelectorAll('[data-testid=attachments] img')]; \
    photos.forEach((img) => img.scrollIntoView()); \
    return photos.length > 0 && photos.every((img) => img.complete && img.naturalWidth === 160)";

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}
