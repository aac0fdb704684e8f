//! Importing case lists from CSV and XLSX exports (DOMAIN.md §5).
//!
//! Pure parsing and validation, no database: a file is checked whole, every bad row is
//! reported, and nothing is returned unless every row is good.

mod csv_file;
mod decode;
mod headers;
mod labels;
mod letters;
mod row;
mod sniff;
mod xlsx_file;

pub use labels::{ColumnLabels, Labelled};

use crate::domain::case::{CasePatch, Crn};
use crate::domain::hash::QuickMap;
use std::collections::hash_map::{Entry, HashMap};
use std::fmt;
use std::path::Path;

use headers::{map_headers, Column, HeaderMap};
use row::{parse_row, RawRow};
use sniff::Content;

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
    /// The file's row (1-based) holding the header: more than 1 when a title or blank rows
    /// sit above it.
    pub header_row: usize,
    /// The file's own header text and column letters, to show a problem found later (when
    /// the rows are checked against the store) as the user sees the file.
    pub labels: ColumnLabels,
    /// What the file was read as when its content overruled its name: a workbook saved with a
    /// `.csv` name is read as a workbook (`"an Excel workbook (.xlsx)"`).
    pub read_as: Option<&'static str>,
}

impl ParsedImport {
    /// Lines an import's output adds about how the file was read: a workbook read despite its
    /// name, and where the header was found when it was not on the first row.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(what) = self.read_as {
            notes.push(format!(
                "The file is {what}, not CSV text: read its first worksheet."
            ));
        }
        if self.header_row > 1 {
            notes.push(format!(
                "Using the header found on row {}; the rows above it were skipped.",
                self.header_row
            ));
        }
        notes
    }
}

/// Longest message a row error carries, so a huge field cannot flood the terminal.
const MAX_MESSAGE_CHARS: usize = 300;

/// One problem in a file: its line (1-based, the file's own row), the canonical column it
/// concerns if any, and what is wrong. `Display` names the canonical column; `display_with`
/// names the file's own (`column C "Release Date"`).
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

/// Every problem found in a file, sorted by line, with the file's column labels to show them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    pub errors: Vec<RowError>,
    pub labels: ColumnLabels,
}

impl Problems {
    /// The problems sorted by line (a stable sort: within a line, the order found).
    pub fn new(mut errors: Vec<RowError>, labels: ColumnLabels) -> Problems {
        errors.sort_by_key(|e| e.line);
        Problems { errors, labels }
    }
}

/// Problems shown with canonical column names (no labels known).
impl From<Vec<RowError>> for Problems {
    fn from(errors: Vec<RowError>) -> Problems {
        Problems::new(errors, ColumnLabels::default())
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })?;
        if self.labels.header_row() > 1 {
            write!(f, " (header found on row {})", self.labels.header_row())?;
        }
        write!(f, "; nothing was imported:")?;
        for e in &self.errors {
            write!(f, "\n{}", e.display_with(&self.labels))?;
        }
        Ok(())
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
    /// One or more bad rows (or a bad header): every problem, sorted by line, shown with the
    /// file's own column names.
    #[error("{0}")]
    Invalid(Problems),
    /// The bytes are in an encoding we do not read (UTF-16).
    #[error("{0}")]
    Encoding(String),
    /// An empty file, or a header and no rows.
    #[error("{0}")]
    Empty(&'static str),
    /// Rows, but none among the first ten with a `crn` column.
    #[error("{0}")]
    NoHeader(String),
    /// Not text at all: a PDF, an image, a program (what it looks like, for the sentence).
    #[error("it looks like {0}, not a CSV file; export the list as CSV or XLSX and import that")]
    NotCsv(&'static str),
    /// A spreadsheet that calamine cannot open or read.
    #[error("cannot read {path} as a spreadsheet: {message}")]
    Spreadsheet { path: String, message: String },
}

pub(crate) const NO_HEADER: &str = "the file has no header row";
pub(crate) const NO_ROWS: &str = "the file has a header but no rows";

/// The header is the first row, among the first 10, with a column that matches `crn` (§5):
/// reports often carry a title and blank rows above it.
pub(crate) const HEADER_ROWS: usize = 10;

/// Looks for the header among a file's first rows, remembering enough to say why none was
/// found. Only the first few rows pass through here, so it costs nothing per data row.
#[derive(Debug, Default)]
pub(crate) struct HeaderSearch {
    /// Whether any non-blank row was seen.
    looked: bool,
    /// The first row naming some import fields (but not crn): probably the header, lacking it.
    likely: Option<(usize, Vec<&'static str>)>,
}

impl HeaderSearch {
    /// True when the non-blank row on `line` (one of the first `HEADER_ROWS`) is the header.
    pub(crate) fn is_header<'c>(
        &mut self,
        line: usize,
        cells: impl IntoIterator<Item = &'c str>,
    ) -> bool {
        self.looked = true;
        let mut fields = Vec::new();
        for cell in cells {
            match Column::from_header(cell) {
                Some(Column::Crn) => return true,
                Some(f) => fields.push(f.as_str()),
                None => {}
            }
        }
        if self.likely.is_none() && !fields.is_empty() {
            self.likely = Some((line, fields));
        }
        false
    }

    /// A non-blank row below the first `HEADER_ROWS` was reached: the search is over, and
    /// the file was not empty.
    pub(crate) fn give_up(&mut self) {
        self.looked = true;
    }

    /// The error for a file whose header was not found: one sentence. `mixed` is a CSV
    /// file's line whose separators are mixed, which explains the rest.
    pub(crate) fn failure(self, mixed: Option<(usize, char, char)>) -> ImportError {
        if let Some((line, a, b)) = mixed {
            return ImportError::NoHeader(format!(
                "row {line} looks like the header but mixes separators ({a:?} and {b:?}), so \
                 its columns cannot be told apart; save the file with one separator"
            ));
        }
        if !self.looked {
            return ImportError::Empty(NO_HEADER);
        }
        ImportError::NoHeader(match self.likely {
            Some((line, mut fields)) => {
                if fields.len() > 4 {
                    fields.truncate(4);
                    fields.push("…");
                }
                format!(
                    "no CRN column: row {line} looks like the header (it has {}) but none of \
                     its columns is crn; every file needs a CRN column",
                    fields.join(", ")
                )
            }
            None => format!(
                "no header row found: none of the first {HEADER_ROWS} rows has a column named \
                 CRN; the header row must have one, above the cases"
            ),
        })
    }
}

/// Reads a file. `.xlsx`, `.xlsm`, `.xlsb` or `.xls` (any case) is read as a workbook (its
/// first worksheet); anything else as CSV, unless its content says it is a workbook (read as
/// one) or not text at all (refused in one sentence saying what it seems to be).
pub fn read_path(path: &Path) -> Result<ParsedImport, ImportError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: shown.clone(),
        source,
    })?;
    let is_workbook = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            let e = e.to_ascii_lowercase();
            matches!(e.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls")
        })
        .unwrap_or(false);
    if is_workbook {
        xlsx_file::parse_xlsx_bytes(bytes, &shown)
    } else {
        parse_csv_named(bytes, &shown)
    }
}

