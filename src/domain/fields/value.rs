//! How each type of value a case holds is read from a cell, shown as text, and stored: one
//! `FieldValue` implementation per type, shared by every field of that type in the table.

use crate::domain::codes::{
    clean_text, parse_date, parse_mappa, parse_yes_no, Code, Noms, ParseError,
};
use chrono::NaiveDate;
use std::borrow::Cow;

/// How a field is stored, whatever the engine: SQLite's TEXT / INTEGER, PostgreSQL's TEXT,
/// DATE, SMALLINT and BOOLEAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Free text or a code.
    Text,
    /// A day (`YYYY-MM-DD` where it is text).
    Date,
    /// A small whole number.
    Integer,
    /// Yes or no.
    YesNo,
}

/// One stored value, engine-neutral and borrowed: what an engine binds for a field, and what
/// it hands back when reading one. The variant is always the field's `Kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    Text(&'a str),
    Date(NaiveDate),
    Int(i64),
    Bool(bool),
}

/// A type a case field can hold.
pub trait FieldValue: Sized + Clone + PartialEq {
    /// How it is stored.
    const KIND: Kind;
    /// The values to pick from, for closed sets; `None` for free text, numbers and dates.
    const CHOICES: Option<&'static [&'static str]> = None;
    /// A value in text form that `parse` takes (tests fill every field with it).
    const EXAMPLE: &'static str;

    /// Reads a non-blank cell or typed text, as an import does: the message says what is
    /// wrong with the token, never naming a person.
    fn parse(s: &str) -> Result<Self, ParseError>;

    /// `parse` for a non-blank cell of an import file, already trimmed. Only free text
    /// differs: see `String`'s.
    fn parse_import(s: &str) -> Result<Self, ParseError> {
        Self::parse(s)
    }

    /// A value that is no value: text left empty once cleaned.
    fn is_blank(&self) -> bool {
        false
    }

    /// The text form: what an import file, the CSV export, the edit form and the audit log
    /// hold (codes as codes, dates `YYYY-MM-DD`, yes/no as `yes` or `no`).
    fn text(&self) -> Cow<'_, str>;

    /// The value as stored.
    fn cell(&self) -> Cell<'_>;

    /// The value from what is stored; `None` when it is not a value of this type (the
    /// database was damaged or edited by hand).
    fn from_cell(cell: Cell<'_>) -> Option<Self>;
}

/// Free text: control characters removed, trimmed.
impl FieldValue for String {
    const KIND: Kind = Kind::Text;
    const EXAMPLE: &'static str = "Zoë \"Example\"; ✓";

    fn parse(s: &str) -> Result<Self, ParseError> {
        Ok(clean_text(s))
    }

    /// Also drops the `'` our CSV export puts before text a spreadsheet would run as a formula,
    /// so an export re-imports to the same values.
    fn parse_import(s: &str) -> Result<Self, ParseError> {
        Ok(undefuse(clean_text(s)))
    }

    fn is_blank(&self) -> bool {
        self.is_empty()
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Text(self)
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

/// Drops the `'` the CSV export puts before `=`, `+`, `-` or `@`. Takes the cleaned text by
/// value: almost every cell is returned as it is, without another copy.
pub fn undefuse(mut s: String) -> String {
    if s.strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(['=', '+', '-', '@']))
    {
        s.remove(0);
    }
    s
}

impl FieldValue for NaiveDate {
    const KIND: Kind = Kind::Date;
    const EXAMPLE: &'static str = "2026-10-01";

    fn parse(s: &str) -> Result<Self, ParseError> {
        parse_date(s)
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Date(*self)
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Date(d) => Some(d),
            _ => None,
        }
    }
}

