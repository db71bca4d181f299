//! The annual plan of dialogues (kế hoạch) of a unit, from its plan
//! entries: purpose and requirements, each planned dialogue with its time,
//! kind, audience, topic and chair, and how it is carried out.

use chrono::NaiveDate;
use shared::plan::PlanLine;
use shared::Lang;

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};

/// When an entry is held, as the plan says it: the day, else the month.
fn when(line: &PlanLine) -> String {
    match line
        .entry
        .planned_at
        .get(..10)
        .and_then(|d| d.parse::<NaiveDate>().ok())
    {
        Some(day) => app::pages::follow_up::date(day),
        None => format!("Tháng {}/{}", line.entry.month, line.entry.year),
    }
}

/// The plan of `unit` for `year`, written on `today`.
pub fn plan(
    unit: &str,
    province: Option<&str>,
    year: i32,
    lines: &[PlanLine],
    today: NaiveDate,
) -> Document {
    let committee = committee_of(unit);
    let labels = app::i18n::labels::kind;
    let blocks = vec![
        Block::Heading("I. MỤC ĐÍCH, YÊU CẦU".into()),
        Block::Text(vec![Span::plain(
            "Thực hiện đối thoại trực tiếp với Nhân dân theo quy định của Luật Tổ chức chính quyền \
             địa phương và Luật Thực hiện dân chủ ở cơ sở; kịp thời nắm bắt, giải quyết những kiến nghị, \
             phản ánh, khiếu nại, tố cáo của Nhân dân; tăng cường mối quan hệ mật thiết giữa chính quyền với Nhân dân.",
        )]),
        Block::Text(vec![Span::plain(
            "Việc đối thoại phải bảo đảm dân chủ, công khai, đúng thời gian; nội dung đối thoại được \
             thông báo trước ít nhất 07 ngày; các ý kiến được ghi biên bản, giao cơ quan giải quyết và \
             trả lời công dân bằng văn bản, kết quả được công khai.",
        )]),
        Block::Heading("II. NỘI DUNG, THỜI GIAN".into()),
        Block::Table {
            header: ["TT", "Thời gian", "Hình thức", "Nội dung", "Chủ trì"]
                .map(String::from)
                .to_vec(),
            widths: vec![7, 17, 18, 36, 22],
            rows: lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    vec![
                        (i + 1).to_string(),
                        when(l),
                        labels(l.entry.kind, Lang::Vi).to_owned(),
                        format!(
                            "{} ({})",
                            l.entry.topic,
                            app::i18n::labels::audience(l.entry.audience, Lang::Vi)
                        ),
                        l.entry.chair_name.clone(),
                    ]
                })
                .collect(),
        },
        Block::Heading("III. TỔ CHỨC THỰC HIỆN".into()),
        Block::Text(vec![Span::plain(format!(
            "Văn phòng {committee} chủ trì, phối hợp với Ủy ban MTTQ Việt Nam cùng cấp chuẩn bị nội dung, \
             thông báo, mời thành phần và ghi biên bản từng buổi đối thoại; các cơ quan chuyên môn \
             chuẩn bị nội dung giải trình thuộc lĩnh vực phụ trách; kết quả được tổng hợp, báo cáo \
             6 tháng và năm."
        ))]),
    ];
    Document {
        parent_body: province.map(committee_of),
        body: committee.clone(),
        number: "Số:      /KH-UBND".into(),
        place_and_date: format!("{}, {}", place_of(unit), date_words(today)),
        kind: Kind::Titled {
            title: "KẾ HOẠCH".into(),
            subject: format!("Tổ chức đối thoại trực tiếp với Nhân dân năm {year}"),
        },
        blocks,
        signatures: vec![Signature::for_committee(String::new())],
        recipients: vec![
            "Ủy ban MTTQ Việt Nam cùng cấp;".into(),
            "Các cơ quan chuyên môn;".into(),
            "Lưu: VT.".into(),
        ],
    }
}
