//! Recording the minutes of one dialogue: header, start and end, opinions
//! with their answers, the conclusion, and finalisation. Every keystroke is
//! stored on the device at once; there is no Save button.

use leptos::prelude::*;
use shared::sync::Entity;
use shared::{
    Audience, Dialogue, DialogueId, DialogueKind, Opinion, OpinionId, OpinionKind, SubjectField,
};

use super::fields::{CheckBox, EnumSelect, TextArea, TextInput};
use crate::components::{SaveIndicator, SyncBadge, TopBar};
use crate::i18n::{labels, t, use_lang, T};
use crate::state::{format_time, now_ms, use_ctx, Ctx};

/// The dialogue id from `?d=`: one cached page serves every dialogue offline.
/// `None` on the server, so read it only after `ctx.ready`.
pub fn dialogue_param() -> Option<DialogueId> {
    crate::nav::query_param("d").and_then(|d| DialogueId::parse(&d).ok())
}

#[component]
pub fn EditPage() -> impl IntoView {
    let ctx = use_ctx();
    let id = dialogue_param();
    let seen = Memo::new(move |_| id.map(|id| ctx.workspace.with(|ws| ws.seen_versions(&id))));
    view! {
        <TopBar />
        <Show when=move || ctx.ready.get() fallback=move || view! { <p>{t(T::Loading)}</p> }>
            <SyncBadge />
            <nav class="crumbs">
                <a href="/capture">{t(T::Back)}</a>
                <SaveIndicator />
            </nav>
            <h1>{t(T::Capture)}</h1>
            {move || {
                // Built once, not on every keystroke, so typing is never
                // interrupted; built again when a change made on another
                // device arrives, so no field shows older text than the
                // record it writes into (typing would put it back silently).
                // `get`, not `track`: a memo never read is never computed,
                // so it would never change.
                let _seen_versions = seen.get();
                let found = id.and_then(|id| {
                    ctx.workspace
                        .with_untracked(|ws| ws.dialogue(&id).cloned())
                        .map(|d| (id, d))
                });
                match found {
                    Some((id, d)) => view! { <DialogueForm id initial=d /> }.into_any(),
                    None => view! { <p class="notice">"—"</p> }.into_any(),
                }
            }}
        </Show>
    }
}

/// Applies an edit to the stored dialogue and queues it.
fn edit_dialogue(ctx: Ctx, id: DialogueId, change: impl FnOnce(&mut Dialogue)) {
    ctx.mutate(|ws| {
        if let Some(mut d) = ws.dialogue(&id).cloned() {
            if d.is_locked() {
                return;
            }
            change(&mut d);
            ctx.put(ws, Entity::Dialogue(d));
        }
    });
}

fn edit_opinion(ctx: Ctx, id: OpinionId, change: impl FnOnce(&mut Opinion)) {
    ctx.mutate(|ws| {
        let locked = ws
            .opinion(&id)
            .and_then(|o| ws.dialogue(&o.dialogue_id))
            .is_none_or(|d| d.is_locked());
        if let (false, Some(mut o)) = (locked, ws.opinion(&id).cloned()) {
            change(&mut o);
            ctx.put(ws, Entity::Opinion(o));
        }
    });
}

macro_rules! on_text {
    ($ctx:expr, $id:expr, $field:ident) => {
        Callback::new(move |v: String| edit_dialogue($ctx, $id, |d| d.$field = v))
    };
}

