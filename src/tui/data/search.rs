//! The search over every case in the database: the held cases' folded keys (`index`), and
//! the keys of the cases before the window, read once on another thread (`earlier`).

use super::{Caseload, Earlier, SearchIndex};
use crate::query::search::CaseKey;
use crate::query::Planner;
use crate::tui::filter::Filter;

impl Caseload {
    /// Readies the search over the whole database: the held cases' keys, and the keys of
    /// every case before the window, read once, on the first search of a session. At national
    /// scale those are half the database (about a tenth of a second to read): they are read
    /// on another thread over a read-only connection, and the search takes them in when they
    /// arrive (`take_earlier`), so `/` itself does not wait.
    pub fn begin_search(&mut self, planner: &Planner) -> anyhow::Result<()> {
        if self.search.is_none() {
            self.search = Some(SearchIndex::build(&self.cases));
        }
        if self.earlier.is_some() || self.earlier_loading.is_some() {
            return Ok(());
        }
        let from = self.from;
        match planner.reader()? {
            Some(reader) => {
                let handle = std::thread::Builder::new()
                    .name("search keys".into())
                    .spawn(move || Ok(Earlier::new(reader.keys_before(from)?)))?;
                self.earlier_loading = Some((handle, Vec::new()));
            }
            None => self.earlier = Some(Earlier::new(planner.keys_before(from)?)),
        }
        Ok(())
    }

    /// Whether the earlier cases' keys are still being read.
    pub fn earlier_pending(&self) -> bool {
        self.earlier_loading.is_some()
    }

    /// Takes in the earlier cases' keys once read (`wait`: waiting for them if need be);
    /// true when they arrived now, so the search's counts changed.
    pub fn take_earlier(&mut self, wait: bool) -> anyhow::Result<bool> {
        match &self.earlier_loading {
            Some((handle, _)) if wait || handle.is_finished() => {}
            _ => return Ok(false),
        }
        let Some((handle, written)) = self.earlier_loading.take() else {
            return Ok(false);
        };
        let mut earlier = handle
            .join()
            .map_err(|_| anyhow::anyhow!("reading the earlier cases stopped unexpectedly"))??;
        for crn in &written {
            earlier.update(crn, self.get(crn), self.from);
        }
        if let Some((folded, _)) = &self.hits {
            earlier.prepare(folded);
        }
        self.earlier = Some(earlier);
        Ok(true)
    }

    /// Positions in `cases` of the held cases the search in force matches (`prepare` made it).
    pub fn search_hits(&self) -> Vec<usize> {
        match &self.hits {
            Some((_, hits)) => (0..hits.len()).filter(|i| hits[*i]).collect(),
            None => Vec::new(),
        }
    }

    /// The cases before the window that the search in force matches, most recent first.
    pub fn earlier_hits(&self) -> Vec<&CaseKey> {
        match (&self.earlier, &self.hits) {
            (Some(e), Some((folded, _))) => e.found(folded),
            _ => Vec::new(),
        }
    }

    /// How many cases in the whole database the search in force matches, when `prepare` has
    /// made its matches (`None` before: no search, or the search was not begun).
    pub fn match_count(&self) -> Option<usize> {
        let (folded, _) = self.hits.as_ref()?;
        let earlier = self.earlier.as_ref().map_or(0, |e| e.count(folded));
        Some(self.hit_count + earlier)
    }

    /// Makes the search's matches once for every view to share; call after the search text
    /// changes, before the views refresh (`visible` works without it, only slower).
    pub fn prepare(&mut self, filter: &Filter) {
        let folded = filter.folded();
        if folded.is_empty() || self.hits.as_ref().is_some_and(|(f, _)| f == folded) {
            return;
        }
        let index = self
            .search
            .get_or_insert_with(|| SearchIndex::build(&self.cases));
        let hits = match &self.hits {
            // One more letter typed: only the cases that matched before need looking at.
            Some((before, hits)) if folded.starts_with(before.as_str()) => {
                index.narrow(hits, folded)
            }
            _ => index.hits(folded),
        };
        self.hit_count = hits.iter().filter(|h| **h).count();
        self.hits = Some((folded.to_string(), hits));
        if let Some(e) = &mut self.earlier {
            e.prepare(folded);
        }
    }

    /// Whether case `i` passes the filter and search.
    pub fn visible(&self, i: usize, filter: &Filter) -> bool {
        let v = &self.cases[i];
        let folded = filter.folded();
        let found = folded.is_empty()
            || match &self.hits {
                Some((f, hits)) if f == folded => hits[i],
                _ => Filter::search_key(v).contains(folded),
            };
        found && filter.matches_dimensions(v)
    }
}
