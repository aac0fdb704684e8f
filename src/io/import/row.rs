//! Turning one row of cells into a `CasePatch` (DOMAIN.md §5).

use super::headers::{Field, HeaderMap};
use super::RowError;
use crate::domain::case::{
    clean_text, parse_date, parse_mappa, parse_yes_no, Accommodation, ApStatus, Cas2Status,
    Cas3Status, CasePatch, Crn, CrsStatus, DtrStatus, FridayRelease, Noms, ParseError, ReleaseType,
    Rosh,
};

/// One cell as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(String),
    /// A spreadsheet error cell: its error as the spreadsheet shows it (`#N/A`, `#REF!`, …).
    Error(String),
}

/// One cell as a row hands it out, borrowed.
#[derive(Debug, Clone, Copy)]
enum CellRef<'a> {
    Text(&'a str),
    Error(&'a str),
}

/// One data row, borrowed from the reader: its line (or spreadsheet row) number and cells, in
/// header order. A CSV row is the reader's own record, reused from row to row, so reading a
/// file copies no cell it does not keep.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawRow<'a> {
    pub line: usize,
    cells: Cells<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Cells<'a> {
    Record(&'a csv::StringRecord),
    Owned(&'a [Cell]),
}

impl<'a> RawRow<'a> {
    pub(crate) fn from_record(line: usize, record: &'a csv::StringRecord) -> RawRow<'a> {
        RawRow {
            line,
            cells: Cells::Record(record),
        }
    }

    pub(crate) fn from_cells(line: usize, cells: &'a [Cell]) -> RawRow<'a> {
        RawRow {
            line,
            cells: Cells::Owned(cells),
        }
    }

    fn cell(&self, i: usize) -> Option<CellRef<'a>> {
        match self.cells {
            Cells::Record(r) => r.get(i).map(CellRef::Text),
            Cells::Owned(c) => c.get(i).map(|c| match c {
                Cell::Text(t) => CellRef::Text(t),
                Cell::Error(e) => CellRef::Error(e),
            }),
        }
    }
}

/// True when every cell is blank after trimming (error cells are not blank).
pub(crate) fn is_blank(cells: &[Cell]) -> bool {
    cells
        .iter()
        .all(|c| matches!(c, Cell::Text(t) if t.trim().is_empty()))
}

/// Reads one row's cells by field, recording problems as it goes.
struct RowReader<'a> {
    row: &'a RawRow<'a>,
    map: &'a HeaderMap,
    /// Problems found, with the index of the column each concerns (for ordering).
    errors: Vec<(usize, RowError)>,
}

/// What a cell held.
enum Value<'a> {
    /// No such column, or a blank cell.
    Blank,
    /// A spreadsheet error cell, already reported.
    Bad,
    Text(&'a str),
}

impl<'a> RowReader<'a> {
    fn error(&mut self, f: Field, message: impl Into<String>) {
        let at = self.map.column(f).unwrap_or(usize::MAX);
        self.errors
            .push((at, RowError::new(self.row.line, Some(f.as_str()), message)));
    }

    fn value(&mut self, f: Field) -> Value<'a> {
        let Some(i) = self.map.column(f) else {
            return Value::Blank;
        };
        match self.row.cell(i) {
            None => Value::Blank,
            Some(CellRef::Error(code)) => {
                self.error(f, format!("the cell holds the spreadsheet error {code}"));
                Value::Bad
            }
            Some(CellRef::Text(t)) => trimmed(t),
        }
    }

    /// An optional coded or dated field: blank → `None`; bad → reported, `None`.
    fn opt<T>(&mut self, f: Field, parse: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
        match self.value(f) {
            Value::Text(t) => match parse(t) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.error(f, e.0);
                    None
                }
            },
            Value::Blank | Value::Bad => None,
        }
    }

    /// A required field: as `opt`, but a blank cell is an error.
    fn req<T>(&mut self, f: Field, parse: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
        if let Value::Blank = self.value_peek(f) {
            self.empty(f);
            return None;
        }
        self.opt(f, parse)
    }

    /// Like `value`, without reporting an error cell (so it is reported once).
    fn value_peek(&self, f: Field) -> Value<'a> {
        match self.map.column(f).and_then(|i| self.row.cell(i)) {
            None => Value::Blank,
            Some(CellRef::Error(_)) => Value::Bad,
            Some(CellRef::Text(t)) => trimmed(t),
        }
    }

    fn empty(&mut self, f: Field) {
        let name = f.as_str();
        self.error(f, format!("the cell is empty; {name} is required"));
    }

    /// A free-text field: control characters removed and trimmed; blank → `None`.
    fn text(&mut self, f: Field) -> Option<String> {
        match self.value(f) {
            Value::Text(t) => Some(undefuse(clean_text(t))).filter(|s| !s.is_empty()),
            Value::Blank | Value::Bad => None,
        }
    }

    /// The name: `name` if given and not blank, else `first_name last_name`. Blank (no name
    /// column, or its cells empty) is `None`, which keeps a stored case's name (§5); a new
    /// case without one is refused when the rows are planned against the store. Half a name
    /// (one part given, the other empty) is an error: it cannot be a whole name, and reading
    /// it as blank would drop what the row says.
    fn name(&mut self) -> Option<String> {
        if self.map.has(Field::Name) {
            if let Some(n) = self.text(Field::Name) {
                return Some(n);
            }
        }
        if !(self.map.has(Field::FirstName) && self.map.has(Field::LastName)) {
            return None;
        }
        let first_bad = matches!(self.value_peek(Field::FirstName), Value::Bad);
        let last_bad = matches!(self.value_peek(Field::LastName), Value::Bad);
        let first = self.text(Field::FirstName);
        let last = self.text(Field::LastName);
        match (first, last) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            (None, None) => None,
            (Some(_), None) if !last_bad => {
                self.half_name(Field::LastName, Field::FirstName);
                None
            }
            (None, Some(_)) if !first_bad => {
                self.half_name(Field::FirstName, Field::LastName);
                None
            }
            _ => None,
        }
    }

    fn half_name(&mut self, empty: Field, given: Field) {
        self.error(
            empty,
            format!(
                "the cell is empty but {} is given; give both parts of the name, or neither to \
                 keep the stored name",
                given.as_str()
            ),
        );
    }
}

