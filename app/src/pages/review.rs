//! The reviewer's list of synced dialogues in scope, with filters and a
//! search that ignores diacritics.

use leptos::prelude::*;
use shared::review::DialogueSummary as Summary;
use shared::{DialogueKind, DialogueStatus};

use crate::components::TopBar;
use crate::i18n::{labels, t, use_lang, D, T};

#[component]
pub fn ReviewPage() -> impl IntoView {
    let lang = use_lang();
    let q = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let rows = RwSignal::new(None::<Result<Vec<Summary>, String>>);
    // The filters the list was last asked with: the export takes them.
    let applied = RwSignal::new(String::new());
    // Where the next page starts; None on the last page.
    let next = RwSignal::new(None::<String>);
    // `more`: append the next page instead of starting over.
    let load = move |more: bool| {
        #[cfg(feature = "hydrate")]
        {
            let enc = |s: String| String::from(js_sys::encode_uri_component(&s));
            let after = if more {
                next.get_untracked().unwrap_or_default()
            } else {
                String::new()
            };
            let filters = format!(
                "?q={}&kind={}&status={}&from={}&to={}&unit={}",
                enc(q.get_untracked()),
                enc(kind.get_untracked()),
                enc(status.get_untracked()),
                enc(from.get_untracked()),
                enc(to.get_untracked()),
                enc(unit.get_untracked()),
            );
            let url = format!("/api/dialogues{filters}&after={}", enc(after));
            applied.set(filters);
            leptos::task::spawn_local(async move {
                let l = lang.get_untracked();
                match crate::api::get::<shared::review::DialoguePage>(&url, l).await {
                    Ok(page) => {
                        next.set(page.next);
                        let mut list = if more {
                            rows.get_untracked()
                                .and_then(Result::ok)
                                .unwrap_or_default()
                        } else {
                            Vec::new()
                        };
                        list.extend(page.items);
                        rows.set(Some(Ok(list)));
                    }
                    Err(e) => rows.set(Some(Err(e.message(l)))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (more, next, applied);
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| load(false));
    view! {
        <TopBar />
        <crate::pages::follow_up::FollowUpNav />
        <h1>{t(T::Review)}</h1>
        <form class="filters" on:submit=move |ev| { ev.prevent_default(); load(false); }>
            <crate::pages::follow_up::SearchAndUnit q unit />
            <label class="field"><span>{t(T::Kind)}</span>
                <select data-testid="filter-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{D::All.text()}</option>
                    {DialogueKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || labels::kind(k, lang.get())}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{D::Status.text()}</span>
                <select data-testid="filter-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{D::All.text()}</option>
                    {DialogueStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || labels::status(s, lang.get())}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{D::From.text()}</span><input type="date" on:input=move |ev| from.set(event_target_value(&ev)) /></label>
            <label class="field"><span>{D::To.text()}</span><input type="date" on:input=move |ev| to.set(event_target_value(&ev)) /></label>
            <button type="submit" data-testid="filter">{D::Filter.text()}</button>
        </form>
        <crate::pages::follow_up::Downloads label=crate::pages::follow_up::F::ExportDialogues name="dialogues" query=applied />
        {move || match rows.get() {
            None => view! { <p>{t(T::Loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>{D::NoResults.text()}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="list" data-testid="review-list">
                    <thead><tr><th>{t(T::Topic)}</th><th>{t(T::Unit)}</th><th>{t(T::PlannedAt)}</th><th>{t(T::Kind)}</th><th>{D::Status.text()}</th><th>{t(T::Opinions)}</th><th>{D::RecordedBy.text()}</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|s| view! {
                            <tr data-testid="review-row">
                                <td><a href=format!("/review/view?d={}", s.id)>{s.topic.clone()}</a>{s.conflict.then(|| view! { <span class="tag warn">{D::ConcurrentEdit.text()}</span> })}</td>
                                <td>{s.unit_name.clone()}</td>
                                <td>{s.planned_at.replace('T', " ")}</td>
                                <td>{move || labels::kind(s.kind, lang.get())}</td>
                                <td>{move || labels::status(s.status, lang.get())}</td>
                                <td>{s.opinions}</td>
                                <td>{s.recorded_by.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {move || next.with(Option::is_some).then(|| view! {
                    <button type="button" data-testid="more" on:click=move |_| load(true)>{D::MoreResults.text()}</button>
                })}
            }.into_any(),
        }}
    }
}
