//! The JSON body extractor used by every write endpoint: a size limit (413),
//! optional gzip request bodies (the sync client compresses its pushes), and
//! parse errors in the common JSON error shape (422) instead of plain text.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_ENCODING;
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
        if !crate::security::is_json(req.headers()) {
            return Err(AppError::not_json());
        }
        // gzip is decoded; an encoding this server does not decode is refused,
        // never read as plain JSON.
        let gzip = match req.headers().get(CONTENT_ENCODING).map(|v| v.as_bytes()) {
            None | Some(b"identity") => false,
            Some(b"gzip") => true,
            Some(_) => {
                return Err(AppError::client(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_encoding",
                    "Dữ liệu được nén theo cách máy chủ không đọc được (chỉ nhận gzip)",
                    "The body's Content-Encoding is not supported (gzip only)",
                ))
            }
        };
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
        let bytes = nfc(bytes);
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| AppError::invalid_json(&describe(&e)))
    }
}

/// The body with its text in Unicode NFC: a tablet's keyboard may send
/// "ế" as "e" and two combining marks (NFD); stored, searched, sorted and
/// printed, the same letter is one form. JSON's own syntax is ASCII, which
/// NFC leaves as it is. Most bodies are NFC already, found by a quick scan.
fn nfc(bytes: Bytes) -> Bytes {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match std::str::from_utf8(&bytes) {
        Ok(text) if is_nfc_quick(text.chars()) != IsNormalized::Yes => {
            Bytes::from(text.nfc().collect::<String>())
        }
        // Not UTF-8: the parser refuses it with its own message.
        _ => bytes,
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
