//! The Doithoai server: builds the router (API, sync, pages, bundle) and
//! runs it. Tests start the real app with [`spawn`] on a random port.

pub mod assets;
pub mod audit;
pub mod auth;
pub mod body;
pub mod cacheable;
pub mod clock;
pub mod config;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod documents;
pub mod error;
pub mod export;
pub mod packed;
pub mod public_page;
pub mod rate_limit;
pub mod routes;
pub mod samples;
pub mod search;
pub mod security;

use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use axum::http::HeaderValue;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::render_app_to_stream;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;

#[derive(Clone)]
pub struct AppState {
    pub pool: db::Pool,
    /// The pool's engine, where SQL differs (search).
    pub engine: db::Engine,
    /// Pushes storing at once on this instance ([`routes::sync::PUSHES_AT_ONCE`]).
    pub push_gate: Arc<tokio::sync::Semaphore>,
    /// Reads of the public results per client ([`rate_limit::PublicReads`]).
    pub public_reads: Arc<rate_limit::PublicReads>,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    pub site: Arc<assets::SiteManifest>,
}

/// Connects the database, creates the first administrator if there is none,
/// and prepares the state. Returns the generated admin password, if any.
pub async fn prepare(config: Config) -> Result<(AppState, Option<String>), sqlx::Error> {
    let pool = db::connect(&config.database_url).await?;
    // Hashed now, not on the first login of an unknown user (its timing
    // would stand out).
    std::sync::LazyLock::force(&auth::DUMMY_HASH);
    let first_password =
        routes::admin::ensure_first_admin(&pool, config.admin_password.as_deref()).await?;
    routes::calendar::seed_holidays(&pool).await?;
    let site = assets::SiteManifest::load(&config.site_root);
    let leptos = LeptosOptions::builder()
        .output_name(site.field_bundle.clone())
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    let engine = db::Engine::of_url(&config.database_url).expect("connect checked the URL");
    let state = AppState {
        pool,
        engine,
        push_gate: Arc::new(tokio::sync::Semaphore::new(routes::sync::PUSHES_AT_ONCE)),
        public_reads: Arc::default(),
        config: Arc::new(config),
        leptos,
        site: Arc::new(site),
    };
    Ok((state, first_password))
}

