//! The command line's output as an officer or a script meets it (issue 11): tables cut to a
//! terminal's width and never when piped, the rough edges of `--from`/`--to` and help, the
//! screens' filters, the duty sheet's booked beds and sort order, markdown that carries no
//! markup, the CSV export Excel reads right, and load clusters judged on the local rate.
//!
//! The real binary against a fresh temporary database, `--today` Mon 23 Nov 2026, `NO_COLOR=1`.
//! All names, CRNs and prisons are invented.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use serde_json::Value;
use std::io::Read;
use unicode_width::UnicodeWidthStr;

mod common;

use common::cli::{Env, TODAY};

impl Env {
    /// Runs in a pseudo-terminal `cols` wide; returns what it printed, one string per line.
    fn at_terminal(&self, cols: u16, args: &[&str]) -> Vec<String> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 50,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_releaseday"));
        cmd.args(["--db", self.db().to_str().unwrap(), "--today", TODAY]);
        cmd.args(args);
        cmd.cwd(self.dir.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("RELEASEDAY_CONFIG", self.config());
        cmd.env_remove("RELEASEDAY_DB");
        cmd.env_remove("COLUMNS");
        let mut child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let reading = std::thread::spawn(move || {
            let mut all = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&buf[..n]);
            }
            all
        });
        let status = child.wait().unwrap();
        drop(pty.master);
        let bytes = reading.join().unwrap();
        assert!(status.success(), "{args:?} failed at a terminal");
        String::from_utf8(bytes)
            .expect("UTF-8 output")
            .split('\n')
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect()
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key:?} in {v}"))
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// People whose names and prisons would not fit 80 columns whole, one with an accent written
/// as e + a combining diaeresis, one in Chinese characters (two columns each).
fn long_names() -> String {
    String::from(
        "crn,name,prison,officer,team,rosh,mappa,release_date,accommodation\n\
         X610001,Zoë Jackson-Whitfield-Montgomery,HMP Longbridge Moor Example Institution,Priya Shah,Ashbury North,HIGH,2,2026-11-23,NFA\n\
         X610002,Zoe\u{308} Jackson-Whitfield,HMP Longbridge Moor Example Institution,Marcus Hall,Ashbury South,MEDIUM,1,2026-11-23,SETTLED\n\
         X610003,李明 Example,HMP Longbridge Moor Example Institution,Priya Shah,Ashbury North,LOW,,2026-11-23,SETTLED\n"
    )
}

// ---------------------------------------------------------------------------------------------
// Width

#[test]
fn piped_tables_are_never_cut() {
    let env = Env::new();
    env.import_csv("people.csv", &long_names());
    for args in [
        &["list"][..],
        &["today"][..],
        &["gaps"][..],
        &["clusters"][..],
    ] {
        let out = env.ok(args);
        assert!(!out.contains('…'), "{args:?} cut something:\n{out}");
    }
    let today = env.ok(&["today"]);
    for whole in [
        "Zoë Jackson-Whitfield-Montgomery",
        "HIGH, MAPPA 2",
        "HMP Longbridge Moor Example Institution",
    ] {
        assert!(today.contains(whole), "{whole:?} missing:\n{today}");
    }
    let list = env.ok(&["list"]);
    assert!(
        list.contains("HMP Longbridge Moor Example Institution"),
        "{list}"
    );
}

/// At a terminal the tables use its width, counted in display columns: nothing wider, and the
/// names are cut with "…" to make room.
#[test]
fn tables_at_a_terminal_fit_its_width() {
    let env = Env::new();
    env.import_csv("people.csv", &long_names());
    for cols in [80u16, 100] {
        for args in [
            &["list"][..],
            &["today"][..],
            &["gaps"][..],
            &["clusters"][..],
            &["holidays", "list", "--year", "2030"][..],
        ] {
            let lines = env.at_terminal(cols, args);
            assert!(lines.len() > 3, "{args:?}: {lines:?}");
            for l in &lines {
                assert!(
                    l.width() <= cols as usize,
                    "{args:?} at {cols}: {} columns:\n{l}",
                    l.width()
                );
            }
        }
    }
    let lines = env.at_terminal(80, &["today"]);
    assert!(
        lines.iter().any(|l| l.contains('…')),
        "the long names are cut at 80:\n{}",
        lines.join("\n")
    );
    // A wider terminal shows more of them: the width is the terminal's, not a fixed 80.
    let wide = env.at_terminal(160, &["today"]).join("\n");
    assert!(wide.contains("Zoë Jackson-Whitfield-Montgomery"), "{wide}");
}

