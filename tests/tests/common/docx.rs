//! Reading an Office file back in a test: a DOCX's or XLSX's XML parts, a
//! run's emphasis, the words without the tags.

use std::io::Read;

/// The XML text of each of `names` in the zip `bytes` (a DOCX or XLSX).
pub fn zip_parts<const N: usize>(bytes: &[u8], names: [&str; N]) -> [String; N] {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an Office file is a zip");
    names.map(|name| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the file"))
            .read_to_string(&mut text)
            .unwrap();
        text
    })
}

/// An XLSX answer's shared strings and first sheet, as XML text, once it
/// is said to be a workbook and its header row stays on screen.
pub async fn workbook(answer: reqwest::Response) -> (String, String) {
    assert_eq!(
        answer.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = answer.bytes().await.unwrap();
    let [strings, sheet] = zip_parts(&bytes, ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]);
    assert!(sheet.contains(r#"ySplit="1""#), "the header row is frozen");
    (strings, sheet)
}

/// The parts of a DOCX: its main document and its styles, as XML text.
pub fn parts(bytes: &[u8]) -> (String, String) {
    let [document, styles] = zip_parts(bytes, ["word/document.xml", "word/styles.xml"]);
    (document, styles)
}

/// The XML of the run holding `text`.
pub fn run_of<'d>(document: &'d str, text: &str) -> &'d str {
    let at = document
        .find(text)
        .unwrap_or_else(|| panic!("{text} in the document"));
    let start = document[..at].rfind("<w:r>").expect("a run");
    &document[start..at]
}

/// The document's words, tags dropped.
pub fn words(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of each non-empty paragraph (table cells included), in order.
pub fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            html_escape::decode_html_entities(&words(p))
                .trim()
                .to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect()
}
