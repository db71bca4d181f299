//! The 6-month or annual report (báo cáo) of a unit, with the structure of
//! seed 003: legal grounds, I. leadership and deployment, II. results (the
//! office's words on dissemination, then the figures from the data, each
//! unit's for a province, the notable matters, the assessment), III. tasks
//! for the next period, IV. proposals, the closing line, "Nơi nhận" and
//! the signer with the authority line the office chose.

use chrono::NaiveDate;
use shared::report::{Counts, Report, ReportPeriod};
use shared::{Audience, DialogueKind, Lang, OpinionKind, SubjectField};

use super::{committee_of, date_words, place_of, Block, Document, Kind, Signature, Span};
use app::i18n::labels;
use app::pages::follow_up::date;

/// Paragraphs of the office's words: one per line typed.
fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Block::Text(vec![Span::plain(l)]))
}

/// "02" as reports write small counts, "1.234" for thousands.
fn figure(n: u32) -> String {
    let digits = format!("{n:02}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// "định kỳ 03, đột xuất 01" from a count per label, leaving out zeros;
/// `separator` between them (labels with commas need "; ").
fn breakdown<T: Copy>(
    all: &[T],
    counts: &[u32],
    separator: &str,
    label: impl Fn(T) -> String,
) -> String {
    let parts: Vec<String> = all
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{} {}", label(*k), figure(*n)))
        .collect();
    parts.join(separator)
}

/// Section II.2: the figures in sentences and tables.
fn results(c: &Counts, report: &Report) -> Vec<Block> {
    let mut blocks = vec![Block::Text(vec![Span::italic(format!(
        "Số liệu từ ngày {} đến ngày {}; tình hình giải quyết tính đến ngày {}.",
        date(report.starts_on),
        date(report.ends_on),
        date(report.figures.as_of)
    ))])];
    if c.dialogues == 0 {
        blocks.push(Block::Text(vec![Span::plain(
            "a) Trong kỳ chưa tổ chức buổi đối thoại nào.",
        )]));
    } else {
        blocks.push(Block::Text(vec![Span::plain(format!(
            "a) Đã tổ chức {} buổi đối thoại ({}), trong đó {}; có {} lượt công dân tham dự.",
            figure(c.dialogues),
            breakdown(&DialogueKind::ALL, &c.dialogues_by_kind, ", ", |k| {
                labels::kind(k, Lang::Vi).to_lowercase()
            }),
            breakdown(&Audience::ALL, &c.dialogues_by_audience, "; ", |a| {
                format!("với {}", labels::audience(a, Lang::Vi).to_lowercase())
            }),
            figure(c.participants)
        ))]));
    }
    blocks.push(Block::Text(vec![Span::plain(if c.opinions == 0 {
        "b) Không có ý kiến nào của công dân.".to_owned()
    } else {
        format!(
            "b) Công dân nêu {} ý kiến: {}. Theo lĩnh vực:",
            figure(c.opinions),
            breakdown(&OpinionKind::ALL, &c.opinions_by_kind, ", ", |k| {
                labels::opinion(k, Lang::Vi).to_lowercase()
            })
        )
    })]));
    if c.opinions > 0 {
        blocks.push(Block::Table {
            header: vec!["Lĩnh vực".into(), "Số ý kiến".into()],
            widths: vec![70, 30],
            rows: SubjectField::ALL
                .iter()
                .zip(c.opinions_by_field)
                .map(|(f, n)| vec![labels::field(*f, Lang::Vi).to_owned(), figure(n)])
                .collect(),
        });
    }
    blocks.push(Block::Text(vec![Span::plain(format!(
        "c) Kết quả giải quyết: trả lời trực tiếp tại buổi đối thoại {} ý kiến; {} ý kiến cần giải \
         quyết sau đối thoại, trong đó đã giao cơ quan giải quyết {}; đã trả lời đúng hạn {}, \
         trả lời quá hạn {}; quá hạn chưa trả lời {}; chuyển cơ quan có thẩm quyền {}; \
         còn đang giải quyết {}.",
        figure(c.answered_at_meeting),
        figure(c.needing_follow_up),
        figure(c.assigned),
        figure(c.replied_on_time),
        figure(c.replied_late),
        figure(c.overdue),
        figure(c.forwarded),
        figure(c.still_open)
    ))]));
    blocks
}

/// A province's figures unit by unit: those with a dialogue in the period
/// or an item still open, then how many held none (the compliance view
/// names them).
fn by_unit(report: &Report) -> Vec<Block> {
    let units = &report.figures.units;
    if units.len() < 2 {
        return Vec::new();
    }
    let active: Vec<_> = units
        .iter()
        .filter(|u| u.counts.dialogues > 0 || u.counts.still_open > 0)
        .collect();
    let mut blocks = vec![Block::Table {
        header: [
            "TT",
            "Đơn vị",
            "Buổi đối thoại",
            "Ý kiến",
            "Đã giao",
            "Trả lời đúng hạn",
            "Quá hạn chưa trả lời",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![6, 34, 12, 12, 12, 12, 12],
        rows: active
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let c = &u.counts;
                vec![
                    (i + 1).to_string(),
                    u.unit_name.clone(),
                    c.dialogues.to_string(),
                    c.opinions.to_string(),
                    c.assigned.to_string(),
                    c.replied_on_time.to_string(),
                    c.overdue.to_string(),
                ]
            })
            .collect(),
    }];
    let none = units.iter().filter(|u| u.counts.dialogues == 0).count();
    if none > 0 {
        blocks.push(Block::Text(vec![Span::plain(format!(
            "Có {none}/{} đơn vị chưa tổ chức buổi đối thoại nào trong kỳ.",
            units.len()
        ))]));
    }
    blocks
}

/// The matters overdue longest, each on its line.
fn notable(report: &Report) -> Vec<Block> {
    let mut blocks = vec![Block::Text(vec![Span::plain(
        "d) Những vụ việc quá hạn giải quyết cần quan tâm:",
    )])];
    if report.figures.notable.is_empty() {
        blocks.push(Block::Item(vec![Span::plain(
            "Không có vụ việc nào quá hạn.",
        )]));
    }
    for n in &report.figures.notable {
        let what = if n.summary.is_empty() {
            "nội dung tố cáo (được bảo mật)"
        } else {
            n.summary.trim_end_matches('.')
        };
        blocks.push(Block::Item(vec![
            Span::bold(format!(
                "{} (đối thoại ngày {}), {}: ",
                n.unit_name,
                date(n.held_on),
                labels::field(n.field, Lang::Vi).to_lowercase()
            )),
            Span::plain(format!(
                "{what}; giao {}, hạn {}, quá hạn {} ngày.",
                n.agency,
                date(n.due),
                n.days_late
            )),
        ]));
    }
    blocks
}

/// The report, dated the day it was issued (a draft: `today`).
pub fn report(report: &Report, province: Option<&str>, today: NaiveDate) -> Document {
    let committee = committee_of(&report.unit_name);
    let n = &report.narrative;
    let next = match report.period {
        ReportPeriod::HalfYear => "6 THÁNG CUỐI NĂM".to_owned(),
        ReportPeriod::Year => format!("NĂM {}", report.year + 1),
    };
    let mut blocks: Vec<Block> = paragraphs(&n.legal_basis).collect();
    blocks.push(Block::Text(vec![Span::plain(format!(
        "{committee} báo cáo kết quả thực hiện công tác đối thoại {} như sau:",
        report.period.words(report.year)
    ))]));
    blocks.push(Block::Heading(
        "I. CÔNG TÁC LÃNH ĐẠO, TRIỂN KHAI THỰC HIỆN".into(),
    ));
    blocks.extend(paragraphs(&n.leadership));
    blocks.push(Block::Heading("II. KẾT QUẢ THỰC HIỆN".into()));
    blocks.push(Block::Heading(
        "1. Công tác tuyên truyền, phổ biến, quán triệt thực hiện".into(),
    ));
    blocks.extend(paragraphs(&n.dissemination));
    blocks.push(Block::Heading("2. Kết quả tổ chức đối thoại".into()));
    blocks.extend(results(&report.figures.total, report));
    blocks.extend(by_unit(report));
    blocks.extend(notable(report));
    blocks.push(Block::Heading("3. Đánh giá chung".into()));
    blocks.extend(paragraphs(&n.assessment));
    blocks.push(Block::Heading(format!(
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ {next}"
    )));
    blocks.extend(paragraphs(&n.next_tasks));
    blocks.push(Block::Heading("IV. ĐỀ XUẤT, KIẾN NGHỊ".into()));
    blocks.extend(paragraphs(&n.proposals));
    blocks.push(Block::Text(vec![Span::plain(format!(
        "Trên đây là báo cáo kết quả thực hiện công tác đối thoại {} của {}./.",
        report.period.words(report.year),
        super::full_name(&report.unit_name)
    ))]));
    let (number, day) = match &report.issued {
        Some(i) => (format!("Số: {}", i.number), i.issued_on),
        None => ("Số:      /BC-UBND".to_owned(), today),
    };
    Document {
        parent_body: province.map(committee_of),
        body: committee,
        number,
        place_and_date: format!("{}, {}", place_of(&report.unit_name), date_words(day)),
        kind: Kind::Titled {
            title: "BÁO CÁO".into(),
            subject: format!(
                "Kết quả thực hiện công tác đối thoại {}",
                report.period.words(report.year)
            ),
        },
        blocks,
        signatures: vec![Signature {
            authority: Some(n.signer_authority.trim().to_owned()).filter(|a| !a.is_empty()),
            role: n.signer_role.trim().to_owned(),
            note: String::new(),
            name: n.signer_name.trim().to_owned(),
        }],
        recipients: n
            .recipients
            .lines()
            // The renderer sets the dash; one typed is not doubled.
            .map(|l| l.trim().trim_start_matches('-').trim())
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_with_two_digits_and_thousands_dots() {
        assert_eq!(figure(0), "00");
        assert_eq!(figure(6), "06");
        assert_eq!(figure(35), "35");
        assert_eq!(figure(1234), "1.234");
        assert_eq!(figure(1_234_567), "1.234.567");
    }
}
