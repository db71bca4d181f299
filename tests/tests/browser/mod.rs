//! What the browser tests stand on: a server that can be killed and started
//! again on the same port and database (the network going away and coming
//! back), ChromeDriver with a browser profile that outlives a browser
//! restart, and short helpers that find screen elements by `data-testid`.
//!
//! Needs the browser bundle (`cargo run -p xtask --release -- site`),
//! chromium and chromedriver (`scripts/setup.sh --browser`).
// Each browser test binary uses some of these.
#![allow(dead_code)]

use crate::common::*;
use serde_json::Value;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// How long an element may take to appear before the test fails.
const APPEAR: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(150);

/// A server in its own thread and runtime, so that stopping it drops every
/// open connection at once, as a killed process would.
pub struct RunningServer {
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

    pub fn kill(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.thread.take().unwrap().join().unwrap();
    }
}

async fn bind_retrying(addr: SocketAddr) -> tokio::net::TcpListener {
    let deadline = Instant::now() + APPEAR;
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

fn tempdir(what: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("doithoai-{what}-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
        wait_for("chromedriver", APPEAR, || async {
            reqwest::get(&url).await.is_ok()
        })
        .await;
        Self(child, port)
    }

    /// Headless Chromium at tablet portrait size on the given profile.
    async fn browser(&self, profile: &Path) -> WebDriver {
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
            // A microphone that plays a tone, allowed without asking.
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ] {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.display()))
            .unwrap();
        WebDriver::new(format!("http://127.0.0.1:{}", self.1), caps)
            .await
            .expect("chromium starts")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

/// A link between the browser and the server that can freeze half-way
/// through a request: it passes every byte both ways until
/// [`Gate::stall_after`] lets only so many more go towards the server and
/// holds the rest back, as a link that hangs mid-upload. A connection whose
/// server went away is closed, as a dead server's would be.
#[derive(Clone)]
pub struct Gate {
    /// Bytes that may still go towards the server; `u64::MAX`: any.
    allowance: Arc<AtomicU64>,
}

impl Gate {
    async fn start(listen: SocketAddr, server: SocketAddr) -> Self {
        let allowance = Arc::new(AtomicU64::new(u64::MAX));
        let listener = bind_retrying(listen).await;
        let gate = Self { allowance };
        let serving = gate.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let gate = serving.clone();
                tokio::spawn(async move {
                    if let Ok(upstream) = tokio::net::TcpStream::connect(server).await {
                        gate.pass(client, upstream).await;
                    }
                });
            }
        });
        gate
    }

    async fn pass(&self, client: tokio::net::TcpStream, upstream: tokio::net::TcpStream) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut from_client, mut to_client) = client.into_split();
        let (mut from_server, mut to_server) = upstream.into_split();
        let down = tokio::spawn(async move {
            let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
        });
        let mut buf = vec![0; 64 * 1024];
        'link: while let Ok(n @ 1..) = from_client.read(&mut buf).await {
            let mut sent = 0;
            while sent < n {
                let allowed = self.take(n - sent);
                if allowed == 0 {
                    if down.is_finished() {
                        break 'link;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                if to_server
                    .write_all(&buf[sent..sent + allowed])
                    .await
                    .is_err()
                {
                    break 'link;
                }
                sent += allowed;
            }
        }
        down.abort();
    }

    /// Takes up to `want` bytes of the allowance.
    fn take(&self, want: usize) -> usize {
        let want = want as u64;
        let before = self
            .allowance
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                (left != u64::MAX).then(|| left - left.min(want))
            })
            .unwrap_or(u64::MAX);
        before.min(want) as usize
    }

    /// From now on, only `bytes` more go towards the server.
    pub fn stall_after(&self, bytes: u64) {
        self.allowance.store(bytes, Ordering::SeqCst);
    }

    /// Every byte passes again.
    pub fn open(&self) {
        self.allowance.store(u64::MAX, Ordering::SeqCst);
    }
}

/// A server on a port that can be stopped and started again, with users, and
/// a ChromeDriver with a fresh browser profile.
pub struct Field {
    database: String,
    site: PathBuf,
    addr: SocketAddr,
    pub base: String,
    chromedriver: ChromeDriver,
    profile: PathBuf,
}

impl Field {
    /// Starts the server on a fresh SQLite database with the unit list
    /// loaded and these users (username, role, unit code).
    pub async fn start(users: &[(&str, &str, &str)]) -> (Self, RunningServer) {
        let (field, server, _) = Self::start_with(users, false).await;
        (field, server)
    }

