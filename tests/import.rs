//! Import: parsing and whole-file validation (DOMAIN.md §5).

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use releaseday::domain::case::{
    Accommodation, ApStatus, Cas3Status, CasePatch, DtrStatus, FridayRelease, ReleaseType, Rosh,
};
use releaseday::io::import::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ok(text: &str) -> ParsedImport {
    match parse_csv_bytes(text.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("expected a good file, got: {e}"),
    }
}

fn problems(bytes: &[u8]) -> Vec<RowError> {
    match parse_csv_bytes(bytes) {
        Err(ImportError::Invalid(problems)) => problems.errors,
        Err(e) => panic!("expected row errors, got: {e}"),
        Ok(p) => panic!("expected row errors, got {} rows", p.rows.len()),
    }
}

fn only_problem(text: &str) -> RowError {
    let mut e = problems(text.as_bytes());
    assert_eq!(e.len(), 1, "{e:?}");
    e.remove(0)
}

const HEAD: &str = "crn,name,release_date";

#[test]
fn header_aliases_and_spacing() {
    let text = "  CRN , Forename,Family-Name, Release Date ,Establishment,NOMS_Number,Offender Manager,PDU,RoSH Level,MAPPA level,Shoe Size\n\
                X123456,Ann,Example,24/12/2026,HMP Leeds,A1234BC,J Smith,Leeds North,high,2,9\n";
    let p = ok(text);
    assert_eq!(
        p.columns,
        [
            "crn",
            "first_name",
            "last_name",
            "release_date",
            "prison",
            "noms",
            "officer",
            "team",
            "rosh",
            "mappa"
        ]
    );
    assert_eq!(p.ignored_columns, ["Shoe Size"]);
    let r = &p.rows[0];
    assert_eq!(r.line, 2);
    assert_eq!(r.crn.as_str(), "X123456");
    assert_eq!(r.patch.name.as_deref(), Some("Ann Example"));
    assert_eq!(r.patch.prison.as_deref(), Some("HMP Leeds"));
    assert_eq!(r.patch.noms.as_ref().unwrap().as_str(), "A1234BC");
    assert_eq!(r.patch.officer.as_deref(), Some("J Smith"));
    assert_eq!(r.patch.team.as_deref(), Some("Leeds North"));
    assert_eq!(r.patch.rosh, Some(Rosh::High));
    assert_eq!(r.patch.mappa, Some(2));
}

#[test]
fn two_headers_for_one_field_is_an_error_on_line_1() {
    let e = only_problem("crn,name,surname,last name,release_date\nX123456,A,B,C,2026-01-05\n");
    assert_eq!(
        e.to_string(),
        "line 1: columns C \"surname\" and D \"last name\" both give last_name; keep only one"
    );
}

#[test]
fn both_date_formats() {
    let p = ok(&format!(
        "{HEAD},confirmed_day,dtr_date\nX000001,A,2026-12-24,23/12/2026,1/11/2026\n"
    ));
    let patch = &p.rows[0].patch;
    assert_eq!(patch.release_date, Some(d(2026, 12, 24)));
    assert_eq!(patch.confirmed_day, Some(d(2026, 12, 23)));
    assert_eq!(patch.dtr_date, Some(d(2026, 11, 1)));
}

#[test]
fn us_date_is_refused_with_its_line() {
    let e = only_problem(&format!(
        "{HEAD}\nX000001,A,2026-12-24\nX000002,B,12/24/2026\n"
    ));
    assert_eq!(e.line, 3);
    assert_eq!(e.column.as_deref(), Some("release_date"));
    assert!(e.message.contains("no month 24"), "{e}");
}

#[test]
fn impossible_date() {
    let e = only_problem(&format!(
        "{HEAD}\nX000001,A,2026-12-24\nX000002,B,2026-12-24\nX000003,C,31/02/2026\n"
    ));
    assert_eq!(
        e.to_string(),
        "line 4, column release_date: \"31/02/2026\" is not a date: there is no day 31 in that month"
    );
}

#[test]
fn bad_crn() {
    let e = only_problem(&format!("{HEAD}\nX12345,A,2026-12-24\n"));
    assert_eq!((e.line, e.column.as_deref()), (2, Some("crn")));
    assert!(e.message.contains("\"X12345\" is not a CRN"), "{e}");
}

