//! The fields of DOMAIN.md §7 and §8 after `gp` (tests/cli/gp.rs): each its line in the field
//! table and one migration per engine. Read from files under their own names and their aliases,
//! in both date orders, from CSV and XLSX; a bad value named at its line and column; edited,
//! shown in JSON, exported and re-imported unchanged, and kept by the §5 merge.

use super::*;

/// Every new field under an alias where it has one, dates in British order.
const ALIASED: &str = "crn,name,release_date,Sentence Type,Sentence Date,Parole Eligibility Date,\
Early Allocation,Recall,POM Name,Initial Appointment,Appointment Address,Licence Status,\
ID Documents,Bank Account,Benefits,GP\n\
X100001,Ann Aa,2027-06-14,indeterminate,03/02/2020,14/06/2026,no,no,Jo Bloggs,15/06/2027 09:30,\
\"1 High St, Leeds\",in progress,yes,no,yes,no\n\
X100002,Bob Bb,2027-06-15,,,,yes,,,NEXT_DAY_2PM,,SUBMITTED,,,,\n\
X100003,Cy Cc,2027-06-16,DETERMINATE,2026-09-01,,,yes,,immediate,,approved,n,y,,\n";

/// The same under the column names, dates ISO.
const NAMED: &str = "crn,name,release_date,sentence_type,sentence_start,ped,early_allocation,\
recall,pom,appointment,appointment_place,licence,id_documents,bank_account,benefits\n\
X100004,Dee Dd,2027-06-17,INDETERMINATE,2020-02-03,2026-06-14,no,no,Sam Smith,\
2027-06-18 14:00,Probation office,NOT_STARTED,yes,yes,no\n";

