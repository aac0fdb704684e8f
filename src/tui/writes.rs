//! What the planner writes: saving a field, a check-in, and undo and redo through the
//! history. Every write goes through the query layer with the version of the case on screen,
//! so a change against a case someone else changed meanwhile is refused, and the case is
//! read again; the cursor stays on the case written, wherever its day moves it.

use super::app::App;
use super::history::{Step, Way};
use super::popups::{Confirm, Popup};
use crate::domain::case::Crn;
use crate::domain::dates;
use crate::domain::fields::Field;
use crate::keys::Action;
use crate::query::{CaseView, EditError, EditOptions};
use crate::text::inert;
use chrono::NaiveDateTime;

impl App {
    /// Saves one field: validated as an import would, checked for plausibility, one
    /// transaction, one audit row per field. A bad value keeps the popup open with the
    /// message and writes nothing; a value the rules ask about (a confirmed day that is not a
    /// working day) asks first, and `confirmed` is the officer's yes.
    pub(super) fn save(&mut self, crn: &Crn, field: Field, text: &str, confirmed: bool) {
        let Some(view) = self.data.get(crn) else {
            return;
        };
        // Checked against the case as the editor showed it, not as it is held now: another
        // planner's change that arrived while the officer typed is never overwritten unseen.
        let seen = self.popups.iter().rev().find_map(|p| p.seen(crn)).cloned();
        let version = seen.as_ref().map_or(view.version, |s| s.version);
        let follow = self.selected().as_ref() == Some(crn);
        let options = EditOptions {
            // Recording a referral as sent dates it today (see `fill_sent_date`).
            sent_on: (self.clock)().date(),
            confirmed,
            restoring: false,
        };
        let result = self.planner.edit(
            crn,
            Some(version),
            &[(field, text.to_string())],
            self.today(),
            options,
        );
        match result {
            Err(EditError::Confirm(asked)) => {
                self.popups.push(Popup::Confirm(Confirm {
                    crn: crn.clone(),
                    field,
                    text: text.to_string(),
                    message: asked.join("; "),
                }));
            }
            Err(e @ (EditError::Invalid(_) | EditError::Refused(_))) => {
                let message = match &e {
                    // The popup names the field already.
                    EditError::Invalid(m) => m
                        .split_once(": ")
                        .map_or(m.clone(), |(_, why)| why.to_string()),
                    e => e.to_string(),
                };
                if let Some(p) = self.popups.last_mut() {
                    p.set_error(message);
                }
            }
            Ok(saved) if saved.changes.is_empty() => {
                self.popups.pop();
                self.say(format!("{} unchanged", field.label()));
            }
            Ok(saved) => {
                self.popups.pop();
                self.after_write(crn, follow);
                let new = field
                    .get(&saved.view.case)
                    .unwrap_or_else(|| "blank".into());
                let dated = saved
                    .filled
                    .iter()
                    .map(|date| format!(", {} {}", date.label(), dates::short(options.sent_on)))
                    .collect::<String>();
                let after = saved
                    .before
                    .iter()
                    .map(|(f, _)| (*f, f.get(&saved.view.case)))
                    .collect();
                self.history.record(Step::Fields {
                    crn: crn.clone(),
                    before: saved.before,
                    after,
                });
                self.say(format!(
                    "Saved {}: {new}{dated} ({} undoes)",
                    field.label(),
                    self.keymap.key_for(Action::Undo)
                ));
            }
            Err(EditError::Stale(now)) => {
                // The editor stays open with what was typed, now standing on the case as it
                // is: it says what changed, and Enter again saves over it knowingly.
                self.after_write(crn, follow);
                let who = self.last_writer(crn);
                let message = changed_meanwhile(seen.as_ref(), &now, who.as_deref());
                if let Some(p) = self.popups.last_mut() {
                    p.seen_now(&now);
                    p.set_error(message);
                }
            }
            Err(EditError::Store(e)) if e.is_unavailable() => {
                // Nothing was written and nothing typed is lost: Enter tries again.
                if let Some(p) = self.popups.last_mut() {
                    // The connection's own error is long (host, port, what failed): the header
                    // already says the database is unreachable, so the form says only what
                    // matters to the officer.
                    p.set_error(
                        "Not saved: the team database cannot be reached just now, so nothing \
                         was changed. What you typed is kept: Enter tries again"
                            .to_string(),
                    );
                }
            }
            Err(e) => {
                self.popups.pop();
                self.after_write(crn, follow);
                self.complain(not_saved(e));
            }
        }
    }

