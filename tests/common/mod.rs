//! Helpers the integration tests share. Each test file takes what it needs, so the rest is
//! unused there.
#![allow(dead_code, unused_imports)]

pub mod cli;
pub mod pty;
pub mod screen;

pub use screen::{press, screen};
