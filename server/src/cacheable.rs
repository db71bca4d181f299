//! Answers that are the same for every reader (the public results): a
//! short `Cache-Control` so phones and proxies keep them a minute, and an
//! ETag of the body so a reader who has the page gets `304 Not Modified`
//! instead of it again. The tag is weak (`W/`): the compression layer may
//! send other bytes of the same content.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// How long a reader may keep a public answer without asking again.
pub const MAX_AGE: &str = "public, max-age=60";

/// `body` as `content_type`, or 304 when the reader's copy is the same.
pub fn answer(request: &HeaderMap, content_type: &'static str, body: String) -> Response {
    let digest = Sha256::digest(body.as_bytes());
    let tag = format!("W/\"{}\"", hex::encode(&digest[..16]));
    let tag = HeaderValue::from_str(&tag).expect("hex is a valid header");
    let headers = [
        (CACHE_CONTROL, HeaderValue::from_static(MAX_AGE)),
        (ETAG, tag.clone()),
    ];
    if matches(request, &tag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (
        headers,
        [(CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

/// Whether `If-None-Match` names `tag` (weakly compared, or `*`).
fn matches(request: &HeaderMap, tag: &HeaderValue) -> bool {
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = strip(tag.to_str().unwrap_or_default());
    request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || strip(t) == ours)
}
