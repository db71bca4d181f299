//! The handler's list: the items assigned to their agency, those awaiting
//! the reply first and the soonest due first, overdue ones marked.

use leptos::prelude::*;
use shared::follow_up::api::ItemLine;

use super::{fetch, ItemTable, F};
use crate::components::TopBar;
use crate::i18n::{t, use_lang, T};

#[component]
pub fn AgencyPage() -> impl IntoView {
    let lang = use_lang();
    let items = LocalResource::new(move || {
        fetch::<Vec<ItemLine>>("/api/agency/items".into(), lang.get_untracked())
    });
    view! {
        <TopBar />
        <h1>{F::AgencyItems.text()}</h1>
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || items.get().map(|list| match list {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(list) => view! { <ItemTable items=list /> }.into_any(),
            })}
        </Suspense>
    }
}
