//! The file's own names for its columns, so an error says `column C "Release Date"` where the
//! user looks, not `column release_date` (DOMAIN.md §5: "line N, column C: what is wrong").

use super::headers::Column;
use super::letters::column_letters;
use super::RowError;
use crate::domain::case::quote_token;
use std::fmt;

/// Where the header is and what it calls each recognised column: for each canonical field, the
/// spreadsheet letters of its column and the header as written. Built once per file, from the
/// header row; used only when an error is shown, so it costs nothing per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnLabels {
    header_row: usize,
    /// Indexed by `Column::index`; empty when nothing is known (`Default`).
    by_field: Vec<Option<Label>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Label {
    letters: String,
    /// The header cell, trimmed, quoted, without control characters, cut short if long.
    header: String,
}

impl ColumnLabels {
    /// Labels for the header `cells` on `header_row`, whose first cell is in sheet column
    /// `first_col` (0 = A). Where two columns give one field the first is kept, as the mapping
    /// does (and the duplicate is an error anyway).
    pub(crate) fn new(header_row: usize, cells: &[String], first_col: usize) -> ColumnLabels {
        let mut labels = ColumnLabels {
            header_row,
            by_field: vec![None; Column::COUNT],
        };
        for (i, cell) in cells.iter().enumerate() {
            if let Some(f) = Column::from_header(cell) {
                labels.by_field[f.index()].get_or_insert_with(|| Label {
                    letters: column_letters(first_col + i),
                    header: quote_token(cell),
                });
            }
        }
        labels
    }

    /// The file's row (1-based) that holds the header; 0 when not known.
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// How the file names the column holding a canonical field: `C "Release Date"`; `None`
    /// when the file has no such column (or `canonical` is no import field).
    pub fn label(&self, canonical: &str) -> Option<String> {
        let f = Column::all().find(|f| f.as_str() == canonical)?;
        let l = self.by_field.get(f.index())?.as_ref()?;
        Some(format!("{} {}", l.letters, l.header))
    }
}

/// A row error shown with the file's labels (see `RowError::display_with`).
pub struct Labelled<'a> {
    error: &'a RowError,
    labels: &'a ColumnLabels,
}

impl RowError {
    /// Shows this error with the file's own header and column letter: `line 7, column C
    /// "Release Date": …`. A canonical column the file lacks is shown by its name, as
    /// `Display` shows it (`column release_date`).
    pub fn display_with<'a>(&'a self, labels: &'a ColumnLabels) -> Labelled<'a> {
        Labelled {
            error: self,
            labels,
        }
    }
}

impl fmt::Display for Labelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.error;
        match e.column.as_deref() {
            Some(c) => match self.labels.label(c) {
                Some(label) => write!(f, "line {}, column {label}: {}", e.line, e.message),
                None => write!(f, "line {}, column {c}: {}", e.line, e.message),
            },
            None => write!(f, "line {}: {}", e.line, e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn labels_name_the_files_own_header_and_letter() {
        let l = ColumnLabels::new(
            3,
            &strings(&[
                " CRN ",
                "Shoe size",
                "Release Date",
                "Forename",
                "risk",
                "RoSH",
            ]),
            0,
        );
        assert_eq!(l.header_row(), 3);
        assert_eq!(l.label("crn").as_deref(), Some("A \"CRN\""));
        assert_eq!(
            l.label("release_date").as_deref(),
            Some("C \"Release Date\"")
        );
        assert_eq!(l.label("first_name").as_deref(), Some("D \"Forename\""));
        assert_eq!(
            l.label("rosh").as_deref(),
            Some("E \"risk\""),
            "the first wins"
        );
        assert_eq!(l.label("last_name"), None);
        assert_eq!(l.label("no such field"), None);
        // A sheet whose cells start in column C.
        let l = ColumnLabels::new(1, &strings(&["crn", "notes"]), 2);
        assert_eq!(l.label("notes").as_deref(), Some("D \"notes\""));
    }

    #[test]
    fn display_with_labels_and_without() {
        let l = ColumnLabels::new(1, &strings(&["CRN", "Name", "Release Date"]), 0);
        let e = RowError::new(7, Some("release_date"), "\"31/02/2026\" is not a date");
        assert_eq!(
            e.display_with(&l).to_string(),
            "line 7, column C \"Release Date\": \"31/02/2026\" is not a date"
        );
        let e = RowError::new(7, Some("dtr"), "bad");
        assert_eq!(e.display_with(&l).to_string(), "line 7, column dtr: bad");
        let e = RowError::new(7, None, "has 2 cells where the header has 3");
        assert_eq!(e.display_with(&l).to_string(), e.to_string());
        let e = RowError::new(7, Some("crn"), "bad");
        assert_eq!(
            e.display_with(&ColumnLabels::default()).to_string(),
            "line 7, column crn: bad"
        );
    }

    #[test]
    fn a_long_or_dirty_header_is_quoted_short_and_clean() {
        let long = format!("Release{}Date", " ".repeat(60));
        let l = ColumnLabels::new(1, &[long], 0);
        let label = l.label("release_date").unwrap();
        assert!(label.starts_with("A \"Release   "), "{label}");
        assert!(label.ends_with("…\""), "{label}");
        let l = ColumnLabels::new(1, &strings(&["Release\u{7} Date"]), 0);
        assert_eq!(
            l.label("release_date").as_deref(),
            Some("A \"Release Date\"")
        );
    }
}
