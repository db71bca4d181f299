//! The offline promise in real headless Chromium with the real service
//! worker: log in online, stop the server, record a dialogue, reload and
//! restart the browser offline, start the server again, and watch the
//! minutes sync by themselves, exactly once and byte for byte. Also: a shared
//! tablet, Telex typing through Chromium's input-method pipeline, an edit
//! refused because another tablet finalised the minutes, and the
//! administration screen on the full bundle.

mod browser;
mod common;

use browser::*;
use common::*;
use serde_json::Value;
use shared::review::DialogueView;
use shared::sync::{Change, Entity, PullResponse, PushRequest};
use shared::DeviceId;
use std::time::Duration;
use thirtyfour::prelude::*;

const OPINIONS: [(&str, &str); 3] = [
    (
        "Ông Nguyễn Văn Đức, bản Giàng",
        "Ông Nguyễn Văn Đức, bản Giàng: đề nghị sửa đường liên thôn bị sạt lở",
    ),
    (
        "Bà Lò Thị Mai",
        "Phản ánh: nước suối Nậm Pàn bị ô nhiễm, cá chết hàng loạt",
    ),
    (
        "Anh Hoàng Văn Tuấn",
        "Kiến nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ",
    ),
];
const TOPIC: &str = "Đối thoại về sạt lở đường liên thôn bản Giàng";
const SECRETARY: (&str, &str, &str) = ("thuky", "secretary", HOAN_KIEM);
const REVIEWER: (&str, &str, &str) = ("tonghop", "reviewer", HANOI);

async fn assert_minutes_on_screen(driver: &WebDriver) {
    wait_hydrated(driver).await;
    assert_eq!(value_of(&by_testid(driver, "topic").await).await, TOPIC);
    for (i, (speaker, content)) in OPINIONS.iter().enumerate() {
        let s = opinion_field(driver, i, "speaker").await;
        assert_eq!(value_of(&s).await, *speaker);
        let c = opinion_field(driver, i, "content").await;
        assert_eq!(value_of(&c).await, *content);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minutes_recorded_offline_survive_reload_and_restart_and_sync_exactly_once() {
    // 1. Log in online; wait until the service worker controls the page.
    let (field, server, driver) = Field::start_logged_in(&[SECRETARY, REVIEWER]).await;
    let base = field.base.clone();
    wait_for_service_worker(&driver).await;

    // 2. The network goes away.
    server.kill();

    // 3. Record a dialogue with three opinions, offline.
    click(&driver, "new-dialogue").await;
    type_into(&driver, "topic", TOPIC).await;
    type_into(&driver, "venue", "Nhà văn hóa bản Giàng").await;
    for (i, (speaker, content)) in OPINIONS.iter().enumerate() {
        click(&driver, "add-opinion").await;
        let s = opinion_field(&driver, i, "speaker").await;
        s.send_keys(*speaker).await.unwrap();
        let c = opinion_field(&driver, i, "content").await;
        c.send_keys(*content).await.unwrap();
    }
    let saved = text_of(&driver, "save-state").await;
    assert!(saved.contains("Đã lưu trên máy"), "{saved}");
    let dialogue_id = dialogue_in_url(&driver).await;

    // 4. Reload while offline: the cached shell hydrates and the store has it all.
    driver.refresh().await.unwrap();
    assert_minutes_on_screen(&driver).await;

    // 5. Restart the browser with the same profile, still offline.
    driver.quit().await.unwrap();
    let driver = field.browser().await;
    driver
        .goto(format!("{base}/capture/edit?d={dialogue_id}"))
        .await
        .unwrap();
    assert_minutes_on_screen(&driver).await;
    by_testid(&driver, "sync-pending").await;
    let pending = pending_changes(&driver).await;
    assert_ne!(pending.as_deref(), Some("0"), "changes wait in the outbox");

    // 6. The network comes back; with no click the outbox drains.
    let server = field.restart_server();
    wait_synced(&driver, "sync without a click", Duration::from_secs(60)).await;
    driver.quit().await.unwrap();

    // 7. The reviewer sees it exactly once, every opinion byte-identical.
    let list = field.reviewed_dialogues("tonghop").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, dialogue_id);
    let reviewer = signed_in(&base, "tonghop").await;
    let view: DialogueView =
        get_json(&reviewer, &format!("{base}/api/dialogues/{dialogue_id}")).await;
    assert_eq!(view.dialogue.topic, TOPIC);
    let got: Vec<(&str, &str)> = view
        .opinions
        .iter()
        .map(|o| (o.opinion.speaker_name.as_str(), o.opinion.content.as_str()))
        .collect();
    assert_eq!(got, OPINIONS.to_vec());
    server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_tablet_hides_unsynced_minutes_from_the_next_user_and_keeps_them() {
    let (field, server) = Field::start(&[
        ("thuky-a", "secretary", HOAN_KIEM),
        ("thuky-b", "secretary", HOAN_KIEM),
        REVIEWER,
    ])
    .await;
    let base = field.base.clone();
    let driver = field.browser().await;

    // A records minutes with no network, then logs out before any sync.
    log_in(&driver, &base, "thuky-a").await;
    wait_for_service_worker(&driver).await;
    server.kill();
    click(&driver, "new-dialogue").await;
    let a_topic = "Biên bản của thư ký A: đất đai bản Giàng";
    type_into(&driver, "topic", a_topic).await;
    driver.goto(format!("{base}/")).await.unwrap();
    let note = text_of(&driver, "logout-note").await;
    // One change: the new record and the topic typed into it fold together.
    // The sync attempts made meanwhile (on page load, every 3 s) found no
    // server, so they marked nothing as sent and froze nothing.
    assert!(
        note.starts_with("1 "),
        "one unsynced change is announced: {note}"
    );
    log_out(&driver, &base).await;

    // B logs in on the same tablet: A's minutes are not there.
    let server = field.restart_server();
    log_in(&driver, &base, "thuky-b").await;
    wait_synced(&driver, "B's empty list", Duration::from_secs(20)).await;
    assert!(driver
        .find_all(By::Css("[data-testid=dialogue-link]"))
        .await
        .unwrap()
        .is_empty());
    let body = driver.find(By::Css("body")).await.unwrap();
    let body = body.text().await.unwrap();
    assert!(!body.contains(a_topic), "B must not see A's minutes");
    log_out(&driver, &base).await;

    // A comes back: the minutes are there and sync by themselves.
    log_in(&driver, &base, "thuky-a").await;
    by_testid(&driver, "dialogue-link").await;
    wait_synced(&driver, "A's change synced", Duration::from_secs(60)).await;
    driver.quit().await.unwrap();
    let list = field.reviewed_dialogues("tonghop").await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].topic.as_str(), list[0].recorded_by.as_str()),
        (a_topic, "Cán bộ thuky-a")
    );
    server.kill();
}

