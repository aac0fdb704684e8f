//! The cases released before the days the screens hold, as the search sees them: their light
//! keys (name, CRN, NOMS number, day, check-in), read on the first search of a session and
//! searched as the held cases are, so `/` finds anyone in the database.

use super::index::SearchIndex;
use crate::query::search::CaseKey;
use crate::query::CaseView;
use crate::tui::filter::Filter;

pub struct Earlier {
    /// Most recent first, as the store lists them.
    keys: Vec<CaseKey>,
    index: SearchIndex,
    /// The last search's matches: (folded text, matches by position in `keys`).
    hits: Option<(String, Vec<bool>)>,
    /// How many of `hits` are true.
    count: usize,
}

fn push(k: &CaseKey, out: &mut String) {
    Filter::push_key_parts(
        &k.name,
        k.crn.as_str(),
        k.noms.as_deref().unwrap_or(""),
        out,
    );
}

fn key_of(k: &CaseKey) -> String {
    let mut out = String::new();
    push(k, &mut out);
    out
}

impl Earlier {
    pub fn new(keys: Vec<CaseKey>) -> Earlier {
        let index = SearchIndex::build_with(keys.len(), keys.iter(), push);
        Earlier {
            keys,
            index,
            hits: None,
            count: 0,
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Makes the matches of `folded`, narrowing the last ones when a letter was added.
    pub fn prepare(&mut self, folded: &str) {
        if folded.is_empty() || self.hits.as_ref().is_some_and(|(f, _)| f == folded) {
            return;
        }
        let hits = match &self.hits {
            Some((before, hits)) if folded.starts_with(before.as_str()) => {
                self.index.narrow(hits, folded)
            }
            _ => self.index.hits(folded),
        };
        self.count = hits.iter().filter(|h| **h).count();
        self.hits = Some((folded.to_string(), hits));
    }

    /// The keys matching `folded` (made by `prepare`), most recent first.
    pub fn found(&self, folded: &str) -> Vec<&CaseKey> {
        match &self.hits {
            Some((f, hits)) if f == folded => self
                .keys
                .iter()
                .zip(hits)
                .filter(|(_, h)| **h)
                .map(|(k, _)| k)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How many keys match `folded` (made by `prepare`).
    pub fn count(&self, folded: &str) -> usize {
        match &self.hits {
            Some((f, _)) if f == folded => self.count,
            _ => 0,
        }
    }

    /// A case as it is now: kept here while it lies before `from` (updated in place or
    /// moved to its day's place), dropped when it is now among the held cases or gone.
    pub fn update(
        &mut self,
        crn: &crate::domain::case::Crn,
        now: Option<&CaseView>,
        from: chrono::NaiveDate,
    ) {
        if let Some(i) = self.keys.iter().position(|k| k.crn == *crn) {
            self.keys.remove(i);
            self.index.remove(i);
            if let Some((_, hits)) = &mut self.hits {
                self.count -= usize::from(hits.remove(i));
            }
        }
        let Some(v) = now.filter(|v| v.expected_day() < from) else {
            return;
        };
        let key = CaseKey {
            crn: v.case.crn.clone(),
            name: v.case.name.clone(),
            noms: v.case.noms.as_ref().map(|n| n.as_str().to_string()),
            expected_day: v.expected_day(),
            reported_at: v.reported_at,
        };
        // Most recent first, then name and CRN, as the store orders them.
        let order = |k: &CaseKey| {
            (
                std::cmp::Reverse(k.expected_day),
                k.name.clone(),
                k.crn.clone(),
            )
        };
        let at = self.keys.partition_point(|k| order(k) < order(&key));
        let text = key_of(&key);
        if let Some((folded, hits)) = &mut self.hits {
            let hit = text.contains(folded.as_str());
            hits.insert(at, hit);
            self.count += usize::from(hit);
        }
        self.index.insert_key(at, text);
        self.keys.insert(at, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn key(crn: &str, name: &str, day: u32) -> CaseKey {
        CaseKey {
            crn: crn.parse().unwrap(),
            name: name.into(),
            noms: None,
            expected_day: NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
            reported_at: None,
        }
    }

    #[test]
    fn searching_narrowing_and_updates_keep_the_matches_right() {
        let mut e = Earlier::new(vec![
            key("X100003", "Zoë Third", 20),
            key("X100002", "Zak Second", 10),
            key("X100001", "Amy First", 1),
        ]);
        e.prepare("z");
        assert_eq!(e.count("z"), 2);
        e.prepare("zo");
        let names: Vec<&str> = e.found("zo").iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["Zoë Third"]);
        assert_eq!(e.count("z"), 0, "only the last search is held");
        // Renamed in the planner, still before the window: found by the new name, in place.
        let mut case = crate::domain::case::Case::new(
            "X100001".parse().unwrap(),
            "Zoe Renamed",
            NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
        );
        case.crn = "X100001".parse().unwrap();
        let planner = crate::query::Planner::in_memory(crate::query::Settings::default()).unwrap();
        let view = planner.view(
            crate::query::StoredCase {
                expected_day: case.release_date,
                case,
                reported_at: None,
                version: 2,
                updated_at: String::new(),
            },
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        let from = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        e.update(&"X100001".parse().unwrap(), Some(&view), from);
        let found: Vec<&str> = e.found("zo").iter().map(|k| k.crn.as_str()).collect();
        assert_eq!(found, ["X100003", "X100001"], "latest first");
        // Moved into the window: no longer here.
        e.update(&"X100003".parse().unwrap(), None, from);
        assert_eq!(e.len(), 2);
        assert_eq!(e.count("zo"), 1);
    }
}
