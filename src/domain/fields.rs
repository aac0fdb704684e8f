//! The case fields an officer edits in place, read and written as text with the same
//! parsers the import uses, so a popup refuses exactly what an import would.

use super::calendar::Calendar;
use super::case::*;
use super::dates;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Accommodation,
    Dtr,
    DtrDate,
    Crs,
    CrsDate,
    Cas3,
    Cas3Date,
    Ap,
    ApDate,
    ApRequired,
    Cas2,
    Cas2Date,
    Officer,
    ConfirmedDay,
    FridayRelease,
    Notes,
    Team,
    Prison,
    Rosh,
    Mappa,
    Name,
    Noms,
    ReleaseDate,
    ReleaseType,
}

impl Field {
    /// In the order the edit menu lists them: accommodation work first.
    pub const EDITABLE: [Field; 24] = [
        Field::Accommodation,
        Field::Dtr,
        Field::DtrDate,
        Field::Crs,
        Field::CrsDate,
        Field::Cas3,
        Field::Cas3Date,
        Field::Ap,
        Field::ApDate,
        Field::ApRequired,
        Field::Cas2,
        Field::Cas2Date,
        Field::Officer,
        Field::ConfirmedDay,
        Field::FridayRelease,
        Field::Notes,
        Field::Team,
        Field::Prison,
        Field::Rosh,
        Field::Mappa,
        Field::Name,
        Field::Noms,
        Field::ReleaseDate,
        Field::ReleaseType,
    ];

