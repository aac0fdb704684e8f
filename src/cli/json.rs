//! The JSON and CSV shapes of DOMAIN.md §6, built from the query layer's views.

use crate::domain::clusters::Cluster;
use crate::domain::gaps::Flag;
use crate::query::{CaseView, GapRow};
use chrono::NaiveDate;
use serde::ser::{SerializeSeq, Serializer as _};
use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use std::io::Write;

#[derive(Debug, Serialize)]
pub struct FlagJson {
    pub code: &'static str,
    pub severity: &'static str,
    pub due: NaiveDate,
    pub message: String,
}

impl From<&Flag> for FlagJson {
    fn from(f: &Flag) -> Self {
        FlagJson {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            due: f.due,
            message: f.message.clone(),
        }
    }
}

/// A `list` (and `today`) object: at least crn, name, release_date, release_type,
/// statutory_day, expected_day, accommodation, flags.
#[derive(Debug, Serialize)]
pub struct CaseJson {
    pub crn: String,
    pub name: String,
    pub noms: Option<String>,
    pub prison: Option<String>,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub rosh: Option<&'static str>,
    pub mappa: Option<u8>,
    pub release_date: NaiveDate,
    pub release_type: &'static str,
    pub statutory_day: NaiveDate,
    pub policy_day: Option<NaiveDate>,
    pub confirmed_day: Option<NaiveDate>,
    pub expected_day: NaiveDate,
    pub friday_release: &'static str,
    pub accommodation: &'static str,
    pub needs_accommodation: bool,
    /// The place booked ("CAS3 bed booked"), if any: why an `NFA` record has somewhere to go.
    pub place_booked: Option<&'static str>,
    pub dtr: &'static str,
    pub dtr_date: Option<NaiveDate>,
    pub crs: &'static str,
    pub crs_date: Option<NaiveDate>,
    pub cas3: &'static str,
    pub cas3_date: Option<NaiveDate>,
    pub ap: &'static str,
    pub ap_date: Option<NaiveDate>,
    pub ap_required: bool,
    pub cas2: &'static str,
    pub cas2_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub reported: bool,
    pub reported_at: Option<String>,
    pub flags: Vec<FlagJson>,
}

impl From<&CaseView> for CaseJson {
    fn from(v: &CaseView) -> Self {
        let c = &v.case;
        CaseJson {
            crn: c.crn.to_string(),
            name: c.name.clone(),
            noms: c.noms.as_ref().map(|n| n.to_string()),
            prison: c.prison.clone(),
            officer: c.officer.clone(),
            team: c.team.clone(),
            rosh: c.rosh.map(|r| r.as_str()),
            mappa: c.mappa,
            release_date: c.release_date,
            release_type: c.release_type.as_str(),
            statutory_day: v.days.statutory,
            policy_day: v.days.policy,
            confirmed_day: c.confirmed_day,
            expected_day: v.days.expected,
            friday_release: c.friday_release().as_str(),
            accommodation: c.accommodation.as_str(),
            needs_accommodation: c.needs_accommodation(),
            place_booked: c.booked_place(),
            dtr: c.dtr().as_str(),
            dtr_date: c.dtr_date,
            crs: c.crs().as_str(),
            crs_date: c.crs_date,
            cas3: c.cas3().as_str(),
            cas3_date: c.cas3_date,
            ap: c.ap().as_str(),
            ap_date: c.ap_date,
            ap_required: c.ap_required(),
            cas2: c.cas2().as_str(),
            cas2_date: c.cas2_date,
            notes: c.notes.clone(),
            reported: v.reported_at.is_some(),
            reported_at: v
                .reported_at
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
            flags: v.flags.iter().map(FlagJson::from).collect(),
        }
    }
}

/// A `gaps` object: crn, name, expected_day, code, severity, due, message.
#[derive(Debug, Serialize)]
pub struct GapJson {
    pub crn: String,
    pub name: String,
    pub expected_day: NaiveDate,
    pub code: &'static str,
    pub severity: &'static str,
    pub due: NaiveDate,
    pub message: String,
    pub officer: Option<String>,
    pub team: Option<String>,
    pub prison: Option<String>,
}

impl From<&GapRow> for GapJson {
    fn from(g: &GapRow) -> Self {
        GapJson {
            crn: g.crn.to_string(),
            name: g.name.clone(),
            expected_day: g.expected_day,
            code: g.flag.code.as_str(),
            severity: g.flag.severity.as_str(),
            due: g.flag.due,
            message: g.flag.message.clone(),
            officer: g.officer.clone(),
            team: g.team.clone(),
            prison: g.prison.clone(),
        }
    }
}

/// A `clusters` object: day, load, covers, holidays, kind, severity, no_accommodation.
#[derive(Debug, Serialize)]
pub struct ClusterJson {
    pub day: NaiveDate,
    pub load: usize,
    pub covers: Vec<NaiveDate>,
    pub holidays: Vec<String>,
    pub kind: &'static str,
    pub severity: &'static str,
    pub no_accommodation: usize,
    pub expected_load: f64,
    pub message: String,
}

impl From<&Cluster> for ClusterJson {
    fn from(k: &Cluster) -> Self {
        ClusterJson {
            day: k.day,
            load: k.load,
            covers: k.covers.clone(),
            holidays: k.holidays.clone(),
            kind: k.kind.as_str(),
            severity: k.severity.as_str(),
            no_accommodation: k.no_accommodation,
            expected_load: (k.expected_load * 100.0).round() / 100.0,
            message: k.message.clone(),
        }
    }
}

/// Pretty JSON with a trailing newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("views serialise");
    s.push('\n');
    s
}

/// A pretty JSON array written element by element as `fill` hands them over (the same text
/// as `to_string` of the whole array, without ever holding it): `fill` gets a function that
/// writes one element.
pub fn write_array<T: Serialize>(
    out: &mut dyn Write,
    fill: impl FnOnce(&mut dyn FnMut(T) -> anyhow::Result<()>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, PrettyFormatter::new());
    let mut seq = ser.serialize_seq(None)?;
    {
        let mut element = |item: T| -> anyhow::Result<()> { Ok(seq.serialize_element(&item)?) };
        fill(&mut element)?;
    }
    seq.end()?;
    out.write_all(b"\n")?;
    Ok(())
}

/// `write_array` of items already in hand.
pub fn write_all<T: Serialize>(
    out: &mut dyn Write,
    items: impl IntoIterator<Item = T>,
) -> anyhow::Result<()> {
    write_array(out, |element| items.into_iter().try_for_each(element))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_array_is_the_same_text_as_a_whole_one() {
        #[derive(Serialize)]
        struct Row {
            a: u32,
            b: &'static str,
        }
        for n in [0, 1, 3] {
            let rows: Vec<Row> = (0..n).map(|a| Row { a, b: "x\"y" }).collect();
            let mut out = Vec::new();
            write_all(&mut out, rows.iter()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), to_string(&rows));
        }
    }
}
