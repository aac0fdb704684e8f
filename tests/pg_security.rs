//! The team database's promises, checked signed in as officers (never as a superuser, whom
//! row-level security does not hold): an officer sees and changes only its teams' cases, the
//! audit log is written by the database under the signed-in role and no officer can touch it,
//! purge and the holiday file go through audited functions, and a committed change notifies
//! every listener without a CRN or a name in the payload.
//!
//! Cases are added by the owner, as an import run by the owner would add them.
//!
//! Run with a server: `bash -c 'source .ci/postgres; cargo test --test pg_security'`.

#![cfg(feature = "postgres")]

#[path = "common/pg.rs"]
mod pg;
#[path = "common/team_db.rs"]
mod team_db;

use chrono::{NaiveDate, NaiveDateTime};
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use releaseday::domain::case::{Accommodation, Case, FridayRelease, ReleaseType, Rosh};
use releaseday::domain::fields::{Cell, Field, Kind};
use releaseday::store::postgres::{Change, CHANNEL, SOURCE_SETTING};
use releaseday::store::SqliteStore;
use std::time::Duration;
use team_db::{add_case, refused, visible, TeamDb};

/// North: two cases; South: one; and one with no team. All released long ago, so a purge takes them.
fn caseload(team: &TeamDb) {
    let mut owner = team.owner();
    for (crn, name, t) in [
        ("X100001", "Ann North", Some("North")),
        ("X100002", "Bea North", Some("North")),
        ("X200001", "Cy South", Some("South")),
        ("X300001", "Di Nobody", None),
    ] {
        add_case(&mut owner, crn, name, t, "2020-03-02").unwrap();
    }
}

/// who, field, old, new, source
type AuditRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);
/// who, crn, old, new
type HolidayRow = (String, Option<String>, Option<String>, Option<String>);

/// What `client` can read of the audit log: (crn, field) in order.
fn audit_seen(client: &mut Client) -> Vec<(Option<String>, String)> {
    client
        .query("SELECT crn, field FROM audit ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn an_officer_sees_and_changes_only_its_teams_cases() {
    let Some(pg) = pg::server("only_its_teams") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "only_its_teams");
    caseload(&team);
    // Teams match ignoring case: the grant says "north", the cases "North".
    let a = team.officer("rls_a", &["north"]);
    let b = team.officer("rls_b", &[]);
    let c = team.officer("rls_c", &["North", "(none)"]);
    let mut a = team.connect(&a.name);

    assert_eq!(visible(&mut a), ["X100001", "X100002"]);
    let n: i64 = a
        .query_one("SELECT count(*) FROM cases WHERE crn = 'X200001'", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "a South case is not there for A");

    // A South case cannot be changed: there is nothing to update.
    let changed = a
        .execute("UPDATE cases SET notes = 'seen' WHERE crn = 'X200001'", &[])
        .unwrap();
    assert_eq!(changed, 0);
    // ...nor added, nor a North case moved there.
    let e = add_case(&mut a, "X200002", "Ed South", Some("South"), "2026-05-01").unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}");
    assert!(
        e.as_db_error()
            .unwrap()
            .message()
            .contains("row-level security"),
        "{e}"
    );
    let e = refused(
        &mut a,
        "UPDATE cases SET team = 'South' WHERE crn = 'X100001'",
    );
    assert!(e.message().contains("row-level security"), "{e}");
    let e = add_case(&mut a, "X300002", "Fay Nobody", None, "2026-05-01").unwrap_err();
    assert_eq!(
        e.code(),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "no team is not A's"
    );
    // Its own team's cases it adds and changes.
    add_case(&mut a, "X100003", "Gil North", Some("North"), "2026-05-01").unwrap();
    let changed = a
        .execute(
            "UPDATE cases SET notes = 'housing call booked' WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
    assert_eq!(changed, 1);
    // Deleting and emptying are not an officer's to do, even of its own cases.
    for sql in [
        "DELETE FROM cases WHERE crn = 'X100001'",
        "TRUNCATE cases",
        "ALTER TABLE cases DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE cases DISABLE TRIGGER USER",
    ] {
        let e = refused(&mut a, sql);
        assert_eq!(e.code(), &SqlState::INSUFFICIENT_PRIVILEGE, "{sql}: {e}");
    }
    // SET ROLE to the group widens nothing: what is seen follows the signed-in role.
    a.batch_execute("SET ROLE releaseday_officer").unwrap();
    assert_eq!(visible(&mut a), ["X100001", "X100002", "X100003"]);
    a.batch_execute("RESET ROLE").unwrap();

    let mut b = team.connect(&b.name);
    assert_eq!(
        visible(&mut b),
        ["X100001", "X100002", "X100003", "X200001", "X300001"]
    );
    // B moves a case between teams; A no longer sees it.
    b.execute("UPDATE cases SET team = 'South' WHERE crn = 'X100002'", &[])
        .unwrap();
    assert_eq!(visible(&mut a), ["X100001", "X100003"]);

    let mut c = team.connect(&c.name);
    assert_eq!(visible(&mut c), ["X100001", "X100003", "X300001"]);
    add_case(&mut c, "X300002", "Fay Nobody", None, "2026-05-01").unwrap();
}