    /// The column name, as in import files and the audit log.
    pub fn column(self) -> &'static str {
        match self {
            Field::Accommodation => "accommodation",
            Field::Dtr => "dtr",
            Field::DtrDate => "dtr_date",
            Field::Crs => "crs",
            Field::CrsDate => "crs_date",
            Field::Cas3 => "cas3",
            Field::Cas3Date => "cas3_date",
            Field::Ap => "ap",
            Field::ApDate => "ap_date",
            Field::ApRequired => "ap_required",
            Field::Cas2 => "cas2",
            Field::Cas2Date => "cas2_date",
            Field::Officer => "officer",
            Field::ConfirmedDay => "confirmed_day",
            Field::FridayRelease => "friday_release",
            Field::Notes => "notes",
            Field::Team => "team",
            Field::Prison => "prison",
            Field::Rosh => "rosh",
            Field::Mappa => "mappa",
            Field::Name => "name",
            Field::Noms => "noms",
            Field::ReleaseDate => "release_date",
            Field::ReleaseType => "release_type",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Accommodation => "Accommodation",
            Field::Dtr => "Duty to Refer",
            Field::DtrDate => "DTR date sent",
            Field::Crs => "CRS referral",
            Field::CrsDate => "CRS date sent",
            Field::Cas3 => "CAS3 referral",
            Field::Cas3Date => "CAS3 date sent",
            Field::Ap => "AP application",
            Field::ApDate => "AP date sent",
            Field::ApRequired => "AP required",
            Field::Cas2 => "CAS2 referral",
            Field::Cas2Date => "CAS2 date sent",
            Field::Officer => "Officer",
            Field::ConfirmedDay => "Confirmed release day",
            Field::FridayRelease => "Friday release",
            Field::Notes => "Notes",
            Field::Team => "Team",
            Field::Prison => "Prison",
            Field::Rosh => "RoSH",
            Field::Mappa => "MAPPA",
            Field::Name => "Name",
            Field::Noms => "NOMS number",
            Field::ReleaseDate => "Release date",
            Field::ReleaseType => "Release type",
        }
    }

    /// The values to pick from, for closed sets; `None` for free text and dates.
    pub fn choices(self) -> Option<Vec<&'static str>> {
        fn all<T: Copy>(xs: &[T], f: fn(T) -> &'static str) -> Option<Vec<&'static str>> {
            Some(xs.iter().map(|x| f(*x)).collect())
        }
        match self {
            Field::Accommodation => all(Accommodation::ALL, Accommodation::as_str),
            Field::Dtr => all(DtrStatus::ALL, DtrStatus::as_str),
            Field::Crs => all(CrsStatus::ALL, CrsStatus::as_str),
            Field::Cas3 => all(Cas3Status::ALL, Cas3Status::as_str),
            Field::Ap => all(ApStatus::ALL, ApStatus::as_str),
            Field::Cas2 => all(Cas2Status::ALL, Cas2Status::as_str),
            Field::Rosh => all(Rosh::ALL, Rosh::as_str),
            Field::ReleaseType => all(ReleaseType::ALL, ReleaseType::as_str),
            Field::ApRequired => Some(vec!["yes", "no"]),
            Field::FridayRelease => Some(vec!["no", "1", "2"]),
            Field::Mappa => Some(vec!["0", "1", "2", "3"]),
            _ => None,
        }
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::DtrDate
                | Field::CrsDate
                | Field::Cas3Date
                | Field::ApDate
                | Field::Cas2Date
                | Field::ConfirmedDay
                | Field::ReleaseDate
        )
    }

    /// For a referral's status, the field holding the date it was sent.
    pub fn sent_date(self) -> Option<Field> {
        match self {
            Field::Dtr => Some(Field::DtrDate),
            Field::Crs => Some(Field::CrsDate),
            Field::Cas3 => Some(Field::Cas3Date),
            Field::Ap => Some(Field::ApDate),
            Field::Cas2 => Some(Field::Cas2Date),
            _ => None,
        }
    }

    /// The status that records a referral as sent ("SUBMITTED"; CRS: "LIVE").
    fn sending_status(self) -> Option<&'static str> {
        match self {
            Field::Crs => Some("LIVE"),
            Field::Dtr | Field::Cas3 | Field::Ap | Field::Cas2 => Some("SUBMITTED"),
            _ => None,
        }
    }

    /// After `self` was changed on `c` from `was`: when it now records a referral as just sent,
    /// the date field to fill with `on` (the day the officer recorded it). A date already held
    /// is kept (typed first, or imported) unless the referral had ended — withdrawn, rejected,
    /// no place — when it belongs to the earlier referral and this is a new one. Re-saving the
    /// sending status, or a later status (accepted, booked…), fills nothing: the referral went
    /// earlier, on a day not known here.
    pub fn fill_sent_date(self, was: Option<&str>, c: &mut Case, on: NaiveDate) -> Option<Field> {
        let date = self.sent_date()?;
        let sending = self.sending_status()?;
        if self.get(c).as_deref() != Some(sending) || was == Some(sending) {
            return None;
        }
        let resent = was.is_some_and(ended_status);
        if date.get(c).is_some() && !resent {
            return None;
        }
        date.set(c, &on.to_string()).ok()?;
        Some(date)
    }

    /// The stored value as text; `None` when blank.
    pub fn get(self, c: &Case) -> Option<String> {
        fn s<T: ToString>(v: &Option<T>) -> Option<String> {
            v.as_ref().map(ToString::to_string)
        }
        match self {
            Field::Accommodation => Some(c.accommodation.to_string()),
            Field::Dtr => s(&c.dtr),
            Field::DtrDate => s(&c.dtr_date),
            Field::Crs => s(&c.crs),
            Field::CrsDate => s(&c.crs_date),
            Field::Cas3 => s(&c.cas3),
            Field::Cas3Date => s(&c.cas3_date),
            Field::Ap => s(&c.ap),
            Field::ApDate => s(&c.ap_date),
            Field::Cas2Date => s(&c.cas2_date),
            Field::ApRequired => c
                .ap_required
                .map(|b| if b { "yes" } else { "no" }.to_string()),
            Field::Cas2 => s(&c.cas2),
            Field::Officer => c.officer.clone(),
            Field::ConfirmedDay => s(&c.confirmed_day),
            Field::FridayRelease => s(&c.friday_release),
            Field::Notes => c.notes.clone(),
            Field::Team => c.team.clone(),
            Field::Prison => c.prison.clone(),
            Field::Rosh => s(&c.rosh),
            Field::Mappa => s(&c.mappa),
            Field::Name => Some(c.name.clone()),
            Field::Noms => s(&c.noms),
            Field::ReleaseDate => Some(c.release_date.to_string()),
            Field::ReleaseType => Some(c.release_type.to_string()),
        }
    }

    /// Sets the field from text. Blank clears it (accommodation: back to `UNKNOWN`, release
    /// type: `CRD`); a name or release date cannot be blank. A bad value is refused with the
    /// import's message and the case is left unchanged.
    pub fn set(self, c: &mut Case, text: &str) -> Result<(), ParseError> {
        let t = clean_text(text);
        let blank = t.is_empty();
        fn opt<T>(
            blank: bool,
            f: impl FnOnce() -> Result<T, ParseError>,
        ) -> Result<Option<T>, ParseError> {
            if blank {
                Ok(None)
            } else {
                f().map(Some)
            }
        }
        let date = |t: &str| -> Result<NaiveDate, ParseError> { parse_date(t) };
        match self {
            Field::Accommodation => {
                c.accommodation = if blank {
                    Accommodation::Unknown
                } else {
                    t.parse()?
                }
            }
            Field::Dtr => c.dtr = opt(blank, || t.parse())?,
            Field::DtrDate => c.dtr_date = opt(blank, || date(&t))?,
            Field::Crs => c.crs = opt(blank, || t.parse())?,
            Field::CrsDate => c.crs_date = opt(blank, || date(&t))?,
            Field::Cas3 => c.cas3 = opt(blank, || t.parse())?,
            Field::Cas3Date => c.cas3_date = opt(blank, || date(&t))?,
            Field::Ap => c.ap = opt(blank, || t.parse())?,
            Field::ApDate => c.ap_date = opt(blank, || date(&t))?,
            Field::Cas2Date => c.cas2_date = opt(blank, || date(&t))?,
            Field::ApRequired => c.ap_required = opt(blank, || parse_yes_no(&t))?,
            Field::Cas2 => c.cas2 = opt(blank, || t.parse())?,
            Field::Officer => c.officer = opt(blank, || Ok(t.clone()))?,
            Field::ConfirmedDay => c.confirmed_day = opt(blank, || date(&t))?,
            Field::FridayRelease => c.friday_release = opt(blank, || t.parse())?,
            Field::Notes => c.notes = opt(blank, || Ok(t.clone()))?,
            Field::Team => c.team = opt(blank, || Ok(t.clone()))?,
            Field::Prison => c.prison = opt(blank, || Ok(t.clone()))?,
            Field::Rosh => c.rosh = opt(blank, || t.parse())?,
            Field::Mappa => c.mappa = opt(blank, || parse_mappa(&t))?,
            Field::Name if blank => return Err(required("a name")),
            Field::Name => c.name = t,
            Field::Noms => c.noms = opt(blank, || t.parse())?,
            Field::ReleaseDate if blank => return Err(required("a release date")),
            Field::ReleaseDate => c.release_date = date(&t)?,
            Field::ReleaseType => {
                c.release_type = if blank { ReleaseType::Crd } else { t.parse()? }
            }
        }
        Ok(())
    }

    pub fn from_column(column: &str) -> Option<Field> {
        Field::EDITABLE.into_iter().find(|f| f.column() == column)
    }
}

