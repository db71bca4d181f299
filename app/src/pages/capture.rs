//! The secretary's list of dialogues on this device, and "new dialogue".

use leptos::prelude::*;
use shared::sync::Entity;
use shared::Dialogue;

use crate::components::{SyncBadge, TopBar};
use crate::i18n::{labels, t, use_lang, T};
use crate::state::use_ctx;

#[component]
pub fn CapturePage() -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let create = move |_| {
        let Some(unit) = ctx.session.with_untracked(|s| {
            // The user's own unit first; the select on the form changes it.
            s.as_ref().and_then(|u| {
                u.unit_code
                    .clone()
                    .or_else(|| u.units.first().map(|(c, _)| c.clone()))
            })
        }) else {
            return;
        };
        let mut dialogue = Dialogue::new(unit);
        dialogue.secretary_name = ctx.session.with_untracked(|s| {
            s.as_ref()
                .map(|u| u.display_name.clone())
                .unwrap_or_default()
        });
        let id = dialogue.id;
        ctx.mutate(|ws| ctx.put(ws, Entity::Dialogue(dialogue)));
        crate::nav::go(&format!("/capture/edit?d={id}"));
    };
    let rows = move || {
        let mut list: Vec<Dialogue> = ctx
            .workspace
            .with(|ws| ws.dialogues.values().map(|l| l.item.clone()).collect());
        list.sort_by_key(|d| std::cmp::Reverse(d.id));
        list
    };
    view! {
        <TopBar />
        <Show when=move || ctx.ready.get() fallback=move || view! { <p>{t(T::Loading)}</p> }>
            <Show when=move || ctx.session.with(Option::is_some) fallback=move || view! { <p><a href="/login">{t(T::NotLoggedIn)}</a></p> }>
                <SyncBadge />
                <section class="capture-list">
                    <h1>{t(T::Capture)}</h1>
                    <button type="button" class="primary" data-testid="new-dialogue" on:click=create>{t(T::NewDialogue)}</button>
                    <ul class="cards">
                        <For each=rows key=|d| (d.id, d.topic.clone(), d.status) let:d>
                            <li class="card">
                                <a href=format!("/capture/edit?d={}", d.id) data-testid="dialogue-link">
                                    <strong>{if d.topic.is_empty() { "—".to_owned() } else { d.topic.clone() }}</strong>
                                </a>
                                <span>{d.planned_at.replace('T', " ")}</span>
                                <span class="tag">{move || labels::status(d.status, lang.get())}</span>
                            </li>
                        </For>
                    </ul>
                    {move || ctx.workspace.with(|ws| ws.dialogues.is_empty()).then(|| view! { <p>{t(T::NoDialogues)}</p> })}
                    <p class="note" data-testid="pruned-note">{t(T::PrunedNote)}</p>
                </section>
            </Show>
        </Show>
    }
}
