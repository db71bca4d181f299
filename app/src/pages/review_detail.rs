//! One synced dialogue, read only: the minutes, who recorded them, when they
//! reached the server, and every kept revision of concurrent edits.

use leptos::prelude::*;
use shared::review::DialogueView;
use shared::sync::Entity;

use super::edit::dialogue_param;
use super::follow_up::F;
use super::print::Minutes;
use crate::components::TopBar;
use crate::i18n::{labels, t, texts, use_lang, D, T};
use crate::state::{format_time, use_ctx};

#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    let id = dialogue_param();
    let lang = use_lang();
    let view_data = RwSignal::new(None::<Result<DialogueView, String>>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(id) = id {
            leptos::task::spawn_local(async move {
                let lang = crate::i18n::use_lang().get_untracked();
                let result = crate::api::get::<DialogueView>(&format!("/api/dialogues/{id}"), lang)
                    .await
                    .map_err(|e| e.message(lang));
                view_data.set(Some(result));
            });
        }
    });
    view! {
        <TopBar />
        <nav class="crumbs no-print"><a href="/review">{t(T::Back)}</a></nav>
        {move || match view_data.get() {
            // No id (or not one): nothing to load.
            None if id.is_none() => view! { <p class="error" role="alert">{D::NoResults.text()}</p> }.into_any(),
            None => view! { <p>{t(T::Loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(v)) => {
                let opinions = v.opinions.iter().map(|o| o.opinion.clone()).collect();
                view! {
                    <section class="meta no-print" data-testid="review-meta">
                        {(v.dialogue.status == shared::DialogueStatus::Finalised).then(|| {
                            let notice = super::follow_up::link(crate::nav::Page::Notice, &format!("d={}", v.dialogue.id));
                            let docx = format!("/api/dialogues/{}/minutes.docx", v.dialogue.id);
                            let office = use_ctx().session.with(|s| s.as_ref().is_some_and(|u| u.role.can_follow_up()));
                            view! {
                                <p>
                                    <a class="button" href=notice data-testid="go-notice">{F::Notice.text()}</a>
                                    " " <a class="button secondary" href=format!("{docx}?version=outside") data-testid="minutes-outside">{F::MinutesOutside.text()}</a>
                                    <super::follow_up::PdfLink docx=format!("{docx}?version=outside") testid="minutes-outside-pdf" />
                                    {office.then(|| view! {
                                        " " <a class="button secondary" href=format!("{docx}?version=full") data-testid="minutes-full">{F::MinutesFull.text()}</a>
                                        <super::follow_up::PdfLink docx=format!("{docx}?version=full") testid="minutes-full-pdf" />
                                    })}
                                </p>
                            }
                        })}
                        <p>{D::RecordedBy.text()} ": " <b>{v.recorded_by.clone()}</b></p>
                        <p>{D::ReceivedAt.text()} ": " {format_time(v.first_received_at)}</p>
                    </section>
                    <Minutes dialogue=v.dialogue.clone() opinions unit_name=v.unit_name.clone() />
                    <Attachments dialogue=v.dialogue.id />
                    {(!v.revisions.is_empty()).then(|| view! {
                        <section class="revisions no-print" data-testid="revisions">
                            <h2>{D::Revisions.text()}</h2>
                            <ul>
                                {v.revisions.iter().map(|r| {
                                    let what = match &r.entity {
                                        Entity::Opinion(o) => format!("{} — {}", o.speaker_name, o.content),
                                        Entity::Dialogue(d) => d.topic.clone(),
                                    };
                                    let (outcome, reason) = (r.outcome, r.reason.clone());
                                    view! {
                                        <li data-testid="revision">
                                            <b>{r.user_name.clone()}</b> " · " {format_time(r.received_at)} " · " {move || labels::outcome(outcome, lang.get())}
                                            {reason.map(|r| view! { <p class="error">{move || r.message(lang.get()).to_owned()}</p> })}
                                            <p class="content" data-testid="revision-content">{what}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                }.into_any()
            }
        }}
    }
}

texts! { P {
    Attachments => "Ảnh trang biên bản đã ký và ghi âm", "Photos of the signed pages and audio notes";
    Photo => "Ảnh", "Photo";
}}

/// The photos of the signed pages (shown) and the audio notes (played) the
/// tablet attached, once whole on the server; each file read is audited.
#[component]
fn Attachments(dialogue: shared::DialogueId) -> impl IntoView {
    use shared::attachment::{AttachmentKind, AttachmentStatus};
    let lang = use_lang();
    let listed = LocalResource::new(move || {
        super::follow_up::fetch::<Vec<AttachmentStatus>>(
            format!("/api/dialogues/{dialogue}/attachments"),
            lang.get_untracked(),
        )
    });
    view! {
        <Suspense fallback=|| ()>
            {move || listed.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| view! {
                <section class="attachments no-print" data-testid="attachments">
                    <h2>{P::Attachments.text()}</h2>
                    {list.into_iter().enumerate().map(|(i, a)| {
                        let src = format!("/api/attachments/{}/file", a.id);
                        match a.kind {
                            AttachmentKind::Photo => view! {
                                <figure><img src=src alt=move || format!("{} {}", P::Photo.get(lang.get()), i + 1) loading="lazy" /></figure>
                            }.into_any(),
                            AttachmentKind::Audio => view! { <audio controls preload="none" src=src></audio> }.into_any(),
                        }
                    }).collect_view()}
                </section>
            })}
        </Suspense>
    }
}
