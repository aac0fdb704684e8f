//! Plain-text tables readable at 80 columns, colour only when it helps and is wanted.

use crate::domain::severity::Severity;
use std::io::IsTerminal;

/// How text is styled in table output. Never the only carrier of meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Red,
    Amber,
    Green,
    Dim,
    Bold,
}

impl Tone {
    pub fn of(sev: Severity) -> Tone {
        match sev {
            Severity::Red => Tone::Red,
            Severity::Amber => Tone::Amber,
        }
    }

    fn ansi(self) -> &'static str {
        match self {
            Tone::Plain => "",
            Tone::Red => "\x1b[31;1m",
            Tone::Amber => "\x1b[33m",
            Tone::Green => "\x1b[32m",
            Tone::Dim => "\x1b[2m",
            Tone::Bold => "\x1b[1m",
        }
    }
}

/// Terminal facts decided once per run: width and whether to colour.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub width: usize,
    pub color: bool,
}

impl Term {
    /// Colour only on a terminal and only when `NO_COLOR` is unset or empty (no-color.org).
    pub fn detect() -> Term {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = if tty {
            crossterm::terminal::size()
                .map(|(w, _)| w as usize)
                .unwrap_or(80)
        } else {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(80)
        };
        Term {
            width: width.clamp(40, 200),
            color: tty && !no_color,
        }
    }

    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if self.color && tone != Tone::Plain {
            format!("{}{}\x1b[0m", tone.ansi(), text)
        } else {
            text.to_string()
        }
    }
}

/// Text made safe for a terminal: control characters (and so escape sequences) shown inert.
pub fn inert(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// "▲ red" / "● amber": severity readable without colour.
pub fn severity_label(sev: Severity) -> String {
    format!("{} {}", sev.symbol(), sev.as_str())
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl AsRef<str>) -> Cell {
        Cell {
            text: inert(text.as_ref()),
            tone: Tone::Plain,
        }
    }

    pub fn toned(text: impl AsRef<str>, tone: Tone) -> Cell {
        Cell {
            text: inert(text.as_ref()),
            tone,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::new(s)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::new(s)
    }
}

/// A column: its header, and whether it may shrink (with "…") when the terminal is narrow.
pub struct Column {
    pub header: &'static str,
    pub flexible: bool,
    pub right: bool,
    /// Among flexible columns, those with a higher rank give up width first.
    pub shrink_rank: u8,
}

impl Column {
    pub fn fixed(header: &'static str) -> Column {
        Column {
            header,
            flexible: false,
            right: false,
            shrink_rank: 0,
        }
    }
    pub fn flex(header: &'static str) -> Column {
        Column {
            header,
            flexible: true,
            right: false,
            shrink_rank: 1,
        }
    }
    /// Flexible, but cut only once the other flexible columns are as narrow as they go.
    pub fn flex_last(header: &'static str) -> Column {
        Column {
            shrink_rank: 0,
            ..Column::flex(header)
        }
    }
    pub fn number(header: &'static str) -> Column {
        Column {
            header,
            flexible: false,
            right: true,
            shrink_rank: 0,
        }
    }
}

pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A line printed under a row, indented, never cut: the message that explains it.
    details: Vec<Option<Cell>>,
    /// Indent for every line, so tables can sit under a day heading.
    pub indent: usize,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            details: Vec::new(),
            indent: 0,
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
        self.details.push(None);
    }

    /// A row with a detail line beneath it.
    pub fn row_with_detail(&mut self, cells: Vec<Cell>, detail: Cell) {
        self.rows.push(cells);
        self.details.push(Some(detail));
    }

    fn widths(&self, total: usize) -> Vec<usize> {
        let mut w: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |c| c.text.chars().count()))
                    .max()
                    .unwrap_or(0)
                    .max(c.header.chars().count())
            })
            .collect();
        let gaps = 2 * self.columns.len().saturating_sub(1) + self.indent;
        // Shrink the widest flexible column a character at a time until the table fits.
        while w.iter().sum::<usize>() + gaps > total {
            let widest = (0..w.len())
                .filter(|i| self.columns[*i].flexible && w[*i] > 8)
                .max_by_key(|i| (self.columns[*i].shrink_rank, w[*i]));
            match widest {
                Some(i) => w[i] -= 1,
                None => break,
            }
        }
        w
    }

    pub fn render(&self, term: &Term) -> String {
        let widths = self.widths(term.width);
        let pad = " ".repeat(self.indent);
        let mut out = String::new();
        let header: Vec<Cell> = self
            .columns
            .iter()
            .map(|c| Cell::toned(c.header, Tone::Bold))
            .collect();
        let details = std::iter::once(None).chain(self.details.iter().cloned());
        for (row, detail) in std::iter::once(&header)
            .chain(self.rows.iter())
            .zip(details)
        {
            let mut line = pad.clone();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).cloned().unwrap_or_else(|| Cell::new(""));
                let text = fit(&cell.text, *width);
                let gap = width - text.chars().count();
                let last = i + 1 == widths.len();
                let body = if self.columns[i].right {
                    format!("{}{}", " ".repeat(gap), term.paint(cell.tone, &text))
                } else if last {
                    term.paint(cell.tone, &text)
                } else {
                    format!("{}{}", term.paint(cell.tone, &text), " ".repeat(gap))
                };
                line += &body;
                if !last {
                    line += "  ";
                }
            }
            out += line.trim_end();
            out.push('\n');
            if let Some(d) = detail {
                let room = term.width.saturating_sub(self.indent + 4);
                for part in wrap(&d.text, room, 0).lines() {
                    out += &format!("{pad}    {}\n", term.paint(d.tone, part));
                }
            }
        }
        out
    }
}

/// Wraps text at spaces to lines of at most `width` characters, continuation lines indented
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
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > room(first) {
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

/// Cuts text to `width` characters, ending in "…" when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let text = "Wed 23 Dec 2026 takes releases due 23–28 Dec (Christmas Day, Boxing Day); under the Friday policy they go out here";
        let out = wrap(text, 30, 2);
        assert!(out.lines().all(|l| l.chars().count() <= 30), "{out}");
        assert!(out.lines().skip(1).all(|l| l.starts_with("  ")), "{out}");
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, text.split(' ').collect::<Vec<_>>());
        assert_eq!(wrap("", 30, 2), "\n");
    }

    #[test]
    fn tables_fit_the_width_and_escape_sequences_are_inert() {
        let mut t = Table::new(vec![
            Column::fixed("CRN"),
            Column::flex("Name"),
            Column::flex("Notes"),
        ]);
        t.row(vec![
            "X000001".into(),
            "Evil\x1b[2JName".into(),
            "a very long note that goes on and on and on and on and on and on and on".into(),
        ]);
        let term = Term {
            width: 40,
            color: false,
        };
        let out = t.render(&term);
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        assert!(!out.contains('\x1b'));
        assert!(out.contains('…'));
    }
}
