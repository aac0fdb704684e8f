//! Values that parse but make no sense: a flag red before it shows, a zero spike threshold, a
//! warning lead of ten years. Each problem names the line that set the value.

use super::{line_of, Config, Problem};

/// Longest lead a day-count threshold may have: two years.
const MAX_DAYS: u32 = 730;
const MAX_MONTHS: u32 = 24;

/// `blank(section, key)`: the key's line was refused and blanked, so it holds its default;
/// checks that compare it with another value are skipped (they would invent a problem).
pub fn check(config: &Config, text: &str, blank: &dyn Fn(&str, &str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut fail = |section: &str, key: &str, message: String| {
        problems.push(Problem {
            line: line_of(text, section, key),
            message: format!("{section}.{key}: {message}"),
        });
    };

    let g = &config.gaps;
    let days = [
        ("dtr_shows_days", g.dtr_shows_days),
        ("dtr_red_days", g.dtr_red_days),
        ("crs_shows_days", g.crs_shows_days),
        ("crs_red_days", g.crs_red_days),
        ("cas3_red_days", g.cas3_red_days),
        ("ap_red_days", g.ap_red_days),
        ("ap_placed_shows_days", g.ap_placed_shows_days),
        ("ap_placed_red_days", g.ap_placed_red_days),
        ("cas2_red_days", g.cas2_red_days),
        ("nfa_shows_days", g.nfa_shows_days),
        ("nfa_red_days", g.nfa_red_days),
        ("officer_shows_days", g.officer_shows_days),
        ("officer_red_working_days", g.officer_red_working_days),
        ("officer_handover_shows_days", g.officer_handover_shows_days),
        ("officer_handover_red_days", g.officer_handover_red_days),
        ("appointment_shows_days", g.appointment_shows_days),
        (
            "appointment_red_working_days",
            g.appointment_red_working_days,
        ),
        ("licence_shows_working_days", g.licence_shows_working_days),
        ("licence_red_working_days", g.licence_red_working_days),
    ];
    for (key, value) in days {
        if value > MAX_DAYS {
            fail("gaps", key, format!("{value} days is more than {MAX_DAYS}"));
        }
    }
    for (key, value) in [
        ("cas3_shows_months", g.cas3_shows_months),
        ("ap_shows_months", g.ap_shows_months),
    ] {
        if value > MAX_MONTHS {
            fail(
                "gaps",
                key,
                format!("{value} months is more than {MAX_MONTHS}"),
            );
        }
    }
    // A flag turns red on or after the day it shows; the other way round it would never be amber.
    for (flag, shows, red) in [
        ("dtr", g.dtr_shows_days, g.dtr_red_days),
        ("crs", g.crs_shows_days, g.crs_red_days),
        ("ap_placed", g.ap_placed_shows_days, g.ap_placed_red_days),
        ("nfa", g.nfa_shows_days, g.nfa_red_days),
    ] {
        let either_blank = blank("gaps", &format!("{flag}_red_days"))
            || blank("gaps", &format!("{flag}_shows_days"));
        if red > shows && !either_blank {
            let (key, shows_key) = red_or_shows(text, flag, "days");
            fail(
                "gaps",
                &key,
                format!(
                    "red {red} days ahead but shown only from {shows} days ahead \
                     ({shows_key}); red must be the same or fewer days"
                ),
            );
        }
    }

    // The licence's days are both working days before release: the same rule.
    let licence_blank =
        blank("gaps", "licence_red_working_days") || blank("gaps", "licence_shows_working_days");
    if g.licence_red_working_days > g.licence_shows_working_days && !licence_blank {
        fail(
            "gaps",
            "licence_red_working_days",
            format!(
                "red {} working days ahead but shown only from {} working days ahead \
                 (licence_shows_working_days); red must be the same or fewer days",
                g.licence_red_working_days, g.licence_shows_working_days
            ),
        );
    }

    // CAS3 and AP show from calendar months ahead but turn red days ahead: red must fall on or
    // after the shows day in every month, so at most the shortest such span (3 months: 89 days).
    for (flag, months, red) in [
        ("cas3", g.cas3_shows_months, g.cas3_red_days),
        ("ap", g.ap_shows_months, g.ap_red_days),
    ] {
        let shortest = shortest_span_days(months.min(MAX_MONTHS));
        let either_blank = blank("gaps", &format!("{flag}_red_days"))
            || blank("gaps", &format!("{flag}_shows_months"));
        if red > shortest && !either_blank {
            let (key, shows_key) = red_or_shows(text, flag, "months");
            fail(
                "gaps",
                &key,
                format!(
                    "red {red} days ahead but shown only from {months} months ahead \
                     ({shows_key}), which can be as little as {shortest} days; red must be \
                     {shortest} days or fewer"
                ),
            );
        }
    }

    let c = &config.clusters;
    if c.min_load == 0 {
        fail("clusters", "min_load", "must be at least 1 release".into());
    }
    if !(c.load_factor.is_finite() && c.load_factor >= 1.0) {
        fail(
            "clusters",
            "load_factor",
            format!("{} must be a number of at least 1", c.load_factor),
        );
    }
    let factors_read = !blank("clusters", "load_factor") && !blank("clusters", "red_load_factor");
    if factors_read && !(c.red_load_factor.is_finite() && c.red_load_factor >= c.load_factor) {
        fail(
            "clusters",
            "red_load_factor",
            format!(
                "{} must be at least load_factor ({})",
                c.red_load_factor, c.load_factor
            ),
        );
    }
    if !(1..=31).contains(&c.red_span_days) {
        fail("clusters", "red_span_days", "must be 1 to 31 days".into());
    }
    if !(1..=366).contains(&c.min_rate_days) {
        fail("clusters", "min_rate_days", "must be 1 to 366 days".into());
    }
    if !(1..=104).contains(&c.warn_weeks) {
        fail("clusters", "warn_weeks", "must be 1 to 104 weeks".into());
    }

    if config.release.outstanding_days > 60 {
        fail("release", "outstanding_days", "must be 0 to 60 days".into());
    }
    if config.data.retention_days > 3650 {
        fail("data", "retention_days", "must be 0 to 3650 days".into());
    }
    if let Some(url) = &config.database.url {
        if !super::is_team_url(url) {
            fail(
                "database",
                "url",
                "must be a team database address starting postgres:// or postgresql:// (a \
                 database file is given with --db or RELEASEDAY_DB)"
                    .into(),
            );
        } else if holds_password(url) {
            fail(
                "database",
                "url",
                "holds a password, and this file is not private: take it out and keep it in \
                 ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows) or PGPASSWORD"
                    .into(),
            );
        }
    }
    if let Some(name) = &config.officer.name {
        let clean = crate::domain::case::clean_text(name);
        if clean.is_empty() {
            fail(
                "officer",
                "name",
                "is empty: leave it out to use your login name".into(),
            );
        } else if clean.chars().count() > 80 {
            fail("officer", "name", "is longer than 80 characters".into());
        }
    }
    problems
}

/// Whether a team database URL carries a password: `user:password@` before the host, or a
/// `password=` parameter.
fn holds_password(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let userinfo = before_query.rsplit_once('@').map(|(u, _)| u);
    userinfo.is_some_and(|u| u.contains(':'))
        || query.split('&').any(|p| {
            p.split('=')
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case("password"))
        })
}