/// Yes or no (`yes`, `y`, `true`, `1`; `no`, `n`, `false`, `0`).
impl FieldValue for bool {
    const KIND: Kind = Kind::YesNo;
    const CHOICES: Option<&'static [&'static str]> = Some(&["yes", "no"]);
    const EXAMPLE: &'static str = "yes";

    fn parse(s: &str) -> Result<Self, ParseError> {
        parse_yes_no(s)
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "yes" } else { "no" })
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Bool(*self)
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// A MAPPA level, 0 to 3: the one number a case holds.
impl FieldValue for u8 {
    const KIND: Kind = Kind::Integer;
    const CHOICES: Option<&'static [&'static str]> = Some(&["0", "1", "2", "3"]);
    const EXAMPLE: &'static str = "2";

    fn parse(s: &str) -> Result<Self, ParseError> {
        parse_mappa(s)
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Int(i64::from(*self))
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(n @ 0..=3) => Some(n as u8),
            _ => None,
        }
    }
}

impl FieldValue for Noms {
    const KIND: Kind = Kind::Text;
    const EXAMPLE: &'static str = "A1234BC";

    fn parse(s: &str) -> Result<Self, ParseError> {
        s.parse()
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Text(self.as_str())
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// Every `Code` is a field value of kind text whose choices are its codes.
impl<T: Code> FieldValue for T {
    const KIND: Kind = Kind::Text;
    const CHOICES: Option<&'static [&'static str]> = Some(T::CODES);
    const EXAMPLE: &'static str = T::CODES[T::CODES.len() - 1];

    fn parse(s: &str) -> Result<Self, ParseError> {
        s.parse()
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.code())
    }

    fn cell(&self) -> Cell<'_> {
        Cell::Text(self.code())
    }

    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => T::from_code(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::codes::{
        Accommodation, ApStatus, Cas2Status, Cas3Status, CrsStatus, DtrStatus, FridayRelease,
        ReleaseType, Rosh,
    };

    #[test]
    fn export_prefix_is_dropped_on_import_only() {
        assert_eq!(
            String::parse_import("'=HYPERLINK(\"x\")").unwrap(),
            "=HYPERLINK(\"x\")"
        );
        assert_eq!(
            String::parse_import(" '- rang council").unwrap(),
            "- rang council"
        );
        assert_eq!(String::parse_import("'quoted'").unwrap(), "'quoted'");
        assert_eq!(String::parse_import("O'Neill").unwrap(), "O'Neill");
        assert_eq!(
            String::parse("'=1+1").unwrap(),
            "'=1+1",
            "typed text is kept"
        );
    }

    #[test]
    fn stored_values_read_back_and_strangers_do_not() {
        assert_eq!(
            DtrStatus::from_cell(Cell::Text("submitted")),
            Some(DtrStatus::Submitted),
            "a hand-edited code"
        );
        assert_eq!(DtrStatus::from_cell(Cell::Text("SENT")), None);
        assert_eq!(u8::from_cell(Cell::Int(3)), Some(3));
        assert_eq!(u8::from_cell(Cell::Int(4)), None);
        assert_eq!(
            bool::from_cell(Cell::Int(1)),
            None,
            "a yes/no is a Bool cell"
        );
        assert_eq!(
            Noms::from_cell(Cell::Text("A1234BC")).unwrap().as_str(),
            "A1234BC"
        );
        assert_eq!(Noms::from_cell(Cell::Text("A12")), None);
        assert_eq!(
            FridayRelease::from_cell(Cell::Text("2")),
            Some(FridayRelease::Two)
        );
    }

    #[test]
    fn every_example_parses_and_shows_as_itself() {
        fn check<T: FieldValue>() {
            let v = T::parse(T::EXAMPLE).unwrap();
            assert_eq!(v.text(), T::EXAMPLE);
            assert!(T::from_cell(v.cell()) == Some(v.clone()));
            if let Some(choices) = T::CHOICES {
                assert!(choices.contains(&T::EXAMPLE));
                for c in choices {
                    assert_eq!(T::parse(c).unwrap().text(), *c);
                }
            }
        }
        check::<String>();
        check::<NaiveDate>();
        check::<bool>();
        check::<u8>();
        check::<Noms>();
        check::<ReleaseType>();
        check::<Accommodation>();
        check::<Rosh>();
        check::<DtrStatus>();
        check::<CrsStatus>();
        check::<Cas3Status>();
        check::<ApStatus>();
        check::<Cas2Status>();
        check::<FridayRelease>();
    }
}
