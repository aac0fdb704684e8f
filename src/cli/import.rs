//! `releaseday import FILE [--dry-run] [--prefer-file]`: whole-file check, then one transaction.

use super::Ctx;
use crate::domain::case::FieldChange;
use crate::io::import::{self, ImportError, ParsedImport, Problems};
use crate::query::import::{PlannedConflict, PlannedRow};
use crate::query::{unheld_errors, QueryError};
use crate::text::{count, inert};
use std::path::Path;

/// Import failures the user must act on; printed as they are, one per line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

pub fn run(ctx: &mut Ctx, file: &Path, dry_run: bool, prefer_file: bool) -> anyhow::Result<String> {
    let refused = |e: ImportError| -> anyhow::Error {
        match e {
            e @ ImportError::Invalid(_) => {
                Refused(format!("{} was not imported. {e}", file.display())).into()
            }
            e => Refused(format!("{} was not imported: {e}", file.display())).into(),
        }
    };
    let demo = |db: &Path| -> anyhow::Error {
        Refused(format!(
            "{} was not imported: {} holds the invented demo caseload, and real people are \
             never mixed with invented ones. Import into your own database: leave out --db \
             (and RELEASEDAY_DB) to use the default file, or name another file with --db.",
            file.display(),
            db.display()
        ))
        .into()
    };
    match ctx.planner.importable() {
        Err(QueryError::DemoDatabase) => return Err(demo(&ctx.db)),
        other => other?,
    }
    let parsed = import::read_path(file).map_err(refused)?;
    // How the file was read: a header below a title, a workbook named .csv.
    let notes = parsed.notes();
    let ParsedImport {
        rows,
        ignored_columns,
        labels,
        ..
    } = parsed;
    let row_count = rows.len();
    let plan = match ctx.planner.plan_import(rows, prefer_file) {
        Ok(plan) => plan,
        // Rows the store cannot add, shown with the file's own column names.
        Err(QueryError::Unheld(rows)) => {
            let has = |f: &str| {
                labels.label(f).is_some() || f == "name" && labels.label("first_name").is_some()
            };
            let p = Problems::new(unheld_errors(&rows, has), labels);
            return Err(refused(ImportError::Invalid(p)));
        }
        Err(QueryError::Import(e)) => return Err(refused(e)),
        Err(QueryError::DemoDatabase) => return Err(demo(&ctx.db)),
        Err(e) => return Err(e.into()),
    };
    let (new, updated, unchanged) = plan.counts();
    let conflicts = plan.conflicts.len();
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
            "Dry run of {}: {} — would add {new} new, update {updated}, leave {unchanged} \
             unchanged, with {}. Nothing was written.\n",
            file.display(),
            count(row_count, "row"),
            count(conflicts, "conflict")
        );
        // Written as it is made: a line per changed row (8 MB at 100,000) built into one
        // string beside the plan took the dry run over 80 MB.
        return super::sink::to_stdout(|w| {
            w.write_all(out.as_bytes())?;
            for row in &plan.rows {
                if let PlannedRow::Updated { crn, changes, .. } = row {
                    writeln!(w, "  update {crn}: {}", changes_text(changes))?;
                }
            }
            w.write_all(conflicts_text(&plan.conflicts, file, "would be").as_bytes())?;
            Ok(())
        });
    }
    let source = format!(
        "import of {}",
        file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into()
        )
    );
    let summary = ctx.planner.apply_import(&plan, &source)?;
    out += &format!(
        "Imported {}: {} new, {} updated, {} unchanged, {}.\n",
        file.display(),
        summary.new,
        summary.updated,
        summary.unchanged,
        count(conflicts, "conflict")
    );
    out += &conflicts_text(&plan.conflicts, file, "was");
    // The command ends here and the process with it: handing 100,000 planned cases back to the
    // allocator one text at a time was 2% of a national import's instructions, for nothing.
    std::mem::forget(plan);
    Ok(out)
}

/// A path as one word a shell reads back the same: quoted when it holds anything but the
/// usual file-name characters.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./:,+@%=".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// "dtr NOT_SENT → SUBMITTED, officer (blank) → Sam Jones"
fn changes_text(changes: &[FieldChange]) -> String {
    let show = |v: &Option<String>| v.as_deref().map_or_else(|| "(blank)".into(), inert);
    changes
        .iter()
        .map(|c| format!("{} {} → {}", c.field, show(&c.old), show(&c.new)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each conflict on a line of its own (`A100001 dtr: kept SUBMITTED (set in the planner); the
/// file says NOT_SENT`) under a line that says how to take the file's values instead.
fn conflicts_text(conflicts: &[PlannedConflict], file: &Path, kept: &str) -> String {
    if conflicts.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "Changed in the planner since the last import, and different in the file: the planner's \
         value {kept} kept. To take the file's values instead: releaseday import {} --prefer-file\n",
        shell_word(&file.display().to_string())
    );
    for PlannedConflict { crn, conflict } in conflicts {
        let kept = match &conflict.kept {
            Some(v) => format!("kept {} (set in the planner)", inert(v)),
            None => "kept it blank (cleared in the planner)".to_string(),
        };
        out += &format!(
            "  {crn} {}: {kept}; the file says {}\n",
            conflict.field,
            inert(&conflict.file)
        );
    }
    out
}
