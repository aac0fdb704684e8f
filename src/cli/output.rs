//! Plain-text tables: at a terminal they fit its width, measured as the terminal measures it
//! (display columns: "李明" is 4, a decomposed "Zoë" 3); piped or redirected they are never cut.
//! Colour only when it helps and is wanted.

use crate::domain::severity::Severity;
use crate::text::{fit, inert, width, wrap};
use std::io::{IsTerminal, Write};

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
    /// The terminal's width in columns; `None` when the output is not a terminal (a pipe, a
    /// file), where nothing is cut or wrapped: a script or a spreadsheet gets every name whole.
    pub width: Option<usize>,
    pub color: bool,
}

impl Term {
    /// Colour only on a terminal and only when `NO_COLOR` is unset or empty (no-color.org).
    pub fn detect() -> Term {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = tty.then(|| {
            ratatui::crossterm::terminal::size()
                .ok()
                .map(|(w, _)| w as usize)
                .filter(|w| *w > 0)
                .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
                .unwrap_or(80)
                .max(40)
        });
        Term {
            width,
            color: tty && !no_color,
        }
    }

    /// Piped output: uncut, uncoloured.
    pub fn piped() -> Term {
        Term {
            width: None,
            color: false,
        }
    }

    /// `wrap` at the terminal's width; piped, the text on one line.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        match self.width {
            Some(w) => wrap(text, w, indent),
            None => format!("{text}\n"),
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

    fn widths(&self, total: Option<usize>) -> Vec<usize> {
        let mut w: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |c| width(&c.text)))
                    .max()
                    .unwrap_or(0)
                    .max(width(c.header))
            })
            .collect();
        let gaps = 2 * self.columns.len().saturating_sub(1) + self.indent;
        let Some(total) = total else {
            return w;
        };
        // Shrink the widest flexible column a column at a time until the table fits.
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

    /// The table as text.
    pub fn render(&self, term: &Term) -> String {
        let mut out = Vec::new();
        self.write(term, &mut out).expect("write to memory");
        String::from_utf8(out).expect("tables are UTF-8")
    }

    /// Writes the table line by line (a worklist of 50,000 rows is never one string).
    pub fn write(&self, term: &Term, out: &mut dyn Write) -> std::io::Result<()> {
        let widths = self.widths(term.width);
        let pad = " ".repeat(self.indent);
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
                let gap = width.saturating_sub(self::width(&text));
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
            writeln!(out, "{}", line.trim_end())?;
            if let Some(d) = detail {
                let text = match term.width {
                    Some(w) => wrap(&d.text, w.saturating_sub(self.indent + 4), 0),
                    None => format!("{}\n", d.text),
                };
                for part in text.lines() {
                    writeln!(out, "{pad}    {}", term.paint(d.tone, part))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::pad;

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
            width: Some(40),
            color: false,
        };
        let out = t.render(&term);
        assert!(out.lines().all(|l| width(l) <= 40), "{out}");
        assert!(!out.contains('\x1b'));
        assert!(out.contains('…'));
        // Piped: nothing is cut.
        let out = t.render(&Term::piped());
        assert!(
            out.contains("on and on and on and on and on and on and on"),
            "{out}"
        );
        assert!(!out.contains('…'), "{out}");
    }

    /// Columns as a terminal counts them: a decomposed "Zoë" (e + U+0308) is 3 columns, not
    /// 4 characters, and "李明" is 4 columns, not 2.
    #[test]
    fn columns_line_up_by_display_width() {
        let decomposed = "Zoe\u{308} Jackson";
        assert_eq!(width(decomposed), 11);
        assert_eq!(width("李明"), 4);
        let mut t = Table::new(vec![Column::flex("Name"), Column::fixed("CRN")]);
        for name in [decomposed, "李明", "Ann Example"] {
            t.row(vec![name.into(), "X000001".into()]);
        }
        let out = t.render(&Term::piped());
        let crn_at: Vec<usize> = out
            .lines()
            .skip(1)
            .map(|l| width(&l[..l.find("X000001").unwrap()]))
            .collect();
        assert_eq!(crn_at, [13, 13, 13], "{out}");
        // Cut at a terminal: never more columns than asked, nor an accent torn off.
        assert_eq!(fit(decomposed, 4), "Zoe\u{308}…");
        assert_eq!(width(&fit("李明李明", 5)), 5);
        assert_eq!(fit("李明李明", 5), "李明…");
        assert_eq!(width(&pad("李", 4)), 4);
    }
}
