//! `/compliance`: a province's compliance table for a year (which communes
//! planned and held their periodic dialogues, announced them in time,
//! issued notices, got replies and published results in time), communes
//! with no periodic dialogue held first. Each figure opens the dialogues
//! behind it; the table downloads as CSV and XLSX. Full bundle only; its
//! words in [`C`], the figures' titles from `shared::compliance::Measure`.

use leptos::prelude::*;
use shared::compliance::{Compliance, ComplianceLine, Measure};
use shared::{Unit, UnitCode};

use super::follow_up::{date, fetch, link, FollowUpNav};
use crate::components::TopBar;
use crate::i18n::{labels, t, texts, use_lang, T};
use crate::nav::{query_param, Page};
use crate::state::use_ctx;

texts! { C {
    Compliance => "Tình hình thực hiện đối thoại", "Compliance with the dialogue rules";
    Province => "Tỉnh, thành phố", "Province";
    Year => "Năm", "Year";
    CountedOn => "Số liệu tính đến ngày", "Counted on";
    Download => "Tải về (CSV)", "Download (CSV)";
    DownloadXlsx => "Tải về (Excel)", "Download (Excel)";
    Behind => "Các buổi đối thoại", "The dialogues";
    None => "Không có buổi đối thoại nào.", "No dialogue.";
    NoneHeld => "Đơn vị chưa tổ chức đối thoại định kỳ năm nay được xếp lên đầu.", "Units with no periodic dialogue held this year come first.";
}}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let lang = use_lang();
    let ctx = use_ctx();
    let chosen = RwSignal::new(query_param("province").unwrap_or_default());
    let year = RwSignal::new(
        query_param("year")
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(super::plan::this_year),
    );
    // The province picked, else the user's own unit.
    let province = move || {
        let picked = chosen.get();
        if !picked.is_empty() {
            return picked;
        }
        ctx.session.with(|s| {
            s.as_ref()
                .and_then(|u| u.unit_code.as_ref())
                .map(|c| c.to_string())
                .unwrap_or_default()
        })
    };
    let nationwide = move || {
        ctx.session
            .with(|s| s.as_ref().is_some_and(|u| u.unit_code.is_none()))
    };
    let provinces =
        LocalResource::new(move || fetch::<Vec<Unit>>("/api/units".into(), lang.get_untracked()));
    let table = LocalResource::new(move || {
        let (province, year) = (province(), year.get());
        async move {
            if province.is_empty() {
                return None;
            }
            Some(
                fetch::<Compliance>(
                    format!("/api/compliance?province={province}&year={year}"),
                    lang.get_untracked(),
                )
                .await,
            )
        }
    });
    let opened = RwSignal::new(None::<(UnitCode, String, Measure)>);
    view! {
        <TopBar />
        <FollowUpNav />
        <h1>{C::Compliance.text()}</h1>
        <section class="filters no-print">
            {move || nationwide().then(|| view! {
                <label class="field"><span>{C::Province.text()}</span>
                    <select data-testid="compliance-province" on:change=move |ev| { opened.set(None); chosen.set(event_target_value(&ev)) }>
                        <option value="">"—"</option>
                        <Suspense fallback=|| ()>
                            {move || provinces.get().and_then(Result::ok).map(|list| list.into_iter()
                                .map(|u| view! { <option value=u.code.to_string()>{u.name}</option> })
                                .collect_view())}
                        </Suspense>
                    </select>
                </label>
            })}
            <label class="field"><span>{C::Year.text()}</span>
                <input type="number" min="2020" max="2100" data-testid="compliance-year" prop:value=move || year.get().to_string()
                    on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { opened.set(None); year.set(y) } />
            </label>
            {move || (!province().is_empty()).then(|| view! {
                <a class="button secondary" data-testid="compliance-csv" href=format!("/api/compliance/csv?province={}&year={}", province(), year.get())>{C::Download.text()}</a>
                " " <a class="button secondary" data-testid="compliance-xlsx" href=format!("/api/compliance/xlsx?province={}&year={}", province(), year.get())>{C::DownloadXlsx.text()}</a>
            })}
        </section>
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || table.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(table) => view! {
                    <p class="notice">{C::CountedOn.text()} " " {date(table.today)} ". " {C::NoneHeld.text()}</p>
                    <table class="list" data-testid="compliance">
                        <thead><tr>
                            <th>{t(T::Unit)}</th>
                            {Measure::ALL.into_iter().map(|m| view! { <th>{move || m.title(lang.get())}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {table.rows.into_iter().map(|row| view! {
                                <tr data-testid="compliance-row" data-unit=row.unit_code.to_string()>
                                    <td>{row.unit_name.clone()}</td>
                                    {Measure::ALL.into_iter().map(|m| {
                                        let n = row.figure(m);
                                        let (code, name) = (row.unit_code.clone(), row.unit_name.clone());
                                        view! { <td>
                                            {if n == 0 { view! { "0" }.into_any() } else { view! {
                                                <button type="button" class="link" data-testid=format!("figure-{}", shared::text::tag(&m))
                                                    on:click=move |_| opened.set(Some((code.clone(), name.clone(), m)))>{n}</button>
                                            }.into_any() }}
                                        </td> }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
        {move || opened.get().map(|(unit, name, measure)| view! { <Behind unit name measure year=year.get_untracked() /> })}
    }
}

/// The dialogues behind one figure of one unit, each opening its minutes.
#[component]
fn Behind(unit: UnitCode, name: String, measure: Measure, year: i32) -> impl IntoView {
    let lang = use_lang();
    let url = format!(
        "/api/compliance/list?unit={unit}&year={year}&measure={}",
        shared::text::tag(&measure)
    );
    let lines =
        LocalResource::new(move || fetch::<Vec<ComplianceLine>>(url.clone(), lang.get_untracked()));
    view! {
        <section data-testid="compliance-list">
            <h2>{C::Behind.text()} ": " {name} " · " {move || measure.title(lang.get())}</h2>
            <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
                {move || lines.get().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{C::None.text()}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul>
                            {list.into_iter().map(|l| {
                                let kind = l.kind;
                                view! {
                                    <li data-testid="compliance-line">
                                        <a href=link(Page::ReviewDetail, &format!("d={}", l.dialogue_id))>{l.topic}</a>
                                        " · " {move || labels::kind(kind, lang.get())} " · " {l.held_on.map(date)}
                                        {(l.count > 1).then(|| format!(" · {}", l.count))}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