    /// Who wrote the case last (its newest audit row), to name them in a refusal.
    fn last_writer(&self, crn: &Crn) -> Option<String> {
        let history = self.planner.case_history(crn).ok()?;
        history.into_iter().next().map(|e| e.who)
    }

    /// Marks a case reported now, or takes the mark back. Refused when the case changed since
    /// it was read (another duty officer marked the person meanwhile): the message names what
    /// is there now, and the case is read again.
    pub(super) fn check_in(&mut self, crn: &Crn, reported: bool) {
        let Some(view) = self.data.get(crn) else {
            return;
        };
        let old = view.reported_at;
        let version = view.version;
        let name = inert(&view.case.name);
        if old.is_some() == reported {
            self.say(if reported {
                format!("{name} is already marked reported")
            } else {
                format!("{name} is not marked reported")
            });
            return;
        }
        let follow = self.selected().as_ref() == Some(crn);
        let at = reported.then(|| (self.clock)());
        let result = self.planner.check_in(crn, Some(version), at, self.today());
        self.after_write(crn, follow);
        let undo = self.keymap.key_for(Action::Undo);
        match result {
            Ok(_) => {
                self.history.record(Step::Reported {
                    crn: crn.clone(),
                    before: old,
                    after: at,
                });
                match at {
                    Some(t) => self.say(format!(
                        "{name} reported at {} ({undo} undoes)",
                        t.format("%H:%M")
                    )),
                    None => self.say(format!("{name} marked not reported ({undo} undoes)")),
                }
            }
            Err(EditError::Stale(now)) => self.complain(checked_in_meanwhile("Not changed", &now)),
            Err(e @ EditError::NotDue(_)) => self.complain(format!("Not marked: {name} is {e}")),
            Err(e) => self.complain(not_saved(e)),
        }
    }

    /// Undo or redo one step of the history. The step is made only if the case still holds
    /// what the step left (or, for redo, what it found): a step whose case has moved on since
    /// is dropped, and one refused because someone else wrote meanwhile stays, so that after
    /// looking at the reloaded case the officer can try it again.
    pub(super) fn step(&mut self, way: Way) {
        let verb = match way {
            Way::Undo => "undo",
            Way::Redo => "redo",
        };
        let Some(step) = self.history.next(way) else {
            self.say(format!("Nothing to {verb}"));
            return;
        };
        let crn = step.crn().clone();
        match self.data.hold(&self.planner, &crn) {
            Ok(true) => {}
            Ok(false) => {
                self.history.drop_next(way);
                self.complain(format!(
                    "Not {verb}ne: that case is no longer in the database"
                ));
                return;
            }
            Err(e) => {
                self.complain(format!("Not {verb}ne: the case could not be read ({e})"));
                return;
            }
        }
        let Some(view) = self.data.get(&crn) else {
            return;
        };
        let (version, name) = (view.version, inert(&view.case.name));
        let done = if way == Way::Undo { "Undone" } else { "Redone" };
        if let Some(why) = moved_on(&step, view) {
            self.history.drop_next(way);
            self.complain(format!(
                "Not {verb}ne: {name}'s {why} since; that step is dropped"
            ));
            return;
        }
        let follow = self.selected().as_ref() == Some(&crn);
        let today = self.today();
        let result = match &step {
            Step::Fields { after, .. } => {
                let values: Vec<(Field, String)> = after
                    .iter()
                    .map(|(f, v)| (*f, v.clone().unwrap_or_default()))
                    .collect();
                // Values the case held already: put back as they were, not checked again
                // nor dated afresh (a confirmed weekend day stays confirmed).
                let restoring = EditOptions {
                    sent_on: today,
                    confirmed: true,
                    restoring: true,
                };
                self.planner
                    .edit(&crn, Some(version), &values, today, restoring)
                    .map(|_| ())
            }
            Step::Reported { after, .. } => self
                .planner
                .check_in(&crn, Some(version), *after, today)
                .map(|_| ()),
        };
        self.after_write(&crn, follow);
        match result {
            Ok(()) => {
                self.history.taken(way);
                // "back to" the value undo restores; redo sets the value again.
                let to = if way == Way::Undo { "back to " } else { "" };
                let what = match &step {
                    Step::Fields { after, .. } => match after.first() {
                        Some((f, v)) => format!(
                            "{} {to}{}",
                            f.label(),
                            v.as_deref().map_or("blank".into(), inert)
                        ),
                        None => "the change".into(),
                    },
                    Step::Reported { after, .. } => reported_words(&name, to, *after),
                };
                let back = match way {
                    Way::Undo => format!(" ({} redoes)", self.keymap.key_for(Action::Redo)),
                    Way::Redo => String::new(),
                };
                self.say(format!("{done}: {what}{back}"));
            }
            Err(EditError::Stale(now)) => {
                let lead = format!("Not {verb}ne");
                self.complain(match step {
                    Step::Reported { .. } => checked_in_meanwhile(&lead, &now),
                    Step::Fields { .. } => format!(
                        "{lead}: someone else changed {}'s case meanwhile; it has been \
                         reloaded: check it, then {} to try again",
                        inert(&now.case.name),
                        self.keymap.key_for(match way {
                            Way::Undo => Action::Undo,
                            Way::Redo => Action::Redo,
                        })
                    ),
                });
            }
            Err(e) => self.complain(format!("Not {verb}ne: {}", not_saved(e))),
        }
    }

