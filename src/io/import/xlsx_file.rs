//! Workbooks (DOMAIN.md §5): the first worksheet of an .xlsx, .xlsm, .xlsb or .xls file.

use super::letters::column_letters;
use super::row::{is_blank, Cell, RawRow};
use super::sniff::{self, Content};
use super::{Checker, HeaderSearch, ImportError, ParsedImport, RowError, HEADER_ROWS};
use calamine::{open_workbook_from_rs, Data, Range, Reader, Sheets};
use chrono::NaiveDate;
use std::io::Cursor;

/// Longest calamine message passed on, so a corrupt file cannot flood the terminal.
const MAX_DETAIL_CHARS: usize = 200;

/// Reads a workbook's first worksheet; `shown` names the file in an error. The header is the
/// first row, among the first `HEADER_ROWS`, with a `crn` cell; each row's line is its
/// spreadsheet row number (1-based).
pub(crate) fn parse_xlsx_bytes(bytes: Vec<u8>, shown: &str) -> Result<ParsedImport, ImportError> {
    let fail = |message: String| ImportError::Spreadsheet {
        path: shown.to_string(),
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
    } else if let Content::Other(what) = sniff::content(&bytes) {
        return Err(format!(
            "it is not an Excel workbook but looks like {what}; export the list as XLSX or CSV"
        ));
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
/// Rows above the header (a title, notes) are skipped, error cells in them too.
pub(crate) fn parse_range(range: &Range<Data>) -> Result<ParsedImport, ImportError> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let col0 = col0 as usize;
    let mut search = HeaderSearch::default();
    let mut checker: Option<Checker> = None;
    let mut cells: Vec<Cell> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = row0 as usize + i + 1;
        cells.clear();
        cells.extend(row.iter().map(cell));
        if is_blank(&cells) {
            continue;
        }
        if checker.is_none() && line > HEADER_ROWS {
            search.give_up();
            break;
        }
        if let Some(c) = &mut checker {
            c.row(&RawRow::from_cells(line, &cells));
            continue;
        }
        let texts = cells.iter().filter_map(|c| match c {
            Cell::Text(t) => Some(t.as_str()),
            Cell::Error(_) => None,
        });
        if !search.is_header(line, texts) {
            continue;
        }
        let mut errors = Vec::new();
        let names: Vec<String> = cells
            .drain(..)
            .enumerate()
            .map(|(j, c)| match c {
                Cell::Text(t) => t,
                Cell::Error(code) => {
                    let at = column_letters(col0 + j);
                    errors.push(RowError::new(
                        line,
                        None,
                        format!("header cell {at}{line} holds the spreadsheet error {code}"),
                    ));
                    String::new()
                }
            })
            .collect();
        checker = Some(Checker::new(line, &names, col0, errors));
    }
    match checker {
        Some(c) => c.finish(),
        None => Err(search.failure(None)),
    }
}

/// One cell as text: dates as YYYY-MM-DD, whole numbers without a decimal point, booleans as
/// yes/no; an error cell keeps its error as shown (`#N/A`), for a message naming it.
fn cell(d: &Data) -> Cell {
    let text = match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, h, min, ..) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                // A time of day, where the cell holds one: an appointment (DOMAIN.md §8).
                Some(date) if (h, min) != (0, 0) => {
                    format!("{} {h:02}:{min:02}", date.format("%Y-%m-%d"))
                }
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
        Data::Error(e) => return Cell::Error(e.to_string()),
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

#[cfg(test)]
mod tests {
    use super::super::NO_HEADER;
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_become_text() {
        let t = |d: Data| match cell(&d) {
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
        // 09:30 is 0.395833… of a day: an appointment's time comes through.
        let appt = ExcelDateTime::new(46380.0 + 9.5 / 24.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(t(Data::DateTime(appt)), "2026-12-24 09:30");
        assert_eq!(
            t(Data::DateTimeIso("2026-12-24T00:00:00".into())),
            "2026-12-24"
        );
        assert_eq!(
            cell(&Data::Error(CellErrorType::NA)),
            Cell::Error("#N/A".into())
        );
    }

    fn sheet(rows: &[(u32, &[&str])]) -> Range<Data> {
        let mut r: Range<Data> = Range::new((0, 0), (15, 4));
        for (row, cells) in rows {
            for (c, v) in cells.iter().enumerate() {
                r.set_value((*row, c as u32), Data::String(v.to_string()));
            }
        }
        r
    }

    #[test]
    fn header_is_the_first_row_with_a_crn_column() {
        let mut r = sheet(&[
            (0, &["Weekly releases"]),
            (1, &["Run by", "North PDU"]),
            (3, &["CRN", "Name", "Release Date"]),
            (5, &["X123456", "Ann", "24/12/2026"]),
        ]);
        // An error cell in the title rows is no problem.
        r.set_value((1, 3), Data::Error(CellErrorType::Ref));
        let p = parse_range(&r).unwrap();
        assert_eq!(p.header_row, 4);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].line, 6);
        assert_eq!(
            p.labels.label("release_date").as_deref(),
            Some("C \"Release Date\"")
        );
    }

    #[test]
    fn errors_name_the_sheets_own_columns() {
        let mut r = sheet(&[
            (2, &["", "CRN", "Name", "Release Date"]),
            (3, &["", "X123456", "Ann", "31/02/2026"]),
        ]);
        r.set_value((2, 4), Data::Error(CellErrorType::NA));
        let e = parse_range(&r).unwrap_err();
        assert_eq!(
            e.to_string(),
            "2 problems found (header found on row 3); nothing was imported:\n\
             line 3: header cell E3 holds the spreadsheet error #N/A\n\
             line 4, column D \"Release Date\": \"31/02/2026\" is not a date: there is no day \
             31 in that month"
        );
    }

    #[test]
    fn a_header_below_row_ten_is_not_looked_for() {
        let r = sheet(&[(10, &["CRN", "Name"]), (11, &["X123456", "Ann"])]);
        assert_eq!(
            parse_range(&r).unwrap_err().to_string(),
            "no header row found: none of the first 10 rows has a column named CRN; the \
             header row must have one, above the cases"
        );
        let r = sheet(&[(0, &["Name", "Release Date"]), (1, &["Ann", "24/12/2026"])]);
        assert!(parse_range(&r)
            .unwrap_err()
            .to_string()
            .starts_with("no CRN column: row 1 looks like the header"));
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
        assert!(e.contains("give it a .csv name"), "{e}");
        let e = first_sheet(b"%PDF-1.4\n".to_vec()).unwrap_err();
        assert_eq!(
            e,
            "it is not an Excel workbook but looks like a PDF document; export the list as XLSX or CSV"
        );
        let e = first_sheet(b"PK\x03\x04garbage".to_vec()).unwrap_err();
        assert!(!e.is_empty());
    }
}
