//! Browser-only: the device store, the sync loop, the one writing tab and
//! the service worker.

pub mod store;
pub mod sync;
pub mod writer;

/// Registers the service worker and asks the browser not to evict our data.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
    if let Ok(storage) = js_sys::Reflect::get(&navigator, &"storage".into()) {
        if !storage.is_undefined() {
            let _ = navigator.storage().persist();
        }
    }
}
