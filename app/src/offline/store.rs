//! The device store: localStorage through gloo-storage, laid out as
//! `shared::sync::stored` says: one index key per user
//! (`doithoai:workspace:<user>`) and one key per dialogue
//! (`doithoai:workspace:<user>:<dialogue>`). A keystroke rewrites its
//! dialogue's key and the small index, never the whole workspace. Each key is
//! written in one `setItem`, documents before the index, so a crash leaves a
//! state the layout reads back whole. A full quota is reported, never
//! swallowed. Stored text this version cannot read (written by a newer
//! version, say, before a rollback) is set aside whole, never overwritten.

use gloo_storage::{LocalStorage, Storage};
use shared::sync::stored::{read_index, read_part, ReadIndex};
use shared::{SessionUser, UserId};
use std::cell::RefCell;

use crate::state::Workspace;

const SESSION_KEY: &str = "doithoai:session";

fn index_key(user: &UserId) -> String {
    format!("doithoai:workspace:{user}")
}

fn document_key(user: &UserId, dialogue: &str) -> String {
    format!("doithoai:workspace:{user}:{dialogue}")
}

pub fn load_session() -> Option<SessionUser> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(user: &SessionUser) -> Result<(), String> {
    let text = serde_json::to_string(user).map_err(|e| e.to_string())?;
    set(SESSION_KEY, &text)
}

/// Forgets who is logged in. The user's workspace stays (unsynced work is
/// never lost) but is not shown to whoever logs in next.
pub fn clear_session() {
    LocalStorage::delete(SESSION_KEY);
}

fn get(key: &str) -> Result<Option<String>, String> {
    LocalStorage::raw().get_item(key).map_err(js_error)
}

fn set(key: &str, text: &str) -> Result<(), String> {
    LocalStorage::raw().set_item(key, text).map_err(js_error)
}

/// Every stored dialogue document of the user: key and text.
fn documents(user: &UserId) -> Vec<(String, String)> {
    let prefix = document_key(user, "");
    let storage = LocalStorage::raw();
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .filter_map(|key| Some((key.clone(), storage.get_item(&key).ok()??)))
        .collect()
}

/// Reads the user's workspace for showing only, in a tab that may not
/// write: text it cannot read shows as empty and is left as it is.
pub fn peek_workspace(user: &UserId) -> Workspace {
    let parts = || {
        documents(user)
            .iter()
            .filter_map(|(_, text)| read_part(text))
            .collect()
    };
    match get(&index_key(user)).ok().flatten().map(|t| read_index(&t)) {
        Some(ReadIndex::Index(index)) => Workspace::from_parts(index, parts()),
        Some(ReadIndex::Whole(ws)) => ws,
        Some(ReadIndex::Unreadable) => Workspace::default(),
        None => Workspace::from_parts(Workspace::default(), parts()),
    }
}

/// Reads the user's workspace. Text this version cannot read is first
/// copied whole to a key of its own (listed in [`Workspace::kept`], so the
/// user is told) and only then left behind. A workspace the first version
/// stored as one text is laid out afresh. If a copy cannot be written, or
/// the store cannot be read at all, the error comes back and nothing may be
/// written for this user.
pub fn load_workspace(user: &UserId) -> Result<Workspace, String> {
    let mut kept = Vec::new();
    let mut set_aside = |key: &str, text: &str| -> Result<(), String> {
        let copy = format!(
            "doithoai:kept:{user}:{}",
            js_sys::Date::now() as i64 + kept.len() as i64
        );
        set(&copy, text)?;
        LocalStorage::delete(key);
        kept.push(copy);
        Ok(())
    };
    let index_text = get(&index_key(user))?;
    SIZES.with(|s| s.borrow_mut().clear());
    let mut relayout = false;
    let mut ws = match index_text.as_deref().map(read_index) {
        Some(ReadIndex::Whole(ws)) => {
            relayout = true;
            ws
        }
        Some(ReadIndex::Unreadable) => {
            for (key, text) in documents(user) {
                set_aside(&key, &text)?;
            }
            set_aside(&index_key(user), index_text.as_deref().unwrap_or_default())?;
            Workspace::default()
        }
        // The index, or none yet: the very first write may have stopped
        // between a dialogue's part and the index, and the part is kept.
        index => {
            let mut parts = Vec::new();
            for (key, text) in documents(user) {
                match read_part(&text) {
                    Some(part) => {
                        remember_size(key, &text);
                        parts.push(part);
                    }
                    None => set_aside(&key, &text)?,
                }
            }
            if let Some(text) = &index_text {
                remember_size(index_key(user), text);
            }
            let index = match index {
                Some(ReadIndex::Index(index)) => index,
                _ => Workspace::default(),
            };
            Workspace::from_parts(index, parts)
        }
    };
    if relayout || !kept.is_empty() {
        ws.kept.extend(kept);
        // Written now, so a reload does not set the same text aside again,
        // and a first-version workspace is laid out once.
        save_workspace(user, &mut ws)?;
    }
    Ok(ws)
}

/// localStorage holds about 5 million UTF-16 units per origin in Chrome.
const QUOTA_UNITS: usize = 5_000_000;

thread_local! {
    /// The length of each of the user's stored texts, so the share of the
    /// quota in use is known without reading them all on every keystroke.
    static SIZES: RefCell<Vec<(String, usize)>> = const { RefCell::new(Vec::new()) };
}

/// A stored text's size as it is read at load; writes update it after.
fn remember_size(key: String, text: &str) {
    SIZES.with(|s| s.borrow_mut().push((key, units(text))));
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Writes what changed: the touched dialogues' documents (removing those
/// with nothing left), then the index. Returns the share of the quota in
/// use, so the user is warned long before a write fails.
pub fn save_workspace(user: &UserId, ws: &mut Workspace) -> Result<f64, String> {
    let mut written = Vec::new();
    for id in ws.take_touched() {
        let key = document_key(user, &id);
        let part = ws.part(&id);
        if part.is_empty_part() {
            LocalStorage::delete(&key);
            written.push((key, 0));
        } else {
            let text = serde_json::to_string(&part).map_err(|e| e.to_string())?;
            set(&key, &text)?;
            written.push((key, units(&text)));
        }
    }
    let index = serde_json::to_string(&ws.index()).map_err(|e| e.to_string())?;
    set(&index_key(user), &index)?;
    written.push((index_key(user), units(&index)));
    let used = SIZES.with(|s| {
        let mut sizes = s.borrow_mut();
        for (key, size) in written {
            match sizes.iter_mut().find(|(k, _)| *k == key) {
                Some(known) => known.1 = size,
                None => sizes.push((key, size)),
            }
        }
        sizes.iter().map(|(_, size)| size).sum::<usize>()
    });
    Ok(used as f64 / QUOTA_UNITS as f64)
}

/// A storage exception by its name; a full quota reads "quota".
fn js_error(e: wasm_bindgen::JsValue) -> String {
    let name = super::exception_name(&e);
    if name == "QuotaExceededError" {
        "quota".to_owned()
    } else {
        name
    }
}
