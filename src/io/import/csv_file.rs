//! CSV files (DOMAIN.md §5): delimiter detection, the header among the first rows, physical
//! line numbers, ragged rows.

use super::headers::is_crn_header;
use super::row::RawRow;
use super::{Checker, HeaderSearch, ImportError, ParsedImport, RowError, HEADER_ROWS};

/// Parses decoded CSV text. The header is the first record, among the first `HEADER_ROWS`
/// lines, with a `crn` cell; records above it (a title, notes, ragged or not) are skipped, and
/// wholly blank rows anywhere. Every row under the header must have as many cells as it. Rows
/// are read into one reused record and checked as they come (`Checker`), not collected first.
pub(crate) fn parse_csv_text(text: &str) -> Result<ParsedImport, ImportError> {
    let lines = LineIndex::new(text);
    let (delimiter, mixed) = detect_delimiter(text, &lines);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Until the header is found, problems wait here; then the checker holds them.
    let mut early_errors = Vec::new();
    let mut search = HeaderSearch::default();
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
            None if line > HEADER_ROWS => {
                search.give_up();
                break;
            }
            None if search.is_header(line, record.iter()) => {
                let header: Vec<String> = record.iter().map(str::to_string).collect();
                let errors = std::mem::take(&mut early_errors);
                let mut c = Checker::new(line, &header, 0, errors);
                c.expect_rows(lines.count().saturating_sub(line));
                checker = Some((c, header.len()));
            }
            // A title or note above the header.
            None => {}
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
            return Err(search.failure(mixed));
        }
        return Err(ImportError::Invalid(early_errors.into()));
    };
    checker.finish()
}

/// The separator a line would be read with on its own: `,` by default; `;` or tab when the
/// line has one of those and no comma.
fn line_delimiter(line: &str) -> u8 {
    if line.contains(',') {
        return b',';
    }
    let semis = line.matches(';').count();
    let tabs = line.matches('\t').count();
    if semis > 0 && semis >= tabs {
        b';'
    } else if tabs > 0 {
        b'\t'
    } else {
        b','
    }
}

/// True when `line` split at `d` has a cell naming `crn` (quotes around cells allowed).
fn has_crn_cell(line: &str, d: u8) -> bool {
    line.split(char::from(d))
        .any(|cell| is_crn_header(cell.trim().trim_matches('"')))
}

