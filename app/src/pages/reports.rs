//! `/reports`: a unit's year in charts a leader reads at a glance and its
//! 6-month and annual reports (báo cáo); `/reports/view?id=`: one report, its
//! figures from the data, its narrative edited by the unit's own office
//! as a draft, issued with its number, downloaded as DOCX. Full bundle
//! only; its words in [`R`].

use leptos::prelude::*;
use shared::report::{
    Charts, Counts, IssueReport, Narrative, NewReport, Report, ReportChange, ReportLine,
    ReportPeriod,
};
use shared::{OpinionKind, SubjectField, UnitCode};

use super::follow_up::{date, fetch, link, FollowUpNav};
use crate::components::TopBar;
use crate::i18n::{labels, t, texts, use_lang, T};
use crate::nav::{query_param, Page};
use crate::state::use_ctx;

texts! { R {
    Reports => "Báo cáo kết quả đối thoại", "Dialogue reports";
    Year => "Năm", "Year";
    Month => "Tháng", "Month";
    Period => "Kỳ báo cáo", "Period";
    HalfYear => "6 tháng đầu năm", "First half of the year";
    FullYear => "Cả năm", "Whole year";
    Open => "Lập báo cáo", "Open a report";
    Draft => "Bản nháp", "Draft";
    Issued => "Đã ban hành", "Issued";
    NoReports => "Đơn vị chưa có báo cáo nào.", "The unit has no report yet.";
    Docx => "Tải báo cáo (DOCX)", "Download (DOCX)";
    Edit => "Mở", "Open";
    AtAGlance => "Tình hình năm", "The year at a glance";
    PerMonth => "Số buổi đối thoại theo tháng", "Dialogues per month";
    ByKind => "Ý kiến theo loại", "Opinions by kind";
    ByField => "Ý kiến theo lĩnh vực", "Opinions by field";
    ByStage => "Việc sau đối thoại theo tình trạng", "Follow-up by state";
    OverdueByAgency => "Việc quá hạn theo cơ quan", "Overdue items by agency";
    AwaitingNotice => "Chờ thông báo kết luận", "Awaiting the notice";
    WithAgency => "Cơ quan đang giải quyết", "With the agency";
    Replied => "Đã trả lời", "Replied";
    Closed => "Đã kết thúc", "Closed";
    NoOverdue => "Không có việc quá hạn.", "No overdue item.";
    Days => "Số liệu từ ngày", "Figures from";
    To => "đến ngày", "to";
    AsOf => "tình hình giải quyết tính đến ngày", "follow-up as of";
    Figures => "Số liệu (tự động từ dữ liệu)", "Figures (from the data)";
    Dialogues => "Buổi đối thoại", "Dialogues";
    Participants => "Lượt công dân tham dự", "Citizens attending";
    Opinions => "Ý kiến", "Opinions";
    Answered => "Trả lời tại buổi đối thoại", "Answered at the meeting";
    Needing => "Cần giải quyết sau đối thoại", "Needing follow-up";
    Assigned => "Đã giao cơ quan", "Assigned";
    OnTime => "Trả lời đúng hạn", "Replied on time";
    Late => "Trả lời quá hạn", "Replied late";
    Overdue => "Quá hạn chưa trả lời", "Overdue";
    Forwarded => "Chuyển cơ quan có thẩm quyền", "Forwarded";
    StillOpen => "Còn đang giải quyết", "Still open";
    Notable => "Vụ việc quá hạn cần quan tâm", "Notable overdue matters";
    Protected => "nội dung tố cáo (được bảo mật)", "denunciation (confidential)";
    DaysLate => "ngày quá hạn", "days late";
    Narrative => "Nội dung báo cáo (văn phòng soạn)", "The report's text (by the office)";
    LegalBasis => "Căn cứ", "Legal grounds";
    Leadership => "I. Công tác lãnh đạo, triển khai thực hiện", "I. Leadership and deployment";
    Dissemination => "II.1. Công tác tuyên truyền, phổ biến", "II.1. Dissemination";
    Assessment => "II.3. Đánh giá chung", "II.3. Assessment";
    NextTasks => "III. Phương hướng, nhiệm vụ kỳ tới", "III. Tasks for the next period";
    Proposals => "IV. Đề xuất, kiến nghị", "IV. Proposals";
    Recipients => "Nơi nhận (mỗi dòng một nơi)", "Recipients (one per line)";
    SignerAuthority => "Thẩm quyền ký (TM., KT., Q.)", "Signing for (TM., KT., Q.)";
    SignerRole => "Chức vụ người ký", "Signer's title";
    SignerName => "Họ tên người ký", "Signer's name";
    Save => "Lưu bản nháp", "Save the draft";
    Saved => "Đã lưu", "Saved";
    Stale => "Người khác vừa sửa báo cáo này; màn hình đã hiện bản mới nhất, hãy sửa lại.", "Someone else changed this report; the screen shows it as it is now: make your change again.";
    Number => "Số văn bản (vd. 05/BC-UBND)", "Number (e.g. 05/BC-UBND)";
    Issue => "Ban hành báo cáo", "Issue the report";
    IssueConfirm => "Ban hành báo cáo với số này? Sau khi ban hành, nội dung và số liệu của báo cáo không thay đổi nữa.", "Issue the report with this number? Once issued, its text and figures never change.";
    IssuedNote => "Báo cáo đã ban hành: số liệu được giữ nguyên như ngày ban hành.", "This report is issued: its figures stay as they were on the day it was issued.";
    Back => "Các báo cáo của đơn vị", "The unit's reports";
    NoReport => "Không có báo cáo nào được chọn.", "No report chosen.";
}}