/// Telex typing as Chromium's input-method pipeline delivers it: each
/// keystroke replaces the composition ("d" → "đ" → "đư" → ...), then the
/// word is committed. The field must end with exactly the committed words,
/// the device must keep them across a reload, and the server must receive
/// the same bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telex_composition_is_kept_whole_on_the_device_and_on_the_server() {
    let (field, server, driver) = Field::start_logged_in(&[SECRETARY, REVIEWER]).await;
    click(&driver, "new-dialogue").await;
    click(&driver, "topic").await;

    // "Đường liên thôn" typed in Telex: Dduwowngf lieen thoon.
    let words: [&[&str]; 3] = [
        &["D", "Đ", "Đu", "Đư", "Đươ", "Đươn", "Đương", "Đường"],
        &["l", "li", "lie", "liê", "liên"],
        &["t", "th", "tho", "thô", "thôn"],
    ];
    js(
        &driver,
        "window.compositionUpdates = 0; \
         document.addEventListener('compositionupdate', () => window.compositionUpdates++, true)",
    )
    .await;
    let devtools = driver.cdp();
    for (i, steps) in words.iter().enumerate() {
        if i > 0 {
            devtools
                .send_raw("Input.insertText", serde_json::json!({ "text": " " }))
                .await
                .unwrap();
        }
        for step in *steps {
            let end = step.encode_utf16().count();
            devtools
                .send_raw(
                    "Input.imeSetComposition",
                    serde_json::json!({ "text": step, "selectionStart": end, "selectionEnd": end }),
                )
                .await
                .unwrap();
        }
        let word = steps.last().unwrap();
        devtools
            .send_raw("Input.insertText", serde_json::json!({ "text": word }))
            .await
            .unwrap();
    }
    // The input-method path was really taken: one update per keystroke,
    // and one more as each word is committed.
    let updates: usize = words.iter().map(|w| w.len() + 1).sum();
    assert_eq!(
        js(&driver, "return window.compositionUpdates").await,
        Value::from(updates)
    );
    let typed = "Đường liên thôn";
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, typed);

    // Kept on the device...
    driver.refresh().await.unwrap();
    wait_hydrated(&driver).await;
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, typed);
    // ...and synced as the same bytes.
    wait_synced(&driver, "synced", Duration::from_secs(30)).await;
    driver.quit().await.unwrap();
    let list = field.reviewed_dialogues("tonghop").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].topic.as_bytes(), typed.as_bytes());
    server.kill();
}

/// The desktop screens hydrate from the full bundle: the administrator logs
/// in, loads the units (told how many, in words), finds the secretary's
/// ward by its name typed without diacritics, creates the secretary and
/// sees them listed with the ward's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_creates_a_secretary_from_the_admin_screen() {
    let (field, server) = Field::start(&[]).await;
    let base = field.base.clone();
    let driver = field.browser().await;
    submit_login(&driver, &base, "admin", "admin-password").await;
    click(&driver, "import-units").await;
    wait_for("the units loaded", Duration::from_secs(60), || async {
        text_of_now(&driver, "admin-message").await
            == "Đã nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu"
    })
    .await;
    for (testid, text) in [
        ("new-username", "thuky-moi"),
        ("new-password", PASSWORD),
        ("new-display-name", "Lò Thị Hương"),
    ] {
        type_into(&driver, testid, text).await;
    }
    // The unit is found by name, typed without diacritics: the city, then
    // the ward.
    type_into(&driver, "new-unit-search", "ha noi").await;
    let provinces = "return [...document.querySelectorAll('[data-testid=new-unit-province] option')].map(o => o.value)";
    wait_for("only Hà Nội offered", Duration::from_secs(10), || async {
        js(&driver, provinces).await == serde_json::json!(["", HANOI])
    })
    .await;
    pick(&driver, "new-unit-province", HANOI).await;
    type_into(&driver, "new-unit-search", "hoan kiem").await;
    let communes =
        "return [...document.querySelectorAll('[data-testid=new-unit] option')].map(o => o.value)";
    wait_for(
        "only Hoàn Kiếm offered",
        Duration::from_secs(10),
        || async { js(&driver, communes).await == serde_json::json!(["", HOAN_KIEM]) },
    )
    .await;
    pick(&driver, "new-unit", HOAN_KIEM).await;
    click(&driver, "create-user").await;
    wait_for("the new user listed", Duration::from_secs(20), || async {
        let table = text_of(&driver, "users").await;
        table.contains("thuky-moi")
            && table.contains("Lò Thị Hương")
            && table.contains("Phường Hoàn Kiếm")
    })
    .await;
    let message = text_of(&driver, "admin-message").await;
    assert!(message.ends_with("thuky-moi"), "{message}");
    // Only a secretary's tablet keeps minutes: no device copy of the
    // country's dialogues in an administrator's browser.
    let workspaces = "return Object.keys(localStorage) \
         .filter(k => k.startsWith('doithoai:workspace:')).length";
    assert_eq!(js(&driver, workspaces).await, Value::from(0));
    driver.quit().await.unwrap();
    // The secretary can log in with what the administrator typed.
    signed_in(&base, "thuky-moi").await;
    server.kill();
}

/// A stored workspace this version cannot read (here: one a newer version
/// wrote, before a rollback) is copied aside whole before anything is
/// written, once, and the secretary is told; recording goes on afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_workspace_this_version_cannot_read_is_set_aside_not_overwritten() {
    let (field, server, driver) = Field::start_logged_in(&[SECRETARY]).await;
    let base = field.base.clone();
    // Written from a page without the app (the worker script shown as text),
    // so no sync round of the app writes it over.
    driver.goto(format!("{base}/sw.js")).await.unwrap();
    let unreadable = r#"{"schema":99,"bien_ban":"Ông Nguyễn Văn Đức: đề nghị sửa đường"}"#;
    js(
        &driver,
        &format!(
            "const id = JSON.parse(localStorage.getItem('doithoai:session')).id; \
             localStorage.setItem('doithoai:workspace:' + id, {})",
            serde_json::to_string(unreadable).unwrap()
        ),
    )
    .await;
    let kept_copies = "return Object.keys(localStorage) \
         .filter(k => k.startsWith('doithoai:kept:')).map(k => localStorage.getItem(k))";

    // Two loads: the text is set aside on the first only.
    for _ in 0..2 {
        driver.goto(format!("{base}/capture")).await.unwrap();
        wait_hydrated(&driver).await;
        let notice = text_of(&driver, "kept-aside").await;
        assert!(notice.contains("cất riêng, nguyên vẹn"), "{notice}");
        assert_eq!(
            js(&driver, kept_copies).await,
            serde_json::json!([unreadable])
        );
    }

    // Recording goes on in a fresh workspace, and the copy stays.
    click(&driver, "new-dialogue").await;
    type_into(&driver, "topic", TOPIC).await;
    let saved = text_of(&driver, "save-state").await;
    assert!(saved.contains("Đã lưu trên máy"), "{saved}");
    assert_eq!(
        js(&driver, kept_copies).await,
        serde_json::json!([unreadable])
    );
    driver.refresh().await.unwrap();
    wait_hydrated(&driver).await;
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, TOPIC);
    driver.quit().await.unwrap();
    server.kill();
}