#[test]
fn the_audit_log_is_the_databases_and_no_officer_can_touch_it() {
    let Some(pg) = pg::server("audit_is_the_databases") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "audit_databases");
    caseload(&team);
    let a_role = team.officer("audit_a", &["North"]);
    let b_role = team.officer("audit_b", &[]);
    let mut a = team.connect(&a_role.name);

    {
        let mut tx = a.transaction().unwrap();
        tx.execute(
            "SELECT set_config($1, $2, true)",
            &[&SOURCE_SETTING, &"import of weekly.csv"],
        )
        .unwrap();
        tx.execute(
            "UPDATE cases SET dtr = 'SUBMITTED', dtr_date = '2026-04-01', ap_required = true, \
             mappa = 2, notes = NULL WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    // Without a source, and with an empty one: none.
    a.execute(
        "UPDATE cases SET officer = 'Officer Test' WHERE crn = 'X100001'",
        &[],
    )
    .unwrap();
    a.batch_execute(
        "BEGIN; SET LOCAL releaseday.source = ''; \
         UPDATE cases SET ap_required = false WHERE crn = 'X100001'; COMMIT;",
    )
    .unwrap();

    let rows: Vec<AuditRow> = a
        .query(
            "SELECT who, field, old, new, source FROM audit WHERE crn = 'X100001' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    let owner = team.owner.name.as_str();
    let a_name = a_role.name.as_str();
    let src = Some("import of weekly.csv".to_string());
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        rows,
        [
            (owner.into(), "created".into(), None, None, None),
            (a_name.into(), "mappa".into(), None, s("2"), src.clone()),
            (
                a_name.into(),
                "dtr".into(),
                None,
                s("SUBMITTED"),
                src.clone()
            ),
            (
                a_name.into(),
                "dtr_date".into(),
                None,
                s("2026-04-01"),
                src.clone()
            ),
            (
                a_name.into(),
                "ap_required".into(),
                None,
                s("yes"),
                src.clone()
            ),
            (
                a_name.into(),
                "officer".into(),
                None,
                s("Officer Test"),
                None
            ),
            (a_name.into(), "ap_required".into(), s("yes"), s("no"), None),
        ],
        "who is the signed-in role; the source is the transaction's; notes were blank already"
    );

    // No officer writes, changes, deletes or empties the audit log, or reads another team's.
    let mut b = team.connect(&b_role.name);
    for officer in [&mut a, &mut b] {
        for sql in [
            "INSERT INTO audit (who, crn, field) VALUES ('someone else', 'X100001', 'created')",
            "UPDATE audit SET who = 'someone else'",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "ALTER TABLE audit DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE cases DISABLE TRIGGER releaseday_audit_changed",
        ] {
            let e = refused(officer, sql);
            assert_eq!(e.code(), &SqlState::INSUFFICIENT_PRIVILEGE, "{sql}: {e}");
        }
    }
    let seen = audit_seen(&mut a);
    assert!(
        seen.iter()
            .all(|(crn, _)| matches!(crn.as_deref(), Some("X100001" | "X100002") | None)),
        "A reads only North's history: {seen:?}"
    );
    let south: i64 = a
        .query_one("SELECT count(*) FROM audit WHERE crn = 'X200001'", &[])
        .unwrap()
        .get(0);
    assert_eq!(south, 0);
    let south: i64 = b
        .query_one("SELECT count(*) FROM audit WHERE crn = 'X200001'", &[])
        .unwrap()
        .get(0);
    assert_eq!(south, 1, "B, every team, reads it");
}

/// Every field filled, non-default values throughout (invented): each field of the table
/// with its example value, then a few with values of their own.
fn full_case() -> Case {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut c = Case::new(
        "X100001".parse().unwrap(),
        "Zoë Example-Smith",
        d(2026, 12, 26),
    );
    for f in Field::ALL {
        f.set(&mut c, f.example()).unwrap();
    }
    c.name = "Zoë Example-Smith".into();
    c.team = Some("North".into());
    c.release_date = d(2026, 12, 26);
    c.ap_required = Some(false);
    c.confirmed_day = Some(d(2026, 12, 23));
    c.notes = Some("line one, \"quoted\"; ünïcode".into());
    c.crs_date = Some(d(2026, 9, 1));
    c
}

/// A case's fields as text, in `COLUMNS` order, for binding with casts.
fn texts(c: &Case) -> Vec<Option<String>> {
    std::iter::once(Some(c.crn.to_string()))
        .chain(Field::ALL.map(|f| {
            f.cell(c).map(|cell| match cell {
                Cell::Text(s) => s.to_string(),
                Cell::Date(d) => d.to_string(),
                Cell::Int(n) => n.to_string(),
                Cell::Bool(b) => b.to_string(),
            })
        }))
        .collect()
}

/// The cast from text to the column's type, for each of `COLUMNS`.
fn cast(column: usize) -> &'static str {
    match column.checked_sub(1).map(|i| Field::ALL[i].kind()) {
        Some(Kind::Date) => "::date",
        Some(Kind::Integer) => "::smallint",
        Some(Kind::YesNo) => "::boolean",
        Some(Kind::Text) | None => "",
    }
}

