//! `releaseday backup`, `restore` and `purge`: keeping a copy, getting it back, and letting old
//! cases go once the team no longer needs them.

use super::Ctx;
use anyhow::bail;
use chrono::{Days, NaiveDate};
use std::path::Path;

pub fn backup(ctx: &Ctx, file: &Path, force: bool) -> anyhow::Result<String> {
    let n = ctx.planner.backup(file, force)?;
    Ok(format!(
        "Backed up {n} {} to {}.\n\
         It holds the same personal data as the database: keep it somewhere as safe.\n",
        cases(n),
        file.display()
    ))
}

pub fn restore(ctx: &mut Ctx, file: &Path) -> anyhow::Result<String> {
    let restored = ctx.planner.restore(file)?;
    let mut out = format!(
        "Restored {} {} from {}.\n",
        restored.cases,
        cases(restored.cases),
        file.display()
    );
    if let Some(safety) = restored.safety_copy {
        out += &format!(
            "The database as it was is kept in {}; delete it once you are sure.\n",
            safety.display()
        );
    }
    Ok(out)
}

/// Purges cases released before `before`, or by default before the retention period.
pub fn purge(ctx: &mut Ctx, before: Option<NaiveDate>, dry_run: bool) -> anyhow::Result<String> {
    let retention = ctx.planner.settings.retention_days;
    let before = match before {
        Some(day) => day,
        None => ctx
            .today
            .checked_sub_days(Days::new(retention.into()))
            .unwrap_or(NaiveDate::MIN),
    };
    if before > ctx.today {
        bail!(
            "{before} is after today ({}): only cases already released can be purged; \
             give a date on or before today",
            ctx.today
        );
    }
    let purged = ctx.planner.purge(before, dry_run)?;
    let n = purged.cases;
    Ok(if dry_run {
        format!(
            "Would purge {n} {} released before {before}, with {} history {}.\n\
             Dry run: nothing was deleted.\n",
            cases(n),
            purged.audit_rows,
            if purged.audit_rows == 1 {
                "entry"
            } else {
                "entries"
            }
        )
    } else if n == 0 {
        format!("No cases released before {before}: nothing was purged.\n")
    } else {
        format!(
            "Purged {n} {} released before {before}, with their history.\n\
             Backups made earlier still hold them.\n",
            cases(n)
        )
    })
}

fn cases(n: usize) -> &'static str {
    if n == 1 {
        "case"
    } else {
        "cases"
    }
}
