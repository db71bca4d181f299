//! What every answer carries against the browser-side attacks, and what a
//! state-changing request must show: security headers (a Content-Security-
//! Policy without `unsafe-eval`, `nosniff`, no framing, same-origin
//! referrers), `no-store` on the API, and for writes a JSON body from the
//! server's own origin, so a cross-site form posting with the session
//! cookie does nothing.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, ORIGIN, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;

/// The policy of a page: its own files, its inline hydration script by the
/// nonce Leptos puts on it, wasm compiled from its own bundle, and `blob:`
/// images and audio: the tablet shows the photos and notes it keeps (object
/// URLs of its own IndexedDB blobs) before they are sent.
pub fn page_policy(nonce: &str) -> HeaderValue {
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).expect("a nonce is URL-safe base64")
}

/// The policy of everything that is not a page (API answers, files, the
/// service worker, whose own fetches it governs).
const OTHER_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the headers every answer carries; a page's own policy is kept.
pub fn with_headers(router: Router) -> Router {
    let fixed: [(HeaderName, &'static str); 3] = [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "same-origin"),
        (X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = router.layer(SetResponseHeaderLayer::if_not_present(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(OTHER_POLICY),
    ));
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// A request that changes state must carry JSON and, when a browser says
/// where it comes from, come from this server's own origin. A cross-site
/// form can send neither JSON nor this origin without the browser asking
/// first (CORS), which this server never allows.
pub async fn same_origin_json_writes(request: Request, next: Next) -> Result<Response, AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(next.run(request).await);
    }
    let headers = request.headers();
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin_host = headers.get(ORIGIN).map(|o| {
        o.to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, h)| h)
    });
    if let Some(from) = origin_host {
        if from.is_none() || from != host {
            return Err(AppError::client(
                StatusCode::FORBIDDEN,
                "cross_origin",
                "Yêu cầu không đến từ trang của ứng dụng",
                "The request does not come from this application's pages",
            ));
        }
    }
    // An attachment's bytes are bytes; no cross-site form sends them either.
    let bytes = request.uri().path().ends_with("/bytes")
        && headers
            .get(CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == b"application/octet-stream");
    if !is_json(headers) && !bytes {
        return Err(AppError::not_json());
    }
    Ok(next.run(request).await)
}

/// Whether a request says its body is JSON.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}
