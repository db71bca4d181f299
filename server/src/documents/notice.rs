//! The conclusion notice (thông báo kết luận) as issued: the chair's
//! conclusion and the table of assigned items (what, which agency, by
//! when, as the notice set them), with "Nơi nhận" and the chair's
//! signature for the People's Committee. A tố cáo's words stay out of the
//! table: the agency gets them apart, as the Law on Denunciations asks.

use chrono::NaiveDate;
use shared::follow_up::api::IssuedNotice;
use shared::Dialogue;

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};

/// One assigned item as the notice set it.
pub struct Assigned {
    pub position: i64,
    /// It is, or ever was, a denunciation: its words stay out of the table.
    pub protected: bool,
    pub content: String,
    pub agency: String,
    pub due: NaiveDate,
}

/// The notice of `d` as issued, for a unit (and its province).
pub fn notice(
    d: &Dialogue,
    unit: &str,
    province: Option<&str>,
    issued: &IssuedNotice,
    items: &[Assigned],
) -> Document {
    let held = d.held_on().map(date_words).unwrap_or_default();
    let committee = committee_of(unit);
    let mut blocks = vec![
        Block::Text(vec![Span::plain(format!(
            "Ngày {}, {committee} tổ chức đối thoại trực tiếp với Nhân dân về {}. \
             Sau khi nghe ý kiến của công dân và giải trình của các cơ quan, \
             Chủ tịch {committee} kết luận như sau:",
            held.trim_start_matches("ngày "),
            d.topic
        ))]),
        Block::Text(vec![Span::plain(&issued.conclusion)]),
    ];
    if !items.is_empty() {
        blocks.push(Block::Text(vec![Span::plain(
            "Giao các cơ quan giải quyết và trả lời công dân bằng văn bản các nội dung sau:",
        )]));
        blocks.push(Block::Table {
            header: ["TT", "Nội dung", "Cơ quan giải quyết", "Hạn trả lời"]
                .map(String::from)
                .to_vec(),
            widths: vec![8, 52, 25, 15],
            rows: items
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let content = if a.protected {
                        "Nội dung tố cáo (bảo mật, gửi riêng cơ quan được giao)".to_owned()
                    } else {
                        a.content.clone()
                    };
                    vec![
                        (i + 1).to_string(),
                        format!("Ý kiến số {}: {content}", a.position),
                        a.agency.clone(),
                        app::pages::follow_up::date(a.due),
                    ]
                })
                .collect(),
        });
        blocks.push(Block::Text(vec![Span::plain(format!(
            "Các cơ quan được giao có trách nhiệm giải quyết, trả lời công dân bằng văn bản \
             và báo cáo kết quả về {committee} đúng thời hạn trên."
        ))]));
    }
    blocks.push(Block::Text(vec![Span::plain(format!(
        "{committee} thông báo để các cơ quan, đơn vị và công dân biết, thực hiện./."
    ))]));
    Document {
        parent_body: province.map(committee_of),
        body: committee,
        number: format!("Số: {}", issued.number),
        place_and_date: format!("{}, {}", place_of(unit), date_words(issued.issued_on)),
        kind: Kind::Titled {
            title: "THÔNG BÁO".into(),
            subject: format!(
                "Kết luận của Chủ tịch {} tại buổi đối thoại với Nhân dân",
                committee_of(unit)
            ),
        },
        blocks,
        signatures: vec![Signature::for_committee(
            d.signatures
                .as_ref()
                .map_or(d.chair_name.clone(), |s| s.chair_name.clone()),
        )],
        recipients: {
            let mut to: Vec<String> = Vec::new();
            let mut agencies: Vec<&str> = items.iter().map(|a| a.agency.as_str()).collect();
            agencies.sort_unstable();
            agencies.dedup();
            to.extend(agencies.into_iter().map(|a| format!("{a};")));
            to.push("Ủy ban MTTQ Việt Nam cùng cấp;".into());
            to.push("Lưu: VT.".into());
            to
        },
    }
}
