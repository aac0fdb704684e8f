//! `releaseday export --format csv`: every case, so it round-trips through an import.

use super::*;

/// DOMAIN.md §5's columns, then the sent dates of the other referrals (an extension); fields
/// added since follow them.
const IMPORT_COLUMNS: [&str; 25] = [
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

#[test]
fn export_round_trips_through_import() {
    let env = Env::new();
    env.import_caseload();
    let file = env.path("export.csv");
    let out = env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(out.contains("Wrote 14 cases"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    // UTF-8 with a byte-order mark, which Excel needs to read accents right.
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let (header, rows) = parse_csv(body);
    assert_eq!(header[..IMPORT_COLUMNS.len()], IMPORT_COLUMNS);
    assert_eq!(rows.len(), 14);
    // Stdout export is the same text.
    assert_eq!(env.ok(&["export", "--format", "csv"]), text);

    let other = Env::new();
    let imported = other.import_file(&file);
    assert!(imported.contains("14 new"), "{imported}");
    assert_eq!(other.list_all(), env.list_all());
    assert_eq!(
        other.ok(&["gaps", "--format", "json"]),
        env.ok(&["gaps", "--format", "json"])
    );
    // And importing the export back into the source changes nothing.
    let same = env.import_file(&file);
    assert!(same.contains("0 new, 0 updated, 14 unchanged"), "{same}");
}

#[test]
fn export_defuses_spreadsheet_formulas() {
    let env = Env::new();
    let file = env.path("notes.csv");
    std::fs::write(
        &file,
        "crn,name,release_date,notes\n\
         X700001,Ann Example,2026-11-23,=HYPERLINK(\"http://example.invalid\")\n\
         X700002,Bob Example,2026-11-23,@SUM(A1)\n\
         X700003,Cat Example,2026-11-23,Ring the council\n",
    )
    .unwrap();
    env.import_file(&file);
    let out = env.path("out.csv");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    let (crn, notes) = (column(&header, "crn"), column(&header, "notes"));
    let note = |c: &str| rows.iter().find(|r| r[crn] == c).unwrap()[notes].clone();
    assert_eq!(note("X700001"), "'=HYPERLINK(\"http://example.invalid\")");
    assert_eq!(note("X700002"), "'@SUM(A1)");
    assert_eq!(note("X700003"), "Ring the council");
    // The stored note is unchanged.
    let list = env.list_all();
    assert_eq!(
        s(by_crn(&list, "X700001"), "notes"),
        "=HYPERLINK(\"http://example.invalid\")"
    );
    // The duty sheet's CSV defuses too (all three are due today).
    let (header, rows) = parse_csv(&env.ok(&["today", "--format", "csv"]));
    let (crn, notes) = (column(&header, "crn"), column(&header, "notes"));
    let sheet_note = |c: &str| rows.iter().find(|r| r[crn] == c).unwrap()[notes].clone();
    assert_eq!(sheet_note("X700002"), "'@SUM(A1)");
}
