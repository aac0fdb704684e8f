//! releaseday: a release-day planner for probation teams in England and Wales.
//!
//! Data flows one way: `store` → `domain` rules (via `query`) → `cli` (and the screens).

pub mod cli;
pub mod config;
pub mod domain;
pub mod io;
pub mod keys;
pub mod platform;
pub mod query;
pub mod store;
pub mod text;
pub mod tui;
