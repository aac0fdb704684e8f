//! The settings file end to end (issue 6): `config path|show|init`, settings reaching the rules,
//! the audit log and purge, refusals naming the line, `--version`, completions and the man page.

mod common;

use common::cli::{fixture, Env};
use serde_json::Value;

impl Env {
    /// A fresh folder, the database named by `RELEASEDAY_DB` as a user's shell would.
    fn settings() -> Env {
        Env::new().db_in_env()
    }
    fn write_config(&self, text: &str) {
        std::fs::create_dir_all(self.path("settings")).unwrap();
        std::fs::write(self.config(), text).unwrap();
    }
    /// Runs, expects it refused (any failing status), returns standard error.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
    fn import_fixture(&self) {
        self.import_file(&fixture("caseload.csv"));
    }
    fn expected_day(&self, crn: &str) -> String {
        let list: Value = serde_json::from_str(&self.ok(&[
            "list",
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-01",
            "--format",
            "json",
        ]))
        .unwrap();
        let case = list
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["crn"] == crn)
            .unwrap_or_else(|| panic!("{crn} not listed"));
        case["expected_day"].as_str().unwrap().to_string()
    }
}

#[test]
fn path_honours_the_option_and_the_environment() {
    let env = Env::settings();
    assert_eq!(
        env.ok(&["config", "path"]).trim(),
        env.config().to_str().unwrap()
    );
    let other = env.path("elsewhere.toml");
    let out = env.ok(&["--config", other.to_str().unwrap(), "config", "path"]);
    assert_eq!(out.trim(), other.to_str().unwrap());
    assert!(!other.exists(), "asking for the path creates nothing");
}

