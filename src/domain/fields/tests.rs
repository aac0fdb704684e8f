//! The field table and what is generated from it.

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::codes::*;
use crate::domain::fields::{Case, CasePatch, COLUMNS};
use chrono::NaiveDate;

fn case() -> Case {
    Case::new(
        "X300001".parse().unwrap(),
        "Field Person",
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
    )
}

#[test]
fn every_field_round_trips_through_text() {
    let mut c = case();
    let values = [
        (Field::Accommodation, "CAS3"),
        (Field::Dtr, "SUBMITTED"),
        (Field::DtrDate, "2026-11-20"),
        (Field::Crs, "LIVE"),
        (Field::CrsDate, "2026-09-01"),
        (Field::Cas3Date, "2026-10-01"),
        (Field::ApDate, "2026-08-01"),
        (Field::Cas2Date, "2026-11-01"),
        (Field::Cas3, "BED_BOOKED"),
        (Field::Ap, "SUBMITTED"),
        (Field::ApRequired, "yes"),
        (Field::Cas2, "NO_PLACE"),
        (Field::Officer, "Priya Shah"),
        (Field::ConfirmedDay, "2026-12-22"),
        (Field::FridayRelease, "2"),
        (Field::Notes, "Rang council"),
        (Field::Team, "North PDU"),
        (Field::Prison, "HMP Ashbury"),
        (Field::Rosh, "HIGH"),
        (Field::Mappa, "2"),
        (Field::Name, "Fielda Person"),
        (Field::Noms, "A1234BC"),
        (Field::ReleaseDate, "2026-12-23"),
        (Field::ReleaseType, "HDC"),
    ];
    for (f, v) in values {
        f.set(&mut c, v).unwrap();
        assert_eq!(f.get(&c).as_deref(), Some(v), "{f:?}");
        assert_eq!(Field::from_column(f.column()), Some(f));
    }
    for f in Field::EDITABLE {
        let held = f.get(&c);
        let blanked = f.set(&mut c, "  ");
        match f {
            Field::Name | Field::ReleaseDate => {
                assert!(blanked.unwrap_err().0.contains("cannot be blank"));
                assert_eq!(f.get(&c), held, "{f:?} is kept");
                continue;
            }
            _ => blanked.unwrap(),
        }
        let expect = match f {
            Field::Accommodation => Some("UNKNOWN".to_string()),
            Field::ReleaseType => Some("CRD".to_string()),
            _ => None,
        };
        assert_eq!(f.get(&c), expect, "{f:?} clears");
    }
}

#[test]
fn bad_values_are_refused_and_change_nothing() {
    let mut c = case();
    let before = c.clone();
    assert!(Field::ConfirmedDay
        .set(&mut c, "12/24/2026")
        .unwrap_err()
        .0
        .contains("no month 24"));
    assert!(Field::Cas3.set(&mut c, "BOOKED").is_err());
    assert!(Field::Mappa.set(&mut c, "4").is_err());
    assert_eq!(c, before);
    Field::Dtr.set(&mut c, "submitted").unwrap();
    assert_eq!(c.dtr, Some(DtrStatus::Submitted));
}

#[test]
fn choices_cover_the_closed_sets() {
    assert_eq!(Field::Cas3.choices().unwrap().len(), 7);
    assert!(Field::Notes.choices().is_none());
    assert!(Field::ConfirmedDay.is_date());
}

