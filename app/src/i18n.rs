//! Every UI text, Vietnamese first, English second, in one table. The
//! language is a context signal; the server always renders Vietnamese and the
//! browser switches after hydration, so the first render matches.

use leptos::prelude::*;
pub use shared::Lang;

/// A table of UI texts: an enum `$table` whose `get` gives each in a
/// language. The tablet's screens use [`T`]; the desktop screens keep their
/// own tables, so their words never weigh on the field bundle.
macro_rules! texts {
    ($table:ident { $($key:ident => $vi:literal, $en:literal;)* }) => {
        /// A UI text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $table { $($key),* }
        impl $table {
            /// The text in the page's language, following it when it changes.
            #[allow(dead_code)]
            pub fn text(self) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
                let lang = $crate::i18n::use_lang();
                move || self.get(leptos::prelude::Get::get(&lang))
            }
            pub fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                use $crate::i18n::Lang;
                match (self, lang) {
                    $(($table::$key, Lang::Vi) => $vi, ($table::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}
#[cfg_attr(feature = "field-bundle", allow(unused_imports))]
pub(crate) use texts;

// The desktop screens' (and the print view's, which the full bundle runs)
// shared words: not a byte of them in the tablet's first bundle.
#[cfg(not(feature = "field-bundle"))]
texts! { D {
    Minutes => "BIÊN BẢN", "MINUTES";
    MinutesTitle => "Buổi đối thoại trực tiếp với Nhân dân", "Direct dialogue with citizens";
    PrintNow => "In biên bản", "Print the minutes";
    FullVersion => "Bản lưu hồ sơ", "On-file version";
    Search => "Tìm kiếm (có thể gõ không dấu)", "Search (diacritics optional)";
    From => "Từ ngày", "From";
    To => "Đến ngày", "To";
    All => "Tất cả", "All";
    Filter => "Lọc", "Filter";
    RecordedBy => "Người ghi", "Recorded by";
    ReceivedAt => "Máy chủ nhận lúc", "Received by the server at";
    Revisions => "Các phiên bản được lưu (sửa đồng thời)", "Kept revisions (concurrent edits)";
    ConcurrentEdit => "Có chỉnh sửa đồng thời", "Edited concurrently";
    NoResults => "Không có kết quả.", "No results.";
    MoreResults => "Xem thêm", "Show more";
    ImportUnits => "Nạp danh mục đơn vị hành chính", "Load the administrative units";
    CreateUser => "Tạo người dùng", "Create user";
    DisplayName => "Họ tên", "Full name";
    Role => "Vai trò", "Role";
    Users => "Người dùng", "Users";
    Done => "Xong", "Done";
    Status => "Trạng thái", "Status";
    NotOnDevice => "Biên bản này không có trên máy này: chưa tải về, hoặc đã rời máy sau khi đồng bộ (vẫn còn trên máy chủ, xem ở trang Tổng hợp).", "These minutes are not on this device: not downloaded yet, or they left it once synced (they stay on the server, see the Review page).";
}}

texts! { T {
    AppName => "Đối thoại với Nhân dân", "Dialogues with citizens";
    Login => "Đăng nhập", "Log in";
    Logout => "Đăng xuất", "Log out";
    Username => "Tên đăng nhập", "User name";
    Password => "Mật khẩu", "Password";
    Capture => "Ghi biên bản", "Record minutes";
    Review => "Tổng hợp", "Review";
    Admin => "Quản trị", "Administration";
    NewDialogue => "Tạo buổi đối thoại mới", "New dialogue";
    PrunedNote => "Biên bản đã hoàn thành và đồng bộ được gỡ khỏi máy sau một thời gian; vẫn lưu trên máy chủ (trang Tổng hợp).", "Finalised, synced minutes leave this device after a while; they stay on the server (Review page).";
    NoDialogues => "Chưa có buổi đối thoại nào trên máy này.", "No dialogues on this device yet.";
    NotLoggedIn => "Bạn chưa đăng nhập. Cần mạng để đăng nhập lần đầu.", "You are not logged in. The first login needs a network.";
    Loading => "Đang tải…", "Loading…";
    Unit => "Đơn vị", "Unit";
    Kind => "Hình thức", "Kind";
    Audience => "Đối tượng", "Audience";
    AudienceGroup => "Tên nhóm", "Group name";
    Topic => "Chủ đề", "Topic";
    Venue => "Địa điểm", "Venue";
    OnSite => "Tại nơi xảy ra vụ việc", "On the spot of the incident";
    PlannedAt => "Thời gian dự kiến", "Planned date and time";
    ChairName => "Chủ trì (họ tên)", "Chair (name)";
    ChairTitle => "Chức vụ chủ trì", "Chair's title";
    SecretaryName => "Thư ký", "Secretary";
    Mttq => "Đại diện MTTQ", "Fatherland Front representative";
    Invited => "Cơ quan được mời (mỗi dòng một cơ quan)", "Invited agencies (one per line)";
    Citizens => "Số công dân dự", "Citizens attending";
    Start => "Bắt đầu họp", "Start meeting";
    End => "Kết thúc họp", "End meeting";
    StartedAt => "Bắt đầu lúc", "Started at";
    EndedAt => "Kết thúc lúc", "Ended at";
    Opinions => "Ý kiến của Nhân dân", "Citizens' opinions";
    AddOpinion => "Thêm ý kiến", "Add opinion";
    Speaker => "Người phát biểu", "Speaker";
    Address => "Địa chỉ", "Address";
    OnBehalf => "Thay mặt nhóm", "On behalf of a group";
    OpinionKind => "Loại ý kiến", "Opinion kind";
    Field => "Lĩnh vực", "Field";
    Content => "Nội dung", "Content";
    Answer => "Trả lời tại hội nghị", "Answer at the meeting";
    AnsweredBy => "Người trả lời", "Answered by";
    NeedsFollowUp => "Cần xử lý sau hội nghị", "Needs follow-up";
    ProposedAgency => "Cơ quan đề xuất xử lý", "Proposed agency";
    Remove => "Xóa", "Remove";
    Restore => "Khôi phục", "Restore";
    Removed => "Đã xóa", "Removed";
    MoveUp => "Lên", "Up";
    MoveDown => "Xuống", "Down";
    Conclusion => "Kết luận của chủ trì", "Chair's conclusion";
    Finalise => "Hoàn thành biên bản", "Finalise minutes";
    Finalised => "Biên bản đã hoàn thành và khóa", "Minutes finalised and locked";
    ConfirmFinalise => "Hoàn thành biên bản? Biên bản sẽ bị khóa: sau đó không sửa được nữa, mọi chỉnh sửa đều bị từ chối.", "Finalise the minutes? They will be locked: no edit is accepted after this.";
    Offline => "Đang ngoại tuyến — dữ liệu an toàn trên máy", "Offline — your data is safe on this device";
    DenouncerProtected => "Tố cáo: danh tính người tố cáo được giữ bí mật. Bản gửi ra ngoài không ghi họ tên, địa chỉ.", "Denunciation: the denouncer's identity is kept secret. The version sent outside shows no name or address.";
    GoToOpinion => "Đến ý kiến số", "Go to opinion";
    StorageUsed => "Bộ nhớ trên máy đã dùng", "Device storage used";
    StorageKept => "trình duyệt giữ bền vững", "kept by the browser";
    StorageMayGo => "trình duyệt có thể xoá khi máy thiếu chỗ: hãy đồng bộ thường xuyên", "the browser may clear it when space runs short: sync often";
    ClearedAfterAWeek => "Trên iPad (Safari), dữ liệu chưa đồng bộ có thể bị xoá sau 7 ngày không mở ứng dụng: hãy đồng bộ trước đó", "On an iPad (Safari), unsynced data may be cleared after 7 days without opening the app: sync before then";
    Print => "Xem bản in", "Print view";
    Attachments => "Ảnh, ghi âm", "Photos, audio";
    Back => "Quay lại", "Back";
    SavedLocally => "Đã lưu trên máy", "Saved on this device";
    SaveFailed => "Không lưu được trên máy", "Could not save on this device";
    Synced => "Đã đồng bộ hết", "All synced";
    OldestChange => "thay đổi cũ nhất", "oldest change";
    LastSync => "Đồng bộ lần cuối", "Last sync";
    Never => "chưa", "never";
    SyncNow => "Đồng bộ ngay", "Sync now";
    LastError => "Lỗi gần nhất", "Last error";
    StorageNearlyFull => "Đã lưu, nhưng bộ nhớ trên máy sắp đầy: hãy đồng bộ sớm.", "Saved, but device storage is nearly full: sync soon.";
    StorageFull => "Bộ nhớ trên máy đã đầy: hãy đồng bộ ngay để không mất dữ liệu.", "Device storage is full: sync now so nothing is lost.";
    KeptAside => "Dữ liệu cũ trên máy này không đọc được bằng phiên bản ứng dụng hiện tại nên đã được cất riêng, nguyên vẹn. Đừng xoá dữ liệu trình duyệt; hãy báo quản trị", "Earlier data on this device cannot be read by this version of the app, so it was set aside untouched. Do not clear the browser's data; tell your administrator";
    OpenInOtherTab => "Ứng dụng đang mở ở một thẻ khác trên máy này: thẻ này chỉ để xem. Đóng thẻ kia để ghi tiếp ở đây", "The app is open in another tab on this device: this tab is view-only. Close the other tab to keep recording here";
    Refused => "Máy chủ không nhận thay đổi của", "The server did not accept the change to";
    MinutesOf => "biên bản", "the minutes";
    OpinionOf => "ý kiến", "the opinion";
    Dismiss => "Đã chép, bỏ qua", "Copied, dismiss";
    KeptOnLogout => "thay đổi chưa đồng bộ: đăng xuất vẫn giữ chúng trên máy (người khác không thấy) và sẽ đồng bộ khi bạn đăng nhập lại.", "unsynced changes: logging out keeps them on this device (hidden from others) and they sync when you log in again.";
}}

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct LangSignal(pub RwSignal<Lang>);

pub fn provide_lang() {
    let lang = RwSignal::new(Lang::Vi);
    provide_context(LangSignal(lang));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use gloo_storage::Storage;
        if let Ok(saved) = gloo_storage::LocalStorage::get::<Lang>("doithoai:lang") {
            lang.set(saved);
        }
    });
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangSignal>().0
}

/// A reactive text: re-renders when the language changes.
pub fn t(key: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || key.get(lang.get())
}

pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set("doithoai:lang", lang);
    }
}

