//! Keys as data, below the settings and both faces: the actions a key can ask for, how the
//! config file writes a key, the default key map and its rebinding, and the views that key
//! bindings are scoped to. The settings check a file's `[keys]` against these; the screens
//! look keys up in the map the settings made.

pub mod action;
pub mod map;
pub mod spec;
pub mod views;

pub use action::Action;
pub use map::{Binding, KeyMap, Refusal, Scope};
pub use spec::Chord;
pub use views::{ViewId, ViewSpec, VIEWS};