#[test]
fn bad_noms() {
    let e = only_problem(&format!("{HEAD},noms\nX123456,A,2026-12-24,A12345C\n"));
    assert_eq!((e.line, e.column.as_deref()), (2, Some("noms")));
    assert!(e.message.contains("is not a NOMS number"), "{e}");
}

#[test]
fn bad_codes() {
    let e = problems(
        format!(
            "{HEAD},rosh,cas3,release_type,accommodation,ap_required,friday_release,mappa\n\
             X123456,A,2026-12-24,extreme,booked,parole,house,perhaps,3,4\n"
        )
        .as_bytes(),
    );
    let cols: Vec<&str> = e.iter().map(|e| e.column.as_deref().unwrap()).collect();
    assert_eq!(
        cols,
        [
            "rosh",
            "cas3",
            "release_type",
            "accommodation",
            "ap_required",
            "friday_release",
            "mappa"
        ]
    );
    assert!(e[0].message.contains("is not a RoSH level"), "{}", e[0]);
    assert!(e[1].message.contains("is not a CAS3 status"), "{}", e[1]);
    assert!(e[2].message.contains("is not a release type"), "{}", e[2]);
}

#[test]
fn good_codes_fold_case_and_separators() {
    let p = ok(&format!(
        "{HEAD},rosh,cas3,release_type,accommodation,dtr,ap,ap_required,friday_release\n\
         X123456,A,2026-12-24,Very High,bed-booked,hdc,nfa,submitted,assessed suitable,Yes,no\n"
    ));
    let patch = &p.rows[0].patch;
    assert_eq!(patch.rosh, Some(Rosh::VeryHigh));
    assert_eq!(patch.cas3, Some(Cas3Status::BedBooked));
    assert_eq!(patch.release_type, Some(ReleaseType::Hdc));
    assert_eq!(patch.accommodation, Some(Accommodation::Nfa));
    assert_eq!(patch.dtr, Some(DtrStatus::Submitted));
    assert_eq!(patch.ap, Some(ApStatus::AssessedSuitable));
    assert_eq!(patch.ap_required, Some(true));
    assert_eq!(patch.friday_release, Some(FridayRelease::No));
}

#[test]
fn an_empty_crn_is_the_only_empty_cell_refused() {
    let e = problems(format!("{HEAD}\nX123456,  ,2026-12-24\n,B,\nX000002,,\n").as_bytes());
    let shown: Vec<String> = e.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        shown,
        ["line 3, column crn: the cell is empty; crn is required"]
    );
}

#[test]
fn short_update_files_parse() {
    // Only crn is required: the rest keep what the store holds.
    let p = ok("crn,confirmed_day\nX100001,23/12/2026\nX100002,\n");
    assert_eq!(p.columns, ["crn", "confirmed_day"]);
    assert_eq!(p.rows.len(), 2);
    assert_eq!(
        p.rows[0].patch,
        CasePatch {
            confirmed_day: Some(d(2026, 12, 23)),
            ..CasePatch::default()
        }
    );
    assert_eq!(p.rows[1].patch, CasePatch::default());
    // Blank names and release dates are None, not errors.
    let p = ok(&format!("{HEAD},dtr\nX100001,,,SUBMITTED\n"));
    assert_eq!(p.rows[0].patch.name, None);
    assert_eq!(p.rows[0].patch.release_date, None);
    assert_eq!(p.rows[0].patch.dtr, Some(DtrStatus::Submitted));
    let p = ok("crn,forename,surname\nX100001,,\nX100002,Ann,Example\n");
    assert_eq!(p.rows[0].patch.name, None);
    assert_eq!(p.rows[1].patch.name.as_deref(), Some("Ann Example"));
}

#[test]
fn half_a_name_is_refused() {
    let e = only_problem("crn,forename,release_date\nX123456,A,2026-12-24\n");
    assert_eq!((e.line, e.column.as_deref()), (1, Some("first_name")));
    assert!(
        e.message
            .starts_with("there is a first_name column but no last_name column"),
        "{e}"
    );
    let e = only_problem("crn,forename,surname\nX123456,,Example\n");
    assert_eq!((e.line, e.column.as_deref()), (2, Some("first_name")));
    assert!(
        e.message
            .starts_with("the cell is empty but last_name is given"),
        "{e}"
    );
}

