//! CSV output for scripts and spreadsheets, safe to open in Excel.

use std::io::Write;

/// Prefixes a cell a spreadsheet would run as a formula (`= + - @`, and tab/CR) with `'`.
pub fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// CSV written row by row: each cell defused (`safe`) and with control characters shown inert
/// (CSV output often goes straight to a terminal).
pub struct Csv<'a> {
    w: csv::Writer<&'a mut dyn Write>,
}

impl<'a> Csv<'a> {
    /// Starts the file with its header row.
    pub fn new(out: &'a mut dyn Write, header: &[&str]) -> csv::Result<Csv<'a>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header)?;
        Ok(Csv { w })
    }

    pub fn row(&mut self, cells: &[String]) -> csv::Result<()> {
        self.w
            .write_record(cells.iter().map(|c| safe(&crate::text::inert(c))))
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("2026-12-24"), "2026-12-24");
        let render = |cell: &str| {
            let mut out = Vec::new();
            let mut w = Csv::new(&mut out, &["a"]).unwrap();
            w.row(&[cell.to_string()]).unwrap();
            w.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(render("+1"), "a\n'+1\n");
        let out = render("Evil\x1b[2J");
        assert!(!out.contains('\x1b'), "{out}");
    }
}