/// Columns line up by what the terminal shows: a decomposed "Zoë" is three columns (not four
/// characters) and "李明" four (not two), so every row's CRN starts in the same column.
#[test]
fn wide_and_combining_characters_keep_the_columns_aligned() {
    let env = Env::new();
    env.import_csv("people.csv", &long_names());
    let list = env.ok(&["list"]);
    let starts: Vec<usize> = list
        .lines()
        .filter_map(|l| l.find("X61000").map(|at| l[..at].width()))
        .collect();
    assert_eq!(starts.len(), 3, "{list}");
    assert!(starts.iter().all(|c| *c == starts[0]), "{starts:?}\n{list}");
    let lines = env.at_terminal(80, &["today"]);
    let starts: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.find("X61000").map(|at| l[..at].width()))
        .collect();
    assert_eq!(starts.len(), 3, "{lines:?}");
    assert!(
        starts.iter().all(|c| *c == starts[0]),
        "{starts:?}\n{}",
        lines.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Rough edges

#[test]
fn a_window_that_runs_backwards_is_an_error() {
    let env = Env::new();
    for cmd in ["list", "clusters"] {
        let err = env.fails(&[cmd, "--from", "2027-01-10", "--to", "2027-01-01"]);
        assert_eq!(
            err.trim_end(),
            "releaseday: --from Sun 10 Jan 2027 is after --to Fri 1 Jan 2027; give a --from \
             on or before the --to",
            "{cmd}"
        );
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    }
    // Only --from, after the default end: says which end it is.
    let err = env.fails(&["list", "--from", "2027-06-01"]);
    assert!(err.contains("after the end of the default window"), "{err}");
    assert!(err.contains("12 weeks"), "{err}");
    let err = env.fails(&["clusters", "--to", "2026-01-01"]);
    assert!(err.contains("before today"), "{err}");
    // The worklist starts today: a --to before it is refused too.
    let err = env.fails(&["gaps", "--to", "2026-01-01"]);
    assert!(err.contains("before today"), "{err}");
    // A window of one day is fine, and its heading names the day once.
    let out = env.ok(&["list", "--from", "2026-12-23", "--to", "2026-12-23"]);
    assert!(out.contains(" expected on Wed 23 Dec 2026"), "{out}");
}

#[test]
fn from_and_to_have_help_text() {
    let env = Env::new();
    for cmd in ["list", "clusters"] {
        let help = env.ok(&[cmd, "--help"]);
        for opt in ["--from", "--to"] {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(opt))
                .unwrap_or_else(|| panic!("{cmd}: no {opt} in\n{help}"));
            assert!(
                line.split_once("<DATE>")
                    .is_some_and(|(_, rest)| !rest.trim().is_empty()),
                "{cmd} {opt} says nothing: {line:?}"
            );
        }
    }
}

#[test]
fn completions_help_names_every_shell_it_takes() {
    let env = Env::new();
    let help = env.ok(&["completions", "--help"]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(help.to_lowercase().contains(shell), "{shell}:\n{help}");
        env.ok(&["completions", shell]);
    }
    assert!(!help.contains("bash, zsh or fish\n"), "{help}");
}

