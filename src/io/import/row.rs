//! Turning one row of cells into a `CasePatch` (DOMAIN.md §5).

use super::headers::{Column, HeaderMap};
use super::RowError;
use crate::domain::case::{CasePatch, Crn, ParseError};
use crate::domain::fields::{Field, FieldValue};

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
    fn error(&mut self, f: Column, message: impl Into<String>) {
        let at = self.map.column(f).unwrap_or(usize::MAX);
        self.errors
            .push((at, RowError::new(self.row.line, Some(f.as_str()), message)));
    }

    fn value(&mut self, f: Column) -> Value<'a> {
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

    /// An optional value: blank → `None`; bad → reported, `None`.
    fn opt<T>(&mut self, f: Column, parse: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
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
    fn req<T>(&mut self, f: Column, parse: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
        if let Value::Blank = self.value_peek(f) {
            self.empty(f);
            return None;
        }
        self.opt(f, parse)
    }

    /// Like `value`, without reporting an error cell (so it is reported once).
    fn value_peek(&self, f: Column) -> Value<'a> {
        match self.map.column(f).and_then(|i| self.row.cell(i)) {
            None => Value::Blank,
            Some(CellRef::Error(_)) => Value::Bad,
            Some(CellRef::Text(t)) => trimmed(t),
        }
    }

    fn empty(&mut self, f: Column) {
        let name = f.as_str();
        self.error(f, format!("the cell is empty; {name} is required"));
    }

    /// Free text, as the field table reads it (`String::parse_import`: control characters
    /// removed, the export's formula guard dropped); blank → `None`.
    fn text(&mut self, f: Column) -> Option<String> {
        self.opt(f, String::parse_import).filter(|s| !s.is_blank())
    }

    /// Field `f` of the table, if the file gives it, into `patch`; a bad value is reported.
    fn field(&mut self, f: Field, patch: &mut CasePatch) {
        if let Value::Text(t) = self.value(Column::Field(f)) {
            if let Err(e) = f.import(patch, t) {
                self.error(Column::Field(f), e.0);
            }
        }
    }

    /// The name: `name` if given and not blank, else `first_name last_name`. Blank (no name
    /// column, or its cells empty) is `None`, which keeps a stored case's name (§5); a new
    /// case without one is refused when the rows are planned against the store. Half a name
    /// (one part given, the other empty) is an error: it cannot be a whole name, and reading
    /// it as blank would drop what the row says.
    fn name(&mut self) -> Option<String> {
        let name = Column::Field(Field::Name);
        if self.map.has(name) {
            if let Some(n) = self.text(name) {
                return Some(n);
            }
        }
        if !(self.map.has(Column::FirstName) && self.map.has(Column::LastName)) {
            return None;
        }
        let first_bad = matches!(self.value_peek(Column::FirstName), Value::Bad);
        let last_bad = matches!(self.value_peek(Column::LastName), Value::Bad);
        let first = self.text(Column::FirstName);
        let last = self.text(Column::LastName);
        match (first, last) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            (None, None) => None,
            (Some(_), None) if !last_bad => {
                self.half_name(Column::LastName, Column::FirstName);
                None
            }
            (None, Some(_)) if !first_bad => {
                self.half_name(Column::FirstName, Column::LastName);
                None
            }
            _ => None,
        }
    }

    fn half_name(&mut self, empty: Column, given: Column) {
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
    let crn = r.req(Column::Crn, |s| s.parse::<Crn>());
    let mut patch = CasePatch {
        name: r.name(),
        ..CasePatch::default()
    };
    for f in Field::ALL {
        if f != Field::Name {
            r.field(f, &mut patch);
        }
    }
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
    use crate::domain::case::*;
    use chrono::NaiveDate;

    fn map(headers: &[&str]) -> HeaderMap {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let (map, errors) = map_headers(1, &h, 0);
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

    /// Each field of the table is read from its own column, as the edit form reads it.
    #[test]
    fn every_field_of_the_table_is_read_from_its_column() {
        let mut headers = vec!["crn"];
        headers.extend(Field::ALL.map(Field::column));
        let m = map(&headers);
        let mut cells = vec!["X123456"];
        cells.extend(Field::ALL.map(|f| f.example()));
        let (_, p) = parse(&m, &row(2, &cells)).unwrap();
        let mut want = CasePatch::default();
        for f in Field::ALL {
            f.import(&mut want, f.example()).unwrap();
            assert!(f.is_set(&p), "{f:?}");
        }
        assert_eq!(p, want);
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