fn month_label(m: usize) -> String {
    format!("{}", m + 1)
}

/// A horizontal bar chart in SVG: one bar per row, its value at its end.
/// The rows are also the chart's text, for screen readers and print.
#[component]
fn Bars(title: R, rows: Vec<(String, u32)>, testid: &'static str) -> impl IntoView {
    const ROW: usize = 26;
    const LABEL: f64 = 220.0;
    const WIDTH: f64 = 640.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = rows.len() * ROW + 4;
    let scale = (WIDTH - LABEL - 60.0) / f64::from(max);
    let described = rows
        .iter()
        .map(|(l, n)| format!("{l}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title.text()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=described.clone() width="100%">
                <title>{described.clone()}</title>
                {rows.into_iter().enumerate().map(|(i, (label, n))| {
                    let y = i * ROW;
                    let w = f64::from(n) * scale;
                    view! {
                        <text x=LABEL - 8.0 y=y + 17 text-anchor="end">{label}</text>
                        <rect x=LABEL y=y + 4 width=format!("{w:.1}") height="18" rx="2" />
                        <text x=LABEL + w + 6.0 y=y + 17 data-testid="bar-value">{n}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[component]
fn ChartsView(charts: Charts) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let months = charts
        .dialogues_per_month
        .iter()
        .enumerate()
        .map(|(m, n)| (format!("{} {}", R::Month.get(lang), month_label(m)), *n))
        .collect();
    let kinds = OpinionKind::ALL
        .iter()
        .zip(charts.opinions_by_kind)
        .map(|(k, n)| (labels::opinion(*k, lang).to_owned(), n))
        .collect();
    let fields = SubjectField::ALL
        .iter()
        .zip(charts.opinions_by_field)
        .map(|(f, n)| (labels::field(*f, lang).to_owned(), n))
        .collect();
    let stages = [R::AwaitingNotice, R::WithAgency, R::Replied, R::Closed]
        .iter()
        .zip(charts.items_by_stage)
        .map(|(s, n)| (s.get(lang).to_owned(), n))
        .collect();
    let overdue = charts.overdue_by_agency.clone();
    view! {
        <section class="charts" data-testid="charts">
            <h2>{R::AtAGlance.text()} " " {charts.year} " · " {charts.unit_name.clone()}</h2>
            <Bars title=R::PerMonth rows=months testid="chart-months" />
            <Bars title=R::ByKind rows=kinds testid="chart-kinds" />
            <Bars title=R::ByField rows=fields testid="chart-fields" />
            <Bars title=R::ByStage rows=stages testid="chart-stages" />
            {if overdue.is_empty() {
                view! { <p data-testid="chart-agencies">{R::OverdueByAgency.text()} ": " {R::NoOverdue.text()}</p> }.into_any()
            } else {
                view! { <Bars title=R::OverdueByAgency rows=overdue testid="chart-agencies" /> }.into_any()
            }}
        </section>
    }
}

fn period_label(p: ReportPeriod) -> R {
    match p {
        ReportPeriod::HalfYear => R::HalfYear,
        ReportPeriod::Year => R::FullYear,
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let ctx = use_ctx();
    let (chosen, unit) = super::follow_up::picked_unit();
    let year = RwSignal::new(super::plan::this_year());
    let own = move || {
        ctx.session.with(|s| {
            s.as_ref().is_some_and(|u| {
                u.role.can_follow_up()
                    && u.unit_code.as_ref().map(|c| c.to_string()) == Some(unit())
            })
        })
    };
    let list = LocalResource::new(move || {
        let unit = unit();
        async move {
            if unit.is_empty() {
                return None;
            }
            Some(
                fetch::<Vec<ReportLine>>(format!("/api/reports?unit={unit}"), lang.get_untracked())
                    .await,
            )
        }
    });
    let charts = LocalResource::new(move || {
        let (unit, year) = (unit(), year.get());
        async move {
            if unit.is_empty() {
                return None;
            }
            Some(
                fetch::<Charts>(
                    format!("/api/reports/charts?unit={unit}&year={year}"),
                    lang.get_untracked(),
                )
                .await,
            )
        }
    });
    let period = RwSignal::new(ReportPeriod::HalfYear);
    let message = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(unit_code) = UnitCode::parse(&unit()) else {
            return;
        };
        let body = NewReport {
            unit_code,
            period: period.get_untracked(),
            year: year.get_untracked(),
            starts_on: None,
            ends_on: None,
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match crate::api::post::<_, Report>("/api/reports", &body, l).await {
                Ok(r) => crate::nav::go(&link(Page::Report, &format!("id={}", r.id))),
                Err(e) => message.set(Some(e.message(l))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, message);
    };
    view! {
        <TopBar />
        <FollowUpNav />
        <h1>{R::Reports.text()}</h1>
        <section class="filters no-print">
            <super::follow_up::UnitAndYear chosen unit year name="reports" />
        </section>
        {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="reports-message">{m}</p> })}
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || list.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(lines) if lines.is_empty() => view! { <p data-testid="reports-empty">{R::NoReports.text()}</p> }.into_any(),
                Ok(lines) => view! {
                    <table class="list" data-testid="reports">
                        <thead><tr><th>{R::Period.text()}</th><th>{R::Year.text()}</th><th></th><th></th></tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| {
                                let p = l.period;
                                view! {
                                    <tr data-testid="report-line">
                                        <td>{move || period_label(p).get(lang.get())}</td>
                                        <td>{l.year}</td>
                                        <td>{match l.issued {
                                            Some(i) => view! { {R::Issued.text()} " · " {i.number} " · " {date(i.issued_on)} }.into_any(),
                                            None => view! { {R::Draft.text()} }.into_any(),
                                        }}</td>
                                        <td>
                                            <a class="button secondary" data-testid="report-open" href=link(Page::Report, &format!("id={}", l.id))>{R::Edit.text()}</a>
                                            " " <a class="button secondary" href=format!("/api/reports/{}/docx", l.id)>{R::Docx.text()}</a>
                                            <super::follow_up::PdfLink docx=format!("/api/reports/{}/docx", l.id) testid="report-line-pdf" />
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
        {move || own().then(|| view! {
            <form class="filters no-print" data-testid="report-new" on:submit=open>
                <label class="field"><span>{R::Period.text()}</span>
                    <select data-testid="report-period" on:change=move |ev| period.set(if event_target_value(&ev) == "year" { ReportPeriod::Year } else { ReportPeriod::HalfYear })>
                        {ReportPeriod::ALL.into_iter().map(|p| view! { <option value=shared::text::tag(&p)>{period_label(p).text()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" data-testid="report-create">{R::Open.text()} " " {move || year.get()}</button>
            </form>
        })}
        <Suspense fallback=|| ()>
            {move || charts.get().flatten().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(c) => view! { <ChartsView charts=c /> }.into_any(),
            })}
        </Suspense>
    }
}

/// The figures as the report's section II will say them.
#[component]
fn FiguresTable(counts: Counts) -> impl IntoView {
    let rows = [
        (R::Dialogues, counts.dialogues),
        (R::Participants, counts.participants),
        (R::Opinions, counts.opinions),
        (R::Answered, counts.answered_at_meeting),
        (R::Needing, counts.needing_follow_up),
        (R::Assigned, counts.assigned),
        (R::OnTime, counts.replied_on_time),
        (R::Late, counts.replied_late),
        (R::Overdue, counts.overdue),
        (R::Forwarded, counts.forwarded),
        (R::StillOpen, counts.still_open),
    ];
    view! {
        <table class="list counts" data-testid="report-figures">
            <tbody>
                {rows.into_iter().map(|(label, n)| view! {
                    <tr><th>{label.text()}</th><td class="number">{n}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The narrative's fields as typed.
#[derive(Clone, Copy)]
struct Fields([RwSignal<String>; 10]);

impl Fields {
    const LABELS: [(R, bool); 10] = [
        (R::LegalBasis, true),
        (R::Leadership, true),
        (R::Dissemination, true),
        (R::Assessment, true),
        (R::NextTasks, true),
        (R::Proposals, true),
        (R::Recipients, true),
        (R::SignerAuthority, false),
        (R::SignerRole, false),
        (R::SignerName, false),
    ];

    fn new(n: &Narrative) -> Self {
        let fields = Self(std::array::from_fn(|_| RwSignal::new(String::new())));
        fields.load(n);
        fields
    }

    fn load(&self, n: &Narrative) {
        let values = [
            &n.legal_basis,
            &n.leadership,
            &n.dissemination,
            &n.assessment,
            &n.next_tasks,
            &n.proposals,
            &n.recipients,
            &n.signer_authority,
            &n.signer_role,
            &n.signer_name,
        ];
        for (signal, value) in self.0.iter().zip(values) {
            signal.set(value.clone());
        }
    }

    fn narrative(&self) -> Narrative {
        let [legal_basis, leadership, dissemination, assessment, next_tasks, proposals, recipients, signer_authority, signer_role, signer_name] =
            self.0.map(|s| s.get_untracked());
        Narrative {
            legal_basis,
            leadership,
            dissemination,
            assessment,
            next_tasks,
            proposals,
            recipients,
            signer_authority,
            signer_role,
            signer_name,
        }
    }
}

/// `/reports/view?id=`: one report. The id is read in the browser only
/// (the server renders the shell), so the report loads after hydration.
#[component]
pub fn ReportPage() -> impl IntoView {
    let lang = use_lang();
    let url = format!("/api/reports/{}", current_id());
    let report = LocalResource::new({
        let url = url.clone();
        move || {
            let url = url.clone();
            async move {
                if url.ends_with('/') {
                    return Err(R::NoReport.get(lang.get_untracked()).to_owned());
                }
                fetch::<Report>(url, lang.get_untracked()).await
            }
        }
    });
    view! {
        <TopBar />
        <FollowUpNav />
        <h1>{R::Reports.text()}</h1>
        <p class="no-print"><a href=Page::Reports.path()>{R::Back.text()}</a></p>
        <Suspense fallback=move || view! { <p>{t(T::Loading)}</p> }>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(r) => view! { <ReportEditor report=r url=url.clone() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReportEditor(report: Report, url: String) -> impl IntoView {
    let lang = use_lang();
    let ctx = use_ctx();
    let own_office = {
        let unit = report.unit_code.clone();
        Memo::new(move |_| {
            ctx.session.with(|s| {
                s.as_ref()
                    .is_some_and(|u| u.role.can_follow_up() && u.unit_code.as_ref() == Some(&unit))
            })
        })
    };
    let is_issued = report.issued.is_some();
    let editable = move || own_office.get() && !is_issued;
    let fields = Fields::new(&report.narrative);
    let revision = RwSignal::new(report.revision);
    let message = RwSignal::new(None::<String>);
    let number = RwSignal::new(String::new());
    let save = {
        let url = url.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = ReportChange {
                revision: revision.get_untracked(),
                narrative: fields.narrative(),
            };
            let _ = &url;
            #[cfg(feature = "hydrate")]
            {
                let url = url.clone();
                leptos::task::spawn_local(async move {
                    let l = lang.get_untracked();
                    match crate::api::write::<_, Report>("PUT", &url, &body, l).await {
                        Ok(r) => {
                            revision.set(r.revision);
                            message.set(Some(R::Saved.get(l).into()));
                        }
                        Err(e) => stale_or(e, l, fields, revision, message),
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = body;
        }
    };
    let issue = {
        let url = url.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = IssueReport {
                revision: revision.get_untracked(),
                number: number.get_untracked(),
            };
            let _ = &url;
            #[cfg(feature = "hydrate")]
            {
                let confirmed = web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(R::IssueConfirm.get(lang.get_untracked()))
                            .ok()
                    })
                    .unwrap_or(false);
                if !confirmed {
                    return;
                }
                let url = format!("{url}/issue");
                leptos::task::spawn_local(async move {
                    let l = lang.get_untracked();
                    match crate::api::post::<_, Report>(&url, &body, l).await {
                        Ok(r) => crate::nav::go(&link(Page::Report, &format!("id={}", r.id))),
                        Err(e) => stale_or(e, l, fields, revision, message),
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = body;
        }
    };
    let period = report.period;
    let figures = report.figures.clone();
    view! {
        <h2 data-testid="report-title">
            {report.unit_name.clone()} " · " {move || period_label(period).get(lang.get())} " " {report.year}
            {report.issued.clone().map(|i| view! { " · " {R::Issued.text()} " " {i.number} " (" {date(i.issued_on)} ")" })}
        </h2>
        <p class="notice">{R::Days.text()} " " {date(report.starts_on)} " " {R::To.text()} " " {date(report.ends_on)}; " "
            {R::AsOf.text()} " " {date(figures.as_of)}.
            {report.issued.is_some().then(|| view! { " " {R::IssuedNote.text()} })}</p>
        <p class="no-print"><a class="button secondary" data-testid="report-docx" href=format!("{url}/docx")>{R::Docx.text()}</a>
            <super::follow_up::PdfLink docx=format!("{url}/docx") testid="report-pdf" /></p>
        <h3>{R::Figures.text()}</h3>
        <FiguresTable counts=figures.total.clone() />
        {(figures.units.len() > 1).then(|| {
            let units = figures.units.clone();
            view! {
                <table class="list counts" data-testid="report-units">
                    <thead><tr><th>{t(T::Unit)}</th><th>{R::Dialogues.text()}</th><th>{R::Opinions.text()}</th><th>{R::Assigned.text()}</th><th>{R::OnTime.text()}</th><th>{R::Overdue.text()}</th></tr></thead>
                    <tbody>
                        {units.into_iter().filter(|u| u.counts.dialogues > 0 || u.counts.still_open > 0).map(|u| view! {
                            <tr><td>{u.unit_name}</td><td class="number">{u.counts.dialogues}</td><td class="number">{u.counts.opinions}</td>
                                <td class="number">{u.counts.assigned}</td><td class="number">{u.counts.replied_on_time}</td><td class="number">{u.counts.overdue}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })}
        <h3>{R::Notable.text()}</h3>
        <ul data-testid="report-notable">
            {figures.notable.into_iter().map(|n| {
                let field = n.field;
                view! {
                    <li>{n.unit_name} " (" {date(n.held_on)} "), " {move || labels::field(field, lang.get())} ": "
                        {if n.summary.is_empty() { R::Protected.text()().to_owned() } else { n.summary }}
                        " · " {n.agency} " · " {n.days_late} " " {R::DaysLate.text()}</li>
                }
            }).collect_view()}
        </ul>
        <h3>{R::Narrative.text()}</h3>
        {move || message.get().map(|m| view! { <p role="status" data-testid="report-message">{m}</p> })}
        <form class="grid" data-testid="report-form" on:submit=save>
            {Fields::LABELS.into_iter().zip(fields.0).enumerate().map(|(i, ((label, long), signal))| {
                let testid = format!("report-field-{i}");
                if long {
                    view! { <label class="field"><span>{label.text()}</span>
                        <textarea rows="4" data-testid=testid prop:value=move || signal.get() prop:readOnly=move || !editable()
                            on:input=move |ev| signal.set(event_target_value(&ev))></textarea></label> }.into_any()
                } else {
                    view! { <label class="field"><span>{label.text()}</span>
                        <input data-testid=testid prop:value=move || signal.get() prop:readOnly=move || !editable()
                            on:input=move |ev| signal.set(event_target_value(&ev)) /></label> }.into_any()
                }
            }).collect_view()}
            {move || editable().then(|| view! { <button type="submit" data-testid="report-save">{R::Save.text()}</button> })}
        </form>
        {move || editable().then(|| view! {
            <form class="filters" data-testid="report-issue" on:submit=issue.clone()>
                <label class="field"><span>{R::Number.text()}</span>
                    <input data-testid="report-number" required prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) /></label>
                <button type="submit" data-testid="report-issue-button">{R::Issue.text()}</button>
            </form>
        })}
    }
}

/// A refused write: someone else's change first (the screen takes the
/// report as it now is), or the server's message.
#[cfg(feature = "hydrate")]
fn stale_or(
    e: crate::api::ApiError,
    l: crate::i18n::Lang,
    fields: Fields,
    revision: RwSignal<i64>,
    message: RwSignal<Option<String>>,
) {
    if let crate::api::ApiError::Server {
        status: 409, code, ..
    } = &e
    {
        if code == "stale" {
            // The 409's `current` is not passed through `ApiError`: read it again.
            leptos::task::spawn_local(async move {
                if let Ok(r) =
                    crate::api::get::<Report>(&format!("/api/reports/{}", current_id()), l).await
                {
                    fields.load(&r.narrative);
                    revision.set(r.revision);
                }
                message.set(Some(R::Stale.get(l).into()));
            });
            return;
        }
    }
    message.set(Some(e.message(l)));
}

/// The report of this page's `?id=`.
fn current_id() -> String {
    query_param("id").unwrap_or_default()
}