#[test]
fn sending_a_referral_fills_its_sent_date_once() {
    let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut c = case();
    Field::Dtr.set(&mut c, "SUBMITTED").unwrap();
    assert_eq!(
        Field::Dtr.fill_sent_date(None, &mut c, on),
        Some(Field::DtrDate)
    );
    assert_eq!(c.dtr_date, Some(on));
    // A date already held is the officer's: kept.
    let earlier = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    c.crs_date = Some(earlier);
    Field::Crs.set(&mut c, "LIVE").unwrap();
    assert_eq!(
        Field::Crs.fill_sent_date(Some("NOT_SENT"), &mut c, on),
        None
    );
    assert_eq!(c.crs_date, Some(earlier));
    // Later stages and other fields fill nothing.
    Field::Cas3.set(&mut c, "BED_BOOKED").unwrap();
    assert_eq!(Field::Cas3.fill_sent_date(None, &mut c, on), None);
    Field::Ap.set(&mut c, "NOT_SENT").unwrap();
    assert_eq!(Field::Ap.fill_sent_date(None, &mut c, on), None);
    assert_eq!(Field::Notes.fill_sent_date(None, &mut c, on), None);
    assert_eq!((c.cas3_date, c.ap_date), (None, None));
    Field::Cas2.set(&mut c, "SUBMITTED").unwrap();
    assert_eq!(
        Field::Cas2.fill_sent_date(Some("NOT_SENT"), &mut c, on),
        Some(Field::Cas2Date)
    );
}

#[test]
fn re_saving_sent_keeps_the_date_and_a_fresh_referral_replaces_it() {
    let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut c = case();
    // An imported SUBMITTED case with no date: saving SUBMITTED again invents no date.
    Field::Dtr.set(&mut c, "SUBMITTED").unwrap();
    assert_eq!(
        Field::Dtr.fill_sent_date(Some("SUBMITTED"), &mut c, on),
        None
    );
    assert_eq!(c.dtr_date, None);
    // Rejected, then sent again: the held date was the first referral's; today replaces it.
    let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    c.cas3_date = Some(first);
    Field::Cas3.set(&mut c, "SUBMITTED").unwrap();
    assert_eq!(
        Field::Cas3.fill_sent_date(Some("REJECTED"), &mut c, on),
        Some(Field::Cas3Date)
    );
    assert_eq!(c.cas3_date, Some(on));
    // CRS completed and made live again is a new referral too.
    c.crs_date = Some(first);
    Field::Crs.set(&mut c, "LIVE").unwrap();
    assert_eq!(
        Field::Crs.fill_sent_date(Some("COMPLETED"), &mut c, on),
        Some(Field::CrsDate)
    );
    assert_eq!(c.crs_date, Some(on));
}

fn calendar() -> Calendar {
    use crate::domain::holidays::{Division, HolidayFile};
    Calendar::new(
        HolidayFile::embedded().events(Division::EnglandAndWales),
        true,
    )
}

#[test]
fn an_edit_is_checked_as_an_officer_would_expect() {
    let cal = calendar();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let before = case();
    let check = |after: &Case| check_edit(&before, after, today, &cal);
    // A sent date after today, with the status still NOT_SENT: two reasons to refuse.
    let mut after = before.clone();
    Field::DtrDate.set(&mut after, "2026-12-20").unwrap();
    let got = check(&after);
    assert_eq!(got.refused.len(), 2, "{got:?}");
    assert!(
        got.refused[0].contains("after today (Tue 1 Dec)"),
        "{got:?}"
    );
    assert!(got.refused[1].contains("set Duty to Refer"), "{got:?}");
    // Sent yesterday, status SUBMITTED: fine.
    Field::DtrDate.set(&mut after, "2026-11-30").unwrap();
    Field::Dtr.set(&mut after, "SUBMITTED").unwrap();
    assert_eq!(check(&after), EditCheck::default());
    // Back to NOT_SENT with the date still held.
    let mut sent = before.clone();
    Field::Dtr.set(&mut sent, "SUBMITTED").unwrap();
    Field::DtrDate.set(&mut sent, "2026-11-30").unwrap();
    let mut unsent = sent.clone();
    Field::Dtr.set(&mut unsent, "NOT_SENT").unwrap();
    let got = check_edit(&sent, &unsent, today, &cal);
    assert_eq!(got.refused.len(), 1, "{got:?}");
    assert!(
        got.refused[0].contains("clear DTR date sent first"),
        "{got:?}"
    );
    // Withdrawn after it was sent keeps its date.
    Field::Dtr.set(&mut unsent, "WITHDRAWN").unwrap();
    assert!(check_edit(&sent, &unsent, today, &cal).refused.is_empty());
    // A Sunday confirmed day is asked about, a Wednesday is not.
    let mut after = before.clone();
    Field::ConfirmedDay.set(&mut after, "2027-01-10").unwrap();
    let got = check(&after);
    assert!(got.refused.is_empty());
    assert_eq!(
        got.confirm,
        ["Sun 10 Jan 2027 is not a working day (a weekend or bank holiday)"]
    );
    Field::ConfirmedDay.set(&mut after, "2026-12-23").unwrap();
    assert_eq!(check(&after), EditCheck::default());
}