/// Two tabs of one user: the first writes; the second shows the minutes
/// read-only and writes nothing (each tab holds the whole workspace, so its
/// sync status write would put a stale copy over what the first tab typed);
/// when the first closes, the second reloads as the writer with all of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tab_only_shows_until_the_first_closes_and_overwrites_nothing() {
    // `_field` lives to the end: it owns ChromeDriver.
    let (_field, server, driver) = Field::start_logged_in(&[SECRETARY]).await;
    wait_for_service_worker(&driver).await;
    // Offline, so the outbox stays full and every sync round writes.
    server.kill();
    click(&driver, "new-dialogue").await;
    type_into(&driver, "topic", TOPIC).await;
    let first = driver.window().await.unwrap();
    let minutes = driver.current_url().await.unwrap();

    let second = driver.new_tab().await.unwrap();
    driver.switch_to_window(second.clone()).await.unwrap();
    driver.goto(minutes.as_str()).await.unwrap();
    let notice = text_of(&driver, "store-blocked").await;
    assert!(notice.contains("thẻ khác"), "{notice}");
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, TOPIC);
    let venue = by_testid(&driver, "venue").await;
    assert!(!venue.is_enabled().await.unwrap(), "view only");

    // The first tab goes on recording; the second is asked to sync.
    driver.switch_to_window(first.clone()).await.unwrap();
    type_into(&driver, "venue", "Nhà văn hóa bản Giàng").await;
    driver.switch_to_window(second.clone()).await.unwrap();
    click(&driver, "sync-now").await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    // The first tab closes: the second takes over with everything in it.
    driver.switch_to_window(first).await.unwrap();
    driver.close_window().await.unwrap();
    driver.switch_to_window(second).await.unwrap();
    wait_for(
        "the second tab to write",
        Duration::from_secs(20),
        || async {
            driver
                .find(By::Css("[data-testid=store-blocked]"))
                .await
                .is_err()
                && driver
                    .find(By::Css("[data-testid=sync-badge]"))
                    .await
                    .is_ok()
        },
    )
    .await;
    let venue = by_testid(&driver, "venue").await;
    assert_eq!(value_of(&venue).await, "Nhà văn hóa bản Giàng");
    assert!(venue.is_enabled().await.unwrap());
    type_into(&driver, "conclusion", "Giao UBND xã kiểm tra").await;
    let saved = text_of(&driver, "save-state").await;
    assert!(saved.contains("Đã lưu trên máy"), "{saved}");
    driver.quit().await.unwrap();
}

/// Two tablets on the same minutes, online, taking turns on one field: a
/// change made on the other one that arrives while the form is open shows
/// in the form, even in a field typed in before, so typing goes on from it
/// instead of putting the older text back over it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_from_another_tablet_shows_in_the_open_form() {
    let (field, server, a) =
        Field::start_logged_in(&[SECRETARY, ("thuky-2", "secretary", HOAN_KIEM), REVIEWER]).await;
    let base = field.base.clone();
    click(&a, "new-dialogue").await;
    type_into(&a, "topic", "Đường liên thôn").await;
    wait_synced(&a, "A's minutes synced", Duration::from_secs(30)).await;
    let minutes = a.current_url().await.unwrap();

    let b = field.another_device().await;
    log_in(&b, &base, "thuky-2").await;
    by_testid(&b, "dialogue-link").await;
    b.goto(minutes.as_str()).await.unwrap();
    let topic = value_of(&by_testid(&b, "topic").await).await;
    assert_eq!(topic, "Đường liên thôn");

    // Each in turn types on, syncs, and the other's next sync brings it in.
    let turns = [
        (&b, &a, " bản Giàng", "Đường liên thôn bản Giàng"),
        (&a, &b, " bị sạt lở", "Đường liên thôn bản Giàng bị sạt lở"),
    ];
    for (writer, reader, typed, expected) in turns {
        type_into(writer, "topic", typed).await;
        wait_synced(writer, "a change synced", Duration::from_secs(30)).await;
        click(reader, "sync-now").await;
        wait_for(expected, Duration::from_secs(20), || async {
            match reader.find(By::Css("[data-testid=topic]")).await {
                Ok(el) => value_of(&el).await == expected,
                Err(_) => false,
            }
        })
        .await;
    }
    let list = field.reviewed_dialogues("tonghop").await;
    assert_eq!(list[0].topic, "Đường liên thôn bản Giàng bị sạt lở");
    a.quit().await.unwrap();
    b.quit().await.unwrap();
    server.kill();
}

/// Tablet B edits an opinion offline while another tablet finalises the
/// minutes. When B is back, it is not told "all synced" over its own text:
/// it shows the minutes locked with the server's text, and its edit as a
/// refused change, readable and copyable, until the secretary dismisses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_offline_on_minutes_finalised_elsewhere_is_shown_as_refused() {
    let (field, server, b) =
        Field::start_logged_in(&[SECRETARY, ("thuky-2", "secretary", HOAN_KIEM)]).await;
    click(&b, "new-dialogue").await;
    type_into(&b, "topic", TOPIC).await;
    click(&b, "add-opinion").await;
    opinion_field(&b, 0, "content")
        .await
        .send_keys("Đề nghị sửa đường")
        .await
        .unwrap();
    wait_synced(&b, "B's minutes synced", Duration::from_secs(30)).await;

    server.kill();
    opinion_field(&b, 0, "content")
        .await
        .send_keys(" trước mùa mưa")
        .await
        .unwrap();

    // Meanwhile the other tablet, still online, finalises the minutes.
    let (side, side_base) = field.second_server();
    let a = signed_in(&side_base, "thuky-2").await;
    let pulled: PullResponse = get_json(&a, &format!("{side_base}/api/sync/pull")).await;
    let mut minutes = pulled.dialogues[0].item.clone();
    // Finalised now: minutes finalised long ago leave a tablet once synced.
    let now = server::db::now_ms();
    minutes.start(now).unwrap();
    minutes
        .finalise("Lò Thị Mai", "Nguyễn Văn Đức", now)
        .unwrap();
    let push = PushRequest {
        device_id: DeviceId::new(),
        changes: vec![Change {
            seq: 1,
            base_version: pulled.dialogues[0].version,
            client_time: 3,
            entity: Entity::Dialogue(minutes),
        }],
    };
    a.post(format!("{side_base}/api/sync/push"))
        .json(&push)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    side.kill();

    let server = field.restart_server();
    click(&b, "sync-now").await;
    let refused = text_of(&b, "refused").await;
    assert!(refused.contains("Biên bản đã hoàn thành"), "{refused}");
    let text = text_of(&b, "refused-text").await;
    assert!(text.contains("Đề nghị sửa đường trước mùa mưa"), "{text}");
    by_testid(&b, "locked").await;
    let content = opinion_field(&b, 0, "content").await;
    assert_eq!(
        value_of(&content).await,
        "Đề nghị sửa đường",
        "the server's text"
    );
    assert!(!content.is_enabled().await.unwrap(), "locked minutes");
    wait_synced(&b, "nothing left to send", Duration::from_secs(20)).await;

    // Read and dismissed, it stays dismissed.
    click(&b, "dismiss-refused").await;
    b.refresh().await.unwrap();
    wait_hydrated(&b).await;
    by_testid(&b, "locked").await;
    assert!(b.find(By::Css("[data-testid=refused]")).await.is_err());
    b.quit().await.unwrap();
    server.kill();
}

/// A tablet updated from the first version, whose store holds the whole
/// workspace in one text with minutes not yet synced: the new version lays
/// it out afresh (an index and one key per dialogue), loses nothing, and
/// the minutes then sync exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minutes_stored_by_the_first_version_are_laid_out_afresh_and_sync_once() {
    let (field, server, driver) = Field::start_logged_in(&[SECRETARY, REVIEWER]).await;
    wait_for_service_worker(&driver).await;
    let base = field.base.clone();
    // What the first version stored: one text, schema 1, two changes queued.
    let mut old = shared::sync::device::Workspace::default();
    let mut d = shared::Dialogue::new(shared::UnitCode::parse(HOAN_KIEM).unwrap());
    d.topic = TOPIC.into();
    old.put(Entity::Dialogue(d.clone()), 1).unwrap();
    let mut o = shared::Opinion::new(d.id, 1);
    o.content = OPINIONS[0].1.into();
    old.put(Entity::Opinion(o), 2).unwrap();
    let text = serde_json::to_string(&old).unwrap();
    assert!(text.starts_with("{\"schema\":1,"), "{text}");
    replace_device_store(&driver, &base, &[(String::new(), text)]).await;
    server.kill();
    driver
        .goto(format!("{base}/capture/edit?d={}", d.id))
        .await
        .unwrap();
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, TOPIC);
    let content = value_of(&opinion_field(&driver, 0, "content").await).await;
    assert_eq!(content, OPINIONS[0].1);
    let layout = js(
        &driver,
        "return Object.keys(localStorage).filter(k => k.startsWith('doithoai:workspace:')) \
           .map(k => [k.split(':').length, JSON.parse(localStorage.getItem(k)).schema]).sort()",
    )
    .await;
    assert_eq!(
        layout,
        serde_json::json!([[3, 2], [4, 2]]),
        "an index and one part"
    );

    let server = field.restart_server();
    wait_synced(&driver, "the old minutes synced", Duration::from_secs(30)).await;
    let list = field.reviewed_dialogues("tonghop").await;
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].topic.as_str(), list[0].opinions), (TOPIC, 1));
    driver.quit().await.unwrap();
    server.kill();
}

