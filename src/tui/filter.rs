//! What the officer narrowed the screens to: a search as you type, and filters by field.

use crate::domain::gaps::FlagCode;
use crate::domain::severity::Severity;
use crate::query::CaseView;

/// A field to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Officer,
    Prison,
    Team,
    Severity,
    Accommodation,
    Flag,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Officer,
        Dimension::Prison,
        Dimension::Team,
        Dimension::Severity,
        Dimension::Accommodation,
        Dimension::Flag,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Officer => "Officer",
            Dimension::Prison => "Prison",
            Dimension::Team => "Team",
            Dimension::Severity => "Severity",
            Dimension::Accommodation => "Accommodation",
            Dimension::Flag => "Flag",
        }
    }

    /// Whether a case has `value` for this dimension (no allocation: called per case per key).
    pub fn has(self, v: &CaseView, value: &str) -> bool {
        let c = &v.case;
        let field = |o: &Option<String>| o.as_deref().unwrap_or(NONE) == value;
        match self {
            Dimension::Officer => field(&c.officer),
            Dimension::Prison => field(&c.prison),
            Dimension::Team => field(&c.team),
            Dimension::Severity => v.worst_severity().map_or("clear", |s| s.as_str()) == value,
            Dimension::Accommodation => {
                if c.needs_accommodation() {
                    value == NOWHERE
                } else {
                    c.accommodation.as_str() == value
                }
            }
            Dimension::Flag => v.flags.iter().any(|f| f.code.as_str() == value),
        }
    }

    /// The values a case has for this dimension (a case can carry several flags).
    pub fn values(self, v: &CaseView) -> Vec<String> {
        let c = &v.case;
        let or_none = |o: &Option<String>| vec![o.clone().unwrap_or_else(|| NONE.to_string())];
        match self {
            Dimension::Officer => or_none(&c.officer),
            Dimension::Prison => or_none(&c.prison),
            Dimension::Team => or_none(&c.team),
            Dimension::Severity => vec![v
                .worst_severity()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "clear".into())],
            Dimension::Accommodation => vec![if c.needs_accommodation() {
                NOWHERE.to_string()
            } else {
                c.accommodation.to_string()
            }],
            Dimension::Flag => v
                .flags
                .iter()
                .map(|f| f.code.as_str().to_string())
                .collect(),
        }
    }
}

/// Between the name, CRN and NOMS number in a search key: a search never spans two of them.
pub const KEY_SEP: char = '\u{1f}';

/// Shown for a blank officer, prison or team.
pub const NONE: &str = "(none)";
/// The accommodation filter's value for every case that needs accommodation.
pub const NOWHERE: &str = "nowhere to go";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// What the officer typed; change it with `set_search` so `folded` follows.
    pub search: String,
    /// `search` folded once, not once per case.
    folded: String,
    pub by: Vec<(Dimension, String)>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.search.is_empty() && self.by.is_empty()
    }

    /// Sets (or replaces) the filter on one dimension.
    pub fn set(&mut self, dim: Dimension, value: String) {
        self.by.retain(|(d, _)| *d != dim);
        self.by.push((dim, value));
    }

    /// A filter that only searches.
    pub fn searching(text: impl Into<String>) -> Filter {
        let mut f = Filter::default();
        f.set_search(text);
        f
    }

    pub fn set_search(&mut self, text: impl Into<String>) {
        self.search = text.into();
        self.folded = fold(&self.search);
    }

    /// What a case is searched by: name, CRN and NOMS number, folded. The screens keep one per
    /// case so typing a search does not fold 100,000 names per key.
    pub fn search_key(v: &CaseView) -> String {
        let mut key = String::new();
        Filter::push_search_key(v, &mut key);
        key
    }

    /// As `search_key`, appended to `out` (the screens' search index holds all keys in one).
    pub fn push_search_key(v: &CaseView, out: &mut String) {
        let c = &v.case;
        let noms = c.noms.as_ref().map(|n| n.as_str()).unwrap_or("");
        Filter::push_key_parts(&c.name, c.crn.as_str(), noms, out);
    }

    /// As `push_search_key`, from the three fields searched (for cases not held whole).
    pub fn push_key_parts(name: &str, crn: &str, noms: &str, out: &mut String) {
        fold_into(name, out);
        out.push(KEY_SEP);
        fold_into(crn, out);
        out.push(KEY_SEP);
        fold_into(noms, out);
    }

    /// The search text as cases are matched against it (folded).
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Whether a case passes the filter's dimensions (not the search).
    pub fn matches_dimensions(&self, v: &CaseView) -> bool {
        self.by.iter().all(|(d, val)| d.has(v, val))
    }

    /// Search matches name, CRN or NOMS number, ignoring case and accents ("zoe" finds "Zoë").
    pub fn matches(&self, v: &CaseView) -> bool {
        self.matches_keyed(v, &Filter::search_key(v))
    }

    /// As `matches`, with the case's search key already made.
    pub fn matches_keyed(&self, v: &CaseView, key: &str) -> bool {
        (self.folded.is_empty() || key.contains(&self.folded))
            && self.by.iter().all(|(d, val)| d.has(v, val))
    }

    /// A flag passes when the filter's flag and severity dimensions (if any) allow it.
    pub fn flag_matches(&self, code: FlagCode, severity: Severity) -> bool {
        self.by.iter().all(|(d, val)| match d {
            Dimension::Flag => code.as_str() == val,
            Dimension::Severity => severity.as_str() == val,
            _ => true,
        })
    }

    /// "search "ann" · Officer: Priya Shah".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.search.is_empty() {
            parts.push(format!("search \"{}\"", self.search));
        }
        for (d, v) in &self.by {
            parts.push(format!("{}: {}", d.label(), v));
        }
        parts.join(" · ")
    }
}

/// Lower case with the accents of Latin letters removed, for matching what officers type.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// As `fold`, appended to `out`. Plain ASCII (most names, every CRN) skips the Unicode tables.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    out.extend(s.chars().flat_map(char::to_lowercase).map(fold_char));
}

fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ś' | 'š' => 's',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ŵ' => 'w',
        'ź' | 'ż' | 'ž' => 'z',
        '’' => '\'',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn search_folds_case_and_accents() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("Siân O’Neill"), "sian o'neill");
        assert_eq!(fold("Ciarán"), "ciaran");
        assert_eq!(fold("X123456"), "x123456");
        assert_eq!(fold("ANN O'Neill"), "ann o'neill");
    }
}
