//! `/plan`: a unit's plan of dialogues for a year (kind, month or day,
//! audience, topic, chair), each entry on its way to the unit's tablets as
//! a planned dialogue, and how each was announced, flagged when later than
//! the province's lead days allow. The office (`reviewer`) adds, changes
//! (until a secretary starts recording) and records announcements;
//! observers read. Full bundle only; its words in [`P`].

use leptos::prelude::*;
use shared::plan::{Announcement, Means, Plan, PlanEntry, PlanLine};
use shared::{Audience, DialogueKind, UnitCode};

use super::follow_up::{date, fetch, FollowUpNav};
use crate::components::TopBar;
use crate::i18n::{labels, t, texts, use_lang, T};
use crate::nav::query_param;

texts! { P {
    Plan => "Kế hoạch đối thoại", "Dialogue plan";
    Year => "Năm", "Year";
    Month => "Tháng", "Month";
    Day => "Ngày giờ", "Day and time";
    DayOptional => "Ngày giờ (nếu đã định)", "Day and time (if fixed)";
    Status => "Tình trạng", "State";
    Announcement => "Thông báo", "Announcement";
    AnnounceBy => "Hạn thông báo", "Announce by";
    Late => "Thông báo trễ hạn", "Announced late";
    NotAnnounced => "Chưa thông báo", "Not announced";
    Add => "Thêm vào kế hoạch", "Add to the plan";
    SaveChange => "Lưu thay đổi", "Save the change";
    Edit => "Sửa", "Edit";
    Cancel => "Thôi", "Cancel";
    RecordAnnouncement => "Ghi nhận thông báo", "Record the announcement";
    AnnouncedOn => "Ngày thông báo", "Announced on";
    Save => "Lưu", "Save";
    NoticeBoard => "Niêm yết", "Notice board";
    Loudspeaker => "Loa truyền thanh", "Loudspeaker";
    Invitation => "Giấy mời", "Invitation";
    Media => "Báo, đài, cổng thông tin", "Press, radio, web portal";
    Empty => "Chưa có buổi đối thoại nào trong kế hoạch năm này.", "No dialogue planned for this year yet.";
    LeadDays => "Thông báo trước buổi đối thoại ít nhất (ngày):", "Announce at least this many days ahead:";
    Working => "ngày làm việc", "working days";
    ReachesTablets => "Mỗi buổi trong kế hoạch hiện trên máy tính bảng của thư ký đơn vị ở lần đồng bộ tiếp theo.", "Each planned dialogue appears on the unit's secretaries' tablets at their next sync.";
    Stale => "Người khác vừa sửa kế hoạch này; màn hình đã hiện bản mới nhất.", "Someone else changed this entry; the screen shows it as it is now.";
    Saved => "Đã lưu", "Saved";
    PlanDocx => "Tải kế hoạch (DOCX)", "Download the plan (DOCX)";
}}

fn means_label(m: Means) -> P {
    match m {
        Means::NoticeBoard => P::NoticeBoard,
        Means::Loudspeaker => P::Loudspeaker,
        Means::Invitation => P::Invitation,
        Means::Media => P::Media,
    }
}

