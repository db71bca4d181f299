//! Many small rows read as one string. sqlx hands each row over on its own
//! (a channel send, then the `Any` driver's copy of every value): about 4
//! to 6 µs a row, measured at 0.73 s for the 184,830 opinions of a
//! province's year that SQLite itself goes through in 0.12 s. For reads of
//! a hundred thousand rows of ids, tags, dates and numbers, the database
//! joins each row's fields with `,` and the rows with `;` (`string_agg`,
//! the same in SQLite ≥ 3.44 and PostgreSQL), and the rows cross the driver
//! as one string: 0.18 s for 99,948 items instead of 0.57 s.
//!
//! Only for values that hold neither separator and are never NULL (wrap a
//! nullable one in `COALESCE(…, '')`): ids, enum tags, dates, numbers.

use crate::error::{AppError, AppResult};

/// The select list that packs `columns` (SQL expressions) into one value,
/// NULL when no row matches.
pub fn select(columns: &[&str]) -> String {
    format!("string_agg({}, ';')", columns.join(" || ',' || "))
}

/// The rows of a packed answer, each as its `N` fields in order.
pub fn rows<const N: usize>(packed: &Option<String>) -> impl Iterator<Item = AppResult<[&str; N]>> {
    packed
        .as_deref()
        .filter(|text| !text.is_empty())
        .into_iter()
        .flat_map(|text| text.split(';'))
        .map(|row| {
            let fields: Vec<&str> = row.split(',').collect();
            <[&str; N]>::try_from(fields)
                .map_err(|_| AppError::Corrupt("a packed row has another number of fields"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_answer_reads_back_as_its_rows_and_nothing_as_no_row() {
        assert_eq!(select(&["a", "b"]), "string_agg(a || ',' || b, ';')");
        let packed = Some("x,1;y,2".to_owned());
        let read: Vec<[&str; 2]> = rows(&packed).collect::<AppResult<_>>().unwrap();
        assert_eq!(read, [["x", "1"], ["y", "2"]]);
        assert_eq!(rows::<2>(&None).count(), 0);
        assert_eq!(rows::<2>(&Some(String::new())).count(), 0);
        assert!(rows::<3>(&packed).all(|r| r.is_err()));
    }
}
