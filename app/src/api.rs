//! Calls to the server's JSON API over the browser's `fetch`. Errors come
//! back as the server's message in the current language, or a plain network
//! error.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::{ErrorBody, Lang};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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

/// A request body: JSON text, or gzip-compressed JSON bytes.
enum Body {
    Json(String),
    Gzip(js_sys::Uint8Array),
}

/// Sends one request and returns the status and the body text. Cookies go
/// along (same origin), so the session applies.
async fn send(method: &str, url: &str, body: Option<Body>) -> Result<(u16, String), ApiError> {
    let network = |_: JsValue| ApiError::Network;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(network)?;
    match body {
        Some(Body::Json(text)) => {
            headers
                .set("content-type", "application/json")
                .map_err(network)?;
            init.set_body(&JsValue::from_str(&text));
        }
        Some(Body::Gzip(bytes)) => {
            headers
                .set("content-type", "application/json")
                .map_err(network)?;
            headers.set("content-encoding", "gzip").map_err(network)?;
            init.set_body(&bytes);
        }
        None => {}
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// Turns an answer into `T`, or into the server's error in `lang`.
fn read<T: DeserializeOwned>((status, text): (u16, String), lang: Lang) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        // A 2xx body we cannot read means a proxy or portal answered, not us.
        return serde_json::from_str(&text).map_err(|_| ApiError::Network);
    }
    let body: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
    // Not our JSON (a proxy's error page): say so plainly.
    let message = match (body.error.message(lang), lang) {
        ("", Lang::Vi) => format!("Lỗi máy chủ ({status})"),
        ("", Lang::En) => format!("Server error ({status})"),
        (message, _) => message.to_owned(),
    };
    let code = match body.error.code.as_str() {
        "" => "unknown".to_owned(),
        code => code.to_owned(),
    };
    Err(ApiError::Server {
        status,
        code,
        message,
    })
}

pub async fn get<T: DeserializeOwned>(url: &str, lang: Lang) -> Result<T, ApiError> {
    read(send("GET", url, None).await?, lang)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    read(send("POST", url, Some(Body::Json(json))).await?, lang)
}

/// `{}`: the body of a write that says nothing.
#[derive(serde::Serialize)]
pub struct Empty {}

/// A write with a JSON body by any method: `PUT`, or `DELETE` with `{}`
/// (the server takes writes as JSON only). No content reads as `null`, a
/// `()` answer. The desktop screens' (the tablet uses [`post`]).
pub async fn write<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    let (status, text) = send(method, url, Some(Body::Json(json))).await?;
    let text = if text.is_empty() {
        "null".to_owned()
    } else {
        text
    };
    read((status, text), lang)
}

/// A POST of gzip-compressed JSON: sync batches shrink several times over.
/// Falls back to plain JSON where the browser lacks `CompressionStream`.
pub async fn post_gzip<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    let body = match gzip(&json).await {
        Some(bytes) => Body::Gzip(bytes),
        None => Body::Json(json),
    };
    read(send("POST", url, Some(body)).await?, lang)
}

/// `new Response(new Response(text).body.pipeThrough(new CompressionStream("gzip"))).arrayBuffer()`,
/// through `Reflect`: no `eval`, so the pages' policy needs no
/// `unsafe-eval`, and no web-sys bindings, which would cost the tablet's
/// bundle more. `None` where the browser has no `CompressionStream`.
async fn gzip(text: &str) -> Option<js_sys::Uint8Array> {
    use js_sys::{Array, Function, Reflect};
    // Unchecked: calling what is not a function throws, and that is `None`.
    let get = |target: &JsValue, name: &str| Reflect::get(target, &name.into()).ok();
    let global = js_sys::global();
    let new = |class: &str, arg: &JsValue| {
        Reflect::construct(
            get(&global, class)?.unchecked_ref::<Function>(),
            &Array::of1(arg),
        )
        .ok()
    };
    let call = |target: &JsValue, method: &str, args: &Array| {
        Reflect::apply(
            get(target, method)?.unchecked_ref::<Function>(),
            target,
            args,
        )
        .ok()
    };
    let compressor = new("CompressionStream", &"gzip".into())?;
    let body = get(&new("Response", &text.into())?, "body")?;
    let compressed = new(
        "Response",
        &call(&body, "pipeThrough", &Array::of1(&compressor))?,
    )?;
    let read = call(&compressed, "arrayBuffer", &Array::new())?;
    let buffer = JsFuture::from(js_sys::Promise::from(read)).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer))
}

/// A POST with nothing to say (an empty JSON object: the server takes
/// writes as JSON only) whose answer has no body.
pub async fn post_empty(url: &str) -> Result<(), ApiError> {
    send("POST", url, Some(Body::Json("{}".into())))
        .await
        .map(|_| ())
}