#[test]
fn every_field_is_read_under_its_aliases_in_both_date_orders() {
    let env = Env::new();
    env.import_csv("aliased.csv", ALIASED);
    let ann = env.case("X100001");
    assert_eq!(ann["sentence_type"], "INDETERMINATE");
    assert_eq!(ann["sentence_start"], "2020-02-03");
    assert_eq!(ann["ped"], "2026-06-14");
    assert_eq!(ann["early_allocation"], false);
    assert_eq!(ann["recall"], false);
    assert_eq!(ann["pom"], "Jo Bloggs");
    assert_eq!(ann["appointment"], "2027-06-15 09:30");
    assert_eq!(ann["appointment_place"], "1 High St, Leeds");
    assert_eq!(ann["licence"], "IN_PROGRESS");
    assert_eq!(ann["id_documents"], true);
    assert_eq!(ann["bank_account"], false);
    assert_eq!(ann["benefits"], true);
    assert_eq!(ann["gp"], false);

    // Blanks: a determinate sentence, no early allocation, no recall; the rest not known.
    let bob = env.case("X100002");
    assert_eq!(bob["sentence_type"], "DETERMINATE");
    assert_eq!(bob["early_allocation"], true);
    assert_eq!(bob["recall"], false);
    assert_eq!(bob["appointment"], "NEXT_DAY_2PM");
    for key in [
        "pom",
        "appointment_place",
        "id_documents",
        "bank_account",
        "benefits",
        "gp",
        "ped",
    ] {
        assert_eq!(bob[key], Value::Null, "{key}");
    }
    assert_eq!(bob["licence"], "SUBMITTED");

    let cy = env.case("X100003");
    assert_eq!(cy["recall"], true);
    assert_eq!(cy["appointment"], "IMMEDIATE");
    assert_eq!(cy["licence"], "APPROVED");
    assert_eq!(
        (cy["id_documents"].clone(), cy["bank_account"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );

    env.import_csv("named.csv", NAMED);
    let dee = env.case("X100004");
    assert_eq!(dee["sentence_start"], "2020-02-03");
    assert_eq!(dee["appointment"], "2027-06-18 14:00");
    assert_eq!(dee["appointment_place"], "Probation office");
    assert_eq!(dee["licence"], "NOT_STARTED");
    assert_eq!(dee["pom"], "Sam Smith");
}

#[test]
fn a_bad_value_names_its_line_and_column_and_nothing_is_written() {
    let env = Env::new();
    env.write(
        "bad.csv",
        "crn,name,release_date,sentence_type,ped,appointment,licence,recall\n\
         X100001,Ann Aa,2027-06-14,LIFE,2026-06-14,2027-06-15 09:30,APPROVED,no\n\
         X100002,Bob Bb,2027-06-15,,31/02/2026,15/06/2027,DRAFT,perhaps\n",
    );
    let err = env.fails(&["import", env.path("bad.csv").to_str().unwrap()]);
    for want in [
        "line 2, column D \"sentence_type\": \"LIFE\" is not a sentence type",
        "line 3, column E \"ped\": \"31/02/2026\" is not a date",
        "line 3, column F \"appointment\": \"15/06/2027\" is not an appointment",
        "line 3, column G \"licence\": \"DRAFT\" is not a licence status",
        "line 3, column H \"recall\": \"perhaps\" is not yes or no",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert!(env.list_all().is_empty());
}

#[test]
fn an_xlsx_appointment_cell_keeps_its_time() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let env = Env::new();
    let path = env.path("cases.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, h) in ["CRN", "Name", "Release Date", "Initial Appointment", "PED"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    let format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    sheet.write_string(1, 0, "X600001").unwrap();
    sheet.write_string(1, 1, "Una Example").unwrap();
    sheet.write_string(1, 2, "24/12/2026").unwrap();
    let at = ExcelDateTime::from_ymd(2026, 12, 24)
        .unwrap()
        .and_hms(9, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 3, &at, &format)
        .unwrap();
    sheet.write_string(1, 4, "14/06/2026").unwrap();
    book.save(&path).unwrap();
    env.import(&[path.to_str().unwrap()]);
    let una = env.case("X600001");
    assert_eq!(una["appointment"], "2026-12-24 09:30");
    assert_eq!(una["ped"], "2026-06-14");
}

#[test]
fn the_fields_are_edited_exported_round_trip_and_kept_by_a_reimport() {
    let env = Env::new();
    env.import_csv("aliased.csv", ALIASED);
    let out = env.ok(&[
        "edit",
        "X100002",
        "appointment=16/06/2027 10:15",
        "licence=APPROVED",
        "pom=Kim Lee",
        "ped=2026-12-01",
    ]);
    assert!(
        out.contains("appointment: NEXT_DAY_2PM → 2027-06-16 10:15"),
        "{out}"
    );
    assert!(out.contains("licence: SUBMITTED → APPROVED"), "{out}");
    let bob = env.case("X100002");
    assert_eq!(bob["appointment"], "2027-06-16 10:15");
    assert_eq!(bob["pom"], "Kim Lee");

    // A bad value changes nothing and says why.
    let err = env.fails(&["edit", "X100002", "appointment=soon", "licence=DRAFT"]);
    assert!(err.contains("is not an appointment"), "{err}");
    assert_eq!(env.case("X100002")["licence"], "APPROVED");

    // The officer's licence outlives the weekly file that still says SUBMITTED.
    let weekly = env.write(
        "weekly.csv",
        "crn,licence_status,initial_appointment\nX100002,SUBMITTED,NEXT_DAY_2PM\n",
    );
    let kept = env.import(&[weekly.to_str().unwrap()]);
    assert!(kept.contains("unchanged"), "{kept}");
    let bob = env.case("X100002");
    assert_eq!(bob["licence"], "APPROVED");
    assert_eq!(bob["appointment"], "2027-06-16 10:15");

    // The export carries every field and re-imports to the same values.
    let csv = env.ok(&["export", "--format", "csv"]);
    let (header, rows) = parse_csv(&csv);
    let appt = column(&header, "appointment");
    let values: Vec<&str> = rows.iter().map(|r| r[appt].as_str()).collect();
    assert_eq!(
        values,
        ["2027-06-15 09:30", "2027-06-16 10:15", "IMMEDIATE"]
    );
    for name in [
        "sentence_type",
        "sentence_start",
        "ped",
        "early_allocation",
        "recall",
        "pom",
        "appointment_place",
        "licence",
        "id_documents",
        "bank_account",
        "benefits",
    ] {
        column(&header, name);
    }
    env.write("export.csv", &csv);
    let again = env.import(&[env.path("export.csv").to_str().unwrap()]);
    assert!(again.contains("0 new, 0 updated, 3 unchanged"), "{again}");
}
