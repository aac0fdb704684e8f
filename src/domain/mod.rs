//! Pure rules: no I/O, no clock. Every function that needs today takes it as an argument.

pub mod calendar;
pub mod case;
pub mod clusters;
pub mod codes;
pub mod dates;
pub mod demo;
pub mod exact;
pub mod fields;
pub mod gaps;
pub mod handover;
pub mod hash;
pub mod holidays;
pub mod marks;
pub mod readiness;
pub mod severity;
