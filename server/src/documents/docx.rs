//! A [`Document`] as Word (DOCX), laid out as Decree 30/2020 asks: A4
//! portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times
//! New Roman 14 pt; the header as a two-column table without borders (the
//! issuing body left with a short rule under it, the national title and
//! motto right with a rule the motto's length), the number left and the
//! place and date in italics right; page numbers centred at the top from
//! page 2; signature blocks side by side, or "Nơi nhận" (12 pt bold
//! italic, recipients 11 pt) left of the one signature.

use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, PageMargin, PageNum, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Table, TableCell,
    TableRow, WidthType,
};

use super::{Block, Document, Kind, Span};

/// Twips (1/20 pt) in a millimetre, as Word counts page sizes.
const TWIPS_PER_MM: f64 = 56.6929;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// A4 portrait.
pub const PAGE_MM: (f64, f64) = (210.0, 297.0);
/// Top, bottom, left, right (Decree 30, Appendix I: 20–25, 20–25, 30–35,
/// 15–20 mm).
pub const MARGINS_MM: (f64, f64, f64, f64) = (20.0, 20.0, 30.0, 15.0);
/// What office PCs have; its metrics are the PDF's too.
pub const FONT: &str = "Times New Roman";
/// Body text, in half-points (14 pt).
pub const BODY_SIZE: usize = 28;
/// The national title, in half-points (13 pt).
const TITLE_SIZE: usize = 26;

/// The header's columns: the issuing body's, then the national title's.
fn columns() -> (usize, usize) {
    let text = PAGE_MM.0 - MARGINS_MM.2 - MARGINS_MM.3;
    let left = mm(text * 0.4) as usize;
    (left, mm(text) as usize - left)
}

fn run(span: &Span) -> Run {
    let mut r = text(&span.text);
    if span.bold {
        r = r.bold();
    }
    if span.italic {
        r = r.italic();
    }
    r
}

/// A centred line of one run. (Sizes and emphasis go on the run: on the
/// paragraph, Word applies them to its mark only.)
fn centred(run: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(run)
}

fn text(t: &str) -> Run {
    Run::new().add_text(t)
}

/// An empty centred paragraph drawn as a rule of `width` twips in a cell of
/// `cell` twips (its border, indented to that length).
fn rule(width: usize, cell: usize) -> Paragraph {
    let side = (cell.saturating_sub(width) / 2) as i32;
    Paragraph::new()
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().before(0).after(0).line(120))
        .set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Top)
                    .val(BorderType::Single)
                    .size(6),
            ),
        )
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa), |c, p| {
            c.add_paragraph(p)
        })
}

fn header_table(doc: &Document) -> Table {
    let (left, right) = columns();
    let mut body = Vec::new();
    if let Some(parent) = &doc.parent_body {
        body.push(centred(text(parent).size(TITLE_SIZE)));
    }
    body.push(centred(text(&doc.body).size(TITLE_SIZE).bold()));
    body.push(rule(left / 3, left));
    body.push(centred(text(&doc.number)));
    if let Kind::Letter { about, .. } = &doc.kind {
        body.push(centred(text(about).size(24)));
    }
    let nation = vec![
        centred(
            text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                .size(TITLE_SIZE)
                .bold(),
        ),
        centred(text("Độc lập - Tự do - Hạnh phúc").bold()),
        // "Độc lập - Tự do - Hạnh phúc" at 14 pt bold is about 62 mm long.
        rule(mm(62.0) as usize, right),
        centred(text(&doc.place_and_date).italic()),
    ];
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, body),
        cell(right, nation),
    ])])
    .set_grid(vec![left, right])
    .width(left + right, WidthType::Dxa)
}

/// "Nơi nhận:" 12 pt bold italic, each recipient 11 pt.
fn recipients(list: &[String]) -> Vec<Paragraph> {
    let mut out = vec![Paragraph::new().add_run(text("Nơi nhận:").size(24).bold().italic())];
    out.extend(
        list.iter()
            .map(|r| Paragraph::new().add_run(text(&format!("- {r}")).size(22))),
    );
    out
}

fn signature(s: &super::Signature) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(authority) = &s.authority {
        out.push(centred(text(authority).bold()));
    }
    out.extend([
        centred(text(&s.role).bold()),
        centred(text(&s.note).italic()),
        Paragraph::new(),
        Paragraph::new(),
        Paragraph::new(),
        centred(text(&s.name).bold()),
    ]);
    out
}

