//! The JSON and CSV shapes of DOMAIN.md §6, built from the query layer's views.

use crate::domain::clusters::Cluster;
use crate::domain::fields::{Cell, Field};
use crate::domain::gaps::Flag;
use crate::query::{CaseView, GapRow};
use chrono::NaiveDate;
use serde::ser::{SerializeMap, SerializeSeq, Serializer as _};
use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use std::borrow::Borrow;
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

/// A `list` (and `today`) object: the CRN, every field of the table under its column name
/// (what a blank means where the table says so: a blank `dtr` is `NOT_SENT`, a blank
/// `ap_required` false; otherwise null), then the days worked out, the handover and who holds
/// the case today, the accommodation verdict, the check-in and the flags. DOMAIN.md §6 names the least it holds.
/// Holds the view or borrows it (`V` is `CaseView` or `&CaseView`).
pub struct CaseJson<V>(pub V);

impl<'a> From<&'a CaseView> for CaseJson<&'a CaseView> {
    fn from(v: &'a CaseView) -> Self {
        CaseJson(v)
    }
}

impl<V: Borrow<CaseView>> Serialize for CaseJson<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v: &CaseView = self.0.borrow();
        let c = &v.case;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("crn", c.crn.as_str())?;
        for f in Field::ALL {
            f.with_shown(c, |cell| {
                map.serialize_entry(f.column(), &cell.map(CellJson))
            })?;
        }
        map.serialize_entry("statutory_day", &v.days.statutory)?;
        map.serialize_entry("policy_day", &v.days.policy)?;
        map.serialize_entry("expected_day", &v.days.expected)?;
        // The OMiC handover (DOMAIN.md §7): null for a recall, the COM's throughout.
        map.serialize_entry("handover_day", &v.handover.day)?;
        map.serialize_entry("handover_rule", v.handover.rule.as_str())?;
        map.serialize_entry("responsibility", v.responsibility.as_str())?;
        map.serialize_entry("needs_accommodation", &c.needs_accommodation())?;
        // The place booked ("CAS3 bed booked"), if any: why an `NFA` record has somewhere to go.
        map.serialize_entry("place_booked", &c.booked_place())?;
        map.serialize_entry("reported", &v.reported_at.is_some())?;
        let reported_at = v
            .reported_at
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string());
        map.serialize_entry("reported_at", &reported_at)?;
        let flags: Vec<FlagJson> = v.flags.iter().map(FlagJson::from).collect();
        map.serialize_entry("flags", &flags)?;
        SerializeMap::end(map)
    }
}

/// A stored value as JSON: text and codes as strings, days as `YYYY-MM-DD`, numbers as
/// numbers, yes/no as true or false.
struct CellJson<'a>(Cell<'a>);

impl Serialize for CellJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Date(d) => d.serialize(s),
            Cell::Int(n) => s.serialize_i64(n),
            Cell::Bool(b) => s.serialize_bool(b),
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
    SerializeSeq::end(seq)?;
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
