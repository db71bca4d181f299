//! The desktop screens of the follow-up after the meeting: notices due and
//! issuing one, an item with its history and what the reader may record,
//! an agency's list, and the overdue board. Full bundle only: their words
//! live in their own table ([`F`]), so the tablet never carries them.

pub mod agency;
pub mod board;
pub mod item;
pub mod notices;
pub mod publish;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use shared::follow_up::api::ItemLine;
use shared::follow_up::{Event, Stage};
use shared::Lang;

use crate::i18n::{labels, texts, use_lang, D};
use crate::nav::Page;

texts! { F {
    FollowUp => "Việc cần làm", "Follow-up";
    DownloadCsv => "CSV", "CSV";
    DownloadXlsx => "Excel", "Excel";
    ExportDialogues => "Tải danh sách buổi đối thoại", "Download the dialogues";
    ExportItems => "Tải danh sách ý kiến và tình trạng giải quyết", "Download the opinions and their follow-up";
    ExportOverdue => "Tải danh sách quá hạn", "Download the overdue list";
    NoticesDue => "Buổi đối thoại chờ thông báo kết luận", "Dialogues awaiting their conclusion notice";
    NoNoticesDue => "Không có buổi đối thoại nào chờ thông báo kết luận.", "No dialogue awaits its conclusion notice.";
    HeldOn => "Ngày đối thoại", "Held on";
    DueOn => "Hạn", "Due";
    DaysLeft => "Còn lại", "Left";
    PrepareNotice => "Soạn thông báo kết luận", "Prepare the notice";
    Notice => "Thông báo kết luận", "Conclusion notice";
    NoticeNumber => "Số thông báo", "Notice number";
    IssuedOn => "Ngày ban hành", "Issued on";
    ChairConclusion => "Kết luận của chủ trì", "The chair's conclusion";
    Settled => "Đã giải quyết tại buổi đối thoại", "Settled at the meeting";
    ToAssign => "Giao cơ quan giải quyết", "Assign to agencies";
    Agency => "Cơ quan xử lý", "Agency";
    PickAgency => "— Chọn cơ quan —", "— Pick an agency —";
    Instructions => "Chỉ đạo thêm (không bắt buộc)", "Instructions (optional)";
    Issue => "Ban hành thông báo", "Issue the notice";
    Issued => "Đã ban hành", "Issued";
    IssuedBy => "Người ban hành", "Issued by";
    OpenItem => "Xem việc", "Open item";
    Item => "Việc được giao", "Assigned item";
    History => "Quá trình xử lý", "History";
    FirstDue => "Hạn ban đầu", "First due date";
    CurrentDue => "Hạn đang áp dụng", "Due date in force";
    Stage => "Tình trạng", "State";
    Note => "Nội dung ghi nhận", "Note";
    RecordProgress => "Ghi tiến độ", "Record progress";
    Remind => "Đôn đốc cơ quan", "Remind the agency";
    ReplyNumber => "Số văn bản trả lời", "Reply number";
    ReplyDate => "Ngày trả lời", "Reply date";
    ReplySummary => "Tóm tắt nội dung trả lời", "Reply summary";
    RecordReply => "Ghi nhận văn bản trả lời", "Record the written reply";
    ForwardTo => "Chuyển cơ quan có thẩm quyền", "Forward to the competent agency";
    Forward => "Chuyển", "Forward";
    NewDue => "Hạn mới", "New due date";
    Reason => "Lý do", "Reason";
    Extend => "Thông báo vụ việc phức tạp, gia hạn", "Notify a complex matter, extend";
    Close => "Kết thúc việc", "Close the item";
    Reopen => "Mở lại", "Reopen";
    Satisfied => "Công dân đồng ý với kết quả", "The citizen accepts the result";
    NotSatisfied => "Công dân chưa đồng ý", "The citizen does not accept it";
    AgencyItems => "Việc được giao cho cơ quan", "Items assigned to the agency";
    NoItems => "Không có việc nào.", "No items.";
    Overdue => "Theo dõi quá hạn", "Overdue board";
    OverdueCount => "Quá hạn", "Overdue";
    DueSoon => "Sắp đến hạn (7 ngày)", "Due within 7 days";
    Open => "Đang xử lý", "Open";
    RepliedOnTime => "Trả lời đúng hạn", "Replied on time";
    RepliedLate => "Trả lời trễ hạn", "Replied late";
    RepliedOnFirstDue => "Đúng hạn ban đầu", "On the first due date";
    Forwarded => "Đã chuyển", "Forwarded";
    Total => "Tổng số", "Total";
    ByUnit => "Theo đơn vị", "By unit";
    ByAgency => "Theo cơ quan", "By agency";
    NeedAttention => "Việc cần chú ý (quá hạn và gần hạn trước)", "Needing attention (overdue and soonest first)";
    Stale => "Người khác vừa cập nhật việc này; màn hình đã hiện trạng thái mới nhất.", "Someone else updated this item; the screen shows it as it is now.";
    Saved => "Đã ghi nhận", "Recorded";
    Protected => "Danh tính người tố cáo được bảo mật", "The denouncer's identity is protected";
    Settings => "Thời hạn và lịch làm việc", "Deadlines and the working calendar";
    Province => "Tỉnh, thành phố", "Province";
    Commune => "Xã, phường, đặc khu", "Commune or ward";
    PickUnit => "— Chọn (quản trị toàn quốc: để trống) —", "— Pick one (nationwide admin: leave empty) —";
    WholeProvince => "— Cấp tỉnh —", "— The province itself —";
    AgencyDirectory => "Danh bạ cơ quan xử lý của đơn vị", "The unit's agency directory";
    AgencyName => "Tên cơ quan (sở, ban, ngành; công an, trạm y tế…)", "Agency name (department, police, health station…)";
    AddAgency => "Thêm cơ quan", "Add the agency";
    PublicationsDue => "Buổi đối thoại chờ công khai kết quả", "Dialogues whose results await publication";
    NoPublicationsDue => "Không có kết quả nào chờ công khai.", "No results await publication.";
    NoticesOverdue => "Thông báo kết luận quá hạn", "Conclusion notices past due";
    NoNoticesOverdue => "Không có thông báo kết luận nào quá hạn.", "No conclusion notice is past due.";
    PublicationsOverdue => "Công khai kết quả quá hạn", "Publication of results past due";
    NoPublicationsOverdue => "Không có kết quả nào quá hạn công khai.", "No results are past their publication date.";
    Publication => "Công khai kết quả đối thoại", "Publishing the dialogue's results";
    PreviewNote => "Đây đúng là những gì người dân sẽ thấy (không có họ tên, địa chỉ, số định danh của ai; tố cáo chỉ ghi loại và lĩnh vực).", "This is exactly what the public will see (nobody's name, address or ID number; a denunciation only by kind and field).";
    Publish => "Công khai", "Publish";
    PublishAgain => "Công khai bản mới", "Publish a new version";
    Withdraw => "Thu hồi", "Withdraw";
    Published => "Đã công khai", "Published";
    Withdrawn => "Đã thu hồi", "Withdrawn";
    PublicPage => "Xem trang công khai", "Open the public page";
    Secret => "Nội dung tố cáo được bảo mật", "The denunciation's content is confidential";
    MinutesOutside => "Tải biên bản (DOCX, bản gửi ra ngoài)", "Download the minutes (DOCX, the version sent outside)";
    MinutesFull => "Tải biên bản lưu hồ sơ (DOCX, bản đầy đủ)", "Download the minutes on file (DOCX, full)";
    NoticeDocx => "Tải thông báo kết luận (DOCX)", "Download the conclusion notice (DOCX)";
    ReminderDocx => "Công văn đôn đốc cơ quan (DOCX)", "Reminder letter to the agency (DOCX)";
    InvitationDocx => "Giấy mời (DOCX)", "Invitation (DOCX)";
    Pdf => "PDF", "PDF";
}}