#[test]
fn no_crn_column_is_one_sentence() {
    let e = parse_csv_bytes(b"crn number,name,date\nX123456,A,2026-12-24\n").unwrap_err();
    assert!(matches!(e, ImportError::NoHeader(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "no CRN column: row 1 looks like the header (it has name) but none of its columns is \
         crn; every file needs a CRN column"
    );
}

#[test]
fn duplicate_crn_names_both_lines() {
    let e = only_problem(&format!(
        "{HEAD}\nX000001,A,2026-12-24\nX123456,B,2026-12-24\nX000003,C,2026-12-24\nx123456,D,2026-12-24\n"
    ));
    assert_eq!(
        e.to_string(),
        "line 5, column crn: this CRN also appears on line 3"
    );
}

#[test]
fn ragged_row() {
    let e = only_problem(&format!(
        "{HEAD},noms,prison,officer,team,rosh,mappa,notes\n\
         X000001,A,2026-12-24,,,,,,,\n\
         X000002,B,2026-12-24,,,,\n"
    ));
    assert_eq!(e.to_string(), "line 3: has 7 cells where the header has 10");
}

#[test]
fn several_bad_rows_all_reported_in_line_order() {
    let text = format!(
        "{HEAD},rosh\n\
         X000001,A,2026-12-24,LOW\n\
         X00002,B,2026-12-24,LOW\n\
         X000003,C,2026-12-24,LOW\n\
         X000004,D,12/24/2026,SEVERE\n\
         X000005,E,2026-12-24\n\
         X000001,F,2026-12-24,LOW\n"
    );
    let e = problems(text.as_bytes());
    let at: Vec<(usize, Option<&str>)> = e.iter().map(|e| (e.line, e.column.as_deref())).collect();
    assert_eq!(
        at,
        [
            (3, Some("crn")),
            (5, Some("release_date")),
            (5, Some("rosh")),
            (6, None),
            (7, Some("crn")),
        ]
    );
    let shown = ImportError::Invalid(e.into()).to_string();
    assert!(
        shown.starts_with("5 problems found; nothing was imported:\nline 3, column crn: "),
        "{shown}"
    );
    assert_eq!(shown.lines().count(), 6);
}

#[test]
fn utf8_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("CRN,Name,Release Date\nX123456,Zoë Brontë,2026-12-24\n".as_bytes());
    let p = parse_csv_bytes(&bytes).unwrap();
    assert_eq!(p.columns, ["crn", "name", "release_date"]);
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Zoë Brontë"));
}

#[test]
fn windows_1252() {
    let p = parse_csv_bytes(b"crn,name,release_date\r\nX123456,Zo\xEB O\x92Neill,24/12/2026\r\n")
        .unwrap();
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Zoë O’Neill"));
}

#[test]
fn utf16_is_refused() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "crn,name,release_date\r\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let e = parse_csv_bytes(&bytes).unwrap_err();
    assert_eq!(e.to_string(), "the file is UTF-16; save it as CSV UTF-8");
}

#[test]
fn first_and_last_name_make_the_name() {
    let p = ok("crn,first_name,last_name,release_date\nX123456, Ann ,Example,2026-12-24\n");
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Ann Example"));
    // With a name column too, the name wins; a blank name falls back to first + last.
    let p = ok("crn,name,first_name,last_name,release_date\n\
                X000001,Annie Ex,Ann,Example,2026-12-24\n\
                X000002,,Bob,Other,2026-12-24\n");
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Annie Ex"));
    assert_eq!(p.rows[1].patch.name.as_deref(), Some("Bob Other"));
}

#[test]
fn blank_cells_are_none() {
    let p = ok(&format!(
        "{HEAD},noms,rosh,mappa,release_type,accommodation,dtr,notes,officer\n\
         X123456,A,2026-12-24, ,,  ,,,,\t,\n"
    ));
    assert_eq!(
        p.rows[0].patch,
        CasePatch {
            name: Some("A".into()),
            release_date: Some(d(2026, 12, 24)),
            ..CasePatch::default()
        }
    );
}

