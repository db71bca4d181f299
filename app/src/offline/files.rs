//! Photos of the signed pages and audio notes on the tablet. They live in
//! IndexedDB, not localStorage: files are blobs, and forty pages need more
//! room than localStorage has. Each file is written in one transaction with
//! strict durability, so once the screen says "kept" a power cut loses
//! nothing. A photo is reduced here first (long side 1,600 px, JPEG). The
//! service worker sends them (`server/assets/sw.js`): the page only keeps
//! files, asks it to send, and shows the state it wrote back.
//! Full bundle only: the capture screens never download this.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use shared::attachment::{
    AttachmentKind, DEVICE_DB, DEVICE_INDEX, DEVICE_STORE, PHOTO_LONG_SIDE, PHOTO_QUALITY,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbRequest, IdbTransaction};

/// Where a kept file stands, as the service worker last wrote it.
#[derive(Clone, Debug, PartialEq)]
pub enum Sending {
    Waiting,
    Sent,
    /// The server refused it for good (a limit): its words.
    Refused {
        message: String,
        message_en: String,
    },
}

/// A file on the device, as a page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub id: String,
    pub kind: AttachmentKind,
    pub size: u64,
    pub taken_at: f64,
    pub state: Sending,
    /// An object URL of the blob, for `<img>` and `<audio>`; revoked by
    /// [`forget_urls`].
    pub url: String,
}

/// A file ready to keep: the facts the server is told, and the bytes.
pub struct NewFile {
    pub id: String,
    pub user: String,
    pub dialogue_id: String,
    pub kind: AttachmentKind,
    pub media_type: String,
    pub sha256: String,
    pub blob: Blob,
}

