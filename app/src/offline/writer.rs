//! One writer per user per browser. Every tab holds the whole workspace in
//! memory and writes it whole, so two tabs writing would each overwrite the
//! other's changes (a stale tab's sync status write would erase minutes typed
//! in the other). The Web Locks API picks one tab: it holds the lock until it
//! closes. Any other tab of the same user shows the data read-only, and
//! reloads as the writer once the lock is free.

use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use shared::UserId;

/// Asks to be this user's writing tab, then calls `then(true)` once this tab
/// holds the lock for good, or `then(false)` if another tab holds it. Where
/// the browser has no Web Locks (not a secure context), the tab writes.
pub fn claim(user: &UserId, then: impl FnOnce(bool) + 'static) {
    let name = JsValue::from(format!("doithoai:writer:{user}"));
    let Some((locks, request)) = lock_manager() else {
        then(true);
        return;
    };
    let then: Answer = Rc::new(Cell::new(Some(Box::new(then))));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let (on_lock, retry_name) = (then.clone(), name.clone());
    let on_answer = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            answer(&on_lock, false);
            wait_then_reload(&retry_name);
            JsValue::UNDEFINED
        } else {
            answer(&on_lock, true);
            // A promise that never settles: the lock is held until the tab
            // closes.
            js_sys::Promise::new(&mut |_, _| {}).into()
        }
    });
    // Asking can fail (an opaque origin, say): then no tab can hold the
    // lock, and this one writes as it would without Web Locks.
    let failed = then.clone();
    let on_failure = Closure::once(move |_: JsValue| answer(&failed, true));
    match request.call3(&locks, &name, &options, &on_answer) {
        Ok(promise) => {
            if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                let _ = promise.catch(&on_failure);
            }
            // Lives until the request settles, which may be never.
            on_failure.forget();
        }
        Err(_) => answer(&then, true),
    }
}

/// The caller's continuation, called once: by the lock's answer, or by the
/// fallback if asking failed.
type Answer = Rc<Cell<Option<Box<dyn FnOnce(bool)>>>>;

fn answer(then: &Answer, writes: bool) {
    if let Some(then) = then.take() {
        then(writes);
    }
}

/// Queues for the lock; when the writing tab closes, this one reloads and
/// claims it, reading the workspace afresh rather than trusting its copy.
fn wait_then_reload(name: &JsValue) {
    let Some((locks, request)) = lock_manager() else {
        return;
    };
    let on_free = Closure::once_into_js(move |_lock: JsValue| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    let _ = request.call2(&locks, name, &on_free);
}

fn lock_manager() -> Option<(JsValue, js_sys::Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() {
        return None;
    }
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((locks, request))
}
