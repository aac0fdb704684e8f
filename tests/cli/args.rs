//! The command line itself: dates, formats, a missing file, the database file's permissions.

use super::*;

#[test]
fn today_accepts_british_dates() {
    let env = Env::new();
    env.import_caseload();
    let iso = env.ok(&["today", "--format", "json"]);
    let british = stdout_of(env.cmd_on("23/11/2026", &["today", "--format", "json"]));
    assert_eq!(iso, british);
    let list = parse_json_array(&stdout_of(
        env.cmd_on("23/11/2026", &["list", "--format", "json"]),
    ));
    assert_eq!(list.len(), 12);
}

#[test]
fn a_bad_today_is_refused_clearly() {
    let env = Env::new();
    for (bad, why) in [
        ("2026-02-30", "no day 30"),
        ("11/23/2026", "British order"),
        ("tomorrow", "YYYY-MM-DD"),
    ] {
        let out = env
            .cmd_on(bad, &["list"])
            .assert()
            .failure()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--today"), "{err}");
        assert!(err.contains(bad), "{err}");
        assert!(err.contains(why), "{bad}: {err}");
        assert!(out.stdout.is_empty());
    }
    assert!(!env.db().exists(), "nothing was opened or created");
}

#[test]
fn an_unknown_format_is_refused_by_the_parser() {
    let env = Env::new();
    for args in [
        &["list", "--format", "xml"][..],
        &["gaps", "--format", "markdown"][..],
        &["clusters", "--format", "csv"][..],
        &["today", "--format", "pdf"][..],
        &["export", "--format", "xlsx"][..],
    ] {
        let out = env
            .cmd(args)
            .assert()
            .failure()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("invalid value"), "{args:?}: {err}");
        assert!(err.contains("possible values"), "{args:?}: {err}");
    }
}

#[test]
fn a_missing_import_file_is_a_clear_failure() {
    let env = Env::new();
    let missing = env.path("nope.csv");
    let err = env.fails(&["import", missing.to_str().unwrap()]);
    assert!(err.contains("nope.csv"), "{err}");
    assert!(err.contains("was not imported"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_caseload();
    let mode = std::fs::metadata(env.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}
