//! The store through its interface, `CaseStore`: what the query layer relies on, whatever the
//! engine. Every test here runs once per engine (`engines!` at the foot): the SQLite file, and
//! the team database on PostgreSQL signed in as an officer (never a superuser), a fresh
//! database per test. What only one engine does (file modes, WAL, SQLite's indexes; row-level
//! security) is tested beside that engine (`tests/sqlite.rs`, `tests/pg_*.rs`).
//!
//! Where the engines differ by design, the test says so through `Engine`: the team database's
//! audit log names the signed-in role, not the `who` given; its triggers write a `created` row
//! per new case and a row per changed field (never one `replaced` row); and its cases are never
//! cleared wholesale (officers have no DELETE: released cases go by purge).

use chrono::NaiveDate;
use releaseday::domain::case::*;
use releaseday::domain::fields::Field;
use releaseday::store::*;
use std::ops::ControlFlow;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn crn(s: &str) -> Crn {
    s.parse().unwrap()
}

/// A stand-in for the domain's expected-day rule: the confirmed day, else the release date.
fn expected(c: &Case) -> NaiveDate {
    c.confirmed_day.unwrap_or(c.release_date)
}

/// How a test gets its database: a fresh one per test, and more handles onto the same one
/// (another officer's planner, another process).
trait Engine {
    fn open(&self) -> Box<dyn CaseStore>;

    /// Who the audit log names for a write made as `who`.
    fn who(&self, who: &str) -> String {
        who.to_string()
    }

    /// The team database: audited by the database, never cleared wholesale.
    fn is_team(&self) -> bool {
        false
    }
}

#[cfg(feature = "postgres")]
#[path = "common/pg.rs"]
mod pg;
#[cfg(feature = "postgres")]
#[path = "common/team_db.rs"]
mod team_db;

/// The team database: a fresh one per test on the shared throwaway server, set up by its
/// owner, used by an officer of every team signed in with a password.
#[cfg(feature = "postgres")]
struct Postgres {
    // Dropped before the officer's role, which cannot go while a database grants it something.
    team: team_db::TeamDb<'static>,
    officer: pg::Role,
}

#[cfg(feature = "postgres")]
impl Postgres {
    /// `None` (after saying why) when there is no server and none is required.
    fn new(test: &str) -> Option<Postgres> {
        let server: &'static pg::Server = Box::leak(Box::new(pg::server(test)?));
        let team = team_db::TeamDb::set_up(server, "store");
        let officer = team.officer("officer", &[]);
        Some(Postgres { team, officer })
    }
}

#[cfg(feature = "postgres")]
impl Engine for Postgres {
    fn open(&self) -> Box<dyn CaseStore> {
        use releaseday::store::postgres::{ConnSpec, Env, PgStore};
        let url = self
            .team
            .pg
            .url(&self.officer, &self.team.db, "sslmode=disable");
        let env = Env::empty("tester").with_var("PGPASSWORD", team_db::PASSWORD);
        let spec = ConnSpec::parse(&url, &env).unwrap();
        Box::new(PgStore::open(&spec).unwrap_or_else(|e| panic!("{e}")))
    }

    fn who(&self, _who: &str) -> String {
        self.officer.name.clone()
    }

    fn is_team(&self) -> bool {
        true
    }
}

/// The SQLite engine: a file in a temporary folder.
struct Sqlite {
    dir: tempfile::TempDir,
}

