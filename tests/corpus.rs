//! Bad input never panics and never half-writes (issue 4, promise 1).
//!
//! 1. The corpus: every `tests/corpus/NN-name.csv` / `.xlsx` is a broken file that
//!    `releaseday import` must refuse: exit status 1, every line of its sidecar
//!    `NN-name.expected` somewhere on standard error, no panic, nothing written (on an empty
//!    database `list --format json` stays `[]`; an existing caseload's file is byte-for-byte the
//!    same). A sidecar with no file beside it names a file made while the test runs (`made`:
//!    a 1 MB cell, a 10 MB line, a directory, a missing file). Files in `tests/corpus/ok/` must
//!    import: their sidecars say `new N` (the count), `has TEXT` (some stored case holds it) and
//!    `stdout TEXT`. The directories are listed, so a new file is picked up, and a data file
//!    without its sidecar (or a sidecar with nothing to test) fails the test. The `.xlsx` files
//!    come from `write_xlsx_corpus` (ignored; run it to rewrite them).
//! 2. Properties: `parse_date`, `Crn`, `Noms` and the code enums never panic and accept exactly
//!    what DOMAIN.md §5 allows; and random rows under a valid header, through the real binary
//!    into a copy of a real database, end in a clean import or a clean error naming a line,
//!    with the database untouched after an error. Cases: 256 for the parsers, 128 for the
//!    binary (each case runs processes); `PROPTEST_CASES` sets both.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::Config;
use releaseday::domain::case::*;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::str::FromStr;

const TODAY: &str = "2026-11-23";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn releaseday(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_releaseday"));
    c.env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", "/nonexistent/releaseday/config.toml")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY);
    c
}

