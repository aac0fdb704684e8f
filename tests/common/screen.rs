//! What the screen tests share: pressing keys and reading the screen back as text.

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use releaseday::tui::app::App;

/// Types keys: plain characters, or names in angle brackets (`<Enter>`, `<Esc>`, `<Down>`,
/// `<C-r>` for Ctrl-r).
pub fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if let Some(ctrl) = rest.strip_prefix("<C-") {
            let ch = ctrl.chars().next().expect("a key after <C-");
            assert_eq!(
                &ctrl[ch.len_utf8()..ch.len_utf8() + 1],
                ">",
                "<C-x> takes one key"
            );
            app.handle_key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL));
            rest = &ctrl[ch.len_utf8() + 1..];
            continue;
        }
        let (code, len) = if c == '<' {
            let end = rest.find('>').expect("closing >");
            let code = match &rest[1..end] {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Down" => KeyCode::Down,
                "Up" => KeyCode::Up,
                "Tab" => KeyCode::Tab,
                "Del" => KeyCode::Delete,
                "BS" => KeyCode::Backspace,
                "PgDn" => KeyCode::PageDown,
                other => panic!("unknown key {other}"),
            };
            (code, end + 1)
        } else {
            (KeyCode::Char(c), c.len_utf8())
        };
        let mods = if matches!(code, KeyCode::Char(ch) if ch.is_ascii_uppercase()) {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle_key(KeyEvent::new(code, mods));
        rest = &rest[len..];
    }
}

/// The whole screen as text: one line per row, trailing spaces trimmed.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