/// A text cell, trimmed once here (every reader of a value trims it: cleaning text, parsing a
/// code, a date or a CRN), or blank.
fn trimmed(t: &str) -> Value<'_> {
    match t.trim() {
        "" => Value::Blank,
        t => Value::Text(t),
    }
}

/// Parses one row: its CRN if that cell is good (so duplicates are found even in bad rows), and
/// its patch if the whole row is good. Every problem in the row goes onto `errors`, in column
/// order.
pub(crate) fn parse_row(
    row: &RawRow<'_>,
    map: &HeaderMap,
    errors: &mut Vec<RowError>,
) -> (Option<Crn>, Option<CasePatch>) {
    let mut r = RowReader {
        row,
        map,
        errors: Vec::new(),
    };
    let crn = r.req(Field::Crn, |s| s.parse::<Crn>());
    let name = r.name();
    let patch = CasePatch {
        name,
        noms: r.opt(Field::Noms, |s| s.parse::<Noms>()),
        prison: r.text(Field::Prison),
        officer: r.text(Field::Officer),
        team: r.text(Field::Team),
        rosh: r.opt(Field::Rosh, |s| s.parse::<Rosh>()),
        mappa: r.opt(Field::Mappa, parse_mappa),
        release_date: r.opt(Field::ReleaseDate, parse_date),
        release_type: r.opt(Field::ReleaseType, |s| s.parse::<ReleaseType>()),
        accommodation: r.opt(Field::Accommodation, |s| s.parse::<Accommodation>()),
        dtr: r.opt(Field::Dtr, |s| s.parse::<DtrStatus>()),
        dtr_date: r.opt(Field::DtrDate, parse_date),
        crs: r.opt(Field::Crs, |s| s.parse::<CrsStatus>()),
        cas3: r.opt(Field::Cas3, |s| s.parse::<Cas3Status>()),
        ap: r.opt(Field::Ap, |s| s.parse::<ApStatus>()),
        ap_required: r.opt(Field::ApRequired, parse_yes_no),
        cas2: r.opt(Field::Cas2, |s| s.parse::<Cas2Status>()),
        friday_release: r.opt(Field::FridayRelease, |s| s.parse::<FridayRelease>()),
        confirmed_day: r.opt(Field::ConfirmedDay, parse_date),
        notes: r.text(Field::Notes),
        crs_date: r.opt(Field::CrsDate, parse_date),
        cas3_date: r.opt(Field::Cas3Date, parse_date),
        ap_date: r.opt(Field::ApDate, parse_date),
        cas2_date: r.opt(Field::Cas2Date, parse_date),
    };
    // Error cells in columns we ignore are not problems; those in known columns were reported.
    if r.errors.is_empty() {
        (crn, Some(patch))
    } else {
        r.errors.sort_by_key(|(at, _)| *at);
        errors.extend(r.errors.into_iter().map(|(_, e)| e));
        (crn, None)
    }
}