impl Sqlite {
    fn new() -> Sqlite {
        Sqlite {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}

impl Engine for Sqlite {
    fn open(&self) -> Box<dyn CaseStore> {
        releaseday::store::open(&self.dir.path().join("r.db")).unwrap()
    }
}

/// Every field of the table filled with a value its parser takes (its example), then a few
/// set to values that read back differently from a blank.
fn full_case() -> Case {
    let mut c = Case::new(crn("X200001"), "Zoë Invented", d(2026, 12, 24));
    for f in Field::ALL {
        f.set(&mut c, f.example()).unwrap();
    }
    c.name = "Zoë Invented".into();
    c.release_date = d(2026, 12, 24);
    c.confirmed_day = Some(d(2026, 12, 29));
    c.notes = Some("multi\nline ✓".into());
    c.ap_required = Some(false);
    c.mappa = Some(0);
    c
}

fn patch(name: &str, release_date: NaiveDate) -> CasePatch {
    CasePatch {
        name: Some(name.into()),
        release_date: Some(release_date),
        ..CasePatch::default()
    }
}

/// The cases `which` names, as the store hands them over.
fn cases(store: &dyn CaseStore, which: Cases) -> Vec<StoredCase> {
    let mut out = Vec::new();
    store
        .each_case(which, &mut |s| {
            out.push(s);
            ControlFlow::Continue(())
        })
        .unwrap();
    out
}

fn crns(v: &[StoredCase]) -> Vec<String> {
    v.iter().map(|s| s.case.crn.to_string()).collect()
}

/// Plans rows as an import of a CSV file with its header on line 1 would number them.
fn plan(store: &dyn CaseStore, rows: &[(Crn, CasePatch)]) -> ImportPlan {
    let lines = rows
        .iter()
        .enumerate()
        .map(|(i, (crn, patch))| (i + 2, crn.clone(), patch.clone()))
        .collect();
    store.plan_import(lines, false).unwrap()
}

fn a_full_and_a_minimal_case_read_back_the_same(e: &dyn Engine) {
    let full = full_case();
    let minimal = Case::new(crn("X200002"), "Min", d(2027, 2, 1));
    e.open()
        .insert_many(&[full.clone(), minimal.clone()], "t", &expected)
        .unwrap();
    let store = e.open();
    let got = store.get(&full.crn).unwrap().unwrap();
    assert_eq!(got.case, full);
    assert_eq!(got.expected_day, d(2026, 12, 29));
    assert_eq!(got.version, 1);
    assert!(chrono::DateTime::parse_from_rfc3339(&got.updated_at).is_ok());
    assert_eq!(store.get(&minimal.crn).unwrap().unwrap().case, minimal);
    assert_eq!(store.get(&crn("X299999")).unwrap(), None);
    // Yes as well as no.
    let mut yes = full.clone();
    yes.ap_required = Some(true);
    let mut store = e.open();
    store.upsert_case(&yes, "t", expected(&yes)).unwrap();
    assert_eq!(store.get(&full.crn).unwrap().unwrap().case, yes);
}

fn windows_are_inclusive_and_ordered_by_day_name_crn(e: &dyn Engine) {
    let mut store = e.open();
    let all = [
        ("X300005", "Eve", d(2026, 12, 23)),
        ("X300004", "Ann", d(2026, 12, 23)),
        ("X300003", "Ann", d(2026, 12, 23)),
        ("X300002", "Bob", d(2026, 12, 22)),
        ("X300001", "Cat", d(2026, 12, 21)),
        ("X300006", "Dan", d(2027, 1, 4)),
    ]
    .map(|(c, n, day)| Case::new(crn(c), n, day));
    store.insert_many(&all, "t", &expected).unwrap();
    let store = &*store;

    let w = cases(store, Cases::Between(d(2026, 12, 22), d(2026, 12, 23)));
    assert_eq!(crns(&w), ["X300002", "X300003", "X300004", "X300005"]);
    let w = cases(store, Cases::Between(d(2026, 12, 21), d(2026, 12, 21)));
    assert_eq!(crns(&w), ["X300001"]);
    assert!(cases(store, Cases::Between(d(2026, 12, 24), d(2027, 1, 3))).is_empty());
    let w = cases(store, Cases::From(d(2026, 12, 23)));
    assert_eq!(crns(&w), ["X300003", "X300004", "X300005", "X300006"]);
    assert_eq!(
        crns(&cases(store, Cases::All)),
        ["X300001", "X300002", "X300003", "X300004", "X300005", "X300006"]
    );
    let mut after = crns(&cases(store, Cases::After(d(2026, 12, 22))));
    after.sort();
    assert_eq!(after, ["X300003", "X300004", "X300005", "X300006"]);

    assert_eq!(store.case_count().unwrap(), 6);
    assert_eq!(
        store
            .count_expected_between(d(2026, 12, 22), d(2026, 12, 23))
            .unwrap(),
        4
    );
    assert_eq!(
        store.expected_extent().unwrap(),
        Some((d(2026, 12, 21), d(2027, 1, 4)))
    );
    assert_eq!(
        store.nth_expected_day_from(d(2026, 12, 22), 3).unwrap(),
        Some(d(2026, 12, 23))
    );
    assert_eq!(
        store.nth_expected_day_from(d(2026, 12, 22), 5).unwrap(),
        None
    );
    // A read stops when told to.
    let mut seen = 0;
    store
        .each_case(Cases::All, &mut |_| {
            seen += 1;
            ControlFlow::Break(())
        })
        .unwrap();
    assert_eq!(seen, 1);
}

fn the_flag_read_leaves_out_only_what_cannot_flag(e: &dyn Engine) {
    let mut store = e.open();
    let near = Case::new(crn("X310001"), "Near", d(2026, 12, 1));
    let mut ap = Case::new(crn("X310002"), "Ap", d(2027, 6, 1));
    ap.ap_required = Some(true);
    // An HDC case with `ap_required` blank, between the near window and the AP horizon.
    let mut hdc = Case::new(crn("X310003"), "Hdc", d(2027, 6, 1));
    hdc.release_type = ReleaseType::Hdc;
    let mut far = Case::new(crn("X310004"), "Far", d(2027, 6, 1));
    far.officer = Some("Allocated".into());
    let past = Case::new(crn("X310005"), "Past", d(2026, 11, 1));
    // No officer, released far ahead: the OMiC handover (DOMAIN.md §7) may flag it any time.
    let unallocated = Case::new(crn("X310006"), "Unallocated", d(2028, 6, 1));
    store
        .insert_many(&[near, ap, hdc, far, past, unallocated], "t", &expected)
        .unwrap();
    let which = Cases::MayFlag {
        from: d(2026, 11, 23),
        near_to: d(2027, 3, 1),
        ap_to: d(2027, 11, 23),
    };
    let mut got = crns(&cases(&*store, which));
    got.sort();
    assert_eq!(got, ["X310001", "X310002", "X310003", "X310006"]);
}

fn housing_is_read_without_whole_cases(e: &dyn Engine) {
    let mut store = e.open();
    let mut nfa = Case::new(crn("X320001"), "Nfa", d(2026, 12, 1));
    nfa.accommodation = Accommodation::Nfa;
    let mut booked = Case::new(crn("X320002"), "Booked", d(2026, 12, 1));
    booked.accommodation = Accommodation::Nfa;
    booked.cas3 = Some(Cas3Status::BedBooked);
    let later = Case::new(crn("X320003"), "Later", d(2026, 12, 9));
    store
        .insert_many(&[nfa, booked, later], "t", &expected)
        .unwrap();
    for which in [
        Cases::Between(d(2026, 12, 1), d(2026, 12, 1)),
        Cases::After(d(2026, 11, 30)),
    ] {
        let mut got = Vec::new();
        store
            .each_housing(which, &mut |day, h| {
                got.push((day, h.needs_accommodation()))
            })
            .unwrap();
        got.sort();
        let mut want = vec![(d(2026, 12, 1), false), (d(2026, 12, 1), true)];
        if let Cases::After(_) = which {
            want.push((d(2026, 12, 9), true));
        }
        assert_eq!(got, want, "{which:?}");
    }
}

fn import_plan_counts_and_audit_rows(e: &dyn Engine) {
    let mut store = e.open();
    let first = vec![
        (crn("X400001"), patch("Ann", d(2026, 6, 1))),
        (crn("X400002"), patch("Bob", d(2026, 6, 2))),
    ];
    let p = plan(&*store, &first);
    assert_eq!(p.counts(), (2, 0, 0));
    let s = store.apply_import(&p, "alice", None, &expected).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (2, 0, 0));

    let mut moved = patch("Ann", d(2026, 6, 5));
    moved.dtr = Some(DtrStatus::Submitted);
    let second = vec![
        (crn("X400001"), moved),
        (crn("X400002"), patch("Bob", d(2026, 6, 2))),
        (crn("X400003"), patch("Cat", d(2026, 6, 3))),
    ];
    let p = plan(&*store, &second);
    assert_eq!(p.counts(), (1, 1, 1));
    match &p.rows[0] {
        PlannedRow::Updated {
            crn: c, changes, ..
        } => {
            assert_eq!(*c, crn("X400001"));
            let changes: Vec<_> = changes
                .iter()
                .map(|c| (c.field, c.old.as_deref(), c.new.as_deref()))
                .collect();
            assert_eq!(
                changes,
                [
                    ("release_date", Some("2026-06-01"), Some("2026-06-05")),
                    ("dtr", None, Some("SUBMITTED"))
                ]
            );
        }
        other => panic!("expected an update, got {other:?}"),
    }
    let s = store
        .apply_import(&p, "bob", Some("import of weekly.csv"), &expected)
        .unwrap();
    assert_eq!(
        s,
        ImportSummary {
            new: 1,
            updated: 1,
            unchanged: 1
        }
    );

    let ann = store.get(&crn("X400001")).unwrap().unwrap();
    assert_eq!((ann.version, ann.expected_day), (2, d(2026, 6, 5)));
    let (alice, bob) = (e.who("alice"), e.who("bob"));
    let log = store.audit_for(&crn("X400001")).unwrap();
    let rows: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.who.as_str(),
                e.field.as_str(),
                e.old.as_deref(),
                e.new.as_deref(),
                e.source.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                bob.as_str(),
                "dtr",
                None,
                Some("SUBMITTED"),
                Some("import of weekly.csv")
            ),
            (
                bob.as_str(),
                "release_date",
                Some("2026-06-01"),
                Some("2026-06-05"),
                Some("import of weekly.csv")
            ),
            (alice.as_str(), "created", None, None, None),
        ]
    );
    assert_eq!(
        store.audit_for(&crn("X400002")).unwrap().len(),
        1,
        "unchanged: no audit"
    );
    let cat = store.audit_for(&crn("X400003")).unwrap();
    assert_eq!(
        (cat[0].field.as_str(), cat[0].new.as_deref()),
        ("created", None)
    );
    // What the import set is remembered (DOMAIN.md §5).
    let marks = store.marks(&crn("X400001")).unwrap().unwrap();
    assert!(marks.is_imported(Field::Dtr.index()));
    assert_eq!(marks.planner, 0);
}

