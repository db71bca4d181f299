//! Publishing a dialogue's results: the preview is exactly what the public
//! will see (the domain's allow-list, computed by the server), then a
//! publish button, a withdrawal with its reason, and every publication so
//! far. Observers read the same page without the buttons.

use leptos::prelude::*;
use shared::public::{PublicDialogue, PublicationView, SnapshotChange};
use shared::Lang;

use super::{date, fetch, stage, F};
use crate::components::TopBar;
use crate::i18n::{labels, t, use_lang, T};
use crate::nav::{query_param, Page};
use crate::state::format_time;

#[component]
pub fn PublishPage() -> impl IntoView {
    let lang = use_lang();
    let id = query_param("d").unwrap_or_default();
    let url = format!("/api/dialogues/{id}/publication");
    let view_data = LocalResource::new({
        let url = url.clone();
        move || fetch::<PublicationView>(url.clone(), lang.get_untracked())
    });
    let message = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let office = super::is_office();
    let send = move |withdraw: bool| {
        #[cfg(feature = "hydrate")]
        {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let l = lang.get_untracked();
                let answer = if withdraw {
                    let body = shared::public::Withdrawal {
                        reason: reason.get_untracked(),
                    };
                    crate::api::write::<_, ()>("POST", &format!("{url}/withdraw"), &body, l).await
                } else {
                    crate::api::post::<_, PublicDialogue>(&url, &crate::api::Empty {}, l)
                        .await
                        .map(|_| ())
                };
                match answer {
                    Ok(()) => {
                        message.set(None);
                        view_data.refetch();
                    }
                    Err(e) => message.set(Some(e.message(l))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (withdraw, &url, reason, message);
    };
    let send_withdraw = send.clone();
    view! {
        <TopBar />
        <nav class="crumbs no-print"><a href=Page::FollowUp.path()>{t(T::Back)}</a></nav>
        <h1>{F::Publication.text()}</h1>
        {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="publish-error">{m}</p> })}
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || view_data.get().map(|v| match v {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(v) => {
                    let shown = v.history.first().is_some_and(|p| p.withdrawn_at.is_none());
                    let public = format!("{}?unit={}", crate::nav::PUBLIC, v.preview.unit_code);
                    let (send, send_withdraw) = (send.clone(), send_withdraw.clone());
                    view! {
                        <p class="notice">{F::PreviewNote.text()}</p>
                        <Preview dialogue=v.preview />
                        {move || office().then(|| {
                            let (send, send_withdraw) = (send.clone(), send_withdraw.clone());
                            view! {
                            <section class="actions" data-testid="publish-actions">
                                <button type="button" data-testid="publish" on:click=move |_| send(false)>
                                    {if shown { F::PublishAgain.text()() } else { F::Publish.text()() }}
                                </button>
                                {shown.then(|| view! {
                                    <form on:submit=move |ev| { ev.prevent_default(); send_withdraw(true); }>
                                        <label class="field"><span>{F::Reason.text()}</span>
                                            <textarea data-testid="withdraw-reason" on:input=move |ev| reason.set(event_target_value(&ev))></textarea></label>
                                        <button type="submit" class="secondary" data-testid="withdraw">{F::Withdraw.text()}</button>
                                    </form>
                                })}
                            </section>
                        }})}
                        <p><a href=public data-testid="public-link">{F::PublicPage.text()}</a></p>
                        <ol class="history" data-testid="publications">
                            {v.history.into_iter().map(|p| view! {
                                <li>
                                    <b>{format!("#{}", p.revision)}</b> " · " {F::Published.text()} " " {format_time(p.published_at)} " · " {p.published_by}
                                    {p.withdrawn_at.map(|at| view! { <p>{F::Withdrawn.text()} " " {format_time(at)} ": " {p.withdraw_reason.clone().unwrap_or_default()}</p> })}
                                    {(!p.changes.is_empty()).then(|| view! {
                                        <ul data-testid="publication-changes">
                                            {p.changes.iter().map(|c| { let c = c.clone(); view! { <li>{move || change(&c, lang.get())}</li> } }).collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The results as the public page shows them.
#[component]
fn Preview(dialogue: PublicDialogue) -> impl IntoView {
    let lang = use_lang();
    let d = dialogue;
    let kind = d.kind;
    view! {
        <article class="result" data-testid="preview">
            <h2>{d.topic.clone()}</h2>
            <p>{move || labels::kind(kind, lang.get())} " · " {d.held_on.map(date)} " · " {d.venue.clone()} " · " {d.citizens_attending} " " {t(T::Citizens)}</p>
            <ol>
                {d.opinions.into_iter().map(|o| {
                    let (okind, field) = (o.kind, o.field);
                    view! {
                        <li>
                            <p><b>{move || labels::opinion(okind, lang.get())} " · " {move || labels::field(field, lang.get())}</b></p>
                            <p>{o.content.clone().unwrap_or_else(|| F::Secret.get(lang.get_untracked()).to_owned())}</p>
                            {o.answer.filter(|a| !a.is_empty()).map(|a| view! { <p><i>{t(T::Answer)} ": "</i> {a}</p> })}
                            {o.follow_up.map(|f| {
                                let s = f.stage;
                                view! {
                                    <p><i>{f.agency}</i> ": " {move || stage(s, lang.get())} {f.due.map(|d| format!(" · {}", date(d)))}</p>
                                    {f.reply.map(|r| view! { <p>{r}</p> })}
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!d.conclusion.is_empty()).then(|| view! { <p><b>{t(T::Conclusion)} ": "</b> {d.conclusion.clone()}</p> })}
        </article>
    }
}

/// What changed since the publication before, in a few words.
fn change(c: &SnapshotChange, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match c {
        SnapshotChange::Dialogue { field } => {
            let name = match (field.as_str(), vi) {
                ("topic", true) => "chủ đề",
                ("venue", true) => "địa điểm",
                ("held_on", true) => "ngày đối thoại",
                ("citizens_attending", true) => "số công dân dự",
                ("conclusion", true) => "kết luận",
                (other, _) => other,
            };
            if vi {
                format!("Sửa {name}")
            } else {
                format!("Changed: {name}")
            }
        }
        SnapshotChange::OpinionAdded { position } if vi => format!("Thêm ý kiến số {position}"),
        SnapshotChange::OpinionAdded { position } => format!("Opinion {position} added"),
        SnapshotChange::OpinionRemoved { position } if vi => format!("Bỏ ý kiến số {position}"),
        SnapshotChange::OpinionRemoved { position } => format!("Opinion {position} removed"),
        SnapshotChange::OpinionEdited { position } if vi => format!("Sửa ý kiến số {position}"),
        SnapshotChange::OpinionEdited { position } => format!("Opinion {position} edited"),
        SnapshotChange::FollowUp { position, stage } => {
            let now = stage.map(|s| super::stage(s, lang)).unwrap_or_default();
            if vi {
                format!("Ý kiến số {position}: kết quả xử lý cập nhật ({now})")
            } else {
                format!("Opinion {position}: follow-up updated ({now})")
            }
        }
    }
}
