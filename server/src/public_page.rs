//! `/public`: the page most people will ever see of the product, for anyone,
//! without logging in and without the browser bundle: plain HTML rendered
//! here, light enough for a phone on a slow link. Find a province or a
//! commune by name (diacritics optional), then read its published results,
//! each exactly as published ([`shared::public::PublicDialogue`]).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde::Deserialize;
use shared::public::{PublicDialogue, PublicOpinion};
use shared::text::fold;
use shared::{Lang, OpinionKind, UnitCode};
use std::fmt::Write;

use crate::body::Params;
use crate::error::{AppError, AppResult};
use crate::routes::publication::Before;
use crate::AppState;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// A unit: its results (and a province's communes).
    pub unit: Option<UnitCode>,
    /// A name to find, diacritics optional.
    pub q: Option<String>,
    /// The unit's results after this one ([`Before`]).
    pub before: Option<String>,
}

/// Units listed for a name search.
const FOUND: usize = 50;

#[derive(sqlx::FromRow)]
struct UnitRow {
    code: String,
    name: String,
    parent_code: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(p): Params<PageParams>,
) -> AppResult<Response> {
    let mut body = String::new();
    let search = p.q.as_deref().map(str::trim).unwrap_or_default();
    shared::text::check_text("q", search, 200)?;
    let _ = write!(
        body,
        r#"<form method="get" action="{}" class="filters"><label class="field"><span>Tìm tỉnh, thành phố, xã, phường (có thể gõ không dấu)</span><input type="search" name="q" value="{}"></label><button type="submit">Tìm</button></form>"#,
        app::nav::PUBLIC,
        attr(search)
    );
    let link = |u: &UnitRow| {
        format!(
            r#"<li><a href="{}?unit={}">{}</a></li>"#,
            app::nav::PUBLIC,
            attr(&u.code),
            text(&u.name)
        )
    };
    match (&p.unit, search.is_empty()) {
        (None, false) => {
            // Every unit, for a search by name with or without diacritics.
            let units: Vec<UnitRow> =
                sqlx::query_as("SELECT code, name, parent_code FROM units ORDER BY code")
                    .fetch_all(&state.pool)
                    .await?;
            let name_of = |code: &str| {
                units
                    .iter()
                    .find(|u| u.code == code)
                    .map(|u| u.name.as_str())
            };
            let wanted = fold(search);
            let found: Vec<String> = units
                .iter()
                .filter(|u| fold(&u.name).contains(&wanted))
                .take(FOUND)
                .map(|u| {
                    let province = u
                        .parent_code
                        .as_deref()
                        .and_then(name_of)
                        .unwrap_or_default();
                    format!(
                        r#"<li><a href="{}?unit={}">{}</a> {}</li>"#,
                        app::nav::PUBLIC,
                        attr(&u.code),
                        text(&u.name),
                        text(province)
                    )
                })
                .collect();
            if found.is_empty() {
                body.push_str("<p>Không tìm thấy đơn vị nào.</p>");
            } else {
                let _ = write!(body, "<ul>{}</ul>", found.concat());
            }
        }
        (None, true) => {
            let provinces: Vec<UnitRow> = sqlx::query_as(
                "SELECT code, name, parent_code FROM units WHERE parent_code IS NULL ORDER BY code",
            )
            .fetch_all(&state.pool)
            .await?;
            body.push_str("<h2>Tỉnh, thành phố</h2><ul>");
            for u in &provinces {
                body.push_str(&link(u));
            }
            body.push_str("</ul>");
        }
        (Some(unit), _) => {
            let here: UnitRow =
                sqlx::query_as("SELECT code, name, parent_code FROM units WHERE code = $1")
                    .bind(unit.as_str())
                    .fetch_optional(&state.pool)
                    .await?
                    .ok_or_else(AppError::not_found)?;
            let _ = write!(body, "<h2>{}</h2>", text(&here.name));
            let before = p.before.as_deref().map(str::parse).transpose()?;
            results(&state, unit, before.as_ref(), &mut body).await?;
            let communes: Vec<UnitRow> = sqlx::query_as(
                "SELECT code, name, parent_code FROM units WHERE parent_code = $1 ORDER BY code",
            )
            .bind(unit.as_str())
            .fetch_all(&state.pool)
            .await?;
            if !communes.is_empty() {
                body.push_str("<h2>Xã, phường, đặc khu</h2><ul>");
                for u in &communes {
                    body.push_str(&link(u));
                }
                body.push_str("</ul>");
            }
        }
    }
    let html = format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kết quả đối thoại với Nhân dân</title><link rel="stylesheet" href="{}"></head><body><main><h1><a href="{}">Kết quả đối thoại với Nhân dân</a></h1>{body}</main></body></html>"#,
        attr(&state.site.css),
        app::nav::PUBLIC
    );
    Ok(crate::cacheable::answer(
        &headers,
        "text/html; charset=utf-8",
        html,
    ))
}

