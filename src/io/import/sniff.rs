//! What a file given as CSV really holds, by its first bytes: a PDF, an image or a program read
//! as text would otherwise come out as dozens of ragged-row errors instead of one sentence.

/// What a file's content looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    /// Text (or nothing recognisable): read it as CSV.
    Text,
    /// A workbook calamine may read: an .xlsx/.xlsm/.xlsb/.ods (zip) or an old .xls (OLE).
    Workbook(&'static str),
    /// Something else, described for a sentence: "a PDF document".
    Other(&'static str),
}

/// How much of the start of a file is looked at.
const HEAD: usize = 8 * 1024;

/// Recognises a file by its magic bytes, and for a zip by the names of its first entries.
/// UTF-16 text is not recognised here (it has its own message, in `decode`).
pub(crate) fn content(bytes: &[u8]) -> Content {
    let head = &bytes[..bytes.len().min(HEAD)];
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"PK\x03\x04") {
        return zip_content(head);
    }
    if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // An old .xls, or a .doc or .msg: calamine tells which when it tries.
        return Content::Workbook("an Excel 97-2003 workbook (.xls)");
    }
    let other = |what| Content::Other(what);
    if starts(b"%PDF-") {
        return other("a PDF document");
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return other("a PNG image");
    }
    if starts(b"\xFF\xD8\xFF") {
        return other("a JPEG image");
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return other("a GIF image");
    }
    if starts(b"MZ") {
        return other("a Windows program");
    }
    if starts(b"\x7FELF") {
        return other("a program");
    }
    if [
        &b"\xCF\xFA\xED\xFE"[..],
        b"\xCE\xFA\xED\xFE",
        b"\xFE\xED\xFA\xCF",
        b"\xCA\xFE\xBA\xBE",
    ]
    .iter()
    .any(|m| starts(m))
    {
        return other("a program");
    }
    if starts(b"\x1F\x8B") {
        return other("a gzip archive");
    }
    if starts(b"7z\xBC\xAF\x27\x1C") {
        return other("a 7-Zip archive");
    }
    if starts(b"Rar!\x1A\x07") {
        return other("a RAR archive");
    }
    if starts(b"SQLite format 3\0") {
        return other("a SQLite database (perhaps a releaseday database file)");
    }
    if starts(b"{\\rtf") {
        return other("a Rich Text (RTF) document");
    }
    if is_html(head) {
        return other("a web page (HTML)");
    }
    Content::Text
}

/// A zip: an Office Open XML or OpenDocument file names its parts near the start.
fn zip_content(head: &[u8]) -> Content {
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
        return Content::Workbook("an OpenDocument spreadsheet (.ods)");
    }
    if has(b"word/") {
        return Content::Other("a Word document");
    }
    if has(b"ppt/") {
        return Content::Other("a PowerPoint presentation");
    }
    if has(b"mimetypeapplication/vnd.oasis.opendocument") {
        return Content::Other("an OpenDocument file that is not a spreadsheet");
    }
    // An .xlsx names xl/ parts, though not always within the first few KB (the content
    // types list can come first and be long): any other zip is tried as a workbook too, and
    // called a zip archive only if that fails.
    if has(b"xl/") {
        Content::Workbook("an Excel workbook (.xlsx)")
    } else {
        Content::Workbook("a zip archive")
    }
}

fn is_html(head: &[u8]) -> bool {
    let start = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    let lower: Vec<u8> = start.iter().take(15).map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// True when the start of a file is not text: more than 1 in 20 of its first bytes are control
/// characters that text never holds (NUL and the like; tab, line breaks, form feed and escape
/// are allowed). Random binary data has about 1 in 9. A short sample is not judged, nor is one
/// stray NUL in a cell, which the row's own check reports at its line. Call after UTF-16 is
/// ruled out: UTF-16 text is half NULs.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEAD)];
    if head.len() < 128 {
        return false;
    }
    let odd = head
        .iter()
        .filter(|&&b| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    odd * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        let cases: [(&[u8], &str); 9] = [
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "a PDF document"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a PNG image"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "a JPEG image"),
            (b"GIF89a\x01\0\x01\0", "a GIF image"),
            (b"MZ\x90\0\x03\0\0\0", "a Windows program"),
            (b"\x7FELF\x02\x01\x01", "a program"),
            (b"\x1F\x8B\x08\0", "a gzip archive"),
            (b"{\\rtf1\\ansi", "a Rich Text (RTF) document"),
            (
                b"\xEF\xBB\xBF  <!DOCTYPE html>\n<html>",
                "a web page (HTML)",
            ),
        ];
        for (bytes, what) in cases {
            assert_eq!(content(bytes), Content::Other(what), "{what}");
        }
        assert_eq!(
            content(b"SQLite format 3\0\x10\0"),
            Content::Other("a SQLite database (perhaps a releaseday database file)")
        );
    }

    #[test]
    fn zips_by_their_parts() {
        let zip = |name: &[u8]| [b"PK\x03\x04\x14\0\0\0".as_slice(), name].concat();
        assert_eq!(
            content(&zip(b"[Content_Types].xml...xl/workbook.xml")),
            Content::Workbook("an Excel workbook (.xlsx)")
        );
        assert_eq!(
            content(&zip(b"[Content_Types].xml...word/document.xml")),
            Content::Other("a Word document")
        );
        assert_eq!(
            content(&zip(
                b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
            )),
            Content::Workbook("an OpenDocument spreadsheet (.ods)")
        );
        assert_eq!(
            content(&zip(b"mimetypeapplication/vnd.oasis.opendocument.text")),
            Content::Other("an OpenDocument file that is not a spreadsheet")
        );
        assert_eq!(
            content(&zip(b"photos/1.jpg")),
            Content::Workbook("a zip archive")
        );
    }

    #[test]
    fn text_is_text() {
        for text in [
            &b""[..],
            b"crn,name,release_date\nX123456,Ann,2026-12-24\n",
            b"Weekly releases\r\n\r\nCRN;Name\r\n",
            b"\xEF\xBB\xBFcrn,name\n",
            b"crn,name\nX1\x0000001,A\n",
            b"<p>not a page</p>",
        ] {
            assert_eq!(content(text), Content::Text, "{text:?}");
            assert!(!looks_binary(text), "{text:?}");
        }
    }

    #[test]
    fn control_characters_in_quantity_are_binary() {
        // A few NULs and escapes in notes are text with bad cells, not binary.
        let mut text = b"crn,name,release_date,notes\n".to_vec();
        for i in 0..20 {
            text.extend(format!("X1000{i:02},Ann,2026-12-01,call\0back\x1b[1m\n").as_bytes());
        }
        assert!(!looks_binary(&text));
        // Pseudo-random bytes, as in compressed data or a program.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(looks_binary(&noise));
        // Mostly NULs.
        let mut sparse = b"crn,name\n".to_vec();
        sparse.extend([0u8; 500]);
        assert!(looks_binary(&sparse));
    }
}
