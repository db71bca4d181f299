#![recursion_limit = "256"]
//! The Doithoai user interface. The server renders page shells without user
//! data; in the browser the app hydrates, then reads the device's store (for
//! field capture, offline) or the API (for review). So a page served from the
//! service worker's cache hydrates exactly as rendered.

pub mod components;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod state;

#[cfg(feature = "hydrate")]
pub mod api;
#[cfg(feature = "hydrate")]
pub mod offline;

use leptos::prelude::*;

pub use nav::Page;

/// The HTML document around one page, rendered on the server only.
/// `options.output_name` names the browser bundle that hydrates the page.
pub fn shell(options: LeptosOptions, css_href: String, page: Page) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#8b1a1a" />
                // No favicon request on every page; the installed app's
                // icons are in the manifest.
                <link rel="icon" href="data:," />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <title>"Đối thoại"</title>
                <link rel="stylesheet" href=css_href />
                <HydrationScripts options />
            </head>
            <body data-page=page.path()>
                <App page />
            </body>
        </html>
    }
}

#[component]
pub fn App(page: Page) -> impl IntoView {
    i18n::provide_lang();
    let ctx = state::Ctx::provide();
    // Browser only, after hydration: a secretary's tablet reads the device's
    // store and starts syncing; only the user's one writing tab reads it for
    // writing (offline::writer).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(user) = offline::store::load_session() else {
            ctx.ready.set(true);
            return;
        };
        let id = user.id;
        let records = user.role.can_capture();
        ctx.session.set(Some(user));
        if !records {
            // Reviewers and administrators read from the server: no device
            // copy of a province's (or the country's) minutes, no sync.
            ctx.ready.set(true);
            return;
        }
        offline::writer::claim(&id, move |writes| {
            match writes.then(|| offline::store::load_workspace(&id)) {
                Some(Ok(ws)) => {
                    ctx.workspace.set(ws);
                    let keep_ms = ctx.keep_finalised_ms();
                    ctx.mutate(|ws| {
                        ws.prune(state::now_ms(), keep_ms);
                    });
                    offline::sync::start(ctx);
                    offline::keep_storage(ctx);
                }
                Some(Err(reason)) => ctx.store_blocked.set(Some(reason)),
                None => {
                    ctx.workspace.set(offline::store::peek_workspace(&id));
                    ctx.store_blocked.set(Some(state::OTHER_TAB.to_owned()));
                }
            }
            ctx.ready.set(true);
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
    view! { <main>{page_view(page)}</main> }
}

fn page_view(page: Page) -> AnyView {
    use pages::*;
    match page {
        Page::Home => view! { <home::HomePage /> }.into_any(),
        Page::Login => view! { <login::LoginPage /> }.into_any(),
        Page::Capture => view! { <capture::CapturePage /> }.into_any(),
        Page::Edit => view! { <edit::EditPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Print => view! { <print::PrintPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Attachments => view! { <attachments::AttachmentsPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Review => view! { <review::ReviewPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::ReviewDetail => view! { <review_detail::ReviewDetailPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Admin => view! { <admin::AdminPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::FollowUp => view! { <follow_up::notices::FollowUpPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Notice => view! { <follow_up::notices::NoticePage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Item => view! { <follow_up::item::ItemPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Agency => view! { <follow_up::agency::AgencyPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Overdue => view! { <follow_up::board::OverduePage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Settings => view! { <settings::SettingsPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Publish => view! { <follow_up::publish::PublishPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Plan => view! { <plan::PlanPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Compliance => view! { <compliance::CompliancePage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Reports => view! { <reports::ReportsPage /> }.into_any(),
        #[cfg(not(feature = "field-bundle"))]
        Page::Report => view! { <reports::ReportPage /> }.into_any(),
    }
}

/// The browser entry point: hydrates the page the server rendered.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The tablet's bundle goes without the panic's message in the console:
    // it costs bytes every tablet downloads, for a reader with devtools.
    #[cfg(not(feature = "field-bundle"))]
    console_error_panic_hook::set_once();
    offline::register_service_worker();
    let page = nav::rendered_page().unwrap_or(Page::Home);
    leptos::mount::hydrate_body(move || view! { <App page /> });
}
