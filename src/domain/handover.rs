//! The OMiC handover (DOMAIN.md §7): the day a case passes from the prison offender manager
//! (POM) to the community offender manager (COM), the rule that set it, and who holds the case
//! on a given day. The rules are Manage POM Cases' `Handover::HandoverCalculation`, in its
//! order, from the legal `release_date` as given (never the expected day).

use super::case::{Case, SentenceType};
use super::dates;
use chrono::{Days, Months, NaiveDate};

/// Which of §7's rules set the handover day, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HandoverRule {
    Recall,
    EarlyAllocation,
    Indeterminate,
    ShortSentence,
    Parole,
    Determinate,
}

impl HandoverRule {
    pub const ALL: [HandoverRule; 6] = [
        HandoverRule::Recall,
        HandoverRule::EarlyAllocation,
        HandoverRule::Indeterminate,
        HandoverRule::ShortSentence,
        HandoverRule::Parole,
        HandoverRule::Determinate,
    ];

    /// The code JSON and CSV carry (`handover_rule`).
    pub fn as_str(self) -> &'static str {
        match self {
            HandoverRule::Recall => "recall",
            HandoverRule::EarlyAllocation => "early_allocation",
            HandoverRule::Indeterminate => "indeterminate",
            HandoverRule::ShortSentence => "short_sentence",
            HandoverRule::Parole => "parole",
            HandoverRule::Determinate => "determinate",
        }
    }

    /// Why the day is what it is, in an officer's words.
    pub fn explain(self) -> &'static str {
        match self {
            HandoverRule::Recall => "recall: the COM throughout",
            HandoverRule::EarlyAllocation => "early allocation: 15 months before release",
            HandoverRule::Indeterminate => "indeterminate sentence: 12 months before release",
            HandoverRule::ShortSentence => {
                "short sentence (release within 10 months of sentence): the COM from sentence"
            }
            HandoverRule::Parole => "parole eligible: 12 months before the PED",
            HandoverRule::Determinate => {
                "determinate sentence: 8 months and 14 days before release"
            }
        }
    }
}

/// Who holds the case on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Responsibility {
    /// The prison offender manager.
    Pom,
    /// The community offender manager (the case's `officer`).
    Com,
}

impl Responsibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Responsibility::Pom => "POM",
            Responsibility::Com => "COM",
        }
    }
}

/// A case's handover: its day H (`None` for a recall: the COM holds it throughout) and the
/// rule that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handover {
    pub rule: HandoverRule,
    pub day: Option<NaiveDate>,
}

/// Calendar months back or on, clamped to the month's end; days after the months.
fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

fn days_back(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

impl Handover {
    /// §7's table, first rule that applies.
    pub fn of(case: &Case) -> Handover {
        let d = case.release_date;
        let (rule, day) = if case.recall() {
            (HandoverRule::Recall, None)
        } else if case.early_allocation() {
            (HandoverRule::EarlyAllocation, Some(months_back(d, 15)))
        } else if case.sentence_type() == SentenceType::Indeterminate {
            (HandoverRule::Indeterminate, Some(months_back(d, 12)))
        } else if let Some(start) = case.sentence_start.filter(|s| {
            s.checked_add_months(Months::new(10))
                .is_none_or(|ten| ten >= d)
        }) {
            (HandoverRule::ShortSentence, Some(start))
        } else if let Some(ped) = case.ped {
            (HandoverRule::Parole, Some(months_back(ped, 12)))
        } else {
            (
                HandoverRule::Determinate,
                Some(days_back(months_back(d, 8), 14)),
            )
        };
        Handover { rule, day }
    }

    /// Who holds the case on `today`: the COM from the handover day on, or throughout a
    /// recall; the POM before.
    pub fn responsibility(&self, today: NaiveDate) -> Responsibility {
        match self.day {
            Some(h) if h > today => Responsibility::Pom,
            _ => Responsibility::Com,
        }
    }

    /// What the case detail says: "POM Jo Bloggs until Fri 12 Mar 2027, then the community",
    /// "COM since Mon 1 Feb 2027", "recall: the COM throughout".
    pub fn describe(&self, pom: Option<&str>, today: NaiveDate) -> String {
        match self.day {
            None => "recall: the COM throughout".to_string(),
            Some(h) if h > today => {
                let who = match pom.map(str::trim).filter(|p| !p.is_empty()) {
                    Some(p) => format!("POM {p}"),
                    None => "the POM (none named)".to_string(),
                };
                format!("{who} until {}, then the community", dates::long(h))
            }
            Some(h) => format!("COM since {}", dates::long(h)),
        }
    }
}

#[cfg(test)]
mod tests;