/// The server's answer for a resource: fetched in the browser only (the
/// server renders shells without data), an error already in `lang`.
pub async fn fetch<T: DeserializeOwned>(url: String, lang: Lang) -> Result<T, String> {
    #[cfg(feature = "hydrate")]
    {
        crate::api::get(&url, lang)
            .await
            .map_err(|e| e.message(lang))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, lang);
        Err(String::new())
    }
}

/// A path with its query: `Page::Item` with `?o=…`.
pub fn link(page: Page, query: &str) -> String {
    format!("{}?{query}", page.path())
}

pub fn stage(s: Stage, lang: Lang) -> &'static str {
    match (s, lang) {
        (Stage::New, Lang::Vi) => "Chưa giao",
        (Stage::Assigned, Lang::Vi) => "Đang xử lý",
        (Stage::Replied, Lang::Vi) => "Đã trả lời",
        (Stage::Closed, Lang::Vi) => "Đã kết thúc",
        (Stage::New, Lang::En) => "Not assigned",
        (Stage::Assigned, Lang::En) => "With the agency",
        (Stage::Replied, Lang::En) => "Replied",
        (Stage::Closed, Lang::En) => "Closed",
    }
}

/// What an event was, in a few words.
pub fn event_name(e: &Event, lang: Lang) -> &'static str {
    let vi = lang == Lang::Vi;
    match e {
        Event::Assigned { .. } => {
            if vi {
                "Giao xử lý"
            } else {
                "Assigned"
            }
        }
        Event::Progress { .. } => {
            if vi {
                "Tiến độ"
            } else {
                "Progress"
            }
        }
        Event::Extended { .. } => {
            if vi {
                "Gia hạn (vụ việc phức tạp)"
            } else {
                "Extended (complex matter)"
            }
        }
        Event::Replied { .. } => {
            if vi {
                "Trả lời bằng văn bản"
            } else {
                "Written reply"
            }
        }
        Event::Forwarded { .. } => {
            if vi {
                "Chuyển cơ quan có thẩm quyền"
            } else {
                "Forwarded"
            }
        }
        Event::Closed => {
            if vi {
                "Kết thúc"
            } else {
                "Closed"
            }
        }
        Event::Reopened { .. } => {
            if vi {
                "Mở lại"
            } else {
                "Reopened"
            }
        }
        Event::Reminded { .. } => {
            if vi {
                "Đôn đốc"
            } else {
                "Reminder"
            }
        }
        Event::Satisfaction { satisfied: true } => {
            if vi {
                "Công dân đồng ý"
            } else {
                "Citizen accepts"
            }
        }
        Event::Satisfaction { satisfied: false } => {
            if vi {
                "Công dân chưa đồng ý"
            } else {
                "Citizen does not accept"
            }
        }
    }
}

