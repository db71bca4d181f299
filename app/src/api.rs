//! Calls to the server's JSON API. Errors come back as the server's message
//! in the current language, or a plain network error.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::Lang;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline or the server is down.
    Network,
    /// The server answered with an error.
    Server {
        status: u16,
        code: String,
        message: String,
    },
}

impl ApiError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Network, Lang::Vi) => "Không kết nối được máy chủ".into(),
            (Self::Network, Lang::En) => "Cannot reach the server".into(),
            (Self::Server { message, .. }, _) => message.clone(),
        }
    }
}

async fn read<T: DeserializeOwned>(response: Response, lang: Lang) -> Result<T, ApiError> {
    if response.ok() {
        return response.json().await.map_err(|_| ApiError::Network);
    }
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let error = &body["error"];
    let key = if lang == Lang::En {
        "message_en"
    } else {
        "message"
    };
    Err(ApiError::Server {
        status,
        code: error["code"].as_str().unwrap_or("unknown").to_owned(),
        message: error[key].as_str().unwrap_or("Lỗi máy chủ").to_owned(),
    })
}

pub async fn get<T: DeserializeOwned>(url: &str, lang: Lang) -> Result<T, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response, lang).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let response = Request::post(url)
        .json(body)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response, lang).await
}

/// A POST of gzip-compressed JSON: sync batches shrink several times over.
/// Falls back to plain JSON where the browser lacks `CompressionStream`.
pub async fn post_gzip<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    let Some(compressed) = gzip(&json).await else {
        // No CompressionStream in this browser: send the same JSON plainly.
        let response = Request::post(url)
            .header("content-type", "application/json")
            .body(json)
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        return read(response, lang).await;
    };
    let response = Request::post(url)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(compressed)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response, lang).await
}

async fn gzip(text: &str) -> Option<js_sys::Uint8Array> {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &"CompressionStream".into()).unwrap_or(false) {
        return None;
    }
    let compress = js_sys::Function::new_with_args(
        "text",
        "return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()",
    );
    let promise: js_sys::Promise = compress
        .call1(&wasm_bindgen::JsValue::NULL, &text.into())
        .ok()?
        .into();
    let buffer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer))
}

/// A POST whose answer has no body.
pub async fn post_empty(url: &str) -> Result<(), ApiError> {
    Request::post(url)
        .send()
        .await
        .map(|_| ())
        .map_err(|_| ApiError::Network)
}
