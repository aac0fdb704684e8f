//! Planner work survives re-imports (DOMAIN.md §5, issue 11): the three-way merge of a file
//! with what the planner changed, end to end with the real binary on a real SQLite file, in
//! the screens, and as a property against the rule table written out plainly.
//!
//! T = Tue 1 Dec 2026. Cases are invented.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::cli::Env;
use common::{press, screen};
use proptest::prelude::*;
use releaseday::domain::case::{CasePatch, Crn, Rosh};
use releaseday::domain::fields::Field;
use releaseday::domain::marks::{column_index, FieldMarks, ALL_FIELDS};
use releaseday::io::import::ImportRow;
use releaseday::query::{unheld_errors, EditOptions, Planner, QueryError, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;
use tempfile::TempDir;

const TODAY: &str = "2026-12-01";

/// Last week's sheet: what the case-management system said then.
const WEEK1: &str = "crn,name,release_date,accommodation,dtr,officer\n\
A100001,Ann Example,2026-12-18,CAS3,NOT_SENT,Priya Shah\n\
A100002,Bob Sample,2027-01-08,NFA,NOT_SENT,Sam Ellery\n";

impl Env {
    /// A database holding last week's sheet, imported, run by Priya on T.
    fn weekly() -> Env {
        let env = Env::new().on(TODAY).user("priya");
        env.write("weekly.csv", WEEK1);
        env.import(&["weekly.csv"]);
        env
    }

    fn field(&self, crn: &str, field: &str) -> String {
        self.case(crn)[field]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn marks(&self, crn: &str) -> FieldMarks {
        let store = SqliteStore::open(&self.db()).unwrap();
        store.marks(&crn.parse().unwrap()).unwrap().unwrap()
    }

    /// (who, field, old, new, source) of every audit row about `crn`, oldest first, read from
    /// the file itself.
    /// The case's history as the screens show it, oldest first: who, field, old, new, source.
    fn audit(&self, crn: &str) -> Vec<[Option<String>; 5]> {
        let store = SqliteStore::open(&self.db()).unwrap();
        let mut rows: Vec<[Option<String>; 5]> = store
            .audit_for(&crn.parse().unwrap())
            .unwrap()
            .into_iter()
            .map(|e| [Some(e.who), Some(e.field), e.old, e.new, e.source])
            .collect();
        rows.reverse();
        rows
    }
}

fn bit(column: &str) -> u64 {
    1 << column_index(column).unwrap()
}

/// The scenario: the officer records DTR SUBMITTED and NFA; last week's sheet comes in
/// again and leaves both; this week's sheet disagrees on one, which is a conflict, and brings a
/// real change on a field no one touched, which is taken; `--prefer-file` takes the file's.
#[test]
fn the_officers_work_survives_last_weeks_sheet_and_conflicts_are_reported() {
    let env = Env::weekly();
    let out = env.ok(&["edit", "A100001", "dtr=SUBMITTED", "accommodation=NFA"]);
    assert!(out.contains("Saved A100001"), "{out}");
    let marks = env.marks("A100001");
    assert_eq!(
        marks.planner,
        bit("dtr") | bit("dtr_date") | bit("accommodation"),
        "the edit and the sent date it filled are the planner's"
    );
    assert_eq!(
        marks.last_imported(column_index("dtr").unwrap()),
        Some("NOT_SENT")
    );

    // Last week's sheet again: nothing of the officer's is undone, and nothing to report.
    let dry = env.import(&["--dry-run", "weekly.csv"]);
    assert!(
        dry.contains("would add 0 new, update 0, leave 2 unchanged, with 0 conflicts"),
        "{dry}"
    );
    assert!(!dry.contains("update A1"), "{dry}");
    let out = env.import(&["weekly.csv"]);
    assert!(
        out.contains("Imported weekly.csv: 0 new, 0 updated, 2 unchanged, 0 conflicts."),
        "{out}"
    );
    assert_eq!(env.field("A100001", "dtr"), "SUBMITTED");
    assert_eq!(env.field("A100001", "accommodation"), "NFA");

    // This week's: accommodation AP for Ann (the officer said NFA: a conflict), the DTR still
    // NOT_SENT (stale: kept quietly), and Bob's accommodation CAS3 (untouched: taken).
    env.write(
        "week2.csv",
        "crn,name,release_date,accommodation,dtr,officer\n\
         A100001,Ann Example,2026-12-18,AP,NOT_SENT,Priya Shah\n\
         A100002,Bob Sample,2027-01-08,CAS3,NOT_SENT,Jo Bloggs\n",
    );
    let conflict = "  A100001 accommodation: kept NFA (set in the planner); the file says AP\n";
    let dry = env.import(&["--dry-run", "week2.csv"]);
    assert!(
        dry.contains("would add 0 new, update 1, leave 1 unchanged, with 1 conflict."),
        "{dry}"
    );
    assert!(
        dry.contains(
            "  update A100002: officer Sam Ellery → Jo Bloggs, accommodation NFA → CAS3\n"
        ),
        "{dry}"
    );
    assert!(dry.contains(conflict), "{dry}");
    assert!(
        !dry.contains("A100001 dtr"),
        "stale is not a conflict: {dry}"
    );
    assert!(dry.contains("Nothing was written"), "{dry}");
    assert_eq!(env.field("A100002", "accommodation"), "NFA");

    let out = env.import(&["week2.csv"]);
    assert!(
        out.contains("Imported week2.csv: 0 new, 1 updated, 1 unchanged, 1 conflict."),
        "{out}"
    );
    assert!(out.contains(conflict), "{out}");
    assert!(
        out.contains("releaseday import week2.csv --prefer-file"),
        "says how to take the file's values: {out}"
    );
    assert_eq!(env.field("A100001", "accommodation"), "NFA");
    assert_eq!(env.field("A100001", "dtr"), "SUBMITTED");
    assert_eq!(env.field("A100002", "accommodation"), "CAS3");
    assert_eq!(env.field("A100002", "officer"), "Jo Bloggs");

    // The same file again still reports it: a conflict is never settled by repetition.
    let again = env.import(&["week2.csv"]);
    assert!(
        again.contains("0 updated, 2 unchanged, 1 conflict."),
        "{again}"
    );
    assert!(again.contains(conflict), "{again}");

    // --prefer-file takes the file's values wherever they differ, stale ones too.
    let dry = env.import(&["--dry-run", "--prefer-file", "week2.csv"]);
    assert!(
        dry.contains("  update A100001: accommodation NFA → AP, dtr SUBMITTED → NOT_SENT\n"),
        "{dry}"
    );
    let out = env.import(&["--prefer-file", "week2.csv"]);
    assert!(
        out.contains("0 new, 1 updated, 1 unchanged, 0 conflicts."),
        "{out}"
    );
    assert_eq!(env.field("A100001", "accommodation"), "AP");
    assert_eq!(env.field("A100001", "dtr"), "NOT_SENT");
    // Taken values are the imported ones now; only the sent date (no column) stays marked.
    let marks = env.marks("A100001");
    assert_eq!(marks.planner, bit("dtr_date"));
    assert!(marks.is_imported(column_index("accommodation").unwrap()));
}

#[test]
fn a_stale_file_never_wins_however_often_it_comes() {
    let env = Env::weekly();
    env.ok(&[
        "edit",
        "A100002",
        "accommodation=CAS3",
        "officer=Jo Bloggs",
        "dtr=SUBMITTED",
    ]);
    env.write(
        "teams.csv",
        "crn,name,release_date,team
A100002,Bob Sample,2027-01-08,North
",
    );
    for round in 0..3 {
        let out = env.import(&["weekly.csv"]);
        assert!(
            out.contains("0 updated, 2 unchanged, 0 conflicts."),
            "{round}: {out}"
        );
        // A file about other fields in between changes nothing about these.
        let out = env.import(&["teams.csv"]);
        assert!(out.contains("0 conflicts"), "{round}: {out}");
        assert_eq!(env.field("A100002", "accommodation"), "CAS3", "{round}");
        assert_eq!(env.field("A100002", "officer"), "Jo Bloggs", "{round}");
        assert_eq!(env.field("A100002", "dtr"), "SUBMITTED", "{round}");
        assert_eq!(env.field("A100002", "team"), "North", "{round}");
    }
    // The officer moves on again; last week's sheet still says what it said: still stale.
    env.ok(&["edit", "A100002", "dtr=ACCEPTED"]);
    let out = env.import(&["weekly.csv"]);
    assert!(
        out.contains("0 updated, 2 unchanged, 0 conflicts."),
        "{out}"
    );
    assert_eq!(env.field("A100002", "dtr"), "ACCEPTED");
}

#[test]
fn the_file_catching_up_clears_the_mark_and_its_next_change_is_an_update() {
    let env = Env::weekly();
    env.ok(&["edit", "A100001", "dtr=SUBMITTED"]);
    let dtr = column_index("dtr").unwrap();
    assert!(env.marks("A100001").is_planner(dtr));

    env.write(
        "caught-up.csv",
        "crn,name,release_date,dtr\nA100001,Ann Example,2026-12-18,SUBMITTED\n",
    );
    let out = env.import(&["caught-up.csv"]);
    assert!(
        out.contains("0 updated, 1 unchanged, 0 conflicts."),
        "{out}"
    );
    let marks = env.marks("A100001");
    assert!(
        !marks.is_planner(dtr) && marks.is_imported(dtr),
        "{marks:?}"
    );
    assert_eq!(marks.base(dtr), None);

    env.write(
        "later.csv",
        "crn,name,release_date,dtr\nA100001,Ann Example,2026-12-18,ACCEPTED\n",
    );
    let out = env.import(&["later.csv"]);
    assert!(out.contains("1 updated"), "{out}");
    assert!(out.contains("0 conflicts"), "{out}");
    assert_eq!(env.field("A100001", "dtr"), "ACCEPTED");
    // And now last week's sheet is a real change again: the planner's mark went with the file.
    let out = env.import(&["weekly.csv"]);
    assert!(out.contains("1 updated"), "{out}");
    assert_eq!(env.field("A100001", "dtr"), "NOT_SENT");
}

#[test]
fn a_field_the_file_never_brought_conflicts_once_the_planner_set_it() {
    let env = Env::weekly();
    // No sheet had a notes column; the officer wrote one.
    env.ok(&["edit", "A100001", "notes=Rang the council"]);
    env.write(
        "notes.csv",
        "crn,name,release_date,notes\n\
         A100001,Ann Example,2026-12-18,Old note from the system\n\
         A100002,Bob Sample,2027-01-08,First note\n",
    );
    let out = env.import(&["notes.csv"]);
    assert!(out.contains("1 updated, 1 unchanged, 1 conflict."), "{out}");
    assert!(
        out.contains(
            "  A100001 notes: kept Rang the council (set in the planner); the file says Old \
             note from the system\n"
        ),
        "{out}"
    );
    assert_eq!(env.field("A100002", "notes"), "First note");
    let notes = column_index("notes").unwrap();
    assert!(env.marks("A100002").is_imported(notes));

    // A field the officer cleared stays clear against last week's sheet, and is reported as
    // kept blank against a file that names someone else.
    env.ok(&["edit", "A100002", "officer="]);
    let out = env.import(&["weekly.csv"]);
    assert!(out.contains("0 conflicts"), "{out}");
    assert_eq!(env.field("A100002", "officer"), "");
    env.write(
        "officer.csv",
        "crn,name,release_date,officer
A100002,Bob Sample,2027-01-08,Jo Bloggs
",
    );
    let out = env.import(&["officer.csv"]);
    assert!(
        out.contains(
            "  A100002 officer: kept it blank (cleared in the planner); the file says Jo Bloggs
"
        ),
        "{out}"
    );
}

#[test]
fn dry_run_lines_show_old_and_new_with_blanks_and_write_nothing() {
    let env = Env::weekly();
    env.write(
        "fuller.csv",
        "crn,name,release_date,accommodation,dtr,officer,team,notes\n\
         A100001,Ann Example,2026-12-18,NFA,SUBMITTED,Priya Shah,North,\n\
         A100002,Bob Sample,2027-01-08,NFA,NOT_SENT,Sam Ellery,,\n\
         A100003,Cy Invented,2027-02-15,UNKNOWN,,,,\n",
    );
    let before = env.case("A100001");
    let dry = env.import(&["--dry-run", "fuller.csv"]);
    assert!(
        dry.contains(
            "Dry run of fuller.csv: 3 rows — would add 1 new, update 1, leave 1 unchanged, \
             with 0 conflicts. Nothing was written.\n"
        ),
        "{dry}"
    );
    assert!(
        dry.contains(
            "  update A100001: team (blank) → North, accommodation CAS3 → NFA, dtr NOT_SENT → \
             SUBMITTED\n"
        ),
        "{dry}"
    );
    assert_eq!(env.case("A100001"), before);
    assert_eq!(env.marks("A100001"), {
        // What the first import brought: the sheet's six columns.
        let mut m = FieldMarks::imported(0);
        for c in ["name", "release_date", "accommodation", "dtr", "officer"] {
            m.imported |= bit(c);
        }
        m
    });
}

#[test]
fn audit_rows_an_import_writes_name_the_file() {
    let env = Env::weekly();
    env.ok(&["edit", "A100001", "dtr=SUBMITTED"]);
    env.write(
        "week2.csv",
        "crn,name,release_date,accommodation\nA100001,Ann Example,2026-12-18,LA_TEMP\n",
    );
    env.import(&["week2.csv"]);
    let s = |v: &str| Some(v.to_string());
    let rows = env.audit("A100001");
    assert_eq!(
        rows[0],
        [
            s("priya"),
            s("created"),
            None,
            None,
            s("import of weekly.csv")
        ]
    );
    assert!(
        rows.contains(&[s("priya"), s("dtr"), s("NOT_SENT"), s("SUBMITTED"), None]),
        "the planner's own edit names no file: {rows:?}"
    );
    assert_eq!(
        rows.last().unwrap(),
        &[
            s("priya"),
            s("accommodation"),
            s("CAS3"),
            s("LA_TEMP"),
            s("import of week2.csv")
        ]
    );
    // A file named by a path is named by its file name alone.
    std::fs::create_dir(env.path("exports")).unwrap();
    env.write(
        "exports/week3.csv",
        "crn,name,release_date,accommodation\nA100001,Ann Example,2026-12-18,SETTLED\n",
    );
    env.ok(&["import", env.path("exports/week3.csv").to_str().unwrap()]);
    assert_eq!(
        env.audit("A100001").last().unwrap()[4].as_deref(),
        Some("import of week3.csv")
    );
}

// ---- the query layer: a CRN not held, in a file without a name or release date ----

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

fn settings() -> Settings {
    Settings {
        who: "priya".into(),
        ..Settings::default()
    }
}

fn row(line: usize, c: &str, patch: CasePatch) -> ImportRow {
    ImportRow {
        line,
        crn: crn(c),
        patch,
    }
}

fn named(name: &str, release: NaiveDate) -> CasePatch {
    CasePatch {
        name: Some(name.into()),
        release_date: Some(release),
        ..CasePatch::default()
    }
}

#[test]
fn a_crn_not_held_without_a_name_or_release_date_is_refused_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut planner = Planner::new(
        SqliteStore::open(&tmp.path().join("x.db")).unwrap(),
        settings(),
    )
    .unwrap();
    let plan = planner
        .plan_import(
            vec![row(2, "A100001", named("Ann Example", d(2026, 12, 18)))],
            false,
        )
        .unwrap();
    planner.apply_import(&plan, "import of first.csv").unwrap();

    // A file of updates only (no name, no release date): fine for the case held, an error
    // for each of the others, and nothing written.
    let update = |accommodation: &str| CasePatch {
        accommodation: Some(accommodation.parse().unwrap()),
        ..CasePatch::default()
    };
    let only_name = CasePatch {
        name: Some("Cy Invented".into()),
        ..update("NFA")
    };
    let e = planner
        .plan_import(
            vec![
                row(2, "A100001", update("CAS3")),
                row(3, "X123456", update("NFA")),
                row(7, "X654321", only_name),
            ],
            false,
        )
        .unwrap_err();
    let QueryError::Unheld(rows) = e else {
        panic!("expected the rows not held, got {e}")
    };
    // Worded for a file with a name column and no release date column: one line a row.
    let text: Vec<String> = unheld_errors(&rows, |f| f == "name")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        text,
        [
            "line 3, column name: X123456 is not held yet, so a name and a release date are \
             needed to add it",
            "line 7: X654321 is not held, and this file has no column giving a release date to \
             add it: a file without them only updates cases already held",
        ]
    );
    assert_eq!(planner.test_store().case_count().unwrap(), 1);
    let held = planner.test_store().get(&crn("A100001")).unwrap().unwrap();
    assert_eq!(
        held.case.accommodation.as_str(),
        "UNKNOWN",
        "nothing written"
    );
}

