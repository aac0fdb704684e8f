//! Workbooks (DOMAIN.md §5): the first worksheet of an .xlsx, .xlsm, .xlsb or .xls file.

use super::row::{is_blank, Cell, RawRow};
use super::{Checker, ImportError, ParsedImport, RowError, NO_HEADER};
use calamine::{open_workbook_from_rs, Data, Range, Reader, Sheets};
use chrono::NaiveDate;
use std::io::Cursor;
use std::path::Path;

/// Longest calamine message passed on, so a corrupt file cannot flood the terminal.
const MAX_DETAIL_CHARS: usize = 200;

/// Reads the first worksheet. The header is its first non-empty row; each row's line is its
/// spreadsheet row number (1-based).
pub(crate) fn parse_xlsx(path: &Path) -> Result<ParsedImport, ImportError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: shown.clone(),
        source,
    })?;
    let fail = |message: String| ImportError::Spreadsheet {
        path: shown.clone(),
        message,
    };
    // calamine is a large parser of untrusted files: a panic in it is a bad file, not a crash.
    let range = std::panic::catch_unwind(move || first_sheet(bytes))
        .unwrap_or_else(|_| Err("the workbook is damaged".to_string()))
        .map_err(fail)?;
    parse_range(&range)
}

/// Opens a workbook by its content (not its name: a `.xls` is often really `.xlsx`) and reads
/// its first worksheet.
fn first_sheet(bytes: Vec<u8>) -> Result<Range<Data>, String> {
    let detail = |e: &dyn std::fmt::Display| cap(&e.to_string());
    let mut book: Sheets<Cursor<Vec<u8>>> = if bytes.starts_with(b"PK\x03\x04") {
        // A zip: .xlsx / .xlsm, else .xlsb, else OpenDocument.
        match open_workbook_from_rs(Cursor::new(bytes.clone())) {
            Ok(b) => Sheets::Xlsx(b),
            Err(xlsx_err) => match open_workbook_from_rs(Cursor::new(bytes.clone())) {
                Ok(b) => Sheets::Xlsb(b),
                Err(_) => match open_workbook_from_rs(Cursor::new(bytes)) {
                    Ok(b) => Sheets::Ods(b),
                    Err(_) => return Err(detail(&xlsx_err)),
                },
            },
        }
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Sheets::Xls(open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| detail(&e))?)
    } else {
        return Err(
            "it is not an Excel workbook (if it is a CSV file, give it a .csv name)".to_string(),
        );
    };
    match book.worksheet_range_at(0) {
        None => Err("the workbook has no worksheets".to_string()),
        Some(Err(e)) => Err(detail(&e)),
        Some(Ok(range)) => Ok(range),
    }
}

fn cap(s: &str) -> String {
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DETAIL_CHARS)
        .collect();
    if s.chars().filter(|c| !c.is_control()).count() > MAX_DETAIL_CHARS {
        t.push('…');
    }
    t
}

/// Turns a worksheet's cells into a header and rows, then validates them like a CSV file.
pub(crate) fn parse_range(range: &Range<Data>) -> Result<ParsedImport, ImportError> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut checker: Option<Checker> = None;
    let mut cells: Vec<Cell> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = row0 as usize + i + 1;
        cells.clear();
        cells.extend(
            row.iter()
                .enumerate()
                .map(|(j, d)| cell(d, line, col0 as usize + j)),
        );
        if is_blank(&cells) {
            continue;
        }
        if let Some(c) = &mut checker {
            c.row(&RawRow::from_cells(line, &cells));
            continue;
        }
        let mut errors = Vec::new();
        let names: Vec<String> = cells
            .drain(..)
            .map(|c| match c {
                Cell::Text(t) => t,
                Cell::Error(message) => {
                    errors.push(RowError::new(line, None, message));
                    String::new()
                }
            })
            .collect();
        checker = Some(Checker::new(line, &names, errors));
    }
    match checker {
        Some(c) => c.finish(),
        None => Err(ImportError::Empty(NO_HEADER)),
    }
}

/// One cell as text: dates as YYYY-MM-DD, whole numbers without a decimal point, booleans as
/// yes/no; an error cell becomes a sentence naming it (`cell C4 holds the spreadsheet error #N/A`).
fn cell(d: &Data, line: usize, col: usize) -> Cell {
    let text = match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                Some(date) => date.format("%Y-%m-%d").to_string(),
                None => number_text(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
            .map_or_else(|| s.clone(), |date| date.format("%Y-%m-%d").to_string()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            return Cell::Error(format!(
                "cell {}{line} holds the spreadsheet error {e}",
                column_letters(col)
            ))
        }
    };
    Cell::Text(text)
}

/// `2.0` → `2`; other numbers as Rust prints them.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// 0 → `A`, 25 → `Z`, 26 → `AA`.
fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

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
    fn cells_become_text() {
        let t = |d: Data| match cell(&d, 4, 2) {
            Cell::Text(t) => t,
            Cell::Error(e) => panic!("{e}"),
        };
        assert_eq!(t(Data::Float(2.0)), "2");
        assert_eq!(t(Data::Float(2.5)), "2.5");
        assert_eq!(t(Data::Int(3)), "3");
        assert_eq!(t(Data::Bool(true)), "yes");
        assert_eq!(t(Data::Empty), "");
        // 46380 is 24 Dec 2026 in Excel's 1900 date system.
        let xmas = ExcelDateTime::new(46380.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(t(Data::DateTime(xmas)), "2026-12-24");
        let xmas_1904 = ExcelDateTime::new(46380.0 - 1462.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(t(Data::DateTime(xmas_1904)), "2026-12-24");
        assert_eq!(
            t(Data::DateTimeIso("2026-12-24T00:00:00".into())),
            "2026-12-24"
        );
        assert_eq!(
            cell(&Data::Error(CellErrorType::NA), 4, 2),
            Cell::Error("cell C4 holds the spreadsheet error #N/A".into())
        );
    }

    #[test]
    fn header_is_the_first_non_empty_row() {
        let mut r: Range<Data> = Range::new((0, 0), (3, 2));
        for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
            r.set_value((1, c as u32), Data::String(h.to_string()));
        }
        r.set_value((3, 0), Data::String("X123456".into()));
        r.set_value((3, 1), Data::String("Ann".into()));
        r.set_value((3, 2), Data::String("24/12/2026".into()));
        let p = parse_range(&r).unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].line, 4);
    }

    #[test]
    fn empty_sheet() {
        let r: Range<Data> = Range::new((0, 0), (2, 2));
        assert_eq!(parse_range(&r).unwrap_err().to_string(), NO_HEADER);
        let r: Range<Data> = Range::empty();
        assert_eq!(parse_range(&r).unwrap_err().to_string(), NO_HEADER);
    }

    #[test]
    fn not_a_workbook() {
        let e = first_sheet(b"crn,name\n".to_vec()).unwrap_err();
        assert!(e.contains("not an Excel workbook"), "{e}");
        let e = first_sheet(b"PK\x03\x04garbage".to_vec()).unwrap_err();
        assert!(!e.is_empty());
    }
}
