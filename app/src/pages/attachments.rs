//! The signed paper and audio notes of a dialogue, on the tablet: the
//! secretary photographs each signed page (reduced before it is kept) and
//! may record a short note; the page says what waits on the device and what
//! the server has. Works offline: the full bundle runs it (the service
//! worker keeps it after the first visit), so the capture screens never
//! download a byte of it. The service worker sends the files.

use leptos::prelude::*;

use super::edit::dialogue_param;
use crate::i18n::{t, texts, D, T};
use crate::state::use_ctx;

texts! { A {
    Title => "Ảnh trang biên bản đã ký và ghi âm", "Photos of the signed pages and audio notes";
    Hint => "Ảnh được thu nhỏ và lưu ngay trên máy này, rồi tự gửi lên máy chủ khi có mạng: tắt máy hay mất mạng cũng không mất.", "Photos are reduced and kept on this tablet at once, then sent to the server when there is a network: nothing is lost if the tablet goes off or offline.";
    TakePhoto => "Chụp ảnh trang đã ký", "Photograph a signed page";
    Record => "Ghi âm", "Record an audio note";
    StopRecording => "Dừng ghi âm", "Stop recording";
    Recording => "Đang ghi âm…", "Recording…";
    Working => "Đang lưu…", "Saving…";
    Photo => "Ảnh", "Photo";
    Audio => "Ghi âm", "Audio note";
    Waiting => "Chờ gửi lên máy chủ", "Waiting to be sent";
    Sent => "Đã gửi lên máy chủ", "Sent to the server";
    Refused => "Máy chủ từ chối", "Refused by the server";
    Remove => "Xóa", "Remove";
    ConfirmRemove => "Xóa tệp này khỏi máy? Tệp chưa được gửi lên máy chủ nên sẽ mất hẳn.", "Remove this file from the tablet? It has not been sent, so it will be gone.";
    NoFile => "Chưa có tệp nào.", "No file yet.";
    NotAnImage => "Tệp đã chọn không phải là ảnh.", "The file chosen is not an image.";
    StorageFull => "Bộ nhớ của máy đã đầy: không lưu được tệp. Hãy đồng bộ và xóa bớt dữ liệu.", "The tablet's storage is full: the file was not kept. Sync and free some space.";
    NoMicrophone => "Không dùng được micrô: hãy cho phép ứng dụng ghi âm.", "The microphone cannot be used: allow the app to record.";
    TooMany => "Mỗi buổi đối thoại đính kèm tối đa 40 tệp.", "A dialogue holds at most 40 files.";
    TooLarge => "Tệp quá lớn (ảnh tối đa 8 MB, ghi âm tối đa 20 MB).", "The file is too large (photos up to 8 MB, audio notes up to 20 MB).";
    NotKept => "Không lưu được tệp", "The file was not kept";
}}

#[component]
pub fn AttachmentsPage() -> impl IntoView {
    let ctx = use_ctx();
    let id = dialogue_param();
    let title = move || {
        id.and_then(|id| {
            ctx.workspace
                .with(|ws| ws.dialogue(&id).map(|d| d.topic.clone()))
        })
    };
    // Whether the minutes are on the device, as a memo: a sync that changes
    // them must not draw the files again (a recording would be lost).
    let present = Memo::new(move |_| {
        id.is_some_and(|id| ctx.workspace.with(|ws| ws.dialogue(&id).is_some()))
    });
    view! {
        <nav class="crumbs">
            <a href=move || id.map(|id| format!("/capture/edit?d={id}")).unwrap_or_else(|| "/capture".into())>{t(T::Back)}</a>
        </nav>
        <h1>{A::Title.text()}</h1>
        {move || match (ctx.ready.get(), present.get(), id) {
            (true, true, Some(id)) => view! {
                <p class="subtitle">{title}</p>
                <p class="hint">{A::Hint.text()}</p>
                {
                    #[cfg(feature = "hydrate")]
                    { view! { <device::Files dialogue=id.to_string() /> }.into_any() }
                    // The server renders no files: they are the tablet's.
                    #[cfg(not(feature = "hydrate"))]
                    { let _ = id; ().into_any() }
                }
            }.into_any(),
            (true, _, _) => view! { <p class="notice" role="alert" data-testid="not-on-device">{D::NotOnDevice.text()}</p> }.into_any(),
            (false, _, _) => view! { <p>{t(T::Loading)}</p> }.into_any(),
        }}
    }
}

