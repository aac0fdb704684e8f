use super::*;
use crate::domain::case::Crn;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn case(release: &str) -> Case {
    Case::new("X100001".parse::<Crn>().unwrap(), "Ann Example", d(release))
}

fn h(c: &Case) -> (HandoverRule, Option<NaiveDate>) {
    let h = Handover::of(c);
    (h.rule, h.day)
}

#[test]
fn the_worked_example_determinate() {
    // DOMAIN.md §7: 2024-11-02 − 8 months = 2024-03-02, − 14 days = 2024-02-17.
    assert_eq!(
        h(&case("2024-11-02")),
        (HandoverRule::Determinate, Some(d("2024-02-17")))
    );
}

#[test]
fn months_are_taken_before_days_and_clamped_to_the_months_end() {
    // − 8 months: 30 Feb 2024 does not exist, so 29 Feb; then − 14 days. (Days first would
    // give 16 Oct − 8 months = 16 Feb.)
    assert_eq!(h(&case("2024-10-30")).1, Some(d("2024-02-15")));
    let mut c = case("2027-05-31");
    c.early_allocation = Some(true);
    assert_eq!(
        h(&c),
        (HandoverRule::EarlyAllocation, Some(d("2026-02-28")))
    );
    let mut c = case("2028-02-29");
    c.sentence_type = Some(SentenceType::Indeterminate);
    assert_eq!(h(&c), (HandoverRule::Indeterminate, Some(d("2027-02-28"))));
}

#[test]
fn each_rule_in_its_order() {
    let mut c = case("2027-01-01");
    c.sentence_start = Some(d("2026-03-01"));
    c.ped = Some(d("2026-09-30"));
    // sentence_start + 10 months = 1 Jan 2027 ≥ D: short sentence, COM from sentence.
    assert_eq!(h(&c), (HandoverRule::ShortSentence, Some(d("2026-03-01"))));
    // A day later it is not short: the PED rules.
    c.release_date = d("2027-01-02");
    assert_eq!(h(&c), (HandoverRule::Parole, Some(d("2025-09-30"))));
    c.ped = None;
    assert_eq!(h(&c), (HandoverRule::Determinate, Some(d("2026-04-18"))));
    // An indeterminate sentence is never short, nor parole by this table.
    c.release_date = d("2027-01-01");
    c.ped = Some(d("2026-09-30"));
    c.sentence_type = Some(SentenceType::Indeterminate);
    assert_eq!(h(&c), (HandoverRule::Indeterminate, Some(d("2026-01-01"))));
    c.early_allocation = Some(true);
    assert_eq!(
        h(&c),
        (HandoverRule::EarlyAllocation, Some(d("2025-10-01")))
    );
    c.recall = Some(true);
    assert_eq!(h(&c), (HandoverRule::Recall, None));
    // An explicit no is the blank's no.
    c.recall = Some(false);
    c.early_allocation = Some(false);
    c.sentence_type = Some(SentenceType::Determinate);
    assert_eq!(h(&c).0, HandoverRule::ShortSentence);
}

#[test]
fn responsibility_and_the_words_for_it() {
    let mut c = case("2027-11-26");
    let ho = Handover::of(&c);
    assert_eq!(ho.day, Some(d("2027-03-12")));
    assert_eq!(ho.responsibility(d("2027-03-11")), Responsibility::Pom);
    assert_eq!(ho.responsibility(d("2027-03-12")), Responsibility::Com);
    assert_eq!(
        ho.describe(Some("Jo Bloggs"), d("2027-01-04")),
        "POM Jo Bloggs until Fri 12 Mar 2027, then the community"
    );
    assert_eq!(
        ho.describe(None, d("2027-03-12")),
        "COM since Fri 12 Mar 2027"
    );
    c.recall = Some(true);
    let ho = Handover::of(&c);
    assert_eq!(ho.responsibility(d("2020-01-01")), Responsibility::Com);
    assert_eq!(
        ho.describe(Some("Jo"), d("2020-01-01")),
        "recall: the COM throughout"
    );
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..8000).prop_map(|n| d("2020-01-01") + chrono::Duration::days(n))
}

proptest! {
    #[test]
    fn recall_wins_and_has_no_day(release in any_day(), early: bool, indet: bool, start in proptest::option::of(any_day()), ped in proptest::option::of(any_day())) {
        let mut c = case("2026-01-01");
        c.release_date = release;
        c.recall = Some(true);
        c.early_allocation = Some(early);
        c.sentence_type = indet.then_some(SentenceType::Indeterminate);
        c.sentence_start = start;
        c.ped = ped;
        let ho = Handover::of(&c);
        prop_assert_eq!(ho, Handover { rule: HandoverRule::Recall, day: None });
        prop_assert_eq!(ho.responsibility(release), Responsibility::Com);
    }

    #[test]
    fn the_rule_is_the_first_that_applies(release in any_day(), early: bool, indet: bool, start in proptest::option::of(any_day()), ped in proptest::option::of(any_day())) {
        let mut c = case("2026-01-01");
        c.release_date = release;
        c.early_allocation = Some(early);
        c.sentence_type = indet.then_some(SentenceType::Indeterminate);
        c.sentence_start = start;
        c.ped = ped;
        let ho = Handover::of(&c);
        let short = start.is_some_and(|s| s.checked_add_months(Months::new(10)).unwrap() >= release);
        let want = if early {
            HandoverRule::EarlyAllocation
        } else if indet {
            HandoverRule::Indeterminate
        } else if short {
            HandoverRule::ShortSentence
        } else if ped.is_some() {
            HandoverRule::Parole
        } else {
            HandoverRule::Determinate
        };
        prop_assert_eq!(ho.rule, want);
        let day = ho.day.unwrap();
        match want {
            HandoverRule::ShortSentence => prop_assert_eq!(Some(day), start),
            HandoverRule::Parole => {
                let again = day.checked_add_months(Months::new(12)).unwrap();
                let ped = ped.unwrap();
                prop_assert!(again <= ped && (ped - again).num_days() <= 3);
            }
            _ => {
                // Release-based: before the release, by the rule's months (and days).
                let (months, days) = match want {
                    HandoverRule::EarlyAllocation => (15, 0),
                    HandoverRule::Indeterminate => (12, 0),
                    _ => (8, 14),
                };
                let back = (release - day).num_days();
                prop_assert!(back >= i64::from(months) * 28 + days && back <= i64::from(months) * 31 + days, "{back}");
                // Going forward again lands on the release or, from a clamped month end, up to 3 days short.
                let again = (day + chrono::Duration::days(days)).checked_add_months(Months::new(months)).unwrap();
                prop_assert!(again <= release && (release - again).num_days() <= 3);
            }
        }
    }

    #[test]
    fn the_com_holds_the_case_from_the_handover_day_on(release in any_day(), t in any_day(), later in 0i64..400) {
        let ho = Handover::of(&case(&release.to_string()));
        let h = ho.day.unwrap();
        prop_assert_eq!(ho.responsibility(t) == Responsibility::Com, h <= t);
        if ho.responsibility(t) == Responsibility::Com {
            prop_assert_eq!(ho.responsibility(t + chrono::Duration::days(later)), Responsibility::Com);
        }
    }
}