fn a_reimport_with_blank_fields_keeps_stored_values(e: &dyn Engine) {
    let mut store = e.open();
    let mut c = full_case();
    c.confirmed_day = None;
    store.upsert_case(&c, "officer", expected(&c)).unwrap();
    // A fresher export with only the required columns and the accommodation.
    let mut p = patch(&c.name, c.release_date);
    p.accommodation = Some(Accommodation::Nfa);
    let planned = plan(&*store, &[(c.crn.clone(), p)]);
    assert_eq!(planned.counts(), (0, 1, 0));
    store
        .apply_import(&planned, "import", None, &expected)
        .unwrap();
    let got = store.get(&c.crn).unwrap().unwrap().case;
    let mut want = c.clone();
    want.accommodation = Accommodation::Nfa;
    assert_eq!(
        got, want,
        "only the accommodation changed; officer, notes, statuses kept"
    );
}

fn a_failing_import_writes_nothing(e: &dyn Engine) {
    let mut store = e.open();
    store
        .upsert_case(
            &Case::new(crn("X500009"), "Old", d(2026, 1, 5)),
            "t",
            d(2026, 1, 5),
        )
        .unwrap();
    let mut changed = patch("Old", d(2026, 1, 5));
    changed.officer = Some("Someone".into());
    // Two new rows with the same CRN: the second insert breaks the key.
    let rows = vec![
        (crn("X500009"), changed),
        (crn("X500001"), patch("One", d(2026, 1, 6))),
        (crn("X500001"), patch("Two", d(2026, 1, 7))),
    ];
    let p = plan(&*store, &rows);
    assert_eq!(p.counts(), (2, 1, 0));
    let e = store.apply_import(&p, "t", None, &expected).unwrap_err();
    let msg = e.to_string();
    assert!(!msg.contains("X500001") && !msg.contains("One"), "{msg}");
    assert_eq!(store.get(&crn("X500001")).unwrap(), None);
    assert_eq!(store.case_count().unwrap(), 1);
    let old = store.get(&crn("X500009")).unwrap().unwrap();
    assert_eq!((old.case.officer, old.version), (None, 1));
    assert!(store.audit_for(&crn("X500001")).unwrap().is_empty());
    assert_eq!(store.audit_for(&crn("X500009")).unwrap().len(), 1);
}

