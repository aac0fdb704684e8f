//! Importing case lists from CSV and XLSX exports (DOMAIN.md §5).
//!
//! Pure parsing and validation, no database: a file is checked whole, every bad row is
//! reported, and nothing is returned unless every row is good.

mod csv_file;
mod decode;
mod headers;
mod row;
mod xlsx_file;

use crate::domain::case::{CasePatch, Crn};
use std::collections::hash_map::{Entry, HashMap};
use std::fmt;
use std::path::Path;

use headers::{map_headers, HeaderMap};
use row::{parse_row, RawRow};

/// One good row: the physical line (CSV) or spreadsheet row (XLSX) it came from, its CRN and
/// the fields it sets. Blank cells and absent columns are `None` in the patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub crn: Crn,
    pub patch: CasePatch,
}

/// A whole file that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedImport {
    pub rows: Vec<ImportRow>,
    /// Canonical field names of the recognised columns, in the file's order.
    pub columns: Vec<String>,
    /// Headers that were not recognised, as written; their cells are ignored.
    pub ignored_columns: Vec<String>,
}

/// Longest message a row error carries, so a huge field cannot flood the terminal.
const MAX_MESSAGE_CHARS: usize = 300;

/// One problem in a file: its line (1-based; the header is line 1 in a CSV file), the canonical
/// column it concerns if any, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    /// A row error; the message loses control characters and is cut short if very long.
    pub fn new(line: usize, column: Option<&str>, message: impl Into<String>) -> RowError {
        let message: String = message.into();
        let mut clean: String = message
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_MESSAGE_CHARS)
            .collect();
        if message.chars().filter(|c| !c.is_control()).count() > MAX_MESSAGE_CHARS {
            clean.push('…');
        }
        RowError {
            line,
            column: column.map(str::to_string),
            message: clean,
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// Why a file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// One or more bad rows (or a bad header): every problem, sorted by line.
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<RowError>),
    /// The bytes are in an encoding we do not read (UTF-16).
    #[error("{0}")]
    Encoding(String),
    /// No header row, or a header and no rows.
    #[error("{0}")]
    Empty(&'static str),
    /// A spreadsheet that calamine cannot open or read.
    #[error("cannot read {path} as a spreadsheet: {message}")]
    Spreadsheet { path: String, message: String },
}

fn invalid_summary(errors: &[RowError]) -> String {
    let n = errors.len();
    let mut s = format!(
        "{n} problem{} found; nothing was imported:",
        if n == 1 { "" } else { "s" }
    );
    for e in errors {
        s.push('\n');
        s.push_str(&e.to_string());
    }
    s
}

pub(crate) const NO_HEADER: &str = "the file has no header row";
pub(crate) const NO_ROWS: &str = "the file has a header but no rows";

/// Reads a file: `.xlsx`, `.xlsm`, `.xlsb` or `.xls` (any case) as a workbook (its first
/// worksheet), anything else as CSV.
pub fn read_path(path: &Path) -> Result<ParsedImport, ImportError> {
    let is_workbook = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            let e = e.to_ascii_lowercase();
            matches!(e.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls")
        })
        .unwrap_or(false);
    if is_workbook {
        parse_xlsx_path(path)
    } else {
        let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })?;
        parse_csv_bytes(&bytes)
    }
}

/// Parses and validates a CSV file's bytes (UTF-8, UTF-8 with BOM, or Windows-1252).
pub fn parse_csv_bytes(bytes: &[u8]) -> Result<ParsedImport, ImportError> {
    let text = decode::decode(bytes)?;
    csv_file::parse_csv_text(&text)
}

/// Parses and validates the first worksheet of a workbook.
pub fn parse_xlsx_path(path: &Path) -> Result<ParsedImport, ImportError> {
    xlsx_file::parse_xlsx(path)
}

/// Shared by both formats: checks data rows one at a time as a reader streams them, so a file
/// is never held as rows of owned cells (at 100,000 rows that copy was most of an import's
/// memory). Maps the header once, parses each row, checks CRNs are unique, and at the end
/// returns either every good row or every problem.
pub(crate) struct Checker {
    /// `None` when the header is bad: rows are still read, for their own reading problems, but
    /// not parsed, since which column holds what is unknown.
    map: Option<HeaderMap>,
    /// The canonical name of each recognised column, in the file's order (`ParsedImport`).
    columns: Vec<String>,
    ignored_columns: Vec<String>,
    seen: HashMap<Crn, usize>,
    good: Vec<ImportRow>,
    errors: Vec<RowError>,
    /// Data rows passed to `row`, good or bad (not those with reading problems).
    rows: usize,
}

