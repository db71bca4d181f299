//! The first visit on a slow link, as Lighthouse's mobile profile throttles
//! it (150 ms round trip, 1.6 Mbps down, 750 kbps up, the CPU 4× slower),
//! in headless Chromium at 768×1024: the login page on a new tablet, and
//! the capture list right after the first login with nothing of the app
//! cached (the browser cache, Cache Storage and the service worker
//! cleared; the session and the device store kept). Prints, for each, p50
//! and max of 3 runs of:
//! - LCP: the largest contentful paint (`largest-contentful-paint` entry);
//! - ready: when the page answers a tap, i.e. the bundle is instantiated and
//!   hydration has run (a timer set when `WebAssembly.instantiate*` resolves
//!   fires after the synchronous `hydrate()`).
//!
//! Goals (issue 14): LCP ≤ 2.5 s, ready ≤ 3.5 s.
//! `cargo bench -p tests --bench first_load` (needs the built site and
//! Chromium, as the browser tests do).

#[path = "../tests/browser/mod.rs"]
mod browser;
#[path = "../tests/common/mod.rs"]
mod common;

use browser::*;
use common::*;
use serde_json::json;
use thirtyfour::prelude::*;

const RUNS: usize = 3;

/// Marks `window.__ready` once the bundle is instantiated and hydrated.
const MARK_READY: &str = r#"
for (const name of ['instantiateStreaming', 'instantiate']) {
  const original = WebAssembly[name];
  WebAssembly[name] = function (...args) {
    return original.apply(this, args).then((result) => {
      setTimeout(() => { window.__ready = performance.now(); }, 0);
      return result;
    });
  };
}
"#;

const LCP: &str = r#"
const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => {
  const entries = list.getEntries();
  done(entries[entries.length - 1].startTime);
}).observe({ type: 'largest-contentful-paint', buffered: true });
"#;

async fn throttle(driver: &WebDriver) {
    let cdp = driver.cdp();
    cdp.send_raw("Network.enable", json!({})).await.unwrap();
    cdp.send_raw("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await
        .unwrap();
    cdp.send_raw(
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": 150,
            "downloadThroughput": 1_600_000 / 8,
            "uploadThroughput": 750_000 / 8,
        }),
    )
    .await
    .unwrap();
    cdp.send_raw("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await
        .unwrap();
    cdp.send_raw(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": MARK_READY }),
    )
    .await
    .unwrap();
}

/// Opens `url` throttled and returns (LCP, ready) in ms.
async fn measure(driver: &WebDriver, url: &str) -> (f64, f64) {
    throttle(driver).await;
    driver.goto(url).await.unwrap();
    let ready = eventually(
        "the page ready",
        std::time::Duration::from_secs(60),
        || async { js(driver, "return window.__ready ?? null").await.as_f64() },
    )
    .await;
    let lcp: f64 = driver
        .execute_async(LCP, Vec::new())
        .await
        .unwrap()
        .convert()
        .unwrap();
    (lcp, ready)
}

fn report(page: &str, mut runs: Vec<(f64, f64)>) {
    let p50_max = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        (values[values.len() / 2], values[values.len() - 1])
    };
    let mut lcp: Vec<f64> = runs.iter().map(|r| r.0).collect();
    let mut ready: Vec<f64> = runs.drain(..).map(|r| r.1).collect();
    let (lcp50, lcp_max) = p50_max(&mut lcp);
    let (ready50, ready_max) = p50_max(&mut ready);
    println!(
        "first load, {page}: LCP p50 {lcp50:.0} ms, max {lcp_max:.0} ms; ready p50 {ready50:.0} ms, max {ready_max:.0} ms ({RUNS} runs)"
    );
}

#[tokio::main]
async fn main() {
    let (field, server) = Field::start(&[("thuky", "secretary", HOAN_KIEM)]).await;
    let base = field.base.clone();
    let mut login = Vec::new();
    let mut capture = Vec::new();
    for _ in 0..RUNS {
        let driver = field.another_device().await;
        login.push(measure(&driver, &format!("{base}/login")).await);
        driver.quit().await.unwrap();

        let driver = field.another_device().await;
        log_in(&driver, &base, "thuky").await;
        wait_for_service_worker(&driver).await;
        // Nothing of the app cached (the page that the worker controls
        // left first); the session and the store stay.
        driver.goto("about:blank").await.unwrap();
        driver
            .cdp()
            .send_raw(
                "Storage.clearDataForOrigin",
                json!({ "origin": base, "storageTypes": "cache_storage,service_workers" }),
            )
            .await
            .unwrap();
        driver
            .cdp()
            .send_raw("Network.clearBrowserCache", json!({}))
            .await
            .unwrap();
        capture.push(measure(&driver, &format!("{base}/capture")).await);
        by_testid(&driver, "new-dialogue").await;
        driver.quit().await.unwrap();
    }
    report("/login on a new tablet", login);
    report("/capture after the first login, nothing cached", capture);
    server.kill();
}