    /// After a write (or a refused one): the case is read again and every view brought up
    /// to date, open popups included. `follow`: the case was under the cursor, which stays
    /// on it wherever its day now puts it.
    pub(super) fn after_write(&mut self, crn: &Crn, follow: bool) {
        if let Err(e) = self.data.refresh_case(&self.planner, crn) {
            self.complain(format!("The screen could not be refreshed: {e}"));
        }
        self.refresh_views();
        // Views keep their case across a refresh themselves; this catches the rest (the
        // calendar follows the case to its new day).
        if follow && self.selected().as_ref() != Some(crn) {
            let data = &self.data;
            self.views.get_mut(self.view).select(crn, data);
        }
        let (data, planner) = (&self.data, &self.planner);
        self.popups
            .iter_mut()
            .for_each(|p| p.refresh_case(crn, data, planner));
    }
}

/// Why a step can no longer be made: the case no longer holds what the step starts from.
fn moved_on(step: &Step, view: &CaseView) -> Option<String> {
    match step {
        Step::Fields { before, .. } => before.iter().find_map(|(f, was)| {
            let now = f.get(&view.case);
            (now != *was).then(|| {
                format!(
                    "{} has changed (now {})",
                    f.label(),
                    now.as_deref().map_or("blank".into(), inert)
                )
            })
        }),
        Step::Reported { before, .. } => {
            (view.reported_at != *before).then(|| match view.reported_at {
                Some(t) => format!(
                    "check-in has changed (now reported at {})",
                    t.format("%H:%M")
                ),
                None => "check-in has changed (now not reported)".into(),
            })
        }
    }
}

/// "Ann Zed reported at 09:14", "Ann Zed back to not reported" (`to` = "back to ").
fn reported_words(name: &str, to: &str, at: Option<NaiveDateTime>) -> String {
    match at {
        Some(t) => format!("{name} {to}reported at {}", t.format("%H:%M")),
        None => format!("{name} {to}not reported"),
    }
}

/// A check-in refused because the case changed meanwhile: says what is there now, so
/// nobody has to guess.
fn checked_in_meanwhile(lead: &str, now: &CaseView) -> String {
    let name = inert(&now.case.name);
    match now.reported_at {
        Some(t) => format!(
            "{lead}: {name} was marked reported at {} meanwhile, on another planner",
            t.format("%H:%M")
        ),
        None => format!(
            "{lead}: {name}'s case changed meanwhile and is not marked reported now; check it \
             and try again"
        ),
    }
}

/// An edit refused because the case changed since the editor opened: who changed it and
/// what is there now, field by field (the first few), and what the officer can do.
fn changed_meanwhile(seen: Option<&CaseView>, now: &CaseView, who: Option<&str>) -> String {
    let mut what: Vec<String> = Vec::new();
    if let Some(seen) = seen {
        for f in Field::ALL {
            let (was, is) = (f.get(&seen.case), f.get(&now.case));
            if was != is {
                let value = is.as_deref().map_or("blank".into(), inert);
                what.push(format!("{} now {value}", f.label()));
            }
        }
        if seen.reported_at != now.reported_at {
            what.push(match now.reported_at {
                Some(t) => format!("marked reported at {}", t.format("%H:%M")),
                None => "check-in taken back".into(),
            });
        }
    }
    let shown = what.len().min(3);
    let more = match what.len() - shown {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let what = match shown {
        0 => String::new(),
        _ => format!(": {}{more}", what[..shown].join(", ")),
    };
    let who = who.map_or("Someone".to_string(), inert);
    format!("Not saved: {who} changed this case meanwhile{what}. Enter saves yours over it; Esc keeps theirs")
}

/// What the status line says about a change that was not saved.
fn not_saved(e: EditError) -> String {
    match e {
        e @ EditError::Stale(_) => e.to_string(),
        e => format!("Not saved: {e}"),
    }
}
