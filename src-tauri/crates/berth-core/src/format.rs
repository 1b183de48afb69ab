//! Human formatting shared by the CLI's tables (the UI has its own in TypeScript), and the
//! escaping of user input echoed in messages.

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
        Some((alg, hex)) if hex.len() > 12 && hex.is_char_boundary(12) => &digest[..alg.len() + 1 + 12],
        _ => digest,
    }
}

/// `text` safe to echo in a message: control characters (C0, DEL, C1) and invisible format
/// characters (zero-width, bidirectional overrides, BOM) are shown as escapes (`\n`, `\t`,
/// `\r`, else `\u{1b}`), and a backslash as `\\` so that an escape cannot be faked.
/// Everything else, non-ASCII letters included, is kept as typed.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_invisible_format(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `text` with control and invisible format characters shown as escapes, and nothing else
/// changed (backslashes stay single): what every error message goes through, so that no name
/// or server text a message repeats can move a terminal's cursor or reorder what it shows.
pub fn without_controls(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() || is_invisible_format(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible_format(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// [`printable`] between typographic quotes, as messages show what the user typed: `“a\nb”`.
pub fn quoted(text: &str) -> String {
    format!("“{}”", printable(text))
}

/// Unicode format characters that change how text reads without showing (category Cf).
fn is_invisible_format(c: char) -> bool {
    matches!(c as u32, 0xAD | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB)
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
        // Not a digest, and not cut inside a character either.
        assert_eq!(short_digest("sha256:abcdefghijkéé"), "sha256:abcdefghijkéé");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("web\u{1b}[31m"), "web\\u{1b}[31m");
        assert_eq!(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(printable("\u{7f}\u{85}\u{0}"), "\\u{7f}\\u{85}\\u{0}");
        assert_eq!(printable("abc\u{202e}fed\u{200b}"), "abc\\u{202e}fed\\u{200b}");
        assert_eq!(printable("a\\u{1b}"), "a\\\\u{1b}", "a typed backslash cannot pass for an escape");
        assert_eq!(printable("café/ünïcode"), "café/ünïcode");
        assert_eq!(quoted("x\ny"), "“x\\ny”");
    }
}