/// Days left as people say them: "còn 5 ngày", "quá hạn 2 ngày".
pub fn days_left(left: i64, lang: Lang) -> String {
    match (left, lang) {
        (0, Lang::Vi) => "đến hạn hôm nay".into(),
        (0, Lang::En) => "due today".into(),
        (l, Lang::Vi) if l > 0 => format!("còn {l} ngày"),
        (l, Lang::En) if l > 0 => format!("{l} days left"),
        (l, Lang::Vi) => format!("quá hạn {} ngày", -l),
        (l, Lang::En) => format!("{} days late", -l),
    }
}

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    // Not chrono's `format`: its parser would weigh on the bundle.
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Whether the signed-in user is the office that acts on follow-up, plans
/// and publishes (`Role::can_follow_up`); observers read the same screens
/// without the buttons. Read when shown: the session loads after hydration.
pub fn is_office() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let ctx = crate::state::use_ctx();
    move || {
        ctx.session
            .with(|s| s.as_ref().is_some_and(|u| u.role.can_follow_up()))
    }
}

/// A link to a document as PDF beside its DOCX link: the same path, `pdf`
/// for `docx` (`…/minutes.pdf?…`, `…/report/pdf`).
#[component]
pub fn PdfLink(docx: String, testid: &'static str) -> impl IntoView {
    let href = docx
        .replacen(".docx", ".pdf", 1)
        .replacen("/docx", "/pdf", 1);
    view! { " " <a class="button secondary" href=href data-testid=testid>{F::Pdf.text()}</a> }
}

/// The unit a screen about one unit's year shows: the one picked
/// (`?unit=` first), else the user's own (the session loads after
/// hydration). Its picker, and the code it resolves to.
pub fn picked_unit() -> (
    RwSignal<String>,
    impl Fn() -> String + Copy + Send + Sync + 'static,
) {
    let ctx = crate::state::use_ctx();
    let chosen = RwSignal::new(crate::nav::query_param("unit").unwrap_or_default());
    let unit = move || {
        let picked = chosen.get();
        if !picked.is_empty() {
            return picked;
        }
        ctx.session.with(|s| {
            s.as_ref()
                .and_then(|u| u.unit_code.as_ref().or(u.units.first().map(|(c, _)| c)))
                .map(|c| c.to_string())
                .unwrap_or_default()
        })
    };
    (chosen, unit)
}

