//! The sync loop: pull what changed, then push the outbox in batches and
//! take in the server's verdicts (`shared::sync::device` decides what they
//! do). It runs every few seconds while there is something to send, when
//! the browser says it is back online, and when the user presses "Sync now".

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::sync::{Change, PullResponse, PushResponse, MAX_BATCH_CHANGES, MAX_PUSH_BYTES};
use shared::DeviceId;
use std::time::Duration;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::i18n::use_lang;
use crate::state::{now_ms, Ctx};

/// How often the loop looks for work.
const TICK: Duration = Duration::from_secs(3);
/// How often it pulls when there is nothing to push.
const PULL_EVERY_MS: i64 = 60_000;
/// A push body stays at half the server's limit: the changes' own JSON is
/// measured, and the batch adds a little around it.
const PUSH_BYTES: usize = MAX_PUSH_BYTES / 2;

fn json_len(change: &Change) -> usize {
    serde_json::to_string(change).map_or(0, |text| text.len())
}

/// Starts the background loop once per page load.
pub fn start(ctx: Ctx) {
    let lang = use_lang();
    // Sync at once when the browser says the network is back.
    if let Some(window) = web_sys::window() {
        let on_online = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            spawn_local(sync_once(ctx, lang.get_untracked()))
        });
        let _ =
            window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        // Lives as long as the page.
        on_online.forget();
    }
    spawn_local(async move {
        let mut last_pull = 0;
        loop {
            let pending = ctx.workspace.with_untracked(|ws| !ws.outbox.is_empty());
            if ctx.session.with_untracked(Option::is_some)
                && (pending || now_ms() - last_pull > PULL_EVERY_MS)
            {
                sync_once(ctx, lang.get_untracked()).await;
                last_pull = now_ms();
            }
            gloo_timers_sleep(TICK).await;
        }
    });
}

async fn gloo_timers_sleep(d: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                d.as_millis() as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// One full round: pull what changed, then push everything queued. Never
/// runs twice at once, nor in a tab that may not write the device store.
pub async fn sync_once(ctx: Ctx, lang: shared::Lang) {
    // A tab that may not write the store leaves syncing to the one that may.
    if ctx.syncing.get_untracked() || ctx.store_blocked.with_untracked(Option::is_some) {
        return;
    }
    ctx.syncing.set(true);
    // Answers are applied only to the workspace they were asked for: on a
    // shared tablet another user may have logged in meanwhile.
    let device = ctx.workspace.with_untracked(|ws| ws.outbox.device_id);
    let result = round(ctx, lang, device).await;
    ctx.offline.set(matches!(result, Err(ApiError::Network)));
    let status = match &result {
        // Offline: the badge says so calmly; it is no error.
        Ok(()) | Err(ApiError::Network) => None,
        // The session ended on the server: keep the data, ask for a login.
        Err(ApiError::Server { status: 401, .. }) => Some(match lang {
            shared::Lang::En => "Log in again to sync".into(),
            shared::Lang::Vi => "Hãy đăng nhập lại để đồng bộ".into(),
        }),
        Err(e) => Some(e.message(lang)),
    };
    let keep_ms = ctx.keep_finalised_ms();
    ctx.mutate(|ws| {
        if ws.outbox.device_id == device {
            if result.is_ok() {
                ws.last_sync_at = Some(now_ms());
                // Synced minutes finalised long enough ago leave the tablet.
                ws.prune(now_ms(), keep_ms);
            }
            ws.last_error = status;
        }
    });
    ctx.syncing.set(false);
}

async fn round(ctx: Ctx, lang: shared::Lang, device: DeviceId) -> Result<(), ApiError> {
    let still_ours = move |ws: &crate::state::Workspace| ws.outbox.device_id == device;
    // Pull first: besides fetching others' changes, it proves the server
    // answers before any change is marked as sent. A sent change is never
    // folded into again, so marking changes on every failed attempt would
    // grow the outbox by one entry per edited record every few seconds
    // behind a network that is up but leads nowhere.
    loop {
        let since = ctx.workspace.with_untracked(|ws| ws.cursor);
        let page: PullResponse = api::get(
            &format!("/api/sync/pull?since={since}&device={device}"),
            lang,
        )
        .await?;
        let more = page.has_more;
        let mut ours = false;
        ctx.mutate(|ws| {
            ours = still_ours(ws);
            if ours {
                ws.merge(page)
            }
        });
        if !ours {
            // Another user's workspace now: this round is over.
            return Ok(());
        }
        if !more {
            break;
        }
    }
    loop {
        // Mark the batch as sent and store that before it leaves the device,
        // so nothing in flight is ever rewritten.
        let mut batch = None;
        ctx.mutate(|ws| {
            if still_ours(ws) && !ws.outbox.is_empty() {
                batch = Some(ws.take_batch(MAX_BATCH_CHANGES, PUSH_BYTES, json_len));
            }
        });
        let Some(batch) = batch else { return Ok(()) };
        let answer: PushResponse = api::post_gzip("/api/sync/push", &batch, lang).await?;
        // Every change gets its verdict: a refused one is shown until the
        // user dismisses it, and the ones after it go on.
        ctx.mutate(|ws| {
            if still_ours(ws) {
                ws.take_verdicts(answer, now_ms())
            }
        });
    }
}
