//! Header normalisation and aliases (DOMAIN.md §5).

use super::labels::{column_letters, ColumnLabels};
use super::RowError;
use crate::domain::case::{clean_text, quote_token};

/// A canonical import column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    Crn,
    Name,
    FirstName,
    LastName,
    ReleaseDate,
    Noms,
    Prison,
    Officer,
    Team,
    Rosh,
    Mappa,
    ReleaseType,
    Accommodation,
    Dtr,
    DtrDate,
    Crs,
    Cas3,
    Ap,
    ApRequired,
    Cas2,
    FridayRelease,
    ConfirmedDay,
    Notes,
    CrsDate,
    Cas3Date,
    ApDate,
    Cas2Date,
}

impl Field {
    pub(crate) const ALL: [Field; 27] = [
        Field::Crn,
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::ReleaseDate,
        Field::Noms,
        Field::Prison,
        Field::Officer,
        Field::Team,
        Field::Rosh,
        Field::Mappa,
        Field::ReleaseType,
        Field::Accommodation,
        Field::Dtr,
        Field::DtrDate,
        Field::Crs,
        Field::Cas3,
        Field::Ap,
        Field::ApRequired,
        Field::Cas2,
        Field::FridayRelease,
        Field::ConfirmedDay,
        Field::Notes,
        Field::CrsDate,
        Field::Cas3Date,
        Field::ApDate,
        Field::Cas2Date,
    ];

    /// The canonical column name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Field::Crn => "crn",
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::ReleaseDate => "release_date",
            Field::Noms => "noms",
            Field::Prison => "prison",
            Field::Officer => "officer",
            Field::Team => "team",
            Field::Rosh => "rosh",
            Field::Mappa => "mappa",
            Field::ReleaseType => "release_type",
            Field::Accommodation => "accommodation",
            Field::Dtr => "dtr",
            Field::DtrDate => "dtr_date",
            Field::Crs => "crs",
            Field::Cas3 => "cas3",
            Field::Ap => "ap",
            Field::ApRequired => "ap_required",
            Field::Cas2 => "cas2",
            Field::FridayRelease => "friday_release",
            Field::ConfirmedDay => "confirmed_day",
            Field::Notes => "notes",
            Field::CrsDate => "crs_date",
            Field::Cas3Date => "cas3_date",
            Field::ApDate => "ap_date",
            Field::Cas2Date => "cas2_date",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The field a header names, by canonical name or alias; `None` when unrecognised.
    pub(crate) fn from_header(header: &str) -> Option<Field> {
        let norm = normalise_header(header);
        if let Some(f) = Field::ALL.iter().find(|f| f.as_str() == norm) {
            return Some(*f);
        }
        let f = match norm.as_str() {
            "surname" | "family_name" => Field::LastName,
            "forename" | "forenames" | "given_name" => Field::FirstName,
            "establishment" | "prison_name" => Field::Prison,
            "noms_number" | "prison_number" | "prisoner_number" => Field::Noms,
            "offender_manager" | "com" | "practitioner" => Field::Officer,
            "pdu" => Field::Team,
            "rosh_level" | "risk" => Field::Rosh,
            "mappa_level" => Field::Mappa,
            _ => return None,
        };
        Some(f)
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
    /// For each field, the column index that holds it.
    slots: [Option<usize>; Field::ALL.len()],
    /// Canonical names of the recognised columns, in header order.
    pub found: Vec<String>,
    /// Unrecognised headers, as written (control characters removed, long ones cut short).
    pub ignored: Vec<String>,
}

impl HeaderMap {
    /// Index of the column holding `f`, if the file has one.
    pub(crate) fn column(&self, f: Field) -> Option<usize> {
        self.slots[f.index()]
    }

    pub(crate) fn has(&self, f: Field) -> bool {
        self.column(f).is_some()
    }
}

/// True when a header cell names the `crn` column: what makes a row the header (§5).
pub(crate) fn is_crn_header(cell: &str) -> bool {
    Field::from_header(cell) == Some(Field::Crn)
}

/// Maps a header row on `line` whose first cell is in sheet column `first_col` (0 = A), and
/// labels its columns for error messages. Two columns for one field, or half a name, are errors
/// on `line`; the map is usable only when there are none. Only `crn` is required: a file
/// without names or release dates updates cases already held (§5).
pub(crate) fn map_headers(
    line: usize,
    cells: &[String],
    first_col: usize,
) -> (HeaderMap, ColumnLabels, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut slots: [Option<usize>; Field::ALL.len()] = [None; Field::ALL.len()];
    let mut found = Vec::new();
    let mut ignored = Vec::new();
    let at =
        |i: usize, cell: &str| format!("{} {}", column_letters(first_col + i), quote_token(cell));
    for (i, cell) in cells.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        match Field::from_header(cell) {
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
    let has = |f: Field| slots[f.index()].is_some();
    // Half a name is refused rather than ignored: a first name alone cannot make a case's
    // name, and silently dropping the column would hide that the file is not what it seems.
    if !has(Field::Name) {
        for (half, other) in [
            (Field::FirstName, Field::LastName),
            (Field::LastName, Field::FirstName),
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
    let labels = ColumnLabels::new(line, cells, first_col);
    let map = HeaderMap {
        slots,
        found,
        ignored,
    };
    (map, labels, errors)
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
            assert_eq!(Field::from_header(h), Some(Field::ReleaseDate), "{h:?}");
        }
        assert_eq!(Field::from_header("CRN"), Some(Field::Crn));
        assert_eq!(Field::from_header("Releasedate"), None);
    }

    #[test]
    fn aliases() {
        let cases = [
            ("Surname", Field::LastName),
            ("Family Name", Field::LastName),
            ("Forename", Field::FirstName),
            ("forenames", Field::FirstName),
            ("Given-Name", Field::FirstName),
            ("Establishment", Field::Prison),
            ("Prison Name", Field::Prison),
            ("NOMS Number", Field::Noms),
            ("Prison Number", Field::Noms),
            ("Prisoner Number", Field::Noms),
            ("Offender Manager", Field::Officer),
            ("COM", Field::Officer),
            ("Practitioner", Field::Officer),
            ("PDU", Field::Team),
            ("RoSH Level", Field::Rosh),
            ("Risk", Field::Rosh),
            ("MAPPA Level", Field::Mappa),
        ];
        for (h, f) in cases {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
    }

    #[test]
    fn every_canonical_name_maps_to_itself() {
        for f in Field::ALL {
            assert_eq!(Field::from_header(f.as_str()), Some(f));
        }
    }

    fn errors(line: usize, cells: &[&str]) -> Vec<String> {
        let (_, labels, e) = map_headers(line, &strings(cells), 0);
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
        let (m, _, e) = map_headers(
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
        assert_eq!(m.column(Field::LastName), Some(2));
        assert_eq!(m.column(Field::ReleaseDate), Some(3));
    }
}