fn write_case(client: &mut Client, c: &Case, insert: bool) {
    let cols = releaseday::domain::case::COLUMNS;
    let values = texts(c);
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect();
    let sql = if insert {
        let places: Vec<String> = (1..=cols.len())
            .map(|i| format!("${i}::text{}", cast(i - 1)))
            .collect();
        format!(
            "INSERT INTO cases ({}, expected_day) VALUES ({}, $9::text::date)",
            cols.join(", "),
            places.join(", ")
        )
    } else {
        let sets: Vec<String> = (2..=cols.len())
            .map(|i| format!("{} = ${i}::text{}", cols[i - 1], cast(i - 1)))
            .collect();
        format!("UPDATE cases SET {} WHERE crn = $1", sets.join(", "))
    };
    client.execute(sql.as_str(), &params).unwrap();
}

fn check_in(client: &mut Client, at: Option<NaiveDateTime>) {
    let text = at.map(|t| t.format("%Y-%m-%d %H:%M:%S%.f").to_string());
    client
        .execute(
            "UPDATE cases SET reported_at = $1::text::timestamp WHERE crn = 'X100001'",
            &[&text],
        )
        .unwrap();
}

#[test]
fn the_audit_rows_say_what_the_sqlite_engine_says() {
    let Some(pg) = pg::server("audit_like_sqlite") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "audit_like_sqlite");
    let officer = team.officer("like_sqlite", &["North"]);
    let mut a = team.connect(&officer.name);
    // The officer's own session settings change nothing in what the audit says.
    a.batch_execute("SET datestyle = 'SQL, DMY'; SET TimeZone = 'America/New_York'")
        .unwrap();

    let mut before = full_case();
    before.ap_required = None;
    let mut after = full_case();
    after.name = "Zoë Example".into();
    after.noms = None;
    after.rosh = Some(Rosh::Low);
    after.mappa = Some(3);
    after.release_date = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    after.release_type = ReleaseType::Hdc;
    after.accommodation = Accommodation::Nfa;
    after.dtr_date = None;
    after.ap_required = Some(true);
    after.friday_release = Some(FridayRelease::No);
    after.confirmed_day = None;
    after.notes = Some("second line".into());
    after.cas2_date = Some(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
    let day = |h, m, s, micro| {
        NaiveDate::from_ymd_opt(2026, 5, 1)
            .unwrap()
            .and_hms_micro_opt(h, m, s, micro)
            .unwrap()
    };
    let times = [
        Some(day(9, 15, 2, 250_000)),
        Some(day(9, 15, 3, 0)),
        Some(day(9, 15, 4, 250_123)),
        None,
    ];

    let mut lite = SqliteStore::open_in_memory().unwrap();
    let expected = NaiveDate::from_ymd_opt(2026, 12, 23).unwrap();
    lite.upsert_case(&before, "t", expected).unwrap();
    lite.save_edit(&after, 1, "t", expected).unwrap();
    for at in times {
        lite.set_reported(&after.crn, at, "t", None).unwrap();
    }
    let mut want: Vec<(String, Option<String>, Option<String>)> = lite
        .audit_for(&after.crn)
        .unwrap()
        .into_iter()
        .map(|e| (e.field, e.old, e.new))
        .collect();
    want.reverse();

    write_case(&mut a, &before, true);
    write_case(&mut a, &after, false);
    for at in times {
        check_in(&mut a, at);
    }
    let got: Vec<(String, Option<String>, Option<String>)> = a
        .query(
            "SELECT field, old, new FROM audit WHERE crn = 'X100001' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(want.len() > 15, "{want:?}");
    assert_eq!(got, want);
}

#[test]
fn purge_takes_only_released_cases_of_the_callers_teams() {
    let Some(pg) = pg::server("purge_callers_teams") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "purge_teams");
    caseload(&team);
    let mut owner = team.owner();
    add_case(
        &mut owner,
        "X100009",
        "Hal North",
        Some("North"),
        "2099-01-04",
    )
    .unwrap();
    let a_role = team.officer("purge_a", &["North"]);
    let mut a = team.connect(&a_role.name);
    a.execute(
        "UPDATE cases SET notes = 'history' WHERE crn = 'X100001'",
        &[],
    )
    .unwrap();

    let counts = |c: &mut Client, sql: &str| -> (i64, i64) {
        let row = c.query_one(sql, &[]).unwrap();
        (row.get(0), row.get(1))
    };
    let dry = counts(
        &mut a,
        "SELECT cases, audit_rows FROM releaseday_purge(current_date, true)",
    );
    assert_eq!(
        dry,
        (2, 3),
        "North's two released cases, with their history"
    );
    assert_eq!(visible(&mut a).len(), 3, "a dry run deletes nothing");
    let e = refused(
        &mut a,
        "SELECT * FROM releaseday_purge('2099-02-01', false)",
    );
    assert!(e.message().contains("only cases already released"), "{e}");

    let done = counts(
        &mut a,
        "SELECT cases, audit_rows FROM releaseday_purge(current_date, false)",
    );
    assert_eq!(done, (2, 3));
    assert_eq!(visible(&mut a), ["X100009"]);
    let left: Vec<String> = visible(&mut owner);
    assert_eq!(
        left,
        ["X100009", "X200001", "X300001"],
        "other teams' cases stay"
    );
    let history: i64 = owner
        .query_one(
            "SELECT count(*) FROM audit WHERE crn IN ('X100001', 'X100002')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(history, 0);
    let purge: (String, Option<String>, Option<String>) = {
        let row = a
            .query_one("SELECT who, crn, new FROM audit WHERE field = 'purge'", &[])
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    let today: String = a
        .query_one("SELECT to_char(current_date, 'YYYY-MM-DD')", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        purge,
        (
            a_role.name.clone(),
            None,
            Some(format!("2 cases released before {today}"))
        )
    );
}

#[test]
fn the_holiday_file_changes_only_through_its_audited_functions() {
    let Some(pg) = pg::server("holiday_file_functions") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "holiday_file");
    let a_role = team.officer("holidays_a", &["North"]);
    let mut a = team.connect(&a_role.name);
    a.execute("SELECT releaseday_set_holiday_file($1)", &[&"{\"a\":1}"])
        .unwrap();
    a.execute("SELECT releaseday_set_holiday_file($1)", &[&"{\"b\":22}"])
        .unwrap();
    let json: String = a
        .query_one(
            "SELECT json FROM holiday_files ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(json, "{\"b\":22}");
    for sql in [
        "INSERT INTO holiday_files (json) VALUES ('{}')",
        "DELETE FROM holiday_files",
        "UPDATE holiday_files SET json = '{}'",
    ] {
        assert_eq!(
            refused(&mut a, sql).code(),
            &SqlState::INSUFFICIENT_PRIVILEGE,
            "{sql}"
        );
    }
    let cleared: bool = a
        .query_one("SELECT releaseday_clear_holiday_file()", &[])
        .unwrap()
        .get(0);
    let again: bool = a
        .query_one("SELECT releaseday_clear_holiday_file()", &[])
        .unwrap()
        .get(0);
    assert_eq!((cleared, again), (true, false));
    let log: Vec<HolidayRow> = a
        .query(
            "SELECT who, crn, old, new FROM audit WHERE field = 'holidays' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let s = |v: &str| Some(v.to_string());
    let me = a_role.name.clone();
    assert_eq!(
        log,
        [
            (me.clone(), None, None, s("7 bytes")),
            (me.clone(), None, s("7 bytes"), s("8 bytes")),
            (me, None, s("8 bytes"), None),
        ]
    );
}

/// Notifications on the listening connection up to and including the first about `table`.
fn notifications_until(listener: &mut Client, table: &str) -> Vec<(String, String)> {
    let mut got = Vec::new();
    // The wait is a safety net against a hang, not a measurement.
    let mut notifications = listener.notifications();
    let mut it = notifications.timeout_iter(Duration::from_secs(60));
    while let Some(n) = it.next().unwrap() {
        got.push((n.channel().to_string(), n.payload().to_string()));
        if Change::parse(n.payload()).is_some_and(|c| c.table == table) {
            return got;
        }
    }
    panic!("no notification about {table} came; got {got:?}");
}

#[test]
fn a_committed_change_notifies_every_listener_without_personal_data() {
    let Some(pg) = pg::server("notifies_without_personal_data") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "notifies");
    caseload(&team);
    let writer_role = team.officer("notify_writer", &[]);
    // Anyone may LISTEN: here an officer of another team, who sees none of these cases.
    let listener_role = team.officer("notify_listener", &["Elsewhere"]);
    let mut listener = team.connect(&listener_role.name);
    listener
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .unwrap();
    let mut w = team.connect(&writer_role.name);

    // One transaction, three statements on cases: one notification.
    let xact: String = {
        let mut tx = w.transaction().unwrap();
        add_case(
            &mut tx,
            "X100005",
            "Ivy Secretname",
            Some("North"),
            "2026-06-01",
        )
        .unwrap();
        tx.execute(
            "UPDATE cases SET notes = 'Ivy Secretname called' WHERE crn = 'X100005'",
            &[],
        )
        .unwrap();
        tx.execute(
            "UPDATE cases SET accommodation = 'CAS3' WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
        let xact: String = tx
            .query_one("SELECT pg_current_xact_id()::text", &[])
            .unwrap()
            .get(0);
        tx.commit().unwrap();
        xact
    };
    // Rolled back: none.
    {
        let mut tx = w.transaction().unwrap();
        tx.execute(
            "UPDATE cases SET notes = 'never' WHERE crn = 'X100001'",
            &[],
        )
        .unwrap();
        tx.rollback().unwrap();
    }
    // A stale write that changes nothing: none.
    w.execute(
        "UPDATE cases SET notes = 'stale' WHERE crn = 'X100001' AND version = 99",
        &[],
    )
    .unwrap();
    // A settings change ends the sequence: notifications arrive in commit order.
    w.execute("INSERT INTO meta (key, value) VALUES ('marker', '1')", &[])
        .unwrap();

    let got = notifications_until(&mut listener, "meta");
    assert_eq!(
        got.len(),
        2,
        "one for the committed case changes, one for meta: {got:?}"
    );
    let (channel, payload) = &got[0];
    assert_eq!(channel, CHANNEL);
    assert_eq!(payload, &format!("{{\"table\":\"cases\",\"xact\":{xact}}}"));
    for secret in ["X100005", "X100001", "Ivy", "Secretname", "North", "CAS3"] {
        assert!(!payload.contains(secret), "{secret} in {payload}");
    }
    assert_eq!(
        Change::parse(&got[1].1).map(|c| c.table),
        Some("meta".to_string())
    );

    // A purge and a holiday file notify too.
    w.execute("SELECT * FROM releaseday_purge(current_date, false)", &[])
        .unwrap();
    let got = notifications_until(&mut listener, "cases");
    assert_eq!(got.len(), 1, "{got:?}");
    w.execute("SELECT releaseday_set_holiday_file('{}')", &[])
        .unwrap();
    let got = notifications_until(&mut listener, "holiday_files");
    assert_eq!(got.len(), 1, "{got:?}");
}

/// A new case as `client` would import it: the import's one "created" row named by `created_by`.
const IMPORT_TWO: &str = "INSERT INTO cases (crn, name, team, release_date, release_type, \
     accommodation, expected_day, created_by) \
     SELECT v.crn, v.name, 'North', '2026-05-04', 'CRD', 'NFA', '2026-05-04', \
         (SELECT public.releaseday_import_created()) \
     FROM (VALUES ('X100005', 'Eve North'), ('X100006', 'Fay North')) AS v (crn, name)";

#[test]
fn an_import_writes_one_created_row_that_no_officer_can_forge_or_borrow() {
    let Some(pg) = pg::server("import_created_row") else {
        return;
    };
    let team = TeamDb::set_up(&pg, "import_created");
    caseload(&team);
    let a_role = team.officer("created_a", &["North"]);
    let mut a = team.connect(&a_role.name);
    a.batch_execute(&format!(
        "BEGIN; SET LOCAL releaseday.source = 'import of week1.csv'; {IMPORT_TWO}; COMMIT"
    ))
    .unwrap();

    // One row for both cases, by the signed-in officer, saying how many; each case names it.
    let rows: Vec<(i64, AuditRow)> = a
        .query(
            "SELECT id, who, field, old, new, source FROM audit \
             WHERE field = 'created' AND crn IS NULL",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3), r.get(4), r.get(5))))
        .collect();
    let a_name = a_role.name.as_str();
    let import_row = rows[0].0;
    assert_eq!(
        rows.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        [(
            a_name.into(),
            "created".into(),
            None,
            Some("2 cases".into()),
            Some("import of week1.csv".into())
        )]
    );
    let named: Vec<Option<i64>> = a
        .query("SELECT created_by FROM cases ORDER BY crn", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        named,
        [None, None, Some(import_row), Some(import_row)],
        "X100001 and X100002 were added one at a time, with a created row of their own"
    );
    let own: i64 = a
        .query_one(
            "SELECT count(*) FROM audit WHERE crn = 'X100001' AND field = 'created'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(own, 1);

    // Borrowing: the import's row again, another case's own row, a row not yet written.
    let own_row: i64 = a
        .query_one("SELECT id FROM audit WHERE crn = 'X100001'", &[])
        .unwrap()
        .get(0);
    for borrowed in [import_row, own_row, import_row + 1000] {
        let sql = format!(
            "INSERT INTO cases (crn, name, team, release_date, release_type, accommodation, \
             expected_day, created_by) VALUES ('X100007', 'Gil North', 'North', '2026-05-04', \
             'CRD', 'NFA', '2026-05-04', {borrowed})"
        );
        let e = refused(&mut a, &sql);
        assert_eq!(
            e.code(),
            &SqlState::INSUFFICIENT_PRIVILEGE,
            "{borrowed}: {e}"
        );
    }
    // Rewriting which row created a case, or clearing it.
    for sql in [
        format!("UPDATE cases SET created_by = {own_row} WHERE crn = 'X100005'"),
        "UPDATE cases SET created_by = NULL WHERE crn = 'X100005'".into(),
        format!("UPDATE cases SET created_by = {import_row} WHERE crn = 'X100001'"),
    ] {
        let e = refused(&mut a, &sql);
        assert_eq!(e.code(), &SqlState::INSUFFICIENT_PRIVILEGE, "{sql}: {e}");
    }
    // A "created" row that names no case is refused at commit, and nothing of it is kept.
    let e = refused(
        &mut a,
        "BEGIN; SELECT public.releaseday_import_created(); COMMIT",
    );
    assert_eq!(e.code(), &SqlState::INTEGRITY_CONSTRAINT_VIOLATION, "{e}");
    a.batch_execute("ROLLBACK").ok();
    // Row-level security still holds: no import into a team the officer may not change.
    let e = refused(
        &mut a,
        &format!(
            "BEGIN; {}; COMMIT",
            IMPORT_TWO.replace("'North'", "'South'")
        ),
    );
    assert_eq!(e.code(), &SqlState::INSUFFICIENT_PRIVILEGE, "{e}");
    a.batch_execute("ROLLBACK").ok();
    let created: i64 = a
        .query_one(
            "SELECT count(*) FROM audit WHERE field = 'created' AND crn IS NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(created, 1, "only the first import's row is kept");
    assert_eq!(
        visible(&mut a),
        ["X100001", "X100002", "X100005", "X100006"]
    );
}