/// The very first write on a tablet stopped after the dialogue's part and
/// before the index (the tab was killed between two `setItem`s): the
/// minutes are still there on the next load, and still sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minutes_written_before_the_first_index_are_not_lost() {
    let (field, server, driver) = Field::start_logged_in(&[SECRETARY, REVIEWER]).await;
    wait_for_service_worker(&driver).await;
    let base = field.base.clone();
    let mut tablet = shared::sync::device::Workspace::default();
    let mut d = shared::Dialogue::new(shared::UnitCode::parse(HOAN_KIEM).unwrap());
    d.topic = TOPIC.into();
    tablet.put(Entity::Dialogue(d.clone()), 1).unwrap();
    let part = serde_json::to_string(&tablet.part(&d.id.to_string())).unwrap();
    replace_device_store(&driver, &base, &[(format!(":{}", d.id), part)]).await;
    driver
        .goto(format!("{base}/capture/edit?d={}", d.id))
        .await
        .unwrap();
    assert_eq!(value_of(&by_testid(&driver, "topic").await).await, TOPIC);
    wait_synced(&driver, "the minutes synced", Duration::from_secs(30)).await;
    assert_eq!(field.reviewed_dialogues("tonghop").await[0].topic, TOPIC);
    driver.quit().await.unwrap();
    server.kill();
}

/// The review list at work: 60 dialogues show 50 at first, the rest on
/// "Xem thêm"; a search without diacritics narrows them to the one it
/// names, found by an opinion's words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_pages_through_the_list_and_searches_it() {
    let (field, server) = Field::start(&[SECRETARY, REVIEWER]).await;
    let base = field.base.clone();
    let secretary = signed_in(&base, "thuky").await;
    let mut entities: Vec<Entity> = (0..60)
        .map(|i| {
            let mut d = dialogue(HOAN_KIEM);
            d.planned_at = format!("2026-{:02}-10T08:00", 1 + i % 12);
            Entity::Dialogue(d)
        })
        .collect();
    let Entity::Dialogue(named) = entities[7].clone() else {
        unreachable!()
    };
    entities.push(Entity::Opinion(opinion(
        &named,
        1,
        "Suối Nậm Pàn bị ô nhiễm",
    )));
    let pushed = secretary
        .post(format!("{base}/api/sync/push"))
        .json(&batch(DeviceId::new(), 1, entities))
        .send()
        .await
        .unwrap();
    assert!(pushed.status().is_success());

    let driver = field.browser().await;
    submit_login(&driver, &base, "tonghop", PASSWORD).await;
    wait_for("logged in", Duration::from_secs(20), || async {
        !driver
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/login")
    })
    .await;
    driver.goto(format!("{base}/review")).await.unwrap();
    let rows = || async {
        driver
            .find_all(By::Css("[data-testid=review-row]"))
            .await
            .unwrap()
            .len()
    };
    wait_for("the first page", Duration::from_secs(20), || async {
        rows().await == 50
    })
    .await;
    click(&driver, "more").await;
    wait_for(
        "the second page appended",
        Duration::from_secs(20),
        || async { rows().await == 60 },
    )
    .await;
    assert!(
        driver
            .find_all(By::Css("[data-testid=more]"))
            .await
            .unwrap()
            .is_empty(),
        "no more to show"
    );
    type_into(&driver, "search", "suoi nam pan").await;
    click(&driver, "filter").await;
    wait_for(
        "the one dialogue found",
        Duration::from_secs(20),
        || async { rows().await == 1 },
    )
    .await;
    driver.quit().await.unwrap();
    server.kill();
}

