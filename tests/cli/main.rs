//! End to end: the real `releaseday` binary against a fresh temporary database (DOMAIN.md §5, §6),
//! one module per subcommand.
//!
//! Every run gets `--db <tempdir>/x.db`, a fixed `--today` (Mon 23 Nov 2026 unless a test says
//! otherwise), no `RELEASEDAY_DB` and `NO_COLOR=1`. Fixtures in `tests/fixtures/` are invented.
//!
//! `tests/fixtures/caseload.csv`, with T = Mon 23 Nov 2026 (expected days worked by hand from §1):
//!
//! | CRN     | name | due (type)        | statutory | expected | why |
//! |---------|------|-------------------|-----------|----------|-----|
//! | X100001 | Ann  | Thu 24 Dec (CRD)  | 24 Dec    | Wed 23 Dec | Fri 25 Dec is Christmas: Friday policy steps back a day. NFA, nothing sent |
//! | X100002 | Bob  | Thu 10 Dec (CRD)  | 10 Dec    | 10 Dec   | Fri 11 is a working day: no move. Settled |
//! | X100003 | Cara | Sat 5 Dec (HDC)   | Mon 7 Dec | Mon 7 Dec | HDC moves forward; no Friday policy. NFA, DTR and CRS sent, no CAS2 |
//! | X100004 | Dan  | Thu 14 Jan 2027 (CRD) | 14 Jan | 14 Jan  | AP required, not sent; accommodation AP |
//! | X100005 | Eve  | Sat 26 Dec (CRD, 26/12/2026) | Thu 24 Dec | Wed 23 Dec | back over Sat 26, Fri 25; then policy |
//! | X100006 | Fay  | Fri 11 Dec (CRD)  | 11 Dec    | Wed 9 Dec | confirmed_day 2026-12-09 wins over the policy day (Thu 10) |
//! | X100007 | Gus  | Fri 18 Dec (CRD), friday_release 2 | 18 Dec | Wed 16 Dec | policy Thu 17, one more working day |
//! | X100008 | Hal  | Fri 8 Jan 2027 (MTD) | 8 Jan  | Wed 6 Jan | blank friday_release means 2 for MTD |
//! | X100009 | Ivy  | Thu 3 Dec (CRD)   | 3 Dec     | 3 Dec    | no officer |
//! | X100010 | Jon  | Sun 22 Nov (ECSL) | 22 Nov    | Sun 22 Nov | arranged date, not moved: released yesterday, not reported |
//! | X100011 | Kim  | Mon 23 Nov (CRD)  | 23 Nov    | 23 Nov   | due today, NFA with DTR/CRS/CAS3 sent |
//! | X100012 | Lee  | Mon 23 Nov (CRD)  | 23 Nov    | 23 Nov   | due today, settled |
//! | X100013 | Max  | Mon 15 Feb 2027   | 15 Feb    | 15 Feb   | today + 12 weeks: inside the default window |
//! | X100014 | Ned  | Mon 22 Feb 2027   | 22 Feb    | 22 Feb   | today + 13 weeks: outside it |

#[path = "../common/mod.rs"]
mod common;

mod args;
mod clusters;
mod demo;
mod duty_sheet;
mod export;
mod gaps;
mod gp;
mod handovers;
mod holidays;
mod import;
mod list;
mod readiness_fields;
mod today;

pub use common::cli::{column, fixture, parse_csv, parse_json_array, s, stdout_of, Env, TODAY};
pub use serde_json::Value;
pub use std::path::Path;

impl Env {
    /// Imports `tests/fixtures/caseload.csv`, the caseload the table above describes.
    pub fn import_caseload(&self) -> String {
        self.import_file(&fixture("caseload.csv"))
    }

    /// `list --format json` over a window wide enough for every fixture case.
    pub fn list_all(&self) -> Vec<Value> {
        self.list("2026-01-01", "2027-12-31")
    }
}

pub fn by_crn<'a>(list: &'a [Value], crn: &str) -> &'a Value {
    list.iter()
        .find(|v| s(v, "crn") == crn)
        .unwrap_or_else(|| panic!("{crn} not in the list"))
}

pub fn crns(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| s(v, "crn")).collect()
}

/// Every line at most `width` characters (not bytes: "▲", "–" and "…" are one each).
pub fn assert_fits(out: &str, width: usize) {
    for line in out.lines() {
        assert!(
            line.chars().count() <= width,
            "line of {} characters (> {width}):\n{line}\n--- whole output ---\n{out}",
            line.chars().count()
        );
    }
}

pub fn assert_no_escape(out: &str) {
    assert!(!out.contains('\x1b'), "an ESC byte with NO_COLOR:\n{out}");
}
