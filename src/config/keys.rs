//! The `[keys]` section: `action = "key"` or `action = ["key", "key"]`, applied over the defaults.

use super::{line_of, Problem};
use crate::keys::{spec as keyspec, Action, KeyMap};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// One key or several; `[]` unbinds the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct KeyList(pub Vec<String>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key such as \"j\", or a list such as [\"j\", \"Down\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(KeyList(keys))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The default key map with the file's changes applied, or every problem with its line.
/// `whole`: no `[keys]` line was refused; if one was, a clash is not reported, since the
/// refused action kept its default keys and the clash may not be in the file at all.
pub fn keymap(
    keys: &BTreeMap<String, KeyList>,
    text: &str,
    whole: bool,
) -> Result<KeyMap, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for (name, list) in keys {
        let line = line_of(text, "keys", name);
        let Some(action) = Action::from_name(name) else {
            problems.push(Problem {
                line,
                message: format!(
                    "keys: `{name}` is not an action; the actions are {}",
                    Action::all()
                        .map(Action::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            continue;
        };
        let mut chords = Vec::new();
        for spec in &list.0 {
            match keyspec::parse(spec) {
                Ok(chord) => chords.push(chord),
                Err(message) => problems.push(Problem {
                    line,
                    message: format!("keys.{name}: {message}"),
                }),
            }
        }
        changes.push((action, chords));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut keymap = KeyMap::default();
    keymap.rebind(&changes).map_err(|refused| {
        if !whole {
            return Vec::new();
        }
        // Reported on the line of the clashing entry the file wrote (the later, if both are).
        let line = refused
            .actions
            .iter()
            .filter_map(|a| line_of(text, "keys", a.name()))
            .max();
        vec![Problem {
            line,
            message: format!("keys: {refused}"),
        }]
    })?;
    Ok(keymap)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use crate::keys::{Action, ViewId};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn keys_rebind_actions_from_one_key_or_a_list() {
        let (_, keymap) = parse("[keys]\nsearch = \"Ctrl-f\"\ndown = [\"n\", \"Down\"]\n").unwrap();
        let ctrl_f = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL);
        assert_eq!(keymap.lookup(ViewId::Gaps, ctrl_f), Some(Action::Search));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(keymap.lookup(ViewId::Gaps, n), Some(Action::Down));
    }

    /// Redo is an action of its own in the file, like undo; taking its `U` for undo names both.
    #[test]
    fn redo_has_a_config_name_and_its_keys_can_change() {
        let (_, keymap) = parse("[keys]\nredo = [\"Ctrl-y\"]\nundo = \"z\"\n").unwrap();
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.lookup(ViewId::Releases, ctrl('y')),
            Some(Action::Redo)
        );
        assert_eq!(keymap.lookup(ViewId::Releases, ctrl('r')), None);
        let z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE);
        assert_eq!(keymap.lookup(ViewId::Today, z), Some(Action::Undo));
        let clash = parse("[keys]\nundo = \"U\"\n").expect_err("refused");
        assert_eq!(clash[0].line, Some(2));
        assert_eq!(
            clash[0].message,
            "keys: `U` would be both `undo` and `redo`"
        );
    }

    #[test]
    fn bad_keys_are_reported_on_their_lines() {
        let problems =
            parse("[keys]\nserach = \"s\"\nup = [\"Hyper-k\"]\nhelp = 3\n").expect_err("refused");
        // A wrong type is reported beside the rest, each on its line.
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4)], "{problems:?}");
        assert!(problems[2].message.contains("invalid type"), "{problems:?}");
        let problems = parse("[keys]\nserach = \"s\"\nup = [\"Hyper-k\"]\n").expect_err("refused");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("`serach` is not an action"));
        assert_eq!(problems[1].line, Some(3));
        assert!(problems[1].message.contains("`Hyper-k` is not a key"));
        let clash = parse("[keys]\n\nhelp = \"j\"\n").expect_err("refused");
        assert_eq!(clash[0].line, Some(3));
        assert_eq!(
            clash[0].message,
            "keys: `j` would be both `down` and `help`"
        );
        // The clash names the entry that made it, not the first line of `[keys]`.
        let clash = parse("[keys]\nundo = \"U\"\n\nsearch = \"F\"\n").expect_err("refused");
        assert_eq!(clash[0].line, Some(4), "{}", clash[0].message);
        assert!(clash[0].message.contains("`search`"));
    }
}