/// The file's separator: that of the header, the first of the first `HEADER_ROWS` lines with
/// a `crn` cell when split at its own separator (`line_delimiter`); else that of the first
/// non-blank line. Also, when no line qualifies, the first line that would have a `crn` cell
/// split at another separator it holds: a header mixing separators, named in the error.
fn detect_delimiter(text: &str, lines: &LineIndex) -> (u8, Option<(usize, char, char)>) {
    let numbered = || {
        (1..=HEADER_ROWS)
            .map_while(|n| Some((n, lines.text_of(text, n)?)))
            .filter(|(_, l)| !l.trim().is_empty())
    };
    for (_, line) in numbered() {
        let d = line_delimiter(line);
        if has_crn_cell(line, d) {
            return (d, None);
        }
    }
    let first = numbered().next().map_or(b',', |(_, l)| line_delimiter(l));
    let mixed = numbered().find_map(|(n, line)| {
        let own = line_delimiter(line);
        [b',', b';', b'\t']
            .into_iter()
            .find(|&d| d != own && line.as_bytes().contains(&d) && has_crn_cell(line, d))
            .map(|d| (n, char::from(own), char::from(d)))
    });
    (first, mixed)
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

    /// How many lines the text has (a last line ending in a line break counts one more, blank).
    fn count(&self) -> usize {
        self.starts.len()
    }

    /// The text of 1-based line `n`, without its line ending, if the text has that many lines.
    fn text_of<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).copied().unwrap_or(text.len());
        Some(text.get(start..end)?.trim_end_matches(['\r', '\n']))
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
    use super::super::{Problems, NO_HEADER};
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

    fn delimiter(text: &str) -> (u8, Option<(usize, char, char)>) {
        detect_delimiter(text, &LineIndex::new(text))
    }

    #[test]
    fn delimiters() {
        assert_eq!(delimiter("crn,b;c\n"), (b',', None));
        assert_eq!(delimiter("\n\ncrn;b;c\n"), (b';', None));
        assert_eq!(delimiter("CRN\tb\tc\r\n"), (b'\t', None));
        assert_eq!(delimiter("\"CRN\";\"Name\"\r\n"), (b';', None));
        // No crn anywhere: the first non-blank line's, as before.
        assert_eq!(delimiter("a,b;c\n"), (b',', None));
        assert_eq!(delimiter("\n\na;b;c\n"), (b';', None));
        assert_eq!(delimiter("abc"), (b',', None));
        assert_eq!(delimiter(""), (b',', None));
    }

    #[test]
    fn the_header_lines_separator_wins_over_a_title_above_it() {
        // A title with commas in it (or none at all) above a semicolon header.
        assert_eq!(
            delimiter("Releases, week 48\r\n\r\nCRN;Name\r\n"),
            (b';', None)
        );
        assert_eq!(delimiter("Weekly releases\nCRN\tName\n"), (b'\t', None));
    }

    #[test]
    fn a_header_mixing_separators_is_named() {
        assert_eq!(
            delimiter("Title\ncrn;name;release_date,notes\n"),
            (b',', Some((2, ',', ';')))
        );
        let e =
            parse_csv_text("crn;name;release_date,notes\nX100001;A;2026-12-01,n\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "row 1 looks like the header but mixes separators (',' and ';'), so its columns \
             cannot be told apart; save the file with one separator"
        );
    }

    #[test]
    fn the_header_is_found_below_a_title_and_blank_rows() {
        let text = format!("Weekly releases,,\n\n{HEAD}\nX000001,A,2026-01-05,\n\nX000002,B,,\n");
        let p = parse_csv_text(&text).unwrap();
        assert_eq!(p.header_row, 3);
        assert_eq!(p.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(p.columns, ["crn", "name", "release_date", "notes"]);
        // A ragged title (one cell) and a note row above the header are no errors.
        let text = format!("Releases\r\nRun on 1 Dec,by,someone,else,entirely\r\n{HEAD}\r\nX000001,A,31/02/2026,\r\n");
        let ImportError::Invalid(problems) = parse_csv_text(&text).unwrap_err() else {
            panic!()
        };
        assert_eq!(problems.errors.len(), 1);
        assert_eq!(problems.labels.header_row(), 3);
        assert_eq!(
            problems.errors[0]
                .display_with(&problems.labels)
                .to_string(),
            "line 4, column C \"release_date\": \"31/02/2026\" is not a date: there is no day \
             31 in that month"
        );
    }

    #[test]
    fn the_header_must_be_within_the_first_ten_rows() {
        let on_row =
            |n: usize| format!("{}{HEAD}\nX000001,A,2026-01-05,\n", "title\n".repeat(n - 1));
        assert_eq!(parse_csv_text(&on_row(10)).unwrap().header_row, 10);
        let blank_rows = format!("{}{HEAD}\nX000001,A,2026-01-05,\n", "\n".repeat(9));
        assert_eq!(parse_csv_text(&blank_rows).unwrap().header_row, 10);
        let e = parse_csv_text(&on_row(11)).unwrap_err();
        assert!(matches!(e, ImportError::NoHeader(_)), "{e}");
        assert_eq!(
            e.to_string(),
            "no header row found: none of the first 10 rows has a column named CRN; the \
             header row must have one, above the cases"
        );
        let e = parse_csv_text("name,release_date\nAnn,2026-01-05\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "no CRN column: row 1 looks like the header (it has name, release_date) but none \
             of its columns is crn; every file needs a CRN column"
        );
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
            ImportError::Invalid(p) => {
                assert_eq!(p.errors.len(), 1);
                assert_eq!(p.errors[0].line, 6, "{}", p.errors[0]);
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
        let ImportError::Invalid(Problems { errors: e, .. }) = e else {
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
        let ImportError::Invalid(Problems { errors: e, .. }) = parse_csv_text(&text).unwrap_err()
        else {
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
