//! A [`Document`] as PDF, laid out by Typst (`document.typ`, the same
//! Decree 30 layout as the DOCX) with Liberation Serif compiled into the
//! server and embedded as subsets: every machine renders the same PDF,
//! with every Vietnamese letter, stacked marks (ễ, ộ, ữ, Ặ) included.
//! Typst shapes the text with its OpenType tables, which the lighter PDF
//! crates do not (BENCHMARKS.md weighs the choice).

use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use super::Document;

const TEMPLATE: &str = include_str!("document.typ");

const FONTS: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// The PDF media type.
pub const MEDIA_TYPE: &str = "application/pdf";

/// The template with its fonts, read once.
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .fonts(FONTS)
            .build()
    })
}

/// Why a document did not render: the template's fault, never the data's
/// (the data is only ever text). Its messages name the template's lines.
#[derive(Debug)]
pub struct RenderError(pub String);

/// The document as PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let mut inputs = Dict::new();
    let json = serde_json::to_string(doc).expect("a document serialises");
    inputs.insert("doc".into(), json.into_value());
    let compiled: PagedDocument = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| RenderError(format!("typst: {e:?}")))?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default())
        .map_err(|e| RenderError(format!("typst-pdf: {e:?}")))
}