/// Labels of the domain's enums.
pub mod labels {
    use shared::sync::Outcome;
    use shared::{Audience, DialogueKind, DialogueStatus, Lang, OpinionKind, Role, SubjectField};

    pub fn kind(k: DialogueKind, lang: Lang) -> &'static str {
        match (k, lang) {
            (DialogueKind::Periodic, Lang::Vi) => "Định kỳ",
            (DialogueKind::AdHoc, Lang::Vi) => "Đột xuất / chuyên đề",
            (DialogueKind::OnRequest, Lang::Vi) => "Theo yêu cầu",
            (DialogueKind::OnSite, Lang::Vi) => "Tại nơi xảy ra vụ việc",
            (DialogueKind::Periodic, Lang::En) => "Periodic",
            (DialogueKind::AdHoc, Lang::En) => "Ad hoc / thematic",
            (DialogueKind::OnRequest, Lang::En) => "On request",
            (DialogueKind::OnSite, Lang::En) => "On site",
        }
    }
    pub fn audience(a: Audience, lang: Lang) -> &'static str {
        match (a, lang) {
            (Audience::People, Lang::Vi) => "Nhân dân",
            (Audience::Staff, Lang::Vi) => "Công chức, viên chức, người lao động",
            (Audience::Businesses, Lang::Vi) => "Doanh nghiệp",
            (Audience::Group, Lang::Vi) => "Nhóm cụ thể",
            (Audience::People, Lang::En) => "Citizens",
            (Audience::Staff, Lang::En) => "Staff",
            (Audience::Businesses, Lang::En) => "Businesses",
            (Audience::Group, Lang::En) => "A named group",
        }
    }
    pub fn status(s: DialogueStatus, lang: Lang) -> &'static str {
        match (s, lang) {
            (DialogueStatus::Planned, Lang::Vi) => "Dự kiến",
            (DialogueStatus::Held, Lang::Vi) => "Đang/đã họp",
            (DialogueStatus::Finalised, Lang::Vi) => "Đã hoàn thành biên bản",
            (DialogueStatus::Planned, Lang::En) => "Planned",
            (DialogueStatus::Held, Lang::En) => "Held",
            (DialogueStatus::Finalised, Lang::En) => "Minutes finalised",
        }
    }
    pub fn opinion(k: OpinionKind, lang: Lang) -> &'static str {
        match (k, lang) {
            (OpinionKind::Proposal, Lang::Vi) => "Kiến nghị",
            (OpinionKind::Report, Lang::Vi) => "Phản ánh",
            (OpinionKind::Complaint, Lang::Vi) => "Khiếu nại",
            (OpinionKind::Denunciation, Lang::Vi) => "Tố cáo",
            (OpinionKind::Comment, Lang::Vi) => "Góp ý",
            (OpinionKind::Proposal, Lang::En) => "Proposal",
            (OpinionKind::Report, Lang::En) => "Report",
            (OpinionKind::Complaint, Lang::En) => "Complaint",
            (OpinionKind::Denunciation, Lang::En) => "Denunciation",
            (OpinionKind::Comment, Lang::En) => "Comment",
        }
    }
    pub fn field(f: SubjectField, lang: Lang) -> &'static str {
        match (f, lang) {
            (SubjectField::Land, Lang::Vi) => "Đất đai",
            (SubjectField::Environment, Lang::Vi) => "Môi trường",
            (SubjectField::SocialPolicy, Lang::Vi) => "Chính sách xã hội",
            (SubjectField::Infrastructure, Lang::Vi) => "Hạ tầng",
            (SubjectField::AdministrativeProcedure, Lang::Vi) => "Thủ tục hành chính",
            (SubjectField::Other, Lang::Vi) => "Khác",
            (SubjectField::Land, Lang::En) => "Land",
            (SubjectField::Environment, Lang::En) => "Environment",
            (SubjectField::SocialPolicy, Lang::En) => "Social policy",
            (SubjectField::Infrastructure, Lang::En) => "Infrastructure",
            (SubjectField::AdministrativeProcedure, Lang::En) => "Administrative procedure",
            (SubjectField::Other, Lang::En) => "Other",
        }
    }
    pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
        match (o, lang) {
            (Outcome::Applied, Lang::Vi) => "đã ghi",
            (Outcome::Concurrent, Lang::Vi) => "đã ghi, sửa đồng thời",
            (Outcome::Refused, Lang::Vi) => "không được nhận",
            (Outcome::Applied, Lang::En) => "applied",
            (Outcome::Concurrent, Lang::En) => "applied, edited concurrently",
            (Outcome::Refused, Lang::En) => "refused",
        }
    }
    pub fn role(r: Role, lang: Lang) -> &'static str {
        match (r, lang) {
            (Role::Secretary, Lang::Vi) => "Thư ký",
            (Role::Reviewer, Lang::Vi) => "Cán bộ tổng hợp",
            (Role::Admin, Lang::Vi) => "Quản trị viên",
            (Role::Secretary, Lang::En) => "Secretary",
            (Role::Reviewer, Lang::En) => "Reviewer",
            (Role::Admin, Lang::En) => "Administrator",
            (Role::Handler, Lang::Vi) => "Cán bộ xử lý",
            (Role::Handler, Lang::En) => "Agency handler",
            (Role::Observer, Lang::Vi) => "Giám sát (MTTQ)",
            (Role::Observer, Lang::En) => "Observer (Fatherland Front)",
        }
    }
}