#[component]
fn DialogueForm(id: DialogueId, initial: Dialogue) -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let current = Memo::new(move |_| ctx.workspace.with(|ws| ws.dialogue(&id).cloned()));
    let finalised =
        Signal::derive(move || current.with(|d| d.as_ref().is_some_and(Dialogue::is_locked)));
    // Finalised minutes, or a tab that may not write: nothing to edit.
    let locked = Signal::derive(move || ctx.store_blocked.with(Option::is_some) || finalised.get());
    let units = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|u| u.units.clone()).unwrap_or_default());
    let unit_codes: Vec<_> = units.iter().map(|(c, _)| c.clone()).collect();
    let d = initial;
    // A transition the domain refuses (end before start, finalising without
    // names) is shown like any refused edit.
    let transition = move |step: fn(&mut Dialogue, i64) -> Result<(), shared::DomainError>| {
        move |_| {
            ctx.mutate(|ws| {
                if let Some(mut d) = ws.dialogue(&id).cloned() {
                    match step(&mut d, now_ms()) {
                        Ok(()) => ctx.put(ws, Entity::Dialogue(d)),
                        Err(e) => ctx.form_error.set(Some(e)),
                    }
                }
            });
        }
    };
    let finalise = transition(|d, now| {
        let (secretary, chair) = (d.secretary_name.clone(), d.chair_name.clone());
        d.finalise(&secretary, &chair, now)
    });
    // It locks the minutes for good: asked first, saying so.
    let finalise = move |ev| {
        if confirm(T::ConfirmFinalise.get(lang.get_untracked())) {
            finalise(ev)
        }
    };
    let add_opinion = move |_| {
        ctx.mutate(|ws| {
            let next = ws.opinions_of(&id).last().map_or(1, |o| o.position + 1);
            ctx.put(ws, Entity::Opinion(Opinion::new(id, next)));
        });
    };
    let opinions = move || {
        ctx.workspace.with(|ws| {
            ws.opinions_of(&id)
                .into_iter()
                .map(|o| (o.id, o))
                .collect::<Vec<_>>()
        })
    };
    let citizens = match d.citizens_attending {
        0 => String::new(),
        n => n.to_string(),
    };
    let selected_unit = unit_codes
        .iter()
        .position(|c| c == &d.unit_code)
        .unwrap_or(0);
    view! {
        <article class="minutes-form" data-testid="dialogue-form">
            {move || finalised.get().then(|| view! { <p class="locked" data-testid="locked">{t(T::Finalised)}</p> })}
            <fieldset class="grid">
                <label class="field">
                    <span>{t(T::Unit)}</span>
                    <select data-testid="unit" disabled=locked on:change={
                        let unit_codes = unit_codes.clone();
                        move |ev| {
                            if let Some(code) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| unit_codes.get(i).cloned()) {
                                edit_dialogue(ctx, id, |d| d.unit_code = code);
                            }
                        }
                    }>
                        {units.iter().enumerate().map(|(i, (_, name))| view! { <option value=i.to_string() selected=i == selected_unit>{name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <EnumSelect label=T::Kind options=DialogueKind::ALL.to_vec() selected=d.kind label_of=labels::kind testid="kind"
                    on_change=Callback::new(move |k| edit_dialogue(ctx, id, |d| { d.kind = k; if k == DialogueKind::OnSite { d.on_site = true; } })) disabled=locked />
                <EnumSelect label=T::Audience options=Audience::ALL.to_vec() selected=d.audience label_of=labels::audience testid="audience"
                    on_change=Callback::new(move |a| edit_dialogue(ctx, id, |d| d.audience = a)) disabled=locked />
                <TextInput label=T::AudienceGroup value=d.audience_group.clone() testid="audience-group" on_change=on_text!(ctx, id, audience_group) disabled=locked />
                <TextInput label=T::Topic value=d.topic.clone() testid="topic" on_change=on_text!(ctx, id, topic) disabled=locked />
                <TextInput label=T::Venue value=d.venue.clone() testid="venue" on_change=on_text!(ctx, id, venue) disabled=locked />
                <CheckBox label=T::OnSite checked=d.on_site testid="on-site" on_change=Callback::new(move |v| edit_dialogue(ctx, id, |d| d.on_site = v)) disabled=locked />
                <TextInput label=T::PlannedAt value=d.planned_at.clone() testid="planned-at" input_type="datetime-local" max="9999-12-31T23:59" on_change=on_text!(ctx, id, planned_at) disabled=locked />
                <TextInput label=T::ChairName value=d.chair_name.clone() testid="chair-name" autocomplete="name" on_change=on_text!(ctx, id, chair_name) disabled=locked />
                <TextInput label=T::ChairTitle value=d.chair_title.clone() testid="chair-title" on_change=on_text!(ctx, id, chair_title) disabled=locked />
                <TextInput label=T::SecretaryName value=d.secretary_name.clone() testid="secretary-name" on_change=on_text!(ctx, id, secretary_name) disabled=locked />
                <TextInput label=T::Mttq value=d.mttq_representative.clone() testid="mttq" on_change=on_text!(ctx, id, mttq_representative) disabled=locked />
                // Empty until typed in (a "0" to type after gives "087"); digits only.
                <TextInput label=T::Citizens value=citizens testid="citizens" inputmode="numeric" digits_only=true
                    on_change=Callback::new(move |v: String| edit_dialogue(ctx, id, |d| d.citizens_attending = v.parse().unwrap_or(0).min(shared::dialogue::MAX_CITIZENS))) disabled=locked />
                <TextArea label=T::Invited value=d.invited_agencies.clone() testid="invited" on_change=on_text!(ctx, id, invited_agencies) disabled=locked />
            </fieldset>
            <div class="meeting-times">
                <button type="button" data-testid="start" on:click=transition(Dialogue::start) disabled=locked>{t(T::Start)}</button>
                <span data-testid="started-at">{move || current.with(|d| d.as_ref().and_then(|d| d.started_at).map(format_time).unwrap_or_default())}</span>
                <button type="button" data-testid="end" on:click=transition(Dialogue::end) disabled=locked>{t(T::End)}</button>
                <span data-testid="ended-at">{move || current.with(|d| d.as_ref().and_then(|d| d.ended_at).map(format_time).unwrap_or_default())}</span>
            </div>
            <h2>{t(T::Opinions)}</h2>
            <ol class="opinions">
                <For each=opinions key=|(id, _)| *id let:item>
                    <OpinionCard id=item.0 initial=item.1 locked />
                </For>
            </ol>
            <TextArea label=T::Conclusion value=d.conclusion.clone() testid="conclusion" on_change=on_text!(ctx, id, conclusion) disabled=locked />
            {move || ctx.form_error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e.message(lang.get())}</p> })}
            // Stays on screen however long the minutes grow (CSS sticky).
            <div class="actions sticky" data-testid="actions">
                <button type="button" class="primary" data-testid="add-opinion" on:click=add_opinion disabled=locked>{t(T::AddOpinion)}</button>
                <button type="button" data-testid="finalise" on:click=finalise disabled=locked>{t(T::Finalise)}</button>
                <a class="button secondary" href=format!("/capture/print?d={id}") data-testid="print-link">{t(T::Print)}</a>
                <a class="button secondary" href=format!("/capture/attachments?d={id}") data-testid="attachments-link">{t(T::Attachments)}</a>
                <nav class="jump" aria-label=t(T::GoToOpinion)>
                    {move || opinions().into_iter().enumerate().map(|(i, (oid, _))| view! { <a href=format!("#o-{oid}")>{i + 1}</a> }).collect_view()}
                </nav>
            </div>
        </article>
    }
}

