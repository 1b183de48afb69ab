//! Validation of names the user types, with a reason a person can act on. What the user typed
//! is echoed through [`format::quoted`](crate::format::quoted): control characters show as
//! escapes (`\u{1b}`, `\n`), never raw in a terminal or a window.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::BerthError;
use crate::format::quoted;

/// ECR's repository name grammar (without the length rule, checked separately).
static REPOSITORY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$").expect("static pattern")
});

/// Docker's tag grammar (ECR itself allows more, Docker does not).
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("static pattern"));

static REGION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z]{2,5}(-[a-z]+)+-\d+$").expect("static pattern"));

/// Checks an ECR repository name. The error says why, in words, and suggests a fix where one exists.
pub fn repository_name(name: &str) -> Result<(), BerthError> {
    let reason = repository_name_problem(name);
    match reason {
        None => Ok(()),
        Some(reason) => {
            let suggestion = suggest_repository_name(name).filter(|s| s != name);
            let message = match suggestion {
                Some(s) => format!("{reason} Try {}.", quoted(&s)),
                None => reason,
            };
            Err(BerthError::invalid(message))
        }
    }
}

fn repository_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 {
        return Some("Enter a repository name.".into());
    }
    if len < 2 {
        return Some("A repository name needs at least 2 characters.".into());
    }
    if len > 256 {
        return Some(format!("A repository name has at most 256 characters; this one has {len}."));
    }
    if REPOSITORY_NAME.is_match(name) {
        return None;
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("Use lower case only.".into());
    }
    let bad: Vec<char> = {
        let mut v: Vec<char> =
            name.chars().filter(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(*c))).collect();
        v.dedup();
        v
    };
    if !bad.is_empty() {
        let shown: Vec<String> =
            bad.iter().map(|c| if *c == ' ' { "space".to_string() } else { quoted(&c.to_string()) }).collect();
        return Some(format!(
            "{} not allowed: use lower-case letters, digits, and . _ - / between them.",
            shown.join(", ")
        ));
    }
    for part in name.split('/') {
        if part.is_empty() {
            return Some("A “/” must separate two non-empty parts (no leading, trailing or double “/”).".into());
        }
        let first = part.chars().next().unwrap_or('a');
        let last = part.chars().last().unwrap_or('a');
        if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
            return Some(format!("Each part must start and end with a letter or digit ({} does not).", quoted(part)));
        }
    }
    Some("Separators may be one “.”, one or two “_”, or a run of “-” between letters or digits (not “___”, “._” or the like).".into())
}

/// A name that follows the rules and is as close to the input as possible, if any.
pub fn suggest_repository_name(name: &str) -> Option<String> {
    let lowered: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(*c))
        .collect();
    let parts: Vec<String> = lowered
        .split('/')
        .map(|part| {
            // Collapse separator runs that the grammar refuses, then trim them from the ends.
            let mut out = String::new();
            let mut run = String::new();
            for c in part.chars() {
                if c.is_ascii_alphanumeric() {
                    if !run.is_empty() && !out.is_empty() {
                        out.push_str(&normalize_separator(&run));
                    }
                    run.clear();
                    out.push(c);
                } else {
                    run.push(c);
                }
            }
            out
        })
        .filter(|p| !p.is_empty())
        .collect();
    let s = parts.join("/");
    if REPOSITORY_NAME.is_match(&s) && (2..=256).contains(&s.len()) {
        Some(s)
    } else {
        None
    }
}

fn normalize_separator(run: &str) -> String {
    match run {
        "." | "_" | "__" => run.to_string(),
        r if r.chars().all(|c| c == '-') => r.to_string(),
        r if r.contains('-') => "-".into(),
        r if r.contains('_') => "_".into(),
        _ => ".".into(),
    }
}

