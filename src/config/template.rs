//! The file `releaseday config init` writes: every setting at its default, each with the reason
//! for the default. Built from the defaults themselves, so it cannot drift from them.

use super::Config;
use crate::keys::KeyMap;

pub fn template() -> String {
    let d = Config::default();
    let (g, c) = (&d.gaps, &d.clusters);
    let mut out = format!(
        r#"# releaseday settings. Every setting is optional: one left out (or commented out) keeps
# the default shown here. The rules are in DOMAIN.md; check the settings in force with
# `releaseday config show`.

[officer]
# Your name as the audit log records it for changes made here. Default: your login name.
# name = "Sam Example"

[release]
# Offenders (Day of Release from Detention) Act 2023 and its policy framework: a release due on
# a Friday or before a bank holiday goes out a working day earlier. false shows the statutory
# day (Criminal Justice Act 1961 s.23(3)); then only a prison-confirmed day overrides it.
friday_policy = {friday}
# How many days back the duty officer's sheet looks for people released but not yet reported.
outstanding_days = {outstanding}

[gaps]
# When each accommodation flag shows (amber) and turns red, counted back from the expected
# release day (DOMAIN.md section 4). Red must be the same or fewer days than shows.
# Duty to Refer: the Homelessness Reduction Act 2017 asks for a referral within 56 days of
# homelessness.
dtr_shows_days = {dtr_shows}
dtr_red_days = {dtr_red}
# CRS: accommodation services prompt a referral 12 weeks before release; CAS3 needs it first.
crs_shows_days = {crs_shows}
crs_red_days = {crs_red}
# CAS3 takes referrals for releases within 3 months; "not enough time to place" is a rejection
# reason.
cas3_shows_months = {cas3_shows}
cas3_red_days = {cas3_red}
# Approved Premises (CAS1): aim to apply 6 months ahead; 28 days or less is short notice, 7 or
# less an emergency.
ap_shows_months = {ap_shows}
ap_red_days = {ap_red}
# An AP referral made but no placement booked.
ap_placed_shows_days = {ap_placed_shows}
ap_placed_red_days = {ap_placed_red}
# CAS2 (Home Detention Curfew) warns under 21 days and refuses at 10. Always shown.
cas2_red_days = {cas2_red}
# The headline: released with nowhere to go.
nfa_shows_days = {nfa_shows}
nfa_red_days = {nfa_red}
# No officer allocated: licence work warns of late allocation at 5 working days.
officer_shows_days = {officer_shows}
officer_red_working_days = {officer_red}
# ... or earlier by the OMiC handover (section 7): shown from this many days before the handover
# day (Manage POM Cases lists handovers 8 weeks ahead) and red this many days after it (it
# counts a COM allocation overdue 2 days after the handover).
officer_handover_shows_days = {officer_handover_shows}
officer_handover_red_days = {officer_handover_red}
# No initial appointment, or nowhere to go and nothing until the next day (section 8): the
# licence must name the first appointment; Create and Vary a Licence's hard stop is 2 working
# days before release.
appointment_shows_days = {appointment_shows}
appointment_red_working_days = {appointment_red}
# A licence not yet approved: CVL's hard-stop warning at 4 working days before release and its
# hard stop at 2. Red must be the same or fewer working days than shows.
licence_shows_working_days = {licence_shows}
licence_red_working_days = {licence_red}

[clusters]
# Release clusters (DOMAIN.md section 2). Warnings begin this many weeks ahead, so a team can
# raise a Christmas cluster in November.
warn_weeks = {warn_weeks}
# A load cluster (a spike the calendar does not explain) needs at least min_load releases and
# at least load_factor times the expected load; it is red at red_load_factor times.
min_load = {min_load}
load_factor = {load_factor:?}
red_load_factor = {red_load_factor:?}
# A cluster whose covered days span at least this many days is red (Christmas: 24 to 28 Dec).
red_span_days = {red_span}
# The expected-load rate is averaged over at least this many calendar days.
min_rate_days = {min_rate}

[data]
# `releaseday purge` with no date deletes cases released more than this many days ago, with
# their history: keep personal data no longer than the team needs it.
retention_days = {retention}

[database]
# A team's shared database on PostgreSQL (README: "A team database"), used when neither --db nor
# RELEASEDAY_DB names a database. Never put the password here: keep it in ~/.pgpass (on Windows
# %APPDATA%\postgresql\pgpass.conf) or PGPASSWORD.
# url = "postgres://your_role@db.example.org/releaseday"

[screen]
# dark, light (for white terminal backgrounds) or mono. NO_COLOR in the environment always
# means mono. Severity is shown by a symbol or word as well as colour.
theme = "dark"

[keys]
# Rebind any action: `action = "key"` or `action = ["key", "key"]`; `[]` unbinds it.
# A key is one character (j, G, /), or Enter, Esc, Tab, Shift-Tab, Space, Up, Down, Left, Right,
# PageUp, PageDown, Home, End, Backspace, F1 to F12, optionally after Ctrl- or Alt-.
# Ctrl-c always quits. The defaults:
"#,
        friday = d.release.friday_policy,
        outstanding = d.release.outstanding_days,
        dtr_shows = g.dtr_shows_days,
        dtr_red = g.dtr_red_days,
        crs_shows = g.crs_shows_days,
        crs_red = g.crs_red_days,
        cas3_shows = g.cas3_shows_months,
        cas3_red = g.cas3_red_days,
        ap_shows = g.ap_shows_months,
        ap_red = g.ap_red_days,
        ap_placed_shows = g.ap_placed_shows_days,
        ap_placed_red = g.ap_placed_red_days,
        cas2_red = g.cas2_red_days,
        nfa_shows = g.nfa_shows_days,
        nfa_red = g.nfa_red_days,
        officer_shows = g.officer_shows_days,
        officer_red = g.officer_red_working_days,
        officer_handover_shows = g.officer_handover_shows_days,
        officer_handover_red = g.officer_handover_red_days,
        appointment_shows = g.appointment_shows_days,
        appointment_red = g.appointment_red_working_days,
        licence_shows = g.licence_shows_working_days,
        licence_red = g.licence_red_working_days,
        warn_weeks = c.warn_weeks,
        min_load = c.min_load,
        load_factor = c.load_factor,
        red_load_factor = c.red_load_factor,
        red_span = c.red_span_days,
        min_rate = c.min_rate_days,
        retention = d.data.retention_days,
    );
    for (action, keys) in KeyMap::default().by_action() {
        let quoted: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        out += &format!("# {} = [{}]\n", action.name(), quoted.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Config};
    use super::template;

    #[test]
    fn the_template_reads_back_as_the_defaults() {
        let (config, _) = parse(&template()).expect("the template parses");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn the_template_sets_every_setting() {
        let text = template();
        let defaults = toml::Table::try_from(Config::default()).unwrap();
        for (section, value) in &defaults {
            let Some(table) = value.as_table() else {
                continue;
            };
            assert!(
                text.contains(&format!("[{section}]")),
                "[{section}] missing"
            );
            for key in table.keys() {
                assert!(
                    text.lines().any(|l| l.starts_with(&format!("{key} = "))),
                    "{section}.{key} missing from the template"
                );
            }
        }
    }

    #[test]
    fn the_commented_key_defaults_are_valid_when_uncommented() {
        let text = template();
        let keys: String = text
            .split("[keys]")
            .nth(1)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| {
                l.split_once(" = [")
                    .is_some_and(|(k, _)| crate::keys::Action::from_name(k).is_some())
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(keys.lines().count() >= 25, "{keys}");
        let (_, keymap) = parse(&format!("[keys]\n{keys}")).expect("default keys parse");
        assert_eq!(
            keymap.by_action(),
            crate::keys::KeyMap::default().by_action()
        );
    }
}