fn required(what: &str) -> ParseError {
    ParseError(format!("it cannot be blank: every case has {what}"))
}

/// The referral statuses, each with the field holding the day it was sent.
const REFERRALS: [(Field, Field); 5] = [
    (Field::Dtr, Field::DtrDate),
    (Field::Crs, Field::CrsDate),
    (Field::Cas3, Field::Cas3Date),
    (Field::Ap, Field::ApDate),
    (Field::Cas2, Field::Cas2Date),
];

/// What an officer's edit is refused for, and what it must confirm first (the edit form's and
/// `releaseday edit`'s checks, beyond each value's own parser).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditCheck {
    /// Implausible values: the edit is not saved.
    pub refused: Vec<String>,
    /// Possible but unusual values: saved only once the officer says so.
    pub confirm: Vec<String>,
}

/// Checks the fields an edit changes from `before` to `after`, as an officer would expect:
/// a referral's sent date is never after `today`, and only a referral that was sent (a status
/// other than `NOT_SENT`) has one; a confirmed release day on a non-working day is asked about.
/// Fields the edit leaves alone are not checked: an import may have brought them.
pub fn check_edit(before: &Case, after: &Case, today: NaiveDate, cal: &Calendar) -> EditCheck {
    let mut check = EditCheck::default();
    let changed = |f: Field| f.get(before) != f.get(after);
    for (status, date) in REFERRALS {
        if !changed(status) && !changed(date) {
            continue;
        }
        let Some(sent) = date.get(after).and_then(|d| parse_date(&d).ok()) else {
            continue;
        };
        if sent > today {
            check.refused.push(format!(
                "{} {} is after today ({}): a referral is dated the day it was sent",
                date.label(),
                dates::short(sent),
                dates::short(today)
            ));
        }
        if matches!(status.get(after).as_deref(), None | Some("NOT_SENT")) {
            let hint = if changed(status) {
                format!("clear {} first", date.label())
            } else {
                format!(
                    "set {} to the status it was sent with first",
                    status.label()
                )
            };
            check.refused.push(format!(
                "{} is only for a referral that was sent, and {} is {}: {hint}",
                date.label(),
                status.label(),
                status.get(after).as_deref().unwrap_or("NOT_SENT"),
            ));
        }
    }
    if changed(Field::ConfirmedDay) {
        if let Some(day) = after.confirmed_day.filter(|d| cal.is_non_working(*d)) {
            check.confirm.push(format!(
                "{} is not a working day (a weekend or bank holiday)",
                dates::long(day)
            ));
        }
    }
    check
}

