use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn dates_in_both_formats() {
    assert_eq!(parse_date("2026-12-24").unwrap(), d(2026, 12, 24));
    assert_eq!(parse_date("24/12/2026").unwrap(), d(2026, 12, 24));
    assert_eq!(parse_date(" 4/1/2027 ").unwrap(), d(2027, 1, 4));
}

#[test]
fn us_order_is_refused_not_guessed() {
    let e = parse_date("12/24/2026").unwrap_err();
    assert!(e.0.contains("no month 24"), "{e}");
    assert!(parse_date("31/02/2026")
        .unwrap_err()
        .0
        .contains("no day 31"));
    assert!(parse_date("24-12-2026").is_err());
    assert!(parse_date("24/12/26").is_err());
    assert!(parse_date("tomorrow").is_err());
}

#[test]
fn the_quick_iso_path_agrees_with_the_long_one() {
    let mut day = d(1899, 12, 25);
    while day < d(2201, 1, 8) {
        let text = day.format("%Y-%m-%d").to_string();
        assert_eq!(
            iso_date(text.as_bytes()),
            parse_date_any(&text).ok(),
            "{text}"
        );
        day = day + chrono::Days::new(3);
    }
    for text in [
        "2026-02-29",
        "2026-00-10",
        "2026-13-01",
        "2026-12-32",
        "1899-12-31",
        "2201-01-01",
        "2026-1-05",
        "2026/12/24",
        "2026-12-2x",
        " 2026-12-24",
        "２０２６-12-24",
        "",
    ] {
        assert_eq!(iso_date(text.as_bytes()), None, "{text}");
        assert_eq!(parse_date(text), parse_date_any(text), "{text}");
    }
}

#[test]
fn crn_and_noms_shapes() {
    assert_eq!("x123456".parse::<Crn>().unwrap().as_str(), "X123456");
    assert!("X12345".parse::<Crn>().is_err());
    assert!("1234567".parse::<Crn>().is_err());
    assert_eq!("a1234bc".parse::<Noms>().unwrap().as_str(), "A1234BC");
    assert!("A12345C".parse::<Noms>().is_err());
}

#[test]
fn codes_fold_case_and_separators() {
    assert_eq!("very high".parse::<Rosh>().unwrap(), Rosh::VeryHigh);
    assert_eq!(
        "bed-booked".parse::<Cas3Status>().unwrap(),
        Cas3Status::BedBooked
    );
    let e = "MAYBE".parse::<Accommodation>().unwrap_err();
    assert!(e.0.contains("NFA"), "{e}");
}

#[test]
fn control_characters_are_removed() {
    assert_eq!(clean_text(" Zo\u{1b}[2Jë\t"), "Zo[2Jë");
    assert_eq!(clean_text("line one\r\nline two"), "line one line two");
    // C1 controls (NEL, CSI) and DEL go; printable text, 0xC2-led or not, stays.
    assert_eq!(clean_text("a\u{85}b\u{9b}c\u{7f}d"), "abcd");
    assert_eq!(clean_text("  £5 ¼ \u{a0}"), "£5 ¼");
    assert_eq!(clean_text("  plain  "), "plain");
}

#[test]
fn crn_and_noms_held_in_place_read_and_write_as_their_text() {
    let crn: Crn = " x123456 ".parse().unwrap();
    assert_eq!(crn.as_str(), "X123456");
    assert_eq!(crn.to_string(), "X123456");
    assert_eq!(format!("{crn:?}"), "Crn(\"X123456\")");
    assert_eq!(serde_json::to_string(&crn).unwrap(), "\"X123456\"");
    assert_eq!(serde_json::from_str::<Crn>("\"X123456\"").unwrap(), crn);
    assert!(serde_json::from_str::<Crn>("\"not a crn\"").is_err());
    assert!("X1234567".parse::<Crn>().is_err());
    assert!("A000009".parse::<Crn>().unwrap() < "B000001".parse::<Crn>().unwrap());
    let noms: Noms = "a1234bc".parse().unwrap();
    assert_eq!(noms.as_str(), "A1234BC");
    assert_eq!(serde_json::to_string(&noms).unwrap(), "\"A1234BC\"");
    assert!(serde_json::from_str::<Noms>("\"A12\"").is_err());
}

#[test]
fn an_appointment_time_reads_back_the_moment_it_was_made_from() {
    for s in ["2027-03-12 09:30", "2026-12-31 23:59", "2028-02-29 00:00"] {
        let at = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let t = AppointmentTime::new(at).unwrap();
        assert_eq!((t.at(), t.as_str()), (at, s));
    }
}
