//! `releaseday demo`: an invented caseload, and the demo file `--demo` opens.
//!
//! The demo file is written only when it is missing or empty, or when `demo --reset` asks:
//! edits made in it are kept from one run to the next, whatever `--today` says.

use super::Ctx;
use crate::domain::demo::{self, DemoOptions};

/// `releaseday demo`: writes a demo caseload into an empty database, or over an earlier demo
/// caseload with `reset`; never over real cases.
pub fn run(ctx: &mut Ctx, cases: usize, seed: u64, reset: bool) -> anyhow::Result<String> {
    let held = refuse_real_cases(ctx)?;
    if held > 0 && !reset {
        let written = ctx.planner.demo_note()?.unwrap_or_default();
        let on = written.split(' ').next().unwrap_or_default();
        return Ok(format!(
            "{} already holds a demo caseload of {held} invented cases (written for {on}); it is \
             kept as it is, with any changes made in it. `releaseday demo --reset` writes a \
             fresh one.\n",
            ctx.db.display()
        ));
    }
    write(ctx, cases, seed)
}

/// For `--demo`: writes the default demo caseload when the demo file is new or empty.
pub fn ensure(ctx: &mut Ctx) -> anyhow::Result<()> {
    if refuse_real_cases(ctx)? == 0 {
        let defaults = DemoOptions::default();
        write(ctx, defaults.cases, defaults.seed)?;
    }
    Ok(())
}

/// How many cases the database holds; an error if they are not demo data.
fn refuse_real_cases(ctx: &Ctx) -> anyhow::Result<usize> {
    let held = ctx.planner.case_count()?;
    if held > 0 && ctx.planner.demo_note()?.is_none() {
        anyhow::bail!(
            "{} holds {} that are not demo data, so no demo caseload was written into it; \
             leave out --db to use the demo file, or name another file",
            ctx.db.display(),
            crate::text::count(held, "case")
        );
    }
    Ok(held)
}

/// Replaces whatever demo caseload is there (cases and their history) with a fresh one.
fn write(ctx: &mut Ctx, cases: usize, seed: u64) -> anyhow::Result<String> {
    let opts = DemoOptions {
        cases,
        seed,
        ..DemoOptions::default()
    };
    let generated = demo::generate(&opts, ctx.today, &ctx.planner.cal);
    let note = format!("{} seed={seed} cases={cases}", ctx.today);
    let n = ctx.planner.write_demo(&generated, &note)?;
    Ok(format!(
        "Wrote {n} invented cases to {} (seed {seed}, releases from {}). All names, CRNs and \
         prisons are made up.\n",
        ctx.db.display(),
        ctx.today
    ))
}
