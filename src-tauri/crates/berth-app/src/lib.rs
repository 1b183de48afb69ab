//! What a Berth user does, written once for both front ends: the desktop shell (Tauri
//! commands) and the `berth` CLI are thin adapters that parse, call one use case here, and
//! render. Everything here is tested without a window, against the real sandbox servers.
//!
//! - [`Session`]: the active profile and region, with the AWS clients, the registry token and
//!   the engine connection built once and reused.
//! - [`jobs`]: one way to run a long job: registered with its cancellation token, events
//!   streamed to a [`Sink`], the terminal event always sent.
//! - the use cases, one module each: [`push`], [`copy`], [`load`], [`images`], [`repositories`],
//!   [`lifecycle`], [`profiles`], [`registry`].

pub mod copy;
pub mod diagnostics;
pub mod environment;
pub mod images;
pub mod jobs;
pub mod lifecycle;
pub mod load;
pub mod logging;
pub mod profiles;
pub mod public;
pub mod push;
pub mod registries;
pub mod registry;
pub mod repositories;
mod session;
pub mod version;

pub use jobs::{Notice, Sink, Started};
pub use session::{Overrides, ProfileChoice, Session};