fn error_text(e: JsValue) -> String {
    super::exception_name(&e)
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A promise settled by an IndexedDB request's or transaction's events.
fn settled(target: &web_sys::EventTarget, ok: &str, failures: &[&str]) -> JsFuture {
    let target = target.clone();
    let (ok, failures) = (
        ok.to_owned(),
        failures.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
    );
    JsFuture::from(Promise::new(&mut |resolve: Function, reject: Function| {
        let _ = target.add_event_listener_with_callback(&ok, &resolve);
        for failure in &failures {
            let _ = target.add_event_listener_with_callback(failure, &reject);
        }
    }))
}

async fn request(req: IdbRequest) -> Result<JsValue, String> {
    settled(&req, "success", &["error"]).await.map_err(|_| {
        req.error()
            .ok()
            .flatten()
            .map(|e| e.name())
            .unwrap_or_else(|| "error".into())
    })?;
    req.result().map_err(error_text)
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("indexedDB")?;
    let open = factory.open_with_u32(DEVICE_DB, 1).map_err(error_text)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(db) = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_key_path(&"id".into());
        if let Ok(store) = db.create_object_store_with_optional_parameters(DEVICE_STORE, &params) {
            let _ = store.create_index_with_str(DEVICE_INDEX, "dialogue_id");
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = request(open.into()).await;
    drop(upgrade);
    db?.dyn_into().map_err(error_text)
}

/// The files of a dialogue that `user` took, oldest first.
pub async fn of_dialogue(user: &str, dialogue: &str) -> Result<Vec<Kept>, String> {
    let db = open().await?;
    let index = db
        .transaction_with_str(DEVICE_STORE)
        .and_then(|tx| tx.object_store(DEVICE_STORE))
        .and_then(|store| store.index(DEVICE_INDEX))
        .map_err(error_text)?;
    let all = request(
        index
            .get_all_with_key(&dialogue.into())
            .map_err(error_text)?,
    )
    .await;
    db.close();
    let mut files: Vec<Kept> = Array::from(&all?)
        .iter()
        .filter(|f| get(f, "user").as_string().as_deref() == Some(user))
        .filter_map(|f| {
            let blob: Blob = get(&f, "blob").dyn_into().ok()?;
            let state = match get(&f, "state").as_string()?.as_str() {
                "sent" => Sending::Sent,
                "refused" => Sending::Refused {
                    message: get(&f, "message").as_string().unwrap_or_default(),
                    message_en: get(&f, "message_en").as_string().unwrap_or_default(),
                },
                _ => Sending::Waiting,
            };
            Some(Kept {
                id: get(&f, "id").as_string()?,
                kind: match get(&f, "kind").as_string()?.as_str() {
                    "audio" => AttachmentKind::Audio,
                    _ => AttachmentKind::Photo,
                },
                size: get(&f, "size").as_f64()? as u64,
                taken_at: get(&f, "taken_at").as_f64().unwrap_or_default(),
                state,
                url: web_sys::Url::create_object_url_with_blob(&blob).ok()?,
            })
        })
        .collect();
    files.sort_by(|a, b| a.taken_at.total_cmp(&b.taken_at));
    Ok(files)
}

/// Lets the browser free the blobs a list showed.
pub fn forget_urls(files: &[Kept]) {
    for file in files {
        let _ = web_sys::Url::revoke_object_url(&file.url);
    }
}

/// Writes one store change with strict durability and waits until it is on
/// disk.
async fn write(
    change: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<(), String> {
    let db = open().await?;
    let options = Object::new();
    Reflect::set(&options, &"durability".into(), &"strict".into()).map_err(error_text)?;
    // `transaction(store, "readwrite", { durability: "strict" })`: web-sys
    // has the options only behind its unstable flag.
    let transaction: Function = get(&db, "transaction").unchecked_into();
    let tx: IdbTransaction = transaction
        .call3(&db, &DEVICE_STORE.into(), &"readwrite".into(), &options)
        .map_err(error_text)?
        .unchecked_into();
    let done = settled(&tx, "complete", &["error", "abort"]);
    let store = tx.object_store(DEVICE_STORE).map_err(error_text)?;
    change(&store).map_err(error_text)?;
    let result = done.await.map_err(|_| {
        tx.error()
            .map(|e| e.name())
            .unwrap_or_else(|| "error".into())
    });
    db.close();
    result.map(|_| ())
}

/// Keeps a file, waiting for the service worker to send it.
pub async fn keep(file: NewFile) -> Result<(), String> {
    let record = Object::new();
    let size = file.blob.size();
    for (key, value) in [
        ("id", JsValue::from(file.id)),
        ("user", file.user.into()),
        ("dialogue_id", file.dialogue_id.into()),
        ("kind", shared::text::tag(&file.kind).into()),
        ("media_type", file.media_type.into()),
        ("size", size.into()),
        ("sha256", file.sha256.into()),
        ("blob", file.blob.into()),
        ("taken_at", js_sys::Date::now().into()),
        ("state", "waiting".into()),
    ] {
        Reflect::set(&record, &key.into(), &value).map_err(error_text)?;
    }
    write(|store| store.put(&record)).await
}

/// Removes a file not sent yet (a photo taken by mistake).
pub async fn remove(id: &str) -> Result<(), String> {
    write(|store| store.delete(&id.into())).await
}

/// Asks the service worker to send what waits now; and, where the browser
/// can (Chrome), to send it when the network is back even with no page open.
pub fn ask_to_send() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let workers = window.navigator().service_worker();
    if let Some(worker) = workers.controller() {
        let _ = worker.post_message(&"attachments".into());
    }
    let Ok(ready) = workers.ready() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let sync = get(&registration, "sync");
        if let Ok(register) = get(&sync, "register").dyn_into::<Function>() {
            let _ = register.call1(&sync, &"attachments".into());
        }
    });
}

/// Calls `changed` whenever the service worker says a file's state moved.
pub fn on_sent(changed: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if event.data().as_string().as_deref() == Some("attachments") {
                changed();
            }
        });
    let _ = window
        .navigator()
        .service_worker()
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    // Listens for the page's life.
    listener.forget();
}

