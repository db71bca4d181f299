//! The reminder (công văn đôn đốc) to one agency: its items awaiting the
//! written reply that are overdue or due within the week, with their due
//! dates, as a letter from the People's Committee that assigned them.

use chrono::NaiveDate;
use shared::OpinionKind;

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};

/// One item the agency still owes a reply for.
pub struct Owed {
    pub topic: String,
    pub held_on: Option<NaiveDate>,
    pub position: i64,
    pub kind: OpinionKind,
    pub content: String,
    pub due: NaiveDate,
}

/// The reminder from `unit`'s committee to `agency` on `today`.
pub fn reminder(
    unit: &str,
    province: Option<&str>,
    agency: &str,
    owed: &[Owed],
    today: NaiveDate,
) -> Document {
    let committee = committee_of(unit);
    let date = app::pages::follow_up::date;
    let mut blocks = vec![Block::Text(vec![Span::plain(format!(
        "Thực hiện kết luận của Chủ tịch {committee} tại các buổi đối thoại trực tiếp với \
         Nhân dân, {committee} đã giao {agency} giải quyết và trả lời công dân bằng văn bản \
         các nội dung dưới đây. Đến ngày {}, các nội dung này chưa được trả lời:",
        date(today)
    ))])];
    blocks.push(Block::Table {
        header: [
            "TT",
            "Nội dung",
            "Buổi đối thoại",
            "Hạn trả lời",
            "Tình trạng",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![7, 40, 23, 13, 17],
        rows: owed
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let content = if o.kind == OpinionKind::Denunciation {
                    "Nội dung tố cáo (bảo mật)".to_owned()
                } else {
                    o.content.clone()
                };
                let left = (o.due - today).num_days();
                vec![
                    (i + 1).to_string(),
                    format!("Ý kiến số {}: {content}", o.position),
                    format!("{} ({})", o.topic, o.held_on.map(date).unwrap_or_default()),
                    date(o.due),
                    app::pages::follow_up::days_left(left, shared::Lang::Vi),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Text(vec![Span::plain(format!(
        "{committee} đề nghị {agency} khẩn trương giải quyết, trả lời công dân bằng văn bản \
         và báo cáo kết quả về {committee} (qua Văn phòng) trước thời hạn nêu trên; trường hợp \
         vụ việc phức tạp cần thêm thời gian, thông báo bằng văn bản và nêu rõ lý do./."
    ))]));
    Document {
        parent_body: province.map(committee_of),
        body: committee,
        number: "Số:      /UBND-VP".into(),
        place_and_date: format!("{}, {}", place_of(unit), date_words(today)),
        kind: Kind::Letter {
            about: "V/v đôn đốc giải quyết, trả lời kiến nghị của công dân".into(),
            to: vec![agency.to_owned()],
        },
        blocks,
        signatures: vec![Signature::for_committee(String::new())],
        recipients: vec![
            "Như trên;".into(),
            "Ủy ban MTTQ Việt Nam cùng cấp (giám sát);".into(),
            "Lưu: VT.".into(),
        ],
    }
}
