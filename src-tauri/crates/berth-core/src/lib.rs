//! Berth's domain: types shared by every crate and by the UI, validation of user input,
//! the error type with stable codes, and the events that long jobs stream.
//!
//! This crate depends on no AWS, Docker or Tauri crate, so every other crate and both
//! front ends (desktop and CLI) can share it.

pub mod copy;
pub mod error;
pub mod format;
pub mod image;
pub mod job;
pub mod lifecycle;
pub mod model;
pub mod policy;
pub mod public;
pub mod push;
pub mod registry;
pub mod secret;
pub mod timestamp;
pub mod validate;

pub use error::{BerthError, ErrorCode, Result};
pub use secret::Secret;
pub use timestamp::Timestamp;
