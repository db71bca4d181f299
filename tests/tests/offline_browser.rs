//! The offline promise in real headless Chromium with the real service
//! worker: log in online, stop the server, record a dialogue, reload and
//! restart the browser offline, start the server again, and watch the
//! minutes sync by themselves, exactly once and byte for byte. Also: a shared
//! tablet, and Telex typing through Chromium's input-method pipeline.
//!
//! Needs the browser bundle (`cargo run -p xtask --release -- site`),
//! chromium and chromedriver (`scripts/setup.sh --browser`).

mod common;

use common::*;
use serde_json::Value;
use shared::review::{DialogueSummary, DialogueView};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
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

/// A server in its own thread and runtime, so that stopping it drops every
/// open connection at once, as a killed process would.
struct RunningServer {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    fn start(database_url: String, site: PathBuf, addr: SocketAddr) -> Self {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let (state, _) = server::prepare(server::Config::for_tests(&database_url, site))
                    .await
                    .unwrap();
                let listener = bind_retrying(addr).await;
                ready_tx.send(()).unwrap();
                tokio::select! {
                    _ = server::run(listener, state, std::future::pending()) => {}
                    _ = stopped => {}
                }
            });
            rt.shutdown_background();
        });
        ready_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server started");
        Self {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn kill(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.thread.take().unwrap().join().unwrap();
    }
}