/// For a flag whose red and shows leads disagree: the key to report (either line may be the
/// one the officer changed; the red one if the file sets it) and the shows key's name.
fn red_or_shows(text: &str, flag: &str, shows_unit: &str) -> (String, String) {
    let (red_key, shows_key) = (
        format!("{flag}_red_days"),
        format!("{flag}_shows_{shows_unit}"),
    );
    let key = if line_of(text, "gaps", &red_key).is_some() {
        red_key
    } else {
        shows_key.clone()
    };
    (key, shows_key)
}

/// The fewest days `months` calendar months back can be (clamped to month ends), over a leap
/// cycle: 28 for one month, 89 for three.
fn shortest_span_days(months: u32) -> u32 {
    use chrono::{Months, NaiveDate};
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a real date");
    (0..4 * 366)
        .filter_map(|i| {
            let day = start + chrono::Days::new(i);
            let back = day.checked_sub_months(Months::new(months))?;
            u32::try_from((day - back).num_days()).ok()
        })
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn messages(text: &str) -> Vec<(Option<usize>, String)> {
        parse(text)
            .expect_err("should be refused")
            .into_iter()
            .map(|p| (p.line, p.message))
            .collect()
    }

    #[test]
    fn a_team_database_url_is_a_postgres_url_without_a_password() {
        for good in [
            "postgres://alice@db.example.org/releaseday",
            "POSTGRESQL://db.example.org:5433/releaseday?sslmode=verify-full",
            "postgres:///releaseday?host=/var/run/postgresql",
        ] {
            let (config, _) = parse(&format!("[database]\nurl = \"{good}\"\n")).unwrap();
            assert_eq!(config.database.url.as_deref(), Some(good));
        }
        let m = messages("[database]\nurl = \"/home/alice/releaseday.db\"\n");
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, Some(2));
        assert!(
            m[0].1
                .starts_with("database.url: must be a team database address"),
            "{m:?}"
        );
        for secret in [
            "postgres://alice:Sekrit-99@db.example.org/releaseday",
            "postgres://db.example.org/releaseday?sslmode=require&password=Sekrit-99",
        ] {
            let m = messages(&format!("\n[database]\nurl = \"{secret}\"\n"));
            assert_eq!(m.len(), 1, "{m:?}");
            assert_eq!(m[0].0, Some(3));
            assert!(m[0].1.contains("holds a password"), "{m:?}");
            assert!(
                !m[0].1.contains("Sekrit"),
                "the password is not repeated: {m:?}"
            );
        }
    }

    #[test]
    fn month_leads_and_red_days_must_agree() {
        assert_eq!(super::shortest_span_days(1), 28);
        assert_eq!(super::shortest_span_days(3), 89);
        assert_eq!(super::shortest_span_days(12), 365);
        // The defaults (3 months / 28 days, 12 months / 28 days) pass; 100 red days for CAS3 do not.
        assert!(parse("[gaps]\nap_red_days = 365\n").is_ok());
        let m = messages("[gaps]\ncas3_shows_months = 3\ncas3_red_days = 100\n");
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, Some(3));
        assert!(
            m[0].1
                .starts_with("gaps.cas3_red_days: red 100 days ahead but shown only from 3 months"),
            "{}",
            m[0].1
        );
        let m = messages("[gaps]\n\nap_shows_months = 0\n");
        assert_eq!(m[0].0, Some(3), "{m:?}");
        assert!(
            m[0].1
                .starts_with("gaps.ap_shows_months: red 28 days ahead"),
            "{}",
            m[0].1
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "[gaps]\ndtr_shows_days = 30\ndtr_red_days = 56\n\n[clusters]\nmin_load = 0\nwarn_weeks = 900\n";
        let m = messages(text);
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m[0].0, Some(3));
        assert!(m[0].1.starts_with("gaps.dtr_red_days: red 56 days ahead"));
        assert_eq!(
            m[1],
            (
                Some(6),
                "clusters.min_load: must be at least 1 release".into()
            )
        );
        assert_eq!(
            m[2],
            (
                Some(7),
                "clusters.warn_weeks: must be 1 to 104 weeks".into()
            )
        );
    }

    #[test]
    fn ranges_are_checked() {
        assert_eq!(messages("[gaps]\nnfa_shows_days = 5000\n")[0].0, Some(2));
        assert_eq!(messages("[gaps]\ncas3_shows_months = 60\n")[0].0, Some(2));
        assert_eq!(
            messages("[clusters]\nload_factor = 0.5\n")[0].1,
            "clusters.load_factor: 0.5 must be a number of at least 1"
        );
        assert_eq!(
            messages("[clusters]\nred_load_factor = 2.0\n")[0].1,
            "clusters.red_load_factor: 2 must be at least load_factor (3)"
        );
        assert_eq!(messages("[officer]\nname = \"  \"\n")[0].0, Some(2));
        assert_eq!(messages("[data]\nretention_days = 99999\n")[0].0, Some(2));
        assert_eq!(messages("[release]\noutstanding_days = 61\n")[0].0, Some(2));
    }
}