#[component]
fn OpinionCard(id: OpinionId, initial: Opinion, locked: Signal<bool>) -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let current = Memo::new(move |_| ctx.workspace.with(|ws| ws.opinion(&id).cloned()));
    let deleted = move || current.with(|o| o.as_ref().is_some_and(|o| o.deleted));
    let needs_follow_up = move || current.with(|o| o.as_ref().is_some_and(|o| o.needs_follow_up));
    let on = move |f: fn(&mut Opinion, String)| {
        Callback::new(move |v: String| edit_opinion(ctx, id, |o| f(o, v)))
    };
    let swap = move |up: bool| {
        move |_| {
            ctx.mutate(|ws| {
                let Some(me) = ws.opinion(&id).cloned() else {
                    return;
                };
                let list = ws.opinions_of(&me.dialogue_id);
                let Some(i) = list.iter().position(|o| o.id == id) else {
                    return;
                };
                let j = if up {
                    i.checked_sub(1)
                } else {
                    Some(i + 1).filter(|j| *j < list.len())
                };
                if let Some(j) = j {
                    let (mut a, mut b) = (list[i].clone(), list[j].clone());
                    // Positions may be equal after concurrent inserts: make them distinct.
                    let (pa, pb) = (
                        a.position,
                        if b.position == a.position {
                            a.position + if up { -1 } else { 1 }
                        } else {
                            b.position
                        },
                    );
                    a.position = pb;
                    b.position = pa;
                    ctx.put(ws, Entity::Opinion(a));
                    ctx.put(ws, Entity::Opinion(b));
                }
            });
        }
    };
    let o = initial;
    // One line when folded: speaker, kind, the first words.
    let summary = move || {
        current.with(|o| {
            o.as_ref().map(|o| {
                let words: String = o.content.chars().take(60).collect();
                format!(
                    "{} · {} · {words}",
                    o.speaker_name,
                    labels::opinion(o.kind, lang.get())
                )
            })
        })
    };
    let denunciation = move || {
        current.with(|o| {
            o.as_ref()
                .is_some_and(|o| o.kind == OpinionKind::Denunciation)
        })
    };
    view! {
        <li class="opinion" class:deleted=deleted data-testid="opinion" id=format!("o-{id}")>
          <details open>
            <summary data-testid="opinion-summary">{summary}</summary>
            {move || denunciation().then(|| view! { <p class="note" data-testid="protected-hint">{t(T::DenouncerProtected)}</p> })}
            <div class="opinion-tools">
                <button type="button" class="small" on:click=swap(true) disabled=locked aria-label=t(T::MoveUp)>"↑"</button>
                <button type="button" class="small" on:click=swap(false) disabled=locked aria-label=t(T::MoveDown)>"↓"</button>
                <button type="button" class="small secondary" data-testid="remove-opinion" disabled=locked
                    on:click=move |_| edit_opinion(ctx, id, |o| o.deleted = !o.deleted)>
                    {move || if deleted() { t(T::Restore)() } else { t(T::Remove)() }}
                </button>
                {move || deleted().then(|| view! { <span class="tag">{t(T::Removed)}</span> })}
            </div>
            <fieldset class="grid">
                <TextInput label=T::Speaker value=o.speaker_name.clone() testid="speaker" on_change=on(|o, v| o.speaker_name = v) disabled=locked />
                <TextInput label=T::Address value=o.speaker_address.clone() testid="address" on_change=on(|o, v| o.speaker_address = v) disabled=locked />
                <CheckBox label=T::OnBehalf checked=o.on_behalf_of_group testid="on-behalf" on_change=Callback::new(move |v| edit_opinion(ctx, id, |o| o.on_behalf_of_group = v)) disabled=locked />
                <EnumSelect label=T::OpinionKind options=OpinionKind::ALL.to_vec() selected=o.kind label_of=labels::opinion testid="opinion-kind"
                    on_change=Callback::new(move |k| edit_opinion(ctx, id, |o| o.kind = k)) disabled=locked />
                <EnumSelect label=T::Field options=SubjectField::ALL.to_vec() selected=o.field label_of=labels::field testid="opinion-field"
                    on_change=Callback::new(move |f| edit_opinion(ctx, id, |o| o.field = f)) disabled=locked />
                <TextArea label=T::Content value=o.content.clone() testid="content" on_change=on(|o, v| o.content = v) disabled=locked />
                <TextArea label=T::Answer value=o.answer.clone() testid="answer" on_change=on(|o, v| o.answer = v) disabled=locked />
                <TextInput label=T::AnsweredBy value=o.answered_by.clone() testid="answered-by" on_change=on(|o, v| o.answered_by = v) disabled=locked />
                <CheckBox label=T::NeedsFollowUp checked=o.needs_follow_up testid="follow-up"
                    on_change=Callback::new(move |v| edit_opinion(ctx, id, |o| {
                        if v { let agency = o.follow_up.proposed_agency.clone(); o.refer(&agency) } else { o.needs_follow_up = false; o.follow_up.state = Default::default() }
                    })) disabled=locked />
                <Show when=needs_follow_up>
                    <TextInput label=T::ProposedAgency value=current.get_untracked().map(|o| o.follow_up.proposed_agency).unwrap_or_default() testid="agency"
                        on_change=on(|o, v| o.follow_up.proposed_agency = v) disabled=locked />
                </Show>
            </fieldset>
          </details>
        </li>
    }
}

/// The browser's own yes/no question; no on the server.
pub(crate) fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        return window.confirm_with_message(question).unwrap_or(false);
    }
    let _ = question;
    false
}