fn a_plan_overtaken_by_another_writer_is_refused_whole(e: &dyn Engine) {
    let mut mine = e.open();
    mine.upsert_case(
        &Case::new(crn("X510001"), "Held", d(2026, 3, 1)),
        "t",
        d(2026, 3, 1),
    )
    .unwrap();
    let mut p = patch("Held", d(2026, 3, 2));
    p.notes = Some("from the file".into());
    let rows = vec![
        (crn("X510001"), p),
        (crn("X510002"), patch("New", d(2026, 3, 3))),
    ];
    let planned = plan(&*mine, &rows);
    // Another officer changes the held case after the plan was made.
    let mut theirs = e.open();
    let held = theirs.get(&crn("X510001")).unwrap().unwrap();
    let mut edited = held.case.clone();
    edited.officer = Some("Someone Else".into());
    theirs
        .save_edit(&edited, held.version, "other", d(2026, 3, 1), false)
        .unwrap();
    assert!(matches!(
        mine.apply_import(&planned, "t", None, &expected),
        Err(StoreError::Conflict)
    ));
    assert_eq!(mine.case_count().unwrap(), 1, "nothing of the plan written");
    // And a case someone else added meanwhile refuses a plan that would add it too.
    let planned = plan(&*mine, &rows[1..]);
    theirs
        .insert_many(
            &[Case::new(crn("X510002"), "Theirs", d(2026, 3, 3))],
            "other",
            &expected,
        )
        .unwrap();
    assert!(matches!(
        mine.apply_import(&planned, "t", None, &expected),
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        mine.get(&crn("X510002")).unwrap().unwrap().case.name,
        "Theirs"
    );
}

fn rows_that_cannot_add_their_case_are_listed_and_refused(e: &dyn Engine) {
    let mut store = e.open();
    let held = Case::new(crn("X520009"), "Held", d(2026, 5, 1));
    store.upsert_case(&held, "t", d(2026, 5, 1)).unwrap();
    let only_name = CasePatch {
        name: Some("A".into()),
        ..Default::default()
    };
    let only_date = CasePatch {
        release_date: Some(d(2026, 5, 1)),
        ..Default::default()
    };
    let p = plan(
        &*store,
        &[
            (crn("X520001"), only_name),
            (crn("X520009"), CasePatch::default()),
            (crn("X520002"), CasePatch::default()),
            (crn("X520003"), only_date),
        ],
    );
    let unheld: Vec<(usize, &str, Vec<&str>)> = p
        .unheld
        .iter()
        .map(|u| (u.line, u.crn.as_str(), u.missing.clone()))
        .collect();
    assert_eq!(
        unheld,
        [
            (2, "X520001", vec!["release_date"]),
            (4, "X520002", vec!["name", "release_date"]),
            (5, "X520003", vec!["name"]),
        ],
        "a held case needs neither"
    );
    let e = store.apply_import(&p, "t", None, &expected).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::MissingField {
                field: "release_date"
            }
        ),
        "{e:?}"
    );
    assert_eq!(store.case_count().unwrap(), 1, "nothing written");
}

