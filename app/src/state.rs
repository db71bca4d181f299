//! The app's state: the logged-in user and their workspace on this device
//! (dialogues, opinions, outbox, sync cursor). Every mutation goes through
//! [`Ctx::mutate`], which records the change in the outbox and writes the
//! whole workspace to the device in one step.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::sync::{Entity, EntityKey, EntityKind, Outbox, PullResponse};
use shared::{Dialogue, DialogueId, Opinion, OpinionId, SessionUser};
use std::collections::BTreeMap;

/// Bumped when the stored shape changes; `offline::store` migrates older ones.
pub const WORKSPACE_SCHEMA: u32 = 1;

/// A record with the server version it was last seen at (0: never synced).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Local<T> {
    pub item: T,
    pub version: i64,
}

/// One user's data on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub schema: u32,
    pub dialogues: BTreeMap<String, Local<Dialogue>>,
    pub opinions: BTreeMap<String, Local<Opinion>>,
    pub outbox: Outbox,
    /// The pull cursor: the highest server version seen.
    pub cursor: i64,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    /// Device keys holding stored workspaces this version could not read,
    /// set aside whole instead of being overwritten.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
}

impl Default for Workspace {
    fn default() -> Self {
        Self {
            schema: WORKSPACE_SCHEMA,
            dialogues: BTreeMap::new(),
            opinions: BTreeMap::new(),
            outbox: Outbox::default(),
            cursor: 0,
            last_sync_at: None,
            last_error: None,
            kept: Vec::new(),
        }
    }
}

impl Workspace {
    /// Stores a new state of a record locally and queues it for sync.
    pub fn put(&mut self, entity: Entity, now: i64) {
        let base = match &entity {
            Entity::Dialogue(d) => {
                let slot = self.dialogues.entry(d.id.to_string()).or_insert(Local {
                    item: d.clone(),
                    version: 0,
                });
                slot.item = d.clone();
                slot.version
            }
            Entity::Opinion(o) => {
                let slot = self.opinions.entry(o.id.to_string()).or_insert(Local {
                    item: o.clone(),
                    version: 0,
                });
                slot.item = o.clone();
                slot.version
            }
        };
        self.outbox.record(entity, base, now);
    }

    pub fn dialogue(&self, id: &DialogueId) -> Option<&Dialogue> {
        self.dialogues.get(&id.to_string()).map(|l| &l.item)
    }

    pub fn opinion(&self, id: &OpinionId) -> Option<&Opinion> {
        self.opinions.get(&id.to_string()).map(|l| &l.item)
    }

    /// The dialogue's opinions in minutes order, removed ones included.
    pub fn opinions_of(&self, id: &DialogueId) -> Vec<Opinion> {
        let mut list: Vec<Opinion> = self
            .opinions
            .values()
            .filter(|l| &l.item.dialogue_id == id)
            .map(|l| l.item.clone())
            .collect();
        list.sort_by_key(|o| (o.position, o.id));
        list
    }

    /// The highest server version this device has taken in for the
    /// dialogue or its opinions: it moves only when a change made elsewhere
    /// arrives (a device is not sent back its own records).
    pub fn seen_version(&self, id: &DialogueId) -> i64 {
        let dialogue = self.dialogues.get(&id.to_string()).map_or(0, |l| l.version);
        self.opinions
            .values()
            .filter(|l| &l.item.dialogue_id == id)
            .map(|l| l.version)
            .fold(dialogue, i64::max)
    }

    /// Takes in a pulled page. A record with local changes not yet pushed
    /// keeps the local state: the push will reach the server and, if another
    /// device changed it meanwhile, be kept there as a concurrent revision.
    pub fn merge(&mut self, page: PullResponse) {
        take_in(
            &mut self.dialogues,
            &self.outbox,
            EntityKind::Dialogue,
            page.dialogues,
            |d| d.id.to_string(),
        );
        take_in(
            &mut self.opinions,
            &self.outbox,
            EntityKind::Opinion,
            page.opinions,
            |o| o.id.to_string(),
        );
        self.cursor = self.cursor.max(page.cursor);
    }
}

/// [`Ctx::store_blocked`] when another tab of this user is the one writing.
pub const OTHER_TAB: &str = "other-tab";

/// Past this share of the device quota the user is told to sync.
#[cfg(feature = "hydrate")]
const NEARLY_FULL: f64 = 0.8;

/// Stores pulled records of one kind, except those with changes still queued.
fn take_in<T>(
    records: &mut BTreeMap<String, Local<T>>,
    outbox: &Outbox,
    kind: EntityKind,
    pulled: Vec<shared::sync::Versioned<T>>,
    id_of: fn(&T) -> String,
) {
    for v in pulled {
        let key = EntityKey {
            kind,
            id: id_of(&v.item),
        };
        if !outbox.has_pending(&key) {
            records.insert(
                key.id,
                Local {
                    item: v.item,
                    version: v.version,
                },
            );
        }
    }
}

/// Whether the last write to the device worked.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Idle,
    Saved,
    /// Saved, but the device store is over 80 % full.
    NearlyFull,
    Failed(String),
}

/// Everything pages share, provided once by the app.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub session: RwSignal<Option<SessionUser>>,
    pub workspace: RwSignal<Workspace>,
    pub save: RwSignal<SaveState>,
    /// Set after hydration, once the device's store has been read.
    pub ready: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    /// Why nothing may be written to the device store, if so: another tab
    /// of this user writes ([`OTHER_TAB`]), or the stored workspace could
    /// neither be read nor set aside.
    pub store_blocked: RwSignal<Option<String>>,
}

impl Ctx {
    pub fn provide() -> Self {
        let ctx = Self {
            session: RwSignal::new(None),
            workspace: RwSignal::new(Workspace::default()),
            save: RwSignal::new(SaveState::Idle),
            ready: RwSignal::new(false),
            syncing: RwSignal::new(false),
            store_blocked: RwSignal::new(None),
        };
        provide_context(ctx);
        ctx
    }

    /// Applies `change` to the workspace and writes it to the device at once.
    pub fn mutate(&self, change: impl FnOnce(&mut Workspace)) {
        self.workspace.update(change);
        self.persist();
    }

    pub fn persist(&self) {
        #[cfg(feature = "hydrate")]
        {
            if let Some(reason) = self.store_blocked.get_untracked() {
                self.save.set(SaveState::Failed(reason));
                return;
            }
            let result = self.session.with_untracked(|s| {
                s.as_ref().map(|user| {
                    self.workspace
                        .with_untracked(|ws| crate::offline::store::save_workspace(&user.id, ws))
                })
            });
            match result {
                Some(Err(message)) => self.save.set(SaveState::Failed(message)),
                Some(Ok(used)) if used > NEARLY_FULL => self.save.set(SaveState::NearlyFull),
                Some(Ok(_)) => self.save.set(SaveState::Saved),
                None => {}
            }
        }
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// Unix milliseconds by the device's clock.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

/// A time for people, in the device's time zone.
pub fn format_time(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        String::from(date.to_locale_string("vi-VN", &wasm_bindgen::JsValue::UNDEFINED))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        ms.to_string()
    }
}