#[test]
fn fields_the_edit_leaves_alone_are_not_checked() {
    let cal = calendar();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    // An import brought a future date with no status: editing the notes is still fine.
    let mut before = case();
    before.cas3_date = NaiveDate::from_ymd_opt(2027, 1, 5);
    let mut after = before.clone();
    Field::Notes.set(&mut after, "rang the council").unwrap();
    assert_eq!(
        check_edit(&before, &after, today, &cal),
        EditCheck::default()
    );
}

#[test]
fn blank_fields_keep_stored_values() {
    let date = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let mut case = Case::new("X000001".parse().unwrap(), "Ann Example", date);
    case.dtr = Some(DtrStatus::Submitted);
    case.notes = Some("called council".into());
    let patch = CasePatch {
        name: Some("Ann Example".into()),
        release_date: Some(date),
        accommodation: Some(Accommodation::Nfa),
        ..CasePatch::default()
    };
    let changes = patch.apply(&mut case);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "accommodation");
    assert_eq!(changes[0].old.as_deref(), Some("UNKNOWN"));
    assert_eq!(case.dtr, Some(DtrStatus::Submitted));
    assert_eq!(case.notes.as_deref(), Some("called council"));
    assert!(
        patch.apply(&mut case).is_empty(),
        "a second apply changes nothing"
    );
}

/// A patch setting every field of the table to its example value.
fn every_field() -> CasePatch {
    let mut patch = CasePatch::default();
    for f in Field::ALL {
        f.import(&mut patch, f.example()).unwrap();
    }
    patch
}

#[test]
fn a_new_case_is_the_blank_case_with_the_patch_applied() {
    let crn: Crn = "X000001".parse().unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let minimal = CasePatch {
        name: Some("Bo".into()),
        release_date: Some(day(1)),
        ..CasePatch::default()
    };
    let no_date = CasePatch {
        name: Some("Cy".into()),
        ..CasePatch::default()
    };
    for patch in [every_field(), minimal, no_date, CasePatch::default()] {
        let applied = match (&patch.name, patch.release_date) {
            (Some(name), Some(date)) => {
                let mut c = Case::new(crn.clone(), name.clone(), date);
                patch.apply(&mut c);
                Some(c)
            }
            _ => None,
        };
        assert_eq!(
            patch.clone().into_new_case(crn.clone()),
            applied,
            "{patch:?}"
        );
    }
    let missing: Vec<Field> = CasePatch::default().missing().collect();
    assert_eq!(missing, [Field::Name, Field::ReleaseDate]);
}

/// Released columns never move: each is a bit in every stored case's marks.
#[test]
fn released_columns_keep_their_places() {
    const RELEASED: [&str; 25] = [
        "crn",
        "name",
        "noms",
        "prison",
        "officer",
        "team",
        "rosh",
        "mappa",
        "release_date",
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
        "crs_date",
        "cas3_date",
        "ap_date",
        "cas2_date",
    ];
    assert_eq!(COLUMNS[..RELEASED.len()], RELEASED);
    for (i, f) in Field::ALL.into_iter().enumerate() {
        assert_eq!(f.index(), i + 1);
        assert_eq!(COLUMNS[f.index()], f.column());
        assert_eq!(Field::from_column(f.column()), Some(f));
        assert_eq!(f.bit(), 1 << (i + 1));
    }
}