    /// As [`Field::start`], with a [`Gate`] between the browser and the
    /// server: the browser's address is the gate's.
    pub async fn start_gated(users: &[(&str, &str, &str)]) -> (Self, RunningServer, Gate) {
        let (field, server, gate) = Self::start_with(users, true).await;
        (field, server, gate.expect("a gate"))
    }

    async fn start_with(
        users: &[(&str, &str, &str)],
        gated: bool,
    ) -> (Self, RunningServer, Option<Gate>) {
        let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site");
        assert!(
            site.join("manifest.json").exists(),
            "build the bundle first: cargo run -p xtask --release -- site"
        );
        let database = fresh_database(Engine::Sqlite).await;
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let server = RunningServer::start(database.clone(), site.clone(), addr);
        let (base, gate) = if gated {
            let front: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
            (
                format!("http://{front}"),
                Some(Gate::start(front, addr).await),
            )
        } else {
            (format!("http://{addr}"), None)
        };
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
        (field, server, gate)
    }

    /// The server's own address, past any gate.
    pub fn server_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts a field with these users and a browser logged in as the first
    /// of them, a secretary: how most scenarios open.
    pub async fn start_logged_in(users: &[(&str, &str, &str)]) -> (Self, RunningServer, WebDriver) {
        let (field, server) = Self::start(users).await;
        let driver = field.browser().await;
        log_in(&driver, &field.base, users[0].0).await;
        (field, server, driver)
    }

    /// The network comes back: the same server, port and database.
    pub fn restart_server(&self) -> RunningServer {
        RunningServer::start(self.database.clone(), self.site.clone(), self.addr)
    }

    /// A second server on the same database at an address of its own: how
    /// another tablet reaches the central server while this field's browser
    /// cannot (its server is down). Returns the server and its base URL.
    pub fn second_server(&self) -> (RunningServer, String) {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let server = RunningServer::start(self.database.clone(), self.site.clone(), addr);
        (server, format!("http://{addr}"))
    }

    /// A browser on this field's profile (the same one after a restart).
    pub async fn browser(&self) -> WebDriver {
        self.chromedriver.browser(&self.profile).await
    }

    /// A browser with a profile of its own: another tablet.
    pub async fn another_device(&self) -> WebDriver {
        self.chromedriver.browser(&tempdir("profile")).await
    }

    /// The dialogues a reviewer of the province sees, as the API lists them.
    pub async fn reviewed_dialogues(&self, reviewer: &str) -> Vec<shared::review::DialogueSummary> {
        let session = signed_in(&self.base, reviewer).await;
        let page: shared::review::DialoguePage =
            get_json(&session, &format!("{}/api/dialogues", self.base)).await;
        page.items
    }
}

/// Polls `attempt` until it yields a value; fails the test after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut attempt: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = attempt().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(POLL).await;
    }
}

pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually(what, timeout, || {
        let done = check();
        async move { done.await.then_some(()) }
    })
    .await
}

/// The element with this `data-testid`, once it is on the screen.
pub async fn by_testid(driver: &WebDriver, testid: &str) -> WebElement {
    let css = format!("[data-testid={testid}]");
    eventually(&css, APPEAR, || async {
        driver.find(By::Css(&css)).await.ok()
    })
    .await
}

/// Clicks `testid` as a person would: scrolled to the middle of the screen
/// first, so the minutes' bar that stays at the bottom never covers it.
pub async fn click(driver: &WebDriver, testid: &str) {
    let element = by_testid(driver, testid).await;
    driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' })",
            vec![element.to_json().unwrap()],
        )
        .await
        .unwrap();
    element.click().await.unwrap();
}

pub async fn type_into(driver: &WebDriver, testid: &str, text: &str) {
    by_testid(driver, testid)
        .await
        .send_keys(text)
        .await
        .unwrap();
}

pub async fn text_of(driver: &WebDriver, testid: &str) -> String {
    by_testid(driver, testid).await.text().await.unwrap()
}

/// What a form field holds now (its `value` property, not the attribute).
pub async fn value_of(field: &WebElement) -> String {
    field.prop("value").await.unwrap().unwrap_or_default()
}

pub async fn js(driver: &WebDriver, script: &str) -> Value {
    driver
        .execute(script, Vec::new())
        .await
        .unwrap()
        .json()
        .clone()
}

/// Hydrated: the app has read the device store and rendered its data.
pub async fn wait_hydrated(driver: &WebDriver) {
    by_testid(driver, "sync-badge").await;
}

