//! THE FIELD TABLE: every field a case holds, one line each, and nowhere else.
//!
//! From it come `Case`, `CasePatch`, `Field` and `COLUMNS` (`generate.rs`), and so the import's
//! headers and parsers, the edit form and `releaseday edit`, the CSV export, the JSON objects,
//! the store's columns and the audit log: a new field is its line here, a migration adding its
//! column (`store::migrations`) and a test.
//!
//! Each line: `COLUMN Variant field: kind Type, "Edit form label"`, then as needed
//! `default VALUE` (kind `defaulted`), `blank |case| VALUE` (what a blank means when read),
//! `sent DateField when "STATUS"` (a referral) and `aliases [...]` (other import headers).
//!
//! COLUMN is the field's place in `COLUMNS` (the CRN is 0) and its bit in the stored marks of
//! what imports set and what the planner changed: it never changes once released. A new field
//! takes the next number, wherever its line goes. Lines are in the order the edit form lists
//! the fields, accommodation work first.

use super::value::{Cell, FieldValue, Kind};
use super::FieldChange;
use crate::domain::codes::{
    clean_text, Accommodation, ApStatus, Appointment, Cas2Status, Cas3Status, Crn, CrsStatus,
    DtrStatus, FridayRelease, LicenceStatus, Noms, ParseError, ReleaseType, Rosh, SentenceType,
};
use chrono::NaiveDate;

case_fields! {
    new(name: impl Into<String>, release_date: NaiveDate);

    // Accommodation and the referrals that find it (DOMAIN.md §3).
    10 Accommodation accommodation: defaulted Accommodation, "Accommodation",
        default Accommodation::Unknown;
    11 Dtr dtr: optional DtrStatus, "Duty to Refer",
        blank |_| DtrStatus::NotSent, sent DtrDate when "SUBMITTED";
    12 DtrDate dtr_date: optional NaiveDate, "DTR date sent";
    13 Crs crs: optional CrsStatus, "CRS referral",
        blank |_| CrsStatus::NotSent, sent CrsDate when "LIVE";
    21 CrsDate crs_date: optional NaiveDate, "CRS date sent";
    14 Cas3 cas3: optional Cas3Status, "CAS3 referral",
        blank |_| Cas3Status::NotSent, sent Cas3Date when "SUBMITTED";
    22 Cas3Date cas3_date: optional NaiveDate, "CAS3 date sent";
    15 Ap ap: optional ApStatus, "AP application",
        blank |_| ApStatus::NotSent, sent ApDate when "SUBMITTED";
    23 ApDate ap_date: optional NaiveDate, "AP date sent";
    16 ApRequired ap_required: optional bool, "AP required", blank |_| false;
    17 Cas2 cas2: optional Cas2Status, "CAS2 referral",
        blank |_| Cas2Status::NotSent, sent Cas2Date when "SUBMITTED";
    24 Cas2Date cas2_date: optional NaiveDate, "CAS2 date sent";

    // The release and the people around it.
    4 Officer officer: optional String, "Officer",
        aliases ["offender_manager", "com", "practitioner"];
    19 ConfirmedDay confirmed_day: optional NaiveDate, "Confirmed release day";
    18 FridayRelease friday_release: optional FridayRelease, "Friday release",
        blank |c| c.release_type.default_friday_release();
    20 Notes notes: optional String, "Notes";

    // Release-day readiness (DOMAIN.md §8): the first appointment, the licence, and a
    // checklist (blank = not known).
    32 Appointment appointment: optional Appointment, "Initial appointment",
        aliases ["initial_appointment"];
    33 AppointmentPlace appointment_place: optional String, "Appointment place",
        aliases ["appointment_address", "appointment_location"];
    34 Licence licence: optional LicenceStatus, "Licence",
        aliases ["licence_status", "license"];
    35 IdDocuments id_documents: optional bool, "ID documents";
    36 BankAccount bank_account: optional bool, "Bank account";
    37 Benefits benefits: optional bool, "Benefits claim made";
    25 Gp gp: optional bool, "GP registered";

    // Where the person is, and the risk.
    5 Team team: optional String, "Team", aliases ["pdu"];
    3 Prison prison: optional String, "Prison", aliases ["establishment", "prison_name"];
    6 Rosh rosh: optional Rosh, "RoSH", aliases ["rosh_level", "risk"];
    7 Mappa mappa: optional u8, "MAPPA", aliases ["mappa_level"];

    // Who holds the case in custody, and when it passes to the community (DOMAIN.md §7).
    31 Pom pom: optional String, "POM",
        aliases ["prison_offender_manager", "pom_name"];
    26 SentenceType sentence_type: optional SentenceType, "Sentence type",
        blank |_| SentenceType::Determinate;
    27 SentenceStart sentence_start: optional NaiveDate, "Sentence start",
        aliases ["sentence_date", "sentence_start_date"];
    28 Ped ped: optional NaiveDate, "Parole eligibility",
        aliases ["parole_eligibility_date"];
    29 EarlyAllocation early_allocation: optional bool, "Early allocation", blank |_| false;
    30 Recall recall: optional bool, "Recall", blank |_| false;

    // Who and when: what every case has.
    1 Name name: required String, "Name";
    2 Noms noms: optional Noms, "NOMS number",
        aliases ["noms_number", "prison_number", "prisoner_number"];
    8 ReleaseDate release_date: required NaiveDate, "Release date";
    9 ReleaseType release_type: defaulted ReleaseType, "Release type",
        default ReleaseType::Crd;
}