/// End to end: a file with no name or release date column updates the cases held and refuses
/// a new CRN at its line, in one line saying what such a file can do.
#[test]
fn a_file_of_updates_only_refuses_a_crn_not_held_at_its_line() {
    let env = Env::weekly();
    env.write(
        "updates.csv",
        "crn,accommodation\nA100001,LA_TEMP\nX123456,NFA\nA100002,CAS3\n",
    );
    let out = env
        .cmd(&["import", "updates.csv"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "line 3: X123456 is not held, and this file has no column giving a name and a \
             release date to add it: a file without them only updates cases already held"
        ),
        "{err}"
    );
    assert!(
        err.contains("1 problem found"),
        "one line for the row: {err}"
    );
    // With the columns there but the cells blank, the cell is named by the file's own label.
    env.write(
        "blanks.csv",
        "CRN,Name,Release Date\nA100001,,\nX123456,,2027-01-04\n",
    );
    let err = env
        .cmd(&["import", "blanks.csv"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(
        err.contains("line 3, column B \"Name\": X123456 is not held yet, so a name is needed"),
        "{err}"
    );
    assert_eq!(
        env.field("A100001", "accommodation"),
        "CAS3",
        "nothing written"
    );
    env.write("updates.csv", "crn,accommodation\nA100001,LA_TEMP\n");
    assert!(env.import(&["updates.csv"]).contains("1 updated"));
    assert_eq!(env.field("A100001", "accommodation"), "LA_TEMP");
}

// ---- the screens: history wording, and undo keeping the marks ----

fn today() -> NaiveDate {
    d(2026, 12, 1)
}

fn clock() -> NaiveDateTime {
    today().and_hms_opt(9, 30, 0).unwrap()
}

/// The screens over a file holding Ann, imported from `weekly.csv`, then changed by
/// `week2.csv`.
fn screens(dir: &TempDir) -> App {
    let mut planner = Planner::new(
        SqliteStore::open(&dir.path().join("x.db")).unwrap(),
        settings(),
    )
    .unwrap();
    let mut first = named("Ann Example", d(2026, 12, 18));
    first.accommodation = Some("NFA".parse().unwrap());
    first.dtr = Some("NOT_SENT".parse().unwrap());
    let plan = planner
        .plan_import(vec![row(2, "A100001", first)], false)
        .unwrap();
    planner.apply_import(&plan, "import of weekly.csv").unwrap();
    let mut second = named("Ann Example", d(2026, 12, 18));
    second.accommodation = Some("CAS3".parse().unwrap());
    let plan = planner
        .plan_import(vec![row(2, "A100001", second)], false)
        .unwrap();
    planner.apply_import(&plan, "import of week2.csv").unwrap();
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

#[test]
fn the_history_says_which_import_made_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = screens(&dir);
    press(&mut a, "/ann<Enter><Enter>");
    let s = screen(&mut a, 120, 60);
    assert!(
        s.contains("priya, import of week2.csv: accommodation NFA → CAS3"),
        "{s}"
    );
    assert!(
        s.contains("priya, import of weekly.csv: case created"),
        "{s}"
    );
}

#[test]
fn undo_and_redo_in_the_screens_keep_the_marks() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = screens(&dir);
    let ann = crn("A100001");
    let imported = a.planner.test_store().marks(&ann).unwrap().unwrap();
    assert_eq!(imported.planner, 0);
    press(&mut a, "/ann<Enter>");
    // e → Duty to Refer → SUBMITTED (2nd choice): fills the sent date too.
    let n = Field::EDITABLE
        .iter()
        .position(|f| *f == Field::Dtr)
        .unwrap();
    press(&mut a, &format!("e{}<Enter>j<Enter>", "j".repeat(n)));
    let marks = a.planner.test_store().marks(&ann).unwrap().unwrap();
    assert_eq!(marks.planner, bit("dtr") | bit("dtr_date"), "{marks:?}");
    assert_eq!(
        marks.last_imported(column_index("dtr").unwrap()),
        Some("NOT_SENT")
    );

    press(&mut a, "u");
    let stored = a.planner.test_store().get(&ann).unwrap().unwrap();
    assert_eq!(stored.case.dtr.map(|s| s.as_str()), Some("NOT_SENT"));
    assert_eq!(
        a.planner.test_store().marks(&ann).unwrap().unwrap(),
        imported,
        "undone: as the import left it, so the next sheet's DTR is an update"
    );
    press(&mut a, "<C-r>");
    assert_eq!(
        a.planner.test_store().marks(&ann).unwrap().unwrap(),
        marks,
        "redone"
    );

    // Last week's sheet after the redo leaves the officer's DTR.
    let mut stale = named("Ann Example", d(2026, 12, 18));
    stale.dtr = Some("NOT_SENT".parse().unwrap());
    let plan = a
        .planner
        .plan_import(vec![row(2, "A100001", stale)], false)
        .unwrap();
    assert_eq!(plan.counts(), (0, 0, 1));
    assert!(plan.conflicts.is_empty());
}

// ---- the rule table, against a model written as DOMAIN.md §5 says it ----

/// One field as §5 describes it: the value held, the value the last import brought (`None`:
/// no import ever set it) and whether the planner changed it since.
#[derive(Debug, Clone, Default)]
struct Model {
    current: Option<String>,
    last_imported: Option<String>,
    planner_changed: bool,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Outcome {
    Nothing,
    Taken,
    Conflict,
}

impl Model {
    fn import(&mut self, cell: &Option<String>, prefer_file: bool) -> Outcome {
        let Some(v) = cell else {
            return Outcome::Nothing;
        };
        if self.current.as_ref() == Some(v) {
            // The file agrees: it is what the last import brought now, and nothing is marked.
            self.last_imported = Some(v.clone());
            self.planner_changed = false;
            return Outcome::Nothing;
        }
        if !self.planner_changed || prefer_file {
            self.current = Some(v.clone());
            self.last_imported = Some(v.clone());
            self.planner_changed = false;
            Outcome::Taken
        } else if self.last_imported.as_ref() == Some(v) {
            Outcome::Nothing
        } else {
            Outcome::Conflict
        }
    }

    fn edit(&mut self, value: &Option<String>) {
        if self.current != *value {
            self.current = value.clone();
            self.planner_changed = true;
        }
    }
}

/// The fields the property plays with (text and a code; none fills a sent date when edited).
const FIELDS: [Field; 3] = [Field::Officer, Field::Notes, Field::Rosh];

fn value(field: Field, k: u8) -> String {
    match field {
        Field::Rosh => Rosh::ALL[k as usize % 3].as_str().to_string(),
        Field::Officer => ["Priya Shah", "Sam Ellery", "Jo Bloggs"][k as usize % 3].to_string(),
        _ => ["rang council", "bed offered", "no news"][k as usize % 3].to_string(),
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// A file with each field's cell (`None`: blank).
    Import([Option<u8>; 3], bool),
    /// The planner sets one field (`None`: clears it).
    Edit(usize, Option<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    let cell = proptest::option::weighted(0.7, 0u8..3);
    prop_oneof![
        (
            proptest::array::uniform3(cell),
            proptest::bool::weighted(0.15)
        )
            .prop_map(|(cells, prefer)| Op::Import(cells, prefer)),
        (0usize..3, proptest::option::weighted(0.85, 0u8..3)).prop_map(|(f, v)| Op::Edit(f, v)),
    ]
}

fn patch_of(cells: &[Option<u8>; 3]) -> CasePatch {
    let mut patch = named("Ann Example", d(2026, 12, 18));
    for (f, cell) in FIELDS.iter().zip(cells) {
        let v = cell.map(|k| value(*f, k));
        match f {
            Field::Officer => patch.officer = v,
            Field::Notes => patch.notes = v,
            _ => patch.rosh = v.map(|v| v.parse().unwrap()),
        }
    }
    patch
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any sequence of imports and planner edits leaves each field as the rule table says, and
    /// each import reports exactly the conflicts and updates the table gives.
    #[test]
    fn imports_and_edits_follow_the_rule_table(
        first in proptest::array::uniform3(proptest::option::weighted(0.6, 0u8..3)),
        ops in proptest::collection::vec(op(), 1..14),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut planner =
            Planner::new(SqliteStore::open(&tmp.path().join("x.db")).unwrap(), settings()).unwrap();
        let ann = crn("A100001");
        let mut model: Vec<Model> = vec![Model::default(); 3];
        let plan = planner.plan_import(vec![row(2, "A100001", patch_of(&first))], false).unwrap();
        planner.apply_import(&plan, "import of first.csv").unwrap();
        for (m, f) in model.iter_mut().zip(FIELDS) {
            m.import(&first[FIELDS.iter().position(|g| *g == f).unwrap()].map(|k| value(f, k)), false);
        }
        for op in &ops {
            match op {
                Op::Import(cells, prefer) => {
                    let outcomes: Vec<Outcome> = model
                        .iter_mut()
                        .zip(FIELDS.iter().zip(cells))
                        .map(|(m, (f, cell))| m.import(&cell.map(|k| value(*f, k)), *prefer))
                        .collect();
                    let plan = planner
                        .plan_import(vec![row(2, "A100001", patch_of(cells))], *prefer)
                        .unwrap();
                    let conflicts: Vec<&str> =
                        plan.conflicts.iter().map(|c| c.conflict.field).collect();
                    let want: Vec<&str> = FIELDS
                        .iter()
                        .zip(&outcomes)
                        .filter(|(_, o)| **o == Outcome::Conflict)
                        .map(|(f, _)| f.column())
                        .collect();
                    let mut sorted = conflicts.clone();
                    sorted.sort_by_key(|c| column_index(c));
                    let mut want_sorted = want.clone();
                    want_sorted.sort_by_key(|c| column_index(c));
                    prop_assert_eq!(sorted, want_sorted, "{:?}", op);
                    let updated = outcomes.contains(&Outcome::Taken);
                    prop_assert_eq!(plan.counts(), (0, usize::from(updated), usize::from(!updated)));
                    planner.apply_import(&plan, "import of next.csv").unwrap();
                }
                Op::Edit(i, v) => {
                    let f = FIELDS[*i];
                    let text = v.map(|k| value(f, k));
                    model[*i].edit(&text);
                    let options = EditOptions {
                        sent_on: today(),
                        confirmed: true,
                        restoring: false,
                    };
                    planner
                        .edit(&ann, None, &[(f, text.unwrap_or_default())], today(), options)
                        .unwrap();
                }
            }
            let stored = planner.test_store().get(&ann).unwrap().unwrap().case;
            for (m, f) in model.iter().zip(FIELDS) {
                prop_assert_eq!(f.get(&stored), m.current.clone(), "{:?} after {:?}", f, op);
            }
            // The stored marks say what the model does.
            let marks = planner.test_store().marks(&ann).unwrap().unwrap();
            for (m, f) in model.iter().zip(FIELDS) {
                let i = column_index(f.column()).unwrap();
                prop_assert_eq!(marks.is_planner(i), m.planner_changed, "{:?}", f);
                prop_assert_eq!(marks.is_imported(i), m.last_imported.is_some(), "{:?}", f);
                if m.planner_changed {
                    prop_assert_eq!(marks.last_imported(i), m.last_imported.as_deref());
                }
            }
            prop_assert_eq!(marks.imported & !ALL_FIELDS, 0);
        }
    }
}
