//! The administrator's settings: each province's deadline rules (the
//! conclusion notice, the reply, publication, the announcement; each in
//! calendar or working days) and the working calendar's days off and
//! weekend days worked, year by year.

use leptos::prelude::*;
use shared::calendar::{CalendarDay, DayChange, DayCount, DayKind, DeadlineRules, Period};
use shared::Unit;

use super::follow_up::{date, fetch};
use crate::components::TopBar;
use crate::i18n::{t, texts, use_lang, T};

texts! { S {
    Settings => "Cài đặt", "Settings";
    Deadlines => "Thời hạn theo quy chế của tỉnh", "The province's deadlines";
    Province => "Tỉnh, thành phố", "Province";
    PickProvince => "— Chọn tỉnh, thành phố —", "— Pick a province —";
    ConclusionDays => "Thông báo kết luận sau buổi đối thoại", "Conclusion notice after the dialogue";
    ReplyDays => "Trả lời công dân sau thông báo", "Reply to the citizen after the notice";
    PublicationDays => "Công khai kết quả", "Publication of results";
    AnnouncementDays => "Thông báo trước buổi đối thoại", "Announcement before the dialogue";
    Days => "ngày", "days";
    CalendarDays => "ngày (theo lịch)", "calendar days";
    WorkingDays => "ngày làm việc", "working days";
    Save => "Lưu", "Save";
    Saved => "Đã lưu", "Saved";
    Calendar => "Lịch ngày nghỉ, ngày làm bù", "Days off and days worked";
    Year => "Năm", "Year";
    Day => "Ngày", "Day";
    Kind => "Loại", "Kind";
    DayOff => "Ngày nghỉ", "Day off";
    WorkingDay => "Ngày làm việc (làm bù)", "Working day (swap)";
    Name => "Tên", "Name";
    Add => "Thêm / sửa ngày", "Add or change a day";
    Remove => "Bỏ", "Remove";
}}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <TopBar />
        <h1>{S::Settings.text()}</h1>
        <DeadlineSettings />
        <CalendarSettings />
    }
}

#[component]
fn DeadlineSettings() -> impl IntoView {
    let lang = use_lang();
    let provinces =
        LocalResource::new(move || fetch::<Vec<Unit>>("/api/units".into(), lang.get_untracked()));
    let province = RwSignal::new(String::new());
    let rules = LocalResource::new(move || {
        let code = province.get();
        async move {
            if code.is_empty() {
                return None;
            }
            Some(
                fetch::<DeadlineRules>(
                    format!("/api/admin/deadlines/{code}"),
                    lang.get_untracked(),
                )
                .await,
            )
        }
    });
    let message = RwSignal::new(None::<String>);
    view! {
        <section class="settings" data-testid="deadlines">
            <h2>{S::Deadlines.text()}</h2>
            <label class="field"><span>{S::Province.text()}</span>
                <select data-testid="province" on:change=move |ev| { message.set(None); province.set(event_target_value(&ev)) }>
                    <option value="">{S::PickProvince.text()}</option>
                    <Suspense fallback=|| ()>
                        {move || provinces.get().and_then(Result::ok).map(|list| list.into_iter()
                            .map(|u| view! { <option value=u.code.to_string()>{u.name}</option> })
                            .collect_view())}
                    </Suspense>
                </select>
            </label>
            <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
                {move || rules.get().flatten().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Ok(r) => view! { <RulesForm rules=r province=province.get_untracked() message /> }.into_any(),
                })}
            </Suspense>
            {move || message.get().map(|m| view! { <p role="status" data-testid="settings-message">{m}</p> })}
        </section>
    }
}