/// The foot: the signatures side by side, or "Nơi nhận" left and the
/// signature right.
fn foot(doc: &Document) -> Table {
    let (left, right) = columns();
    let (cells, grid) = if doc.recipients.is_empty() {
        let half = (left + right) / 2;
        let cells = doc
            .signatures
            .iter()
            .map(|s| cell(half, signature(s)))
            .collect();
        (cells, vec![half; doc.signatures.len()])
    } else {
        let signed = doc.signatures.iter().flat_map(signature).collect();
        (
            vec![cell(left, recipients(&doc.recipients)), cell(right, signed)],
            vec![left, right],
        )
    };
    Table::without_borders(vec![TableRow::new(cells)])
        .set_grid(grid)
        .width(left + right, WidthType::Dxa)
}

/// A table of the body, with borders, its header row bold.
fn table(header: &[String], widths: &[usize], rows: &[Vec<String>]) -> Table {
    let (left, right) = columns();
    let total = left + right;
    let grid: Vec<usize> = widths.iter().map(|w| total * w / 100).collect();
    let row = |cells: &[String], bold: bool| {
        TableRow::new(
            cells
                .iter()
                .zip(&grid)
                .map(|(c, w)| {
                    let run = if bold { text(c).bold() } else { text(c) };
                    cell(*w, vec![Paragraph::new().add_run(run)])
                })
                .collect(),
        )
    };
    let mut all = vec![row(header, true)];
    all.extend(rows.iter().map(|r| row(r, false)));
    Table::new(all).set_grid(grid).width(total, WidthType::Dxa)
}

/// A block of the body added to `docx`: a justified paragraph (indented
/// on its first line, or whole for a list item), or a table.
fn add_block(docx: Docx, b: &Block) -> Docx {
    let justified = || {
        Paragraph::new()
            .align(AlignmentType::Both)
            .line_spacing(LineSpacing::new().before(0).after(120))
    };
    let spans = |p: Paragraph, spans: &[Span]| spans.iter().fold(p, |p, s| p.add_run(run(s)));
    match b {
        Block::Heading(heading) => docx.add_paragraph(justified().add_run(text(heading).bold())),
        Block::Text(s) => docx.add_paragraph(spans(
            justified().indent(
                None,
                Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
                None,
                None,
            ),
            s,
        )),
        Block::Item(s) => docx.add_paragraph(spans(
            justified().indent(Some(mm(10.0)), None, None, None),
            s,
        )),
        Block::Table {
            header,
            widths,
            rows,
        } => docx
            .add_table(table(header, widths, rows))
            .add_paragraph(Paragraph::new()),
    }
}

/// The document as DOCX bytes.
pub fn render(doc: &Document) -> Vec<u8> {
    let (top, bottom, left, right) = MARGINS_MM;
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new()),
    );
    let font = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let mut docx = Docx::new()
        .page_size(mm(PAGE_MM.0) as u32, mm(PAGE_MM.1) as u32)
        .page_margin(
            PageMargin::new()
                .top(mm(top))
                .bottom(mm(bottom))
                .left(mm(left))
                .right(mm(right))
                .header(mm(10.0))
                .footer(mm(10.0)),
        )
        .default_fonts(font)
        .default_size(BODY_SIZE)
        // Page numbers from page 2: the first page has its own, empty header.
        .header(page_number)
        .first_header(Header::new())
        .title_pg()
        .add_table(header_table(doc))
        .add_paragraph(Paragraph::new());
    docx = match &doc.kind {
        Kind::Titled { title, subject } => docx
            .add_paragraph(centred(text(title).bold()))
            .add_paragraph(centred(text(subject).bold())),
        Kind::Letter { to, .. } => match to.as_slice() {
            [one] => docx.add_paragraph(centred(text(&format!("Kính gửi: {one}")))),
            many => many.iter().fold(
                docx.add_paragraph(centred(text("Kính gửi:"))),
                |docx, t| {
                    docx.add_paragraph(
                        Paragraph::new()
                            .indent(Some(mm(40.0)), None, None, None)
                            .add_run(text(&format!("- {t};"))),
                    )
                },
            ),
        },
    };
    docx = docx.add_paragraph(Paragraph::new());
    docx = doc.blocks.iter().fold(docx, add_block);
    docx = docx.add_paragraph(Paragraph::new()).add_table(foot(doc));
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .expect("a document in memory always packs");
    out.into_inner()
}

/// The DOCX media type.
pub const MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