#[test]
fn init_writes_the_defaults_once_and_show_reads_them() {
    let env = Env::settings();
    let shown_before = env.ok(&["config", "show"]);
    assert!(shown_before.contains("does not exist"), "{shown_before}");
    let said = env.ok(&["config", "init"]);
    assert!(said.contains("Wrote"), "{said}");
    let text = std::fs::read_to_string(env.config()).unwrap();
    assert!(text.contains("Homelessness Reduction Act 2017"));
    assert!(text.contains("dtr_red_days = 56"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.config())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second init refuses and leaves the officer's edits alone.
    env.write_config("[officer]\nname = \"Sam Example\"\n");
    let err = env.refused(&["config", "init"]);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    let shown = env.ok(&["config", "show"]);
    assert!(shown.contains("name = \"Sam Example\""), "{shown}");
    assert!(shown.contains("over the defaults"), "{shown}");
    // What `show` prints is itself a valid settings file.
    let round: toml::Table = toml::from_str(&shown).unwrap();
    assert_eq!(round["gaps"]["nfa_red_days"].as_integer(), Some(7));
    assert_eq!(
        round["keys"]["quit"].as_array().unwrap()[0].as_str(),
        Some("q")
    );

    env.ok(&["config", "init", "--force"]);
    let rewritten = std::fs::read_to_string(env.config()).unwrap();
    assert!(
        !rewritten.lines().any(|l| l.starts_with("name =")),
        "{rewritten}"
    );
    assert_eq!(env.ok(&["config", "init", "--print"]), text);
}

#[test]
fn the_friday_policy_switch_shows_the_statutory_day() {
    let env = Env::settings();
    env.import_fixture();
    // X100001: due Thu 24 Dec 2026, the day before Christmas.
    assert_eq!(env.expected_day("X100001"), "2026-12-23");
    env.write_config("[release]\nfriday_policy = false\n");
    let stderr = |env: &Env| {
        let out = env.cmd(&["list", "--format", "json"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    // The first run under the other policy says so (a shared database would flip back and
    // forth between officers' settings); the next run, under the same policy, says nothing.
    let warned = stderr(&env);
    assert!(
        warned.contains("Friday policy now off (was on for this database): expected days redone.")
            && warned.contains("Everyone sharing this database should use the same"),
        "{warned}"
    );
    assert_eq!(stderr(&env), "");
    assert_eq!(env.expected_day("X100001"), "2026-12-24");
}

#[test]
fn gap_thresholds_come_from_the_file() {
    let env = Env::settings();
    env.import_fixture();
    let codes_for = |env: &Env, crn: &str| -> Vec<String> {
        let gaps: Value = serde_json::from_str(&env.ok(&["gaps", "--format", "json"])).unwrap();
        gaps.as_array()
            .unwrap()
            .iter()
            .filter(|g| g["crn"] == crn)
            .map(|g| {
                format!(
                    "{} {}",
                    g["code"].as_str().unwrap(),
                    g["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    // X100001 (NFA, expected Wed 23 Dec: 30 days on) is not yet in NFA_AT_RELEASE's 28 days.
    assert!(!codes_for(&env, "X100001")
        .iter()
        .any(|c| c.starts_with("NFA_AT_RELEASE")));
    env.write_config("[gaps]\nnfa_shows_days = 40\nnfa_red_days = 30\n");
    assert!(codes_for(&env, "X100001").contains(&"NFA_AT_RELEASE red".to_string()));
}

#[test]
fn the_officer_name_goes_into_the_audit_log() {
    let env = Env::settings();
    env.write_config("[officer]\nname = \"Sam Example\"\n");
    env.import_fixture();
    let store = releaseday::store::SqliteStore::open(&env.path("x.db")).unwrap();
    let crn = "X100001".parse::<releaseday::domain::case::Crn>().unwrap();
    let audit = store.audit_for(&crn).unwrap();
    assert!(!audit.is_empty());
    assert!(audit.iter().all(|a| a.who == "Sam Example"), "{audit:?}");
}

#[test]
fn retention_days_sets_the_default_purge() {
    let env = Env::settings();
    env.import_fixture();
    // Run on 1 Mar 2027: the fixture's releases run to 22 Feb 2027.
    let purge = |env: &Env| {
        let out = env
            .cmd_on("2027-03-01", &["purge", "--dry-run"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let default = purge(&env);
    env.write_config("[data]\nretention_days = 7\n");
    let short = purge(&env);
    assert_ne!(default, short, "a shorter retention purges more");
    assert!(
        short.contains("2027-02-22") || short.contains("22 Feb 2027"),
        "{short}"
    );
}

#[test]
fn a_broken_file_is_refused_naming_each_line_and_nothing_is_touched() {
    let env = Env::settings();
    env.write_config(
        "[release]\nfriday_policy = true\n\n[gaps]\ndtr_shows_days = 30\n\n[keys]\nsearch = \"j\"\n",
    );
    let err = env.refused(&["list"]);
    assert!(err.contains(env.config().to_str().unwrap()), "{err}");
    assert!(
        err.contains(
            "line 5: gaps.dtr_shows_days: red 56 days ahead but shown only from 30 days ahead"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 8: keys: `j` would be both `down` and `search`"),
        "{err}"
    );
    assert!(!env.path("x.db").exists(), "no database is created");

    env.write_config("[release]\nfriday_polcy = true\n");
    let err = env.refused(&["gaps"]);
    assert!(
        err.contains("line 2: unknown field `friday_polcy`"),
        "{err}"
    );
    env.write_config("[clusters]\nwarn_weeks = \"eight\"\n");
    let err = env.refused(&["clusters"]);
    assert!(err.contains("line 2: invalid type"), "{err}");
    // Finding and replacing the broken file still works.
    env.ok(&["config", "path"]);
    let err = env.refused(&["config", "show"]);
    assert!(err.contains("line 2"), "{err}");
    env.ok(&["config", "init", "--force"]);
    env.ok(&["clusters"]);
}

#[test]
fn version_names_the_data_and_settings_files() {
    let env = Env::settings();
    let out = env.ok(&["--version"]);
    assert!(
        out.starts_with(&format!("releaseday {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(
        out.contains(&format!("data:   {}", env.path("x.db").display())),
        "{out}"
    );
    assert!(
        out.contains(&format!("config: {}", env.config().display())),
        "{out}"
    );
    assert!(out.contains("defaults in force"), "{out}");
    assert!(!env.path("x.db").exists(), "--version opens nothing");
}

#[test]
fn completions_cover_every_subcommand_and_bash_accepts_the_script() {
    let env = Env::settings();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        for sub in [
            "import", "list", "gaps", "clusters", "today", "export", "config", "man",
        ] {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let bash = env.path("releaseday.bash");
    std::fs::write(&bash, env.ok(&["completions", "bash"])).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&bash)
        .status();
    if let Ok(status) = check {
        assert!(status.success(), "bash -n rejected the completion script");
    }
}

#[test]
fn the_man_page_renders_with_every_subcommand() {
    let env = Env::settings();
    let page = env.ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH releaseday"),
        "{}",
        &page[..200]
    );
    for sub in ["import", "gaps", "clusters", "export", "completions"] {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
    // Where groff is installed, the page must render without warnings.
    let file = env.path("releaseday.1");
    std::fs::write(&file, &page).unwrap();
    if let Ok(out) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
    {
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
