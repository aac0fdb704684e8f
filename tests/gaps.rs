//! DOMAIN.md §4 (with `NO_OFFICER` as §7 redefines it, and §8's readiness flags): each gap rule
//! at the day before "shows from", on it, the day before "red from", and on it. Thresholds are
//! written out here from the tables, not read from the code.

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
    // Seen on the day of release: no §8 flag.
    c.appointment =
        Some(Appointment::at(r(), chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap()).unwrap());
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
fn no_officer_on_a_recall_keeps_the_section_4_days() {
    let mut c = base();
    c.officer = None;
    c.recall = Some(true);
    // Five working days before Thu 10 Jun 2027: Thu 3 Jun.
    check_boundaries(&c, FlagCode::NoOfficer, Some(minus(28)), d(2027, 6, 3));
}

#[test]
fn no_officer_counts_working_days_over_a_bank_holiday() {
    let mut c = base();
    c.officer = Some("  ".into());
    c.recall = Some(true);
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
fn no_officer_shows_and_turns_red_by_the_handover() {
    // Determinate, released 10 Jun 2027: handover 10 Oct 2026 − 14 days = Sat 26 Sep 2026.
    // Shown from H − 56 = 1 Aug 2026, red from H + 2 = Mon 28 Sep 2026: both earlier than §4's.
    let mut c = base();
    c.officer = None;
    check_boundaries(&c, FlagCode::NoOfficer, Some(d(2026, 8, 1)), d(2026, 9, 28));
    let message = |today| {
        flags(&c, r(), today, &cal(), &GapThresholds::default())
            .into_iter()
            .find(|f| f.code == FlagCode::NoOfficer)
            .unwrap()
            .message
    };
    assert_eq!(
        message(d(2026, 10, 5)),
        "no community offender manager: handover was due Sat 26 Sep"
    );
    assert_eq!(
        message(d(2026, 8, 1)),
        "no community offender manager: handover due Sat 26 Sep"
    );
    assert_eq!(
        message(d(2027, 1, 4)),
        "no community offender manager: handover was due Sat 26 Sep 2026"
    );
}

#[test]
fn a_late_handover_only_brings_forward_what_it_makes_earlier() {
    // A short sentence begun 5 days before release: H = R − 5. H − 56 is earlier than R − 28,
    // so it shows from the handover; H + 2 = R − 3 is later than 5 working days before R
    // (Thu 3 Jun), so it turns red by §4's day, and says so in §4's words.
    let mut c = base();
    c.officer = None;
    c.sentence_start = Some(minus(5));
    check_boundaries(&c, FlagCode::NoOfficer, Some(minus(61)), d(2027, 6, 3));
    let fl = flags(&c, r(), d(2027, 6, 3), &cal(), &GapThresholds::default());
    let f = fl.iter().find(|f| f.code == FlagCode::NoOfficer).unwrap();
    assert_eq!(
        f.message,
        "No officer allocated, release in 7 days (Thu 10 Jun)"
    );
    let fl = flags(&c, r(), minus(40), &cal(), &GapThresholds::default());
    let f = fl.iter().find(|f| f.code == FlagCode::NoOfficer).unwrap();
    assert_eq!(f.severity, Severity::Amber);
    assert_eq!(
        f.message,
        "no community offender manager: handover due Sat 5 Jun"
    );
    // Allocated: nothing, whatever the handover.
    c.officer = Some("B. Officer".into());
    assert_eq!(severity_on(&c, FlagCode::NoOfficer, r()), None);
}

#[test]
fn no_appointment() {
    let mut c = base();
    c.appointment = None;
    // Two working days before Thu 10 Jun: Tue 8 Jun.
    check_boundaries(&c, FlagCode::NoAppointment, Some(minus(14)), d(2027, 6, 8));
    for kind in [
        Appointment::Immediate,
        Appointment::NextDay2pm,
        Appointment::NotNeeded,
    ] {
        c.appointment = Some(kind);
        assert_eq!(
            severity_on(&c, FlagCode::NoAppointment, r()),
            None,
            "{kind}"
        );
    }
}

#[test]
fn appointment_late() {
    let mut c = homeless();
    c.appointment = Some(Appointment::NextDay2pm);
    check_boundaries(
        &c,
        FlagCode::AppointmentLate,
        Some(minus(14)),
        d(2027, 6, 8),
    );
    let at = |day: NaiveDate, h| {
        Some(Appointment::at(day, chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap()).unwrap())
    };
    c.appointment = at(d(2027, 6, 11), 9);
    assert_eq!(
        severity_on(&c, FlagCode::AppointmentLate, r()),
        Some(Severity::Red)
    );
    let fl = flags(&c, r(), r(), &cal(), &GapThresholds::default());
    let f = fl
        .iter()
        .find(|f| f.code == FlagCode::AppointmentLate)
        .unwrap();
    assert_eq!(
        f.message,
        "Nowhere to go and first appointment Fri 11 Jun 09:00, release today"
    );
    // The same day, however late, is not after R; nor is the gate.
    c.appointment = at(r(), 17);
    assert_eq!(severity_on(&c, FlagCode::AppointmentLate, r()), None);
    for kind in [Appointment::Immediate, Appointment::NotNeeded] {
        c.appointment = Some(kind);
        assert_eq!(
            severity_on(&c, FlagCode::AppointmentLate, r()),
            None,
            "{kind}"
        );
    }
    // Somewhere to go: a late appointment is not this flag's concern.
    let mut housed = base();
    housed.appointment = Some(Appointment::NextDay2pm);
    assert_eq!(severity_on(&housed, FlagCode::AppointmentLate, r()), None);
    let mut booked = homeless();
    booked.appointment = Some(Appointment::NextDay2pm);
    booked.cas3 = Some(Cas3Status::BedBooked);
    assert_eq!(severity_on(&booked, FlagCode::AppointmentLate, r()), None);
}

#[test]
fn licence_not_approved() {
    let mut c = base();
    for status in [
        LicenceStatus::NotStarted,
        LicenceStatus::InProgress,
        LicenceStatus::Submitted,
    ] {
        c.licence = Some(status);
        // Four working days before Thu 10 Jun: Fri 4 Jun; two: Tue 8 Jun.
        check_boundaries(
            &c,
            FlagCode::LicenceNotApproved,
            Some(d(2027, 6, 4)),
            d(2027, 6, 8),
        );
    }
    c.licence = Some(LicenceStatus::Approved);
    assert_eq!(severity_on(&c, FlagCode::LicenceNotApproved, r()), None);
    c.licence = None;
    assert_eq!(
        severity_on(&c, FlagCode::LicenceNotApproved, r()),
        None,
        "blank is not tracked"
    );
}

#[test]
fn readiness_counts_working_days_over_a_bank_holiday() {
    // Thu 3 Jun 2027, after the spring bank holiday (Mon 31 May): two working days before is
    // Tue 1 Jun; four is Thu 27 May.
    let mut c = base();
    let release = d(2027, 6, 3);
    c.release_date = release;
    c.licence = Some(LicenceStatus::Submitted);
    c.appointment = None;
    let on = |code, today| {
        flags(&c, release, today, &cal(), &GapThresholds::default())
            .into_iter()
            .find(|f| f.code == code)
            .map(|f| f.severity)
    };
    assert_eq!(on(FlagCode::LicenceNotApproved, d(2027, 5, 26)), None);
    assert_eq!(
        on(FlagCode::LicenceNotApproved, d(2027, 5, 27)),
        Some(Severity::Amber)
    );
    assert_eq!(
        on(FlagCode::LicenceNotApproved, d(2027, 5, 31)),
        Some(Severity::Amber)
    );
    assert_eq!(
        on(FlagCode::LicenceNotApproved, d(2027, 6, 1)),
        Some(Severity::Red)
    );
    assert_eq!(
        on(FlagCode::NoAppointment, d(2027, 5, 20)),
        Some(Severity::Amber)
    );
    assert_eq!(
        on(FlagCode::NoAppointment, d(2027, 6, 1)),
        Some(Severity::Red)
    );
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

mod handover_properties {
    use super::*;
    use proptest::prelude::*;
    use releaseday::domain::handover::Handover;

    fn day(n: i64) -> NaiveDate {
        d(2026, 1, 1) + chrono::Duration::days(n)
    }

    fn rank(s: Option<Severity>) -> u8 {
        match s {
            None => 0,
            Some(Severity::Amber) => 1,
            Some(_) => 2,
        }
    }

    proptest! {
        /// With no officer: shown exactly from the earlier of H − 56 and R − 28, red exactly
        /// from the earlier of H + 2 and 5 working days before R (§4's days for a recall);
        /// never going back from red to amber or from amber to nothing as the days pass.
        #[test]
        fn no_officer_follows_the_handover(
            release in 200i64..900,
            recall: bool,
            early: bool,
            indet: bool,
            start in proptest::option::of(0i64..900),
            ped in proptest::option::of(0i64..900),
        ) {
            let r = day(release);
            let mut c = Case::new("X100001".parse().unwrap(), "Test Person", r);
            c.recall = Some(recall);
            c.early_allocation = Some(early);
            c.sentence_type = indet.then_some(SentenceType::Indeterminate);
            c.sentence_start = start.map(day);
            c.ped = ped.map(day);
            let cal = cal();
            let four = r - chrono::Duration::days(28);
            let five_wd = cal.working_days_before(r, 5);
            let (shows, red) = match Handover::of(&c).day {
                None => (four, five_wd),
                Some(h) => (
                    four.min(h - chrono::Duration::days(56)),
                    five_wd.min(h + chrono::Duration::days(2)),
                ),
            };
            let mut last = 0;
            let mut t = r - chrono::Duration::days(900);
            while t <= r {
                let got = flags(&c, r, t, &cal, &GapThresholds::default())
                    .into_iter()
                    .find(|f| f.code == FlagCode::NoOfficer);
                let want = if t >= red {
                    Some(Severity::Red)
                } else if t >= shows {
                    Some(Severity::Amber)
                } else {
                    None
                };
                prop_assert_eq!(got.as_ref().map(|f| f.severity), want, "on {}", t);
                if let Some(f) = got {
                    prop_assert_eq!(f.due, red);
                }
                prop_assert!(rank(want) >= last);
                last = rank(want);
                t += chrono::Duration::days(7);
            }
            // And on each boundary, and the day before it.
            let one = chrono::Duration::days(1);
            let on = |t: NaiveDate| {
                flags(&c, r, t, &cal, &GapThresholds::default())
                    .into_iter()
                    .find(|f| f.code == FlagCode::NoOfficer)
                    .map(|f| f.severity)
            };
            if shows < red && shows <= r {
                prop_assert_eq!(on(shows - one), None);
                prop_assert_eq!(on(shows), Some(Severity::Amber));
            }
            if red <= r {
                prop_assert_eq!(on(red), Some(Severity::Red));
                if shows < red {
                    prop_assert_eq!(on(red - one), Some(Severity::Amber));
                }
            }
        }
    }
}
