//! DOMAIN.md §4: each gap rule at the day before "shows from", on it, the day before
//! "red from", and on it. Thresholds are written out here from the table, not read from the code.

use chrono::{Days, Months, NaiveDate};
use releaseday::domain::calendar::Calendar;
use releaseday::domain::case::*;
use releaseday::domain::gaps::{flags, worst, FlagCode, GapThresholds};
use releaseday::domain::holidays::{Division, HolidayFile};
use releaseday::domain::severity::Severity;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> Calendar {
    Calendar::new(
        HolidayFile::embedded().events(Division::EnglandAndWales),
        true,
    )
}

/// R: Thursday 10 June 2027, an ordinary working week.
const R: (i32, u32, u32) = (2027, 6, 10);

fn r() -> NaiveDate {
    d(R.0, R.1, R.2)
}

fn base() -> Case {
    let mut c = Case::new("X100001".parse().unwrap(), "Test Person", r());
    c.officer = Some("A. Officer".into());
    c.accommodation = Accommodation::Settled;
    c
}

fn homeless() -> Case {
    let mut c = base();
    c.accommodation = Accommodation::Nfa;
    c
}

fn minus(days: u64) -> NaiveDate {
    r().checked_sub_days(Days::new(days)).unwrap()
}

fn severity_on(case: &Case, code: FlagCode, today: NaiveDate) -> Option<Severity> {
    flags(case, r(), today, &cal(), &GapThresholds::default())
        .into_iter()
        .find(|f| f.code == code)
        .map(|f| f.severity)
}

/// Absent the day before shows-from, amber on it and the day before red-from, red on red-from.
fn check_boundaries(case: &Case, code: FlagCode, shows: Option<NaiveDate>, red: NaiveDate) {
    if let Some(shows) = shows {
        assert_eq!(
            severity_on(case, code, shows.pred_opt().unwrap()),
            None,
            "{code} before shows-from"
        );
        assert_eq!(
            severity_on(case, code, shows),
            Some(Severity::Amber),
            "{code} on shows-from"
        );
    }
    assert_eq!(
        severity_on(case, code, red.pred_opt().unwrap()),
        Some(Severity::Amber),
        "{code} before red-from"
    );
    assert_eq!(
        severity_on(case, code, red),
        Some(Severity::Red),
        "{code} on red-from"
    );
    let flag = flags(case, r(), red, &cal(), &GapThresholds::default())
        .into_iter()
        .find(|f| f.code == code)
        .unwrap();
    assert_eq!(flag.due, red, "{code} due day is the red-from day");
}

#[test]
fn dtr_not_sent() {
    check_boundaries(
        &homeless(),
        FlagCode::DtrNotSent,
        Some(minus(84)),
        minus(56),
    );
    let mut withdrawn = homeless();
    withdrawn.dtr = Some(DtrStatus::Withdrawn);
    check_boundaries(&withdrawn, FlagCode::DtrNotSent, Some(minus(84)), minus(56));
    let mut sent = homeless();
    sent.dtr = Some(DtrStatus::Submitted);
    assert_eq!(severity_on(&sent, FlagCode::DtrNotSent, minus(1)), None);
}

#[test]
fn crs_not_sent() {
    check_boundaries(
        &homeless(),
        FlagCode::CrsNotSent,
        Some(minus(112)),
        minus(84),
    );
    let mut live = homeless();
    live.crs = Some(CrsStatus::Live);
    assert_eq!(severity_on(&live, FlagCode::CrsNotSent, minus(1)), None);
}

#[test]
fn cas3_not_sent() {
    // R − 3 calendar months = 10 March 2027.
    check_boundaries(
        &homeless(),
        FlagCode::Cas3NotSent,
        Some(d(2027, 3, 10)),
        minus(28),
    );
    let mut hdc = homeless();
    hdc.release_type = ReleaseType::Hdc;
    assert_eq!(
        severity_on(&hdc, FlagCode::Cas3NotSent, minus(1)),
        None,
        "not for HDC"
    );
    let mut ap_route = homeless();
    ap_route.ap = Some(ApStatus::AssessedSuitable);
    assert_eq!(
        severity_on(&ap_route, FlagCode::Cas3NotSent, minus(1)),
        None,
        "not on the AP route"
    );
}

#[test]
fn cas3_months_clamp_to_month_end() {
    let t = GapThresholds::default();
    let c = cal();
    for (release, shows) in [
        (d(2027, 5, 31), d(2027, 2, 28)),
        (d(2028, 5, 31), d(2028, 2, 29)),
    ] {
        let mut case = homeless();
        case.release_date = release;
        let on = |today| {
            flags(&case, release, today, &c, &t)
                .iter()
                .any(|f| f.code == FlagCode::Cas3NotSent)
        };
        assert!(!on(shows.pred_opt().unwrap()), "{release}");
        assert!(on(shows), "{release}");
        assert_eq!(release.checked_sub_months(Months::new(3)).unwrap(), shows);
    }
}

#[test]
fn ap_not_sent() {
    let mut c = base();
    c.ap_required = Some(true);
    check_boundaries(&c, FlagCode::ApNotSent, Some(d(2026, 6, 10)), minus(28));
    c.ap_required = None;
    assert_eq!(
        severity_on(&c, FlagCode::ApNotSent, minus(1)),
        None,
        "blank ap_required is no"
    );
}