/// Parses and validates a CSV file's bytes (UTF-8, UTF-8 with BOM, or Windows-1252). A
/// workbook's bytes are read as a workbook; a PDF, an image, a program or other binary data
/// is refused in one sentence.
pub fn parse_csv_bytes(bytes: &[u8]) -> Result<ParsedImport, ImportError> {
    match sniff::content(bytes) {
        Content::Text => parse_text_bytes(bytes),
        _ => parse_csv_named(bytes.to_vec(), "the file"),
    }
}

/// A file meant as CSV, by content: `shown` names it in a spreadsheet's error.
fn parse_csv_named(bytes: Vec<u8>, shown: &str) -> Result<ParsedImport, ImportError> {
    match sniff::content(&bytes) {
        Content::Text => parse_text_bytes(&bytes),
        Content::Other(what) => Err(ImportError::NotCsv(what)),
        Content::Workbook(what) => match xlsx_file::parse_xlsx_bytes(bytes, shown) {
            Ok(parsed) => Ok(ParsedImport {
                read_as: Some(what),
                ..parsed
            }),
            // Not a workbook after all: say what it looked like.
            Err(ImportError::Spreadsheet { .. }) if what == "a zip archive" => {
                Err(ImportError::NotCsv(what))
            }
            Err(ImportError::Spreadsheet { .. }) if what.contains(".xls)") => Err(
                ImportError::NotCsv("an Office document (such as a Word or Outlook file)"),
            ),
            Err(e) => Err(e),
        },
    }
}

fn parse_text_bytes(bytes: &[u8]) -> Result<ParsedImport, ImportError> {
    let text = decode::decode(bytes)?;
    // After decoding, which refuses UTF-16 (half NULs) with its own advice.
    if sniff::looks_binary(bytes) {
        return Err(ImportError::NotCsv("a binary file (not text)"));
    }
    csv_file::parse_csv_text(&text)
}

/// Parses and validates the first worksheet of a workbook.
pub fn parse_xlsx_path(path: &Path) -> Result<ParsedImport, ImportError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: shown.clone(),
        source,
    })?;
    xlsx_file::parse_xlsx_bytes(bytes, &shown)
}

/// Shared by both formats: checks data rows one at a time as a reader streams them, so a file
/// is never held as rows of owned cells (at 100,000 rows that copy was most of an import's
/// memory). Maps the header once, parses each row, checks CRNs are unique, and at the end
/// returns either every good row or every problem.
pub(crate) struct Checker {
    /// `None` when the header is bad: rows are still read, for their own reading problems, but
    /// not parsed, since which column holds what is unknown.
    map: Option<HeaderMap>,
    labels: ColumnLabels,
    header_row: usize,
    /// The canonical name of each recognised column, in the file's order (`ParsedImport`).
    columns: Vec<String>,
    ignored_columns: Vec<String>,
    /// Each CRN's first line, by `Crn::key`.
    seen: QuickMap<u32, usize>,
    good: Vec<ImportRow>,
    errors: Vec<RowError>,
    /// Data rows passed to `row`, good or bad (not those with reading problems).
    rows: usize,
}

