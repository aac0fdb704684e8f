//! `releaseday edit CRN FIELD=VALUE…` and `releaseday checkin CRN [--undo]`: the planner's edit
//! and check-in from a script (DOMAIN.md §6), through the same query-layer calls as the screens.

use super::args::ChangeFormat;
use super::import::Refused;
use super::json::{self, CaseJson};
use super::Ctx;
use crate::domain::case::{normalise_code, Crn};
use crate::domain::fields::Field;
use crate::query::{CaseView, EditError, EditOptions, Planner};
use chrono::NaiveDateTime;

/// Parses `FIELD=VALUE` pairs. Field names are the import's (`dtr`, `dtr_date`, `confirmed_day`…),
/// matched ignoring case with `-` or a space for `_`; `FIELD=` clears the field.
pub fn parse_assignments(pairs: &[String]) -> Result<Vec<(Field, String)>, String> {
    let mut out: Vec<(Field, String)> = Vec::new();
    let mut problems = Vec::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            problems.push(format!(
                "{} is not FIELD=VALUE (for example dtr=SUBMITTED; FIELD= clears a field)",
                crate::domain::case::quote_token(pair)
            ));
            continue;
        };
        let column = normalise_code(name).to_ascii_lowercase();
        match Field::from_column(&column) {
            Some(f) if out.iter().any(|(g, _)| *g == f) => {
                problems.push(format!("{} is given twice", f.column()))
            }
            Some(f) => out.push((f, value.to_string())),
            None => problems.push(format!(
                "{} is not a field that can be edited; fields: {}",
                crate::domain::case::quote_token(name),
                Field::EDITABLE.map(Field::column).join(", ")
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    if out.is_empty() {
        return Err("give at least one FIELD=VALUE to change".into());
    }
    Ok(out)
}

pub fn edit(
    ctx: &mut Ctx,
    crn: &str,
    pairs: &[String],
    yes: bool,
    format: ChangeFormat,
) -> anyhow::Result<String> {
    let crn = parse_crn(crn)?;
    let values =
        parse_assignments(pairs).map_err(|e| Refused(format!("Nothing was changed: {e}")))?;
    let options = EditOptions {
        sent_on: ctx.today,
        // A non-working confirmed day needs `--yes`, as the edit form asks before saving it.
        confirmed: yes,
        restoring: false,
    };
    let today = ctx.today;
    let saved = ctx
        .planner
        .edit(&crn, None, &values, today, options)
        .map_err(|e| refusal(e, "--yes", &ctx.planner))?;
    Ok(match format {
        ChangeFormat::Json => json::to_string(&[CaseJson::from(&saved.view)]),
        ChangeFormat::Table if saved.changes.is_empty() => {
            format!("{crn}: nothing changed (the case already holds those values).\n")
        }
        ChangeFormat::Table => {
            let mut out = format!(
                "Saved {crn}: {} change{}.\n",
                saved.changes.len(),
                if saved.changes.len() == 1 { "" } else { "s" }
            );
            for c in &saved.changes {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "blank".into());
                out += &format!(
                    "  {}: {} → {}\n",
                    c.field,
                    crate::text::inert(&show(&c.old)),
                    crate::text::inert(&show(&c.new))
                );
            }
            out
        }
    })
}

pub fn checkin(
    ctx: &mut Ctx,
    crn: &str,
    undo: bool,
    now: NaiveDateTime,
    format: ChangeFormat,
) -> anyhow::Result<String> {
    let crn = parse_crn(crn)?;
    let today = ctx.today;
    let current = ctx
        .planner
        .case(&crn, today)?
        .ok_or_else(|| refusal(EditError::NotFound, "", &ctx.planner))?;
    // Recording again never moves the time another officer recorded; taking back one that is
    // not there writes nothing.
    let unchanged = match (undo, current.reported_at) {
        (false, Some(t)) => Some(format!(
            "{crn} already reported at {}; nothing changed.\n",
            t.format("%H:%M on %a %-d %b")
        )),
        (true, None) => Some(format!("{crn} is not marked reported; nothing changed.\n")),
        _ => None,
    };
    let view = match unchanged {
        Some(text) => {
            if format == ChangeFormat::Table {
                return Ok(text);
            }
            current
        }
        None => {
            let at = (!undo).then_some(now);
            let done = ctx
                .planner
                .check_in(&crn, Some(current.version), at, today)
                .map_err(|e| refusal(e, "", &ctx.planner))?;
            done.view
        }
    };
    Ok(match format {
        ChangeFormat::Json => json::to_string(&[CaseJson::from(&view)]),
        ChangeFormat::Table => match view.reported_at {
            Some(t) => format!("{crn} reported at {}.\n", t.format("%H:%M on %a %-d %b")),
            None => format!("{crn} is no longer marked reported.\n"),
        },
    })
}

fn parse_crn(crn: &str) -> anyhow::Result<Crn> {
    crn.parse::<Crn>()
        .map_err(|e| Refused(format!("Nothing was changed: {e}")).into())
}

/// One sentence for a change the query layer refused, with what to do.
fn refusal(e: EditError, confirm_flag: &str, planner: &Planner) -> anyhow::Error {
    let text = match e {
        EditError::NotFound => {
            "Nothing was changed: no case with that CRN is stored (check it with `releaseday list`)."
                .to_string()
        }
        EditError::Invalid(m) => format!("Nothing was changed: {m}."),
        EditError::Refused(m) => format!("Nothing was changed: {}.", m.join("; ")),
        EditError::Confirm(m) => format!(
            "Nothing was changed: {}. Add {confirm_flag} to save it anyway.",
            m.join("; ")
        ),
        EditError::Stale(now) => stale(&now, planner.latest_change_to(&now.case.crn)),
        e @ EditError::NotDue(_) => format!("Nothing was changed: the person is {e}."),
        EditError::Store(e) => return anyhow::Error::new(e).context("nothing was changed"),
    };
    Refused(text).into()
}

fn stale(now: &CaseView, by: Option<String>) -> String {
    let by = by.map_or(String::new(), |by| format!(": {by}"));
    format!(
        "Nothing was changed: the case was changed by someone else at the same moment{by} (it \
         is now at version {}); run the command again.",
        now.version
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_use_the_import_field_names() {
        let got = parse_assignments(&[
            "dtr=SUBMITTED".into(),
            "DTR-Date=2026-11-20".into(),
            "notes=rang them = no answer".into(),
            "confirmed_day=".into(),
        ])
        .unwrap();
        assert_eq!(
            got,
            [
                (Field::Dtr, "SUBMITTED".to_string()),
                (Field::DtrDate, "2026-11-20".to_string()),
                (Field::Notes, "rang them = no answer".to_string()),
                (Field::ConfirmedDay, String::new()),
            ]
        );
    }

    #[test]
    fn every_bad_pair_is_named() {
        let e = parse_assignments(&[
            "shoe=9".into(),
            "dtr".into(),
            "crs=LIVE".into(),
            "crs=x".into(),
        ])
        .unwrap_err();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3, "{e}");
        assert!(lines[0].starts_with("\"shoe\" is not a field"), "{e}");
        assert!(lines[1].contains("is not FIELD=VALUE"), "{e}");
        assert_eq!(lines[2], "crs is given twice");
        assert!(parse_assignments(&[]).is_err());
    }
}
