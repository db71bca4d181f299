//! The minutes as an A4 biên bản (Decree 30/2020 layout), from the device's
//! store, so it prints offline too. Print CSS does the page set-up. Two
//! versions, as on the server: the one sent outside (every denouncer
//! replaced by the protected label), shown first, and the one kept on file.

use leptos::prelude::*;
use shared::{Dialogue, Opinion};

use super::edit::dialogue_param;
use crate::i18n::{labels, t, use_lang, D, T};
use crate::state::{format_time, use_ctx};

#[component]
pub fn PrintPage() -> impl IntoView {
    let ctx = use_ctx();
    let id = dialogue_param();
    // `&full=1`: the version kept on file, by a link.
    let full = crate::nav::query_param("full").is_some();
    let data = move || {
        let id = id?;
        ctx.workspace.with(|ws| {
            let opinions = ws.opinions_of(&id).into_iter();
            let opinions = opinions.map(|o| if full { o } else { o.as_seen(false, false) });
            Some((ws.dialogue(&id)?.clone(), opinions.collect()))
        })
    };
    view! {
        {move || match (ctx.ready.get(), data()) {
            (true, Some((d, opinions))) => {
                let unit = ctx.session.with(|s| s.as_ref().and_then(|u| u.units.iter().find(|(c, _)| *c == d.unit_code).map(|(_, n)| n.clone()))).unwrap_or_default();
                view! {
                    <nav class="crumbs no-print">
                        <a href=format!("/capture/edit?d={}", d.id)>{t(T::Back)}</a>
                        {(!full).then(|| view! { <a href=format!("/capture/print?d={}&full=1", d.id) data-testid="full-version">{D::FullVersion.text()}</a> })}
                        <button type="button" data-testid="print-now" on:click=|_| print_page()>{D::PrintNow.text()}</button>
                    </nav>
                    <Minutes dialogue=d opinions unit_name=unit />
                }.into_any()
            }
            // No id, an unknown one, or minutes that left the device: said
            // so, not "Loading" for ever.
            (true, None) => view! {
                <nav class="crumbs no-print"><a href="/capture">{t(T::Back)}</a></nav>
                <p class="notice" role="alert" data-testid="not-on-device">{D::NotOnDevice.text()}</p>
            }.into_any(),
            (false, _) => view! { <p>{t(T::Loading)}</p> }.into_any(),
        }}
    }
}

/// The browser's print dialog, from a handler of the app's (the pages'
/// policy allows no inline handlers).
fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The biên bản itself; also used by the reviewer's read-only view.
#[component]
pub fn Minutes(dialogue: Dialogue, opinions: Vec<Opinion>, unit_name: String) -> impl IntoView {
    let lang = use_lang();
    let d = dialogue;
    let time = |ms: Option<i64>| ms.map(format_time).unwrap_or_else(|| "....".into());
    let signatures = d.signatures.clone();
    view! {
        <article class="a4" data-testid="minutes">
            <header class="doc-header">
                <div class="issuer">
                    <p class="upper">{unit_name}</p>
                    <p class="line">"Số: ....../BB"</p>
                </div>
                <div class="nation">
                    <p class="upper bold">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</p>
                    <p class="bold underline">"Độc lập - Tự do - Hạnh phúc"</p>
                </div>
            </header>
            <h1 class="doc-title">{D::Minutes.text()}</h1>
            <p class="doc-subtitle bold">{D::MinutesTitle.text()} ": " {d.topic.clone()}</p>
            <p>{move || format!("{}: {}", T::Kind.get(lang.get()), labels::kind(d.kind, lang.get()))} " · " {move || labels::audience(d.audience, lang.get())} " " {d.audience_group.clone()}</p>
            <p>"Thời gian: bắt đầu " {time(d.started_at)} ", kết thúc " {time(d.ended_at)}</p>
            <p>"Địa điểm: " {d.venue.clone()}</p>
            <p>"Chủ trì: " {d.chair_name.clone()} " — " {d.chair_title.clone()}</p>
            <p>"Thư ký: " {d.secretary_name.clone()}</p>
            <p>"Đại diện Ủy ban MTTQ: " {d.mttq_representative.clone()}</p>
            <p>"Cơ quan được mời: " {d.invited_agencies.replace('\n', "; ")}</p>
            <p>"Số công dân tham dự: " {d.citizens_attending}</p>
            <h2>"NỘI DUNG"</h2>
            <ol class="doc-opinions">
                {opinions
                    .into_iter()
                    .filter(|o| !o.deleted)
                    .map(|o| view! {
                        <li data-testid="minutes-opinion">
                            <p>
                                <b>{o.speaker_name.clone()}</b>
                                {(!o.speaker_address.is_empty()).then(|| format!(", {}", o.speaker_address))}
                                {o.on_behalf_of_group.then_some(" (thay mặt nhóm)")}
                                " — " {move || labels::opinion(o.kind, lang.get())} ", " {move || labels::field(o.field, lang.get())}
                            </p>
                            <p class="content" data-testid="minutes-content">{o.content.clone()}</p>
                            {(!o.answer.is_empty()).then(|| view! { <p><i>"Trả lời"</i> {(!o.answered_by.is_empty()).then(|| format!(" ({})", o.answered_by))} ": " {o.answer.clone()}</p> })}
                            {o.needs_follow_up.then(|| view! { <p><i>"Giao xử lý: "</i> {o.follow_up.proposed_agency.clone()}</p> })}
                        </li>
                    })
                    .collect_view()}
            </ol>
            <h2>"KẾT LUẬN"</h2>
            <p class="content">{d.conclusion.clone()}</p>
            <p>"Biên bản kết thúc lúc " {time(d.ended_at)} "."</p>
            <footer class="signatures">
                <div><p class="bold">"THƯ KÝ"</p><p class="sign-name bold">{signatures.as_ref().map(|s| s.secretary_name.clone())}</p></div>
                <div><p class="bold">"CHỦ TỌA"</p><p class="sign-name bold">{signatures.as_ref().map(|s| s.chair_name.clone())}</p></div>
            </footer>
        </article>
    }
}