#[test]
fn control_characters_are_stripped_from_names() {
    let p = ok(&format!(
        "{HEAD},notes\nX123456,\"Ann\x1b[2J Example\",2026-12-24,\"a\x07b\"\n"
    ));
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Ann[2J Example"));
    assert_eq!(p.rows[0].patch.notes.as_deref(), Some("ab"));
}

#[test]
fn semicolon_delimited() {
    let p = ok("CRN;Name;Release Date;Notes\nX123456;Ann, Example;24/12/2026;\n");
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Ann, Example"));
    assert_eq!(p.rows[0].patch.release_date, Some(d(2026, 12, 24)));
}

#[test]
fn tab_delimited() {
    let p = ok("CRN\tName\tRelease Date\nX123456\tAnn\t24/12/2026\n");
    assert_eq!(p.rows[0].patch.name.as_deref(), Some("Ann"));
}

#[test]
fn multi_line_quoted_note_keeps_later_line_numbers() {
    let text = "crn,name,release_date,notes\r\n\
                X000001,A,2026-12-24,\"called council\r\nno reply\r\ntry again Monday\"\r\n\
                X000002,B,2026-12-24,\r\n\
                X000003,C,2026-02-30,\r\n";
    let e = only_problem(text);
    assert_eq!(e.line, 6, "{e}");
    let good = text.replace("2026-02-30", "2026-02-28");
    let p = ok(&good);
    let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 5, 6]);
    assert_eq!(
        p.rows[0].patch.notes.as_deref(),
        Some("called council no reply try again Monday"),
        "line breaks are control characters and are removed"
    );
}

#[test]
fn empty_files() {
    let e = parse_csv_bytes(b"").unwrap_err();
    assert_eq!(e.to_string(), "the file has no header row");
    let e = parse_csv_bytes(b"\xEF\xBB\xBF\r\n").unwrap_err();
    assert_eq!(e.to_string(), "the file has no header row");
    let e = parse_csv_bytes(b"crn,name,release_date\r\n\r\n").unwrap_err();
    assert_eq!(e.to_string(), "the file has a header but no rows");
}

#[test]
fn a_huge_field_does_not_flood_the_report() {
    let text = format!("{HEAD}\nX123456,A,{}\n", "9".repeat(10_000_000));
    let e = only_problem(&text);
    assert!(e.to_string().len() < 400, "{} bytes", e.to_string().len());
}

#[test]
fn read_path_picks_the_format_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cases.CSV");
    std::fs::write(&csv, "crn,name,release_date\nX123456,Ann,2026-12-24\n").unwrap();
    assert_eq!(read_path(&csv).unwrap().rows.len(), 1);
    // A CSV file named .xlsx is read as a workbook, and refused clearly.
    let fake = dir.path().join("cases.XLSX");
    std::fs::write(&fake, "crn,name,release_date\nX123456,Ann,2026-12-24\n").unwrap();
    let e = read_path(&fake).unwrap_err();
    assert!(matches!(e, ImportError::Spreadsheet { .. }), "{e}");
    assert!(e.to_string().contains("not an Excel workbook"), "{e}");
    let missing = dir.path().join("nope.csv");
    assert!(matches!(
        read_path(&missing).unwrap_err(),
        ImportError::Read { .. }
    ));
}

