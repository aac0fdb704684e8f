//! What a change notification says. The schema's triggers send one on channel
//! [`CHANNEL`](super::CHANNEL) for each table a committed transaction changed rows of, with the
//! payload
//!
//! ```text
//! {"table":"cases","xact":12345}
//! ```
//!
//! `table` is `cases`, `meta` or `holiday_files`; `xact` is the transaction's id, the same in every
//! notification of one transaction (a planner reloads once for them all). Nothing else: every
//! role on the server may `LISTEN`, so a notification never carries a CRN, a name or any value.
//! The sending session's process id comes with every notification, so a planner can tell its
//! own changes from others'. A planner whose listening connection dropped reloads everything:
//! notifications sent meanwhile are lost.

use serde::Deserialize;

/// One notification's payload.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Change {
    pub table: String,
    pub xact: u64,
}

impl Change {
    /// The payload read, or `None` for one this program does not know (a newer schema's):
    /// the safe reading of that is "reload everything".
    pub fn parse(payload: &str) -> Option<Change> {
        serde_json::from_str(payload).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read() {
        assert_eq!(
            Change::parse(r#"{"table":"cases","xact":745}"#),
            Some(Change {
                table: "cases".into(),
                xact: 745
            })
        );
        assert_eq!(Change::parse("cases"), None);
        assert_eq!(Change::parse(r#"{"table":"cases"}"#), None);
    }
}
