//! Key bindings as data: one table drives dispatch, the command bar and the help screen.

use super::action::Action;
use super::spec::{self, Chord};
use super::views::{ViewId, VIEWS};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    View(ViewId),
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    pub scope: Scope,
    /// Shown in the command bar (the rest only in help).
    pub bar: bool,
}

impl Binding {
    pub fn chord(&self) -> Chord {
        Chord {
            code: self.code,
            mods: self.mods,
        }
    }

    /// "j", "Enter", "Ctrl-d", "Alt-x", "PgDn", "↑".
    pub fn key_name(&self) -> String {
        spec::display(self.chord())
    }
}

/// A rebinding refused, with the actions it concerns (so the config error can name their lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub actions: Vec<Action>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone)]
pub struct KeyMap {
    pub bindings: Vec<Binding>,
}

fn b(code: KeyCode, action: Action, scope: Scope, bar: bool) -> Binding {
    Binding {
        code,
        mods: KeyModifiers::NONE,
        action,
        scope,
        bar,
    }
}

impl Default for KeyMap {
    fn default() -> Self {
        use Action as A;
        use KeyCode as K;
        use Scope::Global as G;
        let v = Scope::View;
        let mut bindings = vec![
            b(K::Char('q'), A::Quit, G, true),
            b(K::Esc, A::Back, G, false),
            b(K::Tab, A::NextView, G, false),
            b(K::BackTab, A::PrevView, G, false),
        ];
        // Each view's number shows it (the `VIEWS` table).
        bindings.extend(
            VIEWS
                .iter()
                .map(|view| b(K::Char(view.key), A::Show(view.id), G, false)),
        );
        bindings.extend([
            b(K::Char('j'), A::Down, G, false),
            b(K::Down, A::Down, G, false),
            b(K::Char('k'), A::Up, G, false),
            b(K::Up, A::Up, G, false),
            b(K::Char('h'), A::Left, G, false),
            b(K::Left, A::Left, G, false),
            b(K::Char('l'), A::Right, G, false),
            b(K::Right, A::Right, G, false),
            b(K::PageDown, A::PageDown, G, false),
            b(K::PageUp, A::PageUp, G, false),
            b(K::Char('g'), A::Top, G, false),
            b(K::Home, A::Top, G, false),
            b(K::Char('G'), A::Bottom, G, false),
            b(K::End, A::Bottom, G, false),
            b(K::Enter, A::Open, G, true),
            b(K::Char('/'), A::Search, G, true),
            b(K::Char('f'), A::Filter, G, true),
            b(K::Char('F'), A::ClearFilters, G, false),
            b(K::Char('s'), A::Sort, G, true),
            b(K::Char('e'), A::Edit, G, true),
            b(K::Char('u'), A::Undo, G, true),
            // Redo as vim has it (Ctrl-r), and `U` beside `u`.
            Binding {
                mods: KeyModifiers::CONTROL,
                ..b(K::Char('r'), A::Redo, G, false)
            },
            b(K::Char('U'), A::Redo, G, false),
            b(K::Char('d'), A::ToggleDetail, G, false),
            b(K::Char('?'), A::Help, G, true),
            // Keys that work in one view only.
            b(K::Char('r'), A::MarkReported, v(ViewId::Today), true),
            b(K::Char('x'), A::MarkNotReported, v(ViewId::Today), true),
            b(K::Char('['), A::PrevMonth, v(ViewId::Calendar), true),
            b(K::Char(']'), A::NextMonth, v(ViewId::Calendar), true),
            b(K::Char('t'), A::JumpToday, v(ViewId::Calendar), true),
        ]);
        KeyMap { bindings }
    }
}

