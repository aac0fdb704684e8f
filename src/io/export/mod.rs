//! Files written for other programs. The CSV export and the duty sheets (markdown, HTML) are
//! rendered in `cli`, beside the formats they mirror; the calendar has a module of its own.

pub mod ics;
