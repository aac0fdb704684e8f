//! Keys as the config file writes them: "j", "G", "/", "Enter", "PageDown", "Ctrl-d", "Alt-x",
//! "Shift-Tab", "F5". Parsing and printing are inverses, so `config show` prints what `[keys]` reads.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// A key with its modifiers, as bindings store it (Shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const NAMED: [(&str, KeyCode); 14] = [
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("Shift-Tab", KeyCode::BackTab),
    ("Space", KeyCode::Char(' ')),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Backspace", KeyCode::Backspace),
];

/// Other spellings people write.
const ALIASES: [(&str, KeyCode); 5] = [
    ("escape", KeyCode::Esc),
    ("return", KeyCode::Enter),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("backtab", KeyCode::BackTab),
];

pub fn parse(spec: &str) -> Result<Chord, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = spec.trim();
    if rest.is_empty() {
        return Err("a key cannot be empty".into());
    }
    if rest.eq_ignore_ascii_case("shift-tab") {
        return Ok(Chord {
            code: KeyCode::BackTab,
            mods,
        });
    }
    // "Ctrl-" and "Alt-" prefixes, but a lone "-" is the minus key.
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.len() > 5 && lower.starts_with("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = &rest[5..];
        } else if rest.len() > 4 && lower.starts_with("alt-") {
            mods |= KeyModifiers::ALT;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => KeyCode::Char(c),
        _ => named(rest).ok_or_else(|| {
            format!(
                "`{spec}` is not a key: write one character (`j`, `G`, `/`), a name ({}, F1–F12), \
                 optionally after `Ctrl-` or `Alt-`",
                NAMED.map(|(n, _)| n).join(", ")
            )
        })?,
    };
    // Terminals send Ctrl with a letter as the lowercase letter whatever Shift says, so
    // "Ctrl-D" would never fire as written: it means Ctrl-d.
    let code = match code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    if mods.contains(KeyModifiers::CONTROL) && code == KeyCode::Char('c') {
        return Err("Ctrl-c always quits and cannot be bound to anything else".into());
    }
    Ok(Chord { code, mods })
}

fn named(name: &str) -> Option<KeyCode> {
    let found = NAMED
        .iter()
        .chain(ALIASES.iter())
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, code)| *code);
    found.or_else(|| {
        let n: u8 = name.strip_prefix(['F', 'f'])?.parse().ok()?;
        (1..=12).contains(&n).then_some(KeyCode::F(n))
    })
}

/// How the screens show a key: the config spelling, with arrows drawn and pages shortened.
pub fn display(chord: Chord) -> String {
    let base = match chord.code {
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        code => base_name(code),
    };
    modifiers(chord.mods) + &base
}

/// The config file's spelling of a key.
pub fn format(chord: Chord) -> String {
    modifiers(chord.mods) + &base_name(chord.code)
}

fn modifiers(mods: KeyModifiers) -> String {
    let mut out = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        out += "Ctrl-";
    }
    if mods.contains(KeyModifiers::ALT) {
        out += "Alt-";
    }
    out
}

fn base_name(code: KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        code => NAMED
            .iter()
            .find(|(_, c)| *c == code)
            .map(|(n, _)| n.to_string())
            .unwrap_or_else(|| format!("{code:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_parses_and_prints_back() {
        for spec in [
            "j",
            "G",
            "/",
            "-",
            "Enter",
            "Esc",
            "Shift-Tab",
            "Space",
            "PageDown",
            "Ctrl-d",
            "Alt-x",
            "Ctrl-Alt-k",
            "F5",
            "Backspace",
        ] {
            let chord = parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
            assert_eq!(format(chord), spec);
        }
        assert_eq!(parse("pgdn").unwrap().code, KeyCode::PageDown);
        assert_eq!(parse("ESCAPE").unwrap().code, KeyCode::Esc);
        // Ctrl with a capital fires as the lowercase letter, so that is what it binds.
        assert_eq!(
            parse("ctrl-D").unwrap(),
            Chord {
                code: KeyCode::Char('d'),
                mods: KeyModifiers::CONTROL
            }
        );
        assert!(parse("Ctrl-C").unwrap_err().contains("always quits"));
    }

    #[test]
    fn the_screens_draw_arrows_and_keep_modifiers() {
        assert_eq!(display(parse("Up").unwrap()), "↑");
        assert_eq!(display(parse("Alt-PageDown").unwrap()), "Alt-PgDn");
        assert_eq!(display(parse("Alt-x").unwrap()), "Alt-x");
        assert_eq!(display(parse("Ctrl-Alt-k").unwrap()), "Ctrl-Alt-k");
    }

    #[test]
    fn nonsense_and_ctrl_c_are_refused_with_a_reason() {
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("Hyper-j").unwrap_err().contains("is not a key"));
        assert!(parse("F13").unwrap_err().contains("is not a key"));
        assert!(parse("Ctrl-c").unwrap_err().contains("always quits"));
    }
}