impl Checker {
    /// Starts checking under the header on `header_line`, whose first cell is in sheet column
    /// `first_col` (0 = A). `errors` holds problems already found while reading (the header's
    /// own error cells, malformed records before it).
    pub(crate) fn new(
        header_line: usize,
        header: &[String],
        first_col: usize,
        mut errors: Vec<RowError>,
    ) -> Checker {
        let (mut map, header_errors) = map_headers(header_line, header, first_col);
        let labels = ColumnLabels::new(header_line, header, first_col);
        let columns = std::mem::take(&mut map.found);
        let ignored_columns = std::mem::take(&mut map.ignored);
        let map = if header_errors.is_empty() {
            Some(map)
        } else {
            errors.extend(header_errors);
            None
        };
        Checker {
            map,
            labels,
            header_row: header_line,
            columns,
            ignored_columns,
            seen: HashMap::default(),
            good: Vec::new(),
            errors,
            rows: 0,
        }
    }

    /// Room for `rows` good rows at once, when the reader knows about how many lines are left:
    /// growing the list by doubling copied every row kept about twice over.
    pub(crate) fn expect_rows(&mut self, rows: usize) {
        self.good.reserve_exact(rows);
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
        match self.seen.entry(crn.key()) {
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
        if self.map.is_none() || !self.errors.is_empty() {
            return Err(ImportError::Invalid(Problems::new(
                self.errors,
                self.labels,
            )));
        }
        if self.rows == 0 {
            return Err(ImportError::Empty(NO_ROWS));
        }
        Ok(ParsedImport {
            rows: self.good,
            columns: self.columns,
            ignored_columns: self.ignored_columns,
            header_row: self.header_row,
            labels: self.labels,
            read_as: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crn_keys_differ_for_different_crns() {
        let key = |s: &str| s.parse::<Crn>().unwrap().key();
        assert_eq!(key("A000000"), 0);
        assert_eq!(key("X123456"), 23 * 1_000_000 + 123_456);
        assert_eq!(key("Z999999"), 25_999_999);
        assert_ne!(key("A100000"), key("B000000"));
        assert_eq!(key("x123456"), key("X123456"));
    }

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
        let e = ImportError::Invalid(
            vec![
                RowError::new(5, None, "worse"),
                RowError::new(2, Some("crn"), "bad"),
            ]
            .into(),
        );
        assert_eq!(
            e.to_string(),
            "2 problems found; nothing was imported:\nline 2, column crn: bad\nline 5: worse"
        );
        let one = ImportError::Invalid(vec![RowError::new(3, None, "odd")].into());
        assert!(one.to_string().starts_with("1 problem found;"));
    }

    #[test]
    fn invalid_names_the_files_columns_and_a_header_below_row_one() {
        let header: Vec<String> = ["CRN", "Name", "Release Date"].map(String::from).to_vec();
        let labels = ColumnLabels::new(3, &header, 0);
        let e = ImportError::Invalid(Problems::new(
            vec![
                RowError::new(7, Some("release_date"), "\"31/02/2026\" is not a date"),
                RowError::new(5, Some("dtr"), "not a DTR status"),
            ],
            labels,
        ));
        assert_eq!(
            e.to_string(),
            "2 problems found (header found on row 3); nothing was imported:\n\
             line 5, column dtr: not a DTR status\n\
             line 7, column C \"Release Date\": \"31/02/2026\" is not a date"
        );
    }

    #[test]
    fn notes_say_how_the_file_was_read() {
        let p = ParsedImport {
            rows: Vec::new(),
            columns: Vec::new(),
            ignored_columns: Vec::new(),
            header_row: 1,
            labels: ColumnLabels::default(),
            read_as: None,
        };
        assert!(p.notes().is_empty());
        let p = ParsedImport {
            header_row: 3,
            read_as: Some("an Excel workbook (.xlsx)"),
            ..p
        };
        assert_eq!(
            p.notes(),
            [
                "The file is an Excel workbook (.xlsx), not CSV text: read its first worksheet.",
                "Using the header found on row 3; the rows above it were skipped."
            ]
        );
    }

    #[test]
    fn header_search_explains_a_missing_header() {
        let s = HeaderSearch::default();
        assert_eq!(s.failure(None).to_string(), NO_HEADER);
        let mut s = HeaderSearch::default();
        assert!(!s.is_header(1, ["Weekly releases"]));
        assert!(!s.is_header(3, ["Name", "Release Date", "Shoe size"]));
        assert!(!s.is_header(4, ["Name", "Notes"]));
        assert_eq!(
            s.failure(None).to_string(),
            "no CRN column: row 3 looks like the header (it has name, release_date) but none \
             of its columns is crn; every file needs a CRN column"
        );
        let mut s = HeaderSearch::default();
        assert!(!s.is_header(1, ["id", "dob"]));
        assert_eq!(
            s.failure(None).to_string(),
            "no header row found: none of the first 10 rows has a column named CRN; the \
             header row must have one, above the cases"
        );
        let mut s = HeaderSearch::default();
        assert!(s.is_header(2, ["Name", " crn "]));
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
