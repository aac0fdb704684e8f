//! `releaseday import FILE [--dry-run]`: whole-file check, then one transaction.

use super::Ctx;
use crate::io::import::{self, ImportError, ParsedImport};
use crate::store::PlannedRow;
use std::path::Path;

/// Import failures the user must act on; printed as they are, one per line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

pub fn run(ctx: &mut Ctx, file: &Path, dry_run: bool) -> anyhow::Result<String> {
    let parsed = match import::read_path(file) {
        Ok(p) => p,
        Err(e @ ImportError::Invalid(_)) => {
            return Err(Refused(format!("{} was not imported. {e}", file.display())).into())
        }
        Err(e) => return Err(Refused(format!("{} was not imported: {e}", file.display())).into()),
    };
    // How the file was read: a header below a title, a workbook named .csv.
    let notes = parsed.notes();
    let ParsedImport {
        rows,
        ignored_columns,
        ..
    } = parsed;
    let row_count = rows.len();
    let plan = ctx.planner.plan_import(rows)?;
    let (new, updated, unchanged) = plan.counts();
    let mut out = notes.iter().map(|n| format!("{n}\n")).collect::<String>();
    if !ignored_columns.is_empty() {
        out += &format!(
            "Ignored column{} not used by releaseday: {}\n",
            if ignored_columns.len() == 1 { "" } else { "s" },
            ignored_columns.join(", ")
        );
    }
    if dry_run {
        out += &format!(
            "Dry run of {}: {} rows — would add {new} new, update {updated}, leave {unchanged} unchanged. Nothing was written.\n",
            file.display(),
            row_count
        );
        for row in &plan.rows {
            if let PlannedRow::Updated { after, changes, .. } = row {
                let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
                out += &format!("  update {}: {}\n", after.crn, fields.join(", "));
            }
        }
        return Ok(out);
    }
    let summary = ctx.planner.apply_import(&plan)?;
    out += &format!(
        "Imported {}: {} new, {} updated, {} unchanged.\n",
        file.display(),
        summary.new,
        summary.updated,
        summary.unchanged
    );
    Ok(out)
}
