//! `gp` (DOMAIN.md §8), the field added as the proof of the field table: its line there, a
//! migration per engine, and this test. Everything else about it (import header and aliases,
//! parser and errors, `edit`, JSON, CSV export, the §5 merge, the audit) comes from the table.

use super::*;

const FILE: &str = "crn,name,release_date,GP\n\
X100001,Ann Aa,2027-01-14,yes\n\
X100002,Bob Bb,2027-01-15,\n\
X100003,Cy Cc,2027-01-15,n\n";

fn gp_of(env: &Env, crn: &str) -> Value {
    env.case(crn)["gp"].clone()
}

#[test]
fn gp_is_read_from_a_file_yes_no_or_not_known() {
    let env = Env::new();
    env.import_csv("gp.csv", FILE);
    assert_eq!(gp_of(&env, "X100001"), Value::Bool(true));
    assert_eq!(gp_of(&env, "X100002"), Value::Null, "blank is not known");
    assert_eq!(gp_of(&env, "X100003"), Value::Bool(false));
}

#[test]
fn a_bad_gp_names_the_line_and_the_files_column_and_writes_nothing() {
    let env = Env::new();
    env.write(
        "bad.csv",
        "crn,name,release_date,GP\nX100001,Ann Aa,2027-01-14,maybe\n",
    );
    let err = env.fails(&["import", env.path("bad.csv").to_str().unwrap()]);
    assert!(
        err.contains("line 2, column D \"GP\": \"maybe\" is not yes or no"),
        "{err}"
    );
    assert!(env.list_all().is_empty());
}

#[test]
fn gp_is_edited_exported_and_kept_by_a_reimport() {
    let env = Env::new();
    env.import_csv("gp.csv", FILE);
    let out = env.ok(&["edit", "X100002", "gp=yes"]);
    assert!(out.contains("gp: blank → yes"), "{out}");
    assert_eq!(gp_of(&env, "X100002"), Value::Bool(true));

    // The officer's `yes` outlives the weekly file that says `no` (a conflict, kept) ...
    env.write(
        "weekly.csv",
        "crn,name,release_date,gp\nX100002,Bob Bb,2027-01-15,no\n",
    );
    let weekly = env.path("weekly.csv");
    let kept = env.import(&[weekly.to_str().unwrap()]);
    assert!(kept.contains("1 conflict"), "{kept}");
    assert_eq!(gp_of(&env, "X100002"), Value::Bool(true));
    // ... unless the file is preferred.
    env.import(&["--prefer-file", weekly.to_str().unwrap()]);
    assert_eq!(gp_of(&env, "X100002"), Value::Bool(false));

    // The CSV export carries it, and importing that export changes nothing.
    let csv = env.ok(&["export", "--format", "csv"]);
    let (header, rows) = parse_csv(&csv);
    let gp = column(&header, "gp");
    let values: Vec<&str> = rows.iter().map(|r| r[gp].as_str()).collect();
    assert_eq!(values, ["yes", "no", "no"]);
    env.write("export.csv", &csv);
    let again = env.import(&[env.path("export.csv").to_str().unwrap()]);
    assert!(again.contains("0 new, 0 updated, 3 unchanged"), "{again}");
}