impl KeyMap {
    /// The action for a key in a view: the view's own binding first, then a global one.
    pub fn lookup(&self, view: ViewId, key: KeyEvent) -> Option<Action> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        // Shift is part of the character for letters ('G'), so compare without it.
        let mods = key.modifiers - KeyModifiers::SHIFT;
        let matches = |bd: &&Binding| bd.code == key.code && bd.mods == mods;
        self.bindings
            .iter()
            .filter(matches)
            .find(|bd| bd.scope == Scope::View(view))
            .or_else(|| {
                self.bindings
                    .iter()
                    .filter(matches)
                    .find(|bd| bd.scope == Scope::Global)
            })
            .map(|bd| bd.action)
    }

    /// Bindings that apply in a view, its own first.
    pub fn for_view(&self, view: ViewId) -> Vec<&Binding> {
        let own = self
            .bindings
            .iter()
            .filter(|bd| bd.scope == Scope::View(view));
        let global = self.bindings.iter().filter(|bd| bd.scope == Scope::Global);
        own.chain(global).collect()
    }

    /// Rebinds actions from the config file's `[keys]`: each named action loses its default keys
    /// and takes the given ones (none unbinds it), keeping its scope and place in the command bar.
    /// Refused when a key would then mean two things in one view.
    pub fn rebind(&mut self, changes: &[(Action, Vec<Chord>)]) -> Result<(), Refusal> {
        for (action, chords) in changes {
            let Some(first) = self.bindings.iter().position(|bd| bd.action == *action) else {
                return Err(Refusal {
                    message: format!("`{}` has no key to change", action.name()),
                    actions: vec![*action],
                });
            };
            let (scope, bar) = (self.bindings[first].scope, self.bindings[first].bar);
            self.bindings.retain(|bd| bd.action != *action);
            let at = first.min(self.bindings.len());
            let new = chords.iter().enumerate().map(|(i, chord)| Binding {
                code: chord.code,
                mods: chord.mods,
                action: *action,
                scope,
                bar: bar && i == 0,
            });
            self.bindings.splice(at..at, new);
        }
        self.check_clashes()
    }

    /// A key may be bound once per view, counting global bindings in every view.
    fn check_clashes(&self) -> Result<(), Refusal> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let overlap =
                    a.scope == b.scope || a.scope == Scope::Global || b.scope == Scope::Global;
                if overlap && a.code == b.code && a.mods == b.mods && a.action != b.action {
                    return Err(Refusal {
                        message: format!(
                            "`{}` would be both `{}` and `{}`",
                            spec::format(a.chord()),
                            a.action.name(),
                            b.action.name()
                        ),
                        actions: vec![a.action, b.action],
                    });
                }
            }
        }
        Ok(())
    }

    /// Every action with its keys, in the config file's spelling (for `config show`).
    pub fn by_action(&self) -> Vec<(Action, Vec<String>)> {
        Action::all()
            .map(|action| {
                let keys = self
                    .bindings
                    .iter()
                    .filter(|bd| bd.action == action)
                    .map(|bd| spec::format(bd.chord()))
                    .collect();
                (action, keys)
            })
            .collect()
    }

    /// The first key bound to an action, as the screens name it ("q", "Ctrl-q"); "—" when unbound.
    pub fn key_for(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|bd| bd.action == action)
            .map_or_else(|| "—".to_string(), Binding::key_name)
    }

    /// The command bar's entries: "key action" pairs for the view.
    pub fn bar(&self, view: ViewId) -> Vec<(String, &'static str)> {
        self.for_view(view)
            .into_iter()
            .filter(|bd| bd.bar)
            .map(|bd| (bd.key_name(), bd.action.describe()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn views_override_global_keys_and_vim_keys_work() {
        let m = KeyMap::default();
        assert_eq!(
            m.lookup(ViewId::Releases, key(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            m.lookup(ViewId::Today, key(KeyCode::Char('r'))),
            Some(Action::MarkReported)
        );
        assert_eq!(m.lookup(ViewId::Releases, key(KeyCode::Char('r'))), None);
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(m.lookup(ViewId::Gaps, shift_g), Some(Action::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(m.lookup(ViewId::Gaps, ctrl_c), Some(Action::Quit));
    }

    /// Redo as vim has it, and `U` beside `u`: neither is a key anything else uses.
    #[test]
    fn redo_is_ctrl_r_and_shift_u_everywhere() {
        let m = KeyMap::default();
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        let shift_u = KeyEvent::new(KeyCode::Char('U'), KeyModifiers::SHIFT);
        for view in ViewId::ALL {
            assert_eq!(m.lookup(view, ctrl_r), Some(Action::Redo), "{view:?}");
            assert_eq!(m.lookup(view, shift_u), Some(Action::Redo), "{view:?}");
        }
        assert_eq!(
            m.lookup(ViewId::Today, key(KeyCode::Char('r'))),
            Some(Action::MarkReported),
            "plain r still marks reported"
        );
        assert_eq!(m.key_for(Action::Redo), "Ctrl-r");
        assert_eq!(Action::from_name("redo"), Some(Action::Redo));
    }

    #[test]
    fn the_bar_lists_view_keys_first() {
        let m = KeyMap::default();
        let bar = m.bar(ViewId::Today);
        assert_eq!(bar[0], ("r".to_string(), "reported"));
        assert!(bar.iter().any(|(k, a)| k == "?" && *a == "help"));
    }

    fn chord(text: &str) -> Chord {
        spec::parse(text).unwrap()
    }

    #[test]
    fn the_default_map_has_no_clashes_and_every_action_has_a_key() {
        let m = KeyMap::default();
        m.check_clashes().unwrap();
        assert!(m.by_action().iter().all(|(_, keys)| !keys.is_empty()));
    }

    #[test]
    fn rebinding_replaces_the_keys_and_keeps_the_scope_and_bar() {
        let mut m = KeyMap::default();
        m.rebind(&[
            (Action::Down, vec![chord("n"), chord("Down")]),
            (Action::MarkReported, vec![chord("Ctrl-t")]),
        ])
        .unwrap();
        assert_eq!(
            m.lookup(ViewId::Releases, key(KeyCode::Char('n'))),
            Some(Action::Down)
        );
        assert_eq!(m.lookup(ViewId::Releases, key(KeyCode::Char('j'))), None);
        let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
        assert_eq!(m.lookup(ViewId::Today, ctrl_t), Some(Action::MarkReported));
        assert_eq!(m.lookup(ViewId::Releases, ctrl_t), None);
        assert_eq!(m.lookup(ViewId::Today, key(KeyCode::Char('r'))), None);
        assert_eq!(m.bar(ViewId::Today)[0], ("Ctrl-t".to_string(), "reported"));
    }

    #[test]
    fn a_key_meaning_two_things_in_one_view_is_refused() {
        let mut m = KeyMap::default();
        let err = m.rebind(&[(Action::Search, vec![chord("j")])]).unwrap_err();
        assert_eq!(err.message, "`j` would be both `down` and `search`");
        assert_eq!(err.actions, [Action::Down, Action::Search]);
        // A global key that a view binding would shadow is a clash too.
        let mut m = KeyMap::default();
        let err = m.rebind(&[(Action::Help, vec![chord("r")])]).unwrap_err();
        let err = err.message;
        assert!(
            err.contains("`mark_reported`") && err.contains("`help`"),
            "{err}"
        );
        // Unbinding is allowed.
        let mut m = KeyMap::default();
        m.rebind(&[(Action::Undo, vec![])]).unwrap();
        assert_eq!(m.lookup(ViewId::Releases, key(KeyCode::Char('u'))), None);
    }
}