/// Issue 11 on the desktop screens: the office issues the conclusion
/// notice, the agency's handler records the written reply, and the board
/// moves the item from open to replied on time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_issue_a_notice_a_handler_replies_and_the_board_follows() {
    let office = ("tonghop", "reviewer", HOAN_KIEM);
    let (field, server) = Field::start(&[SECRETARY, office]).await;
    let base = field.base.clone();
    let admin = admin_session(&base).await;
    let agency: Value = admin
        .post(format!("{base}/api/admin/agencies"))
        .json(&serde_json::json!({ "unit_code": HOAN_KIEM, "name": "Công an phường Hoàn Kiếm" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let created = admin
        .post(format!("{base}/api/admin/users"))
        .json(&serde_json::json!({ "username": "congan", "password": PASSWORD, "display_name": "Cán bộ công an",
                                   "role": "handler", "unit_code": HOAN_KIEM, "agency_id": agency["id"] }))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    let secretary = signed_in(&base, "thuky").await;
    let mut d = dialogue(HOAN_KIEM);
    d.topic = "Đối thoại về trật tự khu phố cổ".into();
    let mut noise = opinion(&d, 1, "Quán karaoke gây ồn sau 23 giờ");
    noise.refer("Công an phường Hoàn Kiếm");
    push_finalised(
        &base,
        &secretary,
        &mut d,
        &[noise],
        hanoi_ms("2026-02-27", 8),
    )
    .await;

    let set_date = |testid: &str, day: &str| {
        format!(
            "const el = document.querySelector('[data-testid={testid}]'); el.value = '{day}'; \
             el.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        )
    };
    let staff = field.browser().await;
    submit_login(&staff, &base, "tonghop", PASSWORD).await;
    by_testid(&staff, "review-list").await;
    // The list downloads with the filters it was asked with.
    let export = eventually("the export link", Duration::from_secs(20), || async {
        let href = by_testid(&staff, "export-dialogues-xlsx")
            .await
            .attr("href")
            .await
            .ok()??;
        href.contains("?q=").then_some(href)
    })
    .await;
    assert!(
        export.starts_with("/api/exports/dialogues.xlsx?q=&kind="),
        "{export}"
    );
    staff.goto(format!("{base}/follow-up")).await.unwrap();
    let due = by_testid(&staff, "notice-due").await;
    due.find(By::Css("a")).await.unwrap().click().await.unwrap();
    let agency_pick = by_testid(&staff, "agency").await;
    assert_eq!(
        value_of(&agency_pick).await,
        agency["id"].as_str().unwrap(),
        "the agency proposed at the meeting is picked"
    );
    type_into(&staff, "number", "12/TB-UBND").await;
    by_testid(&staff, "issued-on").await;
    js(&staff, &set_date("issued-on", "2026-03-02")).await;
    click(&staff, "issue").await;
    assert_eq!(
        text_of(&staff, "error").await,
        "Chưa điền «Kết luận»",
        "the minutes had no conclusion: the notice needs one"
    );
    type_into(
        &staff,
        "conclusion",
        "Giao Công an phường kiểm tra, xử lý dứt điểm.",
    )
    .await;
    click(&staff, "issue").await;
    assert!(text_of(&staff, "issued-notice")
        .await
        .contains("12/TB-UBND"));
    let docx = by_testid(&staff, "notice-docx")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(docx, Some(format!("/api/dialogues/{}/notice.docx", d.id)));
    let pdf = by_testid(&staff, "notice-pdf")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(pdf, Some(format!("/api/dialogues/{}/notice.pdf", d.id)));

    // overdue, due soon, open, replied on time, …
    assert_eq!(board_totals(&staff, &base).await[..4], ["0", "0", "1", "0"]);
    let overdue_export = by_testid(&staff, "export-overdue-csv")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(overdue_export.as_deref(), Some("/api/exports/overdue.csv"));

    let handler = field.another_device().await;
    submit_login(&handler, &base, "congan", PASSWORD).await;
    // The handler lands on the agency's list.
    let row = by_testid(&handler, "item-row").await;
    assert!(row.text().await.unwrap().contains("còn 30 ngày"));
    row.find(By::Css("a")).await.unwrap().click().await.unwrap();
    type_into(&handler, "reply-number", "45/CAP").await;
    js(&handler, &set_date("reply-date", "2026-03-02")).await;
    type_into(&handler, "reply-summary", "Đã kiểm tra, xử phạt chủ quán").await;
    click(&handler, "record-reply").await;
    wait_for("the item replied", Duration::from_secs(20), || async {
        text_of_now(&handler, "item-stage").await == "Đã trả lời"
    })
    .await;
    assert_eq!(board_totals(&staff, &base).await[..4], ["0", "0", "0", "1"]);

    // The office publishes the results; anyone reads them without the app.
    staff.goto(format!("{base}/follow-up")).await.unwrap();
    let due = by_testid(&staff, "publication-due").await;
    due.find(By::Css("a")).await.unwrap().click().await.unwrap();
    assert!(text_of(&staff, "preview")
        .await
        .contains("Quán karaoke gây ồn sau 23 giờ"));
    click(&staff, "publish").await;
    by_testid(&staff, "withdraw").await;
    let public = client()
        .get(format!("{base}/public?unit={HOAN_KIEM}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("Quán karaoke gây ồn sau 23 giờ")
            && public.contains("Đã kiểm tra, xử phạt chủ quán")
    );
    assert!(
        !public.contains("Nguyễn Văn Đức"),
        "nobody named on the public page"
    );

    // Minutes of 10 February reach the office late: on 2 March both their
    // notice (due 20 February) and their publication are past due, and the
    // overdue board says so; the published dialogue is not there.
    let mut late = dialogue(HOAN_KIEM);
    late.topic = "Đối thoại về vỉa hè phố Hàng Bạc".into();
    push_finalised(&base, &secretary, &mut late, &[], hanoi_ms("2026-02-10", 8)).await;
    staff.goto(format!("{base}/overdue")).await.unwrap();
    for testid in ["notice-overdue", "publication-overdue"] {
        let row = by_testid(&staff, testid).await;
        let text = row.text().await.unwrap();
        assert!(
            text.contains("vỉa hè phố Hàng Bạc") && text.contains("quá hạn"),
            "{testid}: {text}"
        );
        let rows = staff
            .find_all(By::Css(format!("[data-testid={testid}]")))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{testid}: only the late minutes");
    }

    // The year in charts; a 6-month report opened, signed, issued.
    staff.goto(format!("{base}/reports")).await.unwrap();
    let months = by_testid(&staff, "chart-months").await;
    let bars = months.find_all(By::Css("svg rect")).await.unwrap();
    assert_eq!(bars.len(), 12, "a bar a month");
    assert!(months
        .find(By::Css("svg"))
        .await
        .unwrap()
        .attr("aria-label")
        .await
        .unwrap()
        .is_some_and(|l| l.contains("Tháng 2: 2")));
    pick(&staff, "report-period", "half_year").await;
    click(&staff, "report-create").await;
    let title = text_of(&staff, "report-title").await;
    assert!(title.contains("6 tháng đầu năm"), "{title}");
    let figures = text_of(&staff, "report-figures").await;
    assert!(
        figures.contains("Buổi đối thoại\n2") || figures.contains("Buổi đối thoại 2"),
        "{figures}"
    );
    type_into(&staff, "report-field-9", "Nguyễn Văn Đức").await;
    click(&staff, "report-save").await;
    assert_eq!(text_of(&staff, "report-message").await, "Đã lưu");
    type_into(&staff, "report-number", "7/BC-UBND").await;
    click(&staff, "report-issue-button").await;
    staff.accept_alert().await.unwrap();
    wait_for("the issued report", Duration::from_secs(20), || async {
        text_of_now(&staff, "report-title")
            .await
            .contains("7/BC-UBND")
    })
    .await;
    assert!(
        staff
            .find(By::Css("[data-testid=report-save]"))
            .await
            .is_err(),
        "an issued report is not edited"
    );
    let docx = by_testid(&staff, "report-docx")
        .await
        .attr("href")
        .await
        .unwrap();
    assert!(docx.is_some_and(|h| h.ends_with("/docx")));
    staff.quit().await.unwrap();
    handler.quit().await.unwrap();
    server.kill();
}

/// The office plans a dialogue on `/plan`; the secretary's tablet gets it
/// at its next sync, records it with no network, and once it syncs the
/// plan shows it being recorded and no longer the office's to change, and
/// the province's compliance table counts it held. An announcement later
/// than the province's 7 days ahead is flagged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planned_dialogue_reaches_the_tablet_and_is_recorded_there_offline() {
    const PLANNED: &str = "Đối thoại định kỳ quý I với Nhân dân phường";
    let (field, server, tablet) = Field::start_logged_in(&[
        SECRETARY,
        ("vanphong", "reviewer", HOAN_KIEM),
        ("tinh", "reviewer", HANOI),
    ])
    .await;
    let base = field.base.clone();
    wait_for_service_worker(&tablet).await;

    let office = field.another_device().await;
    submit_login(&office, &base, "vanphong", PASSWORD).await;
    by_testid(&office, "go-review").await;
    office.goto(format!("{base}/plan?year=2026")).await.unwrap();
    pick(&office, "plan-month", "3").await;
    // The date-time picker's typing order follows the browser's locale.
    js(
        &office,
        "const f = document.querySelector('[data-testid=plan-day]'); \
         f.value = '2026-03-20T08:00'; f.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    type_into(&office, "plan-topic", PLANNED).await;
    type_into(&office, "plan-chair", "Nguyễn Văn Bình").await;
    click(&office, "plan-save").await;
    let row = by_testid(&office, "plan-entry").await;
    assert!(row.text().await.unwrap().contains(PLANNED));
    by_testid(&office, "plan-edit").await;
    // Announced on 15 March for the 20th: two days later than 7 days ahead.
    click(&office, "plan-announce").await;
    js(
        &office,
        "const f = document.querySelector('[data-testid=announced-on]'); \
         f.value = '2026-03-15'; f.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    click(&office, "means-loudspeaker").await;
    click(&office, "save-announcement").await;
    let late = text_of(&office, "announced-late").await;
    assert!(late.contains("trễ hạn"), "{late}");

    // The tablet's next sync brings it; then the network goes away.
    click(&tablet, "sync-now").await;
    let link = eventually("the planned dialogue", Duration::from_secs(20), || async {
        let link = tablet
            .find(By::Css("[data-testid=dialogue-link]"))
            .await
            .ok()?;
        link.text().await.ok()?.contains(PLANNED).then_some(link)
    })
    .await;
    server.kill();
    link.click().await.unwrap();
    wait_hydrated(&tablet).await;
    assert_eq!(value_of(&by_testid(&tablet, "topic").await).await, PLANNED);
    click(&tablet, "start").await;
    click(&tablet, "add-opinion").await;
    let content = opinion_field(&tablet, 0, "content").await;
    content
        .send_keys("Đề nghị lắp đèn chiếu sáng ngõ 12")
        .await
        .unwrap();
    let server = field.restart_server();
    wait_synced(&tablet, "the recorded plan synced", Duration::from_secs(60)).await;

    let list = field.reviewed_dialogues("vanphong").await;
    assert_eq!(
        list.len(),
        1,
        "the plan's dialogue, recorded, not a second one"
    );
    let reviewer = signed_in(&base, "vanphong").await;
    let view: DialogueView =
        get_json(&reviewer, &format!("{base}/api/dialogues/{}", list[0].id)).await;
    assert_eq!(view.dialogue.topic, PLANNED);
    assert!(view.dialogue.started_at.is_some());
    assert_eq!(view.opinions.len(), 1);

    office.refresh().await.unwrap();
    let row = by_testid(&office, "plan-entry").await;
    assert!(
        row.find(By::Css("[data-testid=plan-edit]")).await.is_err(),
        "the secretary's now"
    );

    // The province's compliance table counts it held; its figure opens it.
    log_out(&office, &base).await;
    submit_login(&office, &base, "tinh", PASSWORD).await;
    by_testid(&office, "go-review").await;
    office
        .goto(format!("{base}/compliance?year=2026"))
        .await
        .unwrap();
    let ward = format!("[data-testid=compliance-row][data-unit='{HOAN_KIEM}']");
    let row = eventually("the ward's row", Duration::from_secs(20), || async {
        office.find(By::Css(&ward)).await.ok()
    })
    .await;
    row.find(By::Css("[data-testid=figure-periodic_held]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let line = text_of(&office, "compliance-line").await;
    assert!(line.contains(PLANNED), "{line}");
    let csv = by_testid(&office, "compliance-csv")
        .await
        .attr("href")
        .await
        .unwrap();
    assert_eq!(
        csv.as_deref(),
        Some("/api/compliance/csv?province=01&year=2026")
    );
    office.quit().await.unwrap();
    tablet.quit().await.unwrap();
    server.kill();
}

/// The tablet's print view of minutes with a denunciation: the version
/// sent outside first (the protected label, not the name), the one kept
/// on file on request; the button says it prints. It is set in the PDF's
/// font, which the capture screen never downloads and which, once kept,
/// prints offline too. Minutes not on the device are said to be so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_print_view_sends_a_denouncer_outside_as_the_protected_label_and_names_them_on_file() {
    const DENOUNCER: &str = "Trần Thị Hoa";
    let (field, server, tablet) = Field::start_logged_in(&[SECRETARY]).await;
    let base = field.base.clone();
    wait_for_service_worker(&tablet).await;
    // Recorded on the secretary's other tablet; this one pulls it.
    let d = dialogue(HOAN_KIEM);
    let mut o = opinion(&d, 1, "Tố cáo việc thu tiền trông xe trái phép");
    o.kind = shared::OpinionKind::Denunciation;
    o.speaker_name = DENOUNCER.into();
    recorded_on_another_tablet(
        &tablet,
        &base,
        vec![Entity::Dialogue(d.clone()), Entity::Opinion(o)],
    )
    .await;
    assert_eq!(
        js(&tablet, PAGE_FONTS_FETCHED).await,
        serde_json::json!(0),
        "the capture screen fetched the print font"
    );
    let print = format!("{base}/capture/print?d={}", d.id);
    tablet.goto(&print).await.unwrap();
    wait_for("the print font in use", Duration::from_secs(10), || async {
        js(&tablet, PRINT_FONT_LOADED).await == serde_json::json!(true)
    })
    .await;
    wait_for("the print fonts kept", Duration::from_secs(10), || async {
        js(&tablet, FONTS_KEPT).await == serde_json::json!(4)
    })
    .await;
    let outside = text_of(&tablet, "minutes").await;
    assert!(
        outside.contains(shared::opinion::PROTECTED_NAME),
        "{outside}"
    );
    assert!(!outside.contains(DENOUNCER), "sent outside: {outside}");
    assert_eq!(text_of(&tablet, "print-now").await, "In biên bản");
    click(&tablet, "full-version").await;
    wait_for("the version on file", Duration::from_secs(10), || async {
        text_of_now(&tablet, "minutes").await.contains(DENOUNCER)
    })
    .await;
    server.kill();
    tablet.goto(&print).await.unwrap();
    wait_for(
        "the print font offline",
        Duration::from_secs(10),
        || async { js(&tablet, PRINT_FONT_LOADED).await == serde_json::json!(true) },
    )
    .await;
    // Minutes not on this device are said to be so, not loaded for ever.
    let unknown = shared::DialogueId::new();
    tablet
        .goto(format!("{base}/capture/print?d={unknown}"))
        .await
        .unwrap();
    let said = text_of(&tablet, "not-on-device").await;
    assert!(
        said.starts_with("Biên bản này không có trên máy này"),
        "{said}"
    );
    tablet.quit().await.unwrap();
}

/// How many web fonts this page has fetched.
const PAGE_FONTS_FETCHED: &str = "return performance.getEntriesByType('resource')\
    .filter((e) => e.name.endsWith('.woff2')).length";

/// The minutes are set in the print font, and its regular face has loaded.
const PRINT_FONT_LOADED: &str = "const minutes = document.querySelector('[data-testid=minutes]');\
    return !!minutes && getComputedStyle(minutes).fontFamily.startsWith('\"Doithoai Serif\"')\
    && [...document.fonts].some((f) => f.family.replaceAll('\"', '') === 'Doithoai Serif'\
        && f.weight === '400' && f.style === 'normal' && f.status === 'loaded')";

/// How many web fonts the service worker keeps.
const FONTS_KEPT: &str = "return caches.keys().then(async (keys) => {\
    let n = 0;\
    for (const key of keys) {\
        const kept = await (await caches.open(key)).keys();\
        n += kept.filter((r) => r.url.endsWith('.woff2')).length;\
    }\
    return n;\
})";

/// What a secretary new to the app meets on the tablet, installable as an
/// app, then offline: no error
/// for being offline, what waits counted as minutes and opinions, a count
/// that takes only digits and starts empty, the denouncer's protection said
/// on the card, a folded opinion read in one line, and finalising asked
/// first (declined: nothing locks), then the minutes locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_secretary_offline_is_told_calmly_what_waits_and_asked_before_the_minutes_lock() {
    let (_field, server, driver) = Field::start_logged_in(&[SECRETARY]).await;
    wait_for_service_worker(&driver).await;
    // Chrome would offer to install it: no installability error.
    let installable = driver
        .cdp()
        .send_raw("Page.getInstallabilityErrors", serde_json::json!({}))
        .await
        .unwrap();
    assert_eq!(
        installable["installabilityErrors"],
        serde_json::json!([]),
        "{installable}"
    );
    server.kill();
    click(&driver, "new-dialogue").await;
    type_into(&driver, "topic", TOPIC).await;
    let citizens = by_testid(&driver, "citizens").await;
    assert_eq!(value_of(&citizens).await, "", "the count starts empty");
    citizens.send_keys("8a7").await.unwrap();
    assert_eq!(value_of(&citizens).await, "87");
    type_into(&driver, "chair-name", "Nguyễn Văn Đức").await;
    type_into(&driver, "secretary-name", "Lò Thị Mai").await;
    for (i, (speaker, content)) in OPINIONS[..2].iter().enumerate() {
        click(&driver, "add-opinion").await;
        let s = opinion_field(&driver, i, "speaker").await;
        s.send_keys(*speaker).await.unwrap();
        let c = opinion_field(&driver, i, "content").await;
        c.send_keys(*content).await.unwrap();
    }
    let kind = opinion_field(&driver, 1, "opinion-kind").await;
    let denunciation = shared::OpinionKind::ALL
        .iter()
        .position(|k| *k == shared::OpinionKind::Denunciation)
        .unwrap();
    kind.find(By::Css(format!("option[value='{denunciation}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hints = driver
        .find_all(By::Css("[data-testid=protected-hint]"))
        .await
        .unwrap();
    assert_eq!(hints.len(), 1, "only the denunciation's card says it");
    let summary = opinion_field(&driver, 1, "opinion-summary").await;
    assert_eq!(
        summary.text().await.unwrap(),
        format!("{} · Tố cáo · {}", OPINIONS[1].0, OPINIONS[1].1)
    );

    let offline = text_of(&driver, "offline").await;
    assert_eq!(offline, "Đang ngoại tuyến — dữ liệu an toàn trên máy");
    assert!(driver
        .find(By::Css("[data-testid=sync-error]"))
        .await
        .is_err());
    let pending = text_of(&driver, "sync-pending").await;
    assert!(
        pending.starts_with("1 biên bản, 2 ý kiến chưa gửi ("),
        "{pending}"
    );
    // How much of the store is used, and whether the browser keeps it.
    let storage = text_of(&driver, "storage").await;
    let used: u32 = storage
        .strip_prefix("Bộ nhớ trên máy đã dùng: ")
        .and_then(|rest| rest.split('%').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{storage}"));
    assert!((1..=5).contains(&used), "{storage}");
    assert!(
        storage.ends_with("trình duyệt giữ bền vững")
            || storage.ends_with("hãy đồng bộ thường xuyên"),
        "{storage}"
    );

    click(&driver, "finalise").await;
    let question = driver.get_alert_text().await.unwrap();
    assert!(question.contains("khóa"), "{question}");
    driver.dismiss_alert().await.unwrap();
    assert!(driver.find(By::Css("[data-testid=locked]")).await.is_err());
    assert!(by_testid(&driver, "topic")
        .await
        .is_enabled()
        .await
        .unwrap());
    click(&driver, "finalise").await;
    driver.accept_alert().await.unwrap();
    by_testid(&driver, "locked").await;
    assert!(!by_testid(&driver, "topic")
        .await
        .is_enabled()
        .await
        .unwrap());
    assert!(!by_testid(&driver, "add-opinion")
        .await
        .is_enabled()
        .await
        .unwrap());
    driver.quit().await.unwrap();
}

/// The signed paper travels with the minutes: a page photographed offline
/// is reduced and kept on the tablet, outlives a browser restart, and after
/// an upload cut half-way (the link hangs after the first chunk, the server
/// is killed) arrives whole and byte-identical once the server is back,
/// sent from where it stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_taken_offline_survives_a_browser_restart_and_arrives_whole_after_an_upload_cut_half_way(
) {
    use shared::attachment::{AttachmentStatus, CHUNK_MAX, PHOTO_LONG_SIDE};
    let (field, server, gate) = Field::start_gated(&[SECRETARY]).await;
    let base = field.base.clone();
    let mut tablet = field.browser().await;
    log_in(&tablet, &base, SECRETARY.0).await;
    wait_for_service_worker(&tablet).await;
    // The minutes, recorded on the secretary's other tablet, reach this one.
    let d = dialogue(HOAN_KIEM);
    recorded_on_another_tablet(&tablet, &base, vec![Entity::Dialogue(d.clone())]).await;
    let page = format!("{base}/capture/attachments?d={}", d.id);
    // Reached from the minutes, online once: the service worker then keeps
    // the bundle the page runs on.
    tablet
        .goto(format!("{base}/capture/edit?d={}", d.id))
        .await
        .unwrap();
    click(&tablet, "attachments-link").await;
    by_testid(&tablet, "no-files").await;
    wait_for("the full bundle kept", Duration::from_secs(20), || async {
        js(&tablet, FULL_BUNDLE_KEPT).await == Value::Bool(true)
    })
    .await;
    server.kill();

    tablet.goto(&page).await.unwrap();
    by_testid(&tablet, "no-files").await;
    let camera_photo = noisy_bmp(2400, 1800);
    by_testid(&tablet, "take-photo")
        .await
        .send_keys(camera_photo.display().to_string())
        .await
        .unwrap();
    let file = by_testid(&tablet, "file").await;
    assert_eq!(
        file.attr("data-state").await.unwrap().as_deref(),
        Some("waiting")
    );
    let id = file.attr("data-id").await.unwrap().unwrap();
    wait_for("the kept photo shown", Duration::from_secs(10), || async {
        js(
            &tablet,
            "return document.querySelector('[data-testid=file] img').naturalWidth",
        )
        .await
            == serde_json::json!(PHOTO_LONG_SIDE)
    })
    .await;
    let kept: Value = js(&tablet, &kept_file_script(&id)).await;
    assert_eq!(kept["type"], "image/jpeg", "{kept}");
    assert_eq!(kept["width"], PHOTO_LONG_SIDE, "{kept}");
    assert_eq!(kept["height"], PHOTO_LONG_SIDE * 3 / 4, "{kept}");
    let size = kept["size"].as_u64().unwrap();
    assert!(
        size > 2 * CHUNK_MAX as u64,
        "a photo of a few chunks: {size}"
    );

    tablet.quit().await.unwrap();
    tablet = field.browser().await;
    tablet.goto(&page).await.unwrap();
    let file = by_testid(&tablet, "file").await;
    assert_eq!(
        file.attr("data-id").await.unwrap().as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        file.attr("data-state").await.unwrap().as_deref(),
        Some("waiting")
    );

    // The network comes back, and hangs after the first chunk: the server
    // holds part of the photo when it is killed.
    gate.stall_after(CHUNK_MAX as u64 + 64 * 1024);
    let server = field.restart_server();
    let direct = signed_in(&field.server_base(), SECRETARY.0).await;
    let status_url = format!("{}/api/attachments/{id}", field.server_base());
    tablet.goto(&page).await.unwrap();
    let half: AttachmentStatus = eventually("the first chunk", Duration::from_secs(30), || async {
        let status = direct.get(&status_url).send().await.ok()?;
        let status: AttachmentStatus = status.json().await.ok()?;
        (status.received > 0).then_some(status)
    })
    .await;
    server.kill();
    assert_eq!(half.received, CHUNK_MAX as u64);
    assert!(!half.complete);

    gate.open();
    let server = field.restart_server();
    tablet.goto(&page).await.unwrap();
    wait_for("the photo sent", Duration::from_secs(30), || async {
        text_of_attr(&tablet, "file", "data-state").await.as_deref() == Some("sent")
    })
    .await;
    let whole: AttachmentStatus = get_json(&direct, &status_url).await;
    assert!(whole.complete);
    assert_eq!(whole.received, size);
    let bytes = direct
        .get(format!("{}/api/attachments/{id}/file", field.server_base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert_eq!(
        kept["sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
        "the server's bytes are the tablet's"
    );
    server.kill();
    tablet.quit().await.unwrap();
}

/// A file the server refuses (here: a type it does not take) is shown as
/// refused with the server's words and holds nothing up: an audio note
/// recorded after it is sent. A file not sent may be removed; a file sent
/// a week ago has left the tablet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_file_is_shown_and_holds_up_nothing_and_a_file_sent_a_week_ago_leaves_the_tablet()
{
    let (field, server, tablet) = Field::start_logged_in(&[SECRETARY]).await;
    let base = field.base.clone();
    wait_for_service_worker(&tablet).await;
    let d = dialogue(HOAN_KIEM);
    recorded_on_another_tablet(&tablet, &base, vec![Entity::Dialogue(d.clone())]).await;
    let other = signed_in(&base, SECRETARY.0).await;
    let page = format!("{base}/capture/attachments?d={}", d.id);
    tablet.goto(&page).await.unwrap();
    by_testid(&tablet, "no-files").await;
    // A file the server will refuse, as an older version might have kept,
    // and one the server has had for a week.
    js(&tablet, &format!(
        "return new Promise((resolve, reject) => {{\
            const open = indexedDB.open('{db}', 1);\
            open.onsuccess = () => {{\
                const tx = open.result.transaction('{store}', 'readwrite');\
                const user = JSON.parse(localStorage.getItem('doithoai:session')).id;\
                const file = {{ user, dialogue_id: '{d}', kind: 'photo', media_type: 'image/png', size: 3,\
                    sha256: '{sha}', blob: new Blob([new Uint8Array([1, 2, 3])]) }};\
                tx.objectStore('{store}').put({{ ...file, id: '{id}', taken_at: 1, state: 'waiting' }});\
                tx.objectStore('{store}').put({{ ...file, id: '{old}', taken_at: 0, state: 'sent', sent_at: 0 }});\
                tx.oncomplete = () => resolve(true);\
                tx.onerror = () => reject(tx.error);\
            }};\
        }})",
        db = shared::attachment::DEVICE_DB,
        store = shared::attachment::DEVICE_STORE,
        id = uuid::Uuid::now_v7(),
        old = uuid::Uuid::now_v7(),
        d = d.id,
        sha = "0".repeat(64),
    ))
    .await;
    click(&tablet, "record").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    click(&tablet, "record").await;
    // Read in one go: the list is drawn again as states change.
    let states = || async {
        js(
            &tablet,
            "return [...document.querySelectorAll('[data-testid=file]')].map((f) => f.dataset.state)",
        )
        .await
    };
    wait_for(
        "the refused file and the sent note",
        Duration::from_secs(30),
        || async { states().await == serde_json::json!(["refused", "sent"]) },
    )
    .await;
    let refused = text_of(&tablet, "file").await;
    assert!(refused.contains("Máy chủ từ chối"), "{refused}");
    let listed: Vec<shared::attachment::AttachmentStatus> = get_json(
        &other,
        &format!("{base}/api/dialogues/{}/attachments", d.id),
    )
    .await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, shared::attachment::AttachmentKind::Audio);
    assert!(
        listed[0].media_type.starts_with("audio/"),
        "{:?}",
        listed[0]
    );
    assert!(listed[0].size > 1000, "{:?}", listed[0]);
    // The refused file goes, once asked.
    click(&tablet, "remove-file").await;
    tablet.accept_alert().await.unwrap();
    wait_for(
        "the refused file removed",
        Duration::from_secs(10),
        || async { states().await == serde_json::json!(["sent"]) },
    )
    .await;
    server.kill();
    tablet.quit().await.unwrap();
}

/// Minutes pushed from the secretary's other tablet, pulled by this one
/// (its sync button), once listed on its capture screen.
async fn recorded_on_another_tablet(tablet: &WebDriver, base: &str, records: Vec<Entity>) {
    let other = signed_in(base, SECRETARY.0).await;
    let pushed = other
        .post(format!("{base}/api/sync/push"))
        .json(&batch(DeviceId::new(), 1, records))
        .send()
        .await
        .unwrap();
    assert!(pushed.status().is_success());
    click(tablet, "sync-now").await;
    by_testid(tablet, "dialogue-link").await;
}

/// Whether the service worker keeps the full bundle (what the attachments
/// and print pages run on).
const FULL_BUNDLE_KEPT: &str = "return caches.keys().then(async (keys) => {\
    for (const key of keys) {\
        const kept = await (await caches.open(key)).keys();\
        if (kept.some((r) => /\\/pkg\\/full\\.[^/]*_bg\\.wasm$/.test(r.url))) return true;\
    }\
    return false;\
})";

/// What the tablet keeps of file `id`: its type, size, pixel size and
/// SHA-256 (of the bytes in IndexedDB, computed here).
fn kept_file_script(id: &str) -> String {
    format!(
        "return new Promise((resolve, reject) => {{\
            const open = indexedDB.open('{db}');\
            open.onerror = () => reject(open.error);\
            open.onsuccess = () => {{\
                const get = open.result.transaction('{store}').objectStore('{store}').get('{id}');\
                get.onsuccess = async () => {{\
                    const blob = get.result.blob;\
                    const bitmap = await createImageBitmap(blob);\
                    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());\
                    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');\
                    resolve({{ type: blob.type, size: blob.size, width: bitmap.width, height: bitmap.height, sha256 }});\
                }};\
            }};\
        }})",
        db = shared::attachment::DEVICE_DB,
        store = shared::attachment::DEVICE_STORE,
    )
}

/// A camera-sized photo as a BMP file of noise (a photo that compresses
/// little, so its JPEG spans several chunks), seeded, in a temporary file.
fn noisy_bmp(width: u32, height: u32) -> std::path::PathBuf {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut bmp = Vec::with_capacity(54 + pixels as usize);
    bmp.extend_from_slice(b"BM");
    for value in [54 + pixels, 0, 54, 40] {
        bmp.extend_from_slice(&value.to_le_bytes());
    }
    bmp.extend_from_slice(&(width as i32).to_le_bytes());
    bmp.extend_from_slice(&(height as i32).to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    for value in [0, pixels, 2835, 2835, 0, 0] {
        bmp.extend_from_slice(&value.to_le_bytes());
    }
    let mut seed: u32 = 0x2026_1206;
    for _ in 0..height {
        for _ in 0..row {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            bmp.push((seed >> 24) as u8);
        }
    }
    let path = std::env::temp_dir().join(format!("doithoai-photo-{}.bmp", uuid::Uuid::now_v7()));
    std::fs::write(&path, bmp).unwrap();
    path
}

/// An attribute of the element `testid` now, if it is on screen.
async fn text_of_attr(driver: &WebDriver, testid: &str, attr: &str) -> Option<String> {
    let el = driver
        .find(By::Css(format!("[data-testid={testid}]")))
        .await
        .ok()?;
    el.attr(attr).await.ok().flatten()
}

/// Picks `value` in the select `testid` once its options have loaded.
async fn pick(driver: &WebDriver, testid: &str, value: &str) {
    let css = format!("[data-testid={testid}] option[value='{value}']");
    let option = eventually(&css, Duration::from_secs(20), || async {
        driver.find(By::Css(&css)).await.ok()
    })
    .await;
    option.click().await.unwrap();
}

/// The overdue board's total row: overdue, due soon, open, replied on
/// time, replied late, on the first due date, forwarded, total.
async fn board_totals(driver: &WebDriver, base: &str) -> Vec<String> {
    driver.goto(format!("{base}/overdue")).await.unwrap();
    let row = by_testid(driver, "count-total").await;
    let mut numbers = Vec::new();
    for cell in row.find_all(By::Css("td")).await.unwrap() {
        numbers.push(cell.text().await.unwrap());
    }
    numbers
}

/// The text of an element now, or empty when it is not on screen.
async fn text_of_now(driver: &WebDriver, testid: &str) -> String {
    match driver
        .find(By::Css(format!("[data-testid={testid}]")))
        .await
    {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}
