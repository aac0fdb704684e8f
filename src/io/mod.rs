//! Reading and writing files: import (CSV, XLSX) and export (ICS calendars).

pub mod export;
pub mod import;
