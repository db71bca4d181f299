//! "Việc cần làm": finalised dialogues whose conclusion notice is due, the
//! most urgent first; and one dialogue's notice, prepared and issued here.

use leptos::prelude::*;
use shared::follow_up::api::{Assignment, IssuedNotice, NewNotice, NoticeDraft, NoticeDue};
use shared::{AgencyId, OpinionId};

use super::{date, days_left, fetch, link, F};
use crate::components::TopBar;
use crate::i18n::{labels, t, use_lang, T};
use crate::nav::{query_param, Page};

#[component]
pub fn FollowUpPage() -> impl IntoView {
    view! {
        <TopBar />
        <super::FollowUpNav />
        <h1>{F::FollowUp.text()}</h1>
        <Awaiting title=F::NoticesDue empty=F::NoNoticesDue url="/api/follow-up/notices" page=Page::Notice testid="notice-due" />
        <Awaiting title=F::PublicationsDue empty=F::NoPublicationsDue url="/api/follow-up/publications" page=Page::Publish testid="publication-due" />
    }
}

/// Finalised dialogues awaiting a step (read from `url`), each opening
/// `page` for its dialogue, the most urgent first; with `overdue_only`,
/// those past their deadline (the overdue board's).
#[component]
pub fn Awaiting(
    title: F,
    empty: F,
    url: &'static str,
    page: Page,
    testid: &'static str,
    #[prop(optional)] overdue_only: bool,
) -> impl IntoView {
    let lang = use_lang();
    let due = LocalResource::new(move || async move {
        let list = fetch::<Vec<NoticeDue>>(url.into(), lang.get_untracked()).await;
        list.map(|l| {
            l.into_iter()
                .filter(|n| !overdue_only || n.days_left < 0)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h2>{title.text()}</h2>
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || due.get().map(|list| match list {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>{empty.text()}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="list">
                        <thead><tr><th>{t(T::Topic)}</th><th>{t(T::Unit)}</th><th>{F::HeldOn.text()}</th><th>{F::DueOn.text()}</th><th>{F::DaysLeft.text()}</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|n| {
                                let left = n.days_left;
                                view! {
                                    <tr data-testid=testid class:overdue=left < 0>
                                        <td><a href=link(page, &format!("d={}", n.dialogue_id))>{n.topic.clone()}</a></td>
                                        <td>{n.unit_name.clone()}</td>
                                        <td>{date(n.held_on)}</td>
                                        <td>{date(n.due)}</td>
                                        <td>{move || days_left(left, lang.get())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// One dialogue's conclusion notice: settled opinions, an agency for each
/// of the others (the one proposed at the meeting picked when the
/// directory has it), the number and date; then issued, read only.
#[component]
pub fn NoticePage() -> impl IntoView {
    let lang = use_lang();
    let id = query_param("d").unwrap_or_default();
    let url = format!("/api/dialogues/{id}/notice");
    let draft = LocalResource::new({
        let url = url.clone();
        move || fetch::<NoticeDraft>(url.clone(), lang.get_untracked())
    });
    view! {
        <TopBar />
        <nav class="crumbs no-print"><a href=Page::FollowUp.path()>{t(T::Back)}</a></nav>
        <h1>{F::Notice.text()}</h1>
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || draft.get().map(|d| match d {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(d) => view! { <NoticeForm draft=d url=url.clone() on_issued=move || draft.refetch() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NoticeForm(
    draft: NoticeDraft,
    url: String,
    on_issued: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let number = RwSignal::new(String::new());
    let issued_on = RwSignal::new(String::new());
    let conclusion = RwSignal::new(draft.conclusion.clone());
    // Per opinion to assign: its agency (pre-filled) and instructions.
    let picks: Vec<(OpinionId, i64, RwSignal<String>, RwSignal<String>)> = draft
        .to_assign
        .iter()
        .map(|a| {
            let agency = a.suggested.map(|s| s.to_string()).unwrap_or_default();
            (
                a.opinion.id,
                a.opinion.position,
                RwSignal::new(agency),
                RwSignal::new(String::new()),
            )
        })
        .collect();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let header = view! {
        <section class="meta" data-testid="notice-meta">
            <p><b>{draft.topic.clone()}</b></p>
            <p>{F::HeldOn.text()} ": " {date(draft.held_on)} " · " {F::DueOn.text()} ": " {date(draft.due)}</p>
        </section>
        <h2>{F::Settled.text()}</h2>
        <ul class="opinions">
            {draft.settled.iter().map(|o| view! {
                <li data-testid="settled">{o.position} ". " {o.speaker.clone()} ": " {o.content.clone()}
                    <p class="content">{o.answer.clone()}</p></li>
            }).collect_view()}
        </ul>
    };
    if let Some(IssuedNotice {
        number,
        issued_on,
        conclusion,
        issued_by,
    }) = draft.issued.clone()
    {
        return view! {
            {header}
            <section class="notice" data-testid="issued-notice">
                <p><b>{F::Issued.text()}</b> ": " {format!("Số: {number}")} " · " {date(issued_on)} " · " {F::IssuedBy.text()} " " {issued_by}</p>
                <p class="content">{conclusion}</p>
                <ul>
                    {draft.to_assign.iter().map(|a| view! {
                        <li><a data-testid="open-item" href=link(Page::Item, &format!("o={}", a.opinion.id))>{a.opinion.position} ". " {a.opinion.content.clone()}</a></li>
                    }).collect_view()}
                </ul>
                <p><a class="button secondary" data-testid="notice-docx" href=format!("/api/dialogues/{}/notice.docx", draft.dialogue_id)>{F::NoticeDocx.text()}</a>
                    <super::PdfLink docx=format!("/api/dialogues/{}/notice.docx", draft.dialogue_id) testid="notice-pdf" /></p>
            </section>
        }
        .into_any();
    }
    let agencies = draft.agencies.clone();
    let issue = {
        let picks = picks.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let day = match issued_on.get_untracked().parse() {
                Ok(day) => day,
                Err(_) => {
                    error.set(Some(
                        F::IssuedOn.get(lang.get_untracked()).to_owned() + " ?",
                    ));
                    return;
                }
            };
            let mut assignments = Vec::with_capacity(picks.len());
            for (opinion, position, agency, instructions) in &picks {
                let Ok(agency_id) = AgencyId::parse(&agency.get_untracked()) else {
                    let l = lang.get_untracked();
                    error.set(Some(format!("{position}. {}?", F::Agency.get(l))));
                    return;
                };
                assignments.push(Assignment {
                    opinion_id: *opinion,
                    agency_id,
                    instructions: instructions.get_untracked(),
                });
            }
            let body = NewNotice {
                number: number.get_untracked(),
                issued_on: day,
                conclusion: conclusion.get_untracked(),
                assignments,
            };
            busy.set(true);
            #[cfg(feature = "hydrate")]
            {
                let url = url.clone();
                leptos::task::spawn_local(async move {
                    let l = lang.get_untracked();
                    match crate::api::post::<_, IssuedNotice>(&url, &body, l).await {
                        Ok(_) => on_issued(),
                        Err(e) => error.set(Some(e.message(l))),
                    }
                    busy.set(false);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (body, &url, on_issued);
        }
    };
    view! {
        {header}
        <form class="notice-form" on:submit=issue>
            <h2>{F::ToAssign.text()}</h2>
            {draft.to_assign.iter().zip(picks).map(|(a, (_, _, agency, instructions))| {
                let kind = a.opinion.kind;
                let protected = kind == shared::OpinionKind::Denunciation;
                view! {
                    <fieldset class="assign" data-testid="to-assign">
                        <legend>{a.opinion.position} ". " <span class="tag">{move || labels::opinion(kind, lang.get())}</span> " " {a.opinion.speaker.clone()}</legend>
                        {protected.then(|| view! { <p class="notice">{F::Protected.text()}</p> })}
                        <p class="content">{a.opinion.content.clone()}</p>
                        <label class="field"><span>{F::Agency.text()}</span>
                            <select data-testid="agency" prop:value=move || agency.get() on:change=move |ev| agency.set(event_target_value(&ev))>
                                <option value="">{F::PickAgency.text()}</option>
                                {agencies.iter().map(|g| view! { <option value=g.id.to_string()>{g.name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>{F::Instructions.text()}</span>
                            <textarea on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                        </label>
                    </fieldset>
                }
            }).collect_view()}
            <label class="field"><span>{F::ChairConclusion.text()}</span>
                <textarea data-testid="conclusion" prop:value=move || conclusion.get() on:input=move |ev| conclusion.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field"><span>{F::NoticeNumber.text()}</span>
                <input data-testid="number" placeholder="12/TB-UBND" autocomplete="off" on:input=move |ev| number.set(event_target_value(&ev)) />
            </label>
            <label class="field"><span>{F::IssuedOn.text()}</span>
                <input type="date" data-testid="issued-on" on:input=move |ev| issued_on.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="error">{e}</p> })}
            <button type="submit" data-testid="issue" disabled=move || busy.get()>{F::Issue.text()}</button>
        </form>
    }
    .into_any()
}
