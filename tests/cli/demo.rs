//! `releaseday demo`: an invented caseload, never mixed with real people.

use super::*;

#[test]
fn demo_is_deterministic_for_a_seed_and_today() {
    let a = Env::new();
    let b = Env::new();
    let out = a.ok(&["demo", "--cases", "120", "--seed", "7"]);
    assert!(out.contains("120"), "{out}");
    b.ok(&["demo", "--cases", "120", "--seed", "7"]);
    let la = a.json(&["list", "--format", "json"]);
    assert!(!la.is_empty());
    assert_eq!(la, b.json(&["list", "--format", "json"]));
    assert_eq!(
        a.ok(&["gaps", "--format", "json"]),
        b.ok(&["gaps", "--format", "json"])
    );
    // Every case is in the database, under the given --db.
    assert!(a.db().exists());
    let all = a.json(&[
        "list",
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(all.len(), 120);

    // Another seed gives another caseload.
    let c = Env::new();
    c.ok(&["demo", "--cases", "120", "--seed", "8"]);
    assert_ne!(la, c.json(&["list", "--format", "json"]));
    // Running demo again on a demo database keeps it; --reset replaces it.
    let kept = a.ok(&["demo", "--cases", "30", "--seed", "7"]);
    assert!(kept.contains("kept"), "{kept}");
    assert_eq!(la, a.json(&["list", "--format", "json"]));
    a.ok(&["demo", "--reset", "--cases", "30", "--seed", "7"]);
    let again = a.json(&[
        "list",
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(again.len(), 30);
}

#[test]
fn demo_refuses_a_database_of_real_cases() {
    let env = Env::new();
    env.import_caseload();
    let before = env.list_all();
    let err = env.fails(&["demo", "--cases", "10"]);
    assert!(err.contains("--db"), "{err}");
    assert!(err.contains("14"), "says how many cases are there: {err}");
    assert_eq!(env.list_all(), before);
}

/// Real people are never mixed with invented ones: an import (dry run or not) into a database
/// holding the demo caseload is refused whole, naming the database and what to do, and the
/// demo caseload is left as it was.
#[test]
fn an_import_into_a_demo_database_is_refused() {
    let env = Env::new();
    env.ok(&["demo", "--cases", "5", "--seed", "7"]);
    let before = env.list_all();
    let file = fixture("caseload.csv");
    let file = file.to_str().unwrap();
    for args in [vec!["import", file], vec!["import", "--dry-run", file]] {
        let err = env.fails(&args);
        assert!(err.contains("holds the invented demo caseload"), "{err}");
        assert!(err.contains("was not imported"), "{err}");
        assert!(err.contains("--db"), "says what to do: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    }
    assert_eq!(env.list_all(), before, "the demo caseload is as it was");
    // `demo --reset` still rewrites it; the file stays a demo file.
    env.ok(&["demo", "--reset", "--cases", "3", "--seed", "7"]);
    assert!(env.fails(&["import", file]).contains("demo caseload"));
}
