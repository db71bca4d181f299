//! The overdue board: counts per unit and per agency (overdue, due within
//! a week, open, replied on time or late, forwarded) and the items needing
//! attention, with filters and a search that ignores diacritics.

use leptos::prelude::*;
use shared::follow_up::api::{Board, BoardRow, Counts};
use shared::{OpinionKind, SubjectField};

use super::{fetch, ItemTable, F};
use crate::components::TopBar;
use crate::i18n::{labels, t, use_lang, D, T};
use crate::nav::Page;

#[component]
pub fn OverduePage() -> impl IntoView {
    let lang = use_lang();
    let (q, unit, agency, kind, field, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    // The query the board was last asked with: the filter button sets it.
    let query = RwSignal::new(String::new());
    let board = LocalResource::new(move || {
        fetch::<Board>(
            format!("/api/follow-up/board{}", query.get()),
            lang.get_untracked(),
        )
    });
    let refresh = move || {
        let mut parts = Vec::new();
        for (name, value) in [
            ("q", q),
            ("unit", unit),
            ("agency", agency),
            ("kind", kind),
            ("field", field),
            ("from", from),
            ("to", to),
        ] {
            let value = value.get_untracked();
            if !value.trim().is_empty() {
                #[cfg(feature = "hydrate")]
                parts.push(format!(
                    "{name}={}",
                    String::from(js_sys::encode_uri_component(value.trim()))
                ));
                #[cfg(not(feature = "hydrate"))]
                parts.push(format!("{name}={value}"));
            }
        }
        query.set(if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        });
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        refresh();
    };
    // An agency's row narrows the board to that agency; again, to all.
    let pick_agency = Callback::new(move |key: String| {
        agency.update(|a| *a = if *a == key { String::new() } else { key });
        refresh();
    });
    view! {
        <TopBar />
        <super::FollowUpNav />
        <h1>{F::Overdue.text()}</h1>
        <form class="filters" on:submit=apply>
            <crate::pages::follow_up::SearchAndUnit q unit />
            <label class="field"><span>{t(T::OpinionKind)}</span>
                <select data-testid="filter-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{D::All.text()}</option>
                    {OpinionKind::ALL.into_iter().map(|k| view! { <option value=shared::text::tag(&k)>{move || labels::opinion(k, lang.get())}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{t(T::Field)}</span>
                <select data-testid="filter-field" on:change=move |ev| field.set(event_target_value(&ev))>
                    <option value="">{D::All.text()}</option>
                    {SubjectField::ALL.into_iter().map(|f| view! { <option value=shared::text::tag(&f)>{move || labels::field(f, lang.get())}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{D::From.text()}</span><input type="date" on:input=move |ev| from.set(event_target_value(&ev)) /></label>
            <label class="field"><span>{D::To.text()}</span><input type="date" on:input=move |ev| to.set(event_target_value(&ev)) /></label>
            <button type="submit" data-testid="filter">{D::Filter.text()}</button>
        </form>
        <super::Downloads label=F::ExportItems name="items" query />
        <super::Downloads label=F::ExportOverdue name="overdue" query />
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || board.get().map(|b| match b {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(b) => view! {
                    <CountsTable title=F::ByUnit rows=b.by_unit total=Some(b.total) testid="by-unit" pick=None />
                    <CountsTable title=F::ByAgency rows=b.by_agency total=None testid="by-agency" pick=Some(pick_agency) />
                    <h2>{F::NeedAttention.text()}</h2>
                    <ItemTable items=b.items />
                }.into_any(),
            })}
        </Suspense>
        // The dialogues' own deadlines, past: notices and publications.
        <super::notices::Awaiting title=F::NoticesOverdue empty=F::NoNoticesOverdue url="/api/follow-up/notices" page=Page::Notice testid="notice-overdue" overdue_only=true />
        <super::notices::Awaiting title=F::PublicationsOverdue empty=F::NoPublicationsOverdue url="/api/follow-up/publications" page=Page::Publish testid="publication-overdue" overdue_only=true />
    }
}

#[component]
fn CountsTable(
    title: F,
    rows: Vec<BoardRow>,
    total: Option<Counts>,
    testid: &'static str,
    /// Called with a row's key when its name is picked.
    pick: Option<Callback<String>>,
) -> impl IntoView {
    let cells = |c: &Counts| {
        [
            c.overdue,
            c.due_soon,
            c.open,
            c.replied_on_time,
            c.replied_late,
            c.replied_on_first_due,
            c.forwarded,
            c.total,
        ]
        .map(|n| view! { <td class="number">{n}</td> })
    };
    view! {
        <h2>{title.text()}</h2>
        <table class="list counts" data-testid=testid>
            <thead><tr>
                <th></th><th>{F::OverdueCount.text()}</th><th>{F::DueSoon.text()}</th><th>{F::Open.text()}</th>
                <th>{F::RepliedOnTime.text()}</th><th>{F::RepliedLate.text()}</th><th>{F::RepliedOnFirstDue.text()}</th>
                <th>{F::Forwarded.text()}</th><th>{F::Total.text()}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| {
                    let key = r.key.clone();
                    let name = match pick {
                        Some(pick) => view! { <button type="button" class="link" on:click=move |_| pick.run(key.clone())>{r.name.clone()}</button> }.into_any(),
                        None => r.name.clone().into_any(),
                    };
                    view! { <tr data-testid="count-row"><th>{name}</th>{cells(&r.counts)}</tr> }
                }).collect_view()}
                {total.map(|c| view! { <tr class="total" data-testid="count-total"><th>{F::Total.text()}</th>{cells(&c)}</tr> })}
            </tbody>
        </table>
    }
}
