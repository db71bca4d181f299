//! The invitation (giấy mời) to a planned dialogue: whom the People's
//! Committee invites (the agencies the dialogue names, and the people of
//! its audience), to what, when, where and with whom in the chair.

use chrono::NaiveDate;
use shared::{Audience, Dialogue};

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};

/// Who an audience is, as an invitation names them.
fn audience_words(d: &Dialogue) -> String {
    match d.audience {
        Audience::People => "Nhân dân trên địa bàn".into(),
        Audience::Staff => "Cán bộ, công chức, viên chức, người lao động".into(),
        Audience::Businesses => "Các doanh nghiệp, nhà đầu tư".into(),
        Audience::Group if d.audience_group.trim().is_empty() => "Các hộ dân liên quan".into(),
        Audience::Group => d.audience_group.trim().to_owned(),
    }
}

/// "08 giờ 00, ngày 20 tháng 3 năm 2026", from a planned `YYYY-MM-DDTHH:MM`.
fn planned_words(planned_at: &str) -> String {
    let day = planned_at
        .get(..10)
        .and_then(|d| d.parse::<NaiveDate>().ok());
    let time = planned_at.get(11..16).unwrap_or("");
    match (day, time.split_once(':')) {
        (Some(day), Some((h, m))) => format!("{h} giờ {m}, {}", date_words(day)),
        (Some(day), None) => date_words(day),
        (None, _) => "(thời gian sẽ thông báo sau)".into(),
    }
}

/// The invitation to `d`, written on `today`.
pub fn invitation(d: &Dialogue, unit: &str, province: Option<&str>, today: NaiveDate) -> Document {
    let committee = committee_of(unit);
    let mut invited: Vec<String> = d
        .invited_agencies
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    invited.push(audience_words(d));
    let mut blocks = vec![Block::Text(vec![Span::plain(format!(
        "{committee} trân trọng kính mời:"
    ))])];
    blocks.extend(
        invited
            .iter()
            .map(|i| Block::Item(vec![Span::plain(format!("- {i};"))])),
    );
    blocks.push(Block::Text(vec![
        Span::plain("Tới dự buổi đối thoại trực tiếp với Nhân dân về: "),
        Span::bold(&d.topic),
    ]));
    blocks.push(Block::Text(vec![
        Span::plain("Thời gian: "),
        Span::plain(planned_words(&d.planned_at)),
    ]));
    blocks.push(Block::Text(vec![
        Span::plain("Địa điểm: "),
        Span::plain(&d.venue),
    ]));
    if !d.chair_name.trim().is_empty() {
        let chair = [d.chair_name.trim(), d.chair_title.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        blocks.push(Block::Text(vec![
            Span::plain("Chủ trì: "),
            Span::plain(chair),
        ]));
    }
    blocks.push(Block::Text(vec![Span::plain(
        "Rất mong các đại biểu và công dân đến dự đúng thời gian, địa điểm trên./.",
    )]));
    Document {
        parent_body: province.map(committee_of),
        body: committee,
        number: "Số:      /GM-UBND".into(),
        place_and_date: format!("{}, {}", place_of(unit), date_words(today)),
        kind: Kind::Titled {
            title: "GIẤY MỜI".into(),
            subject: "Dự buổi đối thoại trực tiếp với Nhân dân".into(),
        },
        blocks,
        signatures: vec![Signature::for_committee(d.chair_name.trim().to_owned())],
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
    }
}
