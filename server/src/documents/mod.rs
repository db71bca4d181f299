//! Documents an office signs and sends (issue 13), built from the data and
//! laid out as Decree 30/2020/NĐ-CP asks (../shared/DOMAIN.md, "Documents
//! the product produces"). Each document is first a [`Document`]: its
//! issuing body, number, place and date, title, body and signatures, in
//! words only; a renderer lays it out ([`docx::render`]: Word, what
//! offices edit, sign and file; [`pdf::render`]: PDF, what is printed or
//! sent as it is). Content and layout stay apart, so every renderer says
//! the same thing. [`download`] gives either, as the path asked.

pub mod docx;
pub mod invitation;
pub mod minutes;
pub mod notice;
pub mod pdf;
pub mod plan;
pub mod reminder;
pub mod report;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};

use crate::error::{AppError, AppResult};

/// One document, in words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    /// The issuing body (top left): the parent body above it, if any.
    pub parent_body: Option<String>,
    pub body: String,
    /// `Số: …/BB-UBND`.
    pub number: String,
    /// `Mai Châu, ngày 25 tháng 11 năm 2026`.
    pub place_and_date: String,
    pub kind: Kind,
    pub blocks: Vec<Block>,
    /// Left to right (the minutes: the secretary, then the chair).
    pub signatures: Vec<Signature>,
    /// "Nơi nhận" (bottom left, beside one signature), if it is sent.
    pub recipients: Vec<String>,
}

/// What stands between the header and the body.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    /// A document with a name (BIÊN BẢN, THÔNG BÁO, GIẤY MỜI) and what it
    /// is about, centred.
    Titled { title: String, subject: String },
    /// A letter (công văn): what it is about under its number ("V/v …")
    /// and whom it is sent to ("Kính gửi: …").
    Letter { about: String, to: Vec<String> },
}

/// A paragraph of the body.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Block {
    /// A heading line inside the body (bold).
    Heading(String),
    /// A paragraph of runs.
    Text(Vec<Span>),
    /// A line of a list, indented.
    Item(Vec<Span>),
    /// A table with a header row; each column's share of the width in
    /// percent.
    Table {
        header: Vec<String>,
        widths: Vec<usize>,
        rows: Vec<Vec<String>>,
    },
}

/// Text with its emphasis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            bold: true,
            ..Self::plain(text)
        }
    }
    pub fn italic(text: impl Into<String>) -> Self {
        Self {
            italic: true,
            ..Self::plain(text)
        }
    }
}

/// A signature block: for whom (`TM. ỦY BAN NHÂN DÂN`), who signs
/// (`CHỦ TỊCH`, `THƯ KÝ`), a note under it, and the name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Signature {
    pub authority: Option<String>,
    pub role: String,
    pub note: String,
    pub name: String,
}

impl Signature {
    /// The chair signing for the People's Committee (TM. ỦY BAN NHÂN DÂN /
    /// CHỦ TỊCH); `name` may be left for the hand that signs.
    pub fn for_committee(name: impl Into<String>) -> Self {
        Self {
            authority: Some("TM. ỦY BAN NHÂN DÂN".into()),
            role: "CHỦ TỊCH".into(),
            note: String::new(),
            name: name.into(),
        }
    }
}

/// The file a document downloads as, from the path it was asked at
/// (`…/minutes.pdf`, `…/report/pdf`): PDF, else DOCX.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(if parts.uri.path().ends_with("pdf") {
            Format::Pdf
        } else {
            Format::Docx
        })
    }
}

/// `document` as a download named `name` (ASCII, no extension). A PDF is
/// laid out off the async threads: it takes tens of milliseconds.
pub async fn download(name: &str, document: Document, format: Format) -> AppResult<Response> {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    let (bytes, extension, media_type) = match format {
        Format::Docx => (docx::render(&document), "docx", docx::MEDIA_TYPE),
        Format::Pdf => {
            let bytes = tokio::task::spawn_blocking(move || pdf::render(&document))
                .await?
                .map_err(AppError::Render)?;
            (bytes, "pdf", pdf::MEDIA_TYPE)
        }
    };
    Ok((
        [
            (CONTENT_TYPE, media_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{extension}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// "ngày 05 tháng 01 năm 2026", as Decree 30 writes dates: day and month
/// below 10 with a leading zero.
pub fn date_words(day: NaiveDate) -> String {
    format!(
        "ngày {:02} tháng {:02} năm {}",
        day.day(),
        day.month(),
        day.year()
    )
}

/// The kinds a unit's name starts with.
const KINDS: [&str; 7] = [
    "Thành phố ",
    "Tỉnh ",
    "Xã ",
    "Phường ",
    "Đặc khu ",
    "Thị trấn ",
    "Thị xã ",
];

/// The place in the date line: the unit's name without its kind ("Xã Mai
/// Châu" → "Mai Châu").
pub fn place_of(unit_name: &str) -> &str {
    KINDS
        .iter()
        .find_map(|k| unit_name.strip_prefix(k))
        .unwrap_or(unit_name)
}

/// A unit's name with its kind: the official list names a tỉnh without
/// it ("Phú Thọ"), every other unit with it ("Thành phố Hà Nội", "Xã Mai
/// Châu").
pub fn full_name(unit_name: &str) -> String {
    if KINDS.iter().any(|k| unit_name.starts_with(k)) {
        unit_name.to_owned()
    } else {
        format!("Tỉnh {unit_name}")
    }
}

/// The People's Committee of a unit as a header names it: "UBND XÃ MAI
/// CHÂU", "UBND TỈNH PHÚ THỌ" (upper case keeps every Vietnamese mark).
pub fn committee_of(unit_name: &str) -> String {
    format!("UBND {}", full_name(unit_name).to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_places_and_bodies_are_written_as_decree_30_writes_them() {
        assert_eq!(
            date_words("2026-01-05".parse().unwrap()),
            "ngày 05 tháng 01 năm 2026"
        );
        assert_eq!(place_of("Xã Mai Châu"), "Mai Châu");
        assert_eq!(place_of("Đặc khu Côn Đảo"), "Côn Đảo");
        assert_eq!(place_of("Thành phố Hà Nội"), "Hà Nội");
        assert_eq!(committee_of("Phường Hoàn Kiếm"), "UBND PHƯỜNG HOÀN KIẾM");
        assert_eq!(committee_of("Xã Ễ Ộ Ữ"), "UBND XÃ Ễ Ộ Ữ");
        assert_eq!(committee_of("Phú Thọ"), "UBND TỈNH PHÚ THỌ");
        assert_eq!(full_name("Thành phố Huế"), "Thành phố Huế");
    }
}