impl Checker {
    /// Starts checking under the header on `header_line`. `errors` holds problems already found
    /// while reading (the header's own error cells, malformed records before it).
    pub(crate) fn new(header_line: usize, header: &[String], mut errors: Vec<RowError>) -> Checker {
        let (map, columns, ignored_columns) = match map_headers(header_line, header) {
            Ok(mut map) => {
                let columns = std::mem::take(&mut map.found);
                let ignored = std::mem::take(&mut map.ignored);
                (Some(map), columns, ignored)
            }
            Err(header_errors) => {
                errors.extend(header_errors);
                (None, Vec::new(), Vec::new())
            }
        };
        Checker {
            map,
            columns,
            ignored_columns,
            seen: HashMap::new(),
            good: Vec::new(),
            errors,
            rows: 0,
        }
    }

    /// A problem found while reading (a ragged or malformed row); that row is not passed to `row`.
    pub(crate) fn reading_error(&mut self, e: RowError) {
        self.errors.push(e);
    }

    /// Checks one data row (not blank, right number of cells).
    pub(crate) fn row(&mut self, raw: &RawRow<'_>) {
        self.rows += 1;
        let Some(map) = &self.map else { return };
        let (crn, patch) = parse_row(raw, map, &mut self.errors);
        // A CRN counts as seen even when the rest of its row is bad.
        let Some(crn) = crn else { return };
        match self.seen.entry(crn.clone()) {
            Entry::Occupied(first) => {
                self.errors.push(RowError::new(
                    raw.line,
                    Some("crn"),
                    format!("this CRN also appears on line {}", first.get()),
                ));
                return;
            }
            Entry::Vacant(slot) => {
                slot.insert(raw.line);
            }
        }
        // Once a row is bad nothing will be imported: stop keeping good ones.
        if let (Some(patch), true) = (patch, self.errors.is_empty()) {
            self.good.push(ImportRow {
                line: raw.line,
                crn,
                patch,
            });
        }
    }

    /// Every good row, or every problem sorted by line.
    pub(crate) fn finish(self) -> Result<ParsedImport, ImportError> {
        if self.map.is_none() {
            return Err(invalid(self.errors));
        }
        if self.rows == 0 && self.errors.is_empty() {
            return Err(ImportError::Empty(NO_ROWS));
        }
        if !self.errors.is_empty() {
            return Err(invalid(self.errors));
        }
        Ok(ParsedImport {
            rows: self.good,
            columns: self.columns,
            ignored_columns: self.ignored_columns,
        })
    }
}

fn invalid(mut errors: Vec<RowError>) -> ImportError {
    errors.sort_by_key(|e| e.line);
    ImportError::Invalid(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_error_display() {
        let e = RowError::new(
            4,
            Some("release_date"),
            "\"31/02/2026\" is not a date: there is no day 31 in that month",
        );
        assert_eq!(
            e.to_string(),
            "line 4, column release_date: \"31/02/2026\" is not a date: there is no day 31 in that month"
        );
        let e = RowError::new(4, None, "has 7 cells where the header has 10");
        assert_eq!(e.to_string(), "line 4: has 7 cells where the header has 10");
    }

    #[test]
    fn row_error_messages_are_capped_and_clean() {
        let e = RowError::new(2, None, format!("\u{1b}[2J{}", "x".repeat(10_000)));
        assert!(e.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
        assert!(e.message.ends_with('…'));
        assert!(!e.message.contains('\u{1b}'));
    }

    #[test]
    fn invalid_lists_every_problem() {
        let e = ImportError::Invalid(vec![
            RowError::new(2, Some("crn"), "bad"),
            RowError::new(5, None, "worse"),
        ]);
        assert_eq!(
            e.to_string(),
            "2 problems found; nothing was imported:\nline 2, column crn: bad\nline 5: worse"
        );
        let one = ImportError::Invalid(vec![RowError::new(3, None, "odd")]);
        assert!(one.to_string().starts_with("1 problem found;"));
    }

    #[test]
    fn read_path_reports_a_missing_file() {
        let e = read_path(Path::new("/nonexistent/dir/cases.csv")).unwrap_err();
        assert!(matches!(e, ImportError::Read { .. }), "{e}");
        assert!(e
            .to_string()
            .starts_with("cannot read /nonexistent/dir/cases.csv: "));
    }
}