fn import(db: &Path, file: &Path) -> Output {
    releaseday(db).arg("import").arg(file).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `list --format json` over every possible day.
fn list_all(db: &Path) -> serde_json::Value {
    let out = releaseday(db)
        .args(["list", "--from", "1900-01-01", "--to", "2200-12-31"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "list failed: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn side(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Every case, every column, as text (`quote()` of each), one line per case, by CRN.
fn dump(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('cases') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let select: Vec<String> = columns.iter().map(|c| format!("quote({c})")).collect();
    let sql = format!(
        "SELECT {} FROM cases ORDER BY crn",
        select.join(" || ' | ' || ")
    );
    let mut st = conn.prepare(&sql).unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// How many stored cases' histories (as the screens show them) say the import created them.
fn created_in_history(db: &Path) -> usize {
    use releaseday::store::{CaseStore, Cases};
    let store = releaseday::store::SqliteStore::open(db).unwrap();
    store
        .cases(Cases::All)
        .unwrap()
        .iter()
        .filter(|s| {
            store.audit_for(&s.case.crn).unwrap().iter().any(|e| {
                e.field == "created"
                    && e.source
                        .as_deref()
                        .is_some_and(|f| f.starts_with("import of"))
            })
        })
        .count()
}

/// A database holding `tests/fixtures/caseload.csv`, as one file (no log beside it): its bytes.
fn seeded_database(dir: &Path) -> Vec<u8> {
    let db = dir.join("seed.db");
    let caseload = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/caseload.csv");
    let out = import(&db, &caseload);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !side(&db, "-wal").exists(),
        "the last connection to close removes the log"
    );
    std::fs::read(&db).unwrap()
}

/// True when the text says `line N` somewhere.
fn names_a_line(s: &str) -> bool {
    s.match_indices("line ").any(|(i, m)| {
        s[i + m.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

// ---- the corpus ----

/// A file the test makes rather than keeps (too big to commit, or not a file at all).
enum Made {
    Bytes(&'static str, Vec<u8>),
    Directory(&'static str),
    Missing(&'static str),
}

const HEAD: &str = "crn,name,release_date,notes\n";

fn made(stem: &str) -> Option<Made> {
    Some(match stem {
        // A 1 MB cell where the CRN goes: refused, and the message is not 1 MB long.
        "51-huge-cell" => {
            let mut b = HEAD.as_bytes().to_vec();
            b.extend(std::iter::repeat_n(b'X', 1 << 20));
            b.extend(b",Ann Example,2026-12-01,\n");
            Made::Bytes("csv", b)
        }
        // One 10 MB line: ten million commas after a good row's cells.
        "52-ten-megabyte-line" => {
            let mut b = HEAD.as_bytes().to_vec();
            b.extend(b"X100001,Ann Example,2026-12-01,");
            b.extend(std::iter::repeat_n(b',', 10 << 20));
            b.push(b'\n');
            Made::Bytes("csv", b)
        }
        "53-directory-given-as-file" => Made::Directory("csv"),
        "54-missing-file" => Made::Missing("csv"),
        _ => return None,
    })
}

/// One file to import and what its sidecar says.
struct Sample {
    name: String,
    path: PathBuf,
    expected: Vec<String>,
}

/// Lists `dir`: each `.csv`/`.xlsx` with its `.expected`, each lone `.expected` with the file
/// `made` for it (written under `scratch`). Panics on a data file without a sidecar, a sidecar
/// with no file or recipe, an empty sidecar, or any other file.
fn list_cases(dir: &Path, scratch: &Path) -> Vec<Sample> {
    let mut cases = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let is_data = |p: &Path| matches!(p.extension().and_then(|e| e.to_str()), Some("csv" | "xlsx"));
    for path in &names {
        let file_name = path.file_name().unwrap().to_string_lossy().to_string();
        if (path.is_dir() && file_name == "ok") || file_name.starts_with('.') {
            continue; // the good files, and .gitattributes
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let sidecar = dir.join(format!("{stem}.expected"));
        if is_data(path) {
            assert!(
                sidecar.is_file(),
                "{file_name} has no sidecar {stem}.expected saying what to expect"
            );
            cases.push(Sample {
                name: file_name,
                path: path.clone(),
                expected: read_expected(&sidecar),
            });
        } else if path.extension().is_some_and(|e| e == "expected") {
            let has_data = names
                .iter()
                .any(|p| is_data(p) && p.file_stem() == path.file_stem());
            if has_data {
                continue;
            }
            let made = made(&stem).unwrap_or_else(|| {
                panic!("{file_name} has no data file beside it and no recipe in `made`")
            });
            let target = |ext: &str| scratch.join(format!("{stem}.{ext}"));
            let path = match made {
                Made::Bytes(ext, bytes) => {
                    std::fs::write(target(ext), bytes).unwrap();
                    target(ext)
                }
                Made::Directory(ext) => {
                    std::fs::create_dir_all(target(ext)).unwrap();
                    target(ext)
                }
                Made::Missing(ext) => target(ext),
            };
            cases.push(Sample {
                name: format!("{stem} (made)"),
                path,
                expected: read_expected(path_of_sidecar(dir, &stem).as_path()),
            });
        } else {
            panic!("{file_name} does not belong in the corpus (.csv, .xlsx, .expected, ok/)");
        }
    }
    cases
}

fn path_of_sidecar(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.expected"))
}

fn read_expected(path: &Path) -> Vec<String> {
    let lines: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(!lines.is_empty(), "{} is empty", path.display());
    lines
}

#[test]
fn every_broken_file_is_refused_cleanly_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("made");
    std::fs::create_dir(&scratch).unwrap();
    let cases = list_cases(&corpus_dir(), &scratch);
    let committed = cases.iter().filter(|c| !c.name.ends_with("(made)")).count();
    assert!(
        committed >= 40,
        "only {committed} broken files in the corpus"
    );

    let seeded = seeded_database(tmp.path());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let mut fail = |why: String| failures.push(format!("{}: {why}", case.name));

        // On an empty database and, at the same time, on one holding a caseload.
        let db = tmp.path().join(format!("empty-{i}.db"));
        let seeded_db = tmp.path().join(format!("seeded-{i}.db"));
        std::fs::write(&seeded_db, &seeded).unwrap();
        let before = dump(&seeded_db);
        let spawn = |db: &Path| {
            releaseday(db)
                .arg("import")
                .arg(&case.path)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (empty_run, seeded_run) = (spawn(&db), spawn(&seeded_db));
        let out = empty_run.wait_with_output().unwrap();
        let over_caseload = seeded_run.wait_with_output().unwrap();
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        if out.status.code() != Some(1) {
            fail(format!("exit status {:?}; stderr: {stderr}", out.status));
        }
        if stderr.contains("panicked") || stderr.len() > 8_000 {
            fail(format!(
                "not a clean error ({} bytes): {stderr:.500}",
                stderr.len()
            ));
        }
        if !stdout.is_empty() {
            fail(format!("printed on standard output: {stdout}"));
        }
        for want in &case.expected {
            if !stderr.contains(want.as_str()) {
                fail(format!("stderr lacks {want:?}; it says: {stderr:.1000}"));
            }
        }
        if list_all(&db) != serde_json::json!([]) {
            fail("something was stored in the empty database".into());
        }

        let db = seeded_db;
        if over_caseload.status.code() != Some(1) {
            fail(format!(
                "exit status {:?} over a caseload",
                over_caseload.status
            ));
        }
        let log = std::fs::metadata(side(&db, "-wal")).map_or(0, |m| m.len());
        if std::fs::read(&db).unwrap() != seeded || log > 0 {
            let what = if dump(&db) == before {
                "the caseload reads the same but the file changed"
            } else {
                "the caseload changed"
            };
            fail(format!("{what} (log {log} bytes)"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!(
        "{} broken files refused ({committed} committed)",
        cases.len()
    );
}

#[test]
fn every_good_oddity_imports_with_the_expected_count() {
    let dir = corpus_dir().join("ok");
    let tmp = tempfile::tempdir().unwrap();
    let cases = list_cases(&dir, tmp.path());
    assert!(cases.len() >= 10, "only {} good oddities", cases.len());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let mut fail = |why: String| failures.push(format!("ok/{}: {why}", case.name));
        let db = tmp.path().join(format!("ok-{i}.db"));
        let out = import(&db, &case.path);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        if !out.status.success() {
            fail(format!("refused: {stderr}"));
            continue;
        }
        let stored = dump(&db);
        for want in &case.expected {
            if let Some(n) = want.strip_prefix("new ") {
                let n: usize = n.parse().unwrap();
                if !stdout.contains(&format!(": {n} new, 0 updated, 0 unchanged")) {
                    fail(format!("expected {n} new: {stdout}"));
                }
                if stored.len() != n {
                    fail(format!("{} cases stored, not {n}", stored.len()));
                }
                if created_in_history(&db) != n {
                    fail("not every case's history says it was created".into());
                }
            } else if let Some(t) = want.strip_prefix("has ") {
                if !stored.iter().any(|row| row.contains(t)) {
                    fail(format!("no stored case holds {t:?}: {stored:#?}"));
                }
            } else if let Some(t) = want.strip_prefix("stdout ") {
                if !stdout.contains(t) {
                    fail(format!("stdout lacks {t:?}: {stdout}"));
                }
            } else {
                panic!("ok/{}: unknown expectation {want:?}", case.name);
            }
        }
        if !case.expected.iter().any(|w| w.starts_with("new ")) {
            fail("its sidecar does not say how many cases (`new N`)".into());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes the corpus's workbooks (and their sidecars). Run once when changing them:
/// `cargo test --test corpus -- --ignored write_xlsx_corpus`.
#[test]
#[ignore = "rewrites tests/corpus/*.xlsx"]
fn write_xlsx_corpus() {
    use rust_xlsxwriter::{Formula, Workbook, Worksheet};
    type Fill = fn(&mut Worksheet);
    let books: [(&str, Fill, &[&str]); 7] = [
        (
            "55-xlsx-title-above-header",
            |s| {
                s.merge_range(0, 0, 0, 2, "Releases due in December", &Default::default())
                    .unwrap();
                for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
                    s.write_string(2, c as u16, *h).unwrap();
                }
                s.write_string(3, 0, "X100001").unwrap();
                s.write_string(3, 1, "Ann Example").unwrap();
                s.write_string(3, 2, "01/12/2026").unwrap();
                s.write_string(4, 0, "X100002").unwrap();
                s.write_string(4, 1, "Bob Example").unwrap();
                s.write_string(4, 2, "31/04/2027").unwrap();
            },
            &[
                "1 problem found (header found on row 3)",
                "line 5, column C \"Release Date\": \"31/04/2027\" is not a date",
            ],
        ),
        (
            "56-xlsx-impossible-date",
            |s| {
                for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
                    s.write_string(0, c as u16, *h).unwrap();
                }
                s.write_string(1, 0, "X100001").unwrap();
                s.write_string(1, 1, "Ann Example").unwrap();
                s.write_string(1, 2, "01/12/2026").unwrap();
                s.write_string(2, 0, "X100002").unwrap();
                s.write_string(2, 1, "Bob Example").unwrap();
                s.write_string(2, 2, "31/02/2027").unwrap();
            },
            &["line 3, column C \"Release Date\"", "there is no day 31"],
        ),
        (
            "57-xlsx-formula-in-crn",
            |s| {
                for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
                    s.write_string(0, c as u16, *h).unwrap();
                }
                s.write_formula(
                    1,
                    0,
                    Formula::new(r#"=HYPERLINK("http://x","y")"#).set_result("y"),
                )
                .unwrap();
                s.write_string(1, 1, "Ann Example").unwrap();
                s.write_string(1, 2, "2026-12-01").unwrap();
            },
            &["line 2, column A \"CRN\"", "is not a CRN"],
        ),
        (
            "58-xlsx-error-value-in-date",
            |s| {
                for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
                    s.write_string(0, c as u16, *h).unwrap();
                }
                s.write_string(1, 0, "X100001").unwrap();
                s.write_string(1, 1, "Ann Example").unwrap();
                s.write_formula(1, 2, Formula::new("=NA()").set_result("#N/A"))
                    .unwrap();
            },
            &["line 2, column C \"Release Date\": the cell holds the spreadsheet error #N/A"],
        ),
        (
            "68-xlsx-no-crn-column",
            |s| {
                s.write_string(0, 0, "Name").unwrap();
                s.write_string(0, 1, "Release Date").unwrap();
                s.write_string(1, 0, "Ann Example").unwrap();
                s.write_string(1, 1, "2026-12-01").unwrap();
            },
            &["no CRN column: row 1 looks like the header (it has name, release_date)"],
        ),
        (
            "61-xlsx-empty-workbook",
            |_| {},
            &["the file has no header row"],
        ),
        (
            "62-xlsx-header-only",
            |s| {
                for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
                    s.write_string(0, c as u16, *h).unwrap();
                }
            },
            &["the file has a header but no rows"],
        ),
    ];
    let dir = corpus_dir();
    for (stem, fill, expected) in books {
        let mut book = Workbook::new();
        fill(book.add_worksheet());
        book.save(dir.join(format!("{stem}.xlsx"))).unwrap();
        std::fs::write(
            dir.join(format!("{stem}.expected")),
            expected.join("\n") + "\n",
        )
        .unwrap();
    }

    // A workbook renamed .csv is read as a workbook (a good file), and a CSV file renamed
    // .xlsx is refused.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["CRN", "Name", "Release Date"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "X100001").unwrap();
    s.write_string(1, 1, "Ann Example").unwrap();
    s.write_string(1, 2, "2026-12-01").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    std::fs::write(dir.join("ok/14-xlsx-named-csv.csv"), &bytes).unwrap();
    std::fs::write(
        dir.join("ok/14-xlsx-named-csv.expected"),
        "new 1\nhas Ann Example\n\
         stdout The file is an Excel workbook (.xlsx), not CSV text: read its first worksheet.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("60-csv-renamed-xlsx.xlsx"),
        "crn,name,release_date\nX100001,Ann Example,2026-12-01\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("60-csv-renamed-xlsx.expected"),
        "it is not an Excel workbook\nif it is a CSV file, give it a .csv name\n",
    )
    .unwrap();

    // Good: a formula's text typed into the notes of a workbook is kept as text.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["CRN", "Name", "Release Date", "Notes"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "X100001").unwrap();
    s.write_string(1, 1, "Ann Example").unwrap();
    s.write_string(1, 2, "2026-12-01").unwrap();
    s.write_string(1, 3, r#"=HYPERLINK("http://x","y")"#)
        .unwrap();
    s.write_string(2, 0, "X100002").unwrap();
    s.write_string(2, 1, "Bob Example").unwrap();
    s.write_string(2, 2, "02/12/2026").unwrap();
    book.save(dir.join("ok/13-xlsx-formula-text-in-notes.xlsx"))
        .unwrap();
    std::fs::write(
        dir.join("ok/13-xlsx-formula-text-in-notes.expected"),
        "new 2\nhas =HYPERLINK(\"http://x\",\"y\")\n",
    )
    .unwrap();
}

// ---- properties of the field parsers ----

fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // A failure prints its input; no regression file is written into the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// DOMAIN.md §5's CRN: a letter and six digits, any case, surrounding space ignored.
fn is_crn(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 7 && b[0].is_ascii_alphabetic() && b[1..].iter().all(u8::is_ascii_digit)
}

/// A letter, four digits, two letters.
fn is_noms(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 7
        && b[0].is_ascii_alphabetic()
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_alphabetic)
}

/// An error message fit for a terminal: one short line, no control characters.
fn clean_message(m: &str) -> bool {
    m.chars().count() <= 400 && !m.chars().any(char::is_control)
}

/// Checks one code enum against a string: accepted exactly when, upper-cased with spaces and
/// hyphens as underscores, it is one of the codes; refused with a clean message naming them.
fn check_codes<T>(s: &str, codes: &[&str]) -> Result<(), TestCaseError>
where
    T: FromStr<Err = ParseError> + std::fmt::Display,
{
    let norm: String = s
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    match T::from_str(s) {
        Ok(v) => prop_assert_eq!(v.to_string(), norm),
        Err(e) => {
            prop_assert!(!codes.contains(&norm.as_str()), "refused {:?}", s);
            prop_assert!(clean_message(&e.0), "{}", e.0);
            prop_assert!(e.0.contains(codes.join(", ").as_str()), "{}", e.0);
        }
    }
    Ok(())
}

fn code_strings<T: std::fmt::Display>(all: &[T]) -> Vec<String> {
    all.iter().map(|v| v.to_string()).collect()
}

/// A code as a person might type it: any case, `_` as space or hyphen, padded.
fn typed(code: String) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(any::<(bool, u8)>(), code.len()),
        " {0,2}",
        " {0,2}",
    )
        .prop_map(move |(flips, pre, post)| {
            let body: String = code
                .chars()
                .zip(flips)
                .map(|(c, (lower, sep))| match c {
                    '_' => [' ', '-', '_'][sep as usize % 3],
                    c if lower => c.to_ascii_lowercase(),
                    c => c,
                })
                .collect();
            format!("{pre}{body}{post}")
        })
}

fn all_codes() -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("rosh", code_strings(Rosh::ALL)),
        ("release_type", code_strings(ReleaseType::ALL)),
        ("accommodation", code_strings(Accommodation::ALL)),
        ("dtr", code_strings(DtrStatus::ALL)),
        ("crs", code_strings(CrsStatus::ALL)),
        ("cas3", code_strings(Cas3Status::ALL)),
        ("ap", code_strings(ApStatus::ALL)),
        ("cas2", code_strings(Cas2Status::ALL)),
    ]
}

fn check_all_codes(s: &str) -> Result<(), TestCaseError> {
    let codes = all_codes();
    let c = |i: usize| -> Vec<&str> { codes[i].1.iter().map(String::as_str).collect() };
    check_codes::<Rosh>(s, &c(0))?;
    check_codes::<ReleaseType>(s, &c(1))?;
    check_codes::<Accommodation>(s, &c(2))?;
    check_codes::<DtrStatus>(s, &c(3))?;
    check_codes::<CrsStatus>(s, &c(4))?;
    check_codes::<Cas3Status>(s, &c(5))?;
    check_codes::<ApStatus>(s, &c(6))?;
    check_codes::<Cas2Status>(s, &c(7))?;
    // The small parsers beside them: closed sets, never a panic.
    if let Ok(m) = parse_mappa(s) {
        prop_assert!(m <= 3);
    }
    if let Ok(f) = FridayRelease::from_str(s) {
        prop_assert!(f.days() <= 2);
    }
    if let Err(e) = parse_yes_no(s) {
        prop_assert!(clean_message(&e.0), "{}", e.0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn parse_date_never_panics_and_any_date_it_gives_round_trips(s in any::<String>()) {
        match parse_date(&s) {
            Ok(d) => {
                prop_assert!((1900..=2200).contains(&d.year()));
                prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()).unwrap(), d);
                prop_assert_eq!(parse_date(&d.format("%d/%m/%Y").to_string()).unwrap(), d);
            }
            Err(e) => prop_assert!(clean_message(&e.0), "{}", e.0),
        }
    }

    #[test]
    fn date_shaped_text_is_accepted_exactly_when_it_is_a_real_day_in_range(
        y in 0i32..10_000, m in 0u32..40, d in 0u32..40, iso in any::<bool>(),
        pad in any::<bool>(), space in " {0,2}",
    ) {
        let s = match (iso, pad) {
            (true, true) => format!("{space}{y:04}-{m:02}-{d:02}{space}"),
            (true, false) => format!("{y:04}-{m}-{d}"),
            (false, true) => format!("{space}{d:02}/{m:02}/{y:04}{space}"),
            (false, false) => format!("{d}/{m}/{y:04}"),
        };
        let real = NaiveDate::from_ymd_opt(y, m, d).filter(|_| (1900..=2200).contains(&y));
        match (parse_date(&s), real) {
            (Ok(got), Some(want)) => prop_assert_eq!(got, want),
            (Err(_), None) => {}
            (got, want) => prop_assert!(false, "{:?}: got {:?}, want {:?}", s, got, want),
        }
    }

    #[test]
    fn us_order_and_two_digit_years_are_never_guessed(
        day in 13u32..=28, month in 1u32..=12, year in 1900i32..=2200,
    ) {
        // 12/24/2026 is not read as 24 December: there is no month 24.
        let us = format!("{month:02}/{day:02}/{year}");
        let short = format!("{day:02}/{month:02}/{:02}", year % 100);
        let short_iso = format!("{:02}-{month:02}-{day:02}", year % 100);
        for s in [us, short, short_iso] {
            prop_assert!(parse_date(&s).is_err(), "{:?}", s);
        }
    }

    #[test]
    fn crn_is_a_letter_and_six_digits(
        s in prop_oneof![any::<String>(), "\\s{0,2}[A-Za-z0-9=#][0-9]{5,7}[A-Z]?\\s{0,2}"],
    ) {
        match Crn::from_str(&s) {
            Ok(crn) => {
                prop_assert!(is_crn(&s), "accepted {:?}", s);
                prop_assert_eq!(crn.as_str(), s.trim().to_ascii_uppercase());
                prop_assert_eq!(Crn::from_str(crn.as_str()).unwrap(), crn.clone());
            }
            Err(e) => {
                prop_assert!(!is_crn(&s), "refused {:?}", s);
                prop_assert!(clean_message(&e.0), "{}", e.0);
            }
        }
    }

    #[test]
    fn noms_is_a_letter_four_digits_and_two_letters(
        s in prop_oneof![any::<String>(), "\\s{0,2}[A-Za-z0-9][0-9]{3,5}[A-Za-z0-9]{1,3}\\s{0,2}"],
    ) {
        match Noms::from_str(&s) {
            Ok(noms) => {
                prop_assert!(is_noms(&s), "accepted {:?}", s);
                prop_assert_eq!(noms.as_str(), s.trim().to_ascii_uppercase());
            }
            Err(e) => {
                prop_assert!(!is_noms(&s), "refused {:?}", s);
                prop_assert!(clean_message(&e.0), "{}", e.0);
            }
        }
    }

    #[test]
    fn code_enums_accept_exactly_their_codes(
        s in prop_oneof![
            any::<String>(),
            "[A-Za-z_ -]{0,20}",
            proptest::sample::select(
                all_codes().into_iter().flat_map(|(_, c)| c).collect::<Vec<_>>()
            ).prop_flat_map(typed),
        ],
    ) {
        check_all_codes(&s)?;
    }

    #[test]
    fn mappa_is_zero_to_three_only(n in -5i64..50, prefix in prop_oneof![
        Just(""), Just("Level "), Just("level"), Just("L"), Just("l"),
    ]) {
        let s = format!("{prefix}{n}");
        prop_assert_eq!(parse_mappa(&s).is_ok(), (0..=3).contains(&n), "{:?}", s);
    }
}

// ---- random rows through the real binary ----

const COLUMNS: [&str; 11] = [
    "crn",
    "name",
    "release_date",
    "noms",
    "rosh",
    "mappa",
    "release_type",
    "accommodation",
    "dtr_date",
    "cas3",
    "notes",
];

fn date_text() -> impl Strategy<Value = String> {
    (2020i32..2031, 1u32..=12, 1u32..=28, any::<bool>()).prop_map(|(y, m, d, iso)| {
        if iso {
            format!("{y}-{m:02}-{d:02}")
        } else {
            format!("{d}/{m}/{y}")
        }
    })
}

fn one_of(codes: Vec<String>) -> BoxedStrategy<String> {
    proptest::sample::select(codes).prop_flat_map(typed).boxed()
}

/// A cell that belongs in its column.
fn good_cell(column: &str) -> BoxedStrategy<String> {
    match column {
        // Few CRNs, so duplicates and updates of the stored caseload happen.
        "crn" => "[Xx]1000(0[1-9]|1[0-9])".boxed(),
        "name" => "[A-Z][a-zë]{1,6} [A-Z][a-z'’]{1,8}".boxed(),
        "release_date" | "dtr_date" => date_text().boxed(),
        "noms" => "[A-Za-z][0-9]{4}[A-Z]{2}".boxed(),
        "rosh" => one_of(code_strings(Rosh::ALL)),
        "mappa" => "(Level )?[0-3]".boxed(),
        "release_type" => one_of(code_strings(ReleaseType::ALL)),
        "accommodation" => one_of(code_strings(Accommodation::ALL)),
        "cas3" => one_of(code_strings(Cas3Status::ALL)),
        _ => "[ -~ëé’€]{0,30}".boxed(),
    }
}

/// A cell that may be anything: quotes, separators, line breaks, NUL, escapes, formulas.
fn junk_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\u{a0}\u{e9}\u{eb}\u{2019}\u{feff}\t\r\n\u{0}\u{1b}\u{7f}]{0,12}",
        Just("=HYPERLINK(\"http://x\",\"y\")".to_string()),
        Just("\"".to_string()),
        Just("31/02/2026".to_string()),
        Just("12/24/2026".to_string()),
        Just("4".to_string()),
    ]
}

fn row() -> impl Strategy<Value = (Vec<String>, u8)> {
    let cells: Vec<BoxedStrategy<String>> = COLUMNS
        .iter()
        .map(|c| {
            prop_oneof![
                6 => good_cell(c),
                1 => junk_cell().boxed(),
                1 => Just(String::new()),
            ]
            .boxed()
        })
        .collect();
    // The byte says whether to drop or add a cell (a ragged row), mostly not.
    (cells, 0u8..20)
}

/// How the rows are written out.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// Properly quoted, `\n`.
    Quoted,
    /// Properly quoted, `\r\n`, UTF-8 with a byte-order mark.
    QuotedCrlfBom,
    /// Properly quoted, Windows-1252.
    Quoted1252,
    /// Cells pasted between commas as they are: stray quotes and line breaks run loose.
    Raw,
}

fn render(rows: &[(Vec<String>, u8)], layout: Layout) -> Vec<u8> {
    let shape = |(cells, ragged): &(Vec<String>, u8)| -> Vec<String> {
        let mut cells = cells.clone();
        match ragged {
            0 => {
                cells.pop();
            }
            1 => cells.push("extra".into()),
            _ => {}
        }
        cells
    };
    if let Layout::Raw = layout {
        let mut s = COLUMNS.join(",") + "\n";
        for r in rows {
            s += &(shape(r).join(",") + "\n");
        }
        return s.into_bytes();
    }
    let terminator = match layout {
        Layout::QuotedCrlfBom => csv::Terminator::CRLF,
        _ => csv::Terminator::Any(b'\n'),
    };
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(terminator)
        .from_writer(Vec::new());
    w.write_record(COLUMNS).unwrap();
    for r in rows {
        w.write_record(shape(r)).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    match layout {
        Layout::QuotedCrlfBom => [b"\xEF\xBB\xBF".as_slice(), &bytes].concat(),
        Layout::Quoted1252 => {
            let text = String::from_utf8(bytes).unwrap();
            encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
        }
        _ => bytes,
    }
}

/// The cases a successful import reports as new.
fn new_count(stdout: &str) -> Option<usize> {
    let at = stdout.find(" new, ")?;
    stdout[..at].rsplit(' ').next()?.parse().ok()
}

fn integrity(db: &Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn random_rows_end_in_a_clean_import_or_a_clean_error_naming_a_line(
        rows in proptest::collection::vec(row(), 1..6),
        layout in prop_oneof![
            Just(Layout::Quoted), Just(Layout::QuotedCrlfBom),
            Just(Layout::Quoted1252), Just(Layout::Raw),
        ],
    ) {
        thread_local! {
            static SEEDED: (tempfile::TempDir, Vec<u8>) = {
                let dir = tempfile::tempdir().unwrap();
                let bytes = seeded_database(dir.path());
                (dir, bytes)
            };
        }
        let (dir, seeded) = SEEDED.with(|(d, b)| (d.path().to_path_buf(), b.clone()));
        let work = tempfile::tempdir_in(&dir).unwrap();
        let db = work.path().join("x.db");
        std::fs::write(&db, &seeded).unwrap();
        let before = dump(&db);
        let file = work.path().join("random.csv");
        std::fs::write(&file, render(&rows, layout)).unwrap();

        let out = import(&db, &file);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        match out.status.code() {
            Some(0) => {
                prop_assert!(stdout.contains("Imported"), "{}", stdout);
                prop_assert_eq!(integrity(&db), "ok");
                let n = new_count(&stdout).unwrap();
                let listed = list_all(&db);
                prop_assert_eq!(listed.as_array().unwrap().len(), before.len() + n);
                prop_assert_eq!(dump(&db).len(), before.len() + n);
            }
            Some(1) => {
                // A row for a CRN the store does not hold, with its name or release date
                // blank, passes the parser (an update file need not give them) and is refused
                // at its line when the rows are planned against the store.
                prop_assert!(
                    names_a_line(&stderr)
                        || stderr.contains("the file has a header but no rows"),
                    "the error names no line: {}", stderr
                );
                let log = std::fs::metadata(side(&db, "-wal")).map_or(0, |m| m.len());
                prop_assert!(log == 0, "a refused import left a log of {} bytes", log);
                prop_assert!(std::fs::read(&db).unwrap() == seeded, "the database file changed");
            }
            other => prop_assert!(false, "exit status {:?}: {}", other, stderr),
        }
    }
}

#[test]
fn names_a_line_finds_line_numbers_only() {
    assert!(names_a_line(
        "x.csv was not imported. line 3, column crn: bad"
    ));
    assert!(!names_a_line("the file has a header but no rows"));
    assert!(!names_a_line("a line of text"));
    assert_eq!(
        new_count("Imported x.csv: 3 new, 1 updated, 0 unchanged."),
        Some(3)
    );
}
