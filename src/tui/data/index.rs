//! The search keys of the cases on screen, held end to end in one string so a search is one
//! pass of a substring finder over about 1.5 MB at national scale, not 100,000 separate
//! `contains` calls over keys scattered across the heap. Built on first search, not at open
//! (most sessions never search), and kept current case by case after edits.
//!
//! Beside each key, a mask of the letters and digits in it: a first letter typed matches
//! nearly every case, and testing one bit per key answers it without a find per match.

use crate::query::CaseView;
use crate::tui::filter::{Filter, KEY_SEP};

/// Between two keys; a search containing it falls back to testing key by key.
const SEP: char = '\0';

pub struct SearchIndex {
    /// Every case's folded key, in `Caseload::cases` order, each followed by `SEP`.
    text: String,
    /// Where each key starts in `text`; one more entry than keys (the end).
    starts: Vec<usize>,
    /// Which characters each key holds (`bit`).
    masks: Vec<u64>,
}

/// The mask bit of a character, for the characters that have one of their own; the rest
/// share `OTHER`, which therefore says only "some other character".
fn bit(c: char) -> Option<u64> {
    let n = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + (c as u32 - '0' as u32),
        ' ' => 36,
        '\'' => 37,
        '-' => 38,
        '.' => 39,
        _ => return None,
    };
    Some(1 << n)
}

const OTHER: u64 = 1 << 63;

fn mask(key: &str) -> u64 {
    key.chars()
        .filter(|c| *c != KEY_SEP)
        .fold(0, |m, c| m | bit(c).unwrap_or(OTHER))
}

impl SearchIndex {
    pub fn build(cases: &[CaseView]) -> SearchIndex {
        SearchIndex::build_with(cases.len(), cases.iter(), Filter::push_search_key)
    }

    /// An index of `n` keys, each pushed by `push` from one of `items`.
    pub fn build_with<T>(
        n: usize,
        items: impl Iterator<Item = T>,
        push: impl Fn(T, &mut String),
    ) -> SearchIndex {
        let mut text = String::with_capacity(n * 40);
        let mut starts = Vec::with_capacity(n + 1);
        let mut masks = Vec::with_capacity(n);
        for item in items {
            let at = text.len();
            starts.push(at);
            push(item, &mut text);
            masks.push(mask(&text[at..]));
            text.push(SEP);
        }
        starts.push(text.len());
        SearchIndex {
            text,
            starts,
            masks,
        }
    }

    pub fn len(&self) -> usize {
        self.masks.len()
    }

    fn key(&self, i: usize) -> &str {
        &self.text[self.starts[i]..self.starts[i + 1] - SEP.len_utf8()]
    }

    /// Which keys contain `folded` (already folded by the filter).
    pub fn hits(&self, folded: &str) -> Vec<bool> {
        let n = self.len();
        let mut chars = folded.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if let Some(b) = bit(c) {
                // One character with a bit of its own: the mask is the answer.
                return self.masks.iter().map(|m| m & b != 0).collect();
            }
        }
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
    /// letter): only keys that matched before can match now, and of those only keys holding
    /// every letter of the search. While many still match (the second letter), one pass of
    /// the finder over the whole text is cheaper than a find in each of those keys.
    pub fn narrow(&self, before: &[bool], folded: &str) -> Vec<bool> {
        let still = before.iter().filter(|h| **h).count();
        if still > self.len() / 8 {
            let mut out = self.hits(folded);
            out.iter_mut()
                .zip(before)
                .for_each(|(now, was)| *now &= *was);
            return out;
        }
        let need = folded.chars().filter_map(bit).fold(0, |m, b| m | b);
        let finder = memchr::memmem::Finder::new(folded.as_bytes());
        before
            .iter()
            .zip(&self.masks)
            .enumerate()
            .map(|(i, (hit, m))| {
                *hit && m & need == need && finder.find(self.key(i).as_bytes()).is_some()
            })
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
        self.insert_key(i, key);
    }

    /// As `insert`, with the key already made (`Filter::push_key_parts`).
    pub fn insert_key(&mut self, i: usize, mut key: String) {
        self.masks.insert(i, mask(&key));
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
        self.masks.remove(i);
        for s in &mut self.starts[i..] {
            *s -= b - a;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::filter::fold;

    fn index(keys: &[&str]) -> SearchIndex {
        SearchIndex::build_with(keys.len(), keys.iter(), |k, out| {
            Filter::push_key_parts(k, "X100001", "", out)
        })
    }

    /// The mask's answer for one letter, the finder's for longer searches, and narrowing,
    /// all agree with testing each key in turn.
    #[test]
    fn every_way_of_searching_agrees_with_testing_each_key() {
        let names = [
            "Zoë Jacks",
            "Ann O'Neill",
            "Siân Price",
            "Bo",
            "Łukasz Nowak",
            "Ed Smith-Jones",
            "J. R. Hartley",
            "",
        ];
        let mut idx = index(&names);
        let keys: Vec<String> = names
            .iter()
            .map(|n| {
                let mut k = String::new();
                Filter::push_key_parts(n, "X100001", "", &mut k);
                k
            })
            .collect();
        let plain = |q: &str, keys: &[String]| -> Vec<bool> {
            keys.iter().map(|k| k.contains(q)).collect()
        };
        for q in [
            "z", "o", "'", "-", ".", " ", "ł", "x", "1", "zo", "zoe", "o'n", "smith-", "q",
        ] {
            let q = fold(q);
            assert_eq!(idx.hits(&q), plain(&q, &keys), "search {q:?}");
            let first: String = q.chars().take(1).collect();
            let narrowed = idx.narrow(&idx.hits(&first), &q);
            assert_eq!(narrowed, plain(&q, &keys), "narrowed to {q:?}");
        }
        // Few matches left: narrowing looks in those keys only, with the same answer.
        let mut many: Vec<&str> = vec!["Ann Filler"; 40];
        many.push("Zoë Jacks");
        let big = index(&many);
        let first = big.hits("z");
        assert_eq!(first.iter().filter(|h| **h).count(), 1);
        let zo = big.narrow(&first, "zo");
        assert_eq!(zo.iter().position(|h| *h), Some(40));
        assert_eq!(zo.iter().filter(|h| **h).count(), 1);
        assert!(!big.narrow(&first, "zx").iter().any(|h| *h));
        // Kept current through a removal and an insertion.
        idx.remove(0);
        let mut key = String::new();
        Filter::push_key_parts("Zed Last", "X100002", "", &mut key);
        idx.insert_key(2, key.clone());
        let mut now = keys[1..].to_vec();
        now.insert(2, key);
        for q in ["z", "zed", "a", "x100002"] {
            assert_eq!(idx.hits(q), plain(q, &now), "after changes, {q:?}");
        }
    }
}