#[test]
fn xlsx_round_trip() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // Two blank rows above the header: the header is the first non-empty row.
    let header = [
        "CRN",
        "Forename",
        "Surname",
        "Release Date",
        "MAPPA Level",
        "AP Required",
        "Friday Release",
        "Notes",
        "Extra",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_string(3, 0, "x123456").unwrap();
    sheet.write_string(3, 1, "Zoë").unwrap();
    sheet.write_string(3, 2, "Example").unwrap();
    let xmas = ExcelDateTime::from_ymd(2026, 12, 24).unwrap();
    sheet
        .write_datetime_with_format(3, 3, &xmas, &date)
        .unwrap();
    sheet.write_number(3, 4, 2.0).unwrap();
    sheet.write_boolean(3, 5, true).unwrap();
    sheet.write_number(3, 6, 1).unwrap();
    sheet.write_string(3, 7, "line one\nline two").unwrap();
    // Row 5 blank; row 6 has its date typed as text.
    sheet.write_string(5, 0, "X654321").unwrap();
    sheet.write_string(5, 1, "Bob").unwrap();
    sheet.write_string(5, 2, "Other").unwrap();
    sheet.write_string(5, 3, "01/03/2027").unwrap();
    book.save(&path).unwrap();

    let p = parse_xlsx_path(&path).unwrap();
    assert_eq!(
        p.columns,
        [
            "crn",
            "first_name",
            "last_name",
            "release_date",
            "mappa",
            "ap_required",
            "friday_release",
            "notes"
        ]
    );
    assert_eq!(p.ignored_columns, ["Extra"]);
    assert_eq!(p.rows.len(), 2);
    let a = &p.rows[0];
    assert_eq!(a.line, 4);
    assert_eq!(a.crn.as_str(), "X123456");
    assert_eq!(a.patch.name.as_deref(), Some("Zoë Example"));
    assert_eq!(a.patch.release_date, Some(d(2026, 12, 24)));
    assert_eq!(a.patch.mappa, Some(2));
    assert_eq!(a.patch.ap_required, Some(true));
    assert_eq!(a.patch.friday_release, Some(FridayRelease::One));
    assert_eq!(a.patch.notes.as_deref(), Some("line one line two"));
    let b = &p.rows[1];
    assert_eq!(b.line, 6);
    assert_eq!(b.patch.release_date, Some(d(2027, 3, 1)));
    assert_eq!(b.patch.mappa, None);
    // read_path sends .xlsx to the same reader.
    assert_eq!(read_path(&path).unwrap(), p);
}

#[test]
fn xlsx_errors_name_spreadsheet_rows() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["crn", "name", "release_date", "mappa"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "X123456").unwrap();
    sheet.write_string(1, 1, "Ann").unwrap();
    sheet.write_string(1, 2, "2026-12-24").unwrap();
    sheet.write_number(1, 3, 2.5).unwrap();
    sheet.write_string(2, 0, "X123456").unwrap();
    sheet.write_string(2, 1, "Bob").unwrap();
    sheet.write_number(2, 2, 46380).unwrap();
    book.save(&path).unwrap();
    let Err(ImportError::Invalid(p)) = parse_xlsx_path(&path) else {
        panic!("expected row errors")
    };
    let shown: Vec<String> = p
        .errors
        .iter()
        .map(|e| e.display_with(&p.labels).to_string())
        .collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert!(
        shown[0].starts_with("line 2, column D \"mappa\": \"2.5\""),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("line 3, column C \"release_date\": \"46380\""),
        "{}",
        shown[1]
    );
    assert_eq!(
        shown[2],
        "line 3, column A \"crn\": this CRN also appears on line 2"
    );
}

#[test]
fn an_empty_workbook() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet();
    book.save(&path).unwrap();
    let e = parse_xlsx_path(&path).unwrap_err();
    assert_eq!(e.to_string(), "the file has no header row");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_csv_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_csv_bytes(&bytes);
    }

    #[test]
    fn parse_csv_bytes_never_panics_on_csv_like_input(
        body in "[A-Za-z0-9,;\t\"\r\n /\\-\u{1b}\u{eb}]{0,300}"
    ) {
        let text = format!("crn,name,release_date,notes\n{body}");
        let _ = parse_csv_bytes(text.as_bytes());
        let _ = parse_csv_bytes(body.as_bytes());
    }
}

// ---- headers below a title, the file's own column names, files that are not CSV ----

#[test]
fn a_title_and_blank_rows_above_the_header_are_skipped() {
    // Excel writes a merged title as one cell padded with commas; here it is shorter still.
    let text = "Releases due, North PDU\r\n\r\nCRN,Name,Release Date,Notes\r\n\
                X000001,Ann,2026-12-24,\r\n\r\nX000002,Bob,24/12/2026,\"two\r\nlines\"\r\n\
                X000003,Cal,2026-12-25,\r\n";
    let p = ok(text);
    assert_eq!(p.header_row, 3);
    assert_eq!(p.labels.header_row(), 3);
    let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 6, 8]);
    assert_eq!(
        p.notes(),
        ["Using the header found on row 3; the rows above it were skipped."]
    );
    assert_eq!(ok(&format!("{HEAD}\nX000001,A,2026-12-24\n")).header_row, 1);
}

