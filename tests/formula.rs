//! Formula injection, end to end: text that a spreadsheet would run as a formula (`= + - @` at
//! the start of a cell) comes out of every CSV output defused with a leading `'`, and importing
//! an export gives back the text exactly as it was typed.

mod common;

use common::cli::{parse_csv, Env, TODAY};
use serde_json::Value;
const TRIGGERS: [char; 4] = ['=', '+', '-', '@'];

/// The text fields of case `i`, each starting with `c`: (name, officer, prison, team, notes).
fn texts(c: char, i: usize) -> [String; 5] {
    [
        format!("{c}Name {i}"),
        format!("{c}Officer {i}"),
        format!("{c}HMP {i}"),
        format!("{c}Team {i}"),
        format!("{c}1+1 cmd|' /C calc'!A{i}"),
    ]
}

fn crn(i: usize) -> String {
    format!("X30000{i}")
}

/// Four cases due today with nowhere to live and nothing sent, so each is in `list`, `today`
/// and `gaps`.
fn import_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "crn",
        "name",
        "officer",
        "prison",
        "team",
        "notes",
        "release_date",
        "release_type",
        "accommodation",
    ])
    .unwrap();
    for (i, c) in TRIGGERS.iter().enumerate() {
        let [name, officer, prison, team, notes] = texts(*c, i + 1);
        w.write_record([
            crn(i + 1),
            name,
            officer,
            prison,
            team,
            notes,
            TODAY.into(),
            "CRD".into(),
            "NFA".into(),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// Checks one CSV output: no cell starts a formula, and every text field of every case that the
/// output has a column for is there with a `'` in front.
fn assert_defused(what: &str, text: &str) {
    let (header, rows) = parse_csv(text);
    assert!(!rows.is_empty(), "{what}: no rows in\n{text}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: cell {cell:?} would run as a formula"
            );
        }
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let crn_col = col("crn").unwrap_or_else(|| panic!("{what}: no crn column"));
    let fields = ["name", "officer", "prison", "team", "notes"];
    let mut checked = 0;
    for (i, c) in TRIGGERS.iter().enumerate() {
        let want = texts(*c, i + 1);
        let row = rows
            .iter()
            .find(|r| r[crn_col] == crn(i + 1))
            .unwrap_or_else(|| panic!("{what}: {} missing", crn(i + 1)));
        for (field, original) in fields.iter().zip(&want) {
            if let Some(j) = col(field) {
                assert_eq!(row[j], format!("'{original}"), "{what}: {field}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 4 * 2,
        "{what}: at least the name and officer columns"
    );
}

#[test]
fn every_csv_output_defuses_formulas() {
    let env = Env::new();
    let file = env.path("in.csv");
    std::fs::write(&file, import_csv()).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("4 new"), "{out}");

    assert_defused("export", &env.ok(&["export", "--format", "csv"]));
    assert_defused("list", &env.ok(&["list", "--format", "csv"]));
    assert_defused("today", &env.ok(&["today", "--format", "csv"]));
    // The gap worklist has one row per flag: every row of a case carries the same text.
    let gaps = env.ok(&["gaps", "--format", "csv"]);
    assert_defused("gaps", &gaps);
    let (header, rows) = parse_csv(&gaps);
    let name = header.iter().position(|h| h == "name").unwrap();
    assert!(rows.iter().all(|r| r[name].starts_with('\'')), "{gaps}");

    // The export written to a file is defused the same way.
    let exported = env.path("export.csv");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        exported.to_str().unwrap(),
    ]);
    assert_defused("export file", &std::fs::read_to_string(&exported).unwrap());
}

#[test]
fn importing_an_export_restores_the_original_text() {
    let env = Env::new();
    let file = env.path("in.csv");
    std::fs::write(&file, import_csv()).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
    let exported = env.path("export.csv");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        exported.to_str().unwrap(),
    ]);

    // Into a fresh database: the stored text is what was typed, without the `'`.
    let fresh = Env::new();
    fresh.import_file(&exported);
    let list: Vec<Value> = fresh.json(&["list", "--format", "json"]);
    assert_eq!(list.len(), 4);
    for (i, c) in TRIGGERS.iter().enumerate() {
        let [name, officer, prison, team, notes] = texts(*c, i + 1);
        let v = list
            .iter()
            .find(|v| v["crn"] == crn(i + 1).as_str())
            .unwrap();
        assert_eq!(v["name"], name.as_str());
        assert_eq!(v["officer"], officer.as_str());
        assert_eq!(v["prison"], prison.as_str());
        assert_eq!(v["team"], team.as_str());
        assert_eq!(v["notes"], notes.as_str());
    }
    // And the fresh database exports exactly what the first did.
    assert_eq!(
        fresh.ok(&["export", "--format", "csv"]),
        std::fs::read_to_string(&exported).unwrap()
    );

    // Re-importing the export over the original changes nothing.
    let again = env.ok(&["import", exported.to_str().unwrap()]);
    assert!(again.contains("4 unchanged"), "{again}");
}
