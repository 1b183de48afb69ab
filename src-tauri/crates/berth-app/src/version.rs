//! Which Berth this is: the version and the commit it was built from.

/// The release version (the workspace's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit (12 hex digits), or "unknown" for a build outside a git checkout.
pub const COMMIT: &str = env!("BERTH_COMMIT");
/// What `--version` prints after the program's name.
pub const LONG: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BERTH_COMMIT"), ")");

/// The licence (the workspace's, an SPDX expression).
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// What the About box shows.
pub fn about() -> berth_core::model::About {
    berth_core::model::About { version: VERSION.into(), commit: COMMIT.into(), license: LICENSE.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_names_both() {
        assert_eq!(LONG, format!("{VERSION} (commit {COMMIT})"));
        assert!(COMMIT == "unknown" || COMMIT.chars().all(|c| c.is_ascii_hexdigit()), "{COMMIT}");
        assert_eq!(about().license, "Apache-2.0");
    }
}