#[test]
fn errors_name_the_files_own_header_and_column_letter() {
    let text = "Weekly releases\n\nCRN,Forename,Surname,Release Date,Risk\n\
                X000001,Ann,Example,24/12/2026,LOW\n\
                X000002,Bob,,31/02/2026,severe\n\
                x000001,Cal,Example,2026-12-24,\n";
    let e = parse_csv_bytes(text.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "4 problems found (header found on row 3); nothing was imported:\n\
         line 5, column C \"Surname\": the cell is empty but first_name is given; give both \
         parts of the name, or neither to keep the stored name\n\
         line 5, column D \"Release Date\": \"31/02/2026\" is not a date: there is no day 31 in \
         that month\n\
         line 5, column E \"Risk\": \"severe\" is not a RoSH level; expected one of LOW, MEDIUM, HIGH, \
         VERY_HIGH\n\
         line 6, column A \"CRN\": this CRN also appears on line 4"
    );
    // The canonical names are still there for code that needs them.
    let ImportError::Invalid(p) = e else { panic!() };
    assert_eq!(p.errors[1].column.as_deref(), Some("release_date"));
    // A problem in a column the file lacks (as a later check against the store may find) is
    // shown by its canonical name.
    let later = RowError::new(4, Some("release_date"), "is needed for a new case");
    let labels = ok("crn,name\nX000001,Ann\n").labels;
    assert_eq!(
        later.display_with(&labels).to_string(),
        "line 4, column release_date: is needed for a new case"
    );
    assert_eq!(labels.label("name").as_deref(), Some("B \"name\""));
}

#[test]
fn letters_go_past_z() {
    let mut header: Vec<String> = (0..27).map(|i| format!("extra {i}")).collect();
    header.push("crn".into());
    header.push("Release Date".into());
    let mut row = vec![String::new(); 27];
    row.push("X000001".into());
    row.push("2026-13-01".into());
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let Err(ImportError::Invalid(p)) = parse_csv_bytes(text.as_bytes()) else {
        panic!()
    };
    assert!(
        p.to_string()
            .contains("line 2, column AC \"Release Date\": \"2026-13-01\""),
        "{p}"
    );
}