pub fn build_router(state: AppState) -> Router {
    use routes::follow_up::{board, items, notice};
    use routes::{
        admin, agencies, attachments, calendar, compliance, dialogues, documents, exports, plan,
        publication, reports, session, sync, units,
    };
    let api = Router::new()
        .route("/login", post(session::login))
        .route("/logout", post(session::logout))
        .route("/me", get(session::me))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/dialogues", get(dialogues::list))
        .route("/dialogues/{id}", get(dialogues::detail))
        .route(
            "/dialogues/{id}/notice",
            get(notice::draft).post(notice::issue),
        )
        // Each document as DOCX and as PDF: the path's ending says which
        // (documents::Format).
        .route(
            "/dialogues/{id}/minutes.docx",
            get(documents::minutes_document),
        )
        .route(
            "/dialogues/{id}/minutes.pdf",
            get(documents::minutes_document),
        )
        .route(
            "/dialogues/{id}/notice.docx",
            get(documents::notice_document),
        )
        .route(
            "/dialogues/{id}/notice.pdf",
            get(documents::notice_document),
        )
        .route(
            "/dialogues/{id}/invitation.docx",
            get(documents::invitation_document),
        )
        .route(
            "/dialogues/{id}/invitation.pdf",
            get(documents::invitation_document),
        )
        .route(
            "/agencies/{id}/reminder.docx",
            get(documents::reminder_document),
        )
        .route(
            "/agencies/{id}/reminder.pdf",
            get(documents::reminder_document),
        )
        .route(
            "/dialogues/{id}/publication",
            get(publication::show).post(publication::publish),
        )
        .route(
            "/dialogues/{id}/publication/withdraw",
            post(publication::withdraw),
        )
        .route(
            "/public/units/{code}",
            get(publication::unit_results).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                rate_limit::limit_public_reads,
            )),
        )
        .route("/compliance", get(compliance::show))
        .route("/compliance/list", get(compliance::list))
        .route("/compliance/csv", get(compliance::csv))
        .route("/compliance/xlsx", get(compliance::xlsx))
        .route("/plan", get(plan::show).post(plan::create))
        .route("/plan/docx", get(plan::document))
        .route("/plan/pdf", get(plan::document))
        .route("/plan/{id}", axum::routing::put(plan::update))
        .route(
            "/plan/{id}/announcement",
            axum::routing::put(plan::announce),
        )
        .route("/exports/dialogues.csv", get(exports::dialogues_csv))
        .route("/exports/dialogues.xlsx", get(exports::dialogues_xlsx))
        .route("/exports/items.csv", get(exports::items_csv))
        .route("/exports/items.xlsx", get(exports::items_xlsx))
        .route("/exports/overdue.csv", get(exports::overdue_csv))
        .route("/exports/overdue.xlsx", get(exports::overdue_xlsx))
        .route(
            "/attachments/{id}",
            get(attachments::status).put(attachments::declare),
        )
        .route(
            "/attachments/{id}/bytes",
            axum::routing::put(attachments::chunk),
        )
        .route("/attachments/{id}/file", get(attachments::file))
        .route("/dialogues/{id}/attachments", get(attachments::list))
        .route("/reports", get(reports::list).post(reports::create))
        .route("/reports/charts", get(reports::charts))
        .route("/reports/{id}", get(reports::show).put(reports::update))
        .route("/reports/{id}/issue", post(reports::issue))
        .route("/reports/{id}/docx", get(reports::document))
        .route("/reports/{id}/pdf", get(reports::document))
        .route("/follow-up/notices", get(notice::due))
        .route("/follow-up/publications", get(notice::publications_due))
        .route("/follow-up/board", get(board::board))
        .route("/items/{id}", get(items::show))
        .route("/items/{id}/events", post(items::record))
        .route("/agency/items", get(items::agency_list))
        .route("/admin/units/import", post(admin::import_units))
        .route(
            "/admin/users",
            get(admin::list_users).post(admin::create_user),
        )
        .route("/agencies", get(agencies::list))
        .route("/units", get(units::list))
        .route("/admin/agencies", post(agencies::create))
        .route("/admin/calendar", get(calendar::list_days))
        .route(
            "/admin/calendar/{day}",
            axum::routing::put(calendar::set_day).delete(calendar::remove_day),
        )
        .route(
            "/admin/deadlines/{province}",
            get(calendar::get_rules).put(calendar::set_rules),
        )
        .route("/health", get(|| async { "ok" }))
        // On the routes only: an unknown path or method answers 404 or 405.
        .route_layer(axum::middleware::from_fn(security::same_origin_json_writes))
        .fallback(|| async { error::AppError::not_found() })
        .method_not_allowed_fallback(|| async { error::AppError::method_not_allowed() })
        // Answers carry sessions' data: never kept by a browser or a proxy
        // (the public results say otherwise themselves).
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    // Page rendering spawns on Leptos's executor; it fails (already set)
    // when a second server starts in the same process, as in tests.
    let _ = any_spawner::Executor::init_tokio();
    let site = state.site.clone();
    let mut router = Router::new()
        .nest("/api", api)
        .route(
            app::nav::PUBLIC,
            get(public_page::page).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                rate_limit::limit_public_reads,
            )),
        )
        .route(
            "/sw.js",
            get(move || async move { assets::service_worker(&site) }),
        )
        .route(
            "/manifest.webmanifest",
            get(|| async { assets::web_manifest() }),
        )
        .route("/icons/icon-192.png", get(|| async { assets::icon(192) }))
        .route("/icons/icon-512.png", get(|| async { assets::icon(512) }));
    for &page in app::Page::ALL {
        let mut options = state.leptos.clone();
        options.output_name = state.site.bundle_of(page).into();
        let css = state.site.css.clone();
        router = router.route(
            page.path(),
            get(render_app_to_stream(move || {
                // The page's policy names the nonce Leptos puts on its
                // inline hydration script.
                if let Some(nonce) = leptos::nonce::use_nonce() {
                    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
                        .insert_header(
                            CONTENT_SECURITY_POLICY,
                            security::page_policy(&nonce.to_string()),
                        );
                }
                app::shell(options.clone(), css.clone(), page)
            })),
        );
    }
    let router = router
        .layer(assets::no_cache_layer())
        .nest_service("/pkg", assets::pkg_service(&state.config.site_root))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            // Path only: query strings can carry search terms (names).
            tracing::info_span!("request", id = %uuid::Uuid::now_v7(), method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state);
    security::with_headers(router)
}

/// Serves until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    search::index::keep_current(state.pool.clone(), state.engine);
    // Connection info: logins are limited by client address.
    let app = build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
