//! What one keystroke costs on a tablet holding a lot: in headless Chromium
//! with the real field bundle, offline, the device store holds 30 dialogues
//! of 10 opinions and one of 60 opinions with three hours of text; the
//! secretary types into an opinion of the big one. Each keystroke is an
//! `input` event dispatched from the page; its time is how long the page's
//! handlers (the app's, storing included) take to run, measured around
//! `dispatchEvent`. The store is seeded in the first version's layout, so the
//! same bench runs on code before and after the store split.
//!
//! `cargo bench -p tests --bench keystroke` (needs the built site and
//! Chromium, as the browser tests do).

#[path = "../tests/browser/mod.rs"]
mod browser;
#[path = "../tests/common/mod.rs"]
mod common;

use browser::*;
use common::*;
use serde_json::{json, Map, Value};
use shared::sync::Outbox;
use shared::{DeviceId, Dialogue, Opinion};

const KEYSTROKES: usize = 300;

fn local<T: serde::Serialize>(item: &T) -> Value {
    json!({ "item": item, "version": 1 })
}

/// A first-version workspace: 30 dialogues of 10 opinions (about 1 KB of
/// text each) and one of 60 opinions of about 2.7 KB each (450 words).
fn seeded_workspace(rng: &mut Rng) -> (Value, Dialogue, usize) {
    let mut dialogues = Map::new();
    let mut opinions = Map::new();
    let mut add = |topic: String, count: usize, words: (usize, usize), rng: &mut Rng| {
        let mut d = dialogue(HOAN_KIEM);
        d.topic = topic;
        dialogues.insert(d.id.to_string(), local(&d));
        for position in 1..=count as i64 {
            let mut o = Opinion::new(d.id, position);
            o.speaker_name = "Ông Nguyễn Văn Đức".into();
            o.speaker_address = "bản Giàng".into();
            o.content = common::words(rng, words.0);
            o.answer = common::words(rng, words.1);
            opinions.insert(o.id.to_string(), local(&o));
        }
        d
    };
    for i in 0..30 {
        add(format!("Đối thoại số {i}"), 10, (700, 300), rng);
    }
    let big = add("Đối thoại ba giờ".into(), 60, (1800, 900), rng);
    let ws = json!({
        "schema": 1,
        "dialogues": dialogues,
        "opinions": opinions,
        "outbox": Outbox::new(DeviceId::new()),
        "cursor": 1,
        "last_sync_at": null,
        "last_error": null,
    });
    let bytes = ws.to_string().len();
    (ws, big, bytes)
}

const TYPE_AND_TIME: &str = r#"
const [count, done] = [arguments[0], arguments[arguments.length - 1]];
const field = document.querySelectorAll('[data-testid=opinion]')[30]
  .querySelector('[data-testid=content]');
const times = [];
(async () => {
  for (let i = 0; i < count; i++) {
    field.value += 'ă';
    const start = performance.now();
    field.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'ă', inputType: 'insertText' }));
    times.push(performance.now() - start);
    // Let the page render and run its effects between keystrokes.
    await new Promise(resolve => setTimeout(resolve, 0));
  }
  done(times);
})();
"#;

#[tokio::main]
async fn main() {
    let (field, server, driver) =
        Field::start_logged_in(&[("thuky", "secretary", HOAN_KIEM)]).await;
    wait_for_service_worker(&driver).await;
    let base = field.base.clone();
    let (ws, big, bytes) = seeded_workspace(&mut Rng(0x2545_F491_4F6C_DD1D));
    replace_device_store(&driver, &base, &[(String::new(), ws.to_string())]).await;
    // Offline, as in the field: the store is all there is.
    server.kill();
    driver
        .goto(format!("{base}/capture/edit?d={}", big.id))
        .await
        .unwrap();
    opinion_field(&driver, 30, "content").await;
    let stored = js(
        &driver,
        "return Object.keys(localStorage).filter(k => k.startsWith('doithoai:workspace:')).length",
    )
    .await;
    let times: Vec<f64> = driver
        .execute_async(TYPE_AND_TIME, vec![json!(KEYSTROKES)])
        .await
        .unwrap()
        .convert()
        .unwrap();
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| sorted[((sorted.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "keystroke: {KEYSTROKES} keystrokes into opinion 31 of 60 (store seeded with {bytes} B of JSON, {stored} keys after load): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    );
    let typed = value_of(&opinion_field(&driver, 30, "content").await).await;
    assert!(
        typed.ends_with(&"ă".repeat(KEYSTROKES)),
        "every keystroke kept"
    );
    driver.quit().await.unwrap();
}
