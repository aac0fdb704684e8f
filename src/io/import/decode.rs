//! Text decoding: UTF-8 (with or without a byte-order mark) or Windows-1252 (DOMAIN.md §5).

use super::ImportError;
use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What Excel's "Unicode text" and some exports write; we ask for CSV UTF-8 instead.
pub(crate) const UTF16_MESSAGE: &str = "the file is UTF-16; save it as CSV UTF-8";

/// Decodes a CSV file's bytes. A UTF-8 byte-order mark is stripped; bytes that are not valid
/// UTF-8 are read as Windows-1252 (what Excel on Windows writes as "CSV"). UTF-16 is refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_like_utf16(bytes) {
        return Err(ImportError::Encoding(UTF16_MESSAGE.to_string()));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(text)
        }
    }
}

/// UTF-16 without a byte-order mark: ASCII text with a NUL beside every character. Checks the
/// start of the file: at least 8 bytes, and every other byte NUL on one side.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    if head.len() < 8 {
        return false;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    (even_nul == pairs && odd_nul == 0) || (odd_nul == pairs && even_nul == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFZo\xC3\xAB").unwrap(), "Zoë");
        assert_eq!(decode("Zoë".as_bytes()).unwrap(), "Zoë");
        assert!(matches!(decode(b"abc").unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(decode(b"Zo\xEB").unwrap(), "Zoë");
        // 0x80 is the euro sign in Windows-1252, and 0x92 a curly apostrophe.
        assert_eq!(decode(b"\x80 O\x92Brien").unwrap(), "€ O’Brien");
    }

    #[test]
    fn utf16_is_refused_with_advice() {
        for bytes in [
            &b"\xFF\xFEc\0r\0n\0"[..],
            &b"\xFE\xFF\0c\0r\0n"[..],
            &b"c\0r\0n\0,\0n\0a\0m\0e\0"[..],
        ] {
            let e = decode(bytes).unwrap_err();
            assert_eq!(e.to_string(), UTF16_MESSAGE);
        }
    }
}
