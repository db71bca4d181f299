//! The browser bundle: hashed files under `/pkg` served precompressed with
//! year-long cache headers, the service worker generated from the
//! bundle's manifest so it precaches exactly this deployment's files, and
//! the web app manifest with its icons, so a tablet installs the app.

use app::Page;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use serde::Deserialize;
use shared::attachment;
use std::path::Path;
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

/// Written by xtask next to the bundle (`site/manifest.json`).
#[derive(Clone, Debug, Deserialize)]
pub struct SiteManifest {
    /// A hash of every file: names the service worker's cache.
    pub version: String,
    /// `field.<hash>`: the bundle of the pages that work offline; its JS is
    /// `/pkg/<stem>.js`, its wasm `/pkg/<stem>_bg.wasm`.
    pub field_bundle: String,
    /// `full.<hash>`: every page, for the desktop screens.
    pub full_bundle: String,
    /// `/pkg/style.<hash>.css`.
    pub css: String,
    /// What the service worker precaches, as URL paths: the field bundle
    /// and the CSS (the desktop screens are not used offline).
    pub files: Vec<String>,
    /// What the service worker keeps once the device has visited, not
    /// worth a first visit's bytes: the full bundle (the print view's) and
    /// the print view's fonts.
    #[serde(default)]
    pub later: Vec<String>,
}

impl SiteManifest {
    /// The manifest of a built site, or a placeholder when none is built
    /// (API-only tests); pages then render without working scripts.
    pub fn load(site_root: &Path) -> Self {
        std::fs::read_to_string(site_root.join("manifest.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_else(|| Self {
                version: "dev".into(),
                field_bundle: "app".into(),
                full_bundle: "app".into(),
                css: "/pkg/app.css".into(),
                files: vec![],
                later: vec![],
            })
    }

    /// The bundle that hydrates `page`.
    pub fn bundle_of(&self, page: Page) -> &str {
        if page.in_field_bundle() {
            &self.field_bundle
        } else {
            &self.full_bundle
        }
    }
}

/// The pages the service worker keeps for offline use. They are shells: the
/// data comes from the device's store after hydration.
pub fn offline_pages() -> Vec<&'static str> {
    Page::ALL
        .iter()
        .copied()
        .filter(|p| p.works_offline())
        .map(Page::path)
        .collect()
}

const SW_TEMPLATE: &str = include_str!("../assets/sw.js");

pub fn service_worker(manifest: &SiteManifest) -> impl IntoResponse {
    let pages = serde_json::to_string(&offline_pages()).expect("serialisable");
    let files = serde_json::to_string(&manifest.files).expect("serialisable");
    let later = serde_json::to_string(&manifest.later).expect("serialisable");
    let body = SW_TEMPLATE
        .replace("__VERSION__", &manifest.version)
        .replace("__PAGES__", &pages)
        .replace("__FILES__", &files)
        .replace("__LATER__", &later)
        .replace("__FILES_DB__", attachment::DEVICE_DB)
        .replace("__FILES_STORE__", attachment::DEVICE_STORE)
        .replace("__CHUNK__", &attachment::CHUNK_MAX.to_string())
        .replace(
            "__KEEP_SENT_MS__",
            &(attachment::KEEP_SENT_DAYS * 24 * 3600 * 1000).to_string(),
        );
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            // The browser must always check for a new worker.
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
}

/// `/pkg`: content-hashed names, so they may be cached for a year.
pub fn pkg_service(site_root: &Path) -> SetResponseHeader<ServeDir, HeaderValue> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    SetResponseHeaderLayer::overriding(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
    .layer(files)
}

/// Pages and API answers must be revalidated every time.
pub fn no_cache_layer() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}

/// The web app manifest: Chrome on Android offers to install the app
/// ("Cài đặt ứng dụng"), which then opens full screen at the capture list,
/// offline too (the service worker keeps that page).
pub fn web_manifest() -> impl IntoResponse {
    let icon = |size: u32, purpose: &str| {
        serde_json::json!({
            "src": format!("/icons/icon-{size}.png"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": purpose,
        })
    };
    let manifest = serde_json::json!({
        "id": "/capture",
        "name": "Đối thoại với Nhân dân",
        "short_name": "Đối thoại",
        "description": "Ghi biên bản đối thoại trực tiếp với Nhân dân, kể cả khi không có mạng.",
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/capture",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": "#8b1a1a",
        "background_color": "#f6f5f2",
        // One image serves both: red to every edge, letters in the middle
        // 60% (scripts/make_icons.sh).
        "icons": [icon(192, "any"), icon(512, "any"), icon(192, "maskable"), icon(512, "maskable")],
    });
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        )],
        manifest.to_string(),
    )
}

/// The installed app's icons (`scripts/make_icons.sh`), in the binary.
pub fn icon(size: u32) -> impl IntoResponse {
    let png: &'static [u8] = match size {
        192 => include_bytes!("../assets/icons/icon-192.png"),
        _ => include_bytes!("../assets/icons/icon-512.png"),
    };
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        png,
    )
}
