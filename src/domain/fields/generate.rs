//! What the field table (`table.rs`) generates: `Case`, `CasePatch`, the `Field` enum and
//! `COLUMNS`. Read the table, not this; this file only turns each of its lines into code.
//!
//! A line reads `COLUMN Variant field: kind Type, "Label"` and then, as the field needs them:
//! `default VALUE` (kind `defaulted`: what a blank sets), `blank |case| VALUE` (kind
//! `optional`: what a blank means when read, which also makes the `case.field()` accessor),
//! `sent DateVariant when "STATUS"` (a referral status, the field holding the day it was sent
//! and the status that records it as sent) and `aliases ["header", …]` (other import headers).
//! Kinds: `required` (never blank), `optional` (`Option<Type>`), `defaulted` (a blank sets the
//! default). `Type` is any `FieldValue`.

/// The type a field has in `Case`.
macro_rules! slot_ty {
    (required $ty:ty) => { $ty };
    (optional $ty:ty) => { Option<$ty> };
    (defaulted $ty:ty) => { $ty };
}

/// A field of a case as `Option<&Type>` (`None`: blank).
macro_rules! slot_ref {
    (optional $e:expr) => {
        $e.as_ref()
    };
    ($kind:ident $e:expr) => {
        Some(&$e)
    };
}

/// Sets a field from `Option<Type>`, where `None` is blank: refused for a required field, the
/// default for a defaulted one.
macro_rules! slot_put {
    (required $place:expr, $v:expr, $f:expr, []) => {
        match $v {
            Some(v) => {
                $place = v;
                Ok::<(), ParseError>(())
            }
            None => Err($crate::domain::fields::required_blank($f)),
        }
    };
    (optional $place:expr, $v:expr, $f:expr, []) => {{
        $place = $v;
        Ok::<(), ParseError>(())
    }};
    (defaulted $place:expr, $v:expr, $f:expr, [$default:expr]) => {{
        $place = $v.unwrap_or_else(|| $default);
        Ok::<(), ParseError>(())
    }};
}

/// A field of a new case from `Option<Type>`: `None` (blank) stops the case for a required
/// field (`?`), is the default for a defaulted one.
macro_rules! slot_take {
    (required $v:expr, []) => {
        $v?
    };
    (optional $v:expr, []) => {
        $v
    };
    (defaulted $v:expr, [$default:expr]) => {
        $v.unwrap_or_else(|| $default)
    };
}

/// A field of `Case::new`: a required field is its parameter, the rest blank.
/// A field of a case read from a store: NULL is blank for an optional field, damage for the
/// others.
macro_rules! slot_stored {
    (optional $v:expr, $bad:expr) => {
        $v
    };
    ($kind:ident $v:expr, $bad:expr) => {
        match $v {
            Some(v) => v,
            None => return Err($bad),
        }
    };
}

macro_rules! slot_new {
    (required $param:ident, []) => {
        $param.into()
    };
    (optional $param:ident, []) => {
        None
    };
    (defaulted $param:ident, [$default:expr]) => {
        $default
    };
}

macro_rules! slot_required {
    (required) => {
        true
    };
    ($kind:ident) => {
        false
    };
}

/// `Some(x)` for a clause given, `None` for one left out.
macro_rules! given {
    () => { None };
    ($($x:tt)+) => { Some($($x)+) };
}

/// The value JSON and readers show: what a blank means, where the table says, else as held.
macro_rules! slot_optional {
    (optional) => {
        true
    };
    ($kind:ident) => {
        false
    };
}

macro_rules! slot_shown {
    ($c:ident, $f:ident, $field:ident, $kind:ident, []) => {
        $f(slot_ref!($kind $c.$field).map(FieldValue::cell))
    };
    ($c:ident, $f:ident, $field:ident, $kind:ident, [$blank:expr]) => {{
        let v = $c.$field();
        $f(Some(v.cell()))
    }};
}