#[component]
fn RulesForm(
    rules: DeadlineRules,
    province: String,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let periods = [
        (S::ConclusionDays, "conclusion", rules.conclusion),
        (S::ReplyDays, "reply", rules.reply),
        (S::PublicationDays, "publication", rules.publication),
        (S::AnnouncementDays, "announcement", rules.announcement_lead),
    ]
    .map(|(label, id, p)| {
        (
            label,
            id,
            RwSignal::new(p.days.to_string()),
            RwSignal::new(p.count),
        )
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let period = |i: usize| {
            let (_, _, days, count) = periods[i];
            Period {
                days: days.get_untracked().trim().parse().unwrap_or(0),
                count: count.get_untracked(),
            }
        };
        let body = DeadlineRules {
            conclusion: period(0),
            reply: period(1),
            publication: period(2),
            announcement_lead: period(3),
        };
        #[cfg(feature = "hydrate")]
        {
            let url = format!("/api/admin/deadlines/{province}");
            leptos::task::spawn_local(async move {
                let l = lang.get_untracked();
                let answer = crate::api::write::<_, DeadlineRules>("PUT", &url, &body, l).await;
                message.set(Some(match answer {
                    Ok(_) => S::Saved.get(l).to_owned(),
                    Err(e) => e.message(l),
                }));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, &province, lang, message);
    };
    view! {
        <form class="grid" on:submit=save>
            {periods.into_iter().map(|(label, id, days, count)| view! {
                <label class="field"><span>{label.text()}</span>
                    <input inputmode="numeric" data-testid=format!("{id}-days") prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev)) />
                    <select data-testid=format!("{id}-count") on:change=move |ev| count.set(if event_target_value(&ev) == "working" { DayCount::Working } else { DayCount::Calendar })>
                        <option value="calendar" selected=move || count.get() == DayCount::Calendar>{S::CalendarDays.text()}</option>
                        <option value="working" selected=move || count.get() == DayCount::Working>{S::WorkingDays.text()}</option>
                    </select>
                </label>
            }).collect_view()}
            <button type="submit" data-testid="save-deadlines">{S::Save.text()}</button>
        </form>
    }
}

#[component]
fn CalendarSettings() -> impl IntoView {
    let lang = use_lang();
    let year = RwSignal::new(2026);
    let days = LocalResource::new(move || {
        fetch::<Vec<CalendarDay>>(
            format!("/api/admin/calendar?year={}", year.get()),
            lang.get_untracked(),
        )
    });
    let (day, kind, name) = (
        RwSignal::new(String::new()),
        RwSignal::new(DayKind::DayOff),
        RwSignal::new(String::new()),
    );
    let message = RwSignal::new(None::<String>);
    let change = move |method: &'static str, on: String, body: Option<DayChange>| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let url = format!("/api/admin/calendar/{on}");
            let answer = match body {
                Some(body) => crate::api::write::<_, CalendarDay>(method, &url, &body, l)
                    .await
                    .map(|_| ()),
                None => crate::api::write::<_, ()>(method, &url, &crate::api::Empty {}, l).await,
            };
            match answer {
                Ok(()) => {
                    message.set(None);
                    days.refetch();
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (method, on, body, message);
    };
    view! {
        <section class="settings" data-testid="calendar">
            <h2>{S::Calendar.text()}</h2>
            <label class="field"><span>{S::Year.text()}</span>
                <input inputmode="numeric" data-testid="year" prop:value=move || year.get().to_string()
                    on:change=move |ev| if let Ok(y) = event_target_value(&ev).trim().parse() { year.set(y) } /></label>
            <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
                {move || days.get().map(|list| match list {
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="list" data-testid="calendar-days">
                            <thead><tr><th>{S::Day.text()}</th><th>{S::Kind.text()}</th><th>{S::Name.text()}</th><th></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let on = d.day.to_string();
                                    view! {
                                        <tr data-testid="calendar-day">
                                            <td>{date(d.day)}</td>
                                            <td>{if d.kind == DayKind::DayOff { S::DayOff } else { S::WorkingDay }.text()}</td>
                                            <td>{d.name}</td>
                                            <td><button type="button" class="secondary" on:click=move |_| change("DELETE", on.clone(), None)>{S::Remove.text()}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
            <form class="grid" on:submit=move |ev| {
                ev.prevent_default();
                change("PUT", day.get_untracked(), Some(DayChange { kind: kind.get_untracked(), name: name.get_untracked() }));
            }>
                <label class="field"><span>{S::Day.text()}</span><input type="date" data-testid="new-day" on:input=move |ev| day.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{S::Kind.text()}</span>
                    <select data-testid="new-day-kind" on:change=move |ev| kind.set(if event_target_value(&ev) == "working" { DayKind::Working } else { DayKind::DayOff })>
                        <option value="day_off">{S::DayOff.text()}</option>
                        <option value="working">{S::WorkingDay.text()}</option>
                    </select>
                </label>
                <label class="field"><span>{S::Name.text()}</span><input data-testid="new-day-name" on:input=move |ev| name.set(event_target_value(&ev)) /></label>
                <button type="submit" data-testid="add-day">{S::Add.text()}</button>
            </form>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        </section>
    }
}
