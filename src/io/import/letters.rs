//! Spreadsheet column letters, as errors name a file's columns.

/// Spreadsheet column letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