#[test]
fn the_edit_form_lists_accommodation_work_first_and_every_field_once() {
    assert_eq!(
        Field::EDITABLE[..4],
        [Field::Accommodation, Field::Dtr, Field::DtrDate, Field::Crs]
    );
    let mut sorted = Field::EDITABLE.to_vec();
    sorted.sort_by_key(|f| f.index());
    assert_eq!(sorted, Field::ALL);
}

#[test]
fn headers_are_column_names_or_aliases() {
    assert_eq!(Field::from_header("prisoner_number"), Some(Field::Noms));
    assert_eq!(Field::from_header("com"), Some(Field::Officer));
    assert_eq!(Field::from_header("dtr_date"), Some(Field::DtrDate));
    assert_eq!(Field::from_header("crn"), None, "the key is no field");
    assert_eq!(
        Field::from_header("surname"),
        None,
        "half a name is the import's"
    );
}

#[test]
fn every_example_goes_in_and_comes_out_as_itself() {
    let patch = every_field();
    let mut c = patch
        .clone()
        .into_new_case("X000001".parse().unwrap())
        .unwrap();
    assert_eq!(patch.present().count_ones() as usize, Field::ALL.len());
    for f in Field::ALL {
        assert_eq!(f.get(&c).as_deref(), Some(f.example()), "{f:?}");
        let stored = Case::from_cells(c.crn.clone(), |g| Ok::<_, ()>(g.cell(&c)), |_| ()).unwrap();
        assert_eq!(stored, c);
        f.set(&mut c, f.example()).unwrap();
        assert!(f.with_shown(&c, |cell| cell == f.cell(&c)), "{f:?}");
    }
    // A damaged stored value names its field.
    let bad = Case::from_cells(
        c.crn.clone(),
        |g| {
            Ok(if g == Field::Rosh {
                Some(Cell::Text("SEVERE"))
            } else {
                g.cell(&c)
            })
        },
        |g| g,
    );
    assert_eq!(bad, Err(Field::Rosh));
    let blank_name = Case::from_cells(
        c.crn.clone(),
        |g| Ok(if g == Field::Name { None } else { g.cell(&c) }),
        |g| g,
    );
    assert_eq!(blank_name, Err(Field::Name));
}

#[test]
fn a_blank_reads_as_the_table_says() {
    let mut c = case();
    let shown = |c: &Case, f: Field| f.with_shown(c, |cell| format!("{cell:?}"));
    assert_eq!(shown(&c, Field::Dtr), "Some(Text(\"NOT_SENT\"))");
    assert_eq!(shown(&c, Field::ApRequired), "Some(Bool(false))");
    assert_eq!(shown(&c, Field::FridayRelease), "Some(Text(\"1\"))");
    assert_eq!(shown(&c, Field::Notes), "None");
    c.release_type = ReleaseType::Mtd;
    assert_eq!(c.friday_release(), FridayRelease::Two);
    assert_eq!(c.dtr(), DtrStatus::NotSent);
}

#[test]
fn a_diff_is_in_column_order_with_blanks_as_changes() {
    let before = case();
    let mut after = before.clone();
    after.notes = Some("rang".into());
    after.ap_required = Some(true);
    after.officer = Some("Officer".into());
    let fields: Vec<&str> = before.diff(&after).iter().map(|c| c.field).collect();
    assert_eq!(fields, ["officer", "ap_required", "notes"]);
    let back = after.diff(&before);
    assert_eq!(back[1].old.as_deref(), Some("yes"));
    assert_eq!(back[1].new, None);
}