fn recompute_changes_only_rows_whose_day_differs(e: &dyn Engine) {
    let mut store = e.open();
    let mut confirmed = Case::new(crn("X600001"), "A", d(2026, 12, 25));
    confirmed.confirmed_day = Some(d(2026, 12, 23));
    let plain = Case::new(crn("X600002"), "B", d(2026, 12, 25));
    let weekday = Case::new(crn("X600003"), "C", d(2026, 12, 21));
    store
        .insert_many(&[confirmed, plain, weekday], "t", &|c| c.release_date)
        .unwrap();
    assert_eq!(store.expected_days_redone_at().unwrap(), None);
    // A new rule: a confirmed day wins, and 25 Dec moves to the 24th.
    let rule = |c: &Case| {
        c.confirmed_day
            .unwrap_or(if c.release_date == d(2026, 12, 25) {
                d(2026, 12, 24)
            } else {
                c.release_date
            })
    };
    assert_eq!(store.recompute_expected(&rule).unwrap(), 2);
    assert_eq!(store.recompute_expected(&rule).unwrap(), 0);
    assert!(store.expected_days_redone_at().unwrap().is_some());
    let days: Vec<_> = cases(&*store, Cases::All)
        .into_iter()
        .map(|s| (s.case.crn.to_string(), s.expected_day, s.version))
        .collect();
    assert_eq!(
        days,
        [
            ("X600003".to_string(), d(2026, 12, 21), 1),
            ("X600001".to_string(), d(2026, 12, 23), 1),
            ("X600002".to_string(), d(2026, 12, 24), 1),
        ],
        "a derived day is not an edit"
    );
}

fn reporting_in_is_recorded_versioned_and_audited(e: &dyn Engine) {
    let mut store = e.open();
    let c = Case::new(crn("X700001"), "A", d(2026, 3, 5));
    store.upsert_case(&c, "t", d(2026, 3, 5)).unwrap();
    let at = d(2026, 3, 5).and_hms_milli_opt(10, 30, 0, 250).unwrap();
    assert_eq!(
        store
            .set_reported(&c.crn, Some(at), "duty officer", Some(1))
            .unwrap(),
        2
    );
    // Again: nothing written.
    assert_eq!(
        store
            .set_reported(&c.crn, Some(at), "duty officer", None)
            .unwrap(),
        2
    );
    let got = store.get(&c.crn).unwrap().unwrap();
    assert_eq!((got.reported_at, got.version), (Some(at), 2));
    let last = &store.audit_for(&c.crn).unwrap()[0];
    assert_eq!(
        (
            last.who.as_str(),
            last.field.as_str(),
            last.old.as_deref(),
            last.new.as_deref()
        ),
        (
            e.who("duty officer").as_str(),
            "reported",
            None,
            Some("2026-03-05T10:30:00.250")
        )
    );
    // Against a version that moved: refused, and nothing replaced.
    assert!(matches!(
        store.set_reported(&c.crn, None, "other", Some(1)),
        Err(StoreError::StaleEdit)
    ));
    assert_eq!(store.get(&c.crn).unwrap().unwrap().reported_at, Some(at));
    store.set_reported(&c.crn, None, "duty", Some(2)).unwrap();
    assert_eq!(store.get(&c.crn).unwrap().unwrap().reported_at, None);
    let e = store
        .set_reported(&crn("X700009"), Some(at), "duty", None)
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound), "{e:?}");
    assert!(!e.to_string().contains("X700009"), "{e}");
}

