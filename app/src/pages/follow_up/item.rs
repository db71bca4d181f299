//! One assigned item: the opinion, its agency and dates, the whole history,
//! and what the reader may record now: the office closes, reopens, chases
//! and records the citizen's satisfaction; the agency's handler records
//! progress, the written reply, a forward or an extension. Observers read.
//! A write that crossed another gets 409: the screen reloads the item and
//! says so.

use leptos::prelude::*;
use shared::follow_up::api::{ItemView, NewEvent};
use shared::follow_up::{Event, Stage};
use shared::{AgencyId, Lang, Role};

use super::{date, days_left, event_name, fetch, stage, F};
use crate::components::TopBar;
use crate::i18n::{labels, t, use_lang, T};
use crate::nav::{query_param, Page};
use crate::state::{format_time, use_ctx};

#[component]
pub fn ItemPage() -> impl IntoView {
    let lang = use_lang();
    let id = query_param("o").unwrap_or_default();
    let url = format!("/api/items/{id}");
    let item = LocalResource::new({
        let url = url.clone();
        move || fetch::<ItemView>(url.clone(), lang.get_untracked())
    });
    let message = RwSignal::new(None::<(bool, String)>);
    view! {
        <TopBar />
        <nav class="crumbs no-print"><a href=Page::FollowUp.path()>{t(T::Back)}</a></nav>
        <h1>{F::Item.text()}</h1>
        {move || message.get().map(|(ok, text)| view! {
            <p class=if ok { "notice" } else { "error" } role="alert" data-testid="item-message">{text}</p>
        })}
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || item.get().map(|v| match v {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(v) => view! {
                    <ItemDetails view=v.clone() />
                    <Actions view=v url=url.clone() message on_change=move || item.refetch() />
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ItemDetails(view: ItemView) -> impl IntoView {
    let lang = use_lang();
    let v = view;
    let (kind, stage_now, left) = (v.opinion.kind, v.item.stage, v.days_left);
    let protected = kind == shared::OpinionKind::Denunciation;
    view! {
        <section class="meta" data-testid="item">
            <p><span class="tag">{move || labels::opinion(kind, lang.get())}</span> " " <b>{v.opinion.speaker.clone()}</b></p>
            {protected.then(|| view! { <p class="notice">{F::Protected.text()}</p> })}
            <p class="content">{v.opinion.content.clone()}</p>
            <p>{t(T::Topic)} ": " <a href=super::link(Page::ReviewDetail, &format!("d={}", v.dialogue_id)) data-testid="item-dialogue">{v.topic.clone()}</a>
               " · " {v.unit_name.clone()} " · " {format!("Số: {}", v.notice_number)}</p>
            {(!v.instructions.is_empty()).then(|| view! { <p>{F::Instructions.text()} ": " {v.instructions.clone()}</p> })}
            <p>{F::Agency.text()} ": " <b data-testid="item-agency">{v.agency_name.clone()}</b></p>
            <p>{F::Stage.text()} ": " <b data-testid="item-stage">{move || stage(stage_now, lang.get())}</b>
               {left.map(|l| view! { " · " <span class:error=l < 0 data-testid="item-days">{move || days_left(l, lang.get())}</span> })}</p>
            <p>{F::FirstDue.text()} ": " {v.item.first_due.map(date)} " · " {F::CurrentDue.text()} ": " {v.item.due.map(date)}</p>
        </section>
        <section>
            <h2>{F::History.text()}</h2>
            <ol class="history" data-testid="history">
                {v.history.into_iter().map(|h| {
                    let detail = event_detail(&h.event, h.agency_name.clone());
                    let event = h.event.clone();
                    view! {
                        <li data-testid="history-entry">
                            <b>{move || event_name(&event, lang.get())}</b> " · " {h.by.clone()} " · " {format_time(h.at)}
                            {(!detail.is_empty()).then(|| view! { <p class="content">{detail}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The words an event carries, for the history.
fn event_detail(e: &Event, agency: Option<String>) -> String {
    match e {
        Event::Assigned { due, .. } => format!("{} — {}", agency.unwrap_or_default(), date(*due)),
        Event::Forwarded { .. } => agency.unwrap_or_default(),
        Event::Progress { note } | Event::Reminded { note } => note.clone(),
        Event::Extended { due, reason } => format!("{} — {reason}", date(*due)),
        Event::Replied {
            number,
            on,
            summary,
        } => format!("{number}, {} — {summary}", date(*on)),
        Event::Reopened { reason } => reason.clone(),
        Event::Closed | Event::Satisfaction { .. } => String::new(),
    }
}

#[component]
fn Actions(
    view: ItemView,
    url: String,
    message: RwSignal<Option<(bool, String)>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let role = ctx.session.with_untracked(|s| s.as_ref().map(|u| u.role));
    let revision = view.revision;
    let stage_now = view.item.stage;
    let reminder = view
        .item
        .agency
        .map(|a| format!("/api/agencies/{a}/reminder.docx"));
    let events_url = format!("{url}/events");
    let record = move |event: Event| {
        let body = NewEvent { revision, event };
        #[cfg(feature = "hydrate")]
        {
            let url = events_url.clone();
            leptos::task::spawn_local(async move {
                let l = lang.get_untracked();
                match crate::api::post::<_, ItemView>(&url, &body, l).await {
                    Ok(_) => message.set(Some((true, F::Saved.get(l).into()))),
                    Err(crate::api::ApiError::Server { code, .. }) if code == "stale" => {
                        message.set(Some((false, F::Stale.get(l).into())))
                    }
                    Err(e) => {
                        message.set(Some((false, e.message(l))));
                        return;
                    }
                }
                on_change();
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, &events_url, on_change, message);
    };
    let text = |key: F, testid: &'static str| {
        let value = RwSignal::new(String::new());
        let input = view! {
            <label class="field"><span>{key.text()}</span>
                <textarea data-testid=testid on:input=move |ev| value.set(event_target_value(&ev))></textarea></label>
        };
        (value, input)
    };
    let day = |key: F, testid: &'static str| {
        let value = RwSignal::new(String::new());
        let input = view! {
            <label class="field"><span>{key.text()}</span>
                <input type="date" data-testid=testid on:input=move |ev| value.set(event_target_value(&ev)) /></label>
        };
        (value, input)
    };
    let bad_date =
        move |key: F| message.set(Some((false, format!("{}?", key.get(lang.get_untracked())))));
    let open = stage_now == Stage::Assigned;
    match role {
        Some(Role::Reviewer) => {
            let (note, note_input) = text(F::Note, "note");
            let (reason, reason_input) = text(F::Reason, "reopen-reason");
            let record_progress = record.clone();
            let record_remind = record.clone();
            let record_close = record.clone();
            let record_reopen = record.clone();
            let record_yes = record.clone();
            let record_no = record.clone();
            view! {
                <section class="actions" data-testid="actions">
                    {open.then(|| view! {
                        <form on:submit=move |ev| { ev.prevent_default(); record_progress(Event::Progress { note: note.get_untracked() }); }>
                            {note_input}
                            <button type="submit" data-testid="record-progress">{F::RecordProgress.text()}</button>
                            <button type="button" data-testid="remind" on:click=move |_| record_remind(Event::Reminded { note: note.get_untracked() })>{F::Remind.text()}</button>
                            {reminder.map(|href| view! {
                                <a class="button secondary" data-testid="reminder-docx" href=href.clone()>{F::ReminderDocx.text()}</a>
                                <super::PdfLink docx=href testid="reminder-pdf" />
                            })}
                        </form>
                    })}
                    {(stage_now != Stage::Closed).then(|| view! {
                        <button type="button" data-testid="close" on:click=move |_| record_close(Event::Closed)>{F::Close.text()}</button>
                    })}
                    {(stage_now != Stage::Assigned).then(|| view! {
                        <button type="button" data-testid="satisfied" on:click=move |_| record_yes(Event::Satisfaction { satisfied: true })>{F::Satisfied.text()}</button>
                        <button type="button" class="secondary" data-testid="not-satisfied" on:click=move |_| record_no(Event::Satisfaction { satisfied: false })>{F::NotSatisfied.text()}</button>
                        <form on:submit=move |ev| { ev.prevent_default(); record_reopen(Event::Reopened { reason: reason.get_untracked() }); }>
                            {reason_input}
                            <button type="submit" data-testid="reopen">{F::Reopen.text()}</button>
                        </form>
                    })}
                </section>
            }
            .into_any()
        }
        Some(Role::Handler) if open => {
            let (note, note_input) = text(F::Note, "note");
            let (number, summary) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
            let (on, on_input) = day(F::ReplyDate, "reply-date");
            let (new_due, due_input) = day(F::NewDue, "new-due");
            let (reason, reason_input) = text(F::Reason, "extend-reason");
            let forward_to = RwSignal::new(String::new());
            let current = view.item.agency;
            let others: Vec<_> = view
                .agencies
                .iter()
                .filter(|a| Some(a.id) != current)
                .cloned()
                .collect();
            let (record_progress, record_reply, record_forward, record_extend) = (
                record.clone(),
                record.clone(),
                record.clone(),
                record.clone(),
            );
            view! {
                <section class="actions" data-testid="actions">
                    <form on:submit=move |ev| { ev.prevent_default(); record_progress(Event::Progress { note: note.get_untracked() }); }>
                        {note_input}
                        <button type="submit" data-testid="record-progress">{F::RecordProgress.text()}</button>
                    </form>
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        match on.get_untracked().parse() {
                            Ok(on) => record_reply(Event::Replied { number: number.get_untracked(), on, summary: summary.get_untracked() }),
                            Err(_) => bad_date(F::ReplyDate),
                        }
                    }>
                        <h2>{F::RecordReply.text()}</h2>
                        <label class="field"><span>{F::ReplyNumber.text()}</span>
                            <input data-testid="reply-number" autocomplete="off" on:input=move |ev| number.set(event_target_value(&ev)) /></label>
                        {on_input}
                        <label class="field"><span>{F::ReplySummary.text()}</span>
                            <textarea data-testid="reply-summary" on:input=move |ev| summary.set(event_target_value(&ev))></textarea></label>
                        <button type="submit" data-testid="record-reply">{F::RecordReply.text()}</button>
                    </form>
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        if let Ok(to) = AgencyId::parse(&forward_to.get_untracked()) {
                            record_forward(Event::Forwarded { to });
                        }
                    }>
                        <label class="field"><span>{F::ForwardTo.text()}</span>
                            <select data-testid="forward-to" on:change=move |ev| forward_to.set(event_target_value(&ev))>
                                <option value="">{F::PickAgency.text()}</option>
                                {others.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                            </select></label>
                        <button type="submit" data-testid="forward">{F::Forward.text()}</button>
                    </form>
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        match new_due.get_untracked().parse() {
                            Ok(due) => record_extend(Event::Extended { due, reason: reason.get_untracked() }),
                            Err(_) => bad_date(F::NewDue),
                        }
                    }>
                        {due_input}
                        {reason_input}
                        <button type="submit" data-testid="extend">{F::Extend.text()}</button>
                    </form>
                </section>
            }
            .into_any()
        }
        _ => {
            let _ = (record, Lang::Vi);
            ().into_any()
        }
    }
}