#[test]
fn ap_not_placed() {
    let mut c = base();
    c.ap_required = Some(true);
    c.ap = Some(ApStatus::Submitted);
    check_boundaries(&c, FlagCode::ApNotPlaced, Some(minus(56)), minus(14));
    c.ap = Some(ApStatus::PlacementBooked);
    assert_eq!(severity_on(&c, FlagCode::ApNotPlaced, minus(1)), None);
}

#[test]
fn cas2_not_sent_always_shows() {
    let mut c = homeless();
    c.release_type = ReleaseType::Hdc;
    check_boundaries(&c, FlagCode::Cas2NotSent, None, minus(21));
    assert_eq!(
        severity_on(&c, FlagCode::Cas2NotSent, minus(400)),
        Some(Severity::Amber)
    );
    c.cas2 = Some(Cas2Status::Accepted);
    assert_eq!(
        severity_on(&c, FlagCode::Cas2NotSent, minus(1)),
        None,
        "a CAS2 place is booked"
    );
}

#[test]
fn nfa_at_release() {
    check_boundaries(
        &homeless(),
        FlagCode::NfaAtRelease,
        Some(minus(28)),
        minus(7),
    );
    let mut transient = base();
    transient.accommodation = Accommodation::Transient;
    check_boundaries(
        &transient,
        FlagCode::NfaAtRelease,
        Some(minus(28)),
        minus(7),
    );
    let mut booked = homeless();
    booked.cas3 = Some(Cas3Status::BedBooked);
    assert_eq!(severity_on(&booked, FlagCode::NfaAtRelease, minus(1)), None);
}

#[test]
fn no_officer() {
    let mut c = base();
    c.officer = None;
    // Five working days before Thu 10 Jun 2027: Thu 3 Jun.
    check_boundaries(&c, FlagCode::NoOfficer, Some(minus(28)), d(2027, 6, 3));
}

#[test]
fn no_officer_counts_working_days_over_a_bank_holiday() {
    let mut c = base();
    c.officer = Some("  ".into());
    let release = d(2027, 6, 3);
    let on = |today| {
        flags(&c, release, today, &cal(), &GapThresholds::default())
            .into_iter()
            .find(|f| f.code == FlagCode::NoOfficer)
            .map(|f| f.severity)
    };
    // Wed 2, Tue 1, (Mon 31 May is the spring bank holiday), Fri 28, Thu 27, Wed 26 May.
    assert_eq!(on(d(2027, 5, 25)), Some(Severity::Amber));
    assert_eq!(on(d(2027, 5, 26)), Some(Severity::Red));
}

#[test]
fn no_flags_after_release_and_settled_cases_are_clear() {
    let c = homeless();
    assert!(flags(
        &c,
        r(),
        r().succ_opt().unwrap(),
        &cal(),
        &GapThresholds::default()
    )
    .is_empty());
    assert!(
        !flags(&c, r(), r(), &cal(), &GapThresholds::default()).is_empty(),
        "release day itself still flags"
    );
    assert!(flags(&base(), r(), minus(1), &cal(), &GapThresholds::default()).is_empty());
}

#[test]
fn messages_read_like_an_officer_wrote_them() {
    let c = homeless();
    let today = minus(52); // four days after the DTR red-from day
    let fl = flags(&c, r(), today, &cal(), &GapThresholds::default());
    let dtr = fl.iter().find(|f| f.code == FlagCode::DtrNotSent).unwrap();
    assert_eq!(dtr.message, "DTR overdue by 4 days (due Thu 15 Apr)");
    assert!(
        fl.iter().all(|f| f.code != FlagCode::NfaAtRelease),
        "NFA shows from R - 28 only"
    );
    assert_eq!(worst(&fl).unwrap().severity, Severity::Red);
    let soon = flags(&c, r(), minus(10), &cal(), &GapThresholds::default());
    let nfa = soon
        .iter()
        .find(|f| f.code == FlagCode::NfaAtRelease)
        .unwrap();
    assert_eq!(
        nfa.message,
        "No accommodation booked, release in 10 days (Thu 10 Jun)"
    );
    let upcoming = flags(&c, r(), minus(60), &cal(), &GapThresholds::default());
    let dtr = upcoming
        .iter()
        .find(|f| f.code == FlagCode::DtrNotSent)
        .unwrap();
    assert_eq!(dtr.message, "DTR due in 4 days (by Thu 15 Apr)");
}

#[test]
fn the_worst_flag_is_the_most_pressing_red_one() {
    // Released today, nowhere to go, no officer: every referral is long overdue too.
    let mut c = homeless();
    c.officer = None;
    let fl = flags(&c, r(), r(), &cal(), &GapThresholds::default());
    assert!(fl.iter().all(|f| f.severity == Severity::Red));
    assert_eq!(worst(&fl).unwrap().code, FlagCode::NfaAtRelease);
    // Amber never outranks red, however near its deadline.
    let mut ap = base();
    ap.ap_required = Some(true);
    ap.ap = Some(ApStatus::Submitted);
    ap.accommodation = Accommodation::Nfa;
    let fl = flags(&ap, r(), minus(20), &cal(), &GapThresholds::default());
    assert_eq!(worst(&fl).unwrap().severity, Severity::Red);
}
