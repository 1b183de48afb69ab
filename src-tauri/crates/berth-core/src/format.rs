//! Human formatting shared by the CLI's tables (the UI has its own in TypeScript).

/// Sizes in binary units, one decimal from KiB on: `0 B`, `512 B`, `1.5 KiB`, `300.0 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A digest shortened to its algorithm's first 12 hex characters: `sha256:0123456789ab`.
pub fn short_digest(digest: &str) -> &str {
    match digest.split_once(':') {
        Some((alg, hex)) if hex.len() > 12 => &digest[..alg.len() + 1 + 12],
        _ => digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1.0 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(300 * 1024 * 1024), "300.0 MiB");
        assert_eq!(bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }

    #[test]
    fn digests_shorten_to_12_hex() {
        assert_eq!(
            short_digest("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
            "sha256:0123456789ab"
        );
        assert_eq!(short_digest("sha256:abc"), "sha256:abc");
        assert_eq!(short_digest("nodigest"), "nodigest");
    }
}
