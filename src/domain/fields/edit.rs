//! An officer's edit, beyond each value's own parser: the plausibility checks the edit form and
//! `releaseday edit` make, and the sent date a referral recorded as sent is given.

use super::{Case, Field};
use crate::domain::calendar::Calendar;
use crate::domain::codes::parse_date;
use crate::domain::dates;
use chrono::NaiveDate;

impl Field {
    /// After `self` was changed on `c` from `was`: when it now records a referral as just sent,
    /// the date field to fill with `on` (the day the officer recorded it). A date already held
    /// is kept (typed first, or imported) unless the referral had ended — withdrawn, rejected,
    /// no place — when it belongs to the earlier referral and this is a new one. Re-saving the
    /// sending status, or a later status (accepted, booked…), fills nothing: the referral went
    /// earlier, on a day not known here.
    pub fn fill_sent_date(self, was: Option<&str>, c: &mut Case, on: NaiveDate) -> Option<Field> {
        let date = self.sent_date()?;
        let sending = self.sending_status()?;
        if self.get(c).as_deref() != Some(sending) || was == Some(sending) {
            return None;
        }
        let resent = was.is_some_and(ended_status);
        if date.get(c).is_some() && !resent {
            return None;
        }
        date.set(c, &on.to_string()).ok()?;
        Some(date)
    }
}

/// What an officer's edit is refused for, and what it must confirm first (the edit form's and
/// `releaseday edit`'s checks, beyond each value's own parser).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditCheck {
    /// Implausible values: the edit is not saved.
    pub refused: Vec<String>,
    /// Possible but unusual values: saved only once the officer says so.
    pub confirm: Vec<String>,
}

/// Checks the fields an edit changes from `before` to `after`, as an officer would expect:
/// a referral's sent date is never after `today`, and only a referral that was sent (a status
/// other than `NOT_SENT`) has one; a confirmed release day on a non-working day is asked about.
/// Fields the edit leaves alone are not checked: an import may have brought them.
pub fn check_edit(before: &Case, after: &Case, today: NaiveDate, cal: &Calendar) -> EditCheck {
    let mut check = EditCheck::default();
    let changed = |f: Field| f.get(before) != f.get(after);
    let referrals = Field::ALL
        .into_iter()
        .filter_map(|status| Some((status, status.sent_date()?)));
    for (status, date) in referrals {
        if !changed(status) && !changed(date) {
            continue;
        }
        let Some(sent) = date.get(after).and_then(|d| parse_date(&d).ok()) else {
            continue;
        };
        if sent > today {
            check.refused.push(format!(
                "{} {} is after today ({}): a referral is dated the day it was sent",
                date.label(),
                dates::short(sent),
                dates::short(today)
            ));
        }
        if matches!(status.get(after).as_deref(), None | Some("NOT_SENT")) {
            let hint = if changed(status) {
                format!("clear {} first", date.label())
            } else {
                format!(
                    "set {} to the status it was sent with first",
                    status.label()
                )
            };
            check.refused.push(format!(
                "{} is only for a referral that was sent, and {} is {}: {hint}",
                date.label(),
                status.label(),
                status.get(after).as_deref().unwrap_or("NOT_SENT"),
            ));
        }
    }
    if changed(Field::ConfirmedDay) {
        if let Some(day) = after.confirmed_day.filter(|d| cal.is_non_working(*d)) {
            check.confirm.push(format!(
                "{} is not a working day (a weekend or bank holiday)",
                dates::long(day)
            ));
        }
    }
    check
}

/// Statuses that close a referral without a place: a later "sent" is a fresh referral.
fn ended_status(status: &str) -> bool {
    matches!(
        status,
        "WITHDRAWN" | "REJECTED" | "NOT_ACCEPTED" | "NO_PLACE" | "COMPLETED"
    )
}