/// What the browser does: the device's files, the camera and the microphone.
#[cfg(feature = "hydrate")]
mod device {
    use super::A;
    use crate::i18n::use_lang;
    use crate::offline::files::{self, Kept, NewFile, Recording, Sending};
    use crate::state::use_ctx;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use shared::attachment::{AttachmentKind, NewAttachment, PER_DIALOGUE_MAX};
    use shared::DialogueId;

    /// Why a file was not kept, as the secretary reads it.
    fn problem(reason: &str) -> A {
        match reason {
            "not_an_image" => A::NotAnImage,
            "QuotaExceededError" => A::StorageFull,
            "NotAllowedError" | "NotFoundError" | "NotSupportedError" | "NotReadableError" => {
                A::NoMicrophone
            }
            "too_many" => A::TooMany,
            "too_large" => A::TooLarge,
            _ => A::NotKept,
        }
    }

    #[component]
    pub fn Files(dialogue: String) -> impl IntoView {
        let ctx = use_ctx();
        let lang = use_lang();
        let user = ctx
            .session
            .with_untracked(|s| s.as_ref().map(|u| u.id.to_string()))
            .unwrap_or_default();
        let listed = RwSignal::new(None::<Result<Vec<Kept>, String>>);
        let failed = RwSignal::new(None::<A>);
        let busy = RwSignal::new(false);
        let recording = StoredValue::new_local(None::<Recording>);
        let is_recording = RwSignal::new(false);
        let reload = {
            let (user, dialogue) = (user.clone(), dialogue.clone());
            move || {
                let (user, dialogue) = (user.clone(), dialogue.clone());
                spawn_local(async move {
                    let files = files::of_dialogue(&user, &dialogue).await;
                    if let Some(Ok(old)) = listed.get_untracked() {
                        files::forget_urls(&old);
                    }
                    listed.set(Some(files));
                });
            }
        };
        reload();
        files::on_sent(reload.clone());
        files::ask_to_send();
        let keep = {
            let (user, dialogue, reload) = (user.clone(), dialogue.clone(), reload.clone());
            move |blob: web_sys::Blob, kind: AttachmentKind, media_type: &'static str| {
                let (user, dialogue, reload) = (user.clone(), dialogue.clone(), reload.clone());
                async move {
                    let held = listed.with_untracked(|l| {
                        l.as_ref()
                            .and_then(|l| l.as_ref().ok())
                            .map(|l| {
                                l.iter()
                                    .filter(|f| !matches!(f.state, Sending::Refused { .. }))
                                    .count()
                            })
                            .unwrap_or(0)
                    });
                    if held as i64 >= PER_DIALOGUE_MAX {
                        return Err("too_many".to_owned());
                    }
                    let sha256 = files::sha256(&blob).await?;
                    let facts = NewAttachment {
                        dialogue_id: DialogueId::parse(&dialogue).map_err(|e| e.to_string())?,
                        kind,
                        media_type: media_type.to_owned(),
                        size: blob.size() as u64,
                        sha256: sha256.clone(),
                    };
                    facts.validate().map_err(|_| "too_large".to_owned())?;
                    files::keep(NewFile {
                        id: uuid::Uuid::now_v7().to_string(),
                        user,
                        dialogue_id: dialogue,
                        kind,
                        media_type: media_type.to_owned(),
                        sha256,
                        blob,
                    })
                    .await?;
                    reload();
                    files::ask_to_send();
                    Ok(())
                }
            }
        };
        let on_photos = {
            let keep = keep.clone();
            move |ev: leptos::ev::Event| {
                let input: web_sys::HtmlInputElement = event_target(&ev);
                let chosen: Vec<web_sys::File> = input
                    .files()
                    .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                    .unwrap_or_default();
                // The same photo may be chosen again.
                input.set_value("");
                let keep = keep.clone();
                spawn_local(async move {
                    busy.set(true);
                    failed.set(None);
                    for photo in chosen {
                        let kept = match files::reduce_photo(&photo).await {
                            Ok(jpeg) => keep(jpeg, AttachmentKind::Photo, "image/jpeg").await,
                            Err(e) => Err(e),
                        };
                        if let Err(reason) = kept {
                            failed.set(Some(problem(&reason)));
                            break;
                        }
                    }
                    busy.set(false);
                });
            }
        };
        let on_record = move |_| {
            let keep = keep.clone();
            spawn_local(async move {
                failed.set(None);
                match recording.try_update_value(Option::take).flatten() {
                    None => match Recording::start().await {
                        Ok(started) => {
                            recording.set_value(Some(started));
                            is_recording.set(true);
                        }
                        Err(reason) => failed.set(Some(problem(&reason))),
                    },
                    Some(started) => {
                        is_recording.set(false);
                        busy.set(true);
                        let kept = match started.stop().await {
                            Ok((note, media_type)) => {
                                keep(note, AttachmentKind::Audio, media_type).await
                            }
                            Err(e) => Err(e),
                        };
                        if let Err(reason) = kept {
                            failed.set(Some(problem(&reason)));
                        }
                        busy.set(false);
                    }
                }
            });
        };
        let remove = move |id: String| {
            let reload = reload.clone();
            move |_| {
                if !super::super::edit::confirm(A::ConfirmRemove.get(lang.get_untracked())) {
                    return;
                }
                let (id, reload) = (id.clone(), reload.clone());
                spawn_local(async move {
                    if let Err(reason) = files::remove(&id).await {
                        failed.set(Some(problem(&reason)));
                    }
                    reload();
                });
            }
        };
        view! {
            <div class="actions">
                // A label styled as a button opens the camera (or the
                // gallery); the input itself stays out of sight.
                <label class="button primary" class:disabled=busy>
                    {A::TakePhoto.text()}
                    <input type="file" class="sr-only" accept="image/*" capture="environment" multiple
                        data-testid="take-photo" on:change=on_photos disabled=busy />
                </label>
                <button type="button" data-testid="record" on:click=on_record disabled=busy>
                    {move || if is_recording.get() { A::StopRecording.get(lang.get()) } else { A::Record.get(lang.get()) }}
                </button>
                {move || is_recording.get().then(|| view! { <span role="status">{A::Recording.text()}</span> })}
                {move || busy.get().then(|| view! { <span role="status" data-testid="working">{A::Working.text()}</span> })}
            </div>
            {move || failed.get().map(|a| view! { <p class="error" role="alert" data-testid="file-error">{a.text()}</p> })}
            {move || match listed.get() {
                None => ().into_any(),
                Some(Err(reason)) => view! { <p class="error" role="alert">{problem(&reason).text()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p data-testid="no-files">{A::NoFile.text()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="files" data-testid="files">
                        {list.into_iter().enumerate().map(|(i, file)| {
                            let label = move || format!("{} {}", if file.kind == AttachmentKind::Photo { A::Photo.get(lang.get()) } else { A::Audio.get(lang.get()) }, i + 1);
                            let media = match file.kind {
                                AttachmentKind::Photo => view! { <img src=file.url.clone() alt=label /> }.into_any(),
                                AttachmentKind::Audio => view! { <audio controls src=file.url.clone() aria-label=label></audio> }.into_any(),
                            };
                            let state = match &file.state {
                                Sending::Waiting => "waiting",
                                Sending::Sent => "sent",
                                Sending::Refused { .. } => "refused",
                            };
                            let said = match file.state.clone() {
                                Sending::Waiting => view! { <span class="pending">{A::Waiting.text()}</span> }.into_any(),
                                Sending::Sent => view! { <span class="ok">{A::Sent.text()}</span> }.into_any(),
                                Sending::Refused { message, message_en } => view! {
                                    <span class="error">{A::Refused.text()} ": " {move || if lang.get() == crate::i18n::Lang::En { message_en.clone() } else { message.clone() }}</span>
                                }.into_any(),
                            };
                            view! {
                                <li data-testid="file" data-state=state data-id=file.id.clone()>
                                    {media}
                                    <p>
                                        <b>{label}</b> " · " {format!("{} KB", file.size.div_ceil(1024))} " · " {said}
                                        {(file.state != Sending::Sent).then(|| view! {
                                            " " <button type="button" class="link" data-testid="remove-file" on:click=remove(file.id.clone())>{A::Remove.text()}</button>
                                        })}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        }
    }
}
