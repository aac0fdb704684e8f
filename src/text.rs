//! Text as a terminal shows it, for both faces: made inert, measured, cut, padded and wrapped
//! in display columns. A terminal gives "李明" four columns and a decomposed "Zoë" (o and a
//! combining U+0308) three, so widths are Unicode's East Asian widths summed over grapheme
//! clusters (what ratatui draws one cell run at a time), never a count of `char`s.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Text made safe for a terminal: control characters (and so escape sequences) shown inert.
pub fn inert(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The columns a terminal gives `s`: a combining accent takes none, "李" two, "👍" two, an
/// emoji sequence joined with U+200D two (unicode-width measures whole sequences).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts text to at most `cols` display columns, ending in "…" when cut; never splits a
/// character from the accents that follow it, nor an emoji sequence.
pub fn fit(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    let mut t = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > cols - 1 {
            break;
        }
        used += w;
        t.push_str(g);
    }
    t.push('…');
    t
}

/// `fit`, then spaces to exactly `cols` display columns.
pub fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    if w <= cols {
        return fill_to(s, w, cols);
    }
    let cut = fit(s, cols);
    let n = width(&cut);
    fill_to(&cut, n, cols)
}

/// `s`, `w` columns wide, then spaces to `cols`.
fn fill_to(s: &str, w: usize, cols: usize) -> String {
    let mut out = String::with_capacity(s.len() + cols.saturating_sub(w));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Spaces after `s` up to `cols` display columns (as `{:<cols}` would, counting columns, not
/// `char`s); longer text is left whole.
pub fn fill(s: &str, cols: usize) -> String {
    fill_to(s, width(s), cols)
}

/// Wraps text at spaces to lines of at most `width` columns, continuation lines indented
/// by `indent`; a word longer than a line is cut. Each line ends in a newline.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let room = |first: bool| {
        if first {
            width
        } else {
            width.saturating_sub(indent)
        }
        .max(10)
    };
    let pad = " ".repeat(indent);
    let mut first = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = self::width(&line);
        if len > 0 && len + 1 + self::width(word) > room(first) {
            out += &format!("{}{}\n", if first { "" } else { pad.as_str() }, line);
            line.clear();
            first = false;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += &fit(word, room(first));
    }
    if !line.is_empty() || out.is_empty() {
        out += &format!("{}{}\n", if first { "" } else { pad.as_str() }, line);
    }
    out
}

/// A count and its noun, plural unless it is one: "1 row", "3 rows", "0 cases".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECOMPOSED: &str = "Zoe\u{308}";

    #[test]
    fn width_counts_display_columns_not_chars() {
        assert_eq!(width("Zoë"), 3, "precomposed");
        assert_eq!(
            width(DECOMPOSED),
            3,
            "o and a combining diaeresis are one column"
        );
        assert_eq!(DECOMPOSED.chars().count(), 4);
        assert_eq!(width("李明"), 4);
        assert_eq!(width("👍"), 2);
        // A family emoji is one picture: one grapheme, two columns.
        assert_eq!(width("👩\u{200d}💻"), 2);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn fit_cuts_to_the_columns_and_never_tears_a_character() {
        assert_eq!(fit("Ann Example", 20), "Ann Example");
        assert_eq!(fit("Ann Example", 4), "Ann…");
        assert_eq!(fit("Ann", 0), "");
        assert_eq!(
            fit(&format!("{DECOMPOSED} Jackson"), 4),
            format!("{DECOMPOSED}…")
        );
        assert_eq!(fit("李明李明", 5), "李明…");
        assert_eq!(
            width(&fit("李明李明", 4)),
            3,
            "a wide character that would not fit goes"
        );
        assert_eq!(fit("👩\u{200d}💻 dev", 4), "👩\u{200d}💻 …");
        for s in [DECOMPOSED, "李明李明", "👍👍👍", "a\u{1b}[2Jb"] {
            for cols in 0..8 {
                assert!(width(&fit(s, cols)) <= cols, "{s:?} at {cols}");
            }
        }
    }

    #[test]
    fn pad_makes_exact_columns_so_rows_line_up() {
        for name in [
            "Ann Example",
            &format!("{DECOMPOSED} Jackson"),
            "李明",
            "👍 Thumbs",
        ] {
            assert_eq!(width(&pad(name, 12)), 12, "{name}");
            assert_eq!(width(&pad(name, 5)), 5, "{name}");
        }
        assert_eq!(pad(DECOMPOSED, 5), format!("{DECOMPOSED}  "));
        assert_eq!(fill(DECOMPOSED, 5), format!("{DECOMPOSED}  "));
        assert_eq!(fill("Ann Example", 4), "Ann Example", "fill never cuts");
        assert_eq!(pad("李", 4), "李  ");
    }

    #[test]
    fn control_characters_are_made_inert() {
        assert_eq!(inert("a\u{1b}[2Jb"), "a\u{FFFD}[2Jb");
        assert_eq!(inert("tab\there\r\n"), "tab\u{FFFD}here\u{FFFD}\u{FFFD}");
        assert_eq!(inert("Zoë 李明 👍"), "Zoë 李明 👍");
        assert_eq!(width(&inert("\u{7}bell")), 5);
    }

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let text = "Wed 23 Dec 2026 takes releases due 23–28 Dec (Christmas Day, Boxing Day); under the Friday policy they go out here";
        let out = wrap(text, 30, 2);
        assert!(out.lines().all(|l| width(l) <= 30), "{out}");
        assert!(out.lines().skip(1).all(|l| l.starts_with("  ")), "{out}");
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, text.split(' ').collect::<Vec<_>>());
        assert_eq!(wrap("", 30, 2), "\n");
        let wide = "李明 李明 李明 李明 李明 李明";
        assert!(wrap(wide, 11, 0).lines().all(|l| width(l) <= 11), "{wide}");
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "row"), "1 row");
        assert_eq!(count(0, "case"), "0 cases");
        assert_eq!(count(2, "conflict"), "2 conflicts");
    }
}
