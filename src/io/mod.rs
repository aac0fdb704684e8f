//! Reading and writing files: import (CSV, XLSX).

pub mod demo;
pub mod import;