/// The year it is now in Vietnam, by the device's clock.
pub fn this_year() -> i32 {
    use chrono::Datelike;
    shared::calendar::vietnam_date(crate::state::now_ms()).map_or(2026, |d| d.year())
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Form {
    month: RwSignal<String>,
    planned_at: RwSignal<String>,
    kind: RwSignal<DialogueKind>,
    audience: RwSignal<Audience>,
    topic: RwSignal<String>,
    venue: RwSignal<String>,
    chair_name: RwSignal<String>,
    chair_title: RwSignal<String>,
    /// The entry being changed, with the version it was read at.
    editing: RwSignal<Option<(shared::DialogueId, i64)>>,
}

impl Form {
    fn new() -> Self {
        Self {
            month: RwSignal::new("1".into()),
            planned_at: RwSignal::new(String::new()),
            kind: RwSignal::new(DialogueKind::Periodic),
            audience: RwSignal::new(Audience::People),
            topic: RwSignal::new(String::new()),
            venue: RwSignal::new(String::new()),
            chair_name: RwSignal::new(String::new()),
            chair_title: RwSignal::new(String::new()),
            editing: RwSignal::new(None),
        }
    }

    fn load(&self, line: &PlanLine) {
        let e = &line.entry;
        self.month.set(e.month.to_string());
        self.planned_at.set(e.planned_at.clone());
        self.kind.set(e.kind);
        self.audience.set(e.audience);
        self.topic.set(e.topic.clone());
        self.venue.set(e.venue.clone());
        self.chair_name.set(e.chair_name.clone());
        self.chair_title.set(e.chair_title.clone());
        self.editing.set(Some((line.dialogue_id, line.version)));
    }

    fn clear(&self) {
        self.planned_at.set(String::new());
        self.topic.set(String::new());
        self.venue.set(String::new());
        self.editing.set(None);
    }

    fn entry(&self, unit_code: UnitCode, year: i32) -> PlanEntry {
        PlanEntry {
            unit_code,
            year,
            month: self.month.get_untracked().parse().unwrap_or(0),
            kind: self.kind.get_untracked(),
            audience: self.audience.get_untracked(),
            audience_group: String::new(),
            topic: self.topic.get_untracked(),
            planned_at: self.planned_at.get_untracked(),
            venue: self.venue.get_untracked(),
            chair_name: self.chair_name.get_untracked(),
            chair_title: self.chair_title.get_untracked(),
        }
    }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let lang = use_lang();
    let (chosen, unit) = super::follow_up::picked_unit();
    let year = RwSignal::new(
        query_param("year")
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(this_year),
    );
    let plan = LocalResource::new(move || {
        let (unit, year) = (unit(), year.get());
        async move {
            if unit.is_empty() {
                return None;
            }
            Some(
                fetch::<Plan>(
                    format!("/api/plan?unit={unit}&year={year}"),
                    lang.get_untracked(),
                )
                .await,
            )
        }
    });
    let office = super::follow_up::is_office();
    let message = RwSignal::new(None::<String>);
    let form = Form::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(code) = UnitCode::parse(&unit()) else {
            return;
        };
        let entry = form.entry(code, year.get_untracked());
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let answer = match form.editing.get_untracked() {
                Some((id, version)) => {
                    let body = shared::plan::PlanChange { version, entry };
                    crate::api::write::<_, PlanLine>("PUT", &format!("/api/plan/{id}"), &body, l)
                        .await
                }
                None => crate::api::post::<_, PlanLine>("/api/plan", &entry, l).await,
            };
            match answer {
                Ok(_) => {
                    message.set(Some(P::Saved.get(l).into()));
                    form.clear();
                }
                Err(crate::api::ApiError::Server {
                    status: 409,
                    code,
                    message: m,
                }) => {
                    message.set(Some(if code == "stale" {
                        P::Stale.get(l).into()
                    } else {
                        m
                    }));
                    form.clear();
                }
                Err(e) => return message.set(Some(e.message(l))),
            }
            plan.refetch();
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (entry, message, lang);
    };
    view! {
        <TopBar />
        <FollowUpNav />
        <h1>{P::Plan.text()}</h1>
        <section class="filters no-print">
            <super::follow_up::UnitAndYear chosen unit year name="plan" />
        </section>
        {move || (!unit().is_empty()).then(|| view! {
            <p class="no-print"><a class="button secondary" data-testid="plan-docx" href=format!("/api/plan/docx?unit={}&year={}", unit(), year.get())>{P::PlanDocx.text()}</a>
                <super::follow_up::PdfLink docx=format!("/api/plan/docx?unit={}&year={}", unit(), year.get()) testid="plan-pdf" /></p>
        })}
        {move || message.get().map(|m| view! { <p role="status" data-testid="plan-message">{m}</p> })}
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || plan.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(plan_now) => view! { <PlanTable plan=plan_now form message on_change=move || plan.refetch() /> }.into_any(),
            })}
        </Suspense>
        {move || office().then(|| view! { <EntryForm form save /> })}
    }
}

