//! Amber and red, shared by gap flags and cluster warnings.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Ordered so that `Red` sorts before `Amber` ("red first").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Red,
    Amber,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Red => "red",
            Severity::Amber => "amber",
        }
    }

    /// A symbol so severity never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Red => "▲",
            Severity::Amber => "●",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
