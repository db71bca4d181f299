//! The JSON body extractor used by every write endpoint: a size limit (413),
//! optional gzip request bodies (the sync client compresses its pushes), and
//! parse errors in the common JSON error shape (422) instead of plain text.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use std::io::Read;

use crate::error::AppError;

/// A JSON body of at most `shared::sync::MAX_PUSH_BYTES`, decompressed.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, AppError> {
        let limit = shared::sync::MAX_PUSH_BYTES;
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::client(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                "Dữ liệu phải ở dạng JSON",
                "The body must be JSON (Content-Type: application/json)",
            ));
        }
        let gzip = req
            .headers()
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v == "gzip");
        let raw: Bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| AppError::too_large())?;
        let bytes = if gzip {
            let mut out = Vec::new();
            // Read one byte past the limit to tell "exactly at" from "over".
            flate2::read::GzDecoder::new(&raw[..])
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| AppError::invalid_json("gzip"))?;
            if out.len() > limit {
                return Err(AppError::too_large());
            }
            Bytes::from(out)
        } else {
            raw
        };
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| AppError::invalid_json(&describe(&e)))
    }
}

/// serde's message names the field and what was expected, never the value.
fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line").next().unwrap_or(&text).to_owned()
}

/// Query-string parameters, with errors in the common JSON shape (422)
/// instead of axum's plain-text rejection.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, AppError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Params(q.0))
            .map_err(|e| {
                AppError::client(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_query",
                    format!("Tham số không hợp lệ: {}", e.body_text()),
                    format!("Invalid parameters: {}", e.body_text()),
                )
            })
    }
}
