#![recursion_limit = "256"]
//! The Doithoai user interface. The server renders page shells without user
//! data; in the browser the app hydrates, then reads the device's store (for
//! field capture, offline) or the API (for review). So a page served from the
//! service worker's cache hydrates exactly as rendered.

pub mod components;
pub mod i18n;
pub mod pages;
pub mod state;

#[cfg(feature = "hydrate")]
pub mod api;
#[cfg(feature = "hydrate")]
pub mod offline;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use pages::{
    admin::AdminPage, capture::CapturePage, edit::EditPage, home::HomePage, login::LoginPage,
    print::PrintPage, review::ReviewPage, review_detail::ReviewDetailPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions, css_href: String) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#8b1a1a" />
                <link rel="icon" href="data:," />
                <title>"Đối thoại"</title>
                <link rel="stylesheet" href=css_href />
                <HydrationScripts options />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    let ctx = state::Ctx::provide();
    // Browser only, after hydration: read the device's store, start syncing.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(user) = offline::store::load_session() {
            ctx.workspace.set(offline::store::load_workspace(&user.id));
            ctx.session.set(Some(user));
        }
        ctx.ready.set(true);
        offline::sync::start(ctx);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
    view! {
        <Router>
            <main>
                <Routes fallback=|| view! { <p class="notice">"404"</p> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/capture") view=CapturePage />
                    <Route path=path!("/capture/edit") view=EditPage />
                    <Route path=path!("/capture/print") view=PrintPage />
                    <Route path=path!("/review") view=ReviewPage />
                    <Route path=path!("/review/view") view=ReviewDetailPage />
                    <Route path=path!("/admin") view=AdminPage />
                </Routes>
            </main>
        </Router>
    }
}

/// The browser entry point.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    offline::register_service_worker();
    leptos::mount::hydrate_body(App);
}
