//! CSV files (DOMAIN.md §5): delimiter detection, physical line numbers, ragged rows.

use super::row::RawRow;
use super::{Checker, ImportError, ParsedImport, RowError, NO_HEADER};

/// Parses decoded CSV text. The header is the first non-blank record; wholly blank rows are
/// skipped; every row must have as many cells as the header. Rows are read into one reused
/// record and checked as they come (`Checker`), not collected first.
pub(crate) fn parse_csv_text(text: &str) -> Result<ParsedImport, ImportError> {
    let lines = LineIndex::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes());
    // Until the header is found, problems wait here; then the checker holds them.
    let mut early_errors = Vec::new();
    let mut checker: Option<(Checker, usize)> = None;
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(before, |p| p.byte());
                let line = lines.record_line(text, at);
                let error = RowError::new(line, None, format!("is not a valid CSV record: {e}"));
                match &mut checker {
                    Some((c, _)) => c.reading_error(error),
                    None => early_errors.push(error),
                }
                if reader.position().byte() <= before {
                    break; // no progress: stop rather than loop
                }
                continue;
            }
        }
        let start = record.position().map_or(before, |p| p.byte());
        let end = reader.position().byte();
        let line = lines.record_line(text, start);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The raw text of the record, without its line ending.
        let raw = slice(text, start, end).trim_end_matches(['\r', '\n']);
        // The record is not blank, so `raw` ends in something other than a line break: it runs
        // over several lines when that last byte is on a later line than the record starts.
        let last_line = lines.line_of(start as usize + raw.len().saturating_sub(1));
        let multi_line = last_line > line;
        let open_quote = multi_line && raw.matches('"').count() % 2 == 1;
        if open_quote && end as usize >= text.len() {
            let error = RowError::new(
                line,
                None,
                "a quoted cell starting on this line is never closed, so the rest of the file \
                 ran into it; check for a missing quote (\")",
            );
            match &mut checker {
                Some((c, _)) => c.reading_error(error),
                None => early_errors.push(error),
            }
            continue;
        }
        match &mut checker {
            None => {
                let header: Vec<String> = record.iter().map(str::to_string).collect();
                let errors = std::mem::take(&mut early_errors);
                checker = Some((Checker::new(line, &header, errors), header.len()));
            }
            Some((c, width)) if record.len() != *width => {
                let mut message = format!(
                    "has {} cell{} where the header has {}",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    width
                );
                if multi_line {
                    message.push_str(&format!(
                        "; the row runs on to line {last_line}, so a quote (\") may be left open"
                    ));
                }
                c.reading_error(RowError::new(line, None, message));
            }
            Some((c, _)) => c.row(&RawRow::from_record(line, &record)),
        }
    }
    let Some((checker, _)) = checker else {
        if early_errors.is_empty() {
            return Err(ImportError::Empty(NO_HEADER));
        }
        early_errors.sort_by_key(|e| e.line);
        return Err(ImportError::Invalid(early_errors));
    };
    checker.finish()
}

/// `,` by default; `;` or tab when the header line has one of those and no comma.
fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .split(['\n', '\r'])
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if header.contains(',') {
        return b',';
    }
    let semis = header.matches(';').count();
    let tabs = header.matches('\t').count();
    if semis > 0 && semis >= tabs {
        b';'
    } else if tabs > 0 {
        b'\t'
    } else {
        b','
    }
}

fn slice(text: &str, start: u64, end: u64) -> &str {
    let (start, end) = (start as usize, (end as usize).min(text.len()));
    text.get(start..end).unwrap_or("")
}

/// Byte offsets where physical lines start (after `\n`, `\r\n` or a lone `\r`).
///
/// The csv crate's own `Position::line()` is not used: it is the reader's position before
/// skipped blank lines, and with CRLF endings it lags a line behind.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0];
        // memchr finds the line-ending bytes many at a time, rather than testing every byte.
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            let breaks = b[i] == b'\n' || b.get(i + 1) != Some(&b'\n');
            if breaks {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// The line a record starts on, given where the reader stood before it: line endings and
    /// blank lines the reader skips are stepped over first.
    fn record_line(&self, text: &str, at: u64) -> usize {
        let at = (at as usize).min(text.len());
        let skipped = text.get(at..).map_or(0, |rest| {
            rest.len() - rest.trim_start_matches(['\r', '\n']).len()
        });
        self.line_of(at + skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<usize> {
        parse_csv_text(text)
            .unwrap()
            .rows
            .iter()
            .map(|r| r.line)
            .collect()
    }

    const HEAD: &str = "crn,name,release_date,notes";

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a,b;c\n"), b',');
        assert_eq!(detect_delimiter("\n\na;b;c\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\r\n"), b'\t');
        assert_eq!(detect_delimiter("abc"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }

    #[test]
    fn physical_lines_with_lf_crlf_and_blank_lines() {
        let lf = format!("{HEAD}\nX000001,A,2026-01-05,\n\nX000002,B,2026-01-05,\n");
        assert_eq!(lines_of(&lf), [2, 4]);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines_of(&crlf), [2, 4]);
        let cr = lf.replace('\n', "\r");
        assert_eq!(lines_of(&cr), [2, 4]);
        let leading = format!("\n\n{HEAD}\r\nX000001,A,2026-01-05,\r\n");
        assert_eq!(lines_of(&leading), [4]);
    }

    #[test]
    fn multi_line_notes_do_not_shift_later_lines() {
        let text = format!(
            "{HEAD}\r\nX000001,A,2026-01-05,\"one\r\ntwo\r\nthree\"\r\nX000002,B,2026-01-05,\r\nX000003,C,2026-13-05,\r\n"
        );
        match parse_csv_text(&text).unwrap_err() {
            ImportError::Invalid(e) => {
                assert_eq!(e.len(), 1);
                assert_eq!(e[0].line, 6, "{}", e[0]);
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn rows_of_only_delimiters_are_blank() {
        let text = format!("{HEAD}\n,,,\nX000001,A,2026-01-05,\n  ,  , ,\n");
        assert_eq!(lines_of(&text), [3]);
    }

    #[test]
    fn an_unclosed_quote_is_named() {
        let text = format!(
            "{HEAD}\nX000001,A,2026-01-05,\"oops\nX000002,B,2026-01-05,\nX000003,C,2026-01-05,\n"
        );
        let e = parse_csv_text(&text).unwrap_err();
        let ImportError::Invalid(e) = e else {
            panic!("{e}")
        };
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("never closed"), "{}", e[0]);
    }

    #[test]
    fn ragged_row_spanning_lines_hints_at_a_quote() {
        let text = format!(
            "{HEAD}\nX000001,\"A,2026-01-05,x\nX000002,B,2026-01-05,\"\nX000003,C,2026-01-05,\n"
        );
        let ImportError::Invalid(e) = parse_csv_text(&text).unwrap_err() else {
            panic!()
        };
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0]
            .message
            .starts_with("has 2 cells where the header has 4"));
        assert!(e[0].message.contains("line 3"), "{}", e[0]);
    }

    #[test]
    fn no_header_and_no_rows() {
        for text in ["", "\n\n", " , ,\n"] {
            let e = parse_csv_text(text).unwrap_err();
            assert_eq!(e.to_string(), NO_HEADER, "{text:?}");
        }
        let e = parse_csv_text(&format!("{HEAD}\n\n,,,\n")).unwrap_err();
        assert_eq!(e.to_string(), super::super::NO_ROWS);
    }
}