/// Checks an image tag against Docker's grammar (1–128 characters).
pub fn tag(tag: &str) -> Result<(), BerthError> {
    if tag.is_empty() {
        return Err(BerthError::invalid("Enter a tag."));
    }
    if tag.len() > 128 {
        return Err(BerthError::invalid(format!("A tag has at most 128 characters; this one has {}.", tag.len())));
    }
    if TAG.is_match(tag) {
        return Ok(());
    }
    if tag.starts_with(['.', '-']) {
        return Err(BerthError::invalid("A tag must start with a letter, a digit or “_”."));
    }
    Err(BerthError::invalid("A tag may contain only letters, digits, “_”, “.” and “-”."))
}

/// Checks the shape of an AWS region name (`eu-west-1`, `us-gov-west-1`).
pub fn region(region: &str) -> Result<(), BerthError> {
    if REGION.is_match(region) {
        Ok(())
    } else {
        Err(BerthError::invalid(format!("{} is not a region name such as eu-west-1.", quoted(region))))
    }
}

/// Digest algorithms Berth accepts, with the length of their hex part.
const DIGEST_ALGORITHMS: [(&str, usize); 2] = [("sha256", 64), ("sha512", 128)];

/// Checks a content digest, `algorithm:hex`, before it goes into any request or path:
/// `sha256:` and exactly 64 lower-case hex digits, or `sha512:` and 128. Other algorithms
/// (and anything with a `/`, `?` or `#`) are refused.
pub fn digest(digest: &str) -> Result<(), BerthError> {
    let accepted = || DIGEST_ALGORITHMS.iter().map(|(a, _)| *a).collect::<Vec<_>>().join(" or ");
    let Some((algorithm, hex)) = digest.split_once(':').filter(|(a, _)| !a.is_empty()) else {
        return Err(BerthError::invalid(format!(
            "{} is not a digest: a digest is an algorithm and hex digits, such as sha256: followed by 64 of 0-9 and a-f.",
            quoted(digest)
        )));
    };
    let Some((_, length)) = DIGEST_ALGORITHMS.iter().find(|(a, _)| *a == algorithm) else {
        return Err(BerthError::invalid(format!(
            "The digest algorithm {} is not accepted: use {}.",
            quoted(algorithm),
            accepted()
        )));
    };
    if let Some(bad) = hex.chars().find(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
        let why = if bad.is_ascii_hexdigit() {
            "its hex digits must be lower case".to_string()
        } else {
            format!("{} is not a hex digit", quoted(&bad.to_string()))
        };
        return Err(BerthError::invalid(format!(
            "A {algorithm} digest is “{algorithm}:” and {length} hex digits (0-9, a-f): {why}."
        )));
    }
    if hex.len() != *length {
        return Err(BerthError::invalid(format!(
            "A {algorithm} digest is “{algorithm}:” and {length} hex digits (0-9, a-f); this one has {}.",
            hex.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names() {
        let long = "a".repeat(256);
        let too_long = "a".repeat(257);
        let valid = [
            "ab",
            "orders",
            "api/orders",
            "a__b",
            "a_b",
            "a.b",
            "a-b",
            "a---b",
            "0abc",
            "9",
            "team/api/orders-v2",
            long.as_str(),
        ];
        for name in valid {
            if name == "9" {
                continue;
            }
            assert!(repository_name(name).is_ok(), "{name} should be valid: {:?}", repository_name(name));
        }
        let invalid = [
            ("a", "at least 2"),
            ("9", "at least 2"),
            (too_long.as_str(), "at most 256"),
            ("a___b", "Separators"),
            ("-a", "start and end"),
            ("a-", "start and end"),
            ("a/b/", "“/”"),
            ("/a", "“/”"),
            ("a//b", "“/”"),
            ("Orders", "lower case"),
            ("my repo", "space"),
            ("a._b", "Separators"),
            ("a:b", "“:”"),
            ("", "Enter"),
        ];
        for (name, reason) in invalid {
            let err = repository_name(name).expect_err(name);
            assert_eq!(err.code, crate::ErrorCode::InvalidInput);
            assert!(err.message.contains(reason), "{name}: {}", err.message);
        }
    }

    #[test]
    fn suggestions_follow_the_rules() {
        assert_eq!(suggest_repository_name("My Repo").as_deref(), Some("my-repo"));
        assert_eq!(suggest_repository_name("Team/API/").as_deref(), Some("team/api"));
        assert_eq!(suggest_repository_name("a___b").as_deref(), Some("a_b"));
        assert_eq!(suggest_repository_name("-x-"), None);
        assert!(repository_name("My Repo").unwrap_err().message.contains("“my-repo”"));
    }

    #[test]
    fn tags() {
        for t in ["latest", "1.4.2", "_x", "v1-rc.1", &"a".repeat(128)] {
            assert!(tag(t).is_ok(), "{t}");
        }
        for t in ["", ".x", "-x", "a:b", "a/b", &"a".repeat(129)] {
            assert!(tag(t).is_err(), "{t}");
        }
    }

    #[test]
    fn digests() {
        let sha256 = format!("sha256:{}", "0123456789abcdef".repeat(4));
        let sha512 = format!("sha512:{}", "0123456789abcdef".repeat(8));
        assert!(digest(&sha256).is_ok());
        assert!(digest(&sha512).is_ok());
        for (d, reason) in [
            ("sha256:x/../../../web/manifests/latest", "“x” is not a hex digit"),
            ("sha256:abc?x=1#frag", "“?” is not a hex digit"),
            (&format!("{sha256}/../latest"), "“/” is not a hex digit"),
            (&format!("{sha256}?x=1"), "“?” is not a hex digit"),
            (&format!("{sha256}#frag"), "“#” is not a hex digit"),
            (&sha256.to_uppercase().replace("SHA256", "sha256"), "lower case"),
            ("sha256:abc", "this one has 3"),
            (&format!("{sha256}0"), "this one has 65"),
            (&format!("sha512:{}", "a".repeat(64)), "128 hex digits"),
            ("sha256:", "this one has 0"),
            (&format!("md5:{}", "a".repeat(32)), "“md5” is not accepted: use sha256 or sha512"),
            (&format!("SHA256:{}", "a".repeat(64)), "not accepted"),
            ("latest", "not a digest"),
            (":abc", "not a digest"),
            ("", "not a digest"),
        ] {
            let err = digest(d).expect_err(d);
            assert_eq!(err.code, crate::ErrorCode::InvalidInput);
            assert!(err.message.contains(reason), "{d}: {}", err.message);
        }
    }

    /// No validator prints a control character back: they show as escapes.
    #[test]
    fn control_characters_in_input_are_escaped_in_messages() {
        let err = repository_name("web\u{1b}[31m").unwrap_err().message;
        assert!(err.contains("“\\u{1b}”"), "{err}");
        let err = repository_name("web\nprod").unwrap_err().message;
        assert!(err.contains("“\\n”"), "{err}");
        let err = region("eu-west-1\u{1b}[2J").unwrap_err().message;
        assert!(err.contains("“eu-west-1\\u{1b}[2J”"), "{err}");
        let err = digest("sha256:\u{1b}]0;title\u{7}").unwrap_err().message;
        assert!(err.contains("“\\u{1b}”"), "{err}");
        let err = digest("md\n5:abc").unwrap_err().message;
        assert!(err.contains("“md\\n5”"), "{err}");
        let err = digest("\u{9b}31m").unwrap_err().message;
        assert!(err.contains("\\u{9b}"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn no_message_holds_a_control_character(input in "\\PC{0,12}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202e}]\\PC{0,12}") {
            let messages = [
                repository_name(&input).err(),
                tag(&input).err(),
                region(&input).err(),
                digest(&input).err(),
                digest(&format!("sha256:{input}")).err(),
                digest(&format!("{input}:abc")).err(),
            ];
            for m in messages.into_iter().flatten().map(|e| e.message) {
                proptest::prop_assert!(!m.chars().any(|c| c.is_control() || c == '\u{202e}'), "{m:?}");
            }
        }
    }

    #[test]
    fn regions() {
        assert!(region("eu-west-1").is_ok());
        assert!(region("us-gov-west-1").is_ok());
        assert!(region("eusc-de-east-1").is_ok());
        assert!(region("EU").is_err());
    }
}
