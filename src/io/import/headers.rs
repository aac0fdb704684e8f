//! Header normalisation and aliases (DOMAIN.md §5).

use super::letters::column_letters;
use super::RowError;
use crate::domain::case::{clean_text, quote_token};
use crate::domain::fields::Field;

/// A column an import file may have: the key, half of a name given in two columns, or a field
/// of the field table (by its column name or an alias the table gives it, DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Column {
    Crn,
    FirstName,
    LastName,
    Field(Field),
}

impl Column {
    /// The columns that are not fields of the table.
    const SPECIAL: [Column; 3] = [Column::Crn, Column::FirstName, Column::LastName];

    /// How many columns a file can map.
    pub(crate) const COUNT: usize = Column::SPECIAL.len() + Field::ALL.len();

    /// Every column: the special ones, then the fields in column order.
    pub(crate) fn all() -> impl Iterator<Item = Column> {
        Column::SPECIAL
            .into_iter()
            .chain(Field::ALL.into_iter().map(Column::Field))
    }

    /// The canonical column name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Column::Crn => "crn",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Field(f) => f.column(),
        }
    }

    /// Its place among `all()`.
    pub(crate) fn index(self) -> usize {
        match self {
            Column::Crn => 0,
            Column::FirstName => 1,
            Column::LastName => 2,
            Column::Field(f) => Column::SPECIAL.len() + f.index() - 1,
        }
    }

    /// The column a header names, by canonical name or alias; `None` when unrecognised.
    pub(crate) fn from_header(header: &str) -> Option<Column> {
        let norm = normalise_header(header);
        Some(match norm.as_str() {
            "crn" => Column::Crn,
            "first_name" | "forename" | "forenames" | "given_name" => Column::FirstName,
            "last_name" | "surname" | "family_name" => Column::LastName,
            other => Column::Field(Field::from_header(other)?),
        })
    }
}

