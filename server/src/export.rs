//! Tables as downloads for a spreadsheet: CSV in UTF-8 with the byte-order
//! mark Excel needs to read Vietnamese (`csv`), and XLSX with a bold,
//! frozen header row with filters and numbers as numbers
//! (`rust_xlsxwriter`). Every export builds a [`Table`] once and lets the
//! reader pick the format.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};

/// The most rows one export holds: a province's year fits many times over.
pub const MAX_ROWS: usize = 200_000;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Number(f64::from(n))
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A table with a header row; `widths` in characters, one per column.
pub struct Table {
    /// The sheet's name in the workbook.
    pub sheet: String,
    pub header: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<Cell>>,
}

/// The formats a table downloads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Table {
    fn csv(&self) -> AppResult<Vec<u8>> {
        let failed = |_| AppError::Corrupt("a CSV export could not be written");
        let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        out.write_record(self.header.iter().map(|(h, _)| *h))
            .map_err(failed)?;
        for row in &self.rows {
            out.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            }))
            .map_err(failed)?;
        }
        out.into_inner()
            .map_err(|_| AppError::Corrupt("a CSV export could not be finished"))
    }

    fn xlsx(&self) -> AppResult<Vec<u8>> {
        use rust_xlsxwriter::{Format as Style, Workbook};
        let failed = |_| AppError::Corrupt("an XLSX export could not be written");
        let mut book = Workbook::new();
        // Rows go to a temporary file as they are written, strings once
        // each: a 100,000-row export stays small in memory (BENCHMARKS.md).
        let sheet = book.add_worksheet_with_low_memory().map_err(failed)?;
        sheet.set_name(&self.sheet).map_err(failed)?;
        let bold = Style::new().set_bold().set_text_wrap();
        for (col, (title, width)) in self.header.iter().enumerate() {
            let col = col as u16;
            sheet
                .write_string_with_format(0, col, *title, &bold)
                .map_err(failed)?;
            sheet.set_column_width(col, *width).map_err(failed)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, col, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(failed)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        sheet
            .autofilter(
                0,
                0,
                self.rows.len() as u32,
                self.header.len().saturating_sub(1) as u16,
            )
            .map_err(failed)?;
        book.save_to_buffer().map_err(failed)
    }

    /// The table's file in `format`.
    pub fn bytes(&self, format: Format) -> AppResult<Vec<u8>> {
        match format {
            Format::Csv => self.csv(),
            Format::Xlsx => self.xlsx(),
        }
    }

    /// The table as a download named `name` (no extension).
    pub fn download(&self, name: &str, format: Format) -> AppResult<Response> {
        let (extension, media_type) = match format {
            Format::Csv => ("csv", "text/csv; charset=utf-8"),
            Format::Xlsx => (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        };
        let bytes = self.bytes(format)?;
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
}

/// More rows than an export holds: narrow the filters.
pub fn too_many_rows() -> AppError {
    AppError::client(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_rows",
        format!("Quá {MAX_ROWS} dòng: hãy thu hẹp bộ lọc (đơn vị, thời gian) rồi tải lại"),
        format!("More than {MAX_ROWS} rows: narrow the filters (unit, dates) and download again"),
    )
}
