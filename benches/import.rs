//! `cargo bench` runs the import comparison too, so one command measures everything: this
//! hands the script in benches/ the binary cargo just built (bench profile) and passes on what
//! it prints. The script needs the sqlite3 shell and installs it when it can; the team database's
//! comparison (`import_vs_psql.sh`) needs a PostgreSQL server and skips without one.

use std::process::Command;

fn main() {
    // `cargo bench -- list` passes its filter to every bench: run only when it names us.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "import".contains(f.as_str())) {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let status = Command::new("bash")
        .arg(format!("{root}/benches/import_vs_sqlite3.sh"))
        .env("RELEASEDAY_BIN", env!("CARGO_BIN_EXE_releaseday"))
        .status()
        .expect("bash runs the import benchmark");
    assert!(status.success(), "the import benchmark failed");
    // The team database's import against psql \copy: skips itself without a server
    // (RELEASEDAY_TEST_PG, as `source .ci/postgres` sets it).
    let status = Command::new("bash")
        .arg(format!("{root}/benches/import_vs_psql.sh"))
        .env("RELEASEDAY_BIN", env!("CARGO_BIN_EXE_releaseday"))
        .status()
        .expect("bash runs the team database import benchmark");
    assert!(
        status.success(),
        "the team database import benchmark failed"
    );
}
