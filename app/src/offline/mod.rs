//! Browser-only: the device store, the sync loop, the one writing tab and
//! the service worker.

#[cfg(not(feature = "field-bundle"))]
pub mod files;
pub mod store;
pub mod sync;
pub mod writer;

/// A browser exception by its name (`QuotaExceededError`, `NotAllowedError`),
/// or its text when it is not an error object.
pub fn exception_name(e: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// Registers the service worker.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
}

/// Asks the browser not to evict the device store, and puts its answer in
/// `ctx.persisted` for the sync panel to say.
pub fn keep_storage(ctx: crate::state::Ctx) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let has_storage = js_sys::Reflect::get(&navigator, &"storage".into())
        .is_ok_and(|storage| !storage.is_undefined());
    let Some(asked) = has_storage
        .then(|| navigator.storage().persist().ok())
        .flatten()
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        let granted = wasm_bindgen_futures::JsFuture::from(asked)
            .await
            .is_ok_and(|answer| answer.is_truthy());
        leptos::prelude::Set::set(&ctx.persisted, Some(granted));
    });
}

/// Safari (every browser on an iPad is): data of a site not opened for 7
/// days may be cleared, whatever `persist()` said.
pub fn clears_after_a_week() -> bool {
    let agent = web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default();
    agent.contains("AppleWebKit") && !agent.contains("Chrome") && !agent.contains("Android")
}
