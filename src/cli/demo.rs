//! `releaseday demo`: an invented caseload, and the demo file `--demo` opens.

use super::Ctx;
use crate::io::demo::{self, DemoOptions};

use crate::store::meta::DEMO_MARKER as DEMO_KEY;

/// Writes the demo caseload, replacing an earlier demo caseload but never real cases.
pub fn write(ctx: &mut Ctx, cases: usize, seed: u64) -> anyhow::Result<String> {
    let store = &ctx.planner.store;
    let existing = store.case_count()?;
    if existing > 0 && store.meta_get(DEMO_KEY)?.is_none() {
        anyhow::bail!(
            "this database already holds {existing} cases that are not demo data; \
             choose another file with --db to write a demo caseload"
        );
    }
    let opts = DemoOptions {
        cases,
        seed,
        ..DemoOptions::default()
    };
    let generated = demo::generate(&opts, ctx.today, &ctx.planner.cal);
    let cal = &ctx.planner.cal;
    let store = &mut ctx.planner.store;
    store.remove_all_cases("demo")?;
    let n = store.insert_many(&generated, "demo", &|c| cal.expected_day(c))?;
    store.meta_set(
        DEMO_KEY,
        &format!("{} seed={seed} cases={cases}", ctx.today),
    )?;
    Ok(format!(
        "Wrote {n} invented cases (seed {seed}, releases from {}). All names, CRNs and prisons are made up.\n",
        ctx.today
    ))
}

/// Makes sure the demo file holds today's demo caseload (regenerated when stale or empty).
pub fn ensure(ctx: &mut Ctx) -> anyhow::Result<()> {
    let wanted_prefix = format!("{} ", ctx.today);
    let current = ctx.planner.store.meta_get(DEMO_KEY)?;
    let fresh = current
        .as_deref()
        .is_some_and(|v| v.starts_with(&wanted_prefix));
    if !fresh || ctx.planner.store.case_count()? == 0 {
        write(
            ctx,
            DemoOptions::default().cases,
            DemoOptions::default().seed,
        )?;
    }
    Ok(())
}
