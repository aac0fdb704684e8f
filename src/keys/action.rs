//! Everything a key can ask for. Views and popups turn actions into changes of state.

use super::views::ViewId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Back,
    NextView,
    PrevView,
    /// Show a view (`1`–`4`).
    Show(ViewId),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Search,
    Filter,
    ClearFilters,
    Sort,
    Help,
    Edit,
    Undo,
    Redo,
    MarkReported,
    MarkNotReported,
    PrevMonth,
    NextMonth,
    JumpToday,
    ToggleDetail,
}

impl Action {
    /// The words the command bar and help show for this action.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Back => "back",
            Action::NextView => "next view",
            Action::PrevView => "previous view",
            Action::Show(view) => view.spec().word,
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first",
            Action::Bottom => "last",
            Action::Open => "open",
            Action::Search => "search",
            Action::Filter => "filter",
            Action::ClearFilters => "clear filters",
            Action::Sort => "sort",
            Action::Help => "help",
            Action::Edit => "edit",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::MarkReported => "reported",
            Action::MarkNotReported => "not reported",
            Action::PrevMonth => "previous month",
            Action::NextMonth => "next month",
            Action::JumpToday => "today",
            Action::ToggleDetail => "detail pane",
        }
    }

    /// Every action, in the order the config file's `[keys]` section lists them: showing each
    /// view comes after moving between views.
    pub fn all() -> impl Iterator<Item = Action> {
        const BEFORE: [Action; 4] = [
            Action::Quit,
            Action::Back,
            Action::NextView,
            Action::PrevView,
        ];
        const AFTER: [Action; 23] = [
            Action::Up,
            Action::Down,
            Action::Left,
            Action::Right,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Open,
            Action::Search,
            Action::Filter,
            Action::ClearFilters,
            Action::Sort,
            Action::Help,
            Action::Edit,
            Action::Undo,
            Action::Redo,
            Action::MarkReported,
            Action::MarkNotReported,
            Action::PrevMonth,
            Action::NextMonth,
            Action::JumpToday,
            Action::ToggleDetail,
        ];
        BEFORE
            .into_iter()
            .chain(ViewId::ALL.into_iter().map(Action::Show))
            .chain(AFTER)
    }

    /// The action's name in the config file's `[keys]` section.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Back => "back",
            Action::NextView => "next_view",
            Action::PrevView => "previous_view",
            Action::Show(view) => view.spec().setting,
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "first",
            Action::Bottom => "last",
            Action::Open => "open",
            Action::Search => "search",
            Action::Filter => "filter",
            Action::ClearFilters => "clear_filters",
            Action::Sort => "sort",
            Action::Help => "help",
            Action::Edit => "edit",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::MarkReported => "mark_reported",
            Action::MarkNotReported => "mark_not_reported",
            Action::PrevMonth => "previous_month",
            Action::NextMonth => "next_month",
            Action::JumpToday => "jump_to_today",
            Action::ToggleDetail => "toggle_detail",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::all().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_name_that_reads_back() {
        let names: Vec<&str> = Action::all().map(Action::name).collect();
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for a in Action::all() {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(
            Action::from_name("show_today"),
            Some(Action::Show(ViewId::Today))
        );
        assert_eq!(Action::Show(ViewId::Gaps).describe(), "gaps");
        // The config file's order: moving between views, then each view, then the rest.
        assert_eq!(
            names[..6],
            [
                "quit",
                "back",
                "next_view",
                "previous_view",
                "show_releases",
                "show_gaps"
            ]
        );
    }
}