/// Lower-cases, trims, and folds runs of spaces, hyphens and underscores to one underscore,
/// so `Release Date` = `release-date` = `release_date`. Control characters and a stray
/// byte-order mark are dropped.
pub(crate) fn normalise_header(s: &str) -> String {
    let mut out = String::new();
    let mut pending_sep = false;
    for c in s.chars() {
        if c.is_control() || c == '\u{feff}' {
            continue;
        }
        if c.is_whitespace() || c == '-' || c == '_' {
            pending_sep = true;
            continue;
        }
        if pending_sep && !out.is_empty() {
            out.push('_');
        }
        pending_sep = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Longest header kept in `ignored_columns`, so a huge cell cannot flood a report.
const MAX_HEADER_CHARS: usize = 80;

/// Which field each column holds, and what the header row said.
#[derive(Debug, Clone)]
pub(crate) struct HeaderMap {
    /// For each column (`Column::index`), the file's column that holds it.
    slots: [Option<usize>; Column::COUNT],
    /// Canonical names of the recognised columns, in header order.
    pub found: Vec<String>,
    /// Unrecognised headers, as written (control characters removed, long ones cut short).
    pub ignored: Vec<String>,
}

impl HeaderMap {
    /// Index of the file's column holding `f`, if the file has one.
    pub(crate) fn column(&self, f: Column) -> Option<usize> {
        self.slots[f.index()]
    }

    pub(crate) fn has(&self, f: Column) -> bool {
        self.column(f).is_some()
    }
}

/// True when a header cell names the `crn` column: what makes a row the header (§5).
pub(crate) fn is_crn_header(cell: &str) -> bool {
    Column::from_header(cell) == Some(Column::Crn)
}

/// Maps a header row on `line` whose first cell is in sheet column `first_col` (0 = A). Two columns for one field, or half a name, are errors
/// on `line`; the map is usable only when there are none. Only `crn` is required: a file
/// without names or release dates updates cases already held (§5).
pub(crate) fn map_headers(
    line: usize,
    cells: &[String],
    first_col: usize,
) -> (HeaderMap, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut slots: [Option<usize>; Column::COUNT] = [None; Column::COUNT];
    let mut found = Vec::new();
    let mut ignored = Vec::new();
    let at =
        |i: usize, cell: &str| format!("{} {}", column_letters(first_col + i), quote_token(cell));
    for (i, cell) in cells.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        match Column::from_header(cell) {
            Some(f) => {
                if let Some(prev) = slots[f.index()] {
                    errors.push(RowError::new(
                        line,
                        None,
                        format!(
                            "columns {} and {} both give {}; keep only one",
                            at(prev, &cells[prev]),
                            at(i, cell),
                            f.as_str()
                        ),
                    ));
                } else {
                    slots[f.index()] = Some(i);
                    found.push(f.as_str().to_string());
                }
            }
            None => ignored.push(shorten(&clean_text(cell))),
        }
    }
    let has = |f: Column| slots[f.index()].is_some();
    // Half a name is refused rather than ignored: a first name alone cannot make a case's
    // name, and silently dropping the column would hide that the file is not what it seems.
    if !has(Column::Field(Field::Name)) {
        for (half, other) in [
            (Column::FirstName, Column::LastName),
            (Column::LastName, Column::FirstName),
        ] {
            if has(half) && !has(other) {
                errors.push(RowError::new(
                    line,
                    Some(half.as_str()),
                    format!(
                        "there is a {} column but no {} column, so no name can be made; add a {} \
                         column (or a name column), or remove this one to leave names as they are",
                        half.as_str(),
                        other.as_str(),
                        other.as_str()
                    ),
                ));
            }
        }
    }
    let map = HeaderMap {
        slots,
        found,
        ignored,
    };
    (map, errors)
}

fn shorten(s: &str) -> String {
    if s.chars().count() > MAX_HEADER_CHARS {
        let mut t: String = s.chars().take(MAX_HEADER_CHARS).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn spacing_case_and_separators_are_ignored() {
        for h in [
            "release_date",
            "Release Date",
            "release-date",
            "  RELEASE   DATE ",
            "Release_-Date",
            "\u{feff}Release Date",
        ] {
            assert_eq!(
                Column::from_header(h),
                Some(Column::Field(Field::ReleaseDate)),
                "{h:?}"
            );
        }
        assert_eq!(Column::from_header("CRN"), Some(Column::Crn));
        assert_eq!(Column::from_header("Releasedate"), None);
    }

    #[test]
    fn aliases() {
        let field = Column::Field;
        let cases = [
            ("Surname", Column::LastName),
            ("Family Name", Column::LastName),
            ("Forename", Column::FirstName),
            ("forenames", Column::FirstName),
            ("Given-Name", Column::FirstName),
            ("Establishment", field(Field::Prison)),
            ("Prison Name", field(Field::Prison)),
            ("NOMS Number", field(Field::Noms)),
            ("Prison Number", field(Field::Noms)),
            ("Prisoner Number", field(Field::Noms)),
            ("Offender Manager", field(Field::Officer)),
            ("COM", field(Field::Officer)),
            ("Practitioner", field(Field::Officer)),
            ("PDU", field(Field::Team)),
            ("RoSH Level", field(Field::Rosh)),
            ("Risk", field(Field::Rosh)),
            ("MAPPA Level", field(Field::Mappa)),
        ];
        for (h, f) in cases {
            assert_eq!(Column::from_header(h), Some(f), "{h}");
        }
    }

    #[test]
    fn every_canonical_name_maps_to_itself_in_its_own_place() {
        for (i, c) in Column::all().enumerate() {
            assert_eq!(Column::from_header(c.as_str()), Some(c));
            assert_eq!(c.index(), i);
        }
        assert_eq!(Column::all().count(), Column::COUNT);
    }

    fn errors(line: usize, cells: &[&str]) -> Vec<String> {
        let cells = strings(cells);
        let (_, e) = map_headers(line, &cells, 0);
        let labels = super::super::labels::ColumnLabels::new(line, &cells, 0);
        e.iter()
            .map(|e| e.display_with(&labels).to_string())
            .collect()
    }

    #[test]
    fn duplicate_fields_are_refused_naming_both_columns() {
        assert_eq!(
            errors(1, &["CRN", "Name", "Release Date", "risk", "RoSH"]),
            ["line 1: columns D \"risk\" and E \"RoSH\" both give rosh; keep only one"]
        );
    }

    #[test]
    fn only_crn_is_required() {
        for cells in [
            &["crn", "confirmed_day"][..],
            &["CRN", "Name"],
            &["CRN", "Release Date"],
            &["crn", "forename", "surname"],
            &["crn", "name", "forename"],
        ] {
            assert_eq!(errors(1, cells), Vec::<String>::new(), "{cells:?}");
        }
    }

    #[test]
    fn half_a_name_is_refused_at_its_column() {
        assert_eq!(
            errors(3, &["crn", "forename", "release_date"]),
            [
                "line 3, column B \"forename\": there is a first_name column but no last_name \
              column, so no name can be made; add a last_name column (or a name column), or \
              remove this one to leave names as they are"
            ]
        );
        let e = errors(1, &["Surname", "crn"]);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("line 1, column A \"Surname\": there is a last_name column but no first_name column"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn crn_alone_marks_the_header() {
        assert!(is_crn_header(" CRN "));
        assert!(is_crn_header("crn"));
        assert!(!is_crn_header("CRN list for North PDU"));
        assert!(!is_crn_header("name"));
    }

    #[test]
    fn unknown_headers_are_listed_as_written() {
        let (m, e) = map_headers(
            1,
            &strings(&[
                "CRN",
                "Forename",
                "Surname",
                "Release Date",
                "Shoe Size",
                "",
            ]),
            0,
        );
        assert!(e.is_empty());
        assert_eq!(m.found, ["crn", "first_name", "last_name", "release_date"]);
        assert_eq!(m.ignored, ["Shoe Size"]);
        assert_eq!(m.column(Column::LastName), Some(2));
        assert_eq!(m.column(Column::Field(Field::ReleaseDate)), Some(3));
    }
}
