//! The biên bản of a dialogue (Decree 30/2020, template 1.9) from its
//! finalised minutes: time and place, who took part, each opinion with the
//! answer given, the chair's conclusion, the time the meeting ended, and
//! the secretary's and the chair's signatures. Two versions (DOMAIN.md):
//! the one kept on file names everyone; the one sent outside replaces every
//! denouncer's name, address and ID number by the protected label, by the
//! same rule as every other screen (`Opinion::as_seen`).

use chrono::Timelike;
use serde::Deserialize;
use shared::calendar::vietnam_time;
use shared::{Dialogue, Lang};

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};
use crate::routes::follow_up::StoredOpinion;

/// Which minutes: on file (full) or sent outside (pseudonymised).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Version {
    Full,
    #[default]
    Outside,
}

/// The people and places the minutes name, besides the dialogue.
pub struct Names<'a> {
    pub unit: &'a str,
    /// The province, for a commune's minutes.
    pub province: Option<&'a str>,
}

/// "08 giờ 30, ngày 25 tháng 11 năm 2026".
fn time_words(ms: i64) -> String {
    match vietnam_time(ms) {
        Some(t) => format!(
            "{:02} giờ {:02}, {}",
            t.hour(),
            t.minute(),
            date_words(t.date())
        ),
        None => String::new(),
    }
}

fn item(label: &str, value: impl Into<String>) -> Block {
    Block::Item(vec![
        Span::plain(format!("- {label}: ")),
        Span::plain(value),
    ])
}

/// The minutes of `d` in `version`, its opinions in order.
pub fn minutes(
    d: &Dialogue,
    names: &Names,
    opinions: &[StoredOpinion],
    version: Version,
) -> Document {
    let held_on = d.held_on();
    let signatures = d.signatures.as_ref();
    let mut blocks = vec![
        Block::Text(vec![
            Span::plain("Thời gian bắt đầu: "),
            Span::plain(
                d.started_at
                    .map(time_words)
                    .unwrap_or_else(|| held_on.map(date_words).unwrap_or_default()),
            ),
        ]),
        Block::Text(vec![Span::plain("Địa điểm: "), Span::plain(&d.venue)]),
        Block::Heading("Thành phần tham dự:".into()),
        item(
            "Chủ tọa",
            [d.chair_name.as_str(), d.chair_title.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        item(
            "Thư ký",
            signatures.map_or(d.secretary_name.as_str(), |s| s.secretary_name.as_str()),
        ),
        item(
            "Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam",
            &d.mttq_representative,
        ),
    ];
    let invited: Vec<&str> = d
        .invited_agencies
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if !invited.is_empty() {
        blocks.push(item("Đại diện các cơ quan được mời", invited.join("; ")));
    }
    blocks.push(item(
        "Số công dân tham dự",
        d.citizens_attending.to_string(),
    ));
    blocks.push(Block::Heading("Nội dung đối thoại:".into()));
    for stored in opinions {
        let o = stored
            .opinion
            .clone()
            .as_seen(stored.protected, version == Version::Full);
        let kind = app::i18n::labels::opinion(o.kind, Lang::Vi);
        let mut who = vec![o.speaker_name.clone()];
        who.extend(
            [o.speaker_address.clone(), o.speaker_id_number.clone()]
                .into_iter()
                .filter(|s| !s.is_empty()),
        );
        blocks.push(Block::Text(vec![
            Span::bold(format!("{}. {} ({kind}): ", o.position, who.join(", "))),
            Span::plain(&o.content),
        ]));
        let answer = match (o.answer.trim(), o.answered_by.trim()) {
            ("", _) if !o.follow_up.proposed_agency.trim().is_empty() => format!(
                "Chưa trả lời tại buổi đối thoại; giao {} xem xét, giải quyết.",
                o.follow_up.proposed_agency.trim()
            ),
            ("", _) => "Chưa trả lời tại buổi đối thoại.".into(),
            (a, "") => a.to_owned(),
            (a, by) => format!("{a} ({by})"),
        };
        blocks.push(Block::Item(vec![
            Span::italic("Trả lời: "),
            Span::plain(answer),
        ]));
    }
    blocks.push(Block::Heading("Kết luận của chủ tọa:".into()));
    blocks.push(Block::Text(vec![Span::plain(&d.conclusion)]));
    // Not recorded on the tablet: left blank to be filled in by hand.
    let end = d
        .ended_at
        .map(time_words)
        .unwrap_or_else(|| "..... giờ ....., ngày ..... tháng ..... năm .....".into());
    blocks.push(Block::Text(vec![Span::plain(format!(
        "Buổi đối thoại kết thúc vào lúc {end}."
    ))]));
    blocks.push(Block::Text(vec![Span::plain(
        "Biên bản đã được đọc lại cho những người tham dự cùng nghe và thống nhất.",
    )]));
    let signer = |role: &str, name: &str| Signature {
        authority: None,
        role: role.into(),
        note: "(Ký, ghi rõ họ tên)".into(),
        name: name.into(),
    };
    Document {
        parent_body: names.province.map(committee_of),
        body: committee_of(names.unit),
        number: "Số:      /BB-UBND".into(),
        place_and_date: format!(
            "{}, {}",
            place_of(names.unit),
            held_on
                .map(date_words)
                .unwrap_or_else(|| "ngày    tháng    năm".into())
        ),
        kind: Kind::Titled {
            title: "BIÊN BẢN".into(),
            subject: format!("Đối thoại trực tiếp với Nhân dân: {}", d.topic),
        },
        blocks,
        signatures: vec![
            signer(
                "THƯ KÝ",
                signatures.map_or(d.secretary_name.as_str(), |s| s.secretary_name.as_str()),
            ),
            signer(
                "CHỦ TỌA",
                signatures.map_or(d.chair_name.as_str(), |s| s.chair_name.as_str()),
            ),
        ],
        recipients: Vec::new(),
    }
}