fn save_edit_checks_the_version_marks_and_audits_each_field(e: &dyn Engine) {
    let mut store = e.open();
    let day = d(2026, 12, 23);
    let case = Case::new(crn("X800001"), "Edit Person", day);
    store.upsert_case(&case, "test", day).unwrap();
    let v1 = store.get(&case.crn).unwrap().unwrap().version;

    let mut edited = case.clone();
    edited.accommodation = Accommodation::Cas3;
    edited.dtr = Some(DtrStatus::Submitted);
    let (v2, changes) = store.save_edit(&edited, v1, "desk", day, false).unwrap();
    assert_eq!(v2, v1 + 1);
    assert_eq!(
        changes.iter().map(|c| c.field).collect::<Vec<_>>(),
        ["accommodation", "dtr"]
    );
    let audit = store.audit_for(&case.crn).unwrap();
    assert_eq!(audit[0].who, e.who("desk"));
    assert!(audit
        .iter()
        .any(|a| a.field == "dtr" && a.new.as_deref() == Some("SUBMITTED")));
    let marks = store.marks(&case.crn).unwrap().unwrap();
    assert!(marks.is_planner(Field::Dtr.index()) && marks.is_planner(Field::Accommodation.index()));
    assert_eq!(
        marks.base(Field::Accommodation.index()),
        Some(Some("UNKNOWN"))
    );

    // A second officer working from the old version is refused, and nothing is overwritten.
    let mut stale = case.clone();
    stale.accommodation = Accommodation::Nfa;
    let err = e
        .open()
        .save_edit(&stale, v1, "duty", day, false)
        .unwrap_err();
    assert!(matches!(err, StoreError::StaleEdit), "{err:?}");
    let now = store.get(&case.crn).unwrap().unwrap();
    assert_eq!(now.case.accommodation, Accommodation::Cas3);
    assert_eq!(now.version, v2);

    // Clearing a field is an edit too (unlike an import's blank cell).
    let mut cleared = now.case.clone();
    cleared.dtr = None;
    let (_, changes) = store.save_edit(&cleared, v2, "desk", day, false).unwrap();
    assert_eq!(changes[0].field, "dtr");
    assert_eq!(changes[0].new, None);
    // Undo putting the value back clears the mark.
    let (v4, _) = store
        .save_edit(&now.case, v2 + 1, "desk", day, true)
        .unwrap();
    let mut back = store.get(&case.crn).unwrap().unwrap().case;
    back.accommodation = Accommodation::Unknown;
    store.save_edit(&back, v4, "desk", day, true).unwrap();
    let marks = store.marks(&case.crn).unwrap().unwrap();
    assert!(!marks.is_planner(Field::Accommodation.index()));
    // Nothing changed: nothing written.
    let v = store.get(&case.crn).unwrap().unwrap().version;
    assert_eq!(
        store.save_edit(&back, v, "desk", day, false).unwrap(),
        (v, vec![])
    );
    assert!(matches!(
        store.save_edit(
            &Case::new(crn("X899999"), "No One", day),
            1,
            "desk",
            day,
            false
        ),
        Err(StoreError::NotFound)
    ));
}

fn upserts_replace_and_audit_changes_only(e: &dyn Engine) {
    let mut store = e.open();
    let mut c = full_case();
    store.upsert_case(&c, "a", expected(&c)).unwrap();
    store.upsert_case(&c, "a", expected(&c)).unwrap();
    assert_eq!(
        store.get(&c.crn).unwrap().unwrap().version,
        1,
        "identical: no write"
    );
    c.notes = None;
    c.ap_required = Some(true);
    store.upsert_case(&c, "b", expected(&c)).unwrap();
    let got = store.get(&c.crn).unwrap().unwrap();
    assert_eq!(got.case, c, "a blank clears on replace");
    assert_eq!(got.version, 2);
    let audit = store.audit_for(&c.crn).unwrap();
    let fields: Vec<_> = audit.iter().map(|a| a.field.as_str()).collect();
    assert_eq!(fields, ["notes", "ap_required", "created"]);
    assert_eq!(audit[1].old.as_deref(), Some("no"));
    assert_eq!(audit[1].new.as_deref(), Some("yes"));
    assert_eq!(audit[0].new, None);
}

fn many_cases_replace_and_remove_with_their_history(e: &dyn Engine) {
    let mut store = e.open();
    let a = Case::new(crn("X900001"), "Ann", d(2026, 5, 1));
    let b = Case::new(crn("X900002"), "Bea", d(2026, 5, 2));
    assert_eq!(
        store
            .insert_many(&[a.clone(), b], "demo", &expected)
            .unwrap(),
        2
    );
    let mut a2 = a.clone();
    a2.name = "Ann Two".into();
    store.insert_many(&[a2.clone()], "demo", &expected).unwrap();
    let got = store.get(&a.crn).unwrap().unwrap();
    assert_eq!((got.case, got.version), (a2, 2));
    let fields: Vec<_> = store
        .audit_for(&a.crn)
        .unwrap()
        .into_iter()
        .map(|e| e.field)
        .collect();
    if e.is_team() {
        // The database audits each field a replacement changed.
        assert_eq!(fields, ["name", "created"]);
        let refused = store.remove_all_cases("demo").unwrap_err();
        assert!(refused.to_string().contains("purge"), "{refused}");
        assert_eq!(store.case_count().unwrap(), 2, "nothing removed");
        return;
    }
    assert_eq!(fields, ["replaced", "created"]);
    assert_eq!(store.remove_all_cases("demo").unwrap(), 2);
    assert_eq!(store.case_count().unwrap(), 0);
    assert!(store.audit_for(&a.crn).unwrap().is_empty());
    let last = &store.audit_recent(1).unwrap()[0];
    assert_eq!(
        (last.field.as_str(), last.new.as_deref()),
        ("cleared", Some("2"))
    );
}