#[cfg(test)]
mod tests {
    use super::super::headers::map_headers;
    use super::*;
    use chrono::NaiveDate;

    fn map(headers: &[&str]) -> HeaderMap {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let (map, _, errors) = map_headers(1, &h, 0);
        assert!(errors.is_empty(), "{errors:?}");
        map
    }

    /// A row's line and cells, owned by the test.
    struct Owned(usize, Vec<Cell>);

    fn row(line: usize, cells: &[&str]) -> Owned {
        Owned(
            line,
            cells.iter().map(|s| Cell::Text(s.to_string())).collect(),
        )
    }

    fn parse(m: &HeaderMap, r: &Owned) -> Result<(Crn, CasePatch), Vec<RowError>> {
        let mut errors = Vec::new();
        match parse_row(&RawRow::from_cells(r.0, &r.1), m, &mut errors) {
            (Some(crn), Some(patch)) if errors.is_empty() => Ok((crn, patch)),
            _ => Err(errors),
        }
    }

    #[test]
    fn a_full_row() {
        let m = map(&[
            "crn",
            "name",
            "release_date",
            "noms",
            "prison",
            "officer",
            "team",
            "rosh",
            "mappa",
            "release_type",
            "accommodation",
            "dtr",
            "dtr_date",
            "crs",
            "cas3",
            "ap",
            "ap_required",
            "cas2",
            "friday_release",
            "confirmed_day",
            "notes",
        ]);
        let r = row(
            2,
            &[
                "x123456",
                " Ann  Example ",
                "24/12/2026",
                "a1234bc",
                "HMP Leeds",
                "J Smith",
                "Leeds North",
                "very high",
                "Level 2",
                "hdc",
                "nfa",
                "submitted",
                "2026-11-01",
                "live",
                "bed booked",
                "not-sent",
                "yes",
                "place offered",
                "2",
                "2026-12-23",
                "called council",
            ],
        );
        let (crn, p) = parse(&m, &r).unwrap();
        assert_eq!(crn.as_str(), "X123456");
        assert_eq!(p.name.as_deref(), Some("Ann  Example"));
        assert_eq!(p.release_date, NaiveDate::from_ymd_opt(2026, 12, 24));
        assert_eq!(p.noms.unwrap().as_str(), "A1234BC");
        assert_eq!(p.rosh, Some(Rosh::VeryHigh));
        assert_eq!(p.mappa, Some(2));
        assert_eq!(p.release_type, Some(ReleaseType::Hdc));
        assert_eq!(p.accommodation, Some(Accommodation::Nfa));
        assert_eq!(p.dtr, Some(DtrStatus::Submitted));
        assert_eq!(p.dtr_date, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(p.crs, Some(CrsStatus::Live));
        assert_eq!(p.cas3, Some(Cas3Status::BedBooked));
        assert_eq!(p.ap, Some(ApStatus::NotSent));
        assert_eq!(p.ap_required, Some(true));
        assert_eq!(p.cas2, Some(Cas2Status::PlaceOffered));
        assert_eq!(p.friday_release, Some(FridayRelease::Two));
        assert_eq!(p.confirmed_day, NaiveDate::from_ymd_opt(2026, 12, 23));
        assert_eq!(p.notes.as_deref(), Some("called council"));
        assert_eq!(p.prison.as_deref(), Some("HMP Leeds"));
        assert_eq!(p.officer.as_deref(), Some("J Smith"));
        assert_eq!(p.team.as_deref(), Some("Leeds North"));
    }

    #[test]
    fn blank_cells_and_absent_columns_are_none() {
        let m = map(&["crn", "name", "release_date", "rosh", "notes"]);
        let (_, p) = parse(&m, &row(2, &["X123456", "Ann", "2026-01-05", "  ", ""])).unwrap();
        assert_eq!(
            p,
            CasePatch {
                name: Some("Ann".into()),
                release_date: NaiveDate::from_ymd_opt(2026, 1, 5),
                ..CasePatch::default()
            }
        );
    }

    #[test]
    fn every_bad_field_in_a_row_is_reported_in_column_order() {
        let m = map(&[
            "crn",
            "name",
            "release_date",
            "rosh",
            "cas3",
            "release_type",
        ]);
        let e = parse(
            &m,
            &row(
                7,
                &["X12345", "", "12/24/2026", "extreme", "booked", "parole"],
            ),
        )
        .unwrap_err();
        let cols: Vec<_> = e.iter().map(|e| e.column.clone().unwrap()).collect();
        // A blank name is no error: it keeps a stored case's name.
        assert_eq!(
            cols,
            ["crn", "release_date", "rosh", "cas3", "release_type"]
        );
        assert!(e.iter().all(|e| e.line == 7));
        assert!(e[1].message.contains("no month 24"), "{}", e[1]);
    }

    #[test]
    fn name_from_parts_and_name_wins() {
        let m = map(&["crn", "forename", "surname", "name", "release_date"]);
        let e = parse(&m, &row(2, &["X123456", "", "Example", "", "2026-01-05"])).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "line 2, column first_name: the cell is empty but last_name is given; give both \
             parts of the name, or neither to keep the stored name"
        );
        let e = parse(&m, &row(2, &["X123456", "Ann", " ", "", ""])).unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("last_name"));
        let (_, p) = parse(
            &m,
            &row(2, &["X123456", "Ann", "Example", "", "2026-01-05"]),
        )
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("Ann Example"));
        let (_, p) = parse(
            &m,
            &row(2, &["X123456", "Ann", "Example", "Annie Ex", "2026-01-05"]),
        )
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("Annie Ex"));
        // The name given whole makes a half-given pair irrelevant.
        let (_, p) = parse(&m, &row(2, &["X123456", "Ann", "", "Annie Ex", ""])).unwrap();
        assert_eq!(p.name.as_deref(), Some("Annie Ex"));
    }

    #[test]
    fn blank_names_and_dates_keep_the_stored_values() {
        let m = map(&["crn", "forename", "surname", "name", "release_date"]);
        let (crn, p) = parse(&m, &row(2, &["X123456", "", " ", "", ""])).unwrap();
        assert_eq!(crn.as_str(), "X123456");
        assert_eq!(p, CasePatch::default());
        let m = map(&["crn", "confirmed_day"]);
        let (_, p) = parse(&m, &row(2, &["X123456", "23/12/2026"])).unwrap();
        assert_eq!(
            p,
            CasePatch {
                confirmed_day: NaiveDate::from_ymd_opt(2026, 12, 23),
                ..CasePatch::default()
            }
        );
        // The CRN is still required in every row.
        let e = parse(&m, &row(4, &[" ", "23/12/2026"])).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "line 4, column crn: the cell is empty; crn is required"
        );
    }

    #[test]
    fn control_characters_are_stripped_from_text() {
        let m = map(&["crn", "name", "release_date", "notes"]);
        let (_, p) = parse(
            &m,
            &row(
                2,
                &[
                    "X123456",
                    "Ann\u{1b}[2J Example",
                    "2026-01-05",
                    "\u{7}\u{1b}",
                ],
            ),
        )
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("Ann[2J Example"));
        assert_eq!(p.notes, None, "a note of only control characters is blank");
    }

    #[test]
    fn error_cells_are_reported_once() {
        let m = map(&["crn", "name", "release_date", "shoe size"]);
        let r = Owned(
            3,
            vec![
                Cell::Text("X123456".into()),
                Cell::Text("Ann".into()),
                Cell::Error("#N/A".into()),
                Cell::Error("#REF!".into()),
            ],
        );
        let e = parse(&m, &r).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "line 3, column release_date: the cell holds the spreadsheet error #N/A"
        );
    }
}

/// Drops the `'` our CSV export puts before text a spreadsheet would run as a formula
/// (`'=`, `'+`, `'-`, `'@`), so an export re-imports to the same values. Takes the cleaned
/// text by value: almost every cell is returned as it is, without another copy.
fn undefuse(mut s: String) -> String {
    if s.strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(['=', '+', '-', '@']))
    {
        s.remove(0);
    }
    s
}

#[cfg(test)]
mod undefuse_tests {
    #[test]
    fn export_prefix_is_dropped_on_import() {
        assert_eq!(
            super::undefuse("'=HYPERLINK(\"x\")".to_string()),
            "=HYPERLINK(\"x\")"
        );
        assert_eq!(
            super::undefuse("'- rang council".to_string()),
            "- rang council"
        );
        assert_eq!(super::undefuse("'quoted'".to_string()), "'quoted'");
        assert_eq!(super::undefuse("O'Neill".to_string()), "O'Neill");
    }
}