/// A field (`speaker`, `content`, ...) of the opinion card at `index`.
pub async fn opinion_field(driver: &WebDriver, index: usize, testid: &str) -> WebElement {
    let css = format!("[data-testid={testid}]");
    let what = format!("opinion {index} {testid}");
    eventually(&what, APPEAR, || async {
        let cards = driver
            .find_all(By::Css("[data-testid=opinion]"))
            .await
            .ok()?;
        cards.get(index)?.find(By::Css(&css)).await.ok()
    })
    .await
}

/// Fills in and submits the login screen.
pub async fn submit_login(driver: &WebDriver, base: &str, username: &str, password: &str) {
    driver.goto(format!("{base}/login")).await.unwrap();
    type_into(driver, "username", username).await;
    type_into(driver, "password", password).await;
    click(driver, "login-submit").await;
}

/// Logs a secretary in with the test password and waits for the capture list.
pub async fn log_in(driver: &WebDriver, base: &str, username: &str) {
    submit_login(driver, base, username, PASSWORD).await;
    by_testid(driver, "new-dialogue").await;
}

pub async fn log_out(driver: &WebDriver, base: &str) {
    driver.goto(format!("{base}/")).await.unwrap();
    click(driver, "logout").await;
    by_testid(driver, "go-login").await;
}

/// Puts `entries` in the logged-in user's device store in place of what is
/// there: each is a key suffix after `doithoai:workspace:<user>` (`""` for
/// the index, `":<dialogue id>"` for a part) and its text. Written from a
/// page without the app, so no sync round of the app writes over them.
pub async fn replace_device_store(driver: &WebDriver, base: &str, entries: &[(String, String)]) {
    driver.goto(format!("{base}/sw.js")).await.unwrap();
    let writes: String = entries
        .iter()
        .map(|(suffix, text)| {
            format!(
                "localStorage.setItem(prefix + {}, {});",
                serde_json::to_string(suffix).unwrap(),
                serde_json::to_string(text).unwrap()
            )
        })
        .collect();
    js(
        driver,
        &format!(
            "const prefix = 'doithoai:workspace:' + JSON.parse(localStorage.getItem('doithoai:session')).id; \
             Object.keys(localStorage).filter(k => k.startsWith('doithoai:workspace:')).forEach(k => localStorage.removeItem(k)); \
             {writes}"
        ),
    )
    .await;
}

/// The page is controlled by the service worker, so it works offline.
pub async fn wait_for_service_worker(driver: &WebDriver) {
    wait_for(
        "service worker control",
        Duration::from_secs(30),
        || async {
            js(driver, "return !!navigator.serviceWorker.controller").await == Value::Bool(true)
        },
    )
    .await;
}

/// Unsynced changes as the sync badge counts them, if it is on the screen.
pub async fn pending_changes(driver: &WebDriver) -> Option<String> {
    let el = driver
        .find(By::Css("[data-testid=sync-pending]"))
        .await
        .ok()?;
    el.attr("data-pending").await.ok().flatten()
}

/// Waits until the device has nothing left to sync.
pub async fn wait_synced(driver: &WebDriver, what: &str, timeout: Duration) {
    wait_for(what, timeout, || async {
        pending_changes(driver).await.as_deref() == Some("0")
    })
    .await;
}

/// What axe-core (`tools/node_modules/axe-core`, `scripts/setup.sh
/// --browser`) finds on the page as it is now against WCAG 2.1 A and AA,
/// one line per rule broken: its id, what it asks and where.
pub async fn accessibility_violations(driver: &WebDriver) -> Vec<String> {
    let axe =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe)
        .unwrap_or_else(|_| panic!("{} missing: run scripts/setup.sh --browser", axe.display()));
    driver.execute(&source, Vec::new()).await.unwrap();
    let found = js(
        driver,
        "return axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }) \
         .then((r) => r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`))",
    )
    .await;
    serde_json::from_value(found).unwrap()
}

/// The dialogue open on the page: its id from `?d=`.
pub async fn dialogue_in_url(driver: &WebDriver) -> String {
    let url = driver.current_url().await.unwrap();
    url.query_pairs()
        .find(|(k, _)| k == "d")
        .map(|(_, v)| v.to_string())
        .expect("a dialogue id in the URL")
}

/// How many `h1` the page has.
pub async fn headings_h1(driver: &WebDriver) -> usize {
    driver.find_all(By::Css("h1")).await.unwrap().len()
}