fn search_keys_come_most_recent_first(e: &dyn Engine) {
    let mut store = e.open();
    for (c, name, day) in [
        ("X910001", "Ann Older", d(2026, 10, 1)),
        ("X910002", "Bo Recent", d(2026, 11, 16)),
        ("X910003", "Cy Window", d(2026, 11, 20)),
    ] {
        let mut case = Case::new(crn(c), name, day);
        case.noms = Some("A1234BC".parse().unwrap());
        store.upsert_case(&case, "t", day).unwrap();
    }
    let keys = store.case_keys_before(d(2026, 11, 20)).unwrap();
    let got: Vec<&str> = keys.iter().map(|k| k.crn.as_str()).collect();
    assert_eq!(got, ["X910002", "X910001"]);
    assert_eq!(keys[1].noms.as_deref(), Some("A1234BC"));
    assert_eq!(keys[0].expected_day, d(2026, 11, 16));
}

fn settings_and_the_holiday_file_round_trip(e: &dyn Engine) {
    let mut store = e.open();
    assert_eq!(store.holiday_file().unwrap(), None);
    let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[]}}"#;
    store.set_holiday_file(json, "ann").unwrap();
    assert_eq!(store.holiday_file().unwrap().as_deref(), Some(json));
    let log = store.audit_recent(5).unwrap();
    assert_eq!(
        (log[0].crn.as_ref(), log[0].field.as_str()),
        (None, "holidays")
    );
    assert!(store.clear_holiday_file("ann").unwrap());
    assert!(!store.clear_holiday_file("ann").unwrap());
    assert_eq!(store.holiday_file().unwrap(), None);
    assert_eq!(store.meta_get("missing").unwrap(), None);
    store.meta_set("k", "1").unwrap();
    store.meta_set("k", "2").unwrap();
    assert_eq!(e.open().meta_get("k").unwrap().as_deref(), Some("2"));
}

/// The screens poll the token: it moves with every write, this handle's or another's.
fn the_change_token_moves_with_every_write(e: &dyn Engine) {
    let mut mine = e.open();
    let t0 = mine.change_token().unwrap();
    assert_eq!(mine.change_token().unwrap(), t0, "reading changes nothing");
    let c = Case::new(crn("X920001"), "Ann", d(2026, 5, 1));
    mine.upsert_case(&c, "t", d(2026, 5, 1)).unwrap();
    let t1 = mine.change_token().unwrap();
    assert_ne!(t1, t0, "its own write");
    let mut theirs = e.open();
    theirs
        .set_reported(
            &c.crn,
            Some(d(2026, 5, 1).and_hms_opt(9, 0, 0).unwrap()),
            "duty",
            None,
        )
        .unwrap();
    // Another handle's write reaches this one as a notification (the team database's comes
    // on a connection of its own, a moment after the commit): waited for, within reason.
    let waited = std::time::Instant::now();
    while mine.change_token().unwrap() == t1 && waited.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_ne!(mine.change_token().unwrap(), t1, "another handle's write");
    assert_eq!(mine.last_change().unwrap(), theirs.last_change().unwrap());
}

fn a_reader_sees_what_is_written(e: &dyn Engine) {
    let mut store = e.open();
    let c = Case::new(crn("X930001"), "Ann", d(2026, 5, 1));
    store.upsert_case(&c, "t", d(2026, 5, 1)).unwrap();
    if let Some(reader) = store.open_reader().unwrap() {
        assert_eq!(reader.get(&c.crn).unwrap().unwrap().case, c);
        // Loading on another thread is what it is for.
        let n = std::thread::spawn(move || reader.case_count().unwrap())
            .join()
            .unwrap();
        assert_eq!(n, 1);
    }
    store.serve_screens().unwrap();
    store.idle().unwrap();
}

fn a_purge_deletes_released_cases_and_their_history(e: &dyn Engine) {
    let mut store = e.open();
    let old = Case::new(crn("X940001"), "Old", d(2026, 1, 5));
    let new = Case::new(crn("X940002"), "New", d(2026, 6, 5));
    store
        .insert_many(&[old.clone(), new], "t", &expected)
        .unwrap();
    let dry = store.purge_before(d(2026, 3, 1), "keeper", true).unwrap();
    assert_eq!((dry.cases, dry.audit_rows), (1, 1));
    assert_eq!(store.case_count().unwrap(), 2, "a dry run deletes nothing");
    store.purge_before(d(2026, 3, 1), "keeper", false).unwrap();
    assert_eq!(store.get(&old.crn).unwrap(), None);
    assert!(store.audit_for(&old.crn).unwrap().is_empty());
    let last = &store.audit_recent(1).unwrap()[0];
    assert_eq!(last.field, "purge");
    assert!(!format!("{last:?}").contains("Old"));
}

