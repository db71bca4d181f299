//! The app's state: the logged-in user and their workspace on this device
//! (`shared::sync::device::Workspace`: dialogues, opinions, outbox, cursor,
//! refused changes). Every mutation goes through [`Ctx::mutate`], which
//! writes the whole workspace to the device in one step.

use leptos::prelude::*;
use shared::SessionUser;

pub use shared::sync::device::Workspace;

/// [`Ctx::store_blocked`] when another tab of this user is the one writing.
pub const OTHER_TAB: &str = "other-tab";

/// Past this share of the device quota the user is told to sync.
#[cfg(feature = "hydrate")]
const NEARLY_FULL: f64 = 0.8;

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
    /// The last sync found no network: a calm state, not an error.
    pub offline: RwSignal<bool>,
    /// Whether the browser agreed to keep the device store (`None` until
    /// it answers, or on a desktop screen).
    pub persisted: RwSignal<Option<bool>>,
    /// The share of the device store's quota in use, from 0 to 1.
    pub storage_used: RwSignal<f64>,
    /// Why nothing may be written to the device store, if so: another tab
    /// of this user writes ([`OTHER_TAB`]), or the stored workspace could
    /// neither be read nor set aside.
    pub store_blocked: RwSignal<Option<String>>,
    /// Why the last edit of the open form was not taken (a value the server
    /// would refuse), shown next to the form.
    pub form_error: RwSignal<Option<shared::DomainError>>,
}

impl Ctx {
    pub fn provide() -> Self {
        let ctx = Self {
            session: RwSignal::new(None),
            workspace: RwSignal::new(Workspace::default()),
            save: RwSignal::new(SaveState::Idle),
            ready: RwSignal::new(false),
            syncing: RwSignal::new(false),
            offline: RwSignal::new(false),
            persisted: RwSignal::new(None),
            storage_used: RwSignal::new(0.0),
            store_blocked: RwSignal::new(None),
            form_error: RwSignal::new(None),
        };
        provide_context(ctx);
        ctx
    }

    /// Applies `change` to the workspace and writes it to the device at once.
    pub fn mutate(&self, change: impl FnOnce(&mut Workspace)) {
        self.workspace.update(change);
        self.persist();
    }

    /// How long finalised, synced minutes stay on this tablet.
    pub fn keep_finalised_ms(&self) -> i64 {
        let days = self.session.with_untracked(|s| {
            s.as_ref()
                .map_or(shared::user::KEEP_FINALISED_DAYS, |u| u.keep_finalised_days)
        });
        i64::from(days) * 24 * 3600 * 1000
    }

    /// Stores a new state of a record and queues it, or says why not.
    pub fn put(&self, ws: &mut Workspace, entity: shared::sync::Entity) {
        self.form_error.set(ws.put(entity, now_ms()).err());
    }

    pub fn persist(&self) {
        #[cfg(feature = "hydrate")]
        {
            if let Some(reason) = self.store_blocked.get_untracked() {
                self.save.set(SaveState::Failed(reason));
                return;
            }
            let user = self.session.with_untracked(|s| s.as_ref().map(|u| u.id));
            let result = user.map(|user| {
                let mut result = Ok(0.0);
                // Untracked: what was written changes nothing on screen.
                self.workspace.update_untracked(|ws| {
                    result = crate::offline::store::save_workspace(&user, ws);
                });
                result
            });
            if let Some(Ok(used)) = result {
                self.storage_used.set(used);
            }
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