/// The unit (among the user's) and year pickers of such a screen; their
/// test ids start with `name`.
#[component]
pub fn UnitAndYear(
    chosen: RwSignal<String>,
    unit: impl Fn() -> String + Copy + Send + Sync + 'static,
    year: RwSignal<i32>,
    name: &'static str,
) -> impl IntoView {
    use crate::i18n::{t, T};
    let ctx = crate::state::use_ctx();
    view! {
        <label class="field"><span>{t(T::Unit)}</span>
            <select data-testid=format!("{name}-unit") on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || ctx.session.with(|s| s.as_ref().map(|u| u.units.clone()).unwrap_or_default())
                    .into_iter()
                    .map(|(code, name)| {
                        let value = code.to_string();
                        let selected = value == unit();
                        view! { <option value=value selected=selected>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <label class="field"><span>{crate::pages::plan::P::Year.text()}</span>
            <input type="number" min="2020" max="2100" data-testid=format!("{name}-year") prop:value=move || year.get().to_string()
                on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) } />
        </label>
    }
}

/// Download links for an export (`/api/exports/{name}.csv` and `.xlsx`)
/// with the filters the screen last applied (`query`: `?a=b&…` or empty).
#[component]
pub fn Downloads(label: F, name: &'static str, query: RwSignal<String>) -> impl IntoView {
    let href = move |extension: &str| format!("/api/exports/{name}.{extension}{}", query.get());
    view! {
        <p class="no-print downloads" data-testid=format!("export-{name}")>
            {label.text()} ": "
            <a href=move || href("csv") data-testid=format!("export-{name}-csv")>{F::DownloadCsv.text()}</a>
            " · "
            <a href=move || href("xlsx") data-testid=format!("export-{name}-xlsx")>{F::DownloadXlsx.text()}</a>
        </p>
    }
}

/// Links between the desktop screens of a reviewer or an observer.
#[component]
pub fn FollowUpNav() -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="menu no-print">
            <a class="button" href=Page::Review.path() data-testid="go-review">{crate::i18n::t(crate::i18n::T::Review)}</a>
            <a class="button" href=Page::FollowUp.path() data-testid="go-follow-up">{F::FollowUp.text()}</a>
            <a class="button" href=Page::Overdue.path() data-testid="go-overdue">{F::Overdue.text()}</a>
            <a class="button" href=Page::Plan.path() data-testid="go-plan">{move || crate::pages::plan::P::Plan.get(lang.get())}</a>
            <a class="button" href=Page::Compliance.path() data-testid="go-compliance">{move || crate::pages::compliance::C::Compliance.get(lang.get())}</a>
            <a class="button" href=Page::Reports.path() data-testid="go-reports">{move || crate::pages::reports::R::Reports.get(lang.get())}</a>
        </nav>
    }
}

/// A list's search box (diacritics optional) and its unit filter among
/// the user's units, for the review list and the board.
#[component]
pub fn SearchAndUnit(q: RwSignal<String>, unit: RwSignal<String>) -> impl IntoView {
    use crate::i18n::{t, T};
    let ctx = crate::state::use_ctx();
    view! {
        <label class="field"><span>{D::Search.text()}</span><input type="search" data-testid="search" on:input=move |ev| q.set(event_target_value(&ev)) /></label>
        <label class="field"><span>{t(T::Unit)}</span>
            <select data-testid="filter-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                <option value="">{D::All.text()}</option>
                {move || ctx.session.with(|s| s.as_ref().map(|u| u.units.clone()).unwrap_or_default())
                    .into_iter()
                    .map(|(code, name)| view! { <option value=code.to_string()>{name}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Items as a table, each opening its page.
#[component]
pub fn ItemTable(items: Vec<ItemLine>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p>{F::NoItems.text()}</p> }.into_any();
    }
    view! {
        <table class="list" data-testid="items">
            <thead><tr>
                <th>{crate::i18n::t(crate::i18n::T::Content)}</th><th>{crate::i18n::t(crate::i18n::T::Unit)}</th>
                <th>{F::Agency.text()}</th><th>{F::Stage.text()}</th><th>{F::DueOn.text()}</th><th>{F::DaysLeft.text()}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|i| {
                    let (kind, stage_now, left) = (i.kind, i.stage, i.days_left);
                    view! {
                        <tr data-testid="item-row" class:overdue=i.overdue>
                            <td>
                                <span class="tag">{move || labels::opinion(kind, lang.get())}</span> " "
                                <a href=link(Page::Item, &format!("o={}", i.opinion_id))>{i.summary.clone()}</a>
                            </td>
                            <td>{i.unit_name.clone()}</td>
                            <td>{i.agency_name.clone()}{i.forwarded.then(|| view! { " " <span class="tag">{F::Forwarded.text()}</span> })}</td>
                            <td>{move || stage(stage_now, lang.get())}</td>
                            <td>{date(i.due)}</td>
                            <td data-testid="days-left">{move || left.map(|l| days_left(l, lang.get())).unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
