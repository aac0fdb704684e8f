//! CSV output for scripts and spreadsheets, safe to open in Excel.

/// Prefixes a cell a spreadsheet would run as a formula (`= + - @`, and tab/CR) with `'`.
pub fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes a header and rows as CSV text.
pub fn render(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("write to memory");
    for row in rows {
        // Control characters shown inert too: CSV output often goes straight to a terminal.
        w.write_record(row.iter().map(|c| safe(&super::output::inert(c))))
            .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 text")
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
        let out = render(&["a"], vec![vec!["+1".to_string()]]);
        assert_eq!(out, "a\n'+1\n");
        let out = render(&["a"], vec![vec!["Evil\x1b[2J".to_string()]]);
        assert!(!out.contains('\x1b'), "{out}");
    }
}