/// Statuses that close a referral without a place: a later "sent" is a fresh referral.
fn ended_status(status: &str) -> bool {
    matches!(
        status,
        "WITHDRAWN" | "REJECTED" | "NOT_ACCEPTED" | "NO_PLACE" | "COMPLETED"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> Case {
        Case::new(
            "X300001".parse().unwrap(),
            "Field Person",
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        )
    }

    #[test]
    fn every_field_round_trips_through_text() {
        let mut c = case();
        let values = [
            (Field::Accommodation, "CAS3"),
            (Field::Dtr, "SUBMITTED"),
            (Field::DtrDate, "2026-11-20"),
            (Field::Crs, "LIVE"),
            (Field::CrsDate, "2026-09-01"),
            (Field::Cas3Date, "2026-10-01"),
            (Field::ApDate, "2026-08-01"),
            (Field::Cas2Date, "2026-11-01"),
            (Field::Cas3, "BED_BOOKED"),
            (Field::Ap, "SUBMITTED"),
            (Field::ApRequired, "yes"),
            (Field::Cas2, "NO_PLACE"),
            (Field::Officer, "Priya Shah"),
            (Field::ConfirmedDay, "2026-12-22"),
            (Field::FridayRelease, "2"),
            (Field::Notes, "Rang council"),
            (Field::Team, "North PDU"),
            (Field::Prison, "HMP Ashbury"),
            (Field::Rosh, "HIGH"),
            (Field::Mappa, "2"),
            (Field::Name, "Fielda Person"),
            (Field::Noms, "A1234BC"),
            (Field::ReleaseDate, "2026-12-23"),
            (Field::ReleaseType, "HDC"),
        ];
        for (f, v) in values {
            f.set(&mut c, v).unwrap();
            assert_eq!(f.get(&c).as_deref(), Some(v), "{f:?}");
            assert_eq!(Field::from_column(f.column()), Some(f));
        }
        for f in Field::EDITABLE {
            let held = f.get(&c);
            let blanked = f.set(&mut c, "  ");
            match f {
                Field::Name | Field::ReleaseDate => {
                    assert!(blanked.unwrap_err().0.contains("cannot be blank"));
                    assert_eq!(f.get(&c), held, "{f:?} is kept");
                    continue;
                }
                _ => blanked.unwrap(),
            }
            let expect = match f {
                Field::Accommodation => Some("UNKNOWN".to_string()),
                Field::ReleaseType => Some("CRD".to_string()),
                _ => None,
            };
            assert_eq!(f.get(&c), expect, "{f:?} clears");
        }
    }

    #[test]
    fn bad_values_are_refused_and_change_nothing() {
        let mut c = case();
        let before = c.clone();
        assert!(Field::ConfirmedDay
            .set(&mut c, "12/24/2026")
            .unwrap_err()
            .0
            .contains("no month 24"));
        assert!(Field::Cas3.set(&mut c, "BOOKED").is_err());
        assert!(Field::Mappa.set(&mut c, "4").is_err());
        assert_eq!(c, before);
        Field::Dtr.set(&mut c, "submitted").unwrap();
        assert_eq!(c.dtr, Some(DtrStatus::Submitted));
    }

    #[test]
    fn choices_cover_the_closed_sets() {
        assert_eq!(Field::Cas3.choices().unwrap().len(), 7);
        assert!(Field::Notes.choices().is_none());
        assert!(Field::ConfirmedDay.is_date());
    }

    #[test]
    fn sending_a_referral_fills_its_sent_date_once() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut c = case();
        Field::Dtr.set(&mut c, "SUBMITTED").unwrap();
        assert_eq!(
            Field::Dtr.fill_sent_date(None, &mut c, on),
            Some(Field::DtrDate)
        );
        assert_eq!(c.dtr_date, Some(on));
        // A date already held is the officer's: kept.
        let earlier = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        c.crs_date = Some(earlier);
        Field::Crs.set(&mut c, "LIVE").unwrap();
        assert_eq!(
            Field::Crs.fill_sent_date(Some("NOT_SENT"), &mut c, on),
            None
        );
        assert_eq!(c.crs_date, Some(earlier));
        // Later stages and other fields fill nothing.
        Field::Cas3.set(&mut c, "BED_BOOKED").unwrap();
        assert_eq!(Field::Cas3.fill_sent_date(None, &mut c, on), None);
        Field::Ap.set(&mut c, "NOT_SENT").unwrap();
        assert_eq!(Field::Ap.fill_sent_date(None, &mut c, on), None);
        assert_eq!(Field::Notes.fill_sent_date(None, &mut c, on), None);
        assert_eq!((c.cas3_date, c.ap_date), (None, None));
        Field::Cas2.set(&mut c, "SUBMITTED").unwrap();
        assert_eq!(
            Field::Cas2.fill_sent_date(Some("NOT_SENT"), &mut c, on),
            Some(Field::Cas2Date)
        );
    }

    #[test]
    fn re_saving_sent_keeps_the_date_and_a_fresh_referral_replaces_it() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut c = case();
        // An imported SUBMITTED case with no date: saving SUBMITTED again invents no date.
        Field::Dtr.set(&mut c, "SUBMITTED").unwrap();
        assert_eq!(
            Field::Dtr.fill_sent_date(Some("SUBMITTED"), &mut c, on),
            None
        );
        assert_eq!(c.dtr_date, None);
        // Rejected, then sent again: the held date was the first referral's; today replaces it.
        let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        c.cas3_date = Some(first);
        Field::Cas3.set(&mut c, "SUBMITTED").unwrap();
        assert_eq!(
            Field::Cas3.fill_sent_date(Some("REJECTED"), &mut c, on),
            Some(Field::Cas3Date)
        );
        assert_eq!(c.cas3_date, Some(on));
        // CRS completed and made live again is a new referral too.
        c.crs_date = Some(first);
        Field::Crs.set(&mut c, "LIVE").unwrap();
        assert_eq!(
            Field::Crs.fill_sent_date(Some("COMPLETED"), &mut c, on),
            Some(Field::CrsDate)
        );
        assert_eq!(c.crs_date, Some(on));
    }

    fn calendar() -> Calendar {
        use crate::domain::holidays::{Division, HolidayFile};
        Calendar::new(
            HolidayFile::embedded().events(Division::EnglandAndWales),
            true,
        )
    }

    #[test]
    fn an_edit_is_checked_as_an_officer_would_expect() {
        let cal = calendar();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let before = case();
        let check = |after: &Case| check_edit(&before, after, today, &cal);
        // A sent date after today, with the status still NOT_SENT: two reasons to refuse.
        let mut after = before.clone();
        Field::DtrDate.set(&mut after, "2026-12-20").unwrap();
        let got = check(&after);
        assert_eq!(got.refused.len(), 2, "{got:?}");
        assert!(
            got.refused[0].contains("after today (Tue 1 Dec)"),
            "{got:?}"
        );
        assert!(got.refused[1].contains("set Duty to Refer"), "{got:?}");
        // Sent yesterday, status SUBMITTED: fine.
        Field::DtrDate.set(&mut after, "2026-11-30").unwrap();
        Field::Dtr.set(&mut after, "SUBMITTED").unwrap();
        assert_eq!(check(&after), EditCheck::default());
        // Back to NOT_SENT with the date still held.
        let mut sent = before.clone();
        Field::Dtr.set(&mut sent, "SUBMITTED").unwrap();
        Field::DtrDate.set(&mut sent, "2026-11-30").unwrap();
        let mut unsent = sent.clone();
        Field::Dtr.set(&mut unsent, "NOT_SENT").unwrap();
        let got = check_edit(&sent, &unsent, today, &cal);
        assert_eq!(got.refused.len(), 1, "{got:?}");
        assert!(
            got.refused[0].contains("clear DTR date sent first"),
            "{got:?}"
        );
        // Withdrawn after it was sent keeps its date.
        Field::Dtr.set(&mut unsent, "WITHDRAWN").unwrap();
        assert!(check_edit(&sent, &unsent, today, &cal).refused.is_empty());
        // A Sunday confirmed day is asked about, a Wednesday is not.
        let mut after = before.clone();
        Field::ConfirmedDay.set(&mut after, "2027-01-10").unwrap();
        let got = check(&after);
        assert!(got.refused.is_empty());
        assert_eq!(
            got.confirm,
            ["Sun 10 Jan 2027 is not a working day (a weekend or bank holiday)"]
        );
        Field::ConfirmedDay.set(&mut after, "2026-12-23").unwrap();
        assert_eq!(check(&after), EditCheck::default());
    }

    #[test]
    fn fields_the_edit_leaves_alone_are_not_checked() {
        let cal = calendar();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        // An import brought a future date with no status: editing the notes is still fine.
        let mut before = case();
        before.cas3_date = NaiveDate::from_ymd_opt(2027, 1, 5);
        let mut after = before.clone();
        Field::Notes.set(&mut after, "rang the council").unwrap();
        assert_eq!(
            check_edit(&before, &after, today, &cal),
            EditCheck::default()
        );
    }
}
