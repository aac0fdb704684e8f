use super::*;
use crate::domain::case::{Case, SentenceType};
use crate::query::Planner;
use crate::tui::views::tests::{d, planner_with, render, today};

fn case(crn: &str, name: &str, release: NaiveDate) -> Case {
    let mut c = Case::new(crn.parse().unwrap(), name, release);
    c.officer = Some("Olu Duty".into());
    c
}

/// Today Mon 23 Nov 2026; the view runs to Mon 18 Jan 2027.
fn extra() -> Vec<Case> {
    // Determinate, 14 Aug 2027: handover Mon 30 Nov 2026. No COM yet.
    let mut ann = case("Q300001", "Ann Handover", d(2027, 8, 14));
    ann.officer = None;
    ann.pom = Some("Jo Bloggs".into());
    // Indeterminate, 1 Dec 2027: handover Tue 1 Dec 2026.
    let mut bo = case("Q300002", "Bo Lifer", d(2027, 12, 1));
    bo.sentence_type = Some(SentenceType::Indeterminate);
    // A recall: the COM throughout, never listed.
    let mut cy = case("Q300003", "Cy Recall", d(2026, 12, 10));
    cy.recall = Some(true);
    // Handover Sat 18 Sep 2027: beyond the 8 weeks.
    let di = case("Q300004", "Di Later", d(2028, 6, 1));
    vec![ann, bo, cy, di]
}

fn setup() -> (Planner, Caseload, HandoversView) {
    let planner = planner_with(&extra());
    let data = Caseload::load(&planner, today()).unwrap();
    let mut view = HandoversView::default();
    view.refresh(&data, &Filter::default());
    (planner, data, view)
}

fn ours(view: &HandoversView, data: &Caseload) -> Vec<String> {
    view.rows(data)
        .iter()
        .map(|v| v.case.crn.to_string())
        .filter(|c| c.starts_with('Q'))
        .collect()
}

#[test]
fn the_next_eight_weeks_by_handover_day_as_the_command_line_lists_them() {
    let (planner, data, view) = setup();
    assert_eq!(ours(&view, &data), ["Q300001", "Q300002"]);
    let days: Vec<NaiveDate> = view
        .rows(&data)
        .iter()
        .map(|v| v.handover.day.unwrap())
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert!(days.iter().all(|h| *h >= today() && *h <= d(2027, 1, 18)));
    // The same cases, in the same order, as `releaseday handovers`.
    let cli = planner
        .handovers(today(), d(2027, 1, 18), today(), &Default::default())
        .unwrap();
    let listed: Vec<String> = view
        .rows(&data)
        .iter()
        .map(|v| v.case.crn.to_string())
        .collect();
    let printed: Vec<String> = cli.iter().map(|r| r.crn.to_string()).collect();
    assert_eq!(listed, printed);
}

#[test]
fn renders_at_80_columns_saying_who_holds_each_case_and_the_rule() {
    let (planner, data, mut view) = setup();
    assert!(view.select(&"Q300001".parse().unwrap(), &data));
    let lines = render(&mut view, &planner, &data, &Filter::default(), 80, 20);
    let text = lines.join("\n");
    assert!(
        lines[0].contains("handovers to the community in the next 8 weeks"),
        "{text}"
    );
    assert!(lines[0].contains("with no COM"), "{text}");
    assert!(
        lines[1].contains("Handover") && lines[1].contains("Rule"),
        "{text}"
    );
    let row = lines.iter().find(|l| l.starts_with("▶ ")).expect(&text);
    assert!(
        row.contains("Mon 30 Nov") && row.contains("POM") && row.contains("Jo Blog"),
        "{text}"
    );
    assert!(
        row.contains("▲ none") && row.contains("determinate"),
        "{text}"
    );
    assert!(
        text.contains("Ann Handover: POM Jo Bloggs until Mon 30 Nov 2026, then the community"),
        "{text}"
    );
    assert!(
        text.contains("determinate sentence: 8 months and 14 days before release"),
        "{text}"
    );
    let wide = render(&mut view, &planner, &data, &Filter::default(), 120, 20).join("\n");
    assert!(
        wide.contains("Release") && wide.contains("12 Aug 2027"),
        "{wide}"
    );
    // Unallocated first, on request.
    view.next_sort(&data, &Filter::default());
    assert!(view.rows(&data).first().is_some_and(|v| no_com(v)));
}