/// The SHA-256 of a blob, lowercase hex, as the server checks it.
pub async fn sha256(blob: &Blob) -> Result<String, String> {
    let bytes = JsFuture::from(blob.array_buffer())
        .await
        .map_err(error_text)?;
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or("crypto")?
        .subtle();
    let digest = subtle
        .digest_with_str_and_buffer_source("SHA-256", &bytes.into())
        .map_err(error_text)?;
    let digest = Uint8Array::new(&JsFuture::from(digest).await.map_err(error_text)?);
    Ok(digest.to_vec().iter().map(|b| format!("{b:02x}")).collect())
}

/// A photo as the tablet keeps it: its long side at most 1,600 px, JPEG.
/// The camera's orientation is applied (the browser's default).
pub async fn reduce_photo(photo: &Blob) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("window")?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(photo)
            .map_err(error_text)?,
    )
    .await
    .map_err(|_| "not_an_image".to_owned())?
    .dyn_into()
    .map_err(error_text)?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let scale = (PHOTO_LONG_SIDE as f64 / w.max(h) as f64).min(1.0);
    let (dw, dh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .ok_or("document")?
        .create_element("canvas")
        .map_err(error_text)?
        .unchecked_into();
    canvas.set_width(dw);
    canvas.set_height(dh);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(error_text)?
        .ok_or("canvas")?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, dw as f64, dh as f64)
        .map_err(error_text)?;
    bitmap.close();
    let encoded = Promise::new(&mut |resolve: Function, _reject: Function| {
        let _ = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &PHOTO_QUALITY.into(),
        );
    });
    JsFuture::from(encoded)
        .await
        .map_err(error_text)?
        .dyn_into()
        .map_err(|_| "encode".to_owned())
}

/// An audio note being recorded from the microphone.
pub struct Recording {
    recorder: web_sys::MediaRecorder,
    stream: web_sys::MediaStream,
    parts: std::rc::Rc<std::cell::RefCell<Vec<JsValue>>>,
    media_type: &'static str,
}

/// The first of the server's audio types this browser records:
/// Chrome and Firefox WebM or Ogg (Opus), Safari MP4 (AAC).
fn recordable_type() -> Option<&'static str> {
    AttachmentKind::Audio
        .media_types()
        .iter()
        .copied()
        .find(|t| web_sys::MediaRecorder::is_type_supported(t))
}

impl Recording {
    /// Asks for the microphone and starts recording.
    pub async fn start() -> Result<Self, String> {
        let media_type = recordable_type().ok_or("NotSupportedError")?;
        let devices = web_sys::window()
            .ok_or("window")?
            .navigator()
            .media_devices()
            .map_err(error_text)?;
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio_bool(true);
        let stream: web_sys::MediaStream = JsFuture::from(
            devices
                .get_user_media_with_constraints(&constraints)
                .map_err(error_text)?,
        )
        .await
        .map_err(error_text)?
        .dyn_into()
        .map_err(error_text)?;
        let options = web_sys::MediaRecorderOptions::new();
        options.set_mime_type(media_type);
        let recorder = web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(
            &stream, &options,
        )
        .map_err(error_text)?;
        let parts = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let collect = parts.clone();
        let on_data =
            Closure::<dyn Fn(web_sys::BlobEvent)>::new(move |event: web_sys::BlobEvent| {
                if let Some(data) = event.data() {
                    collect.borrow_mut().push(data.into());
                }
            });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        // Lives as long as the recorder, which holds it.
        on_data.forget();
        recorder.start().map_err(error_text)?;
        Ok(Self {
            recorder,
            stream,
            parts,
            media_type,
        })
    }

    /// Stops, releases the microphone and gives the note with its media type.
    pub async fn stop(self) -> Result<(Blob, &'static str), String> {
        let stopped = settled(&self.recorder, "stop", &["error"]);
        self.recorder.stop().map_err(error_text)?;
        stopped.await.map_err(error_text)?;
        for track in self.stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
        let parts: Array = self.parts.borrow().iter().collect();
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type(self.media_type);
        let blob = Blob::new_with_blob_sequence_and_options(&parts, &bag).map_err(error_text)?;
        Ok((blob, self.media_type))
    }
}