async fn bind_retrying(addr: SocketAddr) -> tokio::net::TcpListener {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => return l,
            Err(e) if Instant::now() > deadline => panic!("cannot bind {addr}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct ChromeDriver(Child, u16);

impl ChromeDriver {
    async fn start() -> Self {
        let port = free_port();
        let child =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver must be installed (scripts/setup.sh --browser)");
        let url = format!("http://127.0.0.1:{port}/status");
        wait_for("chromedriver", Duration::from_secs(20), || async {
            reqwest::get(&url).await.is_ok()
        })
        .await;
        Self(child, port)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

async fn browser(driver: &ChromeDriver, profile: &Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
        .unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=768,1024",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display()))
        .unwrap();
    WebDriver::new(format!("http://127.0.0.1:{}", driver.1), caps)
        .await
        .expect("chromium starts")
}

async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn find(driver: &WebDriver, css: &str) -> WebElement {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(el) = driver.find(By::Css(css)).await {
            return el;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {css}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn js(driver: &WebDriver, script: &str) -> Value {
    driver
        .execute(script, Vec::new())
        .await
        .unwrap()
        .json()
        .clone()
}

/// Hydrated: the app has read the device store and rendered its data.
async fn wait_hydrated(driver: &WebDriver) {
    find(driver, "[data-testid=sync-badge]").await;
}

async fn opinion_field(driver: &WebDriver, index: usize, testid: &str) -> WebElement {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let cards = driver
            .find_all(By::Css("[data-testid=opinion]"))
            .await
            .unwrap_or_default();
        if let Some(card) = cards.get(index) {
            if let Ok(el) = card.find(By::Css(format!("[data-testid={testid}]"))).await {
                return el;
            }
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for opinion {index} {testid}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn assert_minutes_on_screen(driver: &WebDriver) {
    wait_hydrated(driver).await;
    let topic = find(driver, "[data-testid=topic]").await;
    assert_eq!(topic.prop("value").await.unwrap().as_deref(), Some(TOPIC));
    for (i, (speaker, content)) in OPINIONS.iter().enumerate() {
        let s = opinion_field(driver, i, "speaker").await;
        assert_eq!(s.prop("value").await.unwrap().as_deref(), Some(*speaker));
        let c = opinion_field(driver, i, "content").await;
        assert_eq!(c.prop("value").await.unwrap().as_deref(), Some(*content));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn minutes_recorded_offline_survive_reload_and_restart_and_sync_exactly_once() {
    let (field, server) = Field::start(&[
        ("thuky", "secretary", HOAN_KIEM),
        ("tonghop", "reviewer", HANOI),
    ])
    .await;
    let base = field.base.clone();
    let driver = field.browser().await;

    // 1. Log in online; wait until the service worker controls the page.
    log_in(&driver, &base, "thuky").await;
    wait_for_service_worker(&driver).await;

    // 2. The network goes away.
    server.kill();

    // 3. Record a dialogue with three opinions, offline.
    find(&driver, "[data-testid=new-dialogue]")
        .await
        .click()
        .await
        .unwrap();
    find(&driver, "[data-testid=topic]")
        .await
        .send_keys(TOPIC)
        .await
        .unwrap();
    find(&driver, "[data-testid=venue]")
        .await
        .send_keys("Nhà văn hóa bản Giàng")
        .await
        .unwrap();
    for (i, (speaker, content)) in OPINIONS.iter().enumerate() {
        find(&driver, "[data-testid=add-opinion]")
            .await
            .click()
            .await
            .unwrap();
        opinion_field(&driver, i, "speaker")
            .await
            .send_keys(*speaker)
            .await
            .unwrap();
        opinion_field(&driver, i, "content")
            .await
            .send_keys(*content)
            .await
            .unwrap();
    }
    let text = find(&driver, "[data-testid=save-state]")
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Đã lưu trên máy"), "{text}");
    let url = driver.current_url().await.unwrap();
    let dialogue_id = url
        .query_pairs()
        .find(|(k, _)| k == "d")
        .map(|(_, v)| v.to_string())
        .expect("dialogue id in URL");

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
    let pending = find(&driver, "[data-testid=sync-pending]")
        .await
        .attr("data-pending")
        .await
        .unwrap();
    assert_ne!(pending.as_deref(), Some("0"), "changes wait in the outbox");

    // 6. The network comes back; with no click the outbox drains.
    let server = field.restart_server();
    wait_for("sync without a click", Duration::from_secs(60), || async {
        let el = driver.find(By::Css("[data-testid=sync-pending]")).await;
        match el {
            Ok(el) => el.attr("data-pending").await.ok().flatten().as_deref() == Some("0"),
            Err(_) => false,
        }
    })
    .await;
    driver.quit().await.unwrap();

    // 7. The reviewer sees it exactly once, every opinion byte-identical.
    let reviewer = client();
    login(&reviewer, &base, "tonghop", PASSWORD)
        .await
        .error_for_status()
        .unwrap();
    let list: Vec<DialogueSummary> = get_json(&reviewer, &format!("{base}/api/dialogues")).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, dialogue_id);
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

/// A server on a port that can be stopped and started again, with users, and
/// a ChromeDriver with a fresh browser profile.
struct Field {
    database: String,
    site: PathBuf,
    addr: SocketAddr,
    base: String,
    chromedriver: ChromeDriver,
    profile: PathBuf,
}

impl Field {
    async fn start(users: &[(&str, &str, &str)]) -> (Self, RunningServer) {
        let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site");
        assert!(
            site.join("manifest.json").exists(),
            "build the bundle first: cargo run -p xtask --release -- site"
        );
        let database = fresh_database(Engine::Sqlite).await;
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let base = format!("http://{addr}");
        let server = RunningServer::start(database.clone(), site.clone(), addr);
        let admin = admin_session(&base).await;
        for (name, role, unit) in users {
            create_user(&admin, &base, name, role, unit).await;
        }
        let field = Self {
            database,
            site,
            addr,
            base,
            chromedriver: ChromeDriver::start().await,
            profile: tempdir("profile"),
        };
        (field, server)
    }

    /// The network comes back: the same server, port and database.
    fn restart_server(&self) -> RunningServer {
        RunningServer::start(self.database.clone(), self.site.clone(), self.addr)
    }

    /// A browser on this field's profile (the same one after a restart).
    async fn browser(&self) -> WebDriver {
        browser(&self.chromedriver, &self.profile).await
    }
}

/// Logs in through the login screen and waits for the capture list.
async fn log_in(driver: &WebDriver, base: &str, username: &str) {
    driver.goto(format!("{base}/login")).await.unwrap();
    find(driver, "[data-testid=username]")
        .await
        .send_keys(username)
        .await
        .unwrap();
    find(driver, "[data-testid=password]")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    find(driver, "[data-testid=login-submit]")
        .await
        .click()
        .await
        .unwrap();
    find(driver, "[data-testid=new-dialogue]").await;
}

/// The page is controlled by the service worker, so it works offline.
async fn wait_for_service_worker(driver: &WebDriver) {
    wait_for(
        "service worker control",
        Duration::from_secs(30),
        || async {
            js(driver, "return !!navigator.serviceWorker.controller").await == Value::Bool(true)
        },
    )
    .await;
}

async fn log_out(driver: &WebDriver, base: &str) {
    driver.goto(format!("{base}/")).await.unwrap();
    find(driver, "[data-testid=logout]")
        .await
        .click()
        .await
        .unwrap();
    find(driver, "[data-testid=go-login]").await;
}

async fn pending_changes(driver: &WebDriver) -> Option<String> {
    let el = driver
        .find(By::Css("[data-testid=sync-pending]"))
        .await
        .ok()?;
    el.attr("data-pending").await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_tablet_hides_unsynced_minutes_from_the_next_user_and_keeps_them() {
    let (field, server) = Field::start(&[
        ("thuky-a", "secretary", HOAN_KIEM),
        ("thuky-b", "secretary", HOAN_KIEM),
        ("tonghop", "reviewer", HANOI),
    ])
    .await;
    let base = field.base.clone();
    let driver = field.browser().await;

    // A records minutes with no network, then logs out before any sync.
    log_in(&driver, &base, "thuky-a").await;
    wait_for_service_worker(&driver).await;
    server.kill();
    find(&driver, "[data-testid=new-dialogue]")
        .await
        .click()
        .await
        .unwrap();
    let a_topic = "Biên bản của thư ký A: đất đai bản Giàng";
    find(&driver, "[data-testid=topic]")
        .await
        .send_keys(a_topic)
        .await
        .unwrap();
    driver.goto(format!("{base}/")).await.unwrap();
    let note = find(&driver, "[data-testid=logout-note]")
        .await
        .text()
        .await
        .unwrap();
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
    wait_for("B's empty list", Duration::from_secs(20), || async {
        pending_changes(&driver).await.as_deref() == Some("0")
    })
    .await;
    assert!(driver
        .find_all(By::Css("[data-testid=dialogue-link]"))
        .await
        .unwrap()
        .is_empty());
    let body = driver
        .find(By::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!body.contains(a_topic), "B must not see A's minutes");
    log_out(&driver, &base).await;

    // A comes back: the minutes are there and sync by themselves.
    log_in(&driver, &base, "thuky-a").await;
    find(&driver, "[data-testid=dialogue-link]").await;
    wait_for("A's change synced", Duration::from_secs(60), || async {
        pending_changes(&driver).await.as_deref() == Some("0")
    })
    .await;
    driver.quit().await.unwrap();
    let reviewer = client();
    login(&reviewer, &base, "tonghop", PASSWORD)
        .await
        .error_for_status()
        .unwrap();
    let list: Vec<DialogueSummary> = get_json(&reviewer, &format!("{base}/api/dialogues")).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].topic.as_str(), list[0].recorded_by.as_str()),
        (a_topic, "Cán bộ thuky-a")
    );
    server.kill();
}

fn tempdir(what: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("doithoai-{what}-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Telex typing as Chromium's input-method pipeline delivers it: each
/// keystroke replaces the composition ("d" → "đ" → "đư" → ...), then the
/// word is committed. The field must end with exactly the committed words,
/// the device must keep them across a reload, and the server must receive
/// the same bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telex_composition_is_kept_whole_on_the_device_and_on_the_server() {
    let (field, server) = Field::start(&[
        ("thuky", "secretary", HOAN_KIEM),
        ("tonghop", "reviewer", HANOI),
    ])
    .await;
    let base = field.base.clone();
    let driver = field.browser().await;
    log_in(&driver, &base, "thuky").await;
    find(&driver, "[data-testid=new-dialogue]")
        .await
        .click()
        .await
        .unwrap();
    find(&driver, "[data-testid=topic]")
        .await
        .click()
        .await
        .unwrap();

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
    let topic = find(&driver, "[data-testid=topic]").await;
    assert_eq!(topic.prop("value").await.unwrap().as_deref(), Some(typed));

    // Kept on the device...
    driver.refresh().await.unwrap();
    wait_hydrated(&driver).await;
    let topic = find(&driver, "[data-testid=topic]").await;
    assert_eq!(topic.prop("value").await.unwrap().as_deref(), Some(typed));
    // ...and synced as the same bytes.
    wait_for("synced", Duration::from_secs(30), || async {
        pending_changes(&driver).await.as_deref() == Some("0")
    })
    .await;
    driver.quit().await.unwrap();
    let reviewer = client();
    login(&reviewer, &base, "tonghop", PASSWORD)
        .await
        .error_for_status()
        .unwrap();
    let list: Vec<DialogueSummary> = get_json(&reviewer, &format!("{base}/api/dialogues")).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].topic.as_bytes(), typed.as_bytes());
    server.kill();
}

/// The desktop screens hydrate from the full bundle: the administrator logs
/// in, creates a secretary from the admin screen and sees them listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_creates_a_secretary_from_the_admin_screen() {
    let (field, server) = Field::start(&[]).await;
    let base = field.base.clone();
    let driver = field.browser().await;
    driver.goto(format!("{base}/login")).await.unwrap();
    for (testid, text) in [("username", "admin"), ("password", "admin-password")] {
        find(&driver, &format!("[data-testid={testid}]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }
    find(&driver, "[data-testid=login-submit]")
        .await
        .click()
        .await
        .unwrap();
    for (testid, text) in [
        ("new-username", "thuky-moi"),
        ("new-password", PASSWORD),
        ("new-display-name", "Lò Thị Hương"),
        ("new-unit", HOAN_KIEM),
    ] {
        find(&driver, &format!("[data-testid={testid}]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }
    find(&driver, "[data-testid=create-user]")
        .await
        .click()
        .await
        .unwrap();
    wait_for("the new user listed", Duration::from_secs(20), || async {
        let table = find(&driver, "[data-testid=users]")
            .await
            .text()
            .await
            .unwrap();
        table.contains("thuky-moi") && table.contains("Lò Thị Hương") && table.contains(HOAN_KIEM)
    })
    .await;
    let message = find(&driver, "[data-testid=admin-message]")
        .await
        .text()
        .await
        .unwrap();
    assert!(message.ends_with("thuky-moi"), "{message}");
    driver.quit().await.unwrap();
    // The secretary can log in with what the administrator typed.
    let secretary = client();
    login(&secretary, &base, "thuky-moi", PASSWORD)
        .await
        .error_for_status()
        .unwrap();
    server.kill();
}