#[test]
fn binary_files_are_refused_in_one_sentence() {
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    let e = parse_csv_bytes(pdf).unwrap_err();
    assert_eq!(
        e.to_string(),
        "it looks like a PDF document, not a CSV file; export the list as CSV or XLSX and \
         import that"
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert!(parse_csv_bytes(png)
        .unwrap_err()
        .to_string()
        .starts_with("it looks like a PNG image, not a CSV file"));
    // No magic: a high share of control bytes.
    let mut x: u32 = 7;
    let noise: Vec<u8> = (0..2000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let e = parse_csv_bytes(&noise).unwrap_err();
    assert!(matches!(e, ImportError::NotCsv(_)), "{e}");
    assert!(e
        .to_string()
        .starts_with("it looks like a binary file (not text), not a CSV file"));
    // A stray NUL or escape in a cell is still that cell's problem, at its line.
    let e = only_problem("crn,name,notes\nX1000\x0001,Ann,\x1b[1m\n");
    assert_eq!((e.line, e.column.as_deref()), (2, Some("crn")));
}

fn workbook_bytes(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook() {
    let bytes = workbook_bytes(&[
        &["CRN", "Name", "Release Date"],
        &["X000001", "Ann", "24/12/2026"],
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.csv");
    std::fs::write(&path, &bytes).unwrap();
    let p = read_path(&path).unwrap();
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.read_as, Some("an Excel workbook (.xlsx)"));
    assert_eq!(
        p.notes(),
        ["The file is an Excel workbook (.xlsx), not CSV text: read its first worksheet."]
    );
    assert_eq!(parse_csv_bytes(&bytes).unwrap().rows, p.rows);
    // A PDF named .xlsx is named too.
    let fake = dir.path().join("cases.xlsx");
    std::fs::write(&fake, b"%PDF-1.4\n").unwrap();
    let e = read_path(&fake).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("it is not an Excel workbook but looks like a PDF document; export the list as XLSX or CSV"),
        "{e}"
    );
}

#[test]
fn a_workbook_with_a_title_above_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xlsx");
    std::fs::write(
        &path,
        workbook_bytes(&[
            &["Releases due, North PDU"],
            &[],
            &["CRN", "Name", "Release Date"],
            &["X000001", "Ann", "24/12/2026"],
            &["X000002", "", "2026-02-30"],
        ]),
    )
    .unwrap();
    let e = read_path(&path).unwrap_err();
    assert_eq!(
        e.to_string(),
        "1 problem found (header found on row 3); nothing was imported:\n\
         line 5, column C \"Release Date\": \"2026-02-30\" is not a date: there is no day 30 in \
         that month"
    );
}

// ---- end to end: the real binary on real files ----

mod cli {
    use super::common::cli::Env;
    use serde_json::Value;
    use std::path::Path;

    impl Env {
        /// `import FILE`: exits 1 with nothing on standard output; standard error.
        fn refused(&self, file: &Path) -> String {
            self.fails(&["import", file.to_str().unwrap()])
        }

        fn cases(&self) -> Vec<Value> {
            self.list("2000-01-01", "2100-01-01")
        }
    }

    const BASE: &str = "crn,name,release_date,accommodation,notes\n\
                        X100001,Ann Example,2026-12-24,NFA,rang council\n\
                        X100002,Bob Example,2026-12-10,SETTLED,\n\
                        X100003,Cal Example,2027-01-14,NFA,\n";

    #[test]
    fn a_two_column_update_file_changes_only_its_column() {
        let env = Env::new();
        env.import_file(&env.write("base.csv", BASE));
        let before = env.case("X100003");
        let update = env.write(
            "confirmed.csv",
            "crn,confirmed_day\nX100001,22/12/2026\nX100002,\n",
        );
        let out = env.import_file(&update);
        assert!(out.contains("0 new, 1 updated, 1 unchanged"), "{out}");
        assert!(
            !out.contains("header found"),
            "the header is on row 1: {out}"
        );
        let ann = env.case("X100001");
        assert_eq!(ann["confirmed_day"], "2026-12-22");
        assert_eq!(ann["expected_day"], "2026-12-22");
        // What the file does not give is kept.
        assert_eq!(ann["name"], "Ann Example");
        assert_eq!(ann["release_date"], "2026-12-24");
        assert_eq!(ann["accommodation"], "NFA");
        assert_eq!(ann["notes"], "rang council");
        assert_eq!(env.case("X100002")["confirmed_day"], Value::Null);
        assert_eq!(env.case("X100003"), before);
        // Blank name and date cells under name and date columns keep the stored ones too.
        let update = env.write(
            "blanks.csv",
            "crn,name,release_date,accommodation\nX100003,,,CAS3\n",
        );
        assert!(env
            .import_file(&update)
            .contains("0 new, 1 updated, 0 unchanged"));
        let cal = env.case("X100003");
        assert_eq!(cal["name"], "Cal Example");
        assert_eq!(cal["release_date"], "2027-01-14");
        assert_eq!(cal["accommodation"], "CAS3");
    }

    const TITLED: &str = "Releases due in December,,,\r\n\r\nCRN,Name,Release Date,Notes\r\n\
                          X100001,Ann Example,24/12/2026,\r\nX100002,Bob Example,2026-12-10,\r\n";

    #[test]
    fn a_title_above_the_header_is_skipped_and_said() {
        let env = Env::new();
        let out = env.import_file(&env.write("titled.csv", TITLED));
        assert!(
            out.contains("Using the header found on row 3; the rows above it were skipped."),
            "{out}"
        );
        assert!(out.contains("2 new, 0 updated, 0 unchanged"), "{out}");
        assert_eq!(env.cases().len(), 2);
        let dry = env
            .cmd(&[
                "import",
                "--dry-run",
                env.path("titled.csv").to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&dry.stdout).contains("header found on row 3"));
    }

    #[test]
    fn errors_under_a_title_name_the_files_lines_and_columns() {
        let env = Env::new();
        let bad = TITLED.replace("2026-12-10", "31/11/2026")
            + "X100003,,2026-12-11,\"a\r\nb\"\r\nX10004,Dan,,\r\n";
        let err = env.refused(&env.write("titled.csv", bad));
        assert!(
            err.contains("2 problems found (header found on row 3); nothing was imported:"),
            "{err}"
        );
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("line ")).collect();
        assert_eq!(
            lines,
            [
                "line 5, column C \"Release Date\": \"31/11/2026\" is not a date: there is no day \
                 31 in that month",
                "line 8, column A \"CRN\": \"X10004\" is not a CRN; expected a letter and six \
                 digits, like X123456",
            ],
            "{err}"
        );
        assert!(env.cases().is_empty());
    }

    fn titled_workbook(rows: &[[&str; 3]]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let s = book.add_worksheet();
        s.merge_range(0, 0, 0, 2, "Releases due in December", &Default::default())
            .unwrap();
        for (r, cells) in std::iter::once(&["CRN", "Name", "Release Date"])
            .chain(rows)
            .enumerate()
        {
            for (c, v) in cells.iter().enumerate() {
                s.write_string(2 + r as u32, c as u16, *v).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_workbook_with_a_title_above_the_header() {
        let env = Env::new();
        let good = env.write(
            "report.xlsx",
            titled_workbook(&[["X100001", "Ann Example", "24/12/2026"]]),
        );
        let out = env.import_file(&good);
        assert!(out.contains("Using the header found on row 3"), "{out}");
        assert!(out.contains("1 new"), "{out}");
        let bad = env.write(
            "bad.xlsx",
            titled_workbook(&[
                ["X100002", "Bob Example", "2026-12-10"],
                ["X100003", "Cal Example", "2026-02-29"],
            ]),
        );
        let err = env.refused(&bad);
        assert!(
            err.contains("1 problem found (header found on row 3)"),
            "{err}"
        );
        assert!(
            err.contains(
                "line 5, column C \"Release Date\": \"2026-02-29\" is not a date: there is no \
                 day 29 in that month"
            ),
            "{err}"
        );
        assert_eq!(env.cases().len(), 1);
    }

    #[test]
    fn a_pdf_named_csv_is_one_sentence() {
        let env = Env::new();
        env.import_file(&env.write("base.csv", BASE));
        let before = env.cases();
        let pdf = env.write(
            "report.csv",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n",
        );
        let err = env.refused(&pdf);
        assert_eq!(
            err.trim_end(),
            format!(
                "{} was not imported: it looks like a PDF document, not a CSV file; export the \
                 list as CSV or XLSX and import that",
                pdf.display()
            )
        );
        assert_eq!(env.cases(), before);
    }

    #[test]
    fn a_binary_file_is_one_sentence_not_a_page_of_ragged_rows() {
        let env = Env::new();
        let mut x: u32 = 99;
        let noise: Vec<u8> = (0..20_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let err = env.refused(&env.write("cases.csv", noise));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(
                "was not imported: it looks like a binary file (not text), not a CSV file"
            ),
            "{err}"
        );
        // A program, by its magic bytes.
        let mut exe = b"MZ\x90\0\x03\0\0\0".to_vec();
        exe.extend(b"This program cannot be run in DOS mode.");
        let err = env.refused(&env.write("tool.csv", exe));
        assert!(
            err.contains("it looks like a Windows program, not a CSV file"),
            "{err}"
        );
    }

    #[test]
    fn a_workbook_named_csv_imports_as_a_workbook() {
        let env = Env::new();
        let file = env.write(
            "export.csv",
            titled_workbook(&[["X100001", "Ann Example", "24/12/2026"]]),
        );
        let out = env.import_file(&file);
        assert!(
            out.contains(
                "The file is an Excel workbook (.xlsx), not CSV text: read its first worksheet."
            ),
            "{out}"
        );
        assert!(out.contains("1 new"), "{out}");
        assert_eq!(env.case("X100001")["name"], "Ann Example");
    }
}
