//! The start page: where to go for the logged-in user's role.

use leptos::prelude::*;

use crate::components::TopBar;
use crate::i18n::{t, T};
use crate::state::use_ctx;

#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = use_ctx();
    let logout = move |_| {
        #[cfg(feature = "hydrate")]
        {
            leptos::task::spawn_local(async {
                let _ = crate::api::post_empty("/api/logout").await;
            });
            crate::offline::store::clear_session();
            ctx.session.set(None);
            ctx.workspace.set(Default::default());
        }
    };
    view! {
        <TopBar />
        <section class="home">
            // The top bar shows the name already: the heading is for screen readers.
            <h1 class="sr-only">{t(T::AppName)}</h1>
            {move || match (ctx.ready.get(), ctx.session.get()) {
                (false, _) => view! { <p>{t(T::Loading)}</p> }.into_any(),
                (true, None) => view! {
                    <p>{t(T::NotLoggedIn)}</p>
                    <a class="button" href="/login" data-testid="go-login">{t(T::Login)}</a>
                }.into_any(),
                (true, Some(user)) => view! {
                    <nav class="menu">
                        {user.role.can_capture().then(|| view! { <a class="button" href="/capture" data-testid="go-capture">{t(T::Capture)}</a> })}
                        {user.role.can_review().then(|| view! { <a class="button" href="/review" data-testid="go-review">{t(T::Review)}</a> })}
                        {(user.role == shared::Role::Admin).then(|| view! { <a class="button" href="/admin" data-testid="go-admin">{t(T::Admin)}</a> })}
                        <button type="button" class="secondary" data-testid="logout" on:click=logout>{t(T::Logout)}</button>
                    </nav>
                    {move || {
                        let pending = ctx.workspace.with(|ws| ws.outbox.len());
                        (pending > 0).then(|| view! { <p class="notice" data-testid="logout-note">{pending} " " {t(T::KeptOnLogout)}</p> })
                    }}
                }.into_any(),
            }}
        </section>
    }
}