macro_rules! case_fields {
    (
        new($($param:ident: $pty:ty),* $(,)?);
        $(
            $col:literal $Var:ident $field:ident: $kind:ident $ty:ty, $label:literal
            $(, default $default:expr)?
            $(, blank $blank:expr)?
            $(, sent $sent:ident when $sending:literal)?
            $(, aliases [$($alias:literal),* $(,)?])?
            ;
        )+
    ) => {
        /// One person's release as stored: the CRN and every field of the table (blank
        /// optional fields are `None`).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Case {
            pub crn: Crn,
            $(#[doc = $label] pub $field: slot_ty!($kind $ty),)+
        }

        /// The fields one import row (or one edit) sets. `None` leaves the stored value as it
        /// is (DOMAIN.md §5: absent column or blank cell).
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct CasePatch {
            $(#[doc = $label] pub $field: Option<$ty>,)+
        }

        /// A field of a case (every one but the CRN, which is the key).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $(#[doc = $label] $Var,)+
        }

        /// How many fields the table has.
        const FIELDS: usize = [$(stringify!($Var)),+].len();

        /// The case's columns, in the order import files, exports and the database use: the
        /// CRN, then each field at its number in the table.
        pub const COLUMNS: [&str; FIELDS + 1] = {
            let mut columns = ["crn"; FIELDS + 1];
            $(columns[$col] = stringify!($field);)+
            columns
        };

        impl Field {
            /// In table order: the order the edit form lists them.
            pub const EDITABLE: [Field; FIELDS] = [$(Field::$Var),+];

            /// In column order (`COLUMNS` without the CRN).
            pub const ALL: [Field; FIELDS] = {
                let mut all = [Field::EDITABLE[0]; FIELDS];
                $(all[$col - 1] = Field::$Var;)+
                all
            };

            /// Its place in `COLUMNS`, and so its bit in the stored marks (`domain::marks`).
            pub const fn index(self) -> usize {
                match self { $(Field::$Var => $col,)+ }
            }

            /// The column name: the import, CSV, JSON, SQL and audit name.
            pub const fn column(self) -> &'static str {
                match self { $(Field::$Var => stringify!($field),)+ }
            }

            /// What the edit form calls it.
            pub const fn label(self) -> &'static str {
                match self { $(Field::$Var => $label,)+ }
            }

            /// Other headers an import file may give it.
            pub const fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$Var => &[$($($alias),*)?],)+ }
            }

            pub const fn kind(self) -> Kind {
                match self { $(Field::$Var => <$ty as FieldValue>::KIND,)+ }
            }

            /// The values to pick from, for closed sets; `None` for free text and dates.
            pub const fn choices(self) -> Option<&'static [&'static str]> {
                match self { $(Field::$Var => <$ty as FieldValue>::CHOICES,)+ }
            }

            /// A value its parser takes, in text form.
            pub const fn example(self) -> &'static str {
                match self { $(Field::$Var => <$ty as FieldValue>::EXAMPLE,)+ }
            }

            /// Every case has it: never blank.
            pub const fn is_required(self) -> bool {
                match self { $(Field::$Var => slot_required!($kind),)+ }
            }

            /// A case may leave it blank (`Option` in `Case`); the others always hold a value.
            pub const fn is_optional(self) -> bool {
                match self { $(Field::$Var => slot_optional!($kind),)+ }
            }

            /// For a referral's status, the field holding the day it was sent.
            pub const fn sent_date(self) -> Option<Field> {
                match self { $(Field::$Var => given!($(Field::$sent)?),)+ }
            }

            /// For a referral's status, the status that records it as sent.
            pub const fn sending_status(self) -> Option<&'static str> {
                match self { $(Field::$Var => given!($($sending)?),)+ }
            }

            /// The value as text (`FieldValue::text`); `None` when blank.
            pub fn text(self, c: &Case) -> Option<std::borrow::Cow<'_, str>> {
                match self { $(Field::$Var => slot_ref!($kind c.$field).map(FieldValue::text),)+ }
            }

            /// The value as stored; `None` when blank.
            pub fn cell(self, c: &Case) -> Option<Cell<'_>> {
                match self { $(Field::$Var => slot_ref!($kind c.$field).map(FieldValue::cell),)+ }
            }

            /// Calls `f` with the value as read: what a blank means where the table says (a
            /// blank DTR status is `NOT_SENT`), the value held otherwise (`None`: blank).
            pub fn with_shown<R>(self, c: &Case, f: impl FnOnce(Option<Cell<'_>>) -> R) -> R {
                match self { $(Field::$Var => slot_shown!(c, f, $field, $kind, [$($blank)?]),)+ }
            }

            /// Sets the field from text an officer typed. Blank clears it (a defaulted field
            /// takes its default); a required field cannot be blank. A bad value is refused
            /// with the import's message and the case is left unchanged.
            pub fn set(self, c: &mut Case, text: &str) -> Result<(), ParseError> {
                let t = clean_text(text);
                match self {
                    $(Field::$Var => {
                        let v: Option<$ty> = if t.is_empty() {
                            None
                        } else {
                            Some(FieldValue::parse(&t)?)
                        };
                        slot_put!($kind c.$field, v, self, [$($default)?])
                    })+
                }
            }

            /// Sets the field of `patch` from a non-blank import cell, trimmed
            /// (`FieldValue::parse_import`). A value that cleans to nothing leaves it unset.
            pub fn import(self, patch: &mut CasePatch, cell: &str) -> Result<(), ParseError> {
                match self {
                    $(Field::$Var => {
                        let v: $ty = FieldValue::parse_import(cell)?;
                        if !v.is_blank() {
                            patch.$field = Some(v);
                        }
                    })+
                }
                Ok(())
            }

            /// Whether `patch` sets the field.
            pub fn is_set(self, patch: &CasePatch) -> bool {
                match self { $(Field::$Var => patch.$field.is_some(),)+ }
            }

            /// One field's step of `CasePatch::apply_with`.
            pub(super) fn apply(
                self,
                patch: &CasePatch,
                case: &mut Case,
                take: &mut impl FnMut(usize, &FieldChange) -> bool,
                changes: &mut Vec<FieldChange>,
            ) {
                match self {
                    $(Field::$Var => {
                        let Some(new) = &patch.$field else { return };
                        let old = slot_ref!($kind case.$field);
                        if old == Some(new) {
                            return;
                        }
                        let change = FieldChange {
                            field: stringify!($field),
                            old: old.map(|v| v.text().into_owned()),
                            new: Some(new.text().into_owned()),
                        };
                        if take($col, &change) {
                            slot_put!($kind case.$field, Some(new.clone()), self, [$($default)?])
                                .expect("a value, never blank");
                            changes.push(change);
                        }
                    })+
                }
            }

            /// This field's change from `before` to `after`, if any.
            pub(super) fn change(self, before: &Case, after: &Case) -> Option<FieldChange> {
                match self {
                    $(Field::$Var => {
                        let (old, new) = (slot_ref!($kind before.$field), slot_ref!($kind after.$field));
                        (old != new).then(|| FieldChange {
                            field: stringify!($field),
                            old: old.map(|v| v.text().into_owned()),
                            new: new.map(|v| v.text().into_owned()),
                        })
                    })+
                }
            }
        }

        const _: () = {
            let mut i = 0;
            while i < FIELDS {
                assert!(
                    Field::ALL[i].index() == i + 1,
                    "the table's column numbers must be 1, 2, 3, … each once"
                );
                i += 1;
            }
            assert!(FIELDS < 64, "a case's marks are 64-bit masks: one bit per column");
        };

        impl Case {
            /// A case with only the required fields; the rest blank (or their defaults).
            pub fn new(crn: Crn, $($param: $pty),*) -> Case {
                Case {
                    crn,
                    $($field: slot_new!($kind $field, [$($default)?]),)+
                }
            }

            /// A case from what a store holds: `cell` gives each field's stored value (`None`:
            /// NULL); a value of the wrong type, or a required field left NULL, is `bad(field)`.
            pub fn from_cells<'a, E>(
                crn: Crn,
                mut cell: impl FnMut(Field) -> Result<Option<Cell<'a>>, E>,
                bad: impl Fn(Field) -> E,
            ) -> Result<Case, E> {
                Ok(Case {
                    crn,
                    $($field: {
                        let v: Option<$ty> = match cell(Field::$Var)? {
                            None => None,
                            Some(x) => Some(
                                FieldValue::from_cell(x).ok_or_else(|| bad(Field::$Var))?,
                            ),
                        };
                        slot_stored!($kind v, bad(Field::$Var))
                    },)+
                })
            }

            $($(
                #[doc = concat!("The ", stringify!($field), " in force: a blank reads as the table says.")]
                pub fn $field(&self) -> $ty {
                    let blank: fn(&Case) -> $ty = $blank;
                    self.$field.clone().unwrap_or_else(|| blank(self))
                }
            )?)+
        }

        impl CasePatch {
            /// The new case the patch describes, its text moved rather than copied; `None`
            /// when a required field is missing.
            pub fn into_new_case(self, crn: Crn) -> Option<Case> {
                Some(Case {
                    crn,
                    $($field: slot_take!($kind self.$field, [$($default)?]),)+
                })
            }
        }
    };
}
