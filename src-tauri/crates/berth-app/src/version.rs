//! Which Berth this is: the version and the commit it was built from.

/// The release version (the workspace's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit (12 hex digits), or "unknown" for a build outside a git checkout.
pub const COMMIT: &str = env!("BERTH_COMMIT");
/// What `--version` prints after the program's name.
pub const LONG: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BERTH_COMMIT"), ")");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_names_both() {
        assert_eq!(LONG, format!("{VERSION} (commit {COMMIT})"));
        assert!(COMMIT == "unknown" || COMMIT.chars().all(|c| c.is_ascii_hexdigit()), "{COMMIT}");
    }
}
