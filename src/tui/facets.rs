//! The counts beside each value in the filter menu, counted as a faceted search counts them:
//! within the search and the other filters already in force (choosing a value replaces the
//! dimension's own filter, so that one is left out), over what the view on screen lists, so
//! each number is how many the view would show once the value is chosen.

use super::data::Caseload;
use super::filter::{Dimension, Filter, NOWHERE};
use super::ViewId;
use crate::domain::gaps::FlagCode;
use crate::query::sheet::sheet_part;
use std::collections::BTreeMap;

/// Every value `dim` takes among what the view would list under the other filters, with its
/// count, in the menu's order. The Gaps view counts gaps (its rows); the others count cases.
pub fn values(
    dim: Dimension,
    data: &Caseload,
    filter: &Filter,
    view: ViewId,
) -> Vec<(String, usize)> {
    let mut others = filter.clone();
    others.by.retain(|(d, _)| *d != dim);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let today = data.today;
    match view {
        ViewId::Gaps => {
            // As the worklist: a severity filter applies flag by flag, not to the case.
            let mut case_test = others.clone();
            case_test.by.retain(|(d, _)| *d != Dimension::Severity);
            for i in data.first_on_or_after(today)..data.cases.len() {
                if !data.flagged(i) || !data.visible(i, &case_test) {
                    continue;
                }
                let v = &data.cases[i];
                for f in v.flags.iter() {
                    if !others.flag_matches(f.code, f.severity) {
                        continue;
                    }
                    let value = match dim {
                        Dimension::Severity => f.severity.as_str().to_string(),
                        Dimension::Flag => f.code.as_str().to_string(),
                        _ => dim.values(v).swap_remove(0),
                    };
                    *counts.entry(value).or_default() += 1;
                }
            }
        }
        _ => {
            let sheet = view == ViewId::Today;
            let from = if sheet { data.from } else { today };
            for i in data.first_on_or_after(from)..data.cases.len() {
                let day = data.day(i);
                if sheet {
                    if day > today {
                        break;
                    }
                    let reported = data.cases[i].reported_at.is_some();
                    if sheet_part(day, reported, today, data.from).is_none() {
                        continue;
                    }
                }
                if !data.visible(i, &others) {
                    continue;
                }
                for value in dim.values(&data.cases[i]) {
                    *counts.entry(value).or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    if dim == Dimension::Accommodation {
        // The question officers ask most: who has nowhere to go.
        out.sort_by_key(|(s, _)| s != NOWHERE);
    }
    if matches!(dim, Dimension::Severity | Dimension::Flag) {
        // Red before amber; flags in the table's order.
        let rank = |s: &str| match s {
            "red" => 0,
            "amber" => 1,
            "clear" => 2,
            code => 3 + FlagCode::parse(code).map_or(0, |c| c as usize),
        };
        out.sort_by_key(|(s, _)| rank(s));
    }
    out
}

/// What the counts are counted within, for the menu to say ("" when nothing else is in force).
pub fn within(dim: Dimension, filter: &Filter) -> String {
    let mut others = filter.clone();
    others.by.retain(|(d, _)| *d != dim);
    others.describe()
}
