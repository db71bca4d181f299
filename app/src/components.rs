//! Small pieces shared by pages: the top bar, the language switch, the sync
//! badge and the save indicator.

use leptos::prelude::*;
use shared::{spoken, Lang};

use crate::i18n::{set_lang, t, use_lang, T};
use crate::state::{format_time, now_ms, use_ctx, SaveState};

#[component]
pub fn TopBar() -> impl IntoView {
    let ctx = use_ctx();
    let user_name = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .map(|u| u.display_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <header class="topbar">
            <a href="/" class="brand">{t(T::AppName)}</a>
            <span class="who" data-testid="who">{user_name}</span>
            <LangSwitch />
        </header>
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            class="lang"
            type="button"
            data-testid="lang-switch"
            on:click=move |_| set_lang(if lang.get() == Lang::Vi { Lang::En } else { Lang::Vi })
        >
            {move || if lang.get() == Lang::Vi { "English" } else { "Tiếng Việt" }}
        </button>
    }
}

/// Saved-on-device state, shown next to what the user types.
#[component]
pub fn SaveIndicator() -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    move || {
        match ctx.save.get() {
        SaveState::Idle => view! { <span class="saved" data-testid="save-state"></span> }.into_any(),
        SaveState::Saved => view! { <span class="saved ok" data-testid="save-state">"✓ " {T::SavedLocally.get(lang.get())}</span> }.into_any(),
        // One view for both warnings: each view costs the tablet's bundle.
        warning => {
            let text = match warning {
                SaveState::Failed(reason) => blocked_text(&reason, lang.get()),
                _ => T::StorageNearlyFull.get(lang.get()).to_owned(),
            };
            view! { <span class="saved failed" role="alert" data-testid="save-state">{text}</span> }.into_any()
        }
    }
    }
}

/// What is not synced yet, since when, the last sync and the last error.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let pending = move || ctx.workspace.with(|ws| ws.outbox.len());
    let oldest = move || ctx.workspace.with(|ws| ws.outbox.oldest_change_at());
    let last = move || ctx.workspace.with(|ws| ws.last_sync_at);
    let error = move || ctx.workspace.with(|ws| ws.last_error.clone());
    let kept = move || ctx.workspace.with(|ws| ws.kept.len());
    let sync_now = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(crate::offline::sync::sync_once(ctx, lang.get_untracked()));
    };
    view! {
        <section class="sync" aria-live="polite" data-testid="sync-badge">
            <span data-testid="sync-pending" data-pending=move || pending().to_string()>
                {move || {
                    let l = lang.get();
                    if pending() == 0 {
                        return T::Synced.get(l).to_owned();
                    }
                    let (minutes, opinions) = ctx.workspace.with(|ws| ws.outbox.unsent_records());
                    let age = oldest().map(|at| spoken::ago(now_ms() - at, l)).unwrap_or_default();
                    format!("{} ({} {age})", spoken::unsent(minutes, opinions, l), T::OldestChange.get(l))
                }}
            </span>
            // Offline is the field's normal state, not an error.
            {move || ctx.offline.get().then(|| view! { <span class="offline" data-testid="offline">{t(T::Offline)}</span> })}
            {move || ctx.persisted.get().map(|kept| {
                let l = lang.get();
                let mut text = format!("{}: {}%, ", T::StorageUsed.get(l), (ctx.storage_used.get() * 100.0).ceil() as u32);
                text += if kept { T::StorageKept } else { T::StorageMayGo }.get(l);
                #[cfg(feature = "hydrate")]
                if crate::offline::clears_after_a_week() {
                    text = format!("{text}. {}", T::ClearedAfterAWeek.get(l));
                }
                view! { <span class="note" data-testid="storage">{text}</span> }
            })}
            <span>
                {move || format!("{}: {}", T::LastSync.get(lang.get()), last().map(format_time).unwrap_or_else(|| T::Never.get(lang.get()).into()))}
            </span>
            {move || error().map(|e| view! { <span class="error" data-testid="sync-error">{format!("{}: {e}", T::LastError.get(lang.get()))}</span> })}
            {move || ctx.store_blocked.get().map(|reason| view! { <span class="error" role="alert" data-testid="store-blocked">{blocked_text(&reason, lang.get())}</span> })}
            {move || (kept() > 0).then(|| view! { <span class="error" role="alert" data-testid="kept-aside">{format!("{} ({})", T::KeptAside.get(lang.get()), kept())}</span> })}
            <RefusedChanges />
            <button type="button" class="secondary" data-testid="sync-now" on:click=sync_now disabled=move || ctx.syncing.get() || ctx.store_blocked.with(Option::is_some)>
                {t(T::SyncNow)}
            </button>
        </section>
    }
}

/// Changes the server refused, each with its record, its reason and its
/// text (selectable, so it can be copied and typed again), until the user
/// dismisses it. Nothing refused disappears unseen.
#[component]
fn RefusedChanges() -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let refused = move || ctx.workspace.with(|ws| ws.refused.clone());
    move || {
        let l = lang.get();
        refused()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let (what, text) = describe(&r.entity);
                view! {
                    <div class="refused" role="alert" data-testid="refused">
                        <p>{format!("{} {}: {}", T::Refused.get(l), what.get(l), r.reason.message(l))}</p>
                        <pre data-testid="refused-text">{text}</pre>
                        <button type="button" class="secondary" data-testid="dismiss-refused"
                            on:click=move |_| ctx.mutate(|ws| ws.dismiss_refused(i))>{T::Dismiss.get(l)}</button>
                    </div>
                }
            })
            .collect_view()
    }
}

/// Which kind of record a refused change is, and its text, one field a line.
fn describe(entity: &shared::sync::Entity) -> (T, String) {
    use shared::sync::Entity;
    let (what, fields) = match entity {
        Entity::Dialogue(d) => (
            T::MinutesOf,
            [&d.topic, &d.venue, &d.planned_at, &d.conclusion],
        ),
        Entity::Opinion(o) => (
            T::OpinionOf,
            [&o.speaker_name, &o.speaker_address, &o.content, &o.answer],
        ),
    };
    let mut text = String::new();
    for field in fields.into_iter().filter(|f| !f.is_empty()) {
        text.push_str(field);
        text.push('\n');
    }
    (what, text)
}

/// Why a write to the device store failed or may not happen, for people.
fn blocked_text(reason: &str, lang: Lang) -> String {
    match reason {
        "quota" => T::StorageFull.get(lang).to_owned(),
        crate::state::OTHER_TAB => T::OpenInOtherTab.get(lang).to_owned(),
        _ => format!("{}: {reason}", T::SaveFailed.get(lang)),
    }
}