async fn results(
    state: &AppState,
    unit: &UnitCode,
    before: Option<&Before>,
    body: &mut String,
) -> AppResult<()> {
    let page = crate::routes::publication::shown_results(&state.pool, unit, before).await?;
    if page.results.is_empty() {
        body.push_str("<p>Chưa có kết quả đối thoại nào được công khai.</p>");
    }
    for d in &page.results {
        dialogue(d, body);
    }
    if let Some(next) = page.next {
        let _ = write!(
            body,
            r#"<p><a href="{}?unit={}&amp;before={}" data-testid="older">Các kết quả trước</a></p>"#,
            app::nav::PUBLIC,
            attr(unit.as_str()),
            attr(&next.to_string())
        );
    }
    Ok(())
}

fn dialogue(d: &PublicDialogue, body: &mut String) {
    use app::i18n::labels;
    let held = d
        .held_on
        .map(app::pages::follow_up::date)
        .unwrap_or_default();
    let _ = write!(
        body,
        r#"<article class="result" data-testid="public-dialogue"><h3>{}</h3><p>{} · {} · {} · {} công dân dự</p>"#,
        text(&d.topic),
        text(labels::kind(d.kind, Lang::Vi)),
        held,
        text(&d.venue),
        d.citizens_attending
    );
    body.push_str("<ol>");
    for o in &d.opinions {
        opinion(o, body);
    }
    body.push_str("</ol>");
    if !d.conclusion.is_empty() {
        let _ = write!(body, "<p><b>Kết luận:</b> {}</p>", text(&d.conclusion));
    }
    body.push_str("</article>");
}

fn opinion(o: &PublicOpinion, body: &mut String) {
    use app::i18n::labels;
    let _ = write!(
        body,
        "<li><p><b>{} · {}</b></p>",
        labels::opinion(o.kind, Lang::Vi),
        labels::field(o.field, Lang::Vi)
    );
    match &o.content {
        Some(content) => {
            let _ = write!(body, "<p>{}</p>", text(content));
        }
        None if o.kind == OpinionKind::Denunciation => {
            body.push_str("<p>Nội dung tố cáo được bảo mật theo Luật Tố cáo.</p>")
        }
        None => {}
    }
    if let Some(answer) = o.answer.as_deref().filter(|a| !a.is_empty()) {
        let _ = write!(
            body,
            "<p><i>Trả lời tại buổi đối thoại:</i> {}</p>",
            text(answer)
        );
    }
    if let Some(f) = &o.follow_up {
        let _ = write!(
            body,
            "<p><i>Giao {}:</i> {}{}{}</p>",
            text(&f.agency),
            app::pages::follow_up::stage(f.stage, Lang::Vi),
            f.due
                .map(|d| format!(", hạn {}", app::pages::follow_up::date(d)))
                .unwrap_or_default(),
            f.replied_on
                .map(|d| format!(", trả lời ngày {}", app::pages::follow_up::date(d)))
                .unwrap_or_default()
        );
        if let Some(reply) = &f.reply {
            let _ = write!(body, "<p>{}</p>", text(reply));
        }
    }
    body.push_str("</li>");
}