fn a_backup_is_a_file_that_restores(e: &dyn Engine) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let mut store = e.open();
    let c = full_case();
    store.upsert_case(&c, "t", expected(&c)).unwrap();
    assert_eq!(store.backup_to(&file, false).unwrap(), 1);
    assert!(matches!(
        store.backup_to(&file, false),
        Err(MaintenanceError::Exists(_))
    ));
    if e.is_team() {
        // A team database is never cleared or restored over: the backup is a SQLite file that
        // holds the case, its marks and its history.
        assert!(store.remove_all_cases("t").is_err());
        assert!(store.restore_from(&file).is_err());
        let copy = releaseday::store::open(&file).unwrap();
        let got = copy.get(&c.crn).unwrap().unwrap();
        assert_eq!(got, store.get(&c.crn).unwrap().unwrap());
        assert_eq!(copy.marks(&c.crn).unwrap(), store.marks(&c.crn).unwrap());
        assert_eq!(
            copy.audit_for(&c.crn).unwrap(),
            store.audit_for(&c.crn).unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        return;
    }
    store.remove_all_cases("t").unwrap();
    match store.restore_from(&file) {
        Ok(restored) => {
            assert_eq!(restored.cases, 1);
            assert_eq!(store.get(&c.crn).unwrap().unwrap().case, c);
        }
        // An engine that cannot restore a file (a shared team database) says why.
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// An import's new cases share one audit row, and each case's history shows it as the case's
/// "created" row, oldest, below the changes made since; clearing the caseload takes it too.
fn each_new_case_history_says_which_import_created_it(e: &dyn Engine) {
    let mut store = e.open();
    let rows = vec![
        (crn("X600001"), patch("Ann", d(2026, 6, 1))),
        (crn("X600002"), patch("Bob", d(2026, 6, 2))),
    ];
    let p = plan(&*store, &rows);
    store
        .apply_import(&p, "alice", Some("import of week1.csv"), &expected)
        .unwrap();
    let mut moved = patch("Ann", d(2026, 6, 5));
    moved.dtr = Some(DtrStatus::Submitted);
    let p = plan(&*store, &[(crn("X600001"), moved)]);
    store
        .apply_import(&p, "bob", Some("import of week2.csv"), &expected)
        .unwrap();
    let shown = |c: &str| -> Vec<(String, String, Option<String>, Option<String>)> {
        store
            .audit_for(&crn(c))
            .unwrap()
            .into_iter()
            .map(|e| {
                assert_eq!(e.crn.as_ref(), Some(&crn(c)));
                (e.who, e.field, e.new, e.source)
            })
            .collect()
    };
    let (alice, bob) = (e.who("alice"), e.who("bob"));
    let week1 = Some("import of week1.csv".to_string());
    let week2 = Some("import of week2.csv".to_string());
    assert_eq!(
        shown("X600001"),
        [
            (
                bob.clone(),
                "dtr".into(),
                Some("SUBMITTED".into()),
                week2.clone()
            ),
            (
                bob.clone(),
                "release_date".into(),
                Some("2026-06-05".into()),
                week2
            ),
            (alice.clone(), "created".into(), None, week1.clone()),
        ]
    );
    assert_eq!(
        shown("X600002"),
        [(alice.clone(), "created".into(), None, week1)]
    );
    let all = store.audit_for(&crn("X600002")).unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(&all[0].at).is_ok());
    // A backup keeps each case's history as shown, the import's row its created row.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    store.backup_to(&file, false).unwrap();
    let copy = releaseday::store::open(&file).unwrap();
    for c in ["X600001", "X600002"] {
        assert_eq!(
            copy.audit_for(&crn(c)).unwrap(),
            store.audit_for(&crn(c)).unwrap()
        );
    }
    if e.is_team() {
        // One `created` row for the import, as on the file; nothing is cleared.
        assert_eq!(store.audit_recent(10).unwrap().len(), 3);
        assert!(store.remove_all_cases("demo").is_err());
        return;
    }
    assert_eq!(
        store.audit_recent(10).unwrap().len(),
        3,
        "one row for both new cases"
    );

    store.remove_all_cases("demo").unwrap();
    let left = store.audit_recent(10).unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].field, "cleared");
}

/// Each test above, once per engine.
macro_rules! engines {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    super::$test(&super::Sqlite::new())
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(
                #[test]
                fn $test() {
                    if let Some(e) = super::Postgres::new(stringify!($test)) {
                        super::$test(&e)
                    }
                }
            )*
        }
    };
}

engines!(
    a_full_and_a_minimal_case_read_back_the_same,
    windows_are_inclusive_and_ordered_by_day_name_crn,
    the_flag_read_leaves_out_only_what_cannot_flag,
    housing_is_read_without_whole_cases,
    import_plan_counts_and_audit_rows,
    each_new_case_history_says_which_import_created_it,
    a_reimport_with_blank_fields_keeps_stored_values,
    a_failing_import_writes_nothing,
    a_plan_overtaken_by_another_writer_is_refused_whole,
    rows_that_cannot_add_their_case_are_listed_and_refused,
    recompute_changes_only_rows_whose_day_differs,
    reporting_in_is_recorded_versioned_and_audited,
    save_edit_checks_the_version_marks_and_audits_each_field,
    upserts_replace_and_audit_changes_only,
    many_cases_replace_and_remove_with_their_history,
    search_keys_come_most_recent_first,
    settings_and_the_holiday_file_round_trip,
    the_change_token_moves_with_every_write,
    a_reader_sees_what_is_written,
    a_purge_deletes_released_cases_and_their_history,
    a_backup_is_a_file_that_restores,
);
