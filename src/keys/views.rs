//! The screens by name: what the settings and the key map know of each view (its title and
//! the key that shows it; keys that work in one view only are scoped to it in `map`). The settings check the keys a file binds
//! against these before any screen is drawn, so they live here, below the settings, and the
//! screens (`tui::views`) build each view from its `ViewId`.
//!
//! Adding a view: a `ViewId` variant and its row in `VIEWS` here; then its module in
//! `src/tui/views/` and its line in `tui::views::register!` (the compiler asks for it).

/// One of the screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewId {
    Releases,
    Gaps,
    Calendar,
    Today,
    Handovers,
}

/// What the settings and the key map know of a view.
#[derive(Debug)]
pub struct ViewSpec {
    pub id: ViewId,
    /// On its tab and in help ("Keys in Today").
    pub title: &'static str,
    /// What the command bar and help call the key that shows it ("today").
    pub word: &'static str,
    /// The config file's `[keys]` name for showing it.
    pub setting: &'static str,
    /// The key that shows it by default (also its tab's number).
    pub key: char,
}

/// Every view, in tab order: row `i` is the view whose `ViewId` is the `i`-th variant.
pub const VIEWS: &[ViewSpec] = &[
    ViewSpec {
        id: ViewId::Releases,
        title: "Releases",
        word: "releases",
        setting: "show_releases",
        key: '1',
    },
    ViewSpec {
        id: ViewId::Gaps,
        title: "Gaps",
        word: "gaps",
        setting: "show_gaps",
        key: '2',
    },
    ViewSpec {
        id: ViewId::Calendar,
        title: "Calendar",
        word: "calendar",
        setting: "show_calendar",
        key: '3',
    },
    ViewSpec {
        id: ViewId::Today,
        title: "Today",
        word: "today",
        setting: "show_today",
        key: '4',
    },
    ViewSpec {
        id: ViewId::Handovers,
        title: "Handovers",
        word: "handovers",
        setting: "show_handovers",
        key: '5',
    },
];

const COUNT: usize = VIEWS.len();

impl ViewId {
    /// Every view, in tab order.
    pub const ALL: [ViewId; COUNT] = {
        let mut all = [ViewId::Releases; COUNT];
        let mut i = 0;
        while i < COUNT {
            all[i] = VIEWS[i].id;
            i += 1;
        }
        all
    };

    pub fn spec(self) -> &'static ViewSpec {
        &VIEWS[self as usize]
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    pub fn next(self) -> ViewId {
        ViewId::ALL[(self as usize + 1) % COUNT]
    }

    pub fn prev(self) -> ViewId {
        ViewId::ALL[(self as usize + COUNT - 1) % COUNT]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_sits_at_its_view_and_names_and_keys_differ() {
        for (i, spec) in VIEWS.iter().enumerate() {
            assert_eq!(
                spec.id as usize, i,
                "{} is out of place in VIEWS",
                spec.title
            );
            assert_eq!(spec.id.spec().title, spec.title);
            assert_eq!(spec.word, spec.title.to_lowercase());
            assert_eq!(spec.setting, format!("show_{}", spec.word));
        }
        let keys: std::collections::BTreeSet<char> = VIEWS.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), VIEWS.len(), "one key per view");
        assert_eq!(ViewId::Releases.prev(), ViewId::Handovers);
        assert_eq!(ViewId::Handovers.next(), ViewId::Releases);
        assert_eq!(ViewId::Gaps.next(), ViewId::Calendar);
    }
}