#[test]
fn holidays_outside_the_known_years_are_an_error() {
    let env = Env::new();
    let err = env.fails(&["holidays", "list", "--year", "10000"]);
    assert!(err.contains("10000") && err.contains("1990–2150"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    env.fails(&["holidays", "list", "--year", "1800"]);
    let ok = env.json(&["holidays", "list", "--year", "2150", "--format", "json"]);
    assert_eq!(ok.len(), 8);
}

/// A reader that stops early (`| head -1`) ends the command quietly, with success.
#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    env.ok(&["demo", "--cases", "3000"]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_releaseday"))
        .args(["--db", env.db().to_str().unwrap(), "--today", TODAY])
        .args(["list", "--format", "json"])
        .env_remove("RELEASEDAY_DB")
        .env("RELEASEDAY_CONFIG", env.config())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// Filters: the screens' officer, team, prison and "nowhere to go"

const TEAMS: &str = "crn,name,prison,officer,team,release_date,accommodation,cas3\n\
X620001,Ann Example,HMP Exampleton,Priya Shah,North,2026-11-23,NFA,\n\
X620002,Bob Example,HMP Exampleton,Marcus Hall,South,2026-11-23,SETTLED,\n\
X620003,Cat Example,HMP Sampleford,Priya Shah,North,2026-12-01,NFA,BED_BOOKED\n\
X620004,Dev Example,HMP Sampleford,,South,2026-12-02,TRANSIENT,\n";

fn crns(list: &[Value]) -> Vec<&str> {
    list.iter().map(|v| s(v, "crn")).collect()
}

#[test]
fn list_gaps_and_today_filter_as_the_screens_do() {
    let env = Env::new();
    env.import_csv("teams.csv", TEAMS);
    let list = |extra: &[&str]| {
        let mut args = vec!["list", "--format", "json"];
        args.extend_from_slice(extra);
        crns(&env.json(&args))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(list(&["--officer", "Priya Shah"]), ["X620001", "X620003"]);
    assert_eq!(
        list(&["--officer", "priya shah"]),
        ["X620001", "X620003"],
        "any case"
    );
    assert_eq!(
        list(&["--officer", "Priya"]),
        Vec::<String>::new(),
        "the whole name"
    );
    assert_eq!(list(&["--officer", "(none)"]), ["X620004"], "unallocated");
    assert_eq!(list(&["--team", "South"]), ["X620002", "X620004"]);
    assert_eq!(
        list(&["--prison", "HMP Sampleford"]),
        ["X620003", "X620004"]
    );
    // Nowhere to go: Cat is NFA with a CAS3 bed booked, so she has somewhere to go.
    assert_eq!(list(&["--nowhere-to-go"]), ["X620001", "X620004"]);
    assert_eq!(list(&["--team", "North", "--nowhere-to-go"]), ["X620001"]);
    let table = env.ok(&["list", "--officer", "Priya Shah"]);
    assert!(table.starts_with("2 releases expected"), "{table}");
    assert!(table.contains("officer Priya Shah"), "{table}");

    let gaps = env.json(&["gaps", "--format", "json", "--team", "South"]);
    assert!(!gaps.is_empty());
    assert!(gaps
        .iter()
        .all(|g| s(g, "crn") == "X620004" || s(g, "crn") == "X620002"));
    let all = env.json(&["gaps", "--format", "json"]);
    let south: Vec<&Value> = all
        .iter()
        .filter(|g| ["X620002", "X620004"].contains(&s(g, "crn")))
        .collect();
    assert_eq!(
        gaps.iter().collect::<Vec<_>>(),
        south,
        "the same rows, in the same order"
    );
    let nowhere = env.json(&["gaps", "--format", "json", "--nowhere-to-go"]);
    assert!(nowhere
        .iter()
        .all(|g| s(g, "crn") != "X620003" && s(g, "crn") != "X620002"));

    let sheet = env.json(&["today", "--format", "json", "--officer", "Marcus Hall"]);
    assert_eq!(crns(&sheet), ["X620002"]);
    let sheet = env.json(&["today", "--format", "json", "--nowhere-to-go"]);
    assert_eq!(crns(&sheet), ["X620001"]);
}

// ---------------------------------------------------------------------------------------------
// The duty sheet

#[test]
fn markdown_sheet_escapes_html_in_names_and_notes() {
    let env = Env::new();
    env.import_csv(
        "evil.csv",
        "crn,name,officer,notes,release_date\n\
         X630001,<img src=x onerror=alert(1)>,A & B <b>Team</b>,<script>alert(2)</script> | ok,2026-11-23\n",
    );
    let md = env.ok(&["today", "--format", "markdown"]);
    assert!(
        !md.contains("<img") && !md.contains("<script") && !md.contains("<b>"),
        "{md}"
    );
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
    assert!(md.contains("A &amp; B &lt;b&gt;Team&lt;/b&gt;"), "{md}");
    assert!(md.contains("\\| ok"), "{md}");
}

/// NFA with a CAS3 bed booked: every format says the bed is booked, and the person is not
/// counted or marked as having nowhere to go.
#[test]
fn a_booked_bed_shows_in_every_format_and_is_not_nowhere_to_go() {
    let env = Env::new();
    env.import_csv(
        "bed.csv",
        "crn,name,release_date,accommodation,cas3\n\
         X640001,Cat Example,2026-11-23,NFA,BED_BOOKED\n",
    );
    let table = env.ok(&["today"]);
    let row = table.lines().find(|l| l.contains("X640001")).expect(&table);
    assert!(row.contains("NFA · CAS3 bed booked"), "{row}");
    assert!(!row.contains('▲'), "{row}");
    assert!(table.contains("0 with nowhere to go"), "{table}");

    let md = env.ok(&["today", "--format", "markdown"]);
    let row = md.lines().find(|l| l.contains("X640001")).expect(&md);
    assert!(
        row.contains("NFA · CAS3 bed booked") && !row.contains("**"),
        "{row}"
    );

    let html = env.ok(&["today", "--format", "html"]);
    assert!(html.contains("<td>NFA · CAS3 bed booked</td>"), "{html}");
    assert!(!html.contains("class=\"nowhere\""), "{html}");

    let (header, rows) = parse_csv(&env.ok(&["today", "--format", "csv"]));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    assert_eq!(rows[0][col("accommodation")], "NFA");
    assert_eq!(rows[0][col("place_booked")], "CAS3 bed booked");
    assert_eq!(rows[0][col("needs_accommodation")], "no");

    let json = env.json(&["today", "--format", "json"]);
    assert_eq!(s(&json[0], "place_booked"), "CAS3 bed booked");
    assert_eq!(json[0]["needs_accommodation"], Value::Bool(false));
}

#[test]
fn the_sheet_says_how_each_part_is_sorted() {
    let env = Env::new();
    env.import_csv(
        "sheet.csv",
        "crn,name,release_date,accommodation\n\
         X650001,Zed Example,2026-11-23,SETTLED\n\
         X650002,Amy Example,2026-11-23,SETTLED\n\
         X650003,Bea Example,2026-11-20,SETTLED\n\
         X650004,Abe Example,2026-11-19,SETTLED\n",
    );
    let table = env.ok(&["today"]);
    assert!(table.contains("Expected today (2), by name"), "{table}");
    assert!(
        table.contains("Released earlier, not yet reported (2), by day, then name"),
        "{table}"
    );
    let order: Vec<usize> = ["X650002", "X650001", "X650004", "X650003"]
        .iter()
        .map(|c| table.find(c).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{table}");
    let md = env.ok(&["today", "--format", "markdown"]);
    assert!(md.contains("## Expected today (2), by name"), "{md}");
    assert!(md.contains("by day, then name"), "{md}");
    let html = env.ok(&["today", "--format", "html"]);
    assert!(html.contains("by day, then name"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// The CSV export, for Excel

#[test]
fn the_csv_export_has_a_byte_order_mark_says_so_and_round_trips() {
    let env = Env::new();
    env.import_csv(
        "zoe.csv",
        "crn,name,prison,release_date,notes\n\
         X660001,Zoë Example,HMP Llanfair Pwll,2026-12-10,Siân will meet her\n\
         X660002,Zoe\u{308} Sample,,2026-12-11,\n",
    );
    let file = env.path("export.csv");
    let said = env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(
        said.contains("Wrote 2 cases as CSV (UTF-8 with a byte-order mark, as Excel expects)"),
        "{said}"
    );
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFcrn,"), "{:?}", &bytes[..8]);
    assert_eq!(
        env.ok(&["export", "--format", "csv"]).as_bytes(),
        &bytes[..]
    );
    let help = env.ok(&["export", "--help"]);
    assert!(help.contains("byte-order mark"), "{help}");

    // Imported into a fresh database: the same cases, Zoë whole.
    let other = Env::new();
    let out = other.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("2 new"), "{out}");
    let wide = [
        "list",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--format",
        "json",
    ];
    assert_eq!(other.json(&wide), env.json(&wide));
    let back = other.json(&wide);
    let zoe = back.iter().find(|v| s(v, "crn") == "X660001").unwrap();
    assert_eq!(s(zoe, "name"), "Zoë Example");
    assert_eq!(s(zoe, "notes"), "Siân will meet her");
}

// ---------------------------------------------------------------------------------------------
// Load clusters through the store: the local rate of DOMAIN.md §2

/// Five releases on every working day of June 2027 (no bank holiday in it), a spike of 30
/// on Tue 15 Jun, and three releases in March 2028.
fn busy_june(spike: bool) -> String {
    let mut csv = String::from("crn,name,release_date,confirmed_day\n");
    let mut n = 0;
    let mut add = |csv: &mut String, day: chrono::NaiveDate| {
        n += 1;
        *csv += &format!("X{:06},Person {n} Example,{day},{day}\n", 700000 + n);
    };
    let mut day = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    while day <= chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap() {
        use chrono::Datelike;
        if day.weekday().number_from_monday() <= 5 {
            let count = if spike && day.day() == 15 { 30 } else { 5 };
            for _ in 0..count {
                add(&mut csv, day);
            }
        }
        day = day.succ_opt().unwrap();
    }
    for _ in 0..3 {
        add(
            &mut csv,
            chrono::NaiveDate::from_ymd_opt(2028, 3, 14).unwrap(),
        );
    }
    csv
}

fn load_days(clusters: &[Value]) -> Vec<String> {
    clusters
        .iter()
        .filter(|k| s(k, "kind") == "load")
        .map(|k| s(k, "day").to_string())
        .collect()
}

#[test]
fn clusters_judge_each_day_on_the_releases_around_it() {
    let env = Env::new();
    env.import_csv("june.csv", &busy_june(false));
    let year = env.json(&[
        "clusters",
        "--from",
        "2027-06-01",
        "--to",
        "2028-03-31",
        "--format",
        "json",
    ]);
    assert_eq!(
        load_days(&year),
        Vec::<String>::new(),
        "a busy month is not a spike"
    );

    let env = Env::new();
    env.import_csv("june.csv", &busy_june(true));
    let json = |from: &str, to: &str| {
        env.json(&["clusters", "--from", from, "--to", to, "--format", "json"])
    };
    let year = json("2027-06-01", "2028-03-31");
    assert_eq!(load_days(&year), ["2027-06-15"]);
    let spike = year.iter().find(|k| s(k, "day") == "2027-06-15").unwrap();
    assert_eq!(s(spike, "severity"), "red");
    // The same verdict, the same words, whatever the range.
    for (from, to) in [
        ("2027-06-15", "2027-06-15"),
        ("2027-06-14", "2027-06-16"),
        ("2026-11-23", "2028-12-31"),
    ] {
        let found = json(from, to);
        let k = found
            .iter()
            .find(|k| s(k, "day") == "2027-06-15")
            .unwrap_or_else(|| panic!("no spike in {from}..{to}"));
        assert_eq!(k, spike, "{from}..{to}");
    }
    // The table says it as an officer would.
    let table = env.ok(&["clusters", "--from", "2027-06-01", "--to", "2027-06-30"]);
    let row = table
        .lines()
        .find(|l| l.starts_with("Tue 15 Jun 2027"))
        .expect(&table);
    assert!(
        row.contains("× the usual") && row.contains("a day"),
        "{row}"
    );
    assert!(
        !table.contains("about") && !table.contains("usual\n"),
        "{table}"
    );
    assert!(table.contains("Takes releases due"), "{table}");
}

#[test]
fn cluster_wording_says_one_release_and_what_a_day_takes() {
    let env = Env::new();
    env.import_csv(
        "one.csv",
        "crn,name,release_date\nX670001,Ann Example,2027-03-25\n",
    );
    let table = env.ok(&["clusters"]);
    // The table's rows say what each day takes, never "covers 21 Dec" or "no covers".
    let rows: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 7, "{table}");
    assert!(
        rows.iter()
            .all(|l| !l.contains("no covers") && !l.contains("covers 2")),
        "{table}"
    );
    let json = env.json(&["clusters", "--format", "json"]);
    let easter = json.iter().find(|k| s(k, "day") == "2027-03-24").unwrap();
    assert_eq!(easter["load"], 1);
    let msg = s(easter, "message");
    assert!(
        msg.starts_with(
            "Thu 25 Mar 2027 takes releases due 25–29 Mar; under the Friday policy most go \
             out Wed 24 Mar, which then covers 24–29 Mar (Good Friday, Easter Monday)"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("; 1 release expected, 1 with nowhere to go"),
        "{msg}"
    );
    let ics = env.ok(&["export", "--format", "ics"]);
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("Release cluster (red): 1 release (1 with nowhere to go)"),
        "{unfolded}"
    );
    let list = env.ok(&["list", "--from", "2027-03-24", "--to", "2027-03-24"]);
    assert!(
        list.contains(
            "Wed 24 Mar 2027 · 1 release · 1 with nowhere to go · takes releases due 24–29 Mar"
        ),
        "{list}"
    );
}

/// An HDC case with nowhere to go and `ap_required` left blank, due between 16 weeks and 12
/// months ahead: `list` shows its CAS2_NOT_SENT flag, and so must `gaps` (SQL's NULL in
/// `NOT (ap_required = 1 AND …)` once dropped it from the worklist).
#[test]
fn gaps_shows_the_flags_list_shows_for_an_hdc_case_with_ap_required_blank() {
    let env = Env::new();
    env.import_csv(
        "hdc.csv",
        "crn,name,release_date,release_type,accommodation\n\
         X680001,Hal Example,2027-06-14,HDC,NFA\n",
    );
    let list = env.json(&[
        "list",
        "--from",
        "2027-06-01",
        "--to",
        "2027-06-30",
        "--format",
        "json",
    ]);
    let listed: Vec<&str> = list[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| s(f, "code"))
        .collect();
    assert!(listed.contains(&"CAS2_NOT_SENT"), "{listed:?}");
    let gaps = env.json(&["gaps", "--format", "json"]);
    let mut worklist: Vec<&str> = gaps.iter().map(|g| s(g, "code")).collect();
    // The worklist is in its own order (red first, by due day); the same flags.
    let mut listed = listed;
    worklist.sort();
    listed.sort();
    assert_eq!(worklist, listed);
}
