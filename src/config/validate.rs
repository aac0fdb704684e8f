//! Values that parse but make no sense: a flag red before it shows, a zero spike threshold, a
//! warning lead of ten years. Each problem names the line that set the value.

use super::{line_of, Config, Problem};

/// Longest lead a day-count threshold may have: two years.
const MAX_DAYS: u32 = 730;
const MAX_MONTHS: u32 = 24;

pub fn check(config: &Config, text: &str) -> Vec<Problem> {
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
        if red > shows {
            // Either line may be the one the officer changed; name the red one if it is set.
            let (red_key, shows_key) = (format!("{flag}_red_days"), format!("{flag}_shows_days"));
            let key = if line_of(text, "gaps", &red_key).is_some() {
                red_key
            } else {
                shows_key.clone()
            };
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
    if !(c.red_load_factor.is_finite() && c.red_load_factor >= c.load_factor) {
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
