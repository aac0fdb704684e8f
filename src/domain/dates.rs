//! How dates are written for officers: "Thu 24 Dec", ranges like "24–28 Dec".

use chrono::{Datelike, NaiveDate};

/// "Thu 24 Dec".
pub fn short(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// "Thu 24 Dec 2026".
pub fn long(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// "Thu 24 Dec", with the year added when it is not `today`'s year.
pub fn near(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        short(d)
    } else {
        long(d)
    }
}

/// "24–28 Dec", "30 Apr–4 May", "31 Dec–3 Jan", or "24 Dec" for a single day.
pub fn range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        first.format("%-d %b").to_string()
    } else if first.month() == last.month() && first.year() == last.year() {
        format!("{}–{}", first.day(), last.format("%-d %b"))
    } else {
        format!("{}–{}", first.format("%-d %b"), last.format("%-d %b"))
    }
}

/// A window of days for a heading: "on Wed 23 Dec 2026", or "Tue 1 Dec 2026 to Fri 1 Jan 2027".
pub fn span(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        format!("on {}", long(from))
    } else {
        format!("{} to {}", long(from), long(to))
    }
}

/// "1 day" / "4 days".
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(short(d(2026, 12, 24)), "Thu 24 Dec");
        assert_eq!(range(d(2026, 12, 24), d(2026, 12, 28)), "24–28 Dec");
        assert_eq!(range(d(2026, 12, 31), d(2027, 1, 3)), "31 Dec–3 Jan");
        assert_eq!(near(d(2027, 1, 4), d(2026, 12, 1)), "Mon 4 Jan 2027");
        assert_eq!(span(d(2026, 12, 23), d(2026, 12, 23)), "on Wed 23 Dec 2026");
        assert_eq!(
            span(d(2026, 12, 1), d(2027, 1, 1)),
            "Tue 1 Dec 2026 to Fri 1 Jan 2027"
        );
    }
}