#[component]
fn PlanTable(
    plan: Plan,
    form: Form,
    message: RwSignal<Option<String>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let office = super::follow_up::is_office();
    let announcing = RwSignal::new(None::<shared::DialogueId>);
    let lead = plan.lead;
    let working = lead.count == shared::calendar::DayCount::Working;
    if plan.entries.is_empty() {
        return view! { <p data-testid="plan-empty">{P::Empty.text()}</p> }.into_any();
    }
    view! {
        <p class="notice">{P::ReachesTablets.text()} " " {P::LeadDays.text()} " " {lead.days} {working.then(|| view! { " " {P::Working.text()} })}</p>
        <table class="list" data-testid="plan">
            <thead><tr>
                <th>{P::Month.text()}</th><th>{P::Day.text()}</th><th>{t(T::Kind)}</th><th>{t(T::Audience)}</th>
                <th>{t(T::Topic)}</th><th>{t(T::ChairName)}</th><th>{P::Status.text()}</th><th>{P::Announcement.text()}</th><th></th>
            </tr></thead>
            <tbody>
                {plan.entries.into_iter().map(|line| {
                    let (kind, audience, status) = (line.entry.kind, line.entry.audience, line.status);
                    let id = line.dialogue_id;
                    let announced = match (&line.announcement, line.announce_by) {
                        (Some(a), _) => format!("{} ({})", date(a.on), a.means.iter().map(|m| means_label(*m).get(lang.get_untracked())).collect::<Vec<_>>().join(", ")),
                        (None, Some(by)) => format!("{} · {} {}", P::NotAnnounced.get(lang.get_untracked()), P::AnnounceBy.get(lang.get_untracked()), date(by)),
                        (None, None) => P::NotAnnounced.get(lang.get_untracked()).into(),
                    };
                    let editable = line.editable;
                    let line_for_edit = line.clone();
                    view! {
                        <tr data-testid="plan-entry" class:overdue=line.announced_late>
                            <td>{line.entry.month}</td>
                            <td>{line.entry.planned_at.replace('T', " ")}</td>
                            <td>{move || labels::kind(kind, lang.get())}</td>
                            <td>{move || labels::audience(audience, lang.get())}</td>
                            <td>{line.entry.topic.clone()}</td>
                            <td>{line.entry.chair_name.clone()}</td>
                            <td>{move || labels::status(status, lang.get())}</td>
                            <td data-testid="announcement">{announced}
                                {line.announced_late.then(|| view! { <b class="error" data-testid="announced-late">" " {P::Late.text()}</b> })}</td>
                            <td>
                                {move || (office() && editable).then(|| {
                                    let line = line_for_edit.clone();
                                    view! { <button type="button" class="secondary" data-testid="plan-edit" on:click=move |_| form.load(&line)>{P::Edit.text()}</button> }
                                })}
                                {move || office().then(|| view! {
                                    <button type="button" class="secondary" data-testid="plan-announce" on:click=move |_| announcing.set(Some(id))>{P::RecordAnnouncement.text()}</button>
                                })}
                                <a class="button secondary" data-testid="plan-invitation" href=format!("/api/dialogues/{id}/invitation.docx")>{super::follow_up::F::InvitationDocx.text()}</a>
                                <super::follow_up::PdfLink docx=format!("/api/dialogues/{id}/invitation.docx") testid="plan-invitation-pdf" />
                            </td>
                        </tr>
                        {move || (announcing.get() == Some(id)).then(|| view! {
                            <tr><td colspan="9"><AnnouncementForm id message on_saved=move || { announcing.set(None); on_change() } /></td></tr>
                        })}
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AnnouncementForm(
    id: shared::DialogueId,
    message: RwSignal<Option<String>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let on = RwSignal::new(String::new());
    let means = RwSignal::new(Vec::<Means>::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = on.get_untracked().parse() else {
            return message.set(Some(P::AnnouncedOn.get(lang.get_untracked()).into()));
        };
        let body = Announcement {
            on: day,
            means: means.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            let url = format!("/api/plan/{id}/announcement");
            match crate::api::write::<_, PlanLine>("PUT", &url, &body, l).await {
                Ok(_) => {
                    message.set(Some(P::Saved.get(l).into()));
                    on_saved();
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, id, on_saved);
    };
    view! {
        <form class="grid" data-testid="announcement-form" on:submit=save>
            <label class="field"><span>{P::AnnouncedOn.text()}</span>
                <input type="date" data-testid="announced-on" on:input=move |ev| on.set(event_target_value(&ev)) /></label>
            {Means::ALL.into_iter().map(|m| view! {
                <label class="check"><input type="checkbox" data-testid=format!("means-{}", shared::text::tag(&m))
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        means.update(|list| { list.retain(|x| *x != m); if checked { list.push(m) } });
                    } />
                    " " {means_label(m).text()}</label>
            }).collect_view()}
            <button type="submit" data-testid="save-announcement">{P::Save.text()}</button>
        </form>
    }
}

#[component]
fn EntryForm(
    form: Form,
    save: impl Fn(leptos::ev::SubmitEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let text = |signal: RwSignal<String>, label: T, testid: &'static str| {
        view! {
            <label class="field"><span>{t(label)}</span>
                <input data-testid=testid prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev)) /></label>
        }
    };
    view! {
        <form class="grid" data-testid="plan-form" on:submit=save>
            <label class="field"><span>{P::Month.text()}</span>
                <select data-testid="plan-month" on:change=move |ev| form.month.set(event_target_value(&ev))>
                    {(1..=12).map(|m| view! { <option value=m.to_string() selected=move || form.month.get() == m.to_string()>{m}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{P::DayOptional.text()}</span>
                <input type="datetime-local" data-testid="plan-day" prop:value=move || form.planned_at.get() on:input=move |ev| form.planned_at.set(event_target_value(&ev)) /></label>
            <label class="field"><span>{t(T::Kind)}</span>
                <select data-testid="plan-kind" on:change=move |ev| if let Some(k) = DialogueKind::parse(&event_target_value(&ev)) { form.kind.set(k) }>
                    {DialogueKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || form.kind.get() == k>{move || labels::kind(k, lang.get())}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{t(T::Audience)}</span>
                <select data-testid="plan-audience" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(a) = Audience::ALL.into_iter().find(|a| shared::text::tag(a) == v) { form.audience.set(a) }
                }>
                    {Audience::ALL.into_iter().map(|a| view! { <option value=shared::text::tag(&a) selected=move || form.audience.get() == a>{move || labels::audience(a, lang.get())}</option> }).collect_view()}
                </select></label>
            {text(form.topic, T::Topic, "plan-topic")}
            {text(form.venue, T::Venue, "plan-venue")}
            {text(form.chair_name, T::ChairName, "plan-chair")}
            {text(form.chair_title, T::ChairTitle, "plan-chair-title")}
            <button type="submit" data-testid="plan-save">{move || if form.editing.get().is_some() { P::SaveChange.text()() } else { P::Add.text()() }}</button>
            {move || form.editing.get().is_some().then(|| view! {
                <button type="button" class="secondary" on:click=move |_| form.clear()>{P::Cancel.text()}</button>
            })}
        </form>
    }
}
