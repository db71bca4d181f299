//! The device store: localStorage through gloo-storage. Each user's whole
//! workspace is one key written in one `setItem`, so a crash leaves either
//! the old or the new state, never half of one. A full quota is reported,
//! never swallowed. Stored text this version cannot read (written by a newer
//! version, say, before a rollback) is set aside whole, never overwritten.

use gloo_storage::{LocalStorage, Storage};
use shared::{SessionUser, UserId};

use crate::state::{Workspace, WORKSPACE_SCHEMA};

const SESSION_KEY: &str = "doithoai:session";

fn workspace_key(user: &UserId) -> String {
    format!("doithoai:workspace:{user}")
}

pub fn load_session() -> Option<SessionUser> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(user: &SessionUser) -> Result<(), String> {
    let text = serde_json::to_string(user).map_err(|e| e.to_string())?;
    LocalStorage::raw()
        .set_item(SESSION_KEY, &text)
        .map_err(js_error)
}

/// Forgets who is logged in. The user's workspace stays (unsynced work is
/// never lost) but is not shown to whoever logs in next.
pub fn clear_session() {
    LocalStorage::delete(SESSION_KEY);
}

/// Reads the user's workspace for showing only, in a tab that may not
/// write: text it cannot read shows as empty and is left as it is.
pub fn peek_workspace(user: &UserId) -> Workspace {
    let text = stored_text(user).ok().flatten();
    text.and_then(|text| migrate(&text)).unwrap_or_default()
}

fn stored_text(user: &UserId) -> Result<Option<String>, String> {
    LocalStorage::raw()
        .get_item(&workspace_key(user))
        .map_err(js_error)
}

/// Reads the user's workspace. Text this version cannot read is first
/// copied whole to a key of its own (listed in [`Workspace::kept`], so the
/// user is told) and only then replaced by an empty workspace. If that copy
/// cannot be written, or the store cannot be read at all, the error comes
/// back and nothing may be written for this user.
pub fn load_workspace(user: &UserId) -> Result<Workspace, String> {
    let Some(text) = stored_text(user)? else {
        return Ok(Workspace::default());
    };
    if let Some(ws) = migrate(&text) {
        return Ok(ws);
    }
    let kept = format!("doithoai:kept:{user}:{}", js_sys::Date::now() as i64);
    LocalStorage::raw()
        .set_item(&kept, &text)
        .map_err(js_error)?;
    let fresh = Workspace {
        kept: vec![kept],
        ..Workspace::default()
    };
    // Written now, so that a reload does not set the same text aside again.
    save_workspace(user, &fresh)?;
    Ok(fresh)
}

/// Only the schema number, read first to pick the right parser.
#[derive(serde::Deserialize)]
struct Schema {
    schema: u32,
}

/// Brings an older stored shape up to the current schema. Parsing goes
/// straight from text to the type (no `serde_json::Value` in between), which
/// keeps the wasm small.
fn migrate(text: &str) -> Option<Workspace> {
    match serde_json::from_str::<Schema>(text).ok()?.schema {
        WORKSPACE_SCHEMA => serde_json::from_str(text).ok(),
        // No older schema has shipped; a future one adds its step here.
        _ => None,
    }
}

/// localStorage holds about 5 million UTF-16 units per origin in Chrome.
const QUOTA_UNITS: usize = 5_000_000;

/// Writes the workspace; returns the share of the quota it now uses, so the
/// user is warned long before a write fails.
pub fn save_workspace(user: &UserId, ws: &Workspace) -> Result<f64, String> {
    let text = serde_json::to_string(ws).map_err(|e| e.to_string())?;
    LocalStorage::raw()
        .set_item(&workspace_key(user), &text)
        .map_err(js_error)?;
    Ok(text.encode_utf16().count() as f64 / QUOTA_UNITS as f64)
}

/// A storage exception by its name; a full quota reads "quota".
fn js_error(e: wasm_bindgen::JsValue) -> String {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        "quota".to_owned()
    } else {
        name
    }
}
