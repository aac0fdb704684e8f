//! The search keys of the cases on screen, held end to end in one string so a search is one
//! pass of a substring finder over about 1.5 MB at national scale, not 100,000 separate
//! `contains` calls over keys scattered across the heap. Built on first search, not at open
//! (most sessions never search), and kept current case by case after edits.

use super::filter::Filter;
use crate::query::CaseView;

/// Between two keys; a search containing it falls back to testing key by key.
const SEP: char = '\0';

pub struct SearchIndex {
    /// Every case's folded key, in `Caseload::cases` order, each followed by `SEP`.
    text: String,
    /// Where each key starts in `text`; one more entry than keys (the end).
    starts: Vec<usize>,
}

impl SearchIndex {
    pub fn build(cases: &[CaseView]) -> SearchIndex {
        let mut text = String::with_capacity(cases.len() * 40);
        let mut starts = Vec::with_capacity(cases.len() + 1);
        for v in cases {
            starts.push(text.len());
            Filter::push_search_key(v, &mut text);
            text.push(SEP);
        }
        starts.push(text.len());
        SearchIndex { text, starts }
    }

    fn key(&self, i: usize) -> &str {
        &self.text[self.starts[i]..self.starts[i + 1] - SEP.len_utf8()]
    }

    /// Which keys contain `folded` (already folded by the filter).
    pub fn hits(&self, folded: &str) -> Vec<bool> {
        let n = self.starts.len() - 1;
        if folded.contains(SEP) {
            return (0..n).map(|i| self.key(i).contains(folded)).collect();
        }
        let mut out = vec![false; n];
        // A match never spans two keys (it would contain SEP). After a match the search
        // goes on from the next key, so a common letter costs one find per matching key: the
        // finder is built once, since setting one up per find was most of a first letter's cost.
        // (Bytes are safe to match: UTF-8 never matches part of another character.)
        let finder = memchr::memmem::Finder::new(folded.as_bytes());
        let bytes = self.text.as_bytes();
        let (mut from, mut i) = (0, 0);
        while let Some(at) = finder.find(&bytes[from..]).map(|k| from + k) {
            while self.starts[i + 1] <= at {
                i += 1;
            }
            out[i] = true;
            from = self.starts[i + 1];
        }
        out
    }

    /// As `hits`, for a search that extends the one `before` answered (typing one more
    /// letter): only keys that matched before can match now.
    pub fn narrow(&self, before: &[bool], folded: &str) -> Vec<bool> {
        let finder = memchr::memmem::Finder::new(folded.as_bytes());
        before
            .iter()
            .enumerate()
            .map(|(i, hit)| *hit && finder.find(self.key(i).as_bytes()).is_some())
            .collect()
    }

    /// Case `i` changed: its key is made again in place.
    pub fn set(&mut self, i: usize, v: &CaseView) {
        self.remove(i);
        self.insert(i, v);
    }

    /// A case now sits at position `i` (the ones from `i` on move up one).
    pub fn insert(&mut self, i: usize, v: &CaseView) {
        let mut key = String::new();
        Filter::push_search_key(v, &mut key);
        key.push(SEP);
        let at = self.starts[i];
        self.text.insert_str(at, &key);
        self.starts.insert(i, at);
        for s in &mut self.starts[i + 1..] {
            *s += key.len();
        }
    }

    /// The case at position `i` is gone.
    pub fn remove(&mut self, i: usize) {
        let (a, b) = (self.starts[i], self.starts[i + 1]);
        self.text.replace_range(a..b, "");
        self.starts.remove(i);
        for s in &mut self.starts[i..] {
            *s -= b - a;
        }
    }
}
